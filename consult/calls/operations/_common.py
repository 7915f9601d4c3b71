"""What every stage of a call shares: reading typed input (text, amounts, dates, ids) into values or a
Refused naming the field, words for points and instants, the clock, and who runs a call.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _

from consult.calls.access import can_run_call
from consult.calls.models import Call
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text, id_value
from consult.core.types import to_warsaw
from consult.i18n import format_moment, format_number, number_example, parse_number

MAX_TEXT = 20000
POINTS_BELOW = Decimal("1e4")  # Numeric(6, 2): points up to 9999.99
QUANTITY_BELOW = Decimal("1e10")  # Numeric(12, 2)


def _clock() -> datetime:
    """Now, as an aware UTC instant: `consult.calls.operations.utcnow`, looked up at each call, so that a test
    replacing it there (to stand at a boundary) moves the clock of every stage at once."""
    from consult.calls import operations

    return operations.utcnow()


def text_value(value, field: str, label: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """A text typed into a form, stripped and checked (no control characters, not longer than `limit`; present
    when `required`). `label` is what "Wpisz ..." asks for, lower case ("nazwę zadania"): calls and small grants
    word their refusals alike."""
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    check_text(value, field=field, label=label.capitalize())
    if required and not value:
        raise Refused(_("Wpisz %(label)s.", label=label), field=field)
    if len(value) > limit:
        raise Refused(
            _(
                "Pole „%(label)s” może mieć najwyżej %(n)s znaków (teraz: %(m)s).",
                label=label,
                n=limit,
                m=len(value),
            ),
            field=field,
        )
    return value


def parse_amount(
    value, field: str, label: str, *, required: bool = False, positive: bool = False, places: int = 2,
    below: Decimal = Decimal("1e12"),
) -> Decimal | None:
    """An amount in PLN (or a quantity, points) as typed in the user's language (consult.i18n.parse_number):
    "1 250,50" or "1250.5" in Polish and Ukrainian, "1,250.50" in English; or a Decimal. Never a float.
    `below` is what the column holds (an amount Numeric(14, 2), a quantity (12, 2), points (6, 2))."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Refused(_("Podaj %(label)s.", label=label), field=field)
        return None
    if isinstance(value, float):
        raise TypeError("amounts are never floats")
    try:
        amount = value if isinstance(value, Decimal) and value.is_finite() else parse_number(str(value))
    except ValueError:
        raise Refused(_("%(label)s: wpisz liczbę w postaci %(example)s.", label=label.capitalize(),
                        example=number_example()), field=field) from None
    if abs(amount) >= below:
        raise Refused(_("%(label)s: ta wartość jest zbyt duża.", label=label.capitalize()), field=field)
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise Refused(
            _(
                "%(label)s: podaj wartość z najwyżej %(n)s miejscami po przecinku.",
                label=label.capitalize(),
                n=places,
            ),
            field=field,
        )
    if amount < 0 or (positive and amount == 0):
        raise Refused(
            _("%(label)s: podaj wartość większą od zera.", label=label.capitalize())
            if positive
            else _("%(label)s: wartość nie może być ujemna.", label=label.capitalize()),
            field=field,
        )
    return amount.quantize(Decimal(1).scaleb(-places))


def _date(value, field: str, label: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise Refused(
                _("%(label)s: podaj prawidłową datę.", label=label.capitalize()), field=field
            ) from None
    return value


def _id(value) -> int | None:
    """An id chosen in a form; anything that is not one counts as none chosen (then refused as unknown)."""
    if value in (None, ""):
        return None
    chosen = id_value(value)  # also None for a number beyond what an id column holds: no row has it
    return chosen if chosen is not None else -1


def _points(value: Decimal) -> str:
    """Points as the card writes them, in the user's language: 3, 2,5 (2.5 in English)."""
    return format_number(value)


def _when(instant: datetime | None) -> str:
    return format_moment(to_warsaw(instant)) if instant else ""


def _require_runner(actor, call: Call) -> None:
    if not can_run_call(actor, call):
        raise Forbidden(_("Konkursem zarządza koordynator albo komórka, która go prowadzi."))
