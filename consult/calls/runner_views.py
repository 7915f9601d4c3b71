"""The pages of those who run a call (the coordinator, the running unit's staff): the list, a draft and
its announcement, the call's actions, the commission's appointment, the formal check and the decisions.

The evaluation card and the formal criteria of a draft have their pages in card_views.py.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from consult.auth.models import User
from consult.calls import operations as ops
from consult.calls import queries
from consult.calls.access import can_run_call
from consult.calls.documents import latest_call_jobs
from consult.calls.forms import CallForm, FormalCheckForm
from consult.calls.models import Call, CommissionMember, Offer
from consult.calls.operations import (
    announce_call,
    announcement_missing,
    create_call,
    earliest_offers_deadline,
    update_call,
)
from consult.calls.views import RUNNERS, bp
from consult.core.access import acting_user, ensure, has_role, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused, StaleEdit
from consult.core.forms import show_refusal
from consult.core.input import id_value
from consult.core.operations import in_transaction, transaction
from consult.core.paging import choice_arg, page_number, search_term
from consult.core.submissions import once, posted_token
from consult.core.types import to_warsaw, utcnow
from consult.documents.models import DocumentJob
from consult.documents.status import JobStatus
from consult.extensions import db
from consult.organisations.models import Unit
from consult.organisations.queries import units as all_units
from consult.programmes.models import Programme
from consult.programmes.queries import programmes
from workflows import CALL, OFFER


@bp.route("/koordynacja/konkursy")
@roles(*RUNNERS)
def manage_index():
    from consult.calls.models import CALL_STATES
    from consult.core.paging import choice_arg, id_arg, page_number, search_term

    page = queries.runner_calls_page(current_user, search=search_term(), state=choice_arg("stan", CALL_STATES),
                                     unit_id=id_arg("komorka"), programme_id=id_arg("program"), page=page_number())
    return render_template("calls/manage_index.html", calls=page, page=page, states=CALL_STATES,
                           units=all_units() if has_role(current_user, "coordinator") else [],
                           programmes=programmes())


def _call_actions(call: Call) -> list[tuple[str, str]]:
    """The action buttons the user's role may press in the call's state (guards speak when pressed)."""
    fireable = {t.name for t in CALL.allowed(call.state, current_user.roles)}
    return [(slug, label) for slug, label in ACTION_LABELS if CALL_ACTIONS[slug][0] in fireable]


def _manage_page(call: Call, form: FlaskForm, extra: list):
    today = to_warsaw(utcnow()).date()
    return render_template(
        "calls/manage.html",
        call=call,
        card=queries.card(call),
        form=form,
        extra=extra,
        page_error=bool(extra),
        missing=announcement_missing(call) if call.state == "draft" else [],
        offers=(offers := queries.offers_for_runner_page(
            call, search=search_term(), state=choice_arg("stan", OFFER.states), page=page_number())
            if call.state != "draft" else []),
        page=offers, offer_states=OFFER.states,
        document_jobs=_document_statuses(call),
        translatable=_translatable_documents(call),
        standings=queries.standings(call) if call.state in ("evaluation", "results_published") else [],
        earliest=earliest_offers_deadline(today),
        can_announce=CALL.can("announce", call.state, current_user.roles),
        actions=_call_actions(call),
    )


_DOCUMENT_LINKS = {
    # kind: (public download endpoint, link text)
    "call_announcement": ("call_documents.announcement_pdf", _l("Pobierz ogłoszenie konkursu w PDF")),
    "call_results": ("call_documents.results_pdf", _l("Pobierz wyniki konkursu w PDF")),
}
_DOCUMENT_TITLES = {"call_announcement": _l("Ogłoszenie konkursu (PDF)"), "call_results": _l("Wyniki konkursu (PDF)")}


def _document_status(call: Call, job) -> JobStatus:
    endpoint, label = _DOCUMENT_LINKS[job.kind]
    if job.state == "done":
        lang = None if job.language == "pl" else job.language
        return JobStatus(job, download_url=url_for(endpoint, call_id=call.id, lang=lang), download_label=str(label))
    return JobStatus(job)


def _document_statuses(call: Call) -> list[tuple[str, JobStatus]]:
    """The state of the compile of each of the call's PDFs (announcement, results), in each language, that was
    ever asked for: the official Polish one first."""
    from consult.documents.models import DOCUMENT_LANGUAGES
    from consult.i18n import LANGUAGE_NAMES

    jobs = latest_call_jobs(call.id)
    out = []
    for kind in _DOCUMENT_LINKS:
        for language in DOCUMENT_LANGUAGES:
            if (kind, language) in jobs:
                title = str(_DOCUMENT_TITLES[kind])
                if language != "pl":
                    title = f"{title} – {LANGUAGE_NAMES[language]}"
                out.append((title, _document_status(call, jobs[(kind, language)])))
    return out


def _translatable_documents(call: Call) -> list[tuple[str, str]]:
    """The call's PDFs that are public in its state, and so may be translated: (kind, title)."""
    from consult.calls.documents import translatable_kinds

    return [(kind, str(_DOCUMENT_TITLES[kind])) for kind in translatable_kinds(call)]


