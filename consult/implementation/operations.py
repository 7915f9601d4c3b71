"""Every state change of an implementation report: opening its reporting round with its plan, a unit's
report of what was realised, closing and reopening the round, and asking for its PDF.

Coordinators open, plan, close and reopen; unit staff report on the activities their unit answers for (a
coordinator may transcribe a report given on paper, as an import does). Callers own the transaction.
"""
from __future__ import annotations

import re
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.input import check_text
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import check_version, fire
from consult.core.submissions import once
from consult.core.types import utcnow
from consult.documents.models import DocumentJob
from consult.extensions import db
from consult.i18n import DEFAULT_LOCALE, current_locale, format_amount, parse_number
from consult.implementation.funds import MAX_SOURCE, FundsError, parse_funds
from consult.implementation.models import (
    TASK_KINDS,
    Activity,
    ActivityUnit,
    Area,
    Goal,
    ImplementationReport,
    Task,
)
from consult.organisations.models import Unit
from workflows import REPORTING_ROUND

MAX_REALISED = 5000
MAX_FUNDS = 200
FUNDS_EXAMPLE = "3 431 443,00 zł (budżet Miasta) + 820 208,00 zł (dotacja)"


def _require_coordinator(actor, message: str) -> None:
    if not has_role(actor, "coordinator"):
        raise Forbidden(message)


def _text(value, field: str, label: str, max_len: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    check_text(value, field=field, label=label)
    if required and not value:
        raise Refused(_("Wpisz: %(label)s.", label=label), field=field)
    if len(value) > max_len:
        raise Refused(_("%(label)s: może mieć najwyżej %(n)s znaków (ma %(m)s).", label=label, n=max_len,
                        m=len(value)), field=field)
    return value


def _require_open(report: ImplementationReport) -> None:
    if report.state != "open":
        raise Refused(_("Runda sprawozdawcza za rok %(year)s jest zamknięta: nie można już zmieniać sprawozdania. "
                        "Jeśli trzeba coś poprawić, poproś koordynatora o ponowne otwarcie rundy.",
                        year=report.report_year))


# --- the round and its plan (coordinators) ---------------------------------------------------------

def open_round(actor, *, programme_title: str, from_year: int, to_year: int, report_year: int,
               title: str) -> ImplementationReport:
    """Open the reporting round of a programme for a year; its plan is added with add_goal and the rest."""
    _require_coordinator(actor, _("Rundy sprawozdawcze otwierają koordynatorzy."))
    programme_title = _text(programme_title, "programme.title", _("tytuł programu"), 500)
    title = _text(title, "title", _("tytuł sprawozdania"), 1000)
    for field, year in (("programme.from_year", from_year), ("programme.to_year", to_year),
                        ("report_year", report_year)):
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise Refused(_("%(field)s: rok musi być liczbą od 2000 do 2100.", field=field), field=field)
    if to_year < from_year:
        raise Refused(_("programme.to_year: program nie może kończyć się (%(to)s) przed swoim początkiem "
                        "(%(from)s).", to=to_year, **{"from": from_year}), field="programme.to_year")
    if not from_year <= report_year <= to_year:
        raise Refused(_("report_year: rok sprawozdania %(year)s nie mieści się w latach programu %(from)s–%(to)s.",
                        year=report_year, to=to_year, **{"from": from_year}), field="report_year")
    clash = db.session.scalar(db.select(ImplementationReport).where(
        ImplementationReport.programme_title == programme_title, ImplementationReport.report_year == report_year))
    if clash is not None:
        raise Refused(_("report_year: sprawozdanie z programu „%(title)s” za rok %(year)s już jest w systemie "
                        "(nr %(id)s) – nie tworzę go drugi raz.", title=programme_title, year=report_year,
                        id=clash.id), field="report_year")
    report = ImplementationReport(programme_title=programme_title, from_year=from_year, to_year=to_year,
                                  report_year=report_year, title=title, state="open", opened_at=utcnow())
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "implementation_report", report.id, "open", to_state="open", year=report_year,
                 programme=programme_title)
    return report


def _plan_change(actor, report: ImplementationReport) -> None:
    _require_coordinator(actor, _("Plan sprawozdania zmieniają koordynatorzy."))
    _require_open(report)


def add_goal(actor, report: ImplementationReport, *, code: str, title: str) -> Goal:
    _plan_change(actor, report)
    goal = Goal(report=report, position=len(report.goals) + 1, code=code.strip(), title=title)
    db.session.add(goal)
    return goal


def add_task(actor, goal: Goal, *, code: str, kind: str, title: str, strategy_link: str | None = None) -> Task:
    _plan_change(actor, goal.report)
    if kind not in TASK_KINDS:
        raise Refused(_("Rodzaj zadania to „basic” (podstawowe) albo „complementary” (komplementarne)."),
                      field="kind")
    task = Task(goal=goal, position=len(goal.tasks) + 1, code=code, kind=kind, title=title,
                strategy_link=strategy_link)
    db.session.add(task)
    return task


