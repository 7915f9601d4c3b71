"""Plumbing shared by every domain's operations: one transaction per door, workflow firing with audit."""
from __future__ import annotations

from contextlib import contextmanager

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from consult.core import audit
from consult.core.access import roles_of
from consult.core.errors import Collision, Forbidden, Refused, StaleEdit, StaleWrite
from consult.extensions import db
from workflows import TransitionRefused, Workflow


@contextmanager
def transaction():
    """Commit what the block did, or roll all of it back; turn database races into refusals."""
    try:
        yield db.session
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleWrite(_("Ktoś inny zapisał zmiany w tym samym czasie. Twoje zmiany nie zostały zapisane: "
                          "wczytaj stronę ponownie i wprowadź je jeszcze raz.")) from None
    except IntegrityError as exc:
        db.session.rollback()
        refusal = Collision if unique_violation(exc) else Refused
        raise refusal(_("Zapis odrzucony, bo naruszałby spójność danych (%(detail)s). Nic nie zostało zmienione.",
                        detail=str(exc.orig).splitlines()[0][:200])) from None
    except BaseException:
        db.session.rollback()
        raise


def unique_violation(exc: IntegrityError) -> bool:
    """Whether the database refused a row because another row has its unique key (PostgreSQL's SQLSTATE
    23505, SQLite's UNIQUE constraint), rather than a foreign key, NOT NULL or CHECK constraint."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "23505":
        return True
    return getattr(orig, "sqlite_errorname", None) in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY") \
        or str(orig).startswith("UNIQUE constraint failed")


ATTEMPTS = 5  # each run lets at least one of the racing requests through: enough for a few at once


def in_transaction(operation, *args, **kwargs):
    """Run `operation(*args, **kwargs)` in a transaction of its own, commit, and return what it returned.

    When two requests make the same first record at once (a form sent twice, two people deciding on one
    offer), both read "there is none" and both insert; the database keeps one and refuses the other with a
    unique violation. Likewise when both update one row, the second finds its version moved. That loser is
    run again from the start: now it sees the winner's rows and does what it would have done had it come a
    moment later – finds the form's token and shows what was made (`AlreadyDone`), updates the record, takes
    the next number, refuses an edit made on a stale form (its version check), or refuses in its own words.
    A refusal of another kind, or a collision that persists, is raised as `transaction()` raises it.
    """
    for attempt in range(ATTEMPTS):
        try:
            with transaction():
                return operation(*args, **kwargs)
        except Collision:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def fire(workflow: Workflow, subject, transition: str, actor, *, context=None, action: str | None = None,
         **details) -> str:
    """Fire `transition` on `subject` (which has .id and .state) for `actor`, and audit it.

    Raises Forbidden when the actor's role may not fire it and Refused when the state or a guard
    forbids it. Returns the new state.
    """
    before = subject.state
    try:
        t = workflow.check(transition, before, roles_of(actor), context)
    except TransitionRefused as exc:
        if exc.code == "role":
            raise Forbidden(_("Nie masz uprawnień do tej czynności.")) from None
        if exc.code == "state":
            raise Refused(_("Tej czynności nie można wykonać, gdy %(what)s ma stan „%(state)s”.",
                            what=str(SUBJECT_LABELS.get(workflow.name, workflow.name)), state=state_label(workflow.name, before))) from None
        raise Refused(exc.reason) from None
    after = t.leads_from(before)
    subject.state = after
    if subject.id is None:
        db.session.flush()
    audit.record(actor, workflow.name, subject.id, action or transition, from_state=before, to_state=after, **details)
    return after


def check_version(subject, expected_version: int | None) -> None:
    """Refuse an edit made on a form loaded before someone else saved the same record."""
    if expected_version is not None and int(expected_version) != subject.version:
        raise StaleEdit(_("Ktoś inny zmienił ten zapis, odkąd otworzyłeś formularz. Twoje zmiany nie zostały "
                          "zapisane. Poniżej jest aktualna treść – wprowadź zmiany jeszcze raz."))


# The words the UI uses for each workflow's subject and states: lazy, so each request reads them in its language.
SUBJECT_LABELS = {
    "postulate": _l("postulat"), "meeting": _l("spotkanie"), "position": _l("stanowisko"),
    "call": _l("konkurs"), "offer": _l("oferta"), "score_sheet": _l("karta oceny"),
    "implementation_report": _l("sprawozdanie z realizacji"),
}
STATE_LABELS = {
    "postulate": {
        "draft": _l("szkic"), "submitted": _l("złożony"), "assigned": _l("przekazany komórce"),
        "answered": _l("ze stanowiskiem"), "published": _l("opublikowany"), "withdrawn": _l("wycofany"),
    },
    "meeting": {"planned": _l("zaplanowane"), "held": _l("odbyte"),
                "summary_published": _l("podsumowanie opublikowane")},
    "position": {"draft": _l("projekt"), "published": _l("opublikowane")},
    "implementation_report": {"open": _l("otwarta"), "closed": _l("zamknięta")},
}


def state_label(workflow_name: str, state: str | None) -> str:
    if state is None:
        return ""
    return str(STATE_LABELS.get(workflow_name, {}).get(state, state))
