"""Every state change of a call, its offers, its commission and its results.

Views, CLI commands and imports call these; they do not commit (the caller wraps them in
`consult.core.operations.transaction()`). Each one checks ownership (consult.calls.access), fires
the workflow transition (consult.core.operations.fire, which checks the role and the guard and
writes the audit event) and refuses bad input with `Refused(reason, field=...)` in Polish.

Time: every rule about time reads `utcnow()` of this module once per operation, compares aware
UTC instants, and speaks to the user in Europe/Warsaw. Tests replace `utcnow` here to stand at a
boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from consult.auth.models import User
from consult.calls import jobs
from consult.calls.access import ActingAs, can_run_call, is_applicant, membership
from consult.calls.models import (
    AGGREGATIONS,
    COST_CATEGORIES,
    ZERO,
    Call,
    CommissionMember,
    ConflictDeclaration,
    CorrectionWindow,
    Criterion,
    Decision,
    FormalCheck,
    FormalCriterion,
    Offer,
    OfferCostLine,
    OfferPartner,
    OfferResult,
    Score,
    ScoreSheet,
    money,
)
from consult.calls.models import format_pln as _pln
from consult.core import audit
from consult.core.access import has_role, roles_of, submit_refusal
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text, id_value, is_email_address, whole_number
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import check_version, fire, state_label
from consult.core.submissions import once
from consult.core.types import to_warsaw, utcnow, warsaw_to_utc
from consult.extensions import db
from consult.i18n import format_day, format_moment, format_number, number_example, parse_number
from consult.organisations.models import Organisation, Unit
from consult.programmes.models import Programme
from workflows import CALL, OFFER, SCORE_SHEET, TransitionRefused

MAX_TEXT = 20000
MIN_OFFER_DAYS = 21

# --- input -----------------------------------------------------------------------------------------

POINTS_BELOW = Decimal("1e4")  # Numeric(6, 2): points up to 9999.99
QUANTITY_BELOW = Decimal("1e10")  # Numeric(12, 2)


def _text(value, field: str, label: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
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


# --- the 21-day rule ----------------------------------------------------------------------------------


def earliest_offers_deadline(announced_on: date) -> datetime:
    """The earliest offers deadline allowed for a call announced on `announced_on` (a Warsaw date).

    Art. 13 ust. 1: the time for offers "nie może być krótszy niż 21 dni od dnia ukazania się
    ogłoszenia". Read with art. 111 § 2 of the Civil Code, as every time limit in days: the day of
    the announcement is not counted, and the time ends with the end of its last day. So the NGOs
    get the 21 whole days that follow the day of the announcement: announced on 1 March (any hour),
    the days are 2-22 March, and the deadline may fall no earlier than the end of 22 March, i.e.
    the instant 23 March 00:00 Europe/Warsaw. Any deadline on 23 March or later is allowed; a
    deadline at 22 March 15:30 would cut the 21st day short and is refused.
    """
    return warsaw_to_utc(datetime.combine(announced_on + timedelta(days=MIN_OFFER_DAYS + 1), time(0)))


@dataclass
class _CallAt:
    """What the call workflow's guards ask, at one instant."""

    call: Call
    now: datetime

    def announcement_refused_reason(self) -> str | None:
        today = to_warsaw(self.now).date()
        earliest = earliest_offers_deadline(today)
        deadline = self.call.offers_deadline
        if deadline is None or deadline < earliest:
            return _(
                "Termin składania ofert nie może być krótszy niż 21 dni od dnia ukazania się ogłoszenia "
                "(art. 13 ust. 1 ustawy; dnia ogłoszenia nie wlicza się). Przy ogłoszeniu w dniu %(today)s "
                "najwcześniejszy dopuszczalny termin to %(earliest)s (czasu warszawskiego), czyli koniec "
                "dnia %(last)s. Zmień termin składania ofert albo ogłoś konkurs później.",
                today=format_day(today),
                earliest=_when(earliest),
                last=format_day(today + timedelta(days=MIN_OFFER_DAYS)),
            )
        return None

    def deadline_not_passed_reason(self) -> str | None:
        if self.call.offers_deadline is not None and self.now < self.call.offers_deadline:
            return _(
                "Termin składania ofert upływa %(when)s (czasu warszawskiego); do tego czasu konkurs "
                "przyjmuje oferty.",
                when=_when(self.call.offers_deadline),
            )
        return None

    def formal_checks_pending_reason(self) -> str | None:
        pending = [o for o in self.call.offers if o.state in ("submitted", "correction")]
        if pending:
            return _(
                "Ocena formalna nie jest zakończona; oferty czekające na decyzję: %(n)s (%(refs)s).",
                n=len(pending),
                refs=", ".join(o.reference for o in pending[:5]),
            )
        return None

    def decisions_missing_reason(self) -> str | None:
        missing = [o for o in self.call.offers if o.state == "formally_accepted" and o.decision is None]
        if missing:
            return _(
                "Nie wszystkie oferty mają rozstrzygnięcie; oferty bez decyzji: %(n)s (%(refs)s).",
                n=len(missing),
                refs=", ".join(o.reference for o in missing[:5]),
            )
        return None

    def cancel_refused_reason(self) -> str | None:
        if cancel_ground(self.call, self.now):
            return None
        return _(
            "Konkurs można unieważnić tylko wtedy, gdy nie złożono żadnej oferty albo żadna ze złożonych "
            "ofert nie spełnia wymogów zawartych w ogłoszeniu (art. 18a ust. 1 ustawy); oba te fakty są "
            "znane dopiero po upływie terminu składania ofert."
        )


def cancel_ground(call: Call, now: datetime) -> str | None:
    """Why the call may be cancelled (art. 18a ust. 1): "no_offers", "no_valid_offers", or None.

    Both grounds are facts only once the offers deadline has passed: before it, offers may still come.
    """
    if call.state == "announced" and (call.offers_deadline is None or now < call.offers_deadline):
        return None
    filed = [o for o in call.offers if o.state not in ("draft", "withdrawn")]
    if not filed:
        return "no_offers"
    if all(o.state == "formally_rejected" for o in filed):
        return "no_valid_offers"
    return None


def formal_check_gaps(offer: Offer) -> tuple[list[tuple[int, FormalCriterion]], list[tuple[int, FormalCriterion, FormalCheck]]]:
    """What stands between the offer and its formal acceptance: the call's formal criteria not assessed yet
    and those assessed as not met, each with its number in the call's list (1, 2, ...)."""
    checks = {c.criterion_id: c for c in offer.formal_checks}
    unassessed, unmet = [], []
    for number, criterion in enumerate(offer.call.formal_criteria, start=1):
        check = checks.get(criterion.id)
        if check is None:
            unassessed.append((number, criterion))
        elif not check.met:
            unmet.append((number, criterion, check))
    return unassessed, unmet