def add_area(actor, task: Task, *, title: str, code: str | None = None, linked_services: list[str] | None = None,
             has_funds: bool = False) -> Area:
    _plan_change(actor, task.goal.report)
    area = Area(task=task, position=len(task.areas) + 1, code=code, title=title,
                linked_services=list(linked_services) if linked_services is not None else None, has_funds=has_funds)
    db.session.add(area)
    return area


def add_activity(actor, area: Area, *, name: str, units: list[tuple[str, Unit | None]], planned: str = "",
                 funds: str | None = None) -> Activity:
    """A planned activity with its responsible units: (the name as the report writes it, the register's unit, or
    None for a partner that is no unit of the city: nobody's staff report for it, coordinators do)."""
    report = area.task.goal.report
    _plan_change(actor, report)
    if not units:
        raise Refused(_("Podaj co najmniej jedną komórkę odpowiedzialną za działanie."), field="units")
    amounts = read_funds(funds, label=_("Wysokość środków działania „%(name)s”", name=name))
    activity = Activity(area=area, report_id=report.id, position=len(area.activities) + 1, name=name,
                        planned=planned or "", funds=funds, funds_amounts=amounts)
    activity.units = [ActivityUnit(position=i, label=label, unit=unit) for i, (label, unit) in enumerate(units, 1)]
    db.session.add(activity)
    db.session.flush()
    audit.record(actor, "implementation_report", report.id, "add_activity", activity_id=activity.id,
                 units=[label for label, _unit in units])
    return activity


# --- units and their reports -------------------------------------------------------------------------

def answers_for(user, activity: Activity) -> bool:
    """Whether the user is staff of one of the activity's responsible units."""
    return has_role(user, "unit") and user.unit_id is not None and any(
        au.unit_id == user.unit_id for au in activity.units)


def read_funds(funds: str | None, *, label: str, field: str = "funds") -> list[dict] | None:
    """The amounts of a funds cell as stored (Activity.funds_amounts), or Refused naming the cell (`label`) and
    the part of it that cannot be read."""
    if funds is None or not funds.strip():
        return None
    try:
        amounts = parse_funds(funds)
    except FundsError as exc:
        if exc.reason == "several_amounts":
            message = _("%(label)s: w „%(part)s” jest kilka liczb i żadna nie jest oznaczona jako kwota. Dopisz „zł” "
                        "po kwocie albo oddziel kwoty znakiem „+”.", label=label, part=exc.part)
        elif exc.reason == "source_too_long":
            message = _("%(label)s: opis źródła w „%(part)s” może mieć najwyżej %(n)s znaków.", label=label,
                        part=exc.part, n=MAX_SOURCE)
        else:
            message = _("%(label)s: w „%(part)s” nie ma kwoty. Wpisz kwotę cyframi, np. %(example)s; kilka kwot "
                        "oddziel znakiem „+” i podaj ich źródła w nawiasach, np. %(several)s.", label=label,
                        part=exc.part, example=format_amount(Decimal(2000750), DEFAULT_LOCALE),
                        several=FUNDS_EXAMPLE)
        raise Refused(message, field=field) from None
    return [a.as_json() for a in amounts] or None


def not_carried_out_text(year: int) -> str:
    return _("działanie nie było realizowane w %(year)s roku", year=year)


def _funds_in_polish(funds: str) -> str:
    """The report is a Polish document: an amount someone typed in English or Ukrainian form ("2,000,750.00",
    "PLN 2,000,750.00") is written as the document writes it ("2 000 750,00 zł"), so that nobody reads
    2,000 as two złoty. Polish text, and anything else than a bare amount, stays as typed."""
    if current_locale() == DEFAULT_LOCALE:
        return funds
    try:
        amount = parse_number(re.sub(r"(?i)\s*(pln|zł|zl)\s*", "", funds))
    except ValueError:
        return funds
    return format_amount(amount, DEFAULT_LOCALE)


