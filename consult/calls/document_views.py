"""Public downloads of a call's PDFs: its announcement and its results.

Only a published version is ever served (a call's PDFs are published when compiled, which happens after
the call is announced or its results published); anything else is 404, for everyone. The announcement and
results pages link here through the `call_document` template global when the PDF exists.
"""
from __future__ import annotations

from flask import Blueprint, abort, send_file

from consult.core.access import public
from consult.documents import storage
from consult.documents.queries import current_call_document

bp = Blueprint("call_documents", __name__)


@bp.app_template_global("call_document")
def call_document(call_id: int, kind: str):
    """The call's published PDF of the kind (call_announcement, call_results), or None."""
    return current_call_document(call_id, kind)


def _send(call_id: int, kind: str):
    version = current_call_document(call_id, kind)
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
