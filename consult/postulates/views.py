"""Views of the postulates domain: an NGO files and follows its postulates, a unit answers the ones
assigned to it, a coordinator routes them. Each handler loads, checks access, calls one operation.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from consult.core.access import (can_act_for_unit, can_change_as_submitter, can_view_postulate, ensure,
                                 has_role, is_member_of, public, roles, sees_original_text)
from consult.core.forms import show_refusal, submit_form
from consult.core.errors import AlreadyDone, Forbidden, Refused, StaleEdit
from consult.core.operations import in_transaction, state_label, transaction
from consult.core.paging import id_arg, page_number
from consult.core.submissions import posted_token
from consult.extensions import db, login_manager
from consult.i18n import format_day
from consult.organisations.models import Unit
from consult.organisations.queries import active_units
from consult.postulates import deadlines, exports, queries
from consult.postulates.forms import (QUEUE_STATES, AssignForm, DueDateForm, ForwardForm, PositionForm,
                                      PostulateForm, QueueFilters, RedactForm, RegisterFilters,
                                      WithdrawForm)
from consult.postulates.models import POSITION_CATEGORY_LABELS, Position, PositionRedaction, Postulate, Redaction
from consult.postulates.operations import (assign_postulate, create_postulate, forward_postulate,
                                           publish_positions, redact_position, redact_postulate, save_position,
                                           set_due_date, submit_postulate, undo_position_redaction,
                                           undo_redaction, update_postulate,
                                           withdraw_postulate)
from consult.postulates.rows import due_words, queue_rows
from consult.programmes.models import Programme
from workflows import POSTULATE

bp = Blueprint("postulates", __name__)
bp.add_app_template_global(due_words)
bp.add_app_template_global(queue_rows)


@bp.app_context_processor
def _labels():
    return {"POSITION_CATEGORY_LABELS": POSITION_CATEGORY_LABELS, "postulate_state_names": _state_names}


@bp.app_template_global()
def postulate_text(postulate) -> str:
    """The content of `postulate` as the reader may see it: as filed for the staff and the organisation that filed
    it, with the redacted words replaced for everyone else."""
    return postulate.content if sees_original_text(current_user, postulate) else postulate.public_text


@bp.app_template_global()
def sees_original(postulate) -> bool:
    """Whether the reader reads the postulate as filed (its redacted words, a private submitter's name)."""
    return sees_original_text(current_user, postulate)


@bp.app_template_global()
def position_text(position) -> str:
    """A position's text as the reader may see it: as written for the staff, with redacted words replaced for
    everyone else."""
    from consult.core.access import sees_original_position

    return position.text if sees_original_position(current_user, position) else position.text_for_public


def _state_names() -> dict[str, str]:
    """Every postulate state's name in the current language: a list translates them once, not once a row."""
    return {state: state_label("postulate", state) for state in POSTULATE.states}


def _load_visible(postulate_id: int):
    postulate = queries.get_postulate(postulate_id)
    if not can_view_postulate(current_user, postulate):
        if not current_user.is_authenticated:
            return None, login_manager.unauthorized()
        abort(403)
    return postulate, None


# --- an NGO's postulates ---------------------------------------------------------------------------

@bp.route("/moje-postulaty")
@roles("ngo")
def mine():
    from consult.core.paging import choice_arg, search_term
    from consult.programmes.queries import programmes
    from workflows import POSTULATE

    page = queries.organisation_postulates_page(
        current_user.organisation_id, search=search_term(), state=choice_arg("stan", POSTULATE.states),
        programme_id=id_arg("program"), page=page_number())
    return render_template("postulates/mine.html", postulates=page, page=page, states=POSTULATE.states,
                           carried_into=queries.carried_into([p.id for p in page]),
                           programmes=programmes(), open_programmes=queries.open_programmes())


@bp.route("/programy/<int:programme_id>/postulaty/nowy", methods=["GET", "POST"])
@roles("ngo")
def new(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    closed_reason = programme.consultation_closed_reason()
    # The provision it concerns: from the outline of the published text, or pre-selected by the text's link.
    from consult.programme_text.forms import NewPostulateForm
    from consult.programme_text.queries import outline_choices

    choices = outline_choices(programme.id)
    form = NewPostulateForm(choices=choices)
    if request.method == "GET":
        form.provision.data = id_arg("przepis")
    extra = []
    if request.method == "POST":
        if closed_reason:
            # The page may have been loaded while the consultation was open: refuse, keep nothing.
            return render_template("postulates/new.html", programme=programme, form=None,
                                   closed_reason=closed_reason, page_error=True), 200
        if form.validate_on_submit():
            submit = "submit" in request.form
            try:
                postulate = in_transaction(create_postulate, current_user, programme, content=form.content.data,
                                           justification=form.justification.data, submit=submit,
                                           provision_id=form.provision.data, quote=form.quote.data,
                                           form_token=posted_token())
            except AlreadyDone as done:
                return _filed_already(done.record_id)
            except Forbidden:
                abort(403)
            except Refused as exc:
                extra = show_refusal(form, exc)
            else:
                if submit:
                    return redirect(url_for("postulates.submitted", postulate_id=postulate.id))
                flash(_("Szkic postulatu został zapisany. Możesz go jeszcze zmienić, a potem złożyć."),
                      "success")
                return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    return render_template("postulates/new.html", programme=programme, form=None if closed_reason else form,
                           closed_reason=closed_reason, extra=extra, page_error=bool(extra), provisions=choices,
                           selected=next((row for pid, _label, row in choices if pid == form.provision.data), None))


def _filed_already(postulate_id: int | None):
    """The new-postulate form was sent before (a double click, a page sent again): show what it filed."""
    postulate = db.session.get(Postulate, postulate_id) if postulate_id else None
    if postulate is None:
        return redirect(url_for("postulates.mine"))
    flash(_("Ten formularz został już wysłany – oto zapisany postulat."), "success")
    if postulate.state == "draft":
        return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    return redirect(url_for("postulates.submitted", postulate_id=postulate.id))


@bp.route("/postulaty/<int:postulate_id>/zlozony")
@roles("ngo")
def submitted(postulate_id: int):
    postulate = queries.get_postulate(postulate_id)
    ensure(is_member_of(current_user, postulate.organisation_id) and postulate.submitted_at is not None)
    return render_template("postulates/submitted.html", postulate=postulate)


@bp.route("/postulaty/<int:postulate_id>")
@public
def detail(postulate_id: int):
    postulate, redirect_to_login = _load_visible(postulate_id)
    if redirect_to_login is not None:
        return redirect_to_login
    # last year's postulate it carries on, and the one of the next year that carries it on: linked when the
    # reader may open them (the one carried into waits for its position, not public yet)
    carried_into = queries.carried_into([postulate.id]).get(postulate.id)
    return render_template(
        "postulates/detail.html", postulate=postulate, carried_into=carried_into,
        carried_into_visible=carried_into is not None and can_view_postulate(current_user, carried_into),
        carried_from_visible=postulate.carried_from is not None
        and can_view_postulate(current_user, postulate.carried_from),
        positions=queries.visible_positions(current_user, postulate),
        actions=queries.actions_for(current_user, postulate),
        trail=queries.audit_trail(postulate) if has_role(current_user, "coordinator") else None,
        is_submitter=is_member_of(current_user, postulate.organisation_id),
        # the due date of the position: for the unit asked for it and the coordinators
        due=deadlines.due_status(postulate, deadlines.current_assignment(postulate.id))
        if can_act_for_unit(current_user, postulate) else None)


@bp.route("/postulaty/<int:postulate_id>/edycja", methods=["GET", "POST"])
@roles("ngo", "coordinator")
def edit(postulate_id: int):
    postulate = queries.get_postulate(postulate_id)
    ensure(can_view_postulate(current_user, postulate)
           and (has_role(current_user, "coordinator") or can_change_as_submitter(current_user, postulate)))
    blocked = queries.edit_blocked_reason(current_user, postulate)
    # Its NGO may change (or clear) the provision it concerns, when the programme's text is published.
    from consult.programme_text.forms import NewPostulateForm
    from consult.programme_text.queries import outline_choices

    choices = outline_choices(postulate.programme_id) if not has_role(current_user, "coordinator") else []

    def make_form(**kwargs):
        if not choices:
            return PostulateForm(**kwargs)
        form = NewPostulateForm(choices=choices, **kwargs)
        if kwargs.get("obj") is not None:
            form.provision.data = postulate.provision_id
        return form

    form = make_form(obj=postulate) if request.method == "GET" else make_form()
    extra, status, yours = [], 200, None
    if request.method == "POST" and form.validate_on_submit():
        provision = {"provision_id": form.provision.data, "quote": form.quote.data} if choices else {}
        try:
            with transaction():
                update_postulate(current_user, postulate, content=form.content.data,
                                 justification=form.justification.data, expected_version=form.version.data,
                                 **provision)
        except Forbidden:
            abort(403)
        except StaleEdit as exc:
            # Show what is saved now, and keep what the user typed beside it so that nothing is lost.
            yours = {"content": form.content.data, "justification": form.justification.data}
            postulate = queries.get_postulate(postulate_id)
            form = make_form(formdata=None, obj=postulate)
            extra, status = [("content", exc.reason)], 409
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zmiany w postulacie %(ref)s zostały zapisane.", ref=postulate.reference), "success")
            return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    elif request.method == "POST" and blocked:
        extra = [("main", blocked)]
    if request.method == "GET" or status == 409:
        form.version.data = postulate.version
    return render_template("postulates/edit.html", postulate=postulate, form=form, extra=extra, yours=yours,
                           blocked=blocked, page_error=bool(extra), provisions=choices,
                           selected=next((row for pid, _label, row in choices
                                          if choices and pid == form.provision.data), None)), status


@bp.route("/postulaty/<int:postulate_id>/zloz", methods=["POST"])
@roles("ngo")
def submit(postulate_id: int):
    postulate = queries.get_postulate(postulate_id)
    ensure(can_change_as_submitter(current_user, postulate))
    try:
        with transaction():
            submit_postulate(current_user, postulate)
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    return redirect(url_for("postulates.submitted", postulate_id=postulate.id))


@bp.route("/postulaty/<int:postulate_id>/wycofaj", methods=["GET", "POST"])
@roles("ngo")
def withdraw(postulate_id: int):
    postulate = queries.get_postulate(postulate_id)
    ensure(can_change_as_submitter(current_user, postulate))
    blocked = queries.withdraw_blocked_reason(current_user, postulate)
    form = WithdrawForm()
    extra = []
    if form.validate_on_submit():
        try:
            with transaction():
                withdraw_postulate(current_user, postulate, reason=form.reason.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Postulat %(ref)s został wycofany.", ref=postulate.reference), "success")
            return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    return render_template("postulates/withdraw.html", postulate=postulate, form=form, blocked=blocked,
                           extra=extra, page_error=bool(extra))


# --- a unit's queue and positions --------------------------------------------------------------------

@bp.route("/kolejka")
@roles("unit")
def queue():
    filters = QueueFilters(request.args, programmes=queries.programme_choices(), meetings=queries.meeting_choices())
    page = queries.unit_queue(current_user.unit_id, state=filters.state.data,
                              programme_id=filters.programme.data, meeting_id=filters.meeting.data,
                              text=filters.text.data, page=page_number(), size=current_app.config["PAGE_SIZE"])
    return render_template("postulates/queue.html", filters=filters, page=page, states=QUEUE_STATES,
                           due=deadlines.due_statuses(page.items))


_QUEUE_FILTERS = ("state", "programme", "meeting", "text", "strona")


def _publish_page(postulates: list, back: str, keep: dict, extra: list | None = None):
    """The confirmation page of publishing positions: each postulate with its draft positions, what will
    happen, that it cannot be undone; `keep` are the queue's filters to return to."""
    extra = list(extra or [])
    if not postulates:
        extra.append(("postulates", _("Zaznacz co najmniej jeden postulat do opublikowania.")))
    not_ready = [p for p in postulates if p.state != "answered"]
    if not_ready:
        extra.append((f"postulate-{not_ready[0].id}", _(
            "Te postulaty nie mają stanowiska gotowego do publikacji: %(refs)s. Nic nie zostanie opublikowane.",
            refs=", ".join(p.reference for p in not_ready))))
    return render_template("postulates/confirm_publish.html", postulates=postulates, not_ready=not_ready,
                           back=back, keep=keep, form=FlaskForm(), extra=extra, page_error=bool(extra))


@bp.route("/kolejka/publikuj", methods=["GET", "POST"])
@roles("unit")
def publish_bulk():
    """Publishing the positions on the postulates checked in the queue: a confirmation page listing them (GET,
    as the queue's form sends them), then the step (POST), all or nothing."""
    keep = {k: v for k, v in request.values.items() if k in _QUEUE_FILTERS and v}
    back = url_for("postulates.queue", **keep)
    postulates = queries.postulates_by_ids(request.values.getlist("postulates"))
    if request.method == "GET":
        for postulate in postulates:
            ensure(can_act_for_unit(current_user, postulate))
        return _publish_page(postulates, back, keep)
    try:
        with transaction():
            count = publish_positions(current_user, postulates)
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(back)
    flash(ngettext("Opublikowano stanowisko w %(num)s postulacie.",
                   "Opublikowano stanowiska w %(num)s postulatach.", count), "success")
    return redirect(back)


@bp.route("/postulaty/<int:postulate_id>/stanowisko", methods=["GET", "POST"])
@roles("unit", "coordinator")
def position(postulate_id: int):
    postulate = queries.get_postulate(postulate_id)
    ensure(can_view_postulate(current_user, postulate) and can_act_for_unit(current_user, postulate))
    coordinator = has_role(current_user, "coordinator")
    # A coordinator records a position for an active unit, or for a unit the postulate already names (its
    # responsible unit, one that holds a position on it) even if that unit has since closed.
    all_units = active_units(keep=[postulate.responsible_unit_id, *(p.unit_id for p in postulate.positions)]) \
        if coordinator else None

    def unit_in_form(form):
        if not coordinator:
            return current_user.unit
        chosen = form.unit.data or postulate.responsible_unit_id
        return db.session.get(Unit, chosen) if chosen else None

    form = PositionForm(units=all_units)
    offered = {u.id for u in all_units or ()}
    if request.method == "GET":
        if coordinator:
            form.unit.data = id_arg("komorka") or postulate.responsible_unit_id
        _fill_position(form, postulate, unit_in_form(form))
    extra, status, yours = [], 200, None
    valid = form.validate_on_submit()
    if valid and coordinator and (form.unit.data or postulate.responsible_unit_id) not in offered:
        form.unit.errors = [*form.unit.errors, _("Wybierz komórkę z listy.")]  # a closed unit takes no new position
        valid = False
    if valid:
        unit = unit_in_form(form)
        expected = form.version.data
        if coordinator and unit is not None and form.version_unit.data != unit.id:
            # The form showed another unit's position: this unit's must not be overwritten unseen.
            expected = 0
        try:
            in_transaction(save_position, current_user, postulate, category=form.category.data, text=form.text.data,
                           unit=unit, expected_version=expected, form_token=posted_token())
        except AlreadyDone:
            flash(_("Ten formularz został już wysłany – projekt stanowiska jest zapisany."), "success")
            return redirect(url_for("postulates.detail", postulate_id=postulate_id))
        except Forbidden:
            abort(403)
        except StaleEdit as exc:
            yours = {"category": POSITION_CATEGORY_LABELS.get(form.category.data, ""), "text": form.text.data}
            postulate = queries.get_postulate(postulate_id)
            form = PositionForm(formdata=None, units=all_units)
            if coordinator:
                form.unit.data = unit.id if unit else None
            _fill_position(form, postulate, unit)
            extra, status = [("text", exc.reason)], 409
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Projekt stanowiska został zapisany. Stanowisko zobaczy organizacja po jego "
                    "opublikowaniu."),
                  "success")
            return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    return render_template("postulates/position.html", postulate=postulate, form=form, extra=extra,
                           yours=yours, page_error=bool(extra)), status


def _fill_position(form: PositionForm, postulate, unit) -> None:
    """Load the unit's current position (if any) into the form, with its version for the stale check."""
    current = postulate.position_of(unit.id) if unit is not None else None
    if current is not None:
        form.category.data = current.category
        form.text.data = current.text
    form.version.data = current.version if current is not None else 0
    if form.version_unit is not None:
        form.version_unit.data = unit.id if unit is not None else None


@bp.route("/postulaty/<int:postulate_id>/publikuj", methods=["GET", "POST"])
@roles("unit", "coordinator")
def publish(postulate_id: int):
    """Publishing the positions on one postulate: the confirmation page (GET), then the step (POST)."""
    postulate = queries.get_postulate(postulate_id)
    ensure(can_view_postulate(current_user, postulate) and can_act_for_unit(current_user, postulate))
    if request.method == "GET":
        return _publish_page([postulate], url_for("postulates.detail", postulate_id=postulate.id), {})
    try:
        with transaction():
            publish_positions(current_user, [postulate])
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
    else:
        flash(_("Stanowisko w sprawie postulatu %(ref)s zostało opublikowane.", ref=postulate.reference),
              "success")
    return redirect(url_for("postulates.detail", postulate_id=postulate.id))


# --- a coordinator's register and routing ------------------------------------------------------------

def _register_filters(*, with_choices: bool):
    """The coordinator's register filters from the query string, and the arguments of its query function
    (the screen and the exports read them the same way, so a download holds what the screen lists)."""
    filters = RegisterFilters(request.args, programmes=queries.programme_choices() if with_choices else [],
                              meetings=queries.meeting_choices() if with_choices else [],
                              units=queries.unit_choices() if with_choices else [],
                              states=[(s, state_label("postulate", s)) for s in queries.REGISTER_STATES])
    return filters, {"state": filters.state.data, "programme_id": filters.programme.data,
                     "meeting_id": filters.meeting.data, "unit_id": filters.unit.data,
                     "submitter": filters.submitter.data}


@bp.route("/rejestr")
@roles("coordinator")
def register():
    filters, arguments = _register_filters(with_choices=True)
    page = queries.register(**arguments, page=page_number(), size=current_app.config["PAGE_SIZE"])
    return render_template("postulates/register.html", filters=filters, page=page)


@bp.route("/rejestr/eksport.<any(csv, xlsx, ods):fmt>")
@roles("coordinator")
def register_export(fmt: str):
    _filters, arguments = _register_filters(with_choices=False)
    return exports.download(queries.register_query(**arguments), fmt, published_only=False,
                            name="rejestr-postulatow")


@bp.route("/postulaty/<int:postulate_id>/przypisz", methods=["GET", "POST"])
@roles("coordinator")
def assign(postulate_id: int):
    return _route_to_unit(postulate_id, AssignForm, "assign")


@bp.route("/postulaty/<int:postulate_id>/przekaz", methods=["GET", "POST"])
@roles("coordinator")
def forward(postulate_id: int):
    return _route_to_unit(postulate_id, ForwardForm, "forward")


def _route_to_unit(postulate_id: int, form_class, how: str):
    postulate = queries.get_postulate(postulate_id)
    ensure(can_view_postulate(current_user, postulate))
    from consult.organisations.queries import active_units

    form = form_class(units=active_units())  # an inactive unit takes no new postulate
    default_due = deadlines.default_due_on(postulate.programme)
    if not form.is_submitted():
        form.due_on.process(None, default_due)
    extra = []
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit.data) if form.unit.data else None
        if unit is None:
            form.unit.errors = [*form.unit.errors, _("Wybierz komórkę merytoryczną z listy.")]
        else:
            try:
                with transaction():
                    if how == "assign":
                        assign_postulate(current_user, postulate, unit, due_on=form.due_on.data)
                    else:
                        forward_postulate(current_user, postulate, unit, note=form.note.data,
                                          due_on=form.due_on.data)
            except Forbidden:
                abort(403)
            except Refused as exc:
                extra = show_refusal(form, exc)
            else:
                flash(_("Postulat %(ref)s jest teraz w komórce %(unit)s.", ref=postulate.reference,
                        unit=unit.name), "success")
                return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    return render_template("postulates/route.html", postulate=postulate, form=form, how=how, extra=extra,
                           page_error=bool(extra), default_due=default_due)


