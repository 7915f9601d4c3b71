"""Plumbing shared by every domain's operations: one transaction per door, workflow firing with audit."""
from __future__ import annotations

from contextlib import contextmanager

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from consult.core import audit
from consult.core.access import roles_of
from consult.core.errors import Forbidden, Refused, StaleEdit
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
        raise StaleEdit(_("Ktoś inny zapisał zmiany w tym samym czasie. Twoje zmiany nie zostały zapisane: "
                          "wczytaj stronę ponownie i wprowadź je jeszcze raz.")) from None
    except IntegrityError as exc:
        db.session.rollback()
        raise Refused(_("Zapis odrzucony, bo naruszałby spójność danych (%(detail)s). Nic nie zostało zmienione.",
                        detail=str(exc.orig).splitlines()[0][:200])) from None
    except BaseException:
        db.session.rollback()
        raise


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
