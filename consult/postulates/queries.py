"""Read-side helpers of the postulates domain: the lists with their filters and pages, what a user sees
of a postulate (positions, audit trail) and which actions the page offers. Nothing here changes data.

Every list loads what its template shows in the same few queries, so templates do no N+1.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask import abort
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import exists
from sqlalchemy.orm import aliased, joinedload, selectinload

from consult.core.access import can_act_for_unit, can_change_as_submitter, has_role, is_staff_of, roles_of
from consult.core.audit import trail
from consult.core.input import id_value
from consult.core.operations import action_label, state_label
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.i18n import format_day
from consult.meetings.models import Meeting
from consult.organisations.models import Organisation, Unit
from consult.organisations.queries import units  # noqa: F401  (lists for the forms)
from consult.postulates.models import (
    POSITION_CATEGORIES,
    POSITION_CATEGORY_LABELS,
    Assignment,
    Position,
    Postulate,
    postulate_reference,
    public_submitter_label,
    submitter_label,
)
from consult.programme_text.models import with_parents
from consult.programmes.models import Programme
from consult.programmes.queries import programmes  # noqa: F401
from workflows import POSTULATE, TransitionRefused

# What a postulate's page and the other lists of ORM objects show: the programme (for the reference), the
# submitter, the unit, the meeting (each one row per postulate: joined into the page's own query), and the positions
# with their units (one more query for the whole page), whatever the number of rows. (The lists of the register and
# the queue read plain rows instead: _listed, below.)
_ROW_LOADING = (
    joinedload(Postulate.programme), joinedload(Postulate.organisation),
    joinedload(Postulate.responsible_unit), joinedload(Postulate.meeting),
    selectinload(Postulate.positions).joinedload(Position.unit),
)
# An export's row also says which provision of the programme's text the postulate concerns.
_EXPORT_LOADING = _ROW_LOADING + (with_parents(Postulate.provision),)


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _paginate(query, page: int, size: int, **reading) -> Page:
    """A page of `query`'s postulates as list rows (`reading`: what _listed reads besides the columns)."""
    # Count the ids only (no ordering, no loading): on PostgreSQL an index answers it.
    total = db.session.scalar(db.select(db.func.count()).select_from(
        query.order_by(None).with_only_columns(Postulate.id).subquery()))
    number = min(max(1, page), max(1, math.ceil(total / size)))
    return Page(items=_listed(query.limit(size).offset((number - 1) * size), **reading), number=number, size=size,
                total=total)


# --- the rows of the lists: what a row shows, read as plain columns ------------------------------------------
# A page of the public register, a unit's queue or the coordinators' register shows fifty postulates with their
# programme's year, submitter, unit, meeting and positions. Loading them as ORM objects (seven kinds, with every
# column and each timestamp converted) was the largest part of a page's CPU; a list reads the columns it shows
# into the small records below instead, in two queries (the rows joined, then the page's positions), plus the
# count. The records answer the same names as Postulate (reference, submitter_label, public_text, meeting.date,
# published_positions...), so the templates read either; a page that changes a postulate loads the model.

class ListedUnit(NamedTuple):
    id: int
    name: str
    code: str | None


class ListedMeeting(NamedTuple):
    id: int
    title: str
    date: date


class ListedPosition(NamedTuple):
    unit_id: int
    category: str
    status: str
    unit: ListedUnit


