"""Pages of the programme's text: the public text of each published version with each provision's anchor, change
and postulates; a provision's own page; "what changed, and why"; the coordinator's working text (import, edit,
publish); linking a postulate to a provision and a position to the provisions it changed."""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.core.access import acting_user, can_view_postulate, ensure, has_role, is_staff_of, public, roles
from consult.core.errors import Forbidden, Refused, StaleEdit
from consult.core.forms import show_refusal
from consult.core.operations import transaction
from consult.extensions import db
from consult.postulates.models import Position, Postulate
from consult.programme_text import queries
from consult.programme_text.forms import LinkPostulateForm, PositionChangesForm, ProvisionForm, PublishTextForm, TextImportForm
from consult.programme_text.models import CHANGING_CATEGORIES, Provision
from consult.programme_text.operations import (adopted_version, edit_provision, import_text, link_position_changes,
                                               link_postulate, publish_text_version)
from consult.programmes.models import Programme

bp = Blueprint("programme_text", __name__)


@bp.app_context_processor
def _helpers():
    return {"provision_of_postulate": _provision_of_postulate, "can_link_postulate": _can_link_postulate,
            "provisions_changed_by": _provisions_changed_by, "can_link_changes": _can_link_changes}


@dataclass
class _Concerns:
    key: str
    citation: str


def _provision_of_postulate(postulate) -> _Concerns | None:
    if postulate.provision_id is None:
        return None
    row = db.session.get(Provision, postulate.provision_id)
    return _Concerns(row.key, queries.citation(postulate.programme_id, row.id) or row.label)


def _can_link_postulate(postulate) -> bool:
    return has_role(current_user, "coordinator") and bool(queries.versions(postulate.programme_id))


def _provisions_changed_by(position) -> list[Provision]:
    return queries.changes_by_position([position.id]).get(position.id, [])


def _can_link_changes(position) -> bool:
    return (position.category in CHANGING_CATEGORIES
            and (has_role(current_user, "coordinator") or is_staff_of(current_user, position.unit_id))
            and bool(queries.versions(position.postulate.programme_id)))


# --- public ---------------------------------------------------------------------------------------

@bp.route("/programy/<int:programme_id>/tekst")
@public
def text(programme_id: int):
    return _text_page(programme_id, None)


@bp.route("/programy/<int:programme_id>/tekst/wersje/<int:number>")
@public
def version(programme_id: int, number: int):
    return _text_page(programme_id, number)


def _text_page(programme_id: int, number: int | None):
    programme = db.get_or_404(Programme, programme_id)
    view = queries.version_view(programme_id, number)
    if view is None and number is not None:
        abort(404)
    return render_template("programme_text/text.html", programme=programme, view=view,
                           versions=queries.versions(programme_id),
                           can_file=has_role(current_user, "ngo") and programme.consultation_state() == "open")


@bp.route("/programy/<int:programme_id>/tekst/przepisy/<key>")
@public
def provision(programme_id: int, key: str):
    programme = db.get_or_404(Programme, programme_id)
    row = queries.provision_by_key(programme_id, key)
    history = queries.provision_history(row) if row is not None else []
    if row is None or not any(entry.row is not None for entry in history):
        abort(404)  # a provision never published is not public
    postulates = queries.postulates_on(row.id)
    positions = [pos.id for p in postulates for pos in p.published_positions]
    current = next((entry.row for entry in reversed(history) if entry.row is not None), None)
    return render_template("programme_text/provision.html", programme=programme, provision=row, current=current,
                           history=history, postulates=postulates, changes=queries.changes_by_position(positions),
                           citation=queries.citation(programme_id, row.id) or current.label,
                           can_file=has_role(current_user, "ngo") and programme.consultation_state() == "open"
                           and history[-1].row is not None)


@bp.route("/programy/<int:programme_id>/tekst/zmiany")
@public
def changes(programme_id: int):
    """What changed, and why: provision → postulate → position → the change made."""
    from consult.consultation_report.provisions import public_condition

    programme = db.get_or_404(Programme, programme_id)
    return render_template("programme_text/changes.html", programme=programme,
                           versions=queries.versions(programme_id),
                           rows=queries.report_by_provision(programme_id, public_condition(programme_id)))


# --- the coordinator's working text ------------------------------------------------------------------

