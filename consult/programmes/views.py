"""Coordinator pages for programmes: the overview, creating and changing a programme, its meetings."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from consult.core.access import acting_user, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.forms import show_refusal
from consult.core.operations import in_transaction, transaction
from consult.core.paging import choice_arg, id_arg, page_number, search_term
from consult.core.submissions import posted_token
from consult.extensions import db
from consult.organisations.queries import units
from consult.programmes import queries
from consult.programmes.forms import ProgrammeForm
from consult.programmes.models import Programme
from consult.programmes.operations import create_programme, update_programme

bp = Blueprint("programmes", __name__)


@bp.route("/koordynacja")
@roles("coordinator")
def index():
    page = queries.programmes_overview_page(
        search=search_term(), consultation=choice_arg("konsultacje", queries.CONSULTATION_STATES), page=page_number())
    from consult.smallgrants.queries import judge_overdue_count

    return render_template("programmes/index.html", rows=page, page=page, small_grants_overdue=judge_overdue_count())


@bp.route("/koordynacja/programy/nowy", methods=["GET", "POST"])
@roles("coordinator")
def new():
    form = ProgrammeForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            programme = in_transaction(create_programme, acting_user(), form_token=posted_token(), **form.values())
        except AlreadyDone as done:
            flash(_("Ten formularz został już wysłany – oto utworzony program."), "success")
            return redirect(url_for("programmes.detail", programme_id=done.record_id))
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc, form.ALIASES)
        else:
            flash(_("Utworzono program „%(title)s”.", title=programme.title), "success")
            return redirect(url_for("programmes.detail", programme_id=programme.id))
    return render_template("programmes/form.html", form=form, extra=extra, page_error=bool(extra),
                           programme=None)


@bp.route("/koordynacja/programy/<int:programme_id>/edycja", methods=["GET", "POST"])
@roles("coordinator")
def edit(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = ProgrammeForm()
    if not form.is_submitted():
        form.fill(programme)
    extra: list = []
    if form.validate_on_submit():
        try:
            with transaction():
                update_programme(acting_user(), programme, **form.values())
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc, form.ALIASES)
        else:
            flash(_("Zapisano zmiany programu „%(title)s”.", title=programme.title), "success")
            return redirect(url_for("programmes.detail", programme_id=programme.id))
    return render_template("programmes/form.html", form=form, extra=extra, page_error=bool(extra),
                           programme=programme)


@bp.route("/koordynacja/programy/<int:programme_id>")
@roles("coordinator")
def detail(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    from workflows import MEETING

    page = queries.programme_meetings_page(programme, search=search_term(), unit_id=id_arg("komorka"),
                                           state=choice_arg("stan", MEETING.states), page=page_number())
    return render_template("programmes/detail.html", programme=programme, rows=page, page=page,
                           units=units(), meeting_states=MEETING.states)