@dataclass(slots=True)
class ListedPostulate:
    id: int
    programme_id: int
    year: int
    state: str
    number: int | None
    submitter_kind: str
    organisation_id: int | None
    organisation_name: str | None
    submitter_name: str | None
    submitter_private: bool
    name_consent: bool
    content: str
    public_content: str | None
    responsible_unit_id: int | None
    meeting_id: int | None
    meeting: ListedMeeting | None
    responsible_unit: ListedUnit | None
    positions: list[ListedPosition] | None  # None in a list that shows no positions (a unit's queue)
    due_on: date | None = None  # in a unit's queue: the due date of the assignment in force, if it is the unit's

    @property
    def reference(self) -> str:
        return postulate_reference(self.year, self.id)

    @property
    def submitter_label(self) -> str:
        return submitter_label(self.submitter_kind, self.organisation_name, self.submitter_name)

    @property
    def public_submitter_label(self) -> str:
        return public_submitter_label(self.submitter_kind, self.organisation_name, self.submitter_name,
                                      self.submitter_private, self.name_consent)

    @property
    def public_text(self) -> str:
        from consult.postulates.redaction import shown_marks

        return shown_marks(self.public_content) if self.public_content is not None else self.content

    @property
    def published_positions(self) -> list[ListedPosition]:
        return [p for p in self.positions if p.status == "published"]


# Aliases, since the filters may have joined the same tables already; made once (an alias copies its columns).
_PROGRAMME, _ORGANISATION, _UNIT, _MEETING = (aliased(Programme, name="listed_programme"),
                                              aliased(Organisation, name="listed_organisation"),
                                              aliased(Unit, name="listed_unit"), aliased(Meeting, name="listed_meeting"))


def _listed(query, *, positions: bool = True, due_on: bool = False) -> list[ListedPostulate]:
    """The postulates `query` (a select of Postulate, filtered, ordered, limited) selects, as list rows; with their
    positions (one more query) unless `positions` is false, with the due date of their responsible unit's
    assignment in force if `due_on` (in the same query: at most one assignment is in force)."""
    programme, organisation, unit, meeting = _PROGRAMME, _ORGANISATION, _UNIT, _MEETING
    due = [db.select(Assignment.due_on).where(
        Assignment.postulate_id == Postulate.id, Assignment.ended_at.is_(None),
        Assignment.unit_id == Postulate.responsible_unit_id).scalar_subquery()] if due_on else []
    rows = db.session.execute(query.with_only_columns(
        Postulate.id, Postulate.programme_id, programme.year, Postulate.state, Postulate.number,
        Postulate.submitter_kind, Postulate.organisation_id, organisation.name, Postulate.submitter_name,
        Postulate.submitter_private, Postulate.name_consent, Postulate.content, Postulate.public_content,
        Postulate.responsible_unit_id, Postulate.meeting_id, meeting.title, meeting.date, unit.name, unit.code, *due,
    ).join(programme, programme.id == Postulate.programme_id)
        .outerjoin(organisation, organisation.id == Postulate.organisation_id)
        .outerjoin(unit, unit.id == Postulate.responsible_unit_id)
        .outerjoin(meeting, meeting.id == Postulate.meeting_id)).all()
    if not rows:
        return []
    listed_positions: dict[int, list[ListedPosition]] = {}
    if positions:
        for postulate_id, unit_id, category, status, name, code in db.session.execute(
                db.select(Position.postulate_id, Position.unit_id, Position.category, Position.status, Unit.name,
                          Unit.code).outerjoin(Unit, Unit.id == Position.unit_id)
                .where(Position.postulate_id.in_([r[0] for r in rows])).order_by(Position.id)):
            listed_positions.setdefault(postulate_id, []).append(
                ListedPosition(unit_id, category, status, ListedUnit(unit_id, name, code)))
    return [ListedPostulate(
        id=r[0], programme_id=r[1], year=r[2], state=r[3], number=r[4], submitter_kind=r[5], organisation_id=r[6],
        organisation_name=r[7], submitter_name=r[8], submitter_private=r[9], name_consent=r[10], content=r[11],
        public_content=r[12], responsible_unit_id=r[13], meeting_id=r[14],
        meeting=ListedMeeting(r[14], r[15], r[16]) if r[14] is not None else None,
        responsible_unit=ListedUnit(r[13], r[17], r[18]) if r[13] is not None else None,
        positions=listed_positions.get(r[0], []) if positions else None,
        due_on=r[19] if due_on else None) for r in rows]