@bp.route("/koordynacja/konkursy/<int:call_id>/dokumenty/tlumaczenie", methods=["GET", "POST"])
@roles(*RUNNERS)
def translate_document(call_id: int):
    """Compile the call's announcement or results PDF in English or Ukrainian (public once compiled); the form
    and the outcome are on the call's page (GET: that page)."""
    from consult.calls.documents import request_call_translation

    call = db.get_or_404(Call, call_id)
    ensure(can_run_call(current_user, call))
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            in_transaction(request_call_translation, acting_user(), call, request.form.get("kind", ""),
                           request.form.get("language"), form_token=posted_token())
        except AlreadyDone:
            flash(_("Ten formularz został już wysłany – kompilacja tłumaczenia jest zlecona."), "success")
        except Forbidden:
            abort(403)
        except Refused as exc:
            flash(exc.reason, "error")
        else:
            flash(_("Zlecono kompilację tłumaczenia. Po skompilowaniu będzie dostępne na stronie publicznej konkursu."),
                  "success")
    return redirect(url_for("calls.manage", call_id=call.id))


@bp.route("/koordynacja/konkursy/<int:call_id>/dokumenty/zadania/<int:job_id>/stan")
@roles(*RUNNERS)
def document_job_state(call_id: int, job_id: int):
    """What the call's management page polls (consult/static/app.js) while a PDF of the call compiles;
    open to those who may open that page."""
    call = db.get_or_404(Call, call_id)
    ensure(can_run_call(current_user, call))
    job = db.get_or_404(DocumentJob, job_id)
    if job.subject_id != call.id or job.kind not in _DOCUMENT_LINKS:
        abort(404)
    response = jsonify(_document_status(call, job).as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/koordynacja/konkursy/<int:call_id>")
@roles(*RUNNERS)
def manage(call_id: int):
    call = db.get_or_404(Call, call_id)
    ensure(can_run_call(current_user, call))
    return _manage_page(call, FlaskForm(), [])


def _announce_page(call: Call, form: FlaskForm, extra: list):
    return render_template(
        "calls/confirm_announce.html",
        call=call,
        form=form,
        extra=extra,
        page_error=bool(extra),
        missing=announcement_missing(call) if call.state == "draft" else [],
        blocked=ops.refused_reason(current_user, call, "announce") if call.state == "draft" else None,
    )


@bp.route("/koordynacja/konkursy/<int:call_id>/ogloszenie", methods=["GET", "POST"])
@roles(*RUNNERS)
def announce(call_id: int):
    """Announcing a call: a confirmation page (what becomes public, that it cannot be undone), then the step."""
    call = db.get_or_404(Call, call_id)
    ensure(can_run_call(current_user, call))
    form = FlaskForm()
    if not form.validate_on_submit():
        return _announce_page(call, form, [])
    try:
        with transaction():
            announce_call(acting_user(), call)
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        call = db.session.get(Call, call_id)
        return _announce_page(call, form, [(exc.field or "announce", exc.reason)])
    flash(_("Ogłoszono konkurs „%(title)s”. Ogłoszenie jest już publiczne.", title=call.title), "success")
    return redirect(url_for("calls.manage", call_id=call.id))


def _call_form(call: Call | None) -> CallForm:
    form = CallForm()
    form.programme.choices = [SelectChoice(p.id, p.title) for p in programmes()]
    if has_role(current_user, "coordinator"):  # active units, and the call's own whatever it is now
        units = [u for u in all_units() if u.active or (call is not None and u.id == call.unit_id)]
    else:  # unit staff prepare calls of their own unit only
        units = [current_user.unit]
    form.unit.choices = [SelectChoice(u.id, u.name) for u in units]
    if call is not None and not form.is_submitted():
        form.fill(call)
    return form


@bp.route("/koordynacja/konkursy/nowy", methods=["GET", "POST"])
@roles(*RUNNERS)
def new():
    form = _call_form(None)
    extra: list = []
    if form.validate_on_submit():
        programme = db.get_or_404(Programme, form.programme.data)
        unit = (
            db.get_or_404(Unit, form.unit.data)
            if has_role(current_user, "coordinator")
            else current_user.unit
        )
        values = form.values()
        try:
            call = in_transaction(create_call, acting_user(), programme, unit, form_token=posted_token(), **values)
        except AlreadyDone as done:
            flash(_("Ten formularz został już wysłany – oto zapisany projekt konkursu."), "success")
            return redirect(url_for("calls.manage", call_id=done.record_id))
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc, form.ALIASES)
        else:
            flash(
                _(
                    "Zapisano projekt konkursu „%(title)s”. Uzupełnij go i ogłoś, gdy będzie gotowy.",
                    title=call.title,
                ),
                "success",
            )
            return redirect(url_for("calls.manage", call_id=call.id))
    return render_template("calls/form.html", form=form, extra=extra, page_error=bool(extra), call=None)