def record_realisation(actor, activity: Activity, *, carried_out: bool, realised: str | None,
                       funds: str | None = None, expected_version: int | None = None) -> Activity:
    """What was realised of an activity (or that it was not carried out, and why), and its funds.

    Staff of a responsible unit report for their activities; a coordinator may transcribe any. A report may be
    corrected while the round is open; a form loaded before someone else's save is refused (StaleEdit).
    """
    report = activity.area.task.goal.report
    if not (has_role(actor, "coordinator") or answers_for(actor, activity)):
        raise Forbidden(_("To działanie nie jest przypisane do Twojej komórki."))
    # Whether the round is open is read after a lock on the report, which closing it takes too: a report
    # saved while the round closes lands before the close (and counts), or is refused; never after it.
    report = lock_for_update(ImplementationReport, report.id)
    _require_open(report)
    check_version(activity, expected_version)
    if carried_out:
        realised = _text(realised, "realised", _("co zrealizowano"), MAX_REALISED)
    else:
        realised = _text(realised, "realised", _("dlaczego działania nie zrealizowano"), MAX_REALISED,
                         required=False) or not_carried_out_text(report.report_year)
    if activity.area.has_funds:
        funds = _text(funds, "funds", _("wysokość środków"), MAX_FUNDS, required=False) or None
        if funds is not None and not re.search(r"\d", funds):
            raise Refused(_("Wysokość środków: wpisz kwotę cyframi, np. %(example)s.",
                             example=format_amount(Decimal(2000750))), field="funds")
        funds = funds and _funds_in_polish(funds)
        amounts = read_funds(funds, label=_("Wysokość środków"))
    elif funds and funds.strip():
        raise Refused(_("Tabela tego obszaru nie ma kolumny „Wysokość środków”: zostaw to pole puste."),
                      field="funds")
    else:
        funds, amounts = activity.funds, activity.funds_amounts
    fire(REPORTING_ROUND, report, "record_realisation", actor,
         action="revise_realisation" if activity.reported else "record_realisation", activity_id=activity.id,
         carried_out=carried_out)
    activity.realised, activity.not_carried_out, activity.funds = realised, not carried_out, funds
    activity.funds_amounts = amounts
    activity.reported_at = utcnow()
    activity.reported_by_id = getattr(actor, "id", None)
    activity.reported_by_label = str(getattr(actor, "name", None) or actor)[:200]
    return activity


# --- closing and reopening ---------------------------------------------------------------------------

def close_round(actor, report: ImplementationReport, *, despite_missing: bool = False) -> ImplementationReport:
    """Close the round. While activities have no report it is refused, unless the coordinator confirms."""
    _require_coordinator(actor, _("Rundę sprawozdawczą zamykają koordynatorzy."))
    report = lock_for_update(ImplementationReport, report.id)
    if report.state != "open":
        raise Refused(_("Runda sprawozdawcza za rok %(year)s jest już zamknięta.", year=report.report_year))
    from consult.implementation.queries import progress

    counts = progress(report.id)
    if counts.missing and not despite_missing:
        raise Refused(_("Nie można zamknąć rundy: %(n)s z %(total)s działań nie ma jeszcze informacji o realizacji. "
                        "Poczekaj na komórki z listy „Nie złożyły jeszcze sprawozdania” albo zaznacz, że zamykasz "
                        "rundę mimo braków.", n=counts.missing, total=counts.total), field="despite_missing")
    fire(REPORTING_ROUND, report, "close", actor, missing=counts.missing)
    report.closed_at = utcnow()
    return report


def reopen_round(actor, report: ImplementationReport) -> ImplementationReport:
    _require_coordinator(actor, _("Rundę sprawozdawczą otwierają ponownie koordynatorzy."))
    report = lock_for_update(ImplementationReport, report.id)
    if report.state != "closed":
        raise Refused(_("Runda sprawozdawcza za rok %(year)s jest otwarta.", year=report.report_year))
    fire(REPORTING_ROUND, report, "reopen", actor)
    report.closed_at = None
    return report


# --- the PDF ---------------------------------------------------------------------------------------

@once("implementation_compile")
def request_report_compile(actor, report: ImplementationReport, *, language: str | None = "pl") -> DocumentJob:
    """Queue the compile of the report's PDF in `language` (pl, en, uk); it runs (on a worker, or here) after the
    caller commits. While one in the same language is pending, asking again raises AlreadyDone with its id."""
    from consult.documents.operations import document_language

    _require_coordinator(actor, _("Sprawozdania kompilują koordynatorzy."))
    language = document_language(language)
    report = lock_for_update(ImplementationReport, report.id)  # one pending compile: checked, then queued
    pending = db.session.scalar(
        db.select(DocumentJob).where(DocumentJob.about("implementation_report", report.id),
                                     DocumentJob.language == language,
                                     DocumentJob.state.in_(("queued", "running"))).limit(1))
    if pending is not None:  # the same compile, asked for again: that job is the answer
        raise AlreadyDone("document_job", pending.id)
    job = DocumentJob(kind="implementation_report", subject_id=report.id, preview=False,
                      language=language, state="queued", attempts=0, requested_by_id=getattr(actor, "id", None), requested_at=utcnow())
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "implementation_report", report.id, "request_compile", job_id=job.id,
                 language=language)
    from consult.documents.dispatch import enqueue

    after_commit(db.session, enqueue, job.id, current_app._get_current_object())
    return job