def get_postulate(postulate_id: int) -> Postulate:
    """The postulate with what its page shows, or 404."""
    postulate = db.session.scalar(
        db.select(Postulate).where(Postulate.id == postulate_id).options(*_ROW_LOADING))
    if postulate is None:
        abort(404)
    return postulate


def meetings() -> list[Meeting]:
    return list(db.session.scalars(db.select(Meeting).order_by(Meeting.date.desc(), Meeting.id)))


# The choices of the lists' filters: the few columns an option shows (id, name, date), not whole rows.

def meeting_choices() -> list:
    return list(db.session.execute(
        db.select(Meeting.id, Meeting.title, Meeting.date).order_by(Meeting.date.desc(), Meeting.id)))


def programme_choices() -> list:
    return list(db.session.execute(db.select(Programme.id, Programme.title).order_by(Programme.year.desc())))


def unit_choices() -> list:
    from consult.organisations.models import Unit

    return list(db.session.execute(db.select(Unit.id, Unit.name).order_by(Unit.name)))


def open_programmes() -> list[Programme]:
    now = utcnow()
    return list(db.session.scalars(db.select(Programme).where(
        Programme.consultation_opens <= now, Programme.consultation_closes > now,
    ).order_by(Programme.year.desc())))


def state_counts(*, unit_id: int | None = None, organisation_id: int | None = None) -> dict[str, int]:
    """How many postulates are in each state: a unit's, an organisation's (drafts included) or all filed ones.
    The home page uses it to tell each user what waits for them."""
    query = db.select(Postulate.state, db.func.count()).group_by(Postulate.state)
    if unit_id is not None:
        query = query.where(Postulate.responsible_unit_id == unit_id)
    if organisation_id is not None:
        query = query.where(Postulate.organisation_id == organisation_id)
    else:
        query = query.where(Postulate.submitted_at.is_not(None))  # filed: not drafts, nor drafts withdrawn
    return {state: count for state, count in db.session.execute(query)}


# --- the lists -------------------------------------------------------------------------------------

def organisation_postulates(organisation_id: int) -> list[Postulate]:
    """Everything an organisation filed, in every programme, newest first."""
    return list(db.session.scalars(
        db.select(Postulate).join(Programme)
        .where(Postulate.organisation_id == organisation_id)
        .order_by(Programme.year.desc(), Postulate.id.desc())
        .options(*_ROW_LOADING)))


def organisation_postulates_page(organisation_id: int, *, search: str = "", state: str = "",
                                 programme_id: int | None = None, page: int = 1, size: int | None = None):
    """A page of `organisation_postulates`; `search` looks in the content and the justification."""
    from consult.core.paging import like_any, paginate

    query = (db.select(Postulate).join(Programme).where(Postulate.organisation_id == organisation_id)
             .options(*_ROW_LOADING))
    if search:
        query = query.where(like_any(search, Postulate.content, Postulate.justification))
    if state:
        query = query.where(Postulate.state == state)
    if programme_id:
        query = query.where(Postulate.programme_id == programme_id)
    return paginate(query.order_by(Programme.year.desc(), Postulate.id.desc()), page, size)


def unit_queue(unit_id: int, *, state: str = "all", programme_id: int | None = None,
               meeting_id: int | None = None, text: str | None = None, page: int = 1, size: int = 50) -> Page:
    """The postulates a unit is responsible for, the ones waiting for its position first; `text` looks in
    the content and the submitter's name. The rows carry their due dates, not their positions (the queue shows
    the state, and each row links to its position)."""
    query = db.select(Postulate).where(Postulate.responsible_unit_id == unit_id)
    if state in ("assigned", "answered", "published"):
        query = query.where(Postulate.state == state)
    query = _text_filter(query, text)
    query = _common_filters(query, programme_id, meeting_id)
    order = db.case({"assigned": 0, "answered": 1}, value=Postulate.state, else_=2)
    return _paginate(query.order_by(order, Postulate.id), page, size, positions=False, due_on=True)


REGISTER_STATES = ("submitted", "assigned", "answered", "published", "withdrawn")