@bp.route("/koordynacja/konkursy/<int:call_id>/edycja", methods=["GET", "POST"])
@roles(*RUNNERS)
def edit(call_id: int):
    call = db.get_or_404(Call, call_id)
    ensure(can_run_call(current_user, call))
    form = _call_form(call)
    extra: list = []
    status = 200
    if form.validate_on_submit():
        values = form.values()
        try:
            with transaction():
                update_call(
                    acting_user(), call, expected_version=form.expected_version, **values
                )
        except Forbidden:
            abort(403)
        except StaleEdit as exc:
            db.session.refresh(call)
            form = _call_form(None)
            form.fill(call)
            extra, status = [("main", exc.reason)], 409
        except Refused as exc:
            extra = show_refusal(form, exc, form.ALIASES)
        else:
            flash(_("Zapisano zmiany konkursu „%(title)s”.", title=call.title), "success")
            return redirect(url_for("calls.manage", call_id=call.id))
    return render_template(
        "calls/form.html", form=form, extra=extra, page_error=bool(extra), call=call
    ), status


# --- the runners' actions on a call ----------------------------------------------------------------------

ACTION_LABELS = (
    ("zamkniecie-naboru", _l("Zamknij nabór ofert")),
    ("ocena", _l("Rozpocznij ocenę ofert")),
    ("wyniki", _l("Ogłoś wyniki")),
    ("uniewaznienie", _l("Unieważnij konkurs")),
)
CALL_ACTIONS = {
    "zamkniecie-naboru": ("close_for_offers", ops.close_call_for_offers, _l("Zamknięto nabór ofert.")),
    "ocena": ("start_evaluation", ops.start_evaluation, _l("Rozpoczęto ocenę ofert przez komisję.")),
    "wyniki": (
        "publish_results",
        ops.publish_results,
        _l("Ogłoszono wyniki konkursu. Dokument z wynikami zostanie przygotowany, a oferenci powiadomieni."),
    ),
    "uniewaznienie": ("cancel", ops.cancel_call, _l("Unieważniono konkurs.")),
}
# What each confirmation page says: its heading, what will happen, what cannot be undone, the button.
ACTION_PAGES = {
    "zamkniecie-naboru": (
        _l("Zamknięcie naboru ofert"),
        (
            _l("Oferenci nie będą mogli złożyć nowych ofert ani zmienić złożonych; oferty robocze pozostaną "
               "niezłożone."),
            _l("Zacznie się ocena formalna złożonych ofert."),
        ),
        _l("Zamkniętego naboru nie można otworzyć ponownie."),
        _l("Zamknij nabór ofert"),
    ),
    "ocena": (
        _l("Rozpoczęcie oceny ofert"),
        (
            _l("Członkowie komisji zaczną oceniać oferty przyjęte pod względem formalnym."),
            _l("Ocena formalna zostanie zakończona: decyzji formalnych nie będzie już można podjąć ani zmienić."),
        ),
        _l("Tej czynności nie można cofnąć: konkurs nie wróci do oceny formalnej."),
        _l("Rozpocznij ocenę ofert"),
    ),
    "wyniki": (
        _l("Ogłoszenie wyników konkursu"),
        (
            _l("Wszystkie rozstrzygnięcia zostaną opublikowane: na stronie wyników konkursu i w dokumencie PDF."),
            _l("Każdy oferent dostanie powiadomienie o rozstrzygnięciu dotyczącym jego oferty."),
        ),
        _l("Ogłoszonych wyników nie można zmienić ani wycofać."),
        _l("Ogłoś wyniki"),
    ),
    "uniewaznienie": (
        _l("Unieważnienie konkursu"),
        (
            _l("Konkurs zostanie unieważniony, a uzasadnienie opublikowane na jego stronie."),
            _l("Żadna oferta złożona w tym konkursie nie otrzyma dotacji."),
        ),
        _l("Unieważnienia konkursu nie można cofnąć."),
        _l("Unieważnij konkurs"),
    ),
}


