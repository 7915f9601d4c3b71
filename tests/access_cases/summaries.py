"""Meeting summaries: coordinators compile, publish and import; anyone reads published summaries."""
from io import BytesIO

from tests.access_cases import ALL, Case

COORD = frozenset({"coordinator"})


def make_version(w, *, published: bool = False, preview: bool = False):
    """A job and its compiled version of the world's meeting, with a file in storage (no rendering)."""
    from consult.core.types import utcnow
    from consult.documents import storage
    from consult.documents.models import DocumentJob, DocumentVersion
    from consult.extensions import db

    now = utcnow()
    job = DocumentJob(kind="meeting_summary", subject_id=w.meeting.id, preview=preview, state="done", attempts=1,
                      requested_at=now, started_at=now, finished_at=now)
    db.session.add(job)
    db.session.flush()
    number = len(db.session.scalars(db.select(DocumentVersion.id)
                                    .where(DocumentVersion.about("meeting", w.meeting.id))).all()) + 1
    key = f"meeting-summaries/{w.meeting.id}/job-{job.id}-test.pdf"
    storage.write(key, b"%PDF-1.7\n% test file\n%%EOF\n")
    version = DocumentVersion(kind="meeting_summary", subject_id=w.meeting.id, job_id=job.id, number=number,
                              preview=preview, storage_key=key, sha256="0" * 64, size=27, pages=1,
                              source_digest="0" * 64, created_at=now,
                              published_at=now if published else None,
                              published_by_label="Koordynator" if published else None)
    db.session.add(version)
    db.session.commit()
    return version


def _job_url(w, suffix=""):
    return f"/koordynacja/podsumowania/zadania/{make_version(w).job_id}{suffix}"


CASES = [
    Case("summaries.index", lambda w: "/koordynacja/podsumowania", COORD),
    Case("summaries.upload", lambda w: "/koordynacja/podsumowania/import", COORD),
    Case("summaries.upload", lambda w: "/koordynacja/podsumowania/import", COORD, method="POST",
         data=lambda w: {"file": (BytesIO(b"{not json"), "spotkanie.json")}),
    Case("summaries.meeting", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/podsumowanie", COORD),
    Case("summaries.compile_summary", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/podsumowanie/kompilacja", COORD,
         method="POST", data=lambda w: {"preview": "1"}),
    Case("summaries.job", lambda w: _job_url(w), COORD),
    Case("summaries.job_state", lambda w: _job_url(w, "/stan"), COORD),
    Case("summaries.publish",
         lambda w: f"/koordynacja/podsumowania/wersje/{make_version(w).id}/publikacja", COORD,
         method="POST", data=lambda w: {}),
    Case("summaries.download_version",
         lambda w: f"/koordynacja/podsumowania/wersje/{make_version(w, preview=True).id}/pdf", COORD),
    Case("summaries.export", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/podsumowanie.json", COORD),
    Case("summaries.programme_summaries", lambda w: f"/programy/{w.programme.id}/podsumowania", ALL),
    Case("summaries.published_pdf", lambda w: f"/podsumowania/{make_version(w, published=True).id}.pdf", ALL),
]
