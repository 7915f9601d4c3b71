"""A call's announcement and its results as documents: what goes in them (read from fresh rows), their HTML
and their PDF.

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
from sqlalchemy.orm import selectinload

from consult.calls import queries
from consult.calls.models import Call, format_pln
from consult.i18n import format_number
from consult.core.types import to_warsaw
from consult.extensions import db
from consult.summaries.document import Built, polish_date
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
    return compile_announcement(job.call_id)


def compile_results_for_job(job) -> Built:
    return compile_results(job.call_id)