def _action_page(call: Call, action: str, form: FlaskForm, extra: list, reason: str | None = None):
    transition = CALL_ACTIONS[action][0]
    heading, consequences, warning, confirm_label = ACTION_PAGES[action]
    return render_template(
        "calls/confirm_action.html",
        call=call,
        action=action,
        heading=heading,
        consequences=consequences,
        warning=warning,
        confirm_label=confirm_label,
        form=form,
        extra=extra,
        page_error=bool(extra),
        errors=dict(extra),
        reason=reason,
        blocked=ops.refused_reason(current_user, call, transition),
        standings=queries.standings(call) if action == "wyniki" else [],
        granted_total=queries.granted_total(call) if action == "wyniki" else None,
    )


@bp.route("/koordynacja/konkursy/<int:call_id>/czynnosc/<action>", methods=["GET", "POST"])
@roles(*RUNNERS)
def call_action(call_id: int, action: str):
    """Close for offers, start the evaluation, publish results or cancel: a confirmation page that says what
    will happen and that it cannot be undone (GET), then the one operation (POST)."""
    if action not in CALL_ACTIONS:
        abort(404)
    call = db.get_or_404(Call, call_id)
    ensure(can_run_call(current_user, call))
    transition, operation, done = CALL_ACTIONS[action]
    ensure(bool(CALL.transition(transition).roles & set(current_user.roles)))
    form = FlaskForm()
    if not form.validate_on_submit():
        return _action_page(call, action, form, [])
    kwargs = {"reason": request.form.get("reason", "")} if action == "uniewaznienie" else {}
    try:
        with transaction():
            operation(acting_user(), call, **kwargs)
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        call = db.session.get(Call, call_id)
        return _action_page(
            call, action, form, [("reason" if exc.field == "reason" else "confirm", exc.reason)],
            reason=kwargs.get("reason"),
        )
    flash(str(done), "success")
    return redirect(url_for("calls.manage", call_id=call.id))