@dataclass
class _OfferAt:
    offer: Offer
    now: datetime

    def offers_closed_reason(self) -> str | None:
        return self.offer.call.offers_closed_reason(self.now)

    def correction_closed_reason(self) -> str | None:
        window = self.offer.open_correction
        if window is None or not window.is_open(self.now):
            return _(
                "Termin na poprawienie oferty minął lub okno poprawek zostało zamknięte. Oferty nie można "
                "już zmieniać."
            )
        return None

    def formal_check_failed_reason(self) -> str | None:
        unassessed, unmet = formal_check_gaps(self.offer)
        if unassessed:
            return ngettext(
                "Nie oceniono kryterium formalnego nr %(numbers)s. Przed przyjęciem oferty zaznacz przy każdym "
                "kryterium „spełnione” albo „niespełnione”.",
                "Nie oceniono kryteriów formalnych nr %(numbers)s. Przed przyjęciem oferty zaznacz przy każdym "
                "kryterium „spełnione” albo „niespełnione”.",
                len(unassessed),
                numbers=", ".join(str(n) for n, _c in unassessed),
            )
        if unmet:
            number, criterion, check = unmet[0]
            return _(
                "Oferta nie spełnia kryterium formalnego nr %(n)s („%(text)s”: %(note)s), więc nie można jej "
                "przyjąć. Wezwij oferenta do poprawienia oferty albo odrzuć ją z przyczyn formalnych.",
                n=number,
                text=criterion.text,
                note=check.note or "",
            )
        return None

    def correction_pending_reason(self) -> str | None:
        window = self.offer.open_correction
        if window is not None and window.is_open(self.now):
            return _(
                "Oferent może poprawiać ofertę do %(when)s (czasu warszawskiego). Decyzję formalną podejmij "
                "po tym terminie albo gdy oferent zgłosi zakończenie poprawek.",
                when=_when(window.deadline),
            )
        return None


# --- calls ---------------------------------------------------------------------------------------------

ANNOUNCEMENT_FIELDS = (
    "title",
    "task_type",
    "sphere",
    "funds",
    "award_rules",
    "task_starts",
    "task_ends",
    "task_conditions",
    "offers_deadline",
    "procedure",
    "criteria_notes",
    "selection_date",
    "previous_tasks",
    "aggregation",
)


def _require_runner(actor, call: Call) -> None:
    if not can_run_call(actor, call):
        raise Forbidden(_("Konkursem zarządza koordynator albo komórka, która go prowadzi."))


def _announcement(values: dict, call: Call | None = None) -> dict:
    """Validate the announcement fields given (a partial draft is fine); return them cleaned."""
    out: dict = {}
    labels = {
        "title": _("tytuł konkursu"),
        "task_type": _("rodzaj zadania"),
        "sphere": _("sferę pożytku publicznego"),
        "award_rules": _("zasady przyznawania dotacji"),
        "task_conditions": _("warunki realizacji zadania"),
        "procedure": _("tryb i sposób wyboru ofert"),
        "criteria_notes": _("dodatkowe informacje o kryteriach"),
    }
    for key, label in labels.items():
        if key in values:
            out[key] = _text(
                values[key],
                key,
                label,
                required=(key == "title"),
                limit=500 if key == "title" else 300 if key == "sphere" else MAX_TEXT,
            )
    if "funds" in values:
        out["funds"] = parse_amount(values["funds"], "funds", _("wysokość środków"), required=True)
    for key, label in (
        ("task_starts", _("początek realizacji zadania")),
        ("task_ends", _("koniec realizacji zadania")),
        ("selection_date", _("termin wyboru ofert")),
    ):
        if key in values:
            out[key] = _date(values[key], key, label)
    starts = out.get("task_starts", call.task_starts if call else None)
    ends = out.get("task_ends", call.task_ends if call else None)
    if starts and ends and ends < starts:
        raise Refused(
            _("Koniec realizacji zadania musi przypadać nie wcześniej niż jego początek."), field="task_ends"
        )
    if "offers_deadline" in values:
        deadline = values["offers_deadline"]
        if deadline is not None and (not isinstance(deadline, datetime) or deadline.tzinfo is None):
            raise Refused(_("Podaj datę i godzinę terminu składania ofert."), field="offers_deadline")
        out["offers_deadline"] = deadline
    if "aggregation" in values:
        if values["aggregation"] not in AGGREGATIONS:
            raise Refused(_("Wybierz sposób łączenia ocen: średnia albo mediana."), field="aggregation")
        out["aggregation"] = values["aggregation"]
    if "previous_tasks" in values:
        rows = []
        for i, row in enumerate(values["previous_tasks"] or []):
            field = f"previous_tasks-{i}"
            year = whole_number(row.get("year"), minimum=1000, maximum=9999)
            if year is None:
                raise Refused(_("Wiersz %(n)s zadań z lat poprzednich: podaj rok.", n=i + 1), field=field)
            task = _text(row.get("task"), field, _("nazwę zadania"), required=True, limit=1000)
            amount = parse_amount(row.get("amount"), field, _("kwotę dotacji"), required=True)
            rows.append({"year": year, "task": task, "amount": str(amount)})
        out["previous_tasks"] = rows
    unknown = set(values) - set(ANNOUNCEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    return out


@once("call")
def create_call(actor, programme: Programme, unit: Unit, *, title: str, **values) -> Call:
    """Draft a call within a programme, run by `unit`, with the default card and formal criteria."""
    if not (has_role(actor, "coordinator") or (has_role(actor, "unit") and actor.unit_id == unit.id)):
        raise Forbidden(_("Konkurs przygotowuje koordynator albo komórka, która będzie go prowadzić."))
    fields = _announcement({"title": title, **values})
    call = Call(programme=programme, unit=unit, state="draft", created_by_id=actor.id, **fields)
    db.session.add(call)
    db.session.flush()
    audit.record(
        actor,
        "call",
        call.id,
        "create",
        to_state="draft",
        title=call.title,
        unit=unit.name,
        programme=programme.year,
    )
    _set_card(call, DEFAULT_CARD)
    _set_formal(call, DEFAULT_FORMAL_CRITERIA)
    return call


def update_call(actor, call: Call, *, expected_version: int | None = None, **values) -> Call:
    _require_runner(actor, call)
    check_version(call, expected_version)
    fields = _announcement(values, call)
    changed = sorted(k for k, v in fields.items() if getattr(call, k) != v)
    fire(CALL, call, "edit", actor, changed=changed)
    for key, value in fields.items():
        setattr(call, key, value)
    return call


def announcement_missing(call: Call) -> list[tuple[str, str]]:
    """What art. 13 ust. 2 requires of the announcement and the draft does not have yet."""
    out = []
    for key, message in (
        ("task_type", _("Wpisz rodzaj zadania publicznego.")),
        ("sphere", _("Wpisz sferę pożytku publicznego.")),
        ("award_rules", _("Wpisz zasady przyznawania dotacji.")),
        ("task_starts", _("Podaj początek realizacji zadania.")),
        ("task_ends", _("Podaj koniec realizacji zadania.")),
        ("task_conditions", _("Wpisz warunki realizacji zadania.")),
        ("offers_deadline", _("Podaj termin składania ofert.")),
        ("procedure", _("Wpisz tryb i sposób wyboru ofert.")),
        ("selection_date", _("Podaj termin dokonania wyboru ofert.")),
    ):
        if not getattr(call, key):
            out.append((key, message))
    if not call.funds or call.funds <= 0:
        out.append(("funds", _("Podaj wysokość środków przeznaczonych na realizację zadania.")))
    if not call.criteria:
        out.append(("criteria", _("Karta oceny nie ma żadnego kryterium.")))
    if not call.formal_criteria:
        out.append(("formal_criteria", _("Podaj kryteria formalne.")))
    if (
        call.selection_date
        and call.offers_deadline
        and call.selection_date < to_warsaw(call.offers_deadline).date()
    ):
        out.append(
            ("selection_date", _("Termin wyboru ofert nie może przypadać przed terminem składania ofert."))
        )
    return out


def announce_call(actor, call: Call) -> Call:
    """Publish the announcement; its page becomes public and its PDF is scheduled after commit. Irreversible.

    Serialised on the call with the edits of its card and formal criteria (which do not change the call's
    row): what is checked here is what is announced.
    """
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)
    missing = announcement_missing(call)
    if missing:
        field, message = missing[0]
        more = _(" (pozostałe braki: %(n)s)", n=len(missing) - 1) if len(missing) > 1 else ""
        raise Refused(
            _("Ogłoszenie nie jest kompletne: %(first)s%(more)s", first=message, more=more), field=field
        )
    now = utcnow()
    fire(
        CALL,
        call,
        "announce",
        actor,
        context=_CallAt(call, now),
        offers_deadline=call.offers_deadline.isoformat(),
        funds=str(call.funds),
    )
    call.announced_at = now
    after_commit(db.session, jobs.enqueue_announcement_document, call.id)
    return call