@bp.route("/postulaty/<int:postulate_id>/termin", methods=["GET", "POST"])
@roles("coordinator")
def due_date(postulate_id: int):
    postulate = queries.get_postulate(postulate_id)
    ensure(can_view_postulate(current_user, postulate))
    current = deadlines.current_assignment(postulate.id)
    blocked = queries.due_date_blocked_reason(current_user, postulate)
    form = DueDateForm()
    if not form.is_submitted():
        form.due_on.process(None, current.due_on if current is not None else None)
    extra = []
    if blocked and form.is_submitted():
        extra = [("main", blocked)]  # answered meanwhile: the form is not shown, so its date is not checked
    elif form.validate_on_submit():
        try:
            with transaction():
                set_due_date(current_user, postulate, form.due_on.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Nowy termin stanowiska w sprawie postulatu %(ref)s: %(date)s.", ref=postulate.reference,
                    date=format_day(form.due_on.data)), "success")
            return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    return render_template("postulates/due_date.html", postulate=postulate, form=form, extra=extra,
                           page_error=bool(extra), due=deadlines.due_status(postulate, current), blocked=blocked)


@bp.route("/koordynacja/po-terminie")
@roles("coordinator")
def overdue():
    """The postulates still waiting for a unit's position after its due date, per unit."""
    from consult.core.paging import id_arg, page_number

    programme_id, unit_id = id_arg("program"), id_arg("komorka")
    counts = deadlines.overdue_counts(programme_id=programme_id)
    page = deadlines.overdue_page(programme_id=programme_id, unit_id=unit_id, page=page_number())
    return render_template("postulates/overdue.html", page=page, groups=deadlines.by_unit(page.items),
                           counts=counts, programmes=queries.programmes(), unit_id=unit_id, today=deadlines.today())


