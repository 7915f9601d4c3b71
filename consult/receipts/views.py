"""Downloading the PDF of what was filed (any version), for those who may see what was filed; the pages of an
offer, a small grant's case, a report and the organisation's own page list the versions through the template
globals here."""
from __future__ import annotations

from flask import Blueprint, abort, send_file

from consult.core.access import acting_user, ensure, signed_in
from consult.documents import storage
from consult.documents.models import DocumentVersion
from consult.documents.operations import may_see
from consult.extensions import db
from consult.receipts import documents, queries

bp = Blueprint("receipts", __name__)


@bp.app_template_global("filed_versions")
def filed_versions(kind: str, subject_id: int) -> list[DocumentVersion]:
    """The PDFs of a filed offer or report (kind: offer_filed, small_grant_offer_filed, grant_report_filed)."""
    return documents.filed_versions(kind, subject_id)


@bp.app_template_global("organisation_filings")
def organisation_filings(organisation_id: int):
    return queries.organisation_filings(organisation_id)


@bp.route("/dokumenty-zlozone/<int:version_id>.pdf")
@signed_in
def download(version_id: int):
    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.kind not in documents.FILED_KINDS:
        abort(404)
    ensure(may_see(acting_user(), version))
    path = storage.path_of(version.storage_key)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=version.filename, as_attachment=False,
                     etag=version.sha256, max_age=0)
