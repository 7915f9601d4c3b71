"""Read-side helpers for programmes: the coordinator's overview and the public programme page."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func
from sqlalchemy.orm import joinedload, selectinload

from consult.extensions import db
from consult.meetings.models import Meeting
from consult.postulates.models import Position, Postulate
from consult.programmes.models import Programme

ANSWERED_STATES = ("answered", "published")
# A draft is the NGO's own business and a withdrawn postulate needs no answer: neither is counted.
FILED_STATES = ("submitted", "assigned", "answered", "published")


@dataclass
class ProgrammeRow:
    programme: Programme
    meetings: int
    postulates: int


@dataclass
class MeetingRow:
    meeting: Meeting
    answered: int
    filed: int


def programmes() -> list[Programme]:
    """Every programme, newest first."""
    return list(db.session.scalars(db.select(Programme).order_by(Programme.year.desc())))


def programmes_overview() -> list[ProgrammeRow]:
    """Every programme, newest first, with how many meetings and filed postulates it has (three queries)."""
    all_programmes = programmes()
    meetings = dict(db.session.execute(
        db.select(Meeting.programme_id, func.count()).group_by(Meeting.programme_id)).all())
    postulates = dict(db.session.execute(
        db.select(Postulate.programme_id, func.count())
        .where(Postulate.state.in_(FILED_STATES)).group_by(Postulate.programme_id)).all())
    return [ProgrammeRow(p, meetings.get(p.id, 0), postulates.get(p.id, 0)) for p in all_programmes]


def answer_counts(meeting_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For each meeting id: (answered, filed) postulates, counted in one grouped query."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        db.select(Postulate.meeting_id,
                  func.sum(case((Postulate.state.in_(ANSWERED_STATES), 1), else_=0)),
                  func.count())
        .where(Postulate.meeting_id.in_(meeting_ids), Postulate.state.in_(FILED_STATES))
        .group_by(Postulate.meeting_id)).all()
    return {meeting_id: (int(answered or 0), int(filed)) for meeting_id, answered, filed in rows}


def programme_meetings(programme: Programme) -> list[MeetingRow]:
    """The meetings of a programme in date order, each with "answered X of Y" (two queries)."""
    meetings = db.session.scalars(
        db.select(Meeting).options(joinedload(Meeting.host_unit))
        .where(Meeting.programme_id == programme.id).order_by(Meeting.date, Meeting.starts, Meeting.id)).all()
    counts = answer_counts([m.id for m in meetings])
    return [MeetingRow(m, *counts.get(m.id, (0, 0))) for m in meetings]


def _published_positions():
    return selectinload(Postulate.positions.and_(Position.status == "published")).joinedload(Position.unit)


def public_programme_meetings(programme: Programme) -> list[Meeting]:
    return db.session.scalars(
        db.select(Meeting).options(joinedload(Meeting.host_unit))
        .where(Meeting.programme_id == programme.id).order_by(Meeting.date, Meeting.starts, Meeting.id)).all()


def published_online_postulates(programme: Programme) -> list[Postulate]:
    """Published postulates an NGO filed online (not at a meeting), with their published positions only."""
    return db.session.scalars(
        db.select(Postulate)
        .options(joinedload(Postulate.organisation), _published_positions())
        .where(Postulate.programme_id == programme.id, Postulate.meeting_id.is_(None),
               Postulate.state == "published")
        .order_by(Postulate.submitted_at, Postulate.id)).all()


# --- the lists with their search, filters and pages -----------------------------------------------------------


def published_online_postulates_page(programme: Programme, *, search: str = "", unit_id: int | None = None,
                                     page: int = 1, size: int | None = None):
    """A page of `published_online_postulates`; `search` looks in the content, the justification and the
    organisation's name, `unit_id` keeps those of one responsible unit."""
    from consult.core.paging import like_any, paginate
    from consult.organisations.models import Organisation
    from consult.postulates.models import public_content_sql, public_justification_sql

    query = (db.select(Postulate).outerjoin(Organisation, Postulate.organisation_id == Organisation.id)
             .options(joinedload(Postulate.organisation), _published_positions())
             .where(Postulate.programme_id == programme.id, Postulate.meeting_id.is_(None),
                    Postulate.state == "published"))
    if search:
        # the public text: a redacted word finds nothing here
        query = query.where(like_any(search, public_content_sql(), public_justification_sql(), Organisation.name))
    if unit_id:
        query = query.where(Postulate.responsible_unit_id == unit_id)
    return paginate(query.order_by(Postulate.submitted_at, Postulate.id), page, size)

CONSULTATION_STATES = ("not_open", "open", "closed")  # as Programme.consultation_state() says


def _programme_filters(query, *, search: str, consultation: str):
    from consult.core.paging import like_any
    from consult.core.types import utcnow

    if search:
        query = query.where(like_any(search, Programme.title, func.cast(Programme.year, db.String)))
    now = utcnow()
    if consultation == "not_open":
        query = query.where(Programme.consultation_opens > now)
    elif consultation == "open":
        query = query.where(Programme.consultation_opens <= now, Programme.consultation_closes > now)
    elif consultation == "closed":
        query = query.where(Programme.consultation_closes <= now)
    return query


def programmes_page(*, search: str = "", consultation: str = "", page: int = 1, size: int | None = None):
    """A page of the programmes, newest first; `consultation` is not_open, open or closed."""
    from consult.core.paging import paginate

    query = _programme_filters(db.select(Programme), search=search, consultation=consultation)
    return paginate(query.order_by(Programme.year.desc(), Programme.id.desc()), page, size)


def programmes_overview_page(*, search: str = "", consultation: str = "", page: int = 1, size: int | None = None):
    """A page of `programmes_page` as ProgrammeRows: with the counts of the page's programmes only
    (three queries plus the count)."""
    page_ = programmes_page(search=search, consultation=consultation, page=page, size=size)
    ids = [p.id for p in page_.items]
    meetings = dict(db.session.execute(
        db.select(Meeting.programme_id, func.count()).where(Meeting.programme_id.in_(ids))
        .group_by(Meeting.programme_id)).all()) if ids else {}
    postulates = dict(db.session.execute(
        db.select(Postulate.programme_id, func.count())
        .where(Postulate.programme_id.in_(ids), Postulate.state.in_(FILED_STATES))
        .group_by(Postulate.programme_id)).all()) if ids else {}
    page_.items = [ProgrammeRow(p, meetings.get(p.id, 0), postulates.get(p.id, 0)) for p in page_.items]
    return page_


def programme_meetings_page(programme: Programme, *, search: str = "", unit_id: int | None = None,
                            state: str = "", page: int = 1, size: int | None = None):
    """A page of the programme's meetings in date order, each with "answered X of Y" (two queries plus the
    count); `search` looks in the title and the place."""
    from consult.core.paging import like_any, paginate

    query = (db.select(Meeting).options(joinedload(Meeting.host_unit))
             .where(Meeting.programme_id == programme.id))
    if search:
        query = query.where(like_any(search, Meeting.title, Meeting.place))
    if unit_id:
        query = query.where(Meeting.host_unit_id == unit_id)
    if state:
        query = query.where(Meeting.state == state)
    page_ = paginate(query.order_by(Meeting.date, Meeting.starts, Meeting.id), page, size)
    counts = answer_counts([m.id for m in page_.items])
    page_.items = [MeetingRow(m, *counts.get(m.id, (0, 0))) for m in page_.items]
    return page_
