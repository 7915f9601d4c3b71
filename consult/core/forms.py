"""Form fields and helpers every domain's forms share.

Dates are entered as day, month and year in three inputs (the GOV.UK Design System pattern), times
as HH:MM; both give specific messages ("… podaj rok", "… data musi być prawdziwą datą") instead of
one generic "invalid". Templates render them with the macros in templates/_dates.html.

A view's POST has one shape: validate, call the operation, show a refusal beside its field or in the
error summary, flash the success and redirect; `submit_form` (and `press_button` for a button) is it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import NamedTuple, TypeVar

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import Field, FieldList, FormField, IntegerField, StringField
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.input import (
    ID_MAX,
    INT_MIN,
    is_email_address,
    unstorable_at,
    unstorable_message,
    whole_number,
    without_unstorable,
)
from consult.core.types import to_warsaw, warsaw_to_utc
from consult.i18n import format_number

T = TypeVar("T")

PARTS = ("day", "month", "year")


class ConsultForm(FlaskForm):
    """The base of the app's forms. Beyond its fields' own checks it refuses text the database or a document
    cannot hold (NUL, which PostgreSQL refuses; other control characters, which the XLSX exports and tagged
    PDFs cannot carry: consult.core.input), in any field, also in rows of a FieldList, with a message beside
    the field that names it; the form comes back with those characters taken out, so sending it again works."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _refuse_unstorable(self) and valid


def _refuse_unstorable(form) -> bool:
    clean = True
    for field in form:
        if isinstance(field, FormField):
            clean = _refuse_unstorable(field.form) and clean
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    clean = _refuse_unstorable(entry.form) and clean
                else:
                    clean = _refuse_unstorable_field(entry) and clean
            # a FieldList keeps its rows' errors as they were when it validated: gather them again
            field.errors = [entry.errors for entry in field.entries] if any(e.errors for e in field.entries) \
                else []
        else:
            clean = _refuse_unstorable_field(field) and clean
    form._errors = None  # `errors` is computed once and kept: let it see the messages added here
    return clean


def _refuse_unstorable_field(field) -> bool:
    posted = [v for v in (field.raw_data or []) if isinstance(v, str)]
    if isinstance(field, DateParts):
        posted = list(field.raw.values())
    position = next((p for p in map(unstorable_at, posted) if p is not None), None)
    if position is None:
        return True
    field.errors = [*field.errors, unstorable_message(field.label.text, position)]
    if isinstance(field, DateParts):
        field.raw = {part: without_unstorable(value) for part, value in field.raw.items()}
    if field.raw_data:
        field.raw_data = [without_unstorable(v) if isinstance(v, str) else v for v in field.raw_data]
    if isinstance(field.data, str):
        field.data = without_unstorable(field.data)
    if isinstance(getattr(field, "raw", None), str):  # TimeOfDay shows what was typed
        field.raw = without_unstorable(field.raw)
    return False


