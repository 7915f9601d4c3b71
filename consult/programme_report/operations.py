"""The one change of the report on a programme: its publication by a coordinator (from then on it is public).
The numbers themselves are read from the calls, offers, decisions and meetings: nothing here changes them."""
from __future__ import annotations

from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.locks import lock_for_update
from consult.core.types import utcnow
from consult.documents.models import DOCUMENT_LANGUAGES, DocumentVersion
from consult.documents.operations import queue_job
from consult.extensions import db
from consult.i18n import format_moment
from consult.programme_report.documents import IMPLEMENTATION_SUMMARY
from consult.programme_report.models import ProgrammeReportPublication
from consult.programmes.models import Programme


def publish_programme_report(actor, programme: Programme) -> ProgrammeReportPublication:
    """Publish the report on the programme; publishing it again is refused, saying when it was. Its PDF is
    compiled in every document language after the commit and kept: the published numbers stay as published."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Sprawozdanie z realizacji programu publikują koordynatorzy."))
    programme = lock_for_update(Programme, programme.id)
    done = db.session.scalar(db.select(ProgrammeReportPublication).where(
        ProgrammeReportPublication.programme_id == programme.id))
    if done is not None:
        raise Refused(_("Sprawozdanie z realizacji programu „%(title)s” opublikowano już %(when)s.",
                        title=programme.title, when=format_moment(done.published_at)))
    publication = ProgrammeReportPublication(programme_id=programme.id, published_at=utcnow(),
                                             published_by_id=getattr(actor, "id", None))
    db.session.add(publication)
    db.session.flush()
    audit.record(actor, "programme", programme.id, "publish_implementation_summary", to_state="published",
                 publication_id=publication.id)
    for language in DOCUMENT_LANGUAGES:
        queue_job(actor, IMPLEMENTATION_SUMMARY.name, programme.id, language=language)
    return publication


def published_pdf(programme_id: int, language: str) -> DocumentVersion | None:
    """The PDF kept when the report was published, in `language` (None while it is being compiled)."""
    return db.session.scalar(
        db.select(DocumentVersion)
        .where(DocumentVersion.kind == IMPLEMENTATION_SUMMARY.name, DocumentVersion.subject_id == programme_id,
               DocumentVersion.language == language, DocumentVersion.published_at.is_not(None))
        .order_by(DocumentVersion.number.desc()).limit(1))