# --- redaction of the public text ----------------------------------------------------------------------

@bp.route("/postulaty/<int:postulate_id>/ukryj-slowa", methods=["GET", "POST"])
@roles("coordinator")
def redact(postulate_id: int):
    postulate = queries.get_postulate(postulate_id)
    ensure(can_view_postulate(current_user, postulate))
    form = RedactForm()
    sent = submit_form(
        form, lambda: in_transaction(redact_postulate, current_user, postulate, words=form.words.data,
                                     reason=form.reason.data),
        success=lambda hidden: _("Słowa „%(words)s” nie będą widoczne w publicznej treści postulatu %(ref)s.",
                                 words=hidden.words, ref=postulate.reference),
        then=url_for("postulates.redact", postulate_id=postulate.id))
    return sent.response or render_template("postulates/redact.html", postulate=postulate, form=form,
                                            extra=sent.extra, page_error=bool(sent.extra))


@bp.route("/postulaty/<int:postulate_id>/ukryj-slowa/<int:redaction_id>/przywroc", methods=["POST"])
@roles("coordinator")
def undo_redact(postulate_id: int, redaction_id: int):
    redaction = db.get_or_404(Redaction, redaction_id)
    if redaction.postulate_id != postulate_id:
        abort(404)
    words = redaction.words
    try:
        with transaction():
            undo_redaction(current_user, redaction)
    except Forbidden:
        abort(403)
    flash(_("Słowa „%(words)s” są znowu widoczne w publicznej treści postulatu.", words=words), "success")
    return redirect(url_for("postulates.redact", postulate_id=postulate_id))