class DateParts(Field):
    """A date typed as day, month and year.

    The inputs are named `<name>-day`, `<name>-month`, `<name>-year`; the day input carries the
    field's id so that the error summary links to it. `data` is a `date` or None; `bad_parts` names
    the inputs to highlight when the date is refused.
    """

    def __init__(self, label=None, validators=None, *, required: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.raw = {"day": "", "month": "", "year": ""}
        self.bad_parts: set[str] = set()

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data
        if isinstance(data, date):
            self.raw = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in PARTS):
            self.raw = {p: (formdata.get(f"{self.name}-{p}") or "").strip() for p in PARTS}
            self.data = None

    def part_id(self, part: str) -> str:
        return self.id if part == "day" else f"{self.id}-{part}"

    def part_name(self, part: str) -> str:
        return f"{self.name}-{part}"

    def _refuse(self, message: str, parts) -> None:
        self.bad_parts = set(parts)
        raise StopValidation(message)

    def pre_validate(self, form):
        if isinstance(self.data, date):
            return
        label = self.label.text
        missing = [p for p in PARTS if not self.raw[p]]
        if len(missing) == 3:
            if self.required:
                self._refuse(_("%(label)s: podaj datę (dzień, miesiąc i rok).", label=label), PARTS)
            return
        if missing:
            names = {"day": _("dzień"), "month": _("miesiąc"), "year": _("rok")}
            wanted = " i ".join(names[p] for p in missing)
            self._refuse(_("%(label)s: podaj %(parts)s.", label=label, parts=wanted), missing)
        not_digits = [p for p in PARTS if not re.fullmatch(r"[0-9]+", self.raw[p])]
        if not_digits:
            self._refuse(_("%(label)s: dzień, miesiąc i rok wpisz cyframi, np. 27 3 2026.", label=label),
                         not_digits)
        if len(self.raw["year"]) != 4:
            self._refuse(_("%(label)s: rok musi mieć 4 cyfry, np. 2026.", label=label), ["year"])
        # int() refuses thousands of digits, and date() overflows past a C long: a part longer than four
        # digits (leading zeros aside) is no day or month, so it is kept as text for the message
        day, month, year = (_small_number(self.raw[p]) for p in PARTS)
        if month is None or not 1 <= month <= 12:
            self._refuse(_("%(label)s: data musi być prawdziwą datą – miesiąc to liczba od 1 do 12.",
                           label=label), ["month"])
        try:
            self.data = date(year, month, day if day is not None else 32)
        except ValueError:
            self._refuse(_("%(label)s: data musi być prawdziwą datą – ten miesiąc nie ma dnia %(day)s.",
                           label=label, day=day if day is not None else self.raw["day"][:5] + "…"), ["day"])

    def _value(self):
        return self.raw


def _small_number(digits: str) -> int | None:
    """A day, a month or a year typed in ASCII digits; None for more than four digits (leading zeros aside)."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= 4 else None


class TimeOfDay(StringField):
    """A time typed as HH:MM (also H:MM, HH.MM or a bare hour); `data` is a `time` or None."""

    def __init__(self, label=None, validators=None, *, required: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.raw = ""

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None and self.name in formdata:
            self.raw = (formdata.get(self.name) or "").strip()
            self.data = None
        elif isinstance(self.data, time):
            self.raw = self.data.strftime("%H:%M")

    def process_formdata(self, valuelist):
        pass  # parsed in pre_validate, where a message can be given

    def pre_validate(self, form):
        if isinstance(self.data, time):
            return
        label = self.label.text
        if not self.raw:
            if self.required:
                raise StopValidation(_("%(label)s: podaj godzinę w postaci GG:MM, np. 17:00.", label=label))
            return
        m = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?", self.raw)  # a bare hour, "17", means 17:00
        if not m:
            raise StopValidation(_("%(label)s: wpisz godzinę w postaci GG:MM, np. 17:00.", label=label))
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if hour > 23 or minute > 59:
            raise StopValidation(_("%(label)s: godzina musi być prawdziwą godziną – od 00:00 do 23:59.",
                                   label=label))
        self.data = time(hour, minute)

    def _value(self):
        return self.raw


class WholeNumber(IntegerField):
    """A whole number that, when typed with letters, gets one message naming the field and an example
    ("Liczba uczestników: wpisz liczbę cyframi, np. 12.") instead of WTForms' generic one followed by
    the messages of the validators that then see no number. A number beyond what an integer column holds
    (or int() can read) is refused the same way, saying the range, so that it never reaches the database."""

    def __init__(self, label=None, validators=None, *, example: str = "12", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.example = example
        self.not_a_number = False
        self.out_of_range = False

    def process_formdata(self, valuelist):
        self.not_a_number = self.out_of_range = False
        text = (valuelist[0] if valuelist else "") or ""
        text = text.strip()
        if not text:
            self.data = None
            return
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            self.data, self.not_a_number = None, True
            return
        self.data = whole_number(text)
        self.out_of_range = self.data is None

    def pre_validate(self, form):
        if self.not_a_number:
            raise StopValidation(_("%(label)s: wpisz liczbę cyframi, np. %(example)s.", label=self.label.text,
                                   example=self.example))
        if self.out_of_range:
            raise StopValidation(_("%(label)s: wpisz liczbę od %(minimum)s do %(maximum)s, np. %(example)s.",
                                   label=self.label.text, minimum=format_number(INT_MIN),
                                   maximum=format_number(ID_MAX), example=self.example))


class EmailAddress:
    """A WTForms validator: the field holds one e-mail address (consult.core.input.is_email_address), spaces
    around it aside; an empty field is left to InputRequired or Optional."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        text = (field.data or "").strip()
        if text and not is_email_address(text):
            raise StopValidation(self.message or _("Wpisz adres e-mail w postaci nazwa@domena.pl."))