# --- appointing the commission ---------------------------------------------------------------------------


def _commission_page(call: Call, form: FlaskForm, extra: list, errors: dict | None = None, status: int = 200):
    return render_template(
        "calls/members.html",
        call=call,
        members=queries.members_page(call, search=search_term(), kind=choice_arg("rodzaj", queries.MEMBER_KINDS),
                                     state=choice_arg("stan", queries.MEMBER_STATES), page=page_number()),
        candidates=queries.candidates(call),
        form=form,
        extra=extra,
        page_error=bool(extra),
        errors=errors or {},
        can_appoint=CALL.can("appoint_member", call.state, current_user.roles),
    ), status


@bp.route("/koordynacja/konkursy/<int:call_id>/komisja", methods=["GET", "POST"])
@roles("coordinator")
def members(call_id: int):
    """The commission of a call: city staff and people nominated by NGOs, appointed by the coordinator."""
    call = db.get_or_404(Call, call_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        return _commission_page(call, form, [])
    kind = request.form.get("kind")
    user_id = id_value(request.form.get("user"))
    user = db.session.get(User, user_id) if user_id else None
    errors = {}
    if kind not in ("staff", "nominee"):
        errors["kind"] = _("Zaznacz, kogo reprezentuje członek komisji.")
    if user is None:
        errors["user"] = _("Wybierz osobę z listy.")
    if errors:
        return _commission_page(call, form, list(errors.items()), errors)
    try:
        in_transaction(ops.appoint_member, acting_user(), call, user, kind=kind, form_token=posted_token())
    except AlreadyDone:
        flash(_("Ten formularz został już wysłany – %(name)s jest już członkiem komisji.", name=user.name), "success")
        return redirect(url_for("calls.members", call_id=call.id))
    except Forbidden:
        abort(403)
    except Refused as exc:
        field = exc.field or "user"
        return _commission_page(call, form, [(field, exc.reason)], {field: exc.reason})
    flash(_("Powołano do komisji: %(name)s.", name=user.name), "success")
    return redirect(url_for("calls.members", call_id=call.id))


@bp.route("/koordynacja/komisja/<int:member_id>/odwolanie", methods=["GET", "POST"])
@roles("coordinator")
def dismiss(member_id: int):
    """Dismiss a member from the commission page; a refusal is shown there (GET: that page)."""
    member = db.get_or_404(CommissionMember, member_id)
    call = member.call
    if request.method == "GET":
        return redirect(url_for("calls.members", call_id=call.id))
    form = FlaskForm()
    if not form.validate_on_submit():
        return _commission_page(call, form, [])
    try:
        with transaction():
            ops.dismiss_member(acting_user(), member)
    except Forbidden:
        abort(403)
    except Refused as exc:
        return _commission_page(call, form, [(f"member-{member_id}", exc.reason)])
    flash(_("Odwołano członka komisji."), "success")
    return redirect(url_for("calls.members", call_id=call.id))


# --- the formal check --------------------------------------------------------------------------------------


def _formal_page(offer, form, extra: list, errors: dict | None = None, status: int = 200, posted: dict | None = None):
    fireable = {t.name for t in OFFER.allowed(offer.state, current_user.roles)}
    return render_template(
        "calls/formal.html",
        posted=posted or {},
        offer=offer,
        call=offer.call,
        form=form,
        extra=extra,
        page_error=bool(extra),
        errors=errors or {},
        checks={c.criterion_id: c for c in offer.formal_checks},
        fireable=fireable,
        window=offer.open_correction,
    ), status


@bp.route("/koordynacja/oferty/<int:offer_id>/ocena-formalna", methods=["GET", "POST"])
@roles(*RUNNERS)
def formal(offer_id: int):
    """Check the formal criteria, ask for corrections, then accept or reject the offer formally."""
    offer = queries.offer_with_sections(offer_id)
    if offer is None:
        abort(404)
    ensure(can_run_call(current_user, offer.call) and offer.state != "draft")
    form = FormalCheckForm()
    if not form.validate_on_submit():
        return _formal_page(offer, form, [])
    action = request.form.get("action")
    if action in FORMAL_DECISIONS:  # a page of an older release posted these here: confirm them first
        return redirect(url_for(FORMAL_DECISIONS[action][0], offer_id=offer.id), code=303)
    actor = acting_user()
    try:
        with transaction():
            if action == "check":
                results = {}
                for c in offer.call.formal_criteria:
                    answer = request.form.get(f"met-{c.id}")
                    if answer in ("yes", "no"):
                        results[c.id] = (answer == "yes", request.form.get(f"note-{c.id}"))
                ops.record_formal_check(actor, offer, results)
                unassessed, unmet = ops.formal_check_gaps(offer)
                if unassessed:
                    done = _("Zapisano ocenę formalną. Nie oceniono jeszcze kryteriów nr %(numbers)s.",
                             numbers=", ".join(str(n) for n, _c in unassessed))
                elif unmet:
                    done = _("Zapisano ocenę formalną. Oferta nie spełnia kryteriów nr %(numbers)s: wezwij oferenta "
                             "do poprawienia oferty albo ją odrzuć.", numbers=", ".join(str(n) for n, _c, _k in unmet))
                else:
                    done = _("Zapisano ocenę formalną. Oferta spełnia wszystkie kryteria formalne.")
            elif action == "correct":
                if form.deadline is None:
                    raise Refused(_("Podaj datę i godzinę terminu na poprawki."), field="deadline")
                ops.request_correction(
                    actor, offer, deficiencies=form.deficiencies.data, deadline=form.deadline
                )
                done = _("Wezwano oferenta do poprawienia oferty.")
            else:
                abort(400)
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        offer = queries.offer_with_sections(offer_id)
        extra = show_refusal(form, exc, form.ALIASES)
        posted = {c.id: (request.form.get(f"met-{c.id}"), request.form.get(f"note-{c.id}", ""))
                  for c in offer.call.formal_criteria
                  if f"met-{c.id}" in request.form or request.form.get(f"note-{c.id}")} if action == "check" else {}
        return _formal_page(offer, form, extra, dict(extra), posted=posted)
    flash(done, "success")
    return redirect(url_for("calls.formal", offer_id=offer.id))


# The formal decisions, each confirmed on a page of its own: (endpoint, transition).
FORMAL_DECISIONS = {
    "accept": ("calls.accept_formally", "accept_formally"),
    "reject": ("calls.reject_formally", "reject_formally"),
}


def _formal_decision_page(offer, kind: str, form, extra: list):
    return render_template(
        "calls/confirm_formal.html",
        offer=offer,
        call=offer.call,
        kind=kind,
        form=form,
        extra=extra,
        page_error=bool(extra),
        criteria=[(c, {k.criterion_id: k for k in offer.formal_checks}.get(c.id)) for c in offer.call.formal_criteria],
        blocked=ops.refused_reason(current_user, offer, FORMAL_DECISIONS[kind][1]),
    )


def _formal_decision(offer_id: int, kind: str):
    offer = queries.offer_with_sections(offer_id)
    if offer is None:
        abort(404)
    ensure(can_run_call(current_user, offer.call) and offer.state != "draft")
    form = FormalCheckForm()
    if not form.validate_on_submit():
        return _formal_decision_page(offer, kind, form, [])
    try:
        with transaction():
            if kind == "accept":
                ops.accept_offer_formally(acting_user(), offer)
            else:
                ops.reject_offer_formally(acting_user(), offer, reason=form.reason.data)
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        offer = queries.offer_with_sections(offer_id)
        extra = show_refusal(form, exc) if exc.field else [("confirm", exc.reason)]
        return _formal_decision_page(offer, kind, form, extra)
    flash(
        _("Oferta została przyjęta pod względem formalnym.")
        if kind == "accept"
        else _("Oferta została odrzucona z przyczyn formalnych."),
        "success",
    )
    return redirect(url_for("calls.formal", offer_id=offer_id))


@bp.route("/koordynacja/oferty/<int:offer_id>/ocena-formalna/przyjecie", methods=["GET", "POST"])
@roles(*RUNNERS)
def accept_formally(offer_id: int):
    """Accepting an offer formally: the formal check as recorded, what will happen, then the step. Refused
    until every formal criterion is assessed and met."""
    return _formal_decision(offer_id, "accept")


@bp.route("/koordynacja/oferty/<int:offer_id>/ocena-formalna/odrzucenie", methods=["GET", "POST"])
@roles(*RUNNERS)
def reject_formally(offer_id: int):
    """Rejecting an offer on formal grounds: the reason the applicant will read, then the step."""
    return _formal_decision(offer_id, "reject")


# --- decisions ------------------------------------------------------------------------------------------


def _decisions_page(
    call: Call, form: FlaskForm, extra: list, errors: dict | None = None, values: dict | None = None
):
    return render_template(
        "calls/decisions.html",
        call=call,
        standings=queries.standings_page(call, search=search_term(),
                                         decision=choice_arg("rozstrzygniecie", queries.DECISION_FILTERS),
                                         page=page_number()),
        form=form,
        extra=extra,
        page_error=bool(extra),
        errors=errors or {},
        values=values or {},
        can_decide=CALL.can("record_decision", call.state, current_user.roles),
        granted_total=queries.granted_total(call),
    )


@bp.route("/koordynacja/konkursy/<int:call_id>/rozstrzygniecia")
@roles("coordinator")
def decisions(call_id: int):
    """The ranking with the coordinator's decision on each offer; hidden from applicants until published."""
    call = db.get_or_404(Call, call_id)
    return _decisions_page(call, FlaskForm(), [])


@bp.route("/koordynacja/oferty/<int:offer_id>/rozstrzygniecie", methods=["GET", "POST"])
@roles("coordinator")
def decide(offer_id: int):
    """Record a decision from the decisions page; a refusal is shown there (GET: that page, at the offer)."""
    offer = db.get_or_404(Offer, offer_id)
    call = offer.call
    if request.method == "GET":
        return redirect(url_for("calls.decisions", call_id=call.id, _anchor=f"offer-{offer.id}"))
    form = FlaskForm()
    if not form.validate_on_submit():
        return _decisions_page(call, form, [])
    kind, amount, reason = (request.form.get(k) for k in ("kind", "amount", "reason"))
    try:
        # One decision an offer (an upsert); the form's token makes a double click record it, and audit it, once.
        in_transaction(once("decision")(ops.record_decision), acting_user(), offer, kind=kind or "", amount=amount,
                       reason=reason, form_token=posted_token())
    except AlreadyDone:
        flash(_("Ten formularz został już wysłany – rozstrzygnięcie dla oferty %(ref)s jest zapisane.",
                ref=offer.reference), "success")
        return _back_to_decisions(call, offer)
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        call = db.session.get(Call, call.id)
        anchor = f"{exc.field or 'kind'}-{offer_id}"
        return _decisions_page(
            call,
            form,
            [(anchor, exc.reason)],
            {anchor: exc.reason},
            {offer_id: {"kind": kind, "amount": amount, "reason": reason}},
        )
    flash(_("Zapisano rozstrzygnięcie dla oferty %(ref)s.", ref=offer.reference), "success")
    return _back_to_decisions(call, offer)


def _back_to_decisions(call: Call, offer: Offer):
    """The decisions page the form was sent from (its search, filter and page), at the offer's row."""
    back = {k: v for k, v in request.form.items() if k in ("q", "rozstrzygniecie", "strona") and v}
    return redirect(url_for("calls.decisions", call_id=call.id, **back) + f"#offer-{offer.id}")
