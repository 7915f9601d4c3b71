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
# The audit log names every kind of record it has events about with these words too.
SUBJECT_LABELS = {
    "postulate": _l("postulat"), "meeting": _l("spotkanie"), "position": _l("stanowisko"),
    "call": _l("konkurs"), "offer": _l("oferta"), "score_sheet": _l("karta oceny"),
    "implementation_report": _l("sprawozdanie z realizacji"),
    "programme": _l("program współpracy"), "organisation": _l("organizacja"), "unit": _l("komórka"),
    "user": _l("konto"), "access_attempt": _l("próba dostępu"), "notification": _l("powiadomienie"),
    "document_job": _l("kompilacja dokumentu"),
    "small_grant_limits": _l("limity małych grantów"), "commitment": _l("zobowiązanie"),
    "join_request": _l("prośba o dołączenie do organizacji"),
    "place": _l("miejsce aktywności"), "place_kind": _l("rodzaj miejsca aktywności"),
    "booking_request": _l("wniosek o salę"), "room": _l("sala"),
    "retention_period": _l("okres przechowywania danych"),
    "small_grant_offer": _l("oferta w trybie art. 19a (mały grant)"),
}
STATE_LABELS = {
    "small_grant_offer": {"filed": _l("czeka na ocenę celowości"),
                          "purpose_refused": _l("zadanie nie zostało uznane za celowe"),
                          "open_for_comments": _l("opublikowana do uwag"), "granted": _l("przyznano dotację"),
                          "not_granted": _l("nie przyznano dotacji"), "reported": _l("złożono sprawozdanie")},
    "postulate": {
        "draft": _l("szkic"), "submitted": _l("złożony"), "assigned": _l("przekazany komórce"),
        "answered": _l("ze stanowiskiem"), "published": _l("opublikowany"), "withdrawn": _l("wycofany"),
    },
    "meeting": {"planned": _l("zaplanowane"), "held": _l("odbyte"),
                "summary_published": _l("podsumowanie opublikowane")},
    "position": {"draft": _l("projekt"), "published": _l("opublikowane")},
    "implementation_report": {"open": _l("otwarta"), "closed": _l("zamknięta")},
    "user": {"active": _l("aktywne"), "inactive": _l("nieaktywne")},
    "booking_request": {"sent": _l("wysłany, czeka na decyzję"), "changes_requested": _l("do poprawienia"),
                        "accepted": _l("przyjęty"), "refused": _l("odrzucony"), "withdrawn": _l("wycofany")},
}