@bp.route("/koordynacja/programy/<int:programme_id>/tekst", methods=["GET", "POST"])
@roles("coordinator")
def manage(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = TextImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            provisions = _read_upload(programme, upload.filename or "", upload.read())
            with transaction():
                counts = import_text(acting_user(), programme, provisions)
        except Forbidden:
            abort(403)
        except Refused as exc:
            lines = [line for line in exc.reason.splitlines() if line.strip()]
            form.file.errors = [*form.file.errors, *(lines[1:] if len(lines) > 1 else lines)]
        else:
            flash(_("Wczytano tekst programu: przepisów %(n)s (nowych %(added)s, zmienionych %(changed)s, "
                    "usuniętych %(removed)s). Opublikuj go, gdy będzie gotowy.", n=counts["provisions"],
                    added=counts["added"], changed=counts["changed"], removed=counts["removed"]), "success")
            return redirect(url_for("programme_text.manage", programme_id=programme_id))
    from consult.programme_text.forms import StartFromPreviousForm
    from consult.programme_text.operations import previous_adopted

    rows = queries.working_text(programme_id)
    previous = previous_adopted(programme)[0] if not rows else None
    return render_template("programme_text/manage.html", programme=programme, form=form,
                           publish_form=PublishTextForm(), rows=rows,
                           versions=queries.versions(programme_id), adopted=adopted_version(programme_id),
                           previous=previous, start_form=StartFromPreviousForm())


def _read_upload(programme, filename: str, data: bytes) -> list[dict]:
    """The provisions of an uploaded DOCX, ODT or JSON file, as the interchange format's tree."""
    from consult.programme_text import documents, interchange

    if filename.lower().endswith(".json"):
        parsed = interchange.parse(data)
        if parsed["programme"]["year"] != programme.year:
            raise Refused(_("/programme/year: plik jest tekstem programu na rok %(file)s, a to program na rok "
                            "%(year)s.", file=parsed["programme"]["year"], year=programme.year), field="file")
        return parsed["provisions"]
    return documents.structure(documents.read_lines(filename, data))


@bp.route("/koordynacja/programy/<int:programme_id>/tekst/przepisy/<int:provision_id>/edycja",
          methods=["GET", "POST"])
@roles("coordinator")
def edit(programme_id: int, provision_id: int):
    programme = db.get_or_404(Programme, programme_id)
    row = db.get_or_404(Provision, provision_id)
    if row.programme_id != programme.id or row.removed:
        abort(404)
    chapter = row.kind == "chapter"
    form = ProvisionForm(chapter=chapter) if request.method == "POST" else ProvisionForm(obj=row, chapter=chapter)
    extra, status = [], 200
    if form.validate_on_submit():
        try:
            with transaction():
                edit_provision(acting_user(), row, text=form.text.data,
                               heading=form.heading.data if chapter else None, expected_version=form.version.data)
        except Forbidden:
            abort(403)
        except StaleEdit as exc:
            row = db.session.get(Provision, provision_id)
            form = ProvisionForm(formdata=None, obj=row, chapter=chapter)
            extra, status = [("text", exc.reason)], 409
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano zmianę przepisu %(label)s.", label=row.label), "success")
            return redirect(url_for("programme_text.manage", programme_id=programme_id) + f"#{row.key}")
    if request.method == "GET" or status == 409:
        form.version.data = row.version
    return render_template("programme_text/edit.html", programme=programme, provision=row, form=form, extra=extra,
                           page_error=bool(extra)), status


@bp.route("/koordynacja/programy/<int:programme_id>/tekst/publikacja", methods=["POST"])
@roles("coordinator")
def publish(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = PublishTextForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("programme_text.manage", programme_id=programme_id) + "#publikacja")
    try:
        with transaction():
            published = publish_text_version(acting_user(), programme, kind=form.kind.data)
            number, label = published.number, published.kind_label
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(url_for("programme_text.manage", programme_id=programme_id) + "#publikacja")
    flash(_("Opublikowano wersję nr %(n)s tekstu programu (%(kind)s).", n=number, kind=label), "success")
    return redirect(url_for("programme_text.version", programme_id=programme_id, number=number))


@bp.route("/koordynacja/programy/<int:programme_id>/tekst/eksport.json")
@roles("coordinator")
def export(programme_id: int):
    from consult.programme_text.interchange import export_text

    programme = db.get_or_404(Programme, programme_id)
    body = json.dumps(export_text(programme), ensure_ascii=False, indent=2)
    return body, 200, {"Content-Type": "application/json; charset=utf-8",
                       "Content-Disposition": f'attachment; filename="tekst-programu-{programme.year}.json"'}


# --- postulates and positions on provisions ---------------------------------------------------------

@bp.route("/postulaty/<int:postulate_id>/przepis", methods=["GET", "POST"])
@roles("coordinator")
def link(postulate_id: int):
    postulate = db.get_or_404(Postulate, postulate_id)
    ensure(can_view_postulate(current_user, postulate))
    choices = queries.outline_choices(postulate.programme_id)
    form = LinkPostulateForm(choices=choices)
    if request.method == "GET":
        form.provision.data, form.quote.data = postulate.provision_id, postulate.quote
    extra = []
    if form.validate_on_submit():
        try:
            with transaction():
                link_postulate(acting_user(), postulate, provision_id=form.provision.data, quote=form.quote.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano, którego przepisu dotyczy postulat %(ref)s.", ref=postulate.reference), "success")
            return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    selected = next((row for pid, _label, row in choices if pid == form.provision.data), None)
    return render_template("programme_text/link.html", postulate=postulate, form=form, extra=extra,
                           selected=selected, page_error=bool(extra), has_text=bool(choices))


@bp.route("/stanowiska/<int:position_id>/zmienione-przepisy", methods=["GET", "POST"])
@roles("unit", "coordinator")
def position_changes(position_id: int):
    position = db.get_or_404(Position, position_id)
    ensure(has_role(current_user, "coordinator") or is_staff_of(current_user, position.unit_id))
    postulate = position.postulate
    choices = queries.outline_choices(postulate.programme_id)
    form = PositionChangesForm(choices=choices)
    if request.method == "GET":
        form.provisions.data = [p.id for p in queries.changes_by_position([position.id]).get(position.id, [])]
    extra = []
    if form.validate_on_submit():
        try:
            with transaction():
                link_position_changes(acting_user(), position, [i for i in form.provisions.data or [] if i])
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano przepisy zmienione w wyniku stanowiska."), "success")
            return redirect(url_for("postulates.detail", postulate_id=postulate.id))
    return render_template("programme_text/position_changes.html", position=position, postulate=postulate,
                           form=form, extra=extra, page_error=bool(extra), has_text=bool(choices),
                           can_change=position.category in CHANGING_CATEGORIES)


# --- year to year ------------------------------------------------------------------------------------

@bp.route("/koordynacja/programy/<int:programme_id>/tekst/z-poprzedniego-roku", methods=["POST"])
@roles("coordinator")
def start_from_previous(programme_id: int):
    from consult.programme_text.forms import StartFromPreviousForm
    from consult.programme_text.operations import start_from_previous_text

    programme = db.get_or_404(Programme, programme_id)
    back = url_for("programme_text.manage", programme_id=programme_id)
    if not StartFromPreviousForm().validate_on_submit():
        flash(_("Formularz wygasł: spróbuj jeszcze raz."), "error")
        return redirect(back)
    try:
        with transaction():
            started = start_from_previous_text(acting_user(), programme)
            number = started.number
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(back)
    flash(_("Tekst programu rozpoczęto od tekstu przyjętego w poprzednim roku i opublikowano jako projekt nr "
            "%(n)s. Zmieniaj go w wersji roboczej i publikuj kolejne projekty.", n=number), "success")
    return redirect(url_for("programme_text.version", programme_id=programme_id, number=number))


@bp.route("/koordynacja/programy/<int:programme_id>/postulaty-z-poprzedniego-roku", methods=["GET", "POST"])
@roles("coordinator")
def carry(programme_id: int):
    """Last year's postulates waiting on the budget or an analysis, to carry into this year's consultation."""
    from consult.postulates.operations import carry_postulates
    from consult.postulates.queries import carry_candidates
    from consult.programme_text.forms import CarryPostulatesForm

    programme = db.get_or_404(Programme, programme_id)
    previous, candidates = carry_candidates(programme)
    open_ = [c for c in candidates if c.carried_into is None]
    form = CarryPostulatesForm(choices=[(c.postulate.id, c.postulate.reference) for c in open_])
    extra = []
    if form.validate_on_submit():
        chosen_ids = {i for i in form.postulates.data or [] if i}
        chosen = [c.postulate for c in candidates if c.postulate.id in chosen_ids]
        try:
            if len(chosen) != len(chosen_ids):
                raise Refused(_("Wybierz postulaty z listy."), field="postulates")
            with transaction():
                carried = carry_postulates(acting_user(), chosen, programme)
                refs = ", ".join(p.reference for p in carried)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Przeniesiono do konsultacji postulaty: %(refs)s. Ich organizacje zostały powiadomione.",
                    refs=refs), "success")
            return redirect(url_for("programme_text.carry", programme_id=programme_id))
    return render_template("programme_text/carry.html", programme=programme, previous=previous,
                           candidates=candidates, form=form, extra=extra, page_error=bool(extra or form.errors))