def close_call_for_offers(actor, call: Call) -> Call:
    """Record that the offers deadline passed (a scheduled job or staff do it); drafts stay drafts."""
    _require_runner(actor, call)
    now = utcnow()
    fire(CALL, call, "close_for_offers", actor, context=_CallAt(call, now))
    call.closed_at = now
    return call


def close_calls_past_deadline(actor) -> list[Call]:
    """Close for offers every announced call whose deadline has passed (for a scheduled job or the CLI)."""
    now = utcnow()
    due = db.session.scalars(
        db.select(Call).where(Call.state == "announced", Call.offers_deadline <= now).order_by(Call.id)
    ).all()
    for call in due:
        close_call_for_offers(actor, call)
    return list(due)


def start_evaluation(actor, call: Call) -> Call:
    _require_runner(actor, call)
    fire(
        CALL,
        call,
        "start_evaluation",
        actor,
        context=_CallAt(call, utcnow()),
        offers=sum(1 for o in call.offers if o.state == "formally_accepted"),
    )
    return call


def cancel_call(actor, call: Call, *, reason: str) -> Call:
    """Cancel the call (art. 18a): only when no offer was filed or none is valid; the reason is published."""
    _require_runner(actor, call)
    reason = _text(reason, "reason", _("uzasadnienie unieważnienia"), required=True)
    now = utcnow()
    ground = cancel_ground(call, now)
    fire(CALL, call, "cancel", actor, context=_CallAt(call, now), ground=ground, reason=reason)
    call.cancelled_at, call.cancel_ground, call.cancel_reason = now, ground, reason
    return call


# --- evaluation card and formal criteria -------------------------------------------------------------

# The criteria of art. 15 ust. 1 of the Act, with the sub-criterion for cooperating with others that
# the city's card has under "quality" (see the sector meeting summary of 17.06.2025, postulate 3).
DEFAULT_CARD = [
    {
        "title": "Możliwość realizacji zadania publicznego przez oferenta (art. 15 ust. 1 pkt 1)",
        "max_points": 10,
    },
    {
        "title": "Przedstawiona kalkulacja kosztów realizacji zadania publicznego, w tym w odniesieniu "
        "do zakresu "
        "rzeczowego zadania (art. 15 ust. 1 pkt 2)",
        "max_points": 10,
    },
    {
        "title": "Proponowana jakość wykonania zadania i kwalifikacje osób, przy udziale których "
        "oferent będzie "
        "realizować zadanie publiczne (art. 15 ust. 1 pkt 3)",
        "max_points": 10,
        "children": [
            {
                "title": "Jakość wykonania zadania, w tym spójność opisu, harmonogramu i rezultatów",
                "max_points": 5,
            },
            {
                "title": "Kwalifikacje osób, przy udziale których oferent będzie realizować zadanie",
                "max_points": 3,
            },
            {
                "title": "Udokumentowana deklaracja współpracy z innymi podmiotami przy realizacji "
                "zadania w celu "
                "zwiększenia skuteczności i efektywności realizacji zadania mająca odniesienie w planowanych "
                "w harmonogramie działaniach",
                "max_points": 2,
            },
        ],
    },
    {
        "title": "Udział środków finansowych własnych lub środków pochodzących z innych źródeł "
        "na realizację zadania "
        "publicznego (art. 15 ust. 1 pkt 3a)",
        "max_points": 5,
    },
    {
        "title": "Planowany przez oferenta wkład rzeczowy i osobowy, w tym świadczenia wolontariuszy i praca "
        "społeczna członków (art. 15 ust. 1 pkt 4)",
        "max_points": 5,
    },
    {
        "title": "Analiza i ocena realizacji zleconych zadań publicznych w latach poprzednich, "
        "biorąc pod uwagę "
        "rzetelność i terminowość oraz sposób rozliczenia otrzymanych na ten cel środków "
        "(art. 15 ust. 1 pkt 5)",
        "max_points": 5,
    },
]

DEFAULT_FORMAL_CRITERIA = [
    "Oferta została złożona w terminie i w sposób określony w ogłoszeniu.",
    "Oferent jest podmiotem uprawnionym do udziału w konkursie (art. 3 ust. 2 i 3 ustawy).",
    "Oferta została złożona na wzorze z 2018 r. i zawiera wszystkie wymagane części.",
    "Zadanie mieści się w działalności statutowej oferenta (i partnerów oferty wspólnej).",
    "Termin realizacji zadania mieści się w terminie określonym w ogłoszeniu.",
    "Wnioskowana kwota dotacji nie przekracza środków przeznaczonych na zadanie.",
    "Oferta została podpisana przez osoby upoważnione do reprezentowania oferenta.",
]


def _card(rows: list[dict], *, depth: int = 0, prefix: str = "criteria") -> list[tuple[str, Decimal, list]]:
    if not rows:
        raise Refused(_("Karta oceny musi mieć co najmniej jedno kryterium."), field=prefix)
    out = []
    for i, row in enumerate(rows):
        field = f"{prefix}-{i}"
        title = _text(row.get("title"), field, _("nazwę kryterium"), required=True, limit=2000)
        max_points = parse_amount(
            row.get("max_points"), field, _("maksymalna liczba punktów"), required=True, positive=True,
            below=POINTS_BELOW,
        )
        children = row.get("children") or []
        if children and depth > 0:
            raise Refused(_("Podkryterium nie może mieć własnych podkryteriów."), field=field)
        parsed = _card(children, depth=1, prefix=field) if children else []
        if parsed:
            total = sum((c[1] for c in parsed), Decimal(0))
            if total != max_points:
                raise Refused(
                    _(
                        "Kryterium „%(title)s” ma %(max)s pkt, a jego podkryteria razem %(sum)s pkt: "
                        "te liczby muszą być równe.",
                        title=title,
                        max=_points(max_points),
                        sum=_points(total),
                    ),
                    field=field,
                )
        out.append((title, max_points, parsed))
    return out


def _set_card(call: Call, rows: list[dict]) -> None:
    parsed = _card(rows)
    call.criteria.clear()
    db.session.flush()
    for i, (title, max_points, children) in enumerate(parsed, start=1):
        parent = Criterion(call=call, position=i, title=title, max_points=max_points)
        db.session.add(parent)
        for j, (sub_title, sub_max, _none) in enumerate(children, start=1):
            parent.children.append(Criterion(call=call, position=j, title=sub_title, max_points=sub_max))
    db.session.flush()


