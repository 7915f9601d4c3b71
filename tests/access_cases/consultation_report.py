"""The consolidated consultation report: coordinators compile and publish it; anyone reads published versions."""
from tests.access_cases import ALL, Case

COORD = frozenset({"coordinator"})


def make_report_version(w, *, published: bool = False):
    """A done job and its version of the world's programme report, with a file in storage (no rendering)."""
    from consult.core.types import utcnow
    from consult.documents import storage
    from consult.documents.models import DocumentJob, DocumentVersion
    from consult.extensions import db

    now = utcnow()
    job = DocumentJob(kind="programme_report", subject_id=w.programme.id, preview=False, state="done",
                      attempts=1, requested_at=now, started_at=now, finished_at=now)
    db.session.add(job)
    db.session.flush()
    number = len(db.session.scalars(db.select(DocumentVersion.id)
                                    .where(DocumentVersion.about("programme", w.programme.id))).all()) + 1
    key = f"programme-reports/{w.programme.id}/job-{job.id}-test.pdf"
    storage.write(key, b"%PDF-1.7\n% test file\n%%EOF\n")
    version = DocumentVersion(kind="programme_report", subject_id=w.programme.id, job_id=job.id, number=number,
                              preview=False, storage_key=key, sha256="0" * 64, size=27, pages=1,
                              source_digest="0" * 64, created_at=now, published_at=now if published else None,
                              published_by_label="Koordynator" if published else None)
    db.session.add(version)
    db.session.commit()
    return version


CASES = [
    Case("consultation_report.programme", lambda w: f"/koordynacja/programy/{w.programme.id}/raport", COORD),
    Case("consultation_report.compile_report", lambda w: f"/koordynacja/programy/{w.programme.id}/raport/kompilacja",
         COORD, method="POST", data=lambda w: {}),
    Case("consultation_report.job", lambda w: f"/koordynacja/raporty/zadania/{make_report_version(w).job_id}", COORD),
    Case("consultation_report.job_state",
         lambda w: f"/koordynacja/raporty/zadania/{make_report_version(w).job_id}/stan", COORD),
    Case("consultation_report.publish",
         lambda w: f"/koordynacja/raporty/wersje/{make_report_version(w).id}/publikacja", COORD,
         method="POST", data=lambda w: {}),
    Case("consultation_report.download_version",
         lambda w: f"/koordynacja/raporty/wersje/{make_report_version(w).id}/pdf", COORD),
    Case("consultation_report.published_pdf", lambda w: f"/raporty/{make_report_version(w, published=True).id}.pdf",
         ALL),
]
