"""The report on the programme (art. 5a ust. 3): coordinators publish it; once published, anyone reads its page,
XLSX and PDF (before that only coordinators do: tests/test_programme_report.py checks the 404 the others get)."""
from tests.access_cases import ALL, Case

COORD = frozenset({"coordinator"})


def published(w) -> int:
    """The world's programme, with its report published."""
    from consult.core.types import utcnow
    from consult.extensions import db
    from consult.programme_report.models import ProgrammeReportPublication

    if db.session.scalar(db.select(ProgrammeReportPublication).where(
            ProgrammeReportPublication.programme_id == w.programme.id)) is None:
        db.session.add(ProgrammeReportPublication(programme_id=w.programme.id, published_at=utcnow()))
        db.session.commit()
    return w.programme.id


CASES = [
    Case("programme_report.page", lambda w: f"/programy/{published(w)}/sprawozdanie-z-realizacji", ALL,
         name="published"),
    Case("programme_report.xlsx", lambda w: f"/programy/{published(w)}/sprawozdanie-z-realizacji.xlsx", ALL,
         name="published"),
    Case("programme_report.pdf", lambda w: f"/programy/{published(w)}/sprawozdanie-z-realizacji.pdf?jezyk=uk", ALL,
         name="published"),
    Case("programme_report.publish",
         lambda w: f"/koordynacja/programy/{w.programme.id}/sprawozdanie-z-realizacji/publikacja", COORD,
         method="POST", data=lambda w: {}),
]
