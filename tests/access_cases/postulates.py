"""Postulates: an NGO's own postulates, a unit's queue and positions, a coordinator's register and routing.

An NGO never sees another NGO's drafts (nor do coordinators: a draft is the organisation's own); unit staff
act only on postulates assigned to their unit; only coordinators assign and forward, set a position's due date
and read the list of what is overdue (a unit sees its own due dates in its queue).
"""
from datetime import date, timedelta

from tests.access_cases import ALL, Case

NGO = frozenset({"ngo_a", "ngo_b"})
A = frozenset({"ngo_a"})
UNITS = frozenset({"unit_x", "unit_y"})
X_AND_COORD = frozenset({"unit_x", "coordinator"})
COORD = frozenset({"coordinator"})


def _p(name, suffix=""):
    return lambda w: f"/postulaty/{w.p[name].id}{suffix}"


CASES = [
    Case("postulates.mine", lambda w: "/moje-postulaty", NGO),
    Case("postulates.new", lambda w: f"/programy/{w.programme.id}/postulaty/nowy", NGO),
    Case("postulates.new", lambda w: f"/programy/{w.programme.id}/postulaty/nowy", NGO, method="POST",
         data=lambda w: {"content": "Nowy postulat", "draft": "1"}),
    Case("postulates.new", lambda w: f"/programy/{w.closed_programme.id}/postulaty/nowy", NGO, method="POST",
         data=lambda w: {"content": "Za późno", "submit": "1"}, name="closed"),
    Case("postulates.submitted", _p("a_submitted", "/zlozony"), A),
    # Who may open a postulate depends on its state and owner.
    Case("postulates.detail", _p("a_draft"), A, name="draft"),
    Case("postulates.detail", _p("a_submitted"), A | {"coordinator", "admin"}, name="submitted"),
    Case("postulates.detail", _p("a_assigned_x"), A | {"unit_x", "coordinator", "admin"}, name="assigned"),
    Case("postulates.detail", _p("b_published_x"), ALL, name="published"),
    Case("postulates.edit", _p("a_draft", "/edycja"), A, name="draft"),
    Case("postulates.edit", _p("a_submitted", "/edycja"), A | COORD, name="submitted"),
    Case("postulates.edit", _p("a_submitted", "/edycja"), A | COORD, method="POST",
         data=lambda w: {"content": "Poprawiona treść"}),
    Case("postulates.submit", _p("a_draft", "/zloz"), A, method="POST", data=lambda w: {}),
    Case("postulates.withdraw", _p("a_submitted", "/wycofaj"), A),
    Case("postulates.withdraw", _p("a_submitted", "/wycofaj"), A, method="POST",
         data=lambda w: {"reason": ""}),
    # A unit's work.
    Case("postulates.queue", lambda w: "/kolejka", UNITS),
    Case("postulates.publish_bulk", lambda w: "/kolejka/publikuj", frozenset({"unit_x"}), method="POST",
         data=lambda w: {"postulates": [w.p["a_answered_x"].id]}),
    # The confirmation page of publishing (the queue's checked postulates come as a query string).
    Case("postulates.publish_bulk", lambda w: f"/kolejka/publikuj?postulates={w.p['a_answered_x'].id}",
         frozenset({"unit_x"})),
    Case("postulates.position", _p("a_assigned_x", "/stanowisko"), X_AND_COORD),
    Case("postulates.position", _p("a_assigned_x", "/stanowisko"), X_AND_COORD, method="POST",
         data=lambda w: {"category": "accepted", "text": "Przyjmujemy.", "version": "0"}),
    Case("postulates.publish", _p("a_answered_x", "/publikuj"), X_AND_COORD),
    Case("postulates.publish", _p("a_answered_x", "/publikuj"), X_AND_COORD, method="POST",
         data=lambda w: {}),
    # A coordinator's register and routing.
    Case("postulates.register", lambda w: "/rejestr", COORD),
    Case("postulates.register_export", lambda w: "/rejestr/eksport.csv", COORD, name="csv"),
    Case("postulates.register_export", lambda w: "/rejestr/eksport.xlsx", COORD, name="xlsx"),
    Case("postulates.register_export", lambda w: "/rejestr/eksport.ods", COORD, name="ods"),
    Case("postulates.assign", _p("a_submitted", "/przypisz"), COORD),
    Case("postulates.assign", _p("a_submitted", "/przypisz"), COORD, method="POST",
         data=lambda w: {"unit": w.unit_x.id}),
    Case("postulates.forward", _p("a_assigned_x", "/przekaz"), COORD),
    Case("postulates.forward", _p("a_assigned_x", "/przekaz"), COORD, method="POST",
         data=lambda w: {"unit": w.unit_y.id, "note": "Właściwa jest komórka Y."}),
    # Due dates of positions.
    Case("postulates.due_date", _p("a_assigned_x", "/termin"), COORD),
    Case("postulates.due_date", _p("a_assigned_x", "/termin"), COORD, method="POST", data=lambda w: _due_in(30)),
    Case("postulates.overdue", lambda w: "/koordynacja/po-terminie", COORD),
]


