"""Coordinator pages for sector meetings: planning one, recording who attended, marking it held,
and entering the postulates filed at it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.core.access import acting_user, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused, StaleEdit
from consult.core.forms import show_refusal
from consult.core.input import whole_number
from consult.core.operations import in_transaction, transaction
from consult.core.paging import choice_arg, id_arg, page_number, search_term
from consult.core.submissions import posted_token
from consult.extensions import db
from consult.meetings import queries
from consult.meetings.forms import AttendanceForm, MeetingForm, MeetingPostulateForm
from consult.meetings.models import Meeting
from consult.meetings.operations import (
    create_meeting,
    held_refused_reason,
    mark_meeting_held,
    record_attendance,
    update_meeting,
)
from consult.postulates.models import Postulate
from consult.postulates.operations import record_meeting_postulate
from consult.programmes.models import Programme
from consult.programmes.queries import answer_counts
from workflows import POSTULATE

from consult.organisations.queries import active_units

bp = Blueprint("meetings", __name__)



def _version(form) -> int | None:
    return whole_number(form.version.data, minimum=0)


def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = queries.meeting_with_lists(meeting_id)
    if meeting is None:
        abort(404)
    return meeting


@bp.route("/koordynacja/programy/<int:programme_id>/spotkania/nowe", methods=["GET", "POST"])
@roles("coordinator")
def new(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = MeetingForm(units=active_units())
    extra: list = []
    if form.validate_on_submit():
        try:
            meeting = in_transaction(create_meeting, acting_user(), programme, form.details(),
                                     form_token=posted_token())
        except AlreadyDone as done:
            flash(_("Ten formularz został już wysłany – oto zaplanowane spotkanie."), "success")
            return redirect(url_for("meetings.detail", meeting_id=done.record_id))
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zaplanowano spotkanie „%(title)s”.", title=meeting.title), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, extra=extra, page_error=bool(extra),
                           programme=programme, meeting=None)


@bp.route("/koordynacja/spotkania/<int:meeting_id>/edycja", methods=["GET", "POST"])
@roles("coordinator")
def edit(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    form = MeetingForm(units=active_units(keep=[meeting.host_unit_id]))
    if not form.is_submitted():
        form.fill(meeting)
    extra: list = []
    status = 200
    if form.validate_on_submit():
        try:
            with transaction():
                update_meeting(acting_user(), meeting, form.details(), expected_version=_version(form))
        except Forbidden:
            abort(403)
        except StaleEdit as exc:
            meeting = _meeting_or_404(meeting_id)
            form = MeetingForm(formdata=None, units=active_units(keep=[meeting.host_unit_id]))
            form.fill(meeting)
            extra, status = [("main", exc.reason)], 409
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano zmiany spotkania."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, extra=extra, page_error=bool(extra),
                           programme=meeting.programme, meeting=meeting), status


@bp.route("/koordynacja/spotkania/<int:meeting_id>")
@roles("coordinator")
def detail(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    answered, filed = answer_counts([meeting.id]).get(meeting.id, (0, 0))
    page = queries.meeting_postulates_page(
        meeting, search=search_term(), state=choice_arg("stan", POSTULATE.states), unit_id=id_arg("komorka"),
        page=page_number())
    return render_template("meetings/detail.html", meeting=meeting, postulates=page, page=page,
                           units=queries.units(), states=POSTULATE.states, answered=answered, filed=filed,
                           held_refused=held_refused_reason(meeting) if meeting.state == "planned" else None)


@bp.route("/koordynacja/spotkania/<int:meeting_id>/obecnosc", methods=["GET", "POST"])
@roles("coordinator")
def attendance(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    attending = [a.organisation for a in meeting.attendance]
    form = AttendanceForm(organisations=queries.organisations(), attending=attending)
    extra: list = []
    status = 200
    rows_added = False
    if not form.is_submitted():
        form.fill(meeting)
        form.add_empty_rows()
    elif "add_rows" in request.form and "save" not in request.form:
        form.add_empty_rows()  # more rows for officials, without saving and without JavaScript
        rows_added = True
    elif form.validate_on_submit():
        try:
            with transaction():
                record_attendance(acting_user(), meeting, organisations=form.chosen_organisations(),
                                  officials=form.official_rows(),
                                  participants_count=form.participants_count.data,
                                  materials=form.material_lines(), persons=form.person_rows(),
                                  expected_version=_version(form))
        except Forbidden:
            abort(403)
        except StaleEdit as exc:
            meeting = _meeting_or_404(meeting_id)
            form = AttendanceForm(formdata=None, organisations=queries.organisations(),
                                  attending=[a.organisation for a in meeting.attendance])
            form.fill(meeting)
            form.add_empty_rows()
            extra, status = [("main", exc.reason)], 409
        except Refused as exc:
            extra = show_refusal(form, exc)
            if exc.field == "officials":
                # The summary's link lands on the function to fill in (a fieldset cannot take the focus).
                extra = [(form.first_official_without_function() or field_id, reason) for field_id, reason in extra]
            elif exc.field == "persons":
                extra = [(form.first_person_field() or field_id, reason) for field_id, reason in extra]
        else:
            flash(_("Zapisano listę obecności."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/attendance.html", form=form, extra=extra, page_error=bool(extra),
                           meeting=meeting, rows_added=rows_added), status


@bp.route("/koordynacja/spotkania/<int:meeting_id>/odbyte", methods=["POST"])
@roles("coordinator")
def mark_held(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    try:
        with transaction():
            mark_meeting_held(acting_user(), meeting)
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
    else:
        flash(_("Oznaczono spotkanie jako odbyte."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@bp.route("/koordynacja/spotkania/<int:meeting_id>/postulaty/nowy", methods=["GET", "POST"])
@roles("coordinator")
def new_postulate(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    form = MeetingPostulateForm(organisations=queries.organisations())
    extra: list = []
    if form.validate_on_submit():
        try:
            postulate = in_transaction(
                record_meeting_postulate, acting_user(), meeting, content=form.content.data,
                justification=form.justification.data, number=form.number.data, form_token=posted_token(),
                **form.submitter())
        except AlreadyDone as done:
            # Sent before (a double click): where the first post went, saying which postulate it entered.
            entered = db.session.get(Postulate, done.record_id) if done.record_id else None
            flash(_("Ten formularz został już wysłany – postulat nr %(n)s jest już wprowadzony.",
                    n=entered.number if entered else "?"), "success")
            if "another" in request.form:
                return redirect(url_for("meetings.new_postulate", meeting_id=meeting_id))
            return redirect(url_for("meetings.detail", meeting_id=meeting_id))
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc, {"submitter": "submitter_kind"})
        else:
            flash(_("Wprowadzono postulat nr %(n)s.", n=postulate.number), "success")
            if "another" in request.form:
                return redirect(url_for("meetings.new_postulate", meeting_id=meeting_id))
            return redirect(url_for("meetings.detail", meeting_id=meeting_id))
    return render_template("meetings/postulate_form.html", form=form, extra=extra, page_error=bool(extra),
                           meeting=meeting, next_number=queries.next_number(meeting))