def _set_formal(call: Call, texts: list[str]) -> None:
    cleaned = [
        _text(t, f"formal_criteria-{i}", _("kryterium formalne"), limit=2000) for i, t in enumerate(texts)
    ]
    cleaned = [t for t in cleaned if t]
    if not cleaned:
        raise Refused(_("Podaj co najmniej jedno kryterium formalne."), field="formal_criteria")
    call.formal_criteria.clear()
    db.session.flush()
    for i, text in enumerate(cleaned, start=1):
        call.formal_criteria.append(FormalCriterion(position=i, text=text))


@once("evaluation_card")
def set_evaluation_card(actor, call: Call, criteria: list[dict]) -> Call:
    """Replace the card (draft calls only).

    `criteria`: [{"title", "max_points", "children": [{"title", "max_points"}]}].
    """
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)  # not while the call is being announced
    fire(CALL, call, "edit_card", actor, criteria=len(criteria))
    _set_card(call, criteria)
    return call


@once("evaluation_card")
def reset_evaluation_card(actor, call: Call) -> Call:
    """Put back the default card of art. 15 ust. 1 (draft calls only), replacing whatever was edited."""
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)  # not while the call is being announced
    fire(CALL, call, "edit_card", actor, action="reset_card", criteria=len(DEFAULT_CARD))
    _set_card(call, DEFAULT_CARD)
    return call


@once("formal_criteria")
def set_formal_criteria(actor, call: Call, texts: list[str]) -> Call:
    """Replace the list of formal criteria (draft calls only); blank entries are dropped."""
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)  # not while the call is being announced
    fire(CALL, call, "edit_card", actor, action="edit_formal_criteria", formal_criteria=len(texts))
    _set_formal(call, texts)
    return call


# --- offers: drafting ----------------------------------------------------------------------------------

SECTIONS = ("basic", "applicants", "task", "resources", "costs", "other", "declarations")
DECLARATIONS = {
    "non_profit": _l("zadanie publiczne będzie realizowane wyłącznie w zakresie działalności pożytku "
    "publicznego "
    "oferenta(-tów)"),
    "no_profit": _l("pobieranie świadczeń pieniężnych będzie się odbywać wyłącznie w ramach prowadzonej "
    "odpłatnej "
    "działalności pożytku publicznego"),
    "no_arrears": _l("oferent(-ci) nie zalega(-ją) z opłacaniem należności z tytułu zobowiązań podatkowych ani "
    "składek na ubezpieczenia społeczne"),
    "register": _l("dane zawarte w części II niniejszej oferty są zgodne z Krajowym Rejestrem Sądowym lub "
    "inną właściwą ewidencją"),
    "truthful": _l("wszystkie informacje podane w ofercie oraz załącznikach są zgodne z aktualnym stanem "
    "prawnym "
    "i faktycznym"),
    "personal_data": _l("w zakresie przetwarzania danych osobowych zawartych w ofercie dopełniono obowiązków "
    "wynikających z przepisów o ochronie danych osobowych"),
}


def _require_applicant(actor, offer: Offer) -> None:
    if not is_applicant(actor, offer):
        raise Forbidden(_("Ofertę zmieniają tylko członkowie organizacji, która ją składa."))


@once("offer")
def create_offer(actor, call: Call) -> Offer:
    """An NGO member starts an offer in an announced call (a draft, saved section by section)."""
    if not has_role(actor, "ngo") or actor.organisation_id is None:
        raise Forbidden(_("Oferty składają członkowie organizacji pozarządowych."))
    reason = call.offers_closed_reason(utcnow())
    if reason:
        raise Refused(reason)
    offer = Offer(
        call=call,
        organisation_id=actor.organisation_id,
        state="draft",
        created_by_id=actor.id,
        basic={"task_type": call.task_type},
    )
    db.session.add(offer)
    db.session.flush()
    audit.record(
        actor,
        "offer",
        offer.id,
        "create",
        to_state="draft",
        call_id=call.id,
        organisation_id=actor.organisation_id,
    )
    return offer


def save_offer_section(
    actor, offer: Offer, section: str, data: dict, *, expected_version: int | None = None
) -> Offer:
    """Save one section of an offer: partial content is fine; completeness is checked on submission.

    A draft is edited until the offers deadline; a submitted offer only within an open correction window.
    """
    _require_applicant(actor, offer)
    if section not in SECTIONS:
        raise Refused(_("Nieznana część oferty."), field="section")
    check_version(offer, expected_version)
    transition = "amend" if offer.state == "correction" else "edit_draft"
    fire(OFFER, offer, transition, actor, context=_OfferAt(offer, utcnow()), action="edit", section=section)
    _SECTION_SAVERS[section](offer, data)
    db.session.flush()
    return offer


def _save_basic(offer: Offer, data: dict) -> None:
    offer.basic = {"task_type": _text(data.get("task_type"), "task_type", _("rodzaj zadania"), limit=2000)}


def _save_applicants(offer: Offer, data: dict) -> None:
    applicant = {}
    for key, label, limit in (
        ("contact_name", _("osobę do kontaktu"), 200),
        ("contact_email", _("e-mail"), 254),
        ("contact_phone", _("telefon"), 40),
        ("address", _("adres oferenta"), 1000),
    ):
        applicant[key] = _text(data.get(key), key, label, limit=limit)
    if applicant["contact_email"] and not is_email_address(applicant["contact_email"]):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="contact_email")
    offer.applicant = applicant
    partners = data.get("partners")
    if partners is None:
        return
    cleaned = []
    for i, row in enumerate(partners):
        field = f"partners-{i}"
        org_id = _id(row.get("organisation_id"))
        organisation = db.session.get(Organisation, org_id) if org_id else None
        if org_id is not None and organisation is None:
            raise Refused(_("Partner %(n)s: nie ma takiej organizacji.", n=i + 1), field=field)
        if organisation is not None and organisation.id == offer.organisation_id:
            raise Refused(_("Partner %(n)s: oferent nie może być swoim partnerem.", n=i + 1), field=field)
        name = (
            organisation.name
            if organisation
            else _text(row.get("name"), field, _("nazwę partnera"), limit=300)
        )
        cleaned.append((organisation, name, _text(row.get("role"), field, _("zakres działań partnera"))))
    # Keep partners' ids (cost lines point at them) where the position and organisation stay.
    existing = list(offer.partners)
    for i, (organisation, name, role) in enumerate(cleaned):
        if i < len(existing):
            p = existing[i]
            p.organisation, p.name, p.role = organisation, name, role
        else:
            offer.partners.append(
                OfferPartner(position=i + 1, organisation=organisation, name=name, role=role)
            )
    for p in existing[len(cleaned) :]:
        for line in offer.cost_lines:
            if line.partner_id == p.id:
                line.partner_id = None
        offer.partners.remove(p)


