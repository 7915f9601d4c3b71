"""A call's announcement and its results as documents: what goes in them (read from fresh rows), their HTML
and their PDF; the two kinds registered with the documents service, the operations that queue them (the call
workflow's after-commit hooks, a translation asked for by those who run the call) and where their PDFs are.

Both are public the moment the call's operation publishes the announcement or the results, so their PDF is
published by the very step that records its version.

The announcement prints every field art. 13 ust. 2 of the Act requires (type of task and sphere, funds,
rules of awarding grants, dates and conditions of the task, the offers deadline, the procedure, criteria
and date of selection, same-type tasks of this and the previous year). The results print, per offer, the
applicant (organisations, which are public), the task and the grant; never a person's name, never the
reason of a refusal.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from consult.calls import queries
from consult.calls.models import Call, format_pln
from consult.core import audit
from consult.core.errors import Forbidden, Refused
from consult.core.locks import lock_for_update
from consult.core.submissions import once
from consult.core.types import to_warsaw
from consult.documents.models import DOCUMENT_LANGUAGES, DocumentJob, DocumentVersion
from consult.documents.operations import document_language, pending_job, queue_job
from consult.documents.registry import Built, DocumentKind, register
from consult.extensions import db
from consult.i18n import format_number
from consult.summaries.document import polish_date
from worker.pdf import render_pdf

ANNOUNCEMENT_TEMPLATE = "pdf/call_announcement.html"
RESULTS_TEMPLATE = "pdf/call_results.html"


def _points(value) -> str:
    return format_number(value)


def _when(instant) -> str:
    local = to_warsaw(instant)
    return _("%(date)s, godz. %(time)s", date=polish_date(local.date()), time=f"{local:%H:%M}")


def _load(call_id: int) -> Call:
    call = db.session.scalar(
        db.select(Call).where(Call.id == call_id)
        .options(selectinload(Call.programme), selectinload(Call.unit)))
    if call is None:
        raise LookupError(f"no call {call_id}")
    return call


def _digest(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _helpers() -> dict:
    return {"pln": lambda a: format_pln(a) if a is not None else "", "points": _points, "polish_date": polish_date,
            "when": _when}


@dataclass
class CriterionLine:
    number: str
    title: str
    max_points: Decimal


def announcement_data(call_id: int) -> dict:
    call = _load(call_id)
    lines = []
    for i, top in enumerate(queries.card(call), start=1):
        lines.append(CriterionLine(f"{i}.", top.title, top.max_points))
        lines.extend(CriterionLine(f"{i}.{j}.", sub.title, sub.max_points)
                     for j, sub in enumerate(top.children, start=1))
    return {
        "call_id": call.id, "reference": call.reference, "title": call.title, "programme": call.programme.title,
        "unit": call.unit.name, "task_type": call.task_type, "sphere": call.sphere, "funds": call.funds,
        "award_rules": call.award_rules, "task_starts": call.task_starts, "task_ends": call.task_ends,
        "task_conditions": call.task_conditions, "offers_deadline": call.offers_deadline,
        "procedure": call.procedure, "criteria": [asdict(c) for c in lines], "max_total": call.max_total,
        "criteria_notes": call.criteria_notes, "selection_date": call.selection_date,
        "previous_tasks": list(call.previous_tasks or []), "announced_at": call.announced_at,
    }


def announcement_html(data: dict) -> str:
    template = current_app.jinja_env.get_template(ANNOUNCEMENT_TEMPLATE)
    return template.render(c=data, **_helpers())


def results_data(call_id: int) -> dict:
    call = _load(call_id)
    rows = queries.published_results(call)
    return {
        "call_id": call.id, "reference": call.reference, "title": call.title, "programme": call.programme.title,
        "unit": call.unit.name, "funds": call.funds, "results_published_at": call.results_published_at,
        "granted": [{"applicant": r.applicant, "task": r.task, "reference": r.reference, "amount": r.amount}
                    for r in rows if r.granted],
        "not_granted": [{"applicant": r.applicant, "task": r.task, "reference": r.reference}
                        for r in rows if not r.granted],
    }


def results_html(data: dict) -> str:
    template = current_app.jinja_env.get_template(RESULTS_TEMPLATE)
    granted_total = sum((r["amount"] for r in data["granted"]), Decimal(0))
    return template.render(c=data, granted_total=granted_total, **_helpers())


def compile_announcement(call_id: int) -> Built:
    data = announcement_data(call_id)
    rendered = render_pdf(announcement_html(data), base_url=current_app.root_path)
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=_digest(data))


def compile_results(call_id: int) -> Built:
    data = results_data(call_id)
    if data["results_published_at"] is None:
        raise LookupError(f"the results of call {call_id} are not published")
    rendered = render_pdf(results_html(data), base_url=current_app.root_path)
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=_digest(data))


def compile_announcement_for_job(job) -> Built:
    return compile_announcement(job.subject_id)


def compile_results_for_job(job) -> Built:
    return compile_results(job.subject_id)


# --- the kinds --------------------------------------------------------------------------------------------------

# What a version published by its own compile says published it.
AUTO_PUBLISHED_BY = "automatycznie, z ogłoszeniem konkursu lub jego wyników"


def _published_or_runs_the_call(user, version) -> bool:
    if version.published_at is not None:
        return True
    from consult.calls.access import can_run_call

    return user is not None and can_run_call(user, db.session.get(Call, version.subject_id))


CALL_ANNOUNCEMENT = register(DocumentKind(
    name="call_announcement", subject_type="call", compile=compile_announcement_for_job,
    folder="call-announcements", file_stem="ogloszenie-konkursu", compiled_action="compile_announcement",
    may_see=_published_or_runs_the_call, published_on_compile=True, published_by_label=AUTO_PUBLISHED_BY,
    audit_as_job=True, title=_l("ogłoszenie otwartego konkursu ofert")))
CALL_RESULTS = register(DocumentKind(
    name="call_results", subject_type="call", compile=compile_results_for_job,
    folder="call-results", file_stem="wyniki-konkursu", compiled_action="compile_results",
    may_see=_published_or_runs_the_call, published_on_compile=True, published_by_label=AUTO_PUBLISHED_BY,
    audit_as_job=True, title=_l("wyniki otwartego konkursu ofert")))
CALL_KINDS = (CALL_ANNOUNCEMENT.name, CALL_RESULTS.name)

# The call's state in which each kind of call document may be compiled (and so published).
_CALL_DOCUMENT_STATES = {"call_announcement": ("announced", "closed", "evaluation", "results_published"),
                         "call_results": ("results_published",)}


# --- the operations -----------------------------------------------------------------------------------------------

def request_call_document(actor, call, kind: str, language: str | None = "pl") -> DocumentJob | None:
    """Queue the PDF of a call's announcement or results in `language`; it runs after the caller commits and
    its version is published as soon as it is compiled.

    None when the call is not (or no longer) in a state that makes the document public, or when a job of
    the same kind, call and language is already pending or done: a hook run twice asks for one PDF.
    """
    if kind not in CALL_KINDS:
        raise ValueError(f"not a call document: {kind}")
    language = document_language(language)
    if call.state not in _CALL_DOCUMENT_STATES[kind]:
        return None
    call = lock_for_update(type(call), call.id)  # one job per kind and language: checked, then queued
    if pending_job(kind, call.id, language=language, states=("queued", "running", "done")) is not None:
        return None
    job = queue_job(actor, kind, call.id, language=language)
    audit.record(actor, "document_job", job.id, "request_document", call_id=call.id, kind=kind, language=language)
    return job


def translatable_kinds(call) -> list[str]:
    """The call's documents public in its state (announcement, results), which may so be translated."""
    return [kind for kind in CALL_KINDS if call.state in _CALL_DOCUMENT_STATES[kind]]