def warsaw_moment(day: date | None, at: time | None) -> datetime | None:
    """A date and a wall-clock time in Kraków as an aware UTC datetime (None if either is missing)."""
    if day is None or at is None:
        return None
    return warsaw_to_utc(datetime.combine(day, at))


def warsaw_parts(moment: datetime | None) -> tuple[date | None, time | None]:
    """The Kraków date and wall-clock time of a stored UTC moment, to fill a form."""
    if moment is None:
        return None, None
    local = to_warsaw(moment)
    return local.date(), local.time().replace(second=0, microsecond=0)


def show_refusal(form, exc: Refused, aliases: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Put an operation's refusal where the user will look for it.

    When the form has the field the operation named (possibly under another name, see `aliases`),
    the reason goes beside that field; otherwise it is returned as an `extra` item for the error
    summary, as (anchor id, reason), to be passed to `error_summary(form, extra)`.
    """
    name = (aliases or {}).get(exc.field, exc.field) if exc.field else None
    if name and name in form and not isinstance(form[name], FieldList):
        form[name].errors = [*form[name].errors, exc.reason]
        return []
    return [(name or "main", exc.reason)]


class Submission(NamedTuple):
    """What `submit_form` made of a request: `response`, the redirect to return when the form was done with
    (sent, or sent before), else None; `extra`, the refusal's items for the error summary (see `show_refusal`)."""

    response: Response | None
    extra: list[tuple[str, str]]


def submit_form(form, action: Callable[[], T], *, success: str | Callable[[T], str], then: str | Callable[[T], str],
                sent_before: tuple[str, str | Callable[[AlreadyDone], str]] | None = None,
                aliases: dict[str, str] | None = None, beside: str | None = None,
                validate: bool = True) -> Submission:
    """The one shape of a form's POST: validate the form, run `action` (which calls the operation, usually in
    `in_transaction`), and on success flash `success` and redirect to `then` (either may be a function of what
    the action returned); a refusal goes beside its field or into the error summary (`show_refusal` with
    `aliases`; with `beside`, every refusal goes beside that field), and the page is rendered again by the view;
    `Forbidden` is a 403. A form sent before (`AlreadyDone`) flashes `sent_before`'s message and leads to its
    address (a function of the AlreadyDone, when it names the record). `validate=False` when the view has
    validated the form already."""
    if validate and not form.validate_on_submit():
        return Submission(None, [])
    try:
        result = action()
    except AlreadyDone as done:
        if sent_before is None:
            raise
        message, target = sent_before
        flash(message, "success")
        return Submission(redirect(target(done) if callable(target) else target), [])
    except Forbidden:
        abort(403)
    except Refused as exc:
        if beside is not None:
            form[beside].errors = [*form[beside].errors, exc.reason]
            return Submission(None, [])
        return Submission(None, show_refusal(form, exc, aliases))
    flash(success(result) if callable(success) else success, "success")
    return Submission(redirect(then(result) if callable(then) else then), [])


def press_button(action: Callable[[], object], *, success: str, then: str) -> Response:
    """The shape of a button's POST (a form with no fields but its CSRF token, checked by the view): run
    `action`, flash `success` or the refusal's reason, and redirect to `then` either way; `Forbidden` is a 403."""
    try:
        action()
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
    else:
        flash(success, "success")
    return redirect(then)