def _save_task(offer: Offer, data: dict) -> None:
    offer.title = _text(data.get("title"), "title", _("tytuł zadania"), limit=500)
    starts = _date(data.get("task_starts"), "task_starts", _("data rozpoczęcia"))
    ends = _date(data.get("task_ends"), "task_ends", _("data zakończenia"))
    if starts and ends and ends < starts:
        raise Refused(
            _("Data zakończenia zadania nie może przypadać przed datą rozpoczęcia."), field="task_ends"
        )
    offer.task_starts, offer.task_ends = starts, ends
    schedule = []
    for i, row in enumerate(data.get("schedule") or []):
        field = f"schedule-{i}"
        a_starts = _date(row.get("starts"), field, _("początek działania"))
        a_ends = _date(row.get("ends"), field, _("koniec działania"))
        if a_starts and a_ends and a_ends < a_starts:
            raise Refused(_("Działanie %(n)s kończy się przed rozpoczęciem.", n=i + 1), field=field)
        schedule.append(
            {
                "name": _text(row.get("name"), field, _("nazwę działania"), limit=500),
                "description": _text(row.get("description"), field, _("opis działania")),
                "starts": a_starts.isoformat() if a_starts else None,
                "ends": a_ends.isoformat() if a_ends else None,
                "partner": _text(row.get("partner"), field, _("realizatora działania"), limit=300),
            }
        )
    offer.task = {
        key: _text(data.get(key), key, label)
        for key, label in (
            ("description", _("opis zadania")),
            ("place", _("miejsce realizacji")),
            ("target_group", _("grupę odbiorców")),
        )
    } | {"schedule": schedule}
    if "results" in data:
        offer.results.clear()
        db.session.flush()
        for i, row in enumerate(data["results"] or []):
            field = f"results-{i}"
            offer.results.append(
                OfferResult(
                    position=i + 1,
                    result=_text(row.get("result"), field, _("nazwę rezultatu"), required=True),
                    target_value=_text(
                        row.get("target_value"),
                        field,
                        _("planowany poziom osiągnięcia"),
                        required=True,
                        limit=200,
                    ),
                    monitoring=_text(row.get("monitoring"), field, _("sposób monitorowania"), required=True),
                )
            )


def _save_resources(offer: Offer, data: dict) -> None:
    offer.resources = {
        key: _text(data.get(key), key, label)
        for key, label in (
            ("staff", _("zasoby kadrowe")),
            ("material", _("zasoby rzeczowe")),
            ("experience", _("doświadczenie w realizacji podobnych zadań")),
        )
    }


def _save_costs(offer: Offer, data: dict) -> None:
    lines = []
    partner_ids = {p.id for p in offer.partners}
    for i, row in enumerate(data.get("cost_lines") or []):
        field = f"cost_lines-{i}"
        category = row.get("category") or "activity"
        if category not in COST_CATEGORIES:
            raise Refused(
                _(
                    "Koszt %(n)s: wybierz rodzaj: koszt realizacji działań albo koszt administracyjny.",
                    n=i + 1,
                ),
                field=field,
            )
        partner_id = _id(row.get("partner_id"))
        if partner_id is not None and partner_id not in partner_ids:
            raise Refused(
                _("Koszt %(n)s: wybierz oferenta, który go ponosi, spośród partnerów oferty.", n=i + 1),
                field=field,
            )
        lines.append(
            OfferCostLine(
                position=i + 1,
                category=category,
                name=_text(row.get("name"), field, _("rodzaj kosztu"), required=True, limit=500),
                unit=_text(row.get("unit"), field, _("rodzaj miary"), required=True, limit=50),
                unit_cost=parse_amount(row.get("unit_cost"), field, _("koszt jednostkowy"), required=True),
                quantity=parse_amount(
                    row.get("quantity"), field, _("liczba jednostek"), required=True, positive=True,
                    below=QUANTITY_BELOW,
                ),
                partner_id=partner_id,
            )
        )
    offer.cost_lines.clear()
    db.session.flush()
    offer.cost_lines.extend(lines)
    for key, label in (
        ("grant_requested", _("wnioskowana kwota dotacji")),
        ("own_financial", _("wkład własny finansowy")),
        ("own_personal", _("wkład osobowy")),
        ("own_material", _("wkład rzeczowy")),
        ("participant_fees", _("świadczenia pieniężne od odbiorców")),
    ):
        setattr(offer, key, parse_amount(data.get(key), key, label) or ZERO)
    if money(offer.grant_requested) > money(offer.call.funds):
        raise Refused(
            _(
                "Wnioskowana dotacja (%(asked)s) przekracza środki przeznaczone na to zadanie w konkursie "
                "(%(funds)s).",
                asked=_pln(offer.grant_requested),
                funds=_pln(offer.call.funds),
            ),
            field="grant_requested",
        )


def _save_other(offer: Offer, data: dict) -> None:
    offer.other = {"text": _text(data.get("text"), "text", _("inne informacje"))}


def _save_declarations(offer: Offer, data: dict) -> None:
    offer.declarations = {key: bool(data.get(key)) for key in DECLARATIONS}


_SECTION_SAVERS = {
    "basic": _save_basic,
    "applicants": _save_applicants,
    "task": _save_task,
    "resources": _save_resources,
    "costs": _save_costs,
    "other": _save_other,
    "declarations": _save_declarations,
}


def offer_missing(offer: Offer) -> list[tuple[str, str, str]]:
    """What an offer lacks to be submitted: (section, field, message), in the order of the template."""
    out: list[tuple[str, str, str]] = []
    call = offer.call
    applicant = offer.applicant or {}
    if not (offer.basic or {}).get("task_type"):
        out.append(("basic", "task_type", _("Wpisz rodzaj zadania publicznego.")))
    for key, message in (
        ("contact_name", _("Wpisz osobę do kontaktu.")),
        ("contact_email", _("Wpisz e-mail do kontaktu.")),
        ("address", _("Wpisz adres oferenta.")),
    ):
        if not applicant.get(key):
            out.append(("applicants", key, message))
    for i, p in enumerate(offer.partners):
        if not p.name or not p.role:
            out.append(
                (
                    "applicants",
                    f"partners-{i}",
                    _("Partner %(n)s: wpisz nazwę i zakres jego działań.", n=i + 1),
                )
            )
    task = offer.task or {}
    if not offer.title:
        out.append(("task", "title", _("Wpisz tytuł zadania.")))
    if not offer.task_starts or not offer.task_ends:
        out.append(("task", "task_starts", _("Podaj daty rozpoczęcia i zakończenia zadania.")))
    elif (call.task_starts and offer.task_starts < call.task_starts) or (
        call.task_ends and offer.task_ends > call.task_ends
    ):
        out.append(
            (
                "task",
                "task_starts",
                _(
                    "Zadanie musi być realizowane w terminie określonym w ogłoszeniu "
                    "(%(starts)s – %(ends)s).",
                    starts=format_day(call.task_starts),
                    ends=format_day(call.task_ends),
                ),
            )
        )
    if not task.get("description"):
        out.append(("task", "description", _("Wpisz opis zadania.")))
    schedule = task.get("schedule") or []
    if not schedule:
        out.append(("task", "schedule", _("Dodaj co najmniej jedno działanie do harmonogramu.")))
    for i, row in enumerate(schedule):
        if not row.get("name") or not row.get("starts") or not row.get("ends"):
            out.append(
                ("task", f"schedule-{i}", _("Działanie %(n)s: wpisz nazwę i termin realizacji.", n=i + 1))
            )
    if not offer.results:
        out.append(("task", "results", _("Dodaj co najmniej jeden zakładany rezultat.")))
    resources = offer.resources or {}
    if not resources.get("staff") and not resources.get("material"):
        out.append(("resources", "staff", _("Opisz zasoby kadrowe lub rzeczowe, które zostaną użyte.")))
    if not offer.cost_lines:
        out.append(("costs", "cost_lines", _("Dodaj co najmniej jedną pozycję kosztorysu.")))
    if money(offer.grant_requested) <= 0:
        out.append(("costs", "grant_requested", _("Podaj wnioskowaną kwotę dotacji.")))
    elif money(offer.grant_requested) > money(call.funds):
        out.append(
            (
                "costs",
                "grant_requested",
                _(
                    "Wnioskowana dotacja przekracza środki przeznaczone na zadanie (%(funds)s).",
                    funds=_pln(call.funds),
                ),
            )
        )
    if offer.cost_lines and offer.total_funding != offer.total_costs:
        out.append(
            (
                "costs",
                "grant_requested",
                _(
                    "Źródła finansowania (%(funding)s) muszą być równe sumie kosztów (%(costs)s).",
                    funding=_pln(offer.total_funding),
                    costs=_pln(offer.total_costs),
                ),
            )
        )
    declarations = offer.declarations or {}
    if not all(declarations.get(k) for k in DECLARATIONS):
        out.append(("declarations", "declarations", _("Zaznacz wszystkie oświadczenia.")))
    return out


