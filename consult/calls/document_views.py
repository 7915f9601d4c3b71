"""Public downloads of a call's PDFs: its announcement and its results.

Only a published version is ever served (a call's PDFs are published when compiled, which happens after
the call is announced or its results published); anything else is 404, for everyone. The announcement and
results pages link here through the `call_document` template global when the PDF exists, and to the
translations (`?lang=en`, `?lang=uk`) a runner of the call had compiled (`call_document_translations`).
"""
from __future__ import annotations

from flask import Blueprint, abort, request, send_file

from consult.calls.documents import call_translations, current_call_document
from consult.core.access import public
from consult.documents import storage
from consult.documents.models import DOCUMENT_LANGUAGES

bp = Blueprint("call_documents", __name__)


@bp.app_template_global("call_document")
def call_document(call_id: int, kind: str):
    """The call's published PDF of the kind (call_announcement, call_results), or None."""
    return current_call_document(call_id, kind)


@bp.app_template_global("call_document_translations")
def call_document_translations(call_id: int, kind: str):
    """The call's published translations (English, Ukrainian) of the PDF of the kind; Polish is the official one."""
    return call_translations(call_id, kind)


def _send(call_id: int, kind: str):
    # ?lang=en or uk: a translation; without it the official, Polish PDF
    language = request.args.get("lang", "pl")
    if language not in DOCUMENT_LANGUAGES:
        abort(404)
    version = current_call_document(call_id, kind, language)
    if version is None:
        abort(404)
    path = storage.path_of(version.storage_key)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=version.filename, as_attachment=False,
                     etag=version.sha256, max_age=300)


@bp.route("/konkursy/<int:call_id>/ogloszenie.pdf")
@public
def announcement_pdf(call_id: int):
    return _send(call_id, "call_announcement")


@bp.route("/konkursy/<int:call_id>/wyniki.pdf")
@public
def results_pdf(call_id: int):
    return _send(call_id, "call_results")
