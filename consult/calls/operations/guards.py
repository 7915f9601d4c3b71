"""What the call and offer workflows' guards ask at one instant: the 21-day rule of art. 13 ust. 1, the
grounds for cancelling a call (art. 18a), the formal check's gaps, a correction window.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.calls.models import Call, FormalCheck, FormalCriterion, Offer
from consult.calls.operations._common import _when
from consult.core.types import to_warsaw, warsaw_to_utc
from consult.i18n import format_day

MIN_OFFER_DAYS = 21


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