def submit_offer(actor, offer: Offer) -> Offer:
    """File the offer: complete, before the deadline (server time; the deadline instant itself is too late).

    Nominees of the call's commission whose organisation filed it (as applicant or partner) are
    excluded from the commission at once (serialised on the call with appoint_member, which refuses them).
    """
    _require_applicant(actor, offer)
    refusal = submit_refusal(actor, offer.organisation)
    if refusal:
        raise Refused(refusal)
    lock_for_update(Call, offer.call_id)
    now = utcnow()
    context = _OfferAt(offer, now)
    # The deadline is the first thing an applicant needs to hear about: check it before completeness.
    if offer.state == "draft" and context.offers_closed_reason():
        raise Refused(context.offers_closed_reason())
    missing = offer_missing(offer)
    if missing:
        _section, field, message = missing[0]
        more = _(" (pozostałe braki: %(n)s)", n=len(missing) - 1) if len(missing) > 1 else ""
        raise Refused(
            _("Oferta nie jest kompletna: %(first)s%(more)s", first=message, more=more), field=field
        )
    fire(
        OFFER,
        offer,
        "submit",
        actor,
        context=context,
        grant_requested=str(offer.grant_requested),
        total_costs=str(offer.total_costs),
    )
    offer.submitted_at = now
    _exclude_nominees(actor, offer, now)
    return offer


def _exclude_nominees(actor, offer: Offer, now: datetime) -> None:
    orgs = offer.organisation_ids
    reason = _("Organizacja członka komisji złożyła ofertę w tym konkursie (%(ref)s).", ref=offer.reference)
    for member in offer.call.members:
        if member.kind == "nominee" and not member.is_excluded and member.user.organisation_id in orgs:
            member.excluded_at, member.exclusion_reason = now, reason
            audit.record(
                actor,
                "call",
                offer.call_id,
                "exclude_member",
                member_id=member.id,
                user_id=member.user_id,
                offer_id=offer.id,
            )


def withdraw_offer(actor, offer: Offer, *, reason: str | None = None) -> Offer:
    _require_applicant(actor, offer)
    reason = _text(reason, "reason", _("powód wycofania oferty"), limit=2000) or None
    fire(OFFER, offer, "withdraw", actor, reason=reason)
    window = offer.open_correction
    if window is not None:
        window.closed_at = utcnow()
    return offer


# --- formal check and corrections ------------------------------------------------------------------------


def record_formal_check(actor, offer: Offer, results: dict[int, tuple[bool, str | None]]) -> Offer:
    """Record, per formal criterion of the call, whether the offer meets it: `results` maps a criterion's id
    to (met, note); a criterion not met needs a note saying what is missing. Criteria left out keep what was
    recorded before (none at first), so the check may be saved in parts; the offer can be accepted formally
    only once every criterion is assessed and met (see accept_offer_formally).

    Serialised on the offer with its formal decision, so that an acceptance never passes over a criterion
    someone is marking as not met at the same moment.
    """
    _require_runner(actor, offer.call)
    offer = lock_for_update(Offer, offer.id)
    known = {c.id: c for c in offer.call.formal_criteria}
    unknown = set(results) - set(known)
    if unknown:
        raise Refused(_("Nieznane kryterium formalne."), field="formal_criteria")
    if not results and known:
        first = offer.call.formal_criteria[0]
        raise Refused(
            _("Oceń kryteria formalne: przy każdym zaznacz „spełnione” albo „niespełnione”."),
            field=f"formal-{first.id}",
        )
    fire(
        OFFER,
        offer,
        "check_formal",
        actor,
        context=_OfferAt(offer, utcnow()),
        action="check_formal",
        unmet=sorted(cid for cid, (met, _n) in results.items() if not met),
    )
    by_criterion = {c.criterion_id: c for c in offer.formal_checks}
    for cid, (met, note) in results.items():
        note = _text(note, f"formal-{cid}", _("uwagę"), limit=2000) or None
        if not met and not note:
            raise Refused(
                _("Opisz brak przy kryterium „%(text)s”.", text=known[cid].text), field=f"formal-{cid}"
            )
        check = by_criterion.get(cid)
        if check is None:
            offer.formal_checks.append(
                FormalCheck(
                    criterion_id=cid, met=bool(met), note=note, checked_by_id=actor.id, checked_at=utcnow()
                )
            )
        else:
            check.met, check.note, check.checked_by_id, check.checked_at = bool(met), note, actor.id, utcnow()
    return offer


def request_correction(actor, offer: Offer, *, deficiencies: str, deadline: datetime) -> CorrectionWindow:
    """Open a correction window: the applicant may amend the offer until `deadline`."""
    _require_runner(actor, offer.call)
    deficiencies = _text(deficiencies, "deficiencies", _("braki formalne do uzupełnienia"), required=True)
    now = utcnow()
    if deadline is None or deadline.tzinfo is None or deadline <= now:
        raise Refused(_("Termin na poprawki musi przypadać w przyszłości."), field="deadline")
    fire(OFFER, offer, "request_correction", actor, deadline=deadline.isoformat(), deficiencies=deficiencies)
    window = CorrectionWindow(
        deficiencies=deficiencies, deadline=deadline, opened_by_id=actor.id, opened_at=now
    )
    offer.corrections.append(window)
    after_commit(db.session, jobs.notify_correction_requested, offer.id)
    return window


def finish_correction(actor, offer: Offer) -> Offer:
    """The applicant says the corrections are done; the offer is frozen again."""
    _require_applicant(actor, offer)
    now = utcnow()
    fire(OFFER, offer, "finish_correction", actor, context=_OfferAt(offer, now))
    offer.open_correction.finished_at = now
    return offer


def _decide_formally(actor, offer: Offer, transition: str, reason: str | None) -> Offer:
    _require_runner(actor, offer.call)
    offer = lock_for_update(Offer, offer.id)
    now = utcnow()
    fire(OFFER, offer, transition, actor, context=_OfferAt(offer, now), reason=reason)
    window = offer.open_correction
    if window is not None:
        window.closed_at = now
    offer.formal_reason = reason
    offer.formally_decided_at = now
    return offer


def accept_offer_formally(actor, offer: Offer) -> Offer:
    """Accept the offer on the formal side (it goes to the commission). Irreversible.

    Refused until every formal criterion of the call has been assessed with record_formal_check and all are
    met: an offer that fails one goes to request_correction or reject_offer_formally instead. Refused too
    while a correction window is open. A script accepting offers that meet everything does:

        record_formal_check(actor, offer, {c.id: (True, None) for c in offer.call.formal_criteria})
        accept_offer_formally(actor, offer)
    """
    return _decide_formally(actor, offer, "accept_formally", None)


