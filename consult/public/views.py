"""Public pages: anyone may read programmes, their meetings and published postulates with positions.

Only what is public is shown: organisations, units and office holders, never the names or e-mails
of users; postulates only once published, and only their published positions.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from consult.core.access import has_role, public
from consult.core.paging import id_arg, page_number, search_term
from consult.extensions import db
from consult.meetings import queries as meeting_queries
from consult.organisations.queries import units
from consult.postulates import exports
from consult.postulates import queries as postulate_queries
from consult.postulates.forms import PublicRegisterFilters
from consult.postulates.models import POSITION_CATEGORY_LABELS
from consult.programmes import queries as programme_queries
from consult.programmes.models import Programme
from consult.summaries.queries import published_versions_by_meeting

bp = Blueprint("public", __name__)
HOME_PROGRAMMES = 5


@bp.route("/")
@public
def home():
    # The newest few programmes only: the whole list, with its search and pages, is /programy.
    newest = programme_queries.programmes_page(page=1, size=HOME_PROGRAMMES)
    return render_template("public/home.html", programmes=newest.items,
                           open_programmes=postulate_queries.open_programmes(), counts=_counts_for(current_user))


def _counts_for(user) -> dict[str, int]:
    """What waits for the signed-in user, by postulate state: the home page's "what to do next" list."""
    if has_role(user, "coordinator"):
        return postulate_queries.state_counts()
    if has_role(user, "unit") and user.unit_id:
        return postulate_queries.state_counts(unit_id=user.unit_id)
    if has_role(user, "ngo") and user.organisation_id:
        return postulate_queries.state_counts(organisation_id=user.organisation_id)
    return {}


@bp.route("/programy")
@public
def programmes():
    from consult.core.paging import choice_arg

    page = programme_queries.programmes_page(
        search=search_term(), consultation=choice_arg("konsultacje", programme_queries.CONSULTATION_STATES),
        page=page_number())
    return render_template("public/programmes.html", programmes=page, page=page)


@bp.route("/programy/<int:programme_id>")
@public
def programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    return render_template("public/programme.html", programme=programme,
                           meetings=programme_queries.public_programme_meetings(programme),
                           postulates=(page := programme_queries.published_online_postulates_page(
                               programme, search=search_term(), unit_id=id_arg("komorka"), page=page_number())),
                           page=page, units=units(),
                           category_labels=POSITION_CATEGORY_LABELS)


@bp.route("/programy/spotkania/<int:meeting_id>")
@public
def meeting(meeting_id: int):
    meeting = meeting_queries.meeting_with_lists(meeting_id)
    if meeting is None:
        abort(404)
    return render_template("public/meeting.html", meeting=meeting,
                           summaries=published_versions_by_meeting([meeting.id]).get(meeting.id, []),
                           postulates=(page := meeting_queries.published_meeting_postulates_page(
                               meeting, search=search_term(), unit_id=id_arg("komorka"), page=page_number())),
                           page=page, units=units(),
                           category_labels=POSITION_CATEGORY_LABELS)


def _register_filters(*, with_choices: bool):
    """The public register's filters from the query string, and the arguments of its query function (the
    screen and the exports read them the same way, so a download holds what the screen lists)."""
    filters = PublicRegisterFilters(
        request.args, programmes=postulate_queries.programme_choices() if with_choices else [],
        meetings=postulate_queries.meeting_choices() if with_choices else [],
        units=postulate_queries.unit_choices() if with_choices else [])
    return filters, {"programme_id": filters.programme.data, "meeting_id": filters.meeting.data,
                     "unit_id": filters.unit.data, "category": filters.category.data,
                     "text": filters.text.data}


@bp.route("/postulaty")
@public
def register():
    filters, arguments = _register_filters(with_choices=True)
    page = postulate_queries.public_register(**arguments, page=page_number(),
                                             size=current_app.config["PAGE_SIZE"])
    return render_template("public/register.html", filters=filters, page=page,
                           category_labels=POSITION_CATEGORY_LABELS)


@bp.route("/postulaty/eksport.<any(csv, xlsx, ods):fmt>")
@public
def register_export(fmt: str):
    _filters, arguments = _register_filters(with_choices=False)
    return exports.download(postulate_queries.public_register_query(**arguments), fmt, published_only=True,
                            name="postulaty-i-stanowiska")
