"""Attaching files to a record, removing them and downloading them.

/zalaczniki/<kind>/<id>  the record's files with the form that attaches one (those who may change them)
/zalaczniki/<id>/usun    removes one (the same people)
/zalaczniki/<id>/pobierz downloads one: whoever may see the record it belongs to (asked of that record's domain)
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.attachments import store
from consult.attachments import queries
from consult.attachments.forms import ANNEX_LABELS, AttachmentForm, CallAnnexesForm
from consult.attachments.models import MAX_SIZE, Attachment
from consult.attachments.operations import attach, remove, set_call_annexes
from consult.attachments.parents import BY_SLUG, parent_of
from consult.attachments.queries import attachments_of, panel
from consult.attachments.sniffing import accepted_names
from consult.core.access import acting_user, ensure, public, roles, signed_in
from consult.core.errors import Forbidden, Refused
from consult.core.forms import show_refusal
from consult.extensions import db, login_manager
from consult.i18n import format_number

bp = Blueprint("attachments", __name__)
SLUGS = ",".join(f"'{slug}'" for slug in BY_SLUG)  # quoted: a slug may hold a hyphen


@bp.app_template_global()
def attachments_panel(kind: str, record) -> dict:
    return panel(kind, record)


@bp.app_template_filter()
def file_size(size: int) -> str:
    if size < 1024 * 1024:
        return _("%(n)s kB", n=format_number(max(1, round(size / 1024))))
    return _("%(n)s MB", n=format_number(round(size / (1024 * 1024), 1)))


@bp.app_context_processor
def _annex_helpers():
    return {"ANNEX_LABELS": ANNEX_LABELS, "call_annexes": queries.call_annexes,
            "missing_annexes": queries.missing_annexes}


def _record_or_404(slug: str, record_id: int):
    parent = BY_SLUG[slug]
    record = parent.get(record_id)
    if record is None:
        abort(404)
    return parent, record


@bp.route(f"/zalaczniki/<any({SLUGS}):slug>/<int:record_id>", methods=["GET", "POST"])
@signed_in
def manage(slug: str, record_id: int):
    parent, record = _record_or_404(slug, record_id)
    ensure(parent.can_manage(current_user, record))
    form = AttachmentForm(with_annex=parent.annexes)
    extra = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            attachment = attach(acting_user(), parent, record, upload.read(MAX_SIZE + 1), upload.filename,
                                annex=form.annex.data if parent.annexes else "other")
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Plik „%(name)s” został dołączony.", name=attachment.filename), "success")
            return redirect(url_for(".manage", slug=slug, record_id=record_id))
    return render_template("attachments/manage.html", form=form, extra=extra, parent=parent, record=record,
                           title=parent.title(record), back_url=parent.url(record),
                           files=attachments_of(parent, record), accepted=accepted_names(),
                           may_remove=lambda f: parent.may_remove(current_user, record, f),
                           limit=format_number(MAX_SIZE // (1024 * 1024)))


def _attachment_or_404(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    return attachment


@bp.route("/zalaczniki/<int:attachment_id>/usun", methods=["POST"])
@signed_in
def delete(attachment_id: int):
    attachment = _attachment_or_404(attachment_id)
    parent, record = parent_of(attachment)
    ensure(parent.may_remove(current_user, record, attachment))
    name = attachment.filename
    try:
        remove(acting_user(), attachment)
    except Forbidden:
        abort(403)
    flash(_("Plik „%(name)s” został usunięty.", name=name), "success")
    return redirect(url_for(".manage", slug=parent.slug, record_id=record.id))


@bp.route("/zalaczniki/<int:attachment_id>/pobierz")
@public
def download(attachment_id: int):
    """Whoever may see the record may download its files; a visitor not signed in is asked to sign in first."""
    attachment = _attachment_or_404(attachment_id)
    parent, record = parent_of(attachment)
    if not parent.can_view(current_user, record):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        abort(403)
    path = store.path_of(attachment.sha256)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=attachment.media_type, as_attachment=True,
                         download_name=attachment.filename, etag=attachment.sha256, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/koordynacja/konkursy/<int:call_id>/zalaczniki", methods=["GET", "POST"])
@roles("unit", "coordinator")
def call_annexes(call_id: int):
    """The annexes a call asks every offer for, declared while the call is a draft by those who run it."""
    from consult.calls.access import can_run_call
    from consult.calls.models import Call

    call = db.session.get(Call, call_id)
    if call is None:
        abort(404)
    ensure(can_run_call(current_user, call) and call.state == "draft")
    declared = queries.call_annexes(call)
    form = CallAnnexesForm()
    if not form.is_submitted():
        form.annexes.data = [row.annex for row in declared if row.required]
        form.optional_annexes.data = [row.annex for row in declared if not row.required]
        form.other_description.data = next((row.description for row in declared if row.annex == "other"), "")
    extra = []
    if form.validate_on_submit():
        try:
            set_call_annexes(acting_user(), call, set(form.annexes.data or []), form.other_description.data or "",
                             optional=set(form.optional_annexes.data or []))
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano załączniki wymagane w konkursie."), "success")
            return redirect(url_for("calls.manage", call_id=call.id))
    return render_template("attachments/call_annexes.html", form=form, extra=extra, call=call)