def reject_offer_formally(actor, offer: Offer, *, reason: str) -> Offer:
    """Reject the offer on formal grounds, with the reason the applicant will read. Irreversible."""
    reason = _text(reason, "reason", _("powód odrzucenia oferty"), required=True)
    return _decide_formally(actor, offer, "reject_formally", reason)


# --- commission -------------------------------------------------------------------------------------------


@once("commission_member")
def appoint_member(
    actor, call: Call, user: User, *, kind: str, nominating_organisation: Organisation | None = None
) -> CommissionMember:
    """Appoint a member: city staff (unit staff or a coordinator), or a person nominated by NGOs.

    Serialised on the call with the submission of offers: a nominee whose organisation files an offer at the
    same moment is either refused here or excluded by the submission, never appointed unseen.
    """
    call = lock_for_update(Call, call.id)
    if kind not in ("staff", "nominee"):
        raise Refused(
            _("Wybierz, czy członek komisji reprezentuje miasto, czy organizacje pozarządowe."), field="kind"
        )
    if kind == "staff" and not has_role(user, "unit", "coordinator"):
        raise Refused(_("Przedstawicielem miasta może być pracownik komórki albo koordynator."), field="user")
    if kind == "nominee":
        if not has_role(user, "ngo"):
            raise Refused(
                _("Osobę wskazaną przez organizacje wybierz spośród członków organizacji."), field="user"
            )
        nominating_organisation = nominating_organisation or user.organisation
        filed = [
            o
            for o in call.offers
            if o.state not in ("draft", "withdrawn") and user.organisation_id in o.organisation_ids
        ]
        if filed:
            raise Refused(
                _(
                    "Tej osoby nie można powołać: jej organizacja złożyła ofertę w tym konkursie (%(ref)s), "
                    "a w komisji nie zasiadają osoby reprezentujące oferentów (art. 15 ust. 2d ustawy).",
                    ref=filed[0].reference,
                ),
                field="user",
            )
    if membership(user, call) is not None:
        raise Refused(_("Ta osoba jest już członkiem komisji."), field="user")
    fire(
        CALL,
        call,
        "appoint_member",
        actor,
        action="appoint_member",
        user_id=user.id,
        kind=kind,
        nominating_organisation_id=nominating_organisation.id if nominating_organisation else None,
    )
    member = CommissionMember(
        user=user, kind=kind, nominating_organisation=nominating_organisation, appointed_at=utcnow()
    )
    call.members.append(member)
    return member


def dismiss_member(actor, member: CommissionMember, *, reason: str | None = None) -> None:
    """Take a member off the commission: only one who has submitted no score (serialised with their scoring)."""
    member = lock_for_update(CommissionMember, member.id)
    if member is None:
        raise Refused(_("Ta osoba nie jest już członkiem komisji."))
    call = member.call
    if any(
        s.state == "submitted"
        for s in db.session.scalars(db.select(ScoreSheet).where(ScoreSheet.member_id == member.id))
    ):
        raise Refused(_("Członek komisji złożył już oceny; nie można go odwołać."))
    fire(
        CALL,
        call,
        "dismiss_member",
        actor,
        action="dismiss_member",
        user_id=member.user_id,
        reason=(reason or "").strip() or None,
    )
    call.members.remove(member)


def _sitting(actor, offer: Offer) -> CommissionMember:
    """The actor's seat on the offer's commission, locked (lock_for_update) for the rest of the transaction:
    a member's declaration, sheet and submission are made one at a time, so a double click cannot declare
    twice or start two sheets, and a dismissal cannot cross a submission."""
    member = membership(actor, offer.call)
    if member is None:
        raise Forbidden(_("Nie zasiadasz w komisji tego konkursu."))
    member = lock_for_update(CommissionMember, member.id)
    if member is None:
        raise Forbidden(_("Nie zasiadasz w komisji tego konkursu."))
    if member.is_excluded:
        raise Forbidden(
            _("Jesteś wyłączony z prac komisji w tym konkursie: %(reason)s", reason=member.exclusion_reason)
        )
    if offer.call.state != "evaluation":
        raise Refused(_("Komisja ocenia oferty, gdy konkurs jest na etapie oceny."))
    if offer.state != "formally_accepted":
        raise Refused(_("Ocenia się tylko oferty przyjęte pod względem formalnym."))
    return member


@once("conflict_declaration")
def declare_conflict(
    actor, offer: Offer, *, has_conflict: bool, note: str | None = None
) -> ConflictDeclaration:
    """Declare, before scoring, that there is no conflict of interest with the offer (or that there is one,
    which excludes the member from it). A declaration is made once and cannot be taken back."""
    member = _sitting(actor, offer)
    existing = db.session.scalar(
        db.select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.offer_id == offer.id
        )
    )
    if existing is not None:
        raise Refused(_("Oświadczenie dotyczące tej oferty zostało już złożone."))
    note = _text(note, "note", _("okoliczności"), limit=2000) or None
    declaration = ConflictDeclaration(
        member=member, offer=offer, has_conflict=bool(has_conflict), note=note, declared_at=utcnow()
    )
    db.session.add(declaration)
    db.session.flush()
    audit.record(
        actor,
        "offer",
        offer.id,
        "declare_conflict" if has_conflict else "declare_no_conflict",
        member_id=member.id,
    )
    return declaration


def _sheet_for(actor, offer: Offer) -> tuple[CommissionMember, ScoreSheet]:
    member = _sitting(actor, offer)
    declaration = db.session.scalar(
        db.select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.offer_id == offer.id
        )
    )
    if declaration is None:
        raise Refused(
            _("Przed oceną oferty złóż oświadczenie o braku konfliktu interesów."), field="declaration"
        )
    if declaration.has_conflict:
        raise Forbidden(_("Zgłosiłeś konflikt interesów: nie oceniasz tej oferty."))
    sheet = db.session.scalar(
        db.select(ScoreSheet).where(ScoreSheet.member_id == member.id, ScoreSheet.offer_id == offer.id)
    )
    if sheet is None:
        sheet = ScoreSheet(member=member, offer=offer, state="draft")
        db.session.add(sheet)
        db.session.flush()
        audit.record(actor, "score_sheet", sheet.id, "create", to_state="draft", offer_id=offer.id)
    return member, sheet


@once("score_sheet")
def save_scores(
    actor,
    offer: Offer,
    points: dict[int, object],
    *,
    comment: str | None = None,
    expected_version: int | None = None,
) -> ScoreSheet:
    """Save a member's points on the card as a draft (points per criterion id; blanks stay unscored)."""
    _member, sheet = _sheet_for(actor, offer)
    check_version(sheet, expected_version)
    criteria = {c.id: c for c in offer.call.scored_criteria}
    unknown = set(points) - set(criteria)
    if unknown:
        raise Refused(_("Nieznane kryterium karty oceny."), field="points")
    parsed = {}
    for cid, value in points.items():
        c = criteria[cid]
        amount = parse_amount(value, f"points-{cid}", _("liczba punktów"), below=POINTS_BELOW)
        if amount is not None and amount > c.max_points:
            raise Refused(
                _(
                    "Za kryterium „%(title)s” można przyznać najwyżej %(max)s pkt.",
                    title=c.title,
                    max=_points(c.max_points),
                ),
                field=f"points-{cid}",
            )
        parsed[cid] = amount
    fire(SCORE_SHEET, sheet, "save", ActingAs(actor, "member"), offer_id=offer.id)
    by_criterion = {s.criterion_id: s for s in sheet.scores}
    for cid, amount in parsed.items():
        score = by_criterion.get(cid)
        if amount is None:
            if score is not None:
                sheet.scores.remove(score)
        elif score is None:
            sheet.scores.append(Score(criterion_id=cid, points=amount))
        else:
            score.points = amount
    if comment is not None:
        sheet.comment = _text(comment, "comment", _("uzasadnienie oceny")) or None
    return sheet