def register_query(*, state: str | None = None, programme_id: int | None = None,
                   meeting_id: int | None = None, unit_id: int | None = None, submitter: str | None = None):
    """Every postulate filed, for coordinators, newest first: what the register's screen pages through and
    what its exports write. Drafts are not filed yet: they stay the organisation's own. `submitter` (the
    search box, named so since it looked in the submitter only) looks in the content and the submitter's name."""
    query = db.select(Postulate).where(Postulate.submitted_at.is_not(None))  # a draft withdrawn was never filed
    if state in REGISTER_STATES:
        query = query.where(Postulate.state == state)
    if unit_id:
        query = query.where(Postulate.responsible_unit_id == unit_id)
    query = _text_filter(query, submitter)
    query = _common_filters(query, programme_id, meeting_id)
    return query.order_by(Postulate.id.desc())


def register(*, page: int = 1, size: int = 50, **filters) -> Page:
    return _paginate(register_query(**filters), page, size)


def public_register_query(*, programme_id: int | None = None, meeting_id: int | None = None,
                          unit_id: int | None = None, category: str | None = None, text: str | None = None):
    """The published postulates, newest first, for everyone: what the public register's screen pages through
    and what its exports write. `category` keeps those with a published position of that category; `text`
    looks in the content and the submitter's name."""
    query = db.select(Postulate).where(Postulate.state == "published")
    if unit_id:
        query = query.where(Postulate.responsible_unit_id == unit_id)
    if category in POSITION_CATEGORIES:
        query = query.where(exists().where(Position.postulate_id == Postulate.id,
                                           Position.status == "published", Position.category == category))
    query = _text_filter(query, text, public=True)
    query = _common_filters(query, programme_id, meeting_id)
    return query.order_by(Postulate.id.desc())


def public_register(*, page: int = 1, size: int = 50, **filters) -> Page:
    return _paginate(public_register_query(**filters), page, size)


def _text_filter(query, text: str | None, *, public: bool = False):
    """The search box of every list of postulates: the term in the content, the organisation's name or the
    name of the person who filed it at a meeting (case-insensitive, Polish letters too, wildcards literal).
    A `public` list looks in the public text: a redacted word finds nothing there."""
    from consult.core.paging import like_any
    from consult.postulates.models import public_content_sql, public_submitter_sql

    if text and text.strip():
        content = public_content_sql() if public else Postulate.content
        name = public_submitter_sql() if public else Postulate.submitter_name
        query = query.outerjoin(Organisation, Postulate.organisation_id == Organisation.id).where(
            like_any(text.strip()[:200], content, Organisation.name, name))
    return query


def rows_in_chunks(query, chunk: int = 500):
    """The postulates `query` selects, in its order, with what a row shows, loaded `chunk` at a time: an
    export of the whole register holds one chunk in memory, not the register. The ids come first (one
    narrow query); each chunk is then loaded by id with the same eager loading as a page."""
    ids = list(db.session.scalars(query.with_only_columns(Postulate.id)))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        loaded = {p.id: p for p in db.session.scalars(
            db.select(Postulate).where(Postulate.id.in_(part)).options(*_EXPORT_LOADING)).unique()}
        for postulate_id in part:
            if postulate_id in loaded:
                yield loaded[postulate_id]


def _common_filters(query, programme_id, meeting_id):
    if programme_id:
        query = query.where(Postulate.programme_id == programme_id)
    if meeting_id:
        query = query.where(Postulate.meeting_id == meeting_id)
    return query


def postulates_by_ids(ids) -> list[Postulate]:
    wanted = {id_value(i) for i in ids} - {None}
    if not wanted:
        return []
    return list(db.session.scalars(
        db.select(Postulate).where(Postulate.id.in_(wanted)).order_by(Postulate.id).options(*_ROW_LOADING)))


# --- one postulate -----------------------------------------------------------------------------------

def visible_positions(user, postulate: Postulate) -> list[Position]:
    """Published positions are for everyone; drafts only for coordinators and the units concerned."""
    if has_role(user, "coordinator"):
        return list(postulate.positions)
    return [p for p in postulate.positions
            if p.status == "published"
            or is_staff_of(user, postulate.responsible_unit_id) or is_staff_of(user, p.unit_id)]


