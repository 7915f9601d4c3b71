"""Implementation reports: coordinators open rounds, follow and close them, compile and export; unit staff report
on the activities of their unit (unit X answers for the small report's first activity, unit Y for the second)."""
from io import BytesIO

from tests.access_cases import Case

COORD = frozenset({"coordinator"})
UNITS = frozenset({"unit_x", "unit_y"})


def _report(w) -> int:
    from consult.extensions import db
    from consult.implementation.models import ImplementationReport
    from tests.implementation_support import import_data, small_data

    existing = db.session.scalar(db.select(ImplementationReport.id).limit(1))
    return existing or import_data(small_data())


def _activity_of_x(w) -> int:
    from consult.extensions import db
    from consult.implementation.models import Activity, ActivityUnit

    report_id = _report(w)
    return db.session.scalar(db.select(Activity.id).join(ActivityUnit).where(
        Activity.report_id == report_id, ActivityUnit.unit_id == w.unit_x.id).order_by(Activity.id).limit(1))


def _job(w, *, version: bool = False):
    from consult.core.types import utcnow
    from consult.documents import storage
    from consult.documents.models import DocumentJob, DocumentVersion
    from consult.extensions import db

    report_id, now = _report(w), utcnow()
    job = DocumentJob(kind="implementation_report", subject_id=report_id, state="done", attempts=1,
                      requested_at=now, started_at=now, finished_at=now)
    db.session.add(job)
    db.session.flush()
    key = f"implementation-reports/{report_id}/job-{job.id}-test.pdf"
    storage.write(key, b"%PDF-1.7\n% test file\n%%EOF\n")
    v = DocumentVersion(kind="implementation_report", subject_id=report_id, job_id=job.id, number=job.id,
                        storage_key=key, sha256="0" * 64, size=27, pages=1, source_digest="0" * 64, created_at=now)
    db.session.add(v)
    db.session.commit()
    return v.id if version else job.id


CASES = [
    Case("implementation.index", lambda w: "/koordynacja/sprawozdania", COORD),
    Case("implementation.upload", lambda w: "/koordynacja/sprawozdania/nowe", COORD),
    Case("implementation.upload", lambda w: "/koordynacja/sprawozdania/nowe", COORD, method="POST",
         data=lambda w: {"file": (BytesIO(b"{not json"), "plan.json")}),
    Case("implementation.detail", lambda w: f"/koordynacja/sprawozdania/{_report(w)}", COORD),
    Case("implementation.close", lambda w: f"/koordynacja/sprawozdania/{_report(w)}/zamkniecie", COORD,
         method="POST", data=lambda w: {}),
    Case("implementation.next_round", lambda w: f"/koordynacja/sprawozdania/{_report(w)}/kolejna-runda", COORD,
         method="POST", data=lambda w: {"year": "2023"}),
    Case("implementation.reopen", lambda w: f"/koordynacja/sprawozdania/{_report(w)}/ponowne-otwarcie", COORD,
         method="POST", data=lambda w: {}),
    Case("implementation.compile_pdf", lambda w: f"/koordynacja/sprawozdania/{_report(w)}/kompilacja", COORD,
         method="POST", data=lambda w: {}),
    Case("implementation.job", lambda w: f"/koordynacja/sprawozdania/zadania/{_job(w)}", COORD),
    Case("implementation.job_state", lambda w: f"/koordynacja/sprawozdania/zadania/{_job(w)}/stan", COORD),
    Case("implementation.download_version",
         lambda w: f"/koordynacja/sprawozdania/wersje/{_job(w, version=True)}.pdf", COORD),
    Case("implementation.xlsx", lambda w: f"/koordynacja/sprawozdania/{_report(w)}.xlsx", COORD),
    Case("implementation.export", lambda w: f"/koordynacja/sprawozdania/{_report(w)}.json", COORD),
    Case("implementation.mine", lambda w: "/sprawozdania", UNITS),
    Case("implementation.unit_report", lambda w: f"/sprawozdania/{_report(w)}", UNITS),
    Case("implementation.realisation", lambda w: f"/sprawozdania/dzialania/{_activity_of_x(w)}",
         COORD | {"unit_x"}),
    Case("implementation.realisation", lambda w: f"/sprawozdania/dzialania/{_activity_of_x(w)}",
         COORD | {"unit_x"}, method="POST", data=lambda w: {"outcome": "done", "realised": "10 801 usług"}),
]
