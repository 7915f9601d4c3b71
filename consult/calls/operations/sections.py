"""An offer's task section as the 2018 template asks it (section III): the task's title, its dates, what it is,
where and for whom, its schedule of actions and its expected results; read from a form into values, and what
it lacks before submission.

Nothing here needs a call or an offer row: an offer in a call and a small grant's offer (art. 19a) both read
their task with `parse_task_section` and ask `task_section_missing` before submission, each storing the values
on its own rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from consult.calls.operations._common import _date, text_value
from consult.core.errors import Refused
from consult.i18n import format_day


@dataclass
class ExpectedResult:
    """An expected result (section III.6): what, the target value, and how it is monitored."""

    result: str
    target_value: str
    monitoring: str


@dataclass
class TaskSection:
    title: str
    starts: date | None
    ends: date | None
    # description, place, target_group and schedule (actions: name, description, starts, ends, partner)
    task: dict
    # None when the form did not send the results at all (they are left as they are)
    results: list[ExpectedResult] | None = field(default=None)


def parse_task_section(data: dict) -> TaskSection:
    """The task section from a form's data, or Refused naming the first field that is wrong."""
    title = text_value(data.get("title"), "title", _("tytuł zadania"), limit=500)
    starts = _date(data.get("task_starts"), "task_starts", _("data rozpoczęcia"))
    ends = _date(data.get("task_ends"), "task_ends", _("data zakończenia"))
    if starts and ends and ends < starts:
        raise Refused(
            _("Data zakończenia zadania nie może przypadać przed datą rozpoczęcia."), field="task_ends"
        )
    schedule = []
    for i, row in enumerate(data.get("schedule") or []):
        field_name = f"schedule-{i}"
        a_starts = _date(row.get("starts"), field_name, _("początek działania"))
        a_ends = _date(row.get("ends"), field_name, _("koniec działania"))
        if a_starts and a_ends and a_ends < a_starts:
            raise Refused(_("Działanie %(n)s kończy się przed rozpoczęciem.", n=i + 1), field=field_name)
        schedule.append(
            {
                "name": text_value(row.get("name"), field_name, _("nazwę działania"), limit=500),
                "description": text_value(row.get("description"), field_name, _("opis działania")),
                "starts": a_starts.isoformat() if a_starts else None,
                "ends": a_ends.isoformat() if a_ends else None,
                "partner": text_value(row.get("partner"), field_name, _("realizatora działania"), limit=300),
            }
        )
    task = {
        key: text_value(data.get(key), key, label)
        for key, label in (
            ("description", _("opis zadania")),
            ("place", _("miejsce realizacji")),
            ("target_group", _("grupę odbiorców")),
        )
    } | {"schedule": schedule}
    results = parse_expected_results(data["results"]) if "results" in data else None
    return TaskSection(title=title, starts=starts, ends=ends, task=task, results=results)


def parse_expected_results(rows) -> list[ExpectedResult]:
    out = []
    for i, row in enumerate(rows or []):
        field_name = f"results-{i}"
        out.append(
            ExpectedResult(
                result=text_value(row.get("result"), field_name, _("nazwę rezultatu"), required=True),
                target_value=text_value(
                    row.get("target_value"), field_name, _("planowany poziom osiągnięcia"), required=True,
                    limit=200,
                ),
                monitoring=text_value(row.get("monitoring"), field_name, _("sposób monitorowania"), required=True),
            )
        )
    return out


def task_section_missing(
    *, title: str | None, starts: date | None, ends: date | None, task: dict | None, results_count: int,
    allowed_starts: date | None = None, allowed_ends: date | None = None,
) -> list[tuple[str, str]]:
    """What the task section lacks to be submitted: (field, message), in the order of the template. The task's
    dates must fall within `allowed_starts`–`allowed_ends` (a call's announcement) when they are given."""
    out: list[tuple[str, str]] = []
    task = task or {}
    if not title:
        out.append(("title", _("Wpisz tytuł zadania.")))
    if not starts or not ends:
        out.append(("task_starts", _("Podaj daty rozpoczęcia i zakończenia zadania.")))
    elif (allowed_starts and starts < allowed_starts) or (allowed_ends and ends > allowed_ends):
        out.append(
            (
                "task_starts",
                _(
                    "Zadanie musi być realizowane w terminie określonym w ogłoszeniu "
                    "(%(starts)s – %(ends)s).",
                    starts=format_day(allowed_starts),
                    ends=format_day(allowed_ends),
                ),
            )
        )
    if not task.get("description"):
        out.append(("description", _("Wpisz opis zadania.")))
    schedule = task.get("schedule") or []
    if not schedule:
        out.append(("schedule", _("Dodaj co najmniej jedno działanie do harmonogramu.")))
    for i, row in enumerate(schedule):
        if not row.get("name") or not row.get("starts") or not row.get("ends"):
            out.append((f"schedule-{i}", _("Działanie %(n)s: wpisz nazwę i termin realizacji.", n=i + 1)))
    if not results_count:
        out.append(("results", _("Dodaj co najmniej jeden zakładany rezultat.")))
    return out