def edit_blocked_reason(user, postulate: Postulate) -> str | None:
    """Why `user`, who may change this postulate in principle, cannot change it now (None: they can)."""
    if has_role(user, "coordinator"):
        transition = "correct"
    else:
        transition = "edit_draft" if postulate.state == "draft" else "edit"
    return _refusal(transition, user, postulate)


def withdraw_blocked_reason(user, postulate: Postulate) -> str | None:
    return _refusal("withdraw", user, postulate)


def due_date_blocked_reason(user, postulate: Postulate) -> str | None:
    return _refusal("set_due_date", user, postulate)


def _refusal(transition: str, user, postulate: Postulate) -> str | None:
    try:
        POSTULATE.check(transition, postulate.state, roles_of(user), postulate)
    except TransitionRefused as exc:
        if exc.code == "guard":
            return exc.reason
        return _("Tej czynności nie można wykonać, gdy postulat ma stan „%(state)s”.",
                 state=state_label("postulate", postulate.state))
    return None


@dataclass(frozen=True)
class Action:
    endpoint: str
    label: str
    method: str = "GET"  # GET: a link to a form; POST: a button that acts at once
    style: str = ""


_ACTIONS = {
    "edit_draft": Action("postulates.edit", _l("Zmień treść")),
    "edit": Action("postulates.edit", _l("Zmień treść")),
    "correct": Action("postulates.edit", _l("Popraw treść")),
    "submit": Action("postulates.submit", _l("Złóż postulat"), "POST"),
    "withdraw": Action("postulates.withdraw", _l("Wycofaj postulat"), style="button-warning"),
    "assign": Action("postulates.assign", _l("Przypisz komórce")),
    "forward": Action("postulates.forward", _l("Przekaż innej komórce")),
    "set_due_date": Action("postulates.due_date", _l("Zmień termin stanowiska")),
    "answer": Action("postulates.position", _l("Zapisz stanowisko")),
    "revise_position": Action("postulates.position", _l("Zmień stanowisko")),
    "publish": Action("postulates.publish", _l("Opublikuj stanowisko")),  # a confirmation page first
}
_SUBMITTER_TRANSITIONS = {"edit_draft", "edit", "submit", "withdraw"}
_UNIT_TRANSITIONS = {"answer", "revise_position", "publish"}


def actions_for(user, postulate: Postulate) -> list[Action]:
    """The buttons the postulate's page offers `user` now: what the workflow allows their role in this
    state, narrowed by ownership (their organisation's postulate, their unit's postulate)."""
    out: list[Action] = []
    for t in POSTULATE.allowed(postulate.state, roles_of(user), postulate):
        action = _ACTIONS.get(t.name)
        if action is None:
            continue
        if t.name in _SUBMITTER_TRANSITIONS and not can_change_as_submitter(user, postulate):
            continue
        if t.name in _UNIT_TRANSITIONS and not can_act_for_unit(user, postulate):
            continue
        if (t.name == "revise_position" and has_role(user, "unit")
                and not _has_draft_of(postulate, user.unit_id)):
            continue
        if action not in out:
            out.append(action)
    return out


def _has_draft_of(postulate: Postulate, unit_id: int | None) -> bool:
    position = postulate.position_of(unit_id) if unit_id else None
    return position is None or position.status == "draft"


# --- the audit trail ---------------------------------------------------------------------------------