@once("call_translation")
def request_call_translation(actor, call, kind: str, language: str | None) -> DocumentJob:
    """Queue a translation (English, Ukrainian) of the call's announcement or results PDF, for those who run
    the call. The Polish PDF, the official one, is compiled by the call's own step; a translation is public
    as soon as it is compiled, as the Polish one is."""
    from consult.calls.access import can_run_call

    if not can_run_call(actor, call):
        raise Forbidden(_("Dokumenty konkursu tłumaczą ci, którzy go prowadzą."))
    language = document_language(language)
    if kind not in CALL_KINDS:
        raise Refused(_("Nieznany dokument konkursu."), field="kind")
    if call.state not in _CALL_DOCUMENT_STATES[kind]:
        raise Refused(_("Ten dokument konkursu nie został jeszcze opublikowany, więc nie można go przetłumaczyć."),
                      field="kind")
    job = request_call_document(actor, call, kind, language)
    if job is None:
        raise Refused(_("Ten dokument konkursu w tym języku już jest albo jest właśnie kompilowany."), field="language")
    return job


# --- where they are ---------------------------------------------------------------------------------------------



def latest_call_jobs(call_id: int) -> dict[tuple[str, str], DocumentJob]:
    """The newest compile job of each of the call's documents, by kind and language (one query)."""
    rows = db.session.scalars(
        db.select(DocumentJob).where(DocumentJob.about("call", call_id))
        .options(selectinload(DocumentJob.version)).order_by(DocumentJob.id))
    return {(j.kind, j.language): j for j in rows}


def current_call_document(call_id: int, kind: str, language: str = "pl") -> DocumentVersion | None:
    """The call's latest published PDF of the kind (call_announcement, call_results) in the language, or None."""
    return db.session.scalar(
        db.select(DocumentVersion)
        .where(DocumentVersion.about("call", call_id), DocumentVersion.kind == kind,
               DocumentVersion.language == language, DocumentVersion.published_at.is_not(None))
        .order_by(DocumentVersion.number.desc()).limit(1))


def call_translations(call_id: int, kind: str) -> list[DocumentVersion]:
    """The latest published translation (not Polish) of the call's PDF of the kind in each language, in the
    order of DOCUMENT_LANGUAGES."""
    rows = db.session.scalars(
        db.select(DocumentVersion)
        .where(DocumentVersion.about("call", call_id), DocumentVersion.kind == kind, DocumentVersion.language != "pl",
               DocumentVersion.published_at.is_not(None))
        .order_by(DocumentVersion.number))
    latest = {v.language: v for v in rows}
    return [latest[code] for code in DOCUMENT_LANGUAGES if code in latest]