def _position_of(postulate_id: int, position_id: int) -> Position:
    position = db.get_or_404(Position, position_id)
    if position.postulate_id != postulate_id:
        abort(404)
    return position


@bp.route("/postulaty/<int:postulate_id>/stanowiska/<int:position_id>/ukryj-slowa", methods=["GET", "POST"])
@roles("coordinator")
def redact_position_words(postulate_id: int, position_id: int):
    postulate = queries.get_postulate(postulate_id)
    ensure(can_view_postulate(current_user, postulate))
    position = _position_of(postulate_id, position_id)
    form = RedactForm()
    sent = submit_form(
        form, lambda: in_transaction(redact_position, current_user, position, words=form.words.data,
                                     reason=form.reason.data),
        success=lambda hidden: _("Słowa „%(words)s” nie będą widoczne w publicznej treści stanowiska %(unit)s.",
                                 words=hidden.words, unit=position.unit.name),
        then=url_for("postulates.redact_position_words", postulate_id=postulate.id, position_id=position.id))
    return sent.response or render_template("postulates/redact_position.html", postulate=postulate,
                                            position=position, form=form, extra=sent.extra,
                                            page_error=bool(sent.extra))


@bp.route("/postulaty/<int:postulate_id>/stanowiska/<int:position_id>/ukryj-slowa/<int:redaction_id>/przywroc",
          methods=["POST"])
@roles("coordinator")
def undo_position_redact(postulate_id: int, position_id: int, redaction_id: int):
    redaction = db.get_or_404(PositionRedaction, redaction_id)
    position = _position_of(postulate_id, position_id)
    if redaction.position_id != position.id:
        abort(404)
    words = redaction.words
    try:
        with transaction():
            undo_position_redaction(current_user, redaction)
    except Forbidden:
        abort(403)
    flash(_("Słowa „%(words)s” są znowu widoczne w publicznej treści stanowiska.", words=words), "success")
    return redirect(url_for("postulates.redact_position_words", postulate_id=postulate_id,
                            position_id=position_id))