_DETAIL_LABELS = {
    "unit": _l("komórka"), "from_unit": _l("poprzednia komórka"), "note": _l("uwaga"), "reason": _l("powód"),
    "category": _l("rodzaj stanowiska"), "changed": _l("zmienione pola"),
    "positions": _l("stanowiska komórek"),
    "organisation": _l("organizacja"), "number": _l("Lp."), "submitter": _l("zgłaszający"),
    "due_on": _l("termin stanowiska"), "from_due_on": _l("poprzedni termin"), "filename": _l("plik"),
    "words": _l("ukryte słowa"),
}
_HIDDEN_DETAILS = {"unit_id", "meeting_id", "attachment_id", "size", "sha256"}
_DATE_DETAILS = {"due_on", "from_due_on"}  # ISO dates in the log, shown as the reader's language writes them
_FIELD_LABELS = {"content": _l("treść"), "justification": _l("uzasadnienie")}


@dataclass
class TrailRow:
    when: object
    actor: str
    action: str
    from_state: str
    to_state: str
    details: list


def audit_trail(postulate: Postulate) -> list[TrailRow]:
    """The postulate's audit trail in words: when (Warsaw time), who, what, from which state to which."""
    rows = []
    for event in trail("postulate", postulate.id):
        details = []
        for key, value in (event.details or {}).items():
            if key in _HIDDEN_DETAILS or value in (None, "", []):
                continue
            if key == "category":
                value = POSITION_CATEGORY_LABELS.get(value, value)
            elif key in _DATE_DETAILS:
                value = format_day(date.fromisoformat(value))
            elif key == "changed":
                value = ", ".join(str(_FIELD_LABELS.get(v, v)) for v in value)
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            details.append((_DETAIL_LABELS.get(key, key), value))
        rows.append(TrailRow(
            when=to_warsaw(event.occurred_at),
            actor=event.actor.name if event.actor is not None else _("system"),
            action=action_label("postulate", event.action),
            from_state=state_label("postulate", event.from_state),
            to_state=state_label("postulate", event.to_state),
            details=details,
        ))
    return rows


# --- year to year: postulates carried into the next year's consultation --------------------------------

# A postulate whose final position is one of these waits on something (the budget, an analysis): the coordinator
# may carry it into the next year's consultation.
CARRIED_CATEGORIES = ("budget_dependent", "under_analysis")


def final_position(postulate) -> Position | None:
    """The position last published on a postulate: what the city finally said."""
    published = [p for p in postulate.positions if p.status == "published"]
    return max(published, key=lambda p: (p.published_at, p.id)) if published else None


def previous_programme(programme) -> Programme | None:
    """The programme of the nearest earlier year: "last year" for the one given."""
    return db.session.scalar(db.select(Programme).where(Programme.year < programme.year)
                             .order_by(Programme.year.desc()).limit(1))


@dataclass
class CarryCandidate:
    postulate: Postulate
    position: Position
    carried_into: Postulate | None


def carry_candidates(programme) -> tuple[Programme | None, list[CarryCandidate]]:
    """Last year's published postulates whose final position is "budget dependent" or "under analysis", each
    with that position and the postulate it was carried into (None while it was not)."""
    previous = previous_programme(programme)
    if previous is None:
        return None, []
    rows = db.session.scalars(
        db.select(Postulate).where(
            Postulate.programme_id == previous.id, Postulate.state == "published",
            exists().where(Position.postulate_id == Postulate.id, Position.status == "published",
                           Position.category.in_(CARRIED_CATEGORIES)))
        .options(joinedload(Postulate.programme), joinedload(Postulate.organisation),
                 selectinload(Postulate.positions).joinedload(Position.unit))
        .order_by(Postulate.id)).unique().all()
    finals = [(p, final_position(p)) for p in rows]
    finals = [(p, pos) for p, pos in finals if pos is not None and pos.category in CARRIED_CATEGORIES]
    into = carried_into([p.id for p, _pos in finals])
    return previous, [CarryCandidate(p, pos, into.get(p.id)) for p, pos in finals]


def carried_into(postulate_ids: list[int]) -> dict[int, Postulate]:
    """The postulates of a later consultation that carry each of these on, by the id of the one carried."""
    if not postulate_ids:
        return {}
    return {p.carried_from_id: p for p in db.session.scalars(
        db.select(Postulate).where(Postulate.carried_from_id.in_(postulate_ids))
        .options(joinedload(Postulate.programme)))}