# The words for what the audit log records, per kind of record: every transition of each workflow (an action is
# the transition's name unless the operation names it otherwise) and what operations record besides.
# tests/test_audit_words.py finds every action the code records and fails for one without words here.
ACTION_LABELS = {
    "postulate": {
        "create": _l("utworzenie szkicu"), "edit_draft": _l("zmiana treści szkicu"), "edit": _l("zmiana treści"),
        "submit": _l("złożenie postulatu"), "submit_on_behalf": _l("złożenie postulatu w imieniu zgłaszającego"),
        "correct": _l("poprawienie treści przez koordynatora"), "withdraw": _l("wycofanie postulatu"),
        "assign": _l("przypisanie komórce merytorycznej"), "forward": _l("przekazanie innej komórce"),
        "set_due_date": _l("zmiana terminu stanowiska"), "answer": _l("zapisanie pierwszego stanowiska"), "record_position": _l("zapisanie projektu stanowiska"),
        "revise_position": _l("zmiana projektu stanowiska"), "publish": _l("publikacja stanowiska"),
        "link_provision": _l("wskazanie przepisu programu"),
        "redact": _l("ukrycie słów w publicznej treści"), "undo_redaction": _l("przywrócenie ukrytych słów"),
        "redact_position": _l("ukrycie słów w publicznej treści stanowiska"),
        "undo_position_redaction": _l("przywrócenie ukrytych słów stanowiska"),
        "link_changes": _l("wskazanie przepisów zmienionych w wyniku stanowiska"),
        "carry_from": _l("przeniesienie postulatu z konsultacji poprzedniego roku"),
        "carry_into": _l("przeniesienie postulatu do konsultacji następnego roku"),
    },
    "meeting": {
        "create": _l("zaplanowanie spotkania"), "edit": _l("zmiana danych spotkania"),
        "record_attendance": _l("zapisanie listy obecności"), "mark_held": _l("oznaczenie spotkania jako odbytego"),
        "record_postulate": _l("wprowadzenie postulatu ze spotkania"),
        "request_summary": _l("zlecenie kompilacji podsumowania"), "publish_summary": _l("publikacja podsumowania"),
    },
    "call": {
        "create": _l("utworzenie projektu konkursu"), "edit": _l("zmiana danych konkursu"),
        "edit_card": _l("zmiana karty oceny"), "reset_card": _l("przywrócenie domyślnej karty oceny"),
        "edit_formal_criteria": _l("zmiana kryteriów formalnych"), "announce": _l("ogłoszenie konkursu"),
        "close_for_offers": _l("zakończenie naboru ofert"), "appoint_member": _l("powołanie członka komisji"),
        "dismiss_member": _l("odwołanie członka komisji"),
        "exclude_member": _l("wyłączenie członka komisji z oceny oferty"),
        "start_evaluation": _l("rozpoczęcie oceny ofert"), "record_decision": _l("zapisanie rozstrzygnięcia"),
        "publish_results": _l("ogłoszenie wyników konkursu"), "cancel": _l("unieważnienie konkursu"),
    },
    "offer": {
        "create": _l("utworzenie oferty roboczej"), "edit_draft": _l("zmiana oferty roboczej"),
        "edit": _l("zmiana oferty"), "submit": _l("złożenie oferty"), "withdraw": _l("wycofanie oferty"),
        "check_formal": _l("sprawdzenie kryterium formalnego"),
        "request_correction": _l("wezwanie do poprawienia oferty"), "amend": _l("poprawienie oferty"),
        "finish_correction": _l("zakończenie poprawiania oferty"), "accept_formally": _l("przyjęcie formalne"),
        "reject_formally": _l("odrzucenie formalne"), "grant": _l("przyznanie dotacji"),
        "refuse": _l("odmowa przyznania dotacji"), "declare_conflict": _l("zgłoszenie konfliktu interesów"),
        "declare_no_conflict": _l("oświadczenie o braku konfliktu interesów"),
    },
    "score_sheet": {"create": _l("utworzenie karty oceny"), "save": _l("zapisanie karty oceny"),
                    "submit": _l("złożenie karty oceny")},
    "implementation_report": {
        "open": _l("otwarcie sprawozdania"), "edit_plan": _l("zmiana planu sprawozdania"),
        "add_activity": _l("dodanie działania"), "record_realisation": _l("zapisanie realizacji działania"),
        "revise_realisation": _l("zmiana realizacji działania"), "close": _l("zamknięcie sprawozdania"),
        "reopen": _l("ponowne otwarcie sprawozdania"), "request_compile": _l("zlecenie kompilacji sprawozdania"),
    },
    "programme": {
        "create": _l("utworzenie programu"), "edit": _l("zmiana danych programu"),
        "request_programme_report": _l("zlecenie kompilacji raportu z konsultacji"),
        "publish_programme_report": _l("publikacja raportu z konsultacji"),
        "import_text": _l("wczytanie tekstu programu"), "edit_provision": _l("zmiana przepisu w tekście programu"),
        "publish_text_version": _l("publikacja wersji tekstu programu"),
        "start_text_from": _l("rozpoczęcie tekstu programu od tekstu przyjętego rok wcześniej"),
        "publish_implementation_summary": _l("publikacja sprawozdania z realizacji programu"),
    },
    "document_job": {"request_document": _l("zlecenie kompilacji dokumentu konkursu")},
    "organisation": {"create": _l("wpisanie do rejestru organizacji"),
                     "register": _l("rejestracja organizacji przez jej przedstawiciela"),
                     "verify": _l("weryfikacja organizacji"), "refuse": _l("odmowa weryfikacji organizacji"),
                     "set_submit_policy": _l("zmiana zasad składania w imieniu organizacji"),
                     "edit_profile": _l("zmiana profilu organizacji"), "edit": _l("zmiana danych organizacji"),
                     "merge": _l("połączenie z duplikatem organizacji"),
                     "merged_into": _l("usunięcie duplikatu organizacji (połączenie)")},
    "join_request": {"create": _l("prośba o dołączenie do organizacji"), "approve": _l("przyjęcie do organizacji"),
                     "refuse": _l("odmowa przyjęcia do organizacji")},
    "unit": {"create": _l("wpisanie do rejestru komórek"), "edit": _l("zmiana danych komórki"),
             "merge": _l("połączenie z duplikatem komórki"),
             "merged_into": _l("usunięcie duplikatu komórki (połączenie)")},
    "user": {"create": _l("utworzenie konta"), "export_personal_data": _l("pobranie danych osobowych"),
             "erase": _l("usunięcie danych osobowych konta"), "sign_up": _l("założenie konta przez osobę"),
             "confirm_email": _l("potwierdzenie adresu e-mail"), "join": _l("dołączenie do organizacji"),
             "set_organisation_role": _l("zmiana roli w organizacji"),
             "remove_from_organisation": _l("usunięcie z organizacji"),
             "invite": _l("zaproszenie do założenia konta"),
             "resend_invitation": _l("ponowne wysłanie zaproszenia"), "accept_invitation": _l("przyjęcie zaproszenia"),
             "edit": _l("zmiana danych konta"), "deactivate": _l("dezaktywacja konta"),
             "reactivate": _l("przywrócenie konta"), "change_password": _l("zmiana hasła"),
             "request_password_reset": _l("prośba o link do nowego hasła"),
             "reset_password": _l("ustawienie nowego hasła przez link"),
             "request_email_change": _l("prośba o zmianę adresu e-mail"),
             "confirm_email_change": _l("potwierdzenie nowego adresu e-mail"),
             "sign_in_throttled": _l("wstrzymanie logowania po nieudanych próbach")},
    "access_attempt": {"request_password_reset": _l("prośba o link do nowego hasła (adres bez konta)"),
                       "sign_in_throttled": _l("wstrzymanie logowania po nieudanych próbach (adres bez konta)")},
    "notification": {"retry_email": _l("ponowne wysłanie e-maila")},
    "commitment": {"add_commitment": _l("zapisanie zobowiązania"),
                   "complete_commitment": _l("zapisanie wykonania zobowiązania")},
    "small_grant_limits": {"enter_limits": _l("wpisanie zestawu limitów"),
                           "set_planned_grants": _l("wpisanie dotacji planowanych na rok")},
    "small_grant_offer": {"file": _l("złożenie oferty w trybie art. 19a"),
                          "find_purposeful": _l("uznanie zadania za celowe i publikacja do uwag"),
                          "refuse_purpose": _l("odmowa: zadanie nie jest celowe"),
                          "reassign": _l("przekazanie oferty innej komórce"), "grant": _l("przyznanie dotacji"),
                          "refuse": _l("odmowa przyznania dotacji"), "report": _l("złożenie sprawozdania"),
                          "hide_comment": _l("ukrycie uwagi")},
    "place": {"create": _l("wpisanie do rejestru miejsc"), "edit": _l("zmiana danych miejsca"),
              "add_room": _l("dopisanie sali")},
    "place_kind": {"create": _l("dopisanie rodzaju miejsca")},
    "booking_request": {
        "create": _l("wysłanie wniosku o salę"), "resend": _l("ponowne wysłanie poprawionego wniosku"),
        "accept": _l("przyjęcie wniosku o salę"), "ask_for_changes": _l("prośba o zmiany we wniosku"),
        "refuse": _l("odrzucenie wniosku o salę"), "withdraw": _l("wycofanie wniosku o salę"),
        "cancel": _l("odwołanie przyjętej rezerwacji sali"),
    },
    "room": {"edit": _l("zmiana opisu sali"), "withdraw": _l("wycofanie sali z rezerwacji"),
             "restore": _l("przywrócenie sali do rezerwacji")},
    "retention_period": {"edit": _l("zmiana okresu przechowywania danych"),
                         "anonymise": _l("anonimizacja danych po okresie przechowywania")},
}
# Actions recorded about more than one kind of record (a compile is audited as part of its subject's story).
COMMON_ACTION_LABELS = {
    "attach_file": _l("dołączenie pliku"), "remove_file": _l("usunięcie pliku"),  # consult/attachments
    "set_annexes": _l("zmiana wymaganych załączników"),
    "compile_summary": _l("skompilowanie podsumowania (PDF)"),
    "compile_summary_failed": _l("nieudana kompilacja podsumowania"),
    "compile_announcement": _l("skompilowanie ogłoszenia konkursu (PDF)"),
    "compile_announcement_failed": _l("nieudana kompilacja ogłoszenia konkursu"),
    "compile_results": _l("skompilowanie wyników konkursu (PDF)"),
    "compile_results_failed": _l("nieudana kompilacja wyników konkursu"),
    "compile_report": _l("skompilowanie sprawozdania (PDF)"),
    "compile_report_failed": _l("nieudana kompilacja sprawozdania"),
    "compile_programme_report": _l("skompilowanie raportu z konsultacji (PDF)"),
    "compile_programme_report_failed": _l("nieudana kompilacja raportu z konsultacji"),
    "compile_implementation_summary": _l("skompilowanie sprawozdania z realizacji programu (PDF)"),
    "compile_implementation_summary_failed": _l("nieudana kompilacja sprawozdania z realizacji programu"),
    "compile_small_grant_agreement": _l("skompilowanie umowy małego grantu (PDF)"),
    "compile_small_grant_agreement_failed": _l("nieudana kompilacja umowy małego grantu"),
}


def state_label(workflow_name: str, state: str | None) -> str:
    if state is None:
        return ""
    return str(STATE_LABELS.get(workflow_name, {}).get(state, state))


def subject_label(subject_type: str) -> str:
    """The kind of record in words (the audit log's "Rekord")."""
    return str(SUBJECT_LABELS.get(subject_type, subject_type))


def action_label(subject_type: str, action: str) -> str:
    """What an audit event records, in words; the identifier itself for an action nobody gave words to."""
    label = ACTION_LABELS.get(subject_type, {}).get(action) or COMMON_ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def has_action_label(subject_type: str, action: str) -> bool:
    return action in ACTION_LABELS.get(subject_type, {}) or action in COMMON_ACTION_LABELS
