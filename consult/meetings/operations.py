"""Every state change of a sector meeting: planning it, recording who attended, marking it held."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.operations import check_version, fire
from consult.core.submissions import once
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.meetings.models import Meeting, MeetingAttendance, MeetingMaterial, MeetingOfficial, MeetingPerson
from consult.organisations.models import Organisation, Unit
from consult.programmes.models import Programme
from workflows import MEETING


@dataclass
class MeetingDetails:
    host_unit: Unit
    title: str
    date: date
    starts: time
    ends: time
    place: str
    scope: str = ""
    introduction: str = ""


def _validated(d: MeetingDetails) -> MeetingDetails:
    for field, value, label, limit in (("title", d.title, _("tytuł spotkania"), 500),
                                       ("place", d.place, _("miejsce spotkania"), 500)):
        if not (value or "").strip():
            raise Refused(_("Wpisz %(label)s.", label=label), field=field)
        if len(value) > limit:
            raise Refused(_("Pole „%(label)s” może mieć najwyżej %(n)s znaków.", label=label, n=limit), field=field)
    if d.host_unit is None:
        raise Refused(_("Wybierz komórkę, która prowadzi spotkanie."), field="host_unit")
    if d.date is None:
        raise Refused(_("Podaj datę spotkania."), field="date")
    if d.starts is None or d.ends is None:
        raise Refused(_("Podaj godzinę rozpoczęcia i zakończenia."), field="starts")
    if d.ends <= d.starts:
        raise Refused(_("Spotkanie musi kończyć się później, niż się zaczyna."), field="ends")
    d.title, d.place = d.title.strip(), d.place.strip()
    d.scope, d.introduction = (d.scope or "").strip(), (d.introduction or "").strip()
    return d


def _require_coordinator(actor) -> None:
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Spotkaniami zarządzają koordynatorzy."))


@once("meeting")
def create_meeting(actor, programme: Programme, details: MeetingDetails) -> Meeting:
    from consult.organisations.operations import require_active_unit

    _require_coordinator(actor)
    d = _validated(details)
    require_active_unit(d.host_unit, "host_unit")
    meeting = Meeting(programme=programme, host_unit=d.host_unit, title=d.title, date=d.date, starts=d.starts,
                      ends=d.ends, place=d.place, scope=d.scope, introduction=d.introduction, state="planned")
    db.session.add(meeting)
    db.session.flush()
    audit.record(actor, "meeting", meeting.id, "create", to_state="planned", title=d.title,
                 date=d.date.isoformat(), programme_id=programme.id)
    return meeting


def today_in_krakow() -> date:
    return to_warsaw(utcnow()).date()


class _MeetingOn:
    """A meeting as the guards of its workflow see it on a day (Kraków's)."""

    def __init__(self, meeting: Meeting, today: date):
        self.meeting, self.today = meeting, today

    def not_held_yet_reason(self) -> str | None:
        if self.meeting.date is not None and self.meeting.date > self.today:
            from consult.i18n import format_day

            return _("Spotkanie jest zaplanowane na %(date)s: można je oznaczyć jako odbyte od tego dnia.",
                     date=format_day(self.meeting.date))
        return None


def update_meeting(actor, meeting: Meeting, details: MeetingDetails, *, expected_version: int | None = None) -> Meeting:
    _require_coordinator(actor)
    check_version(meeting, expected_version)
    d = _validated(details)
    if meeting.state != "planned" and d.date > today_in_krakow():
        raise Refused(_("Spotkanie już się odbyło, więc jego data nie może być późniejsza niż dzisiejsza."),
                      field="date")
    if d.host_unit is not None and d.host_unit.id != meeting.host_unit_id:
        from consult.organisations.operations import require_active_unit

        require_active_unit(d.host_unit, "host_unit")
    fire(MEETING, meeting, "edit", actor, title=d.title, date=d.date.isoformat())
    meeting.host_unit, meeting.title, meeting.date = d.host_unit, d.title, d.date
    meeting.starts, meeting.ends, meeting.place = d.starts, d.ends, d.place
    meeting.scope, meeting.introduction = d.scope, d.introduction
    return meeting


def record_attendance(actor, meeting: Meeting, *, organisations: list[Organisation],
                      officials: list[tuple[str, str | None]], participants_count: int | None = None,
                      materials: list[str] | None = None, persons: list[tuple[str, bool]] | None = None,
                      expected_version: int | None = None) -> Meeting:
    """Replace the lists of who attended and what was presented, in the order given.

    `persons` are the private persons present (name, whether they consented to its publication); None keeps
    those recorded. A consent already recorded for the same name keeps who recorded it and when; a new one is
    recorded as the actor's, now."""
    _require_coordinator(actor)
    check_version(meeting, expected_version)
    if participants_count is not None and participants_count < 0:
        raise Refused(_("Liczba uczestników nie może być ujemna."), field="participants_count")
    seen: set[int] = set()
    for org in organisations:
        if org.id in seen:
            raise Refused(_("Organizacja „%(name)s” jest na liście dwa razy.", name=org.name), field="organisations")
        seen.add(org.id)
    cleaned_officials = []
    for function, name in officials:
        function, name = (function or "").strip(), (name or "").strip() or None
        if not function:
            raise Refused(_("Każda osoba z urzędu musi mieć wpisaną funkcję."), field="officials")
        cleaned_officials.append((function, name))
    cleaned_materials = [m.strip() for m in (materials or []) if m and m.strip()]
    cleaned_persons = None
    if persons is not None:
        cleaned_persons, seen_names = [], set()
        for name, consent in persons:
            name = " ".join((name or "").split())
            if not name and consent:
                raise Refused(_("Zaznaczono zgodę na publikację przy osobie prywatnej bez imienia i nazwiska: "
                                "wpisz je albo odznacz zgodę."), field="persons")
            if not name:
                continue
            if len(name) > 200:
                raise Refused(_("Imię i nazwisko osoby prywatnej może mieć najwyżej 200 znaków."), field="persons")
            if name.casefold() in seen_names:
                raise Refused(_("Osoba „%(name)s” jest na liście dwa razy.", name=name), field="persons")
            seen_names.add(name.casefold())
            cleaned_persons.append((name, bool(consent)))
    details: dict = {}
    # who recorded each consent and when, read before the old rows go
    consents = {p.name.casefold(): (p.name, p.consent_recorded_by_id, p.consent_recorded_at)
                for p in meeting.persons if p.name_consent}
    if cleaned_persons is not None:
        # the audit names those whose consent is recorded now (their names become public), not the others
        details = {"persons": len(cleaned_persons),
                   "consent_recorded": [n for n, c in cleaned_persons if c and n.casefold() not in consents],
                   "consent_withdrawn": [earlier[0] for key, earlier in consents.items()
                                         if key not in {n.casefold() for n, c in cleaned_persons if c}]}
    fire(MEETING, meeting, "record_attendance", actor, organisations=[o.name for o in organisations],
         officials=len(cleaned_officials), participants_count=participants_count, **details)
    # Old rows go first: the same organisation listed again would otherwise clash with its old row
    # (unique per meeting), as the new rows are inserted before the orphans are deleted.
    meeting.attendance.clear()
    meeting.officials.clear()
    meeting.materials.clear()
    if cleaned_persons is not None:
        meeting.persons.clear()
    db.session.flush()
    if cleaned_persons is not None:
        meeting.persons = [_person(actor, name, consent, consents.get(name.casefold()), i)
                           for i, (name, consent) in enumerate(cleaned_persons, 1)]
    meeting.attendance = [MeetingAttendance(organisation=o, position=i) for i, o in enumerate(organisations, 1)]
    meeting.officials = [MeetingOfficial(function=f, name=n, position=i)
                         for i, (f, n) in enumerate(cleaned_officials, 1)]
    meeting.materials = [MeetingMaterial(text=t, position=i) for i, t in enumerate(cleaned_materials, 1)]
    meeting.participants_count = participants_count
    return meeting


def _person(actor, name: str, consent: bool, earlier: tuple | None, position: int) -> MeetingPerson:
    if not consent:
        return MeetingPerson(name=name, name_consent=False, position=position)
    if earlier is not None:  # the consent recorded before stands: who recorded it and when
        return MeetingPerson(name=name, name_consent=True, position=position,
                             consent_recorded_by_id=earlier[1], consent_recorded_at=earlier[2])
    return MeetingPerson(name=name, name_consent=True, position=position,
                         consent_recorded_by_id=getattr(actor, "id", None), consent_recorded_at=utcnow())


def held_refused_reason(meeting: Meeting) -> str | None:
    """Why the meeting cannot be marked held today (its day has not come), or None: what its page tells."""
    return _MeetingOn(meeting, today_in_krakow()).not_held_yet_reason()


def mark_meeting_held(actor, meeting: Meeting) -> Meeting:
    """Record that the meeting took place: on its day at the earliest (Kraków's date)."""
    fire(MEETING, meeting, "mark_held", actor, context=_MeetingOn(meeting, today_in_krakow()))
    return meeting