def scores_missing(sheet: ScoreSheet | None, call: Call) -> list[Criterion]:
    """The criteria of the call's card that the sheet gives no points for yet (all of them without a sheet)."""
    scored = {s.criterion_id for s in sheet.scores} if sheet is not None else set()
    return [c for c in call.scored_criteria if c.id not in scored]


def submit_scores(actor, offer: Offer) -> ScoreSheet:
    """Submit the sheet as a whole: every criterion scored; afterwards it cannot change. Irreversible."""
    _member, sheet = _sheet_for(actor, offer)
    missing = scores_missing(sheet, offer.call)
    if missing:
        raise Refused(
            _("Przyznaj punkty za każde kryterium; brakuje oceny za „%(title)s”.", title=missing[0].title),
            field=f"points-{missing[0].id}",
        )
    fire(SCORE_SHEET, sheet, "submit", ActingAs(actor, "member"), offer_id=offer.id, total=str(sheet.total))
    sheet.submitted_at = utcnow()
    return sheet


# --- decisions and results --------------------------------------------------------------------------------


def _granted_in_call(call_id: int, *, except_offer_id: int | None = None) -> Decimal:
    """The sum of the grants recorded in the call, as committed (read it after lock_for_update on the call)."""
    query = db.select(db.func.coalesce(db.func.sum(Decision.amount), 0)).where(
        Decision.call_id == call_id, Decision.kind == "grant"
    )
    if except_offer_id is not None:
        query = query.where(Decision.offer_id != except_offer_id)
    return money(db.session.scalar(query))


def record_decision(actor, offer: Offer, *, kind: str, amount=None, reason: str | None = None) -> Decision:
    """Record the grant for an offer (not above what it requested) or its refusal with a reason.

    `kind` is "grant" (with `amount`, as typed or a Decimal) or "refusal" (with `reason`); a second call for
    the same offer replaces its decision. Decisions stay hidden from applicants until the results are
    published in bulk.

    Decisions on a call's offers are serialised on the call (lock_for_update): the sum of the other grants is
    read after the lock, so two coordinators granting at once can never together exceed the call's funds.
    """
    _require_runner(actor, offer.call)
    call = lock_for_update(Call, offer.call_id)
    if offer.state != "formally_accepted":
        raise Refused(_("Rozstrzygnięcie zapada tylko dla ofert przyjętych pod względem formalnym."))
    reason = _text(reason, "reason", _("uzasadnienie"), required=(kind == "refusal")) or None
    if kind == "grant":
        amount = parse_amount(amount, "amount", _("kwota dotacji"), required=True, positive=True)
        if amount > money(offer.grant_requested):
            raise Refused(
                _(
                    "Przyznana dotacja (%(amount)s) nie może przekraczać kwoty wnioskowanej w ofercie "
                    "(%(asked)s).",
                    amount=_pln(amount),
                    asked=_pln(offer.grant_requested),
                ),
                field="amount",
            )
        others = _granted_in_call(call.id, except_offer_id=offer.id)
        if others + amount > money(call.funds):
            raise Refused(
                _(
                    "Suma przyznanych dotacji (%(total)s) przekroczyłaby środki konkursu (%(funds)s); "
                    "do rozdysponowania zostało %(left)s.",
                    total=_pln(others + amount),
                    funds=_pln(call.funds),
                    left=_pln(money(call.funds) - others),
                ),
                field="amount",
            )
    elif kind == "refusal":
        amount = None
    else:
        raise Refused(_("Wybierz rozstrzygnięcie: przyznanie dotacji albo odmowa."), field="kind")
    fire(
        CALL,
        call,
        "record_decision",
        actor,
        action="record_decision",
        offer_id=offer.id,
        kind=kind,
        amount=str(amount) if amount is not None else None,
        reason=reason,
    )
    decision = offer.decision
    if decision is None:
        decision = Decision(
            call_id=call.id,
            offer=offer,
            kind=kind,
            amount=amount,
            reason=reason,
            decided_by_id=actor.id,
            decided_at=utcnow(),
        )
        db.session.add(decision)
    else:
        decision.kind, decision.amount, decision.reason = kind, amount, reason
        decision.decided_by_id, decision.decided_at = actor.id, utcnow()
    return decision


def _results_excess_reason(call: Call) -> str | None:
    granted = _granted_in_call(call.id)
    if granted > money(call.funds):
        return _(
            "Nie można ogłosić wyników: suma przyznanych dotacji (%(total)s) przekracza środki konkursu "
            "(%(funds)s) o %(excess)s. Zmień rozstrzygnięcia tak, aby mieściły się w środkach.",
            total=_pln(granted),
            funds=_pln(call.funds),
            excess=_pln(granted - money(call.funds)),
        )
    return None


def publish_results(actor, call: Call) -> Call:
    """Publish every decision at once; schedule the results PDF and the applicants' notices after commit.

    Serialised on the call like the decisions, and the granted total is checked against the call's funds
    once more: results whose grants exceed the funds (however they came about) are refused, naming the
    excess, and nothing is published.
    """
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)
    now = utcnow()
    excess = _results_excess_reason(call)
    if excess:
        raise Refused(excess)
    fire(
        CALL,
        call,
        "publish_results",
        actor,
        context=_CallAt(call, now),
        granted=sum(1 for o in call.offers if o.decision is not None and o.decision.kind == "grant"),
    )
    for offer in call.offers:
        decision = offer.decision
        if offer.state != "formally_accepted" or decision is None:
            continue
        fire(
            OFFER,
            offer,
            "grant" if decision.kind == "grant" else "refuse",
            actor,
            amount=str(decision.amount) if decision.amount is not None else None,
        )
        decision.published, decision.published_at = True, now
    call.results_published_at = now
    after_commit(db.session, jobs.enqueue_results_document, call.id)
    after_commit(db.session, jobs.notify_applicants_of_results, call.id)
    return call


# --- what a confirmation page says before it offers the button -------------------------------------------------


def refused_reason(actor, subject: Call | Offer, transition: str) -> str | None:
    """Why `actor` may not fire `transition` on a call or an offer now, in the words its refusal would use (the
    workflow's guard, or the state); None when they may. Confirmation pages ask this before offering the button,
    so the user reads the problem instead of pressing a button that would be refused."""
    if isinstance(subject, Call):
        workflow, context, what = CALL, _CallAt(subject, utcnow()), _("konkurs")
    else:
        workflow, context, what = OFFER, _OfferAt(subject, utcnow()), _("oferta")
    try:
        workflow.check(transition, subject.state, roles_of(actor), context)
    except TransitionRefused as exc:
        if exc.code == "guard":
            return exc.reason
        if exc.code == "role":
            return _("Nie masz uprawnień do tej czynności.")
        return _(
            "Tej czynności nie można wykonać, gdy %(what)s ma stan „%(state)s”.",
            what=what,
            state=state_label(workflow.name, subject.state),
        )
    if transition == "publish_results":
        return _results_excess_reason(subject)
    return None