def _due_in(days: int) -> dict:
    day = date.today() + timedelta(days=days)
    return {"due_on-day": str(day.day), "due_on-month": str(day.month), "due_on-year": str(day.year)}

# Commitments made in positions: the unit of the position and coordinators record them; the open ones are listed
# for units (their own) and coordinators.
def _commitment_url(w):
    position = w.p["b_published_x"].positions[0]
    return f"/postulaty/{position.postulate_id}/stanowiska/{position.id}/zobowiazania/nowe"


def _commitment_done_url(w):
    from consult.commitments.models import Commitment
    from consult.core.actors import SYSTEM  # noqa: F401
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.core.types import today_in_warsaw

    commitment = db.session.scalar(db.select(Commitment).limit(1))
    if commitment is None:
        with transaction():
            position = w.p["b_published_x"].positions[0]
            commitment = Commitment(position_id=position.id, what="Zrobimy.", unit_id=position.unit_id,
                                    due_on=today_in_warsaw(), state="open")
            db.session.add(commitment)
    return f"/zobowiazania/{commitment.id}/wykonane"


_COMMITMENT_DUE = {"due_on-day": "1", "due_on-month": "1", "due_on-year": "2030"}
CASES += [
    Case("commitments.new", _commitment_url, frozenset({"unit_x", "coordinator"})),
    Case("commitments.new", _commitment_url, frozenset({"unit_x", "coordinator"}), method="POST",
         data=lambda w: {"what": "Przekażemy.", "unit_id": str(w.unit_x.id), **_COMMITMENT_DUE}),
    Case("commitments.complete", _commitment_done_url, frozenset({"unit_x", "coordinator"})),
    Case("commitments.complete", _commitment_done_url, frozenset({"unit_x", "coordinator"}), method="POST",
         data=lambda w: {"note": "Zrobione."}),
    Case("commitments.open_list", lambda w: "/zobowiazania", frozenset({"unit_x", "unit_y", "coordinator"})),
]


# Words hidden from a postulate's public text: coordinators only.
def _redaction_url(w):
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.postulates.models import Redaction
    from consult.postulates.operations import redact_postulate

    redaction = db.session.scalar(db.select(Redaction).limit(1))
    if redaction is None:
        with transaction():
            redaction = redact_postulate(w.user("coordinator"), w.p["b_published_x"], words="opublikowany",
                                         reason="test")
    return f"/postulaty/{redaction.postulate_id}/ukryj-slowa/{redaction.id}/przywroc"


CASES += [
    Case("postulates.redact", _p("b_published_x", "/ukryj-slowa"), COORD),
    Case("postulates.redact", _p("b_published_x", "/ukryj-slowa"), COORD, method="POST",
         data=lambda w: {"words": "opublikowany", "reason": "Nazwisko osoby prywatnej."}),
    Case("postulates.undo_redact", _redaction_url, COORD, method="POST", data=lambda w: {}),
]


# Words hidden from a position's public text: coordinators only.
def _position_url(w, suffix="/ukryj-slowa"):
    postulate = w.p["b_published_x"]
    return f"/postulaty/{postulate.id}/stanowiska/{postulate.positions[0].id}{suffix}"


def _position_redaction_url(w):
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.postulates.models import PositionRedaction
    from consult.postulates.operations import redact_position

    redaction = db.session.scalar(db.select(PositionRedaction).limit(1))
    if redaction is None:
        with transaction():
            redaction = redact_position(w.user("coordinator"), w.p["b_published_x"].positions[0],
                                        words="przyjmujemy", reason="test")
    return _position_url(w, f"/ukryj-slowa/{redaction.id}/przywroc")


CASES += [
    Case("postulates.redact_position_words", _position_url, COORD),
    Case("postulates.redact_position_words", _position_url, COORD, method="POST",
         data=lambda w: {"words": "przyjmujemy", "reason": "Nazwisko osoby prywatnej."}),
    Case("postulates.undo_position_redact", _position_redaction_url, COORD, method="POST", data=lambda w: {}),
]
