"""consult.programme-report/1: import of an implementation report through the normal operations, and export;
opening another year's round with a report's plan (open_round_like) is an export fed back to the import.

The import opens the report's round (open_round), adds its plan (goals, tasks, areas, activities) and records
every realised cell that is not empty as a report transcribed by the importing coordinator; activities with an
empty "realised" stay for their units to report. A file that does not validate is refused with a message
naming each field and its problem; the caller runs the import in one transaction, so a refusal writes nothing.

Responsible units are mapped to the unit register: a name is matched to a unit of the same name, ignoring case,
punctuation, a closing "UMK" or "Urzędu Miasta Krakowa", the grammatical form of "Kraków" ("Miasta Kraków" is
"Miasta Krakowa") and a trailing cell code in brackets ("Miejski Ośrodek Pomocy Społecznej (MOPS/PRZ/08)" is the
unit "Miejski Ośrodek Pomocy Społecznej"), or to a unit whose code it is ("MDK"); a name that matches no unit
registers a new unit with create_unit. A name that is not a unit of the city at all ("organizacje pozarządowe",
"partnerzy": consult/implementation/partners.txt) is a partner of the activity: kept, matched to no unit, and
nothing is registered for it. The name as written is kept for the report itself.

The export gives back the imported file, with these normalisations: an activity nobody reported has
"realised": ""; in an area where any activity carries "funds", every activity carries it (null when none);
whitespace around the titles, goal codes, realised cells and funds is dropped (the operations trim what
people type).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema
from flask_babel import gettext as _

from consult.core.errors import Refused
from consult.core.input import load_json
from consult.core.submissions import once
from consult.extensions import db
from consult.implementation.models import ImplementationReport
from consult.implementation.operations import (
    add_activity,
    add_area,
    add_goal,
    add_task,
    open_round,
    read_funds,
    record_realisation,
)
from consult.meetings.interchange import describe as describe_generic
from consult.organisations.models import Unit
from consult.organisations.operations import create_unit

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "programme-report.schema.json"
SCHEMA_ID = "consult.programme-report/1"
MAX_UNIT_NAME = 300
# What a realised cell says when the activity was not carried out ("wydarzenie nie było realizowane w 2024
# roku", "konkurs nie był organizowany", "wydarzenie odwołane").
_NOT_CARRIED_OUT = re.compile(r"\bnie\s+(był[aoy]?|został[aoy]?)\s+(realizowan|organizowan|przeprowadzon|zrealizowan)"
                              r"|\bodwołan", re.IGNORECASE)
_CELL_CODE = re.compile(r"\s*\([^()]*\)\s*$")
# Punctuation, quotation marks and a dash between words ("Norwida – dział GHS" is "Norwida, dział GHS"); a hyphen
# inside a word ("Kraków-Nowa Huta") stays.
_PUNCTUATION = re.compile(r"[,.;:„”“\"'«»]|(?<!\S)[-–—](?!\S)")
# The cases of "Kraków" in a unit's name: one unit is "... Miasta Krakowa" in one row and "... Miasta Kraków" in
# the next.
_KRAKOW_FORMS = {"kraków", "krakow", "krakowa", "krakowie", "krakowem", "krakowowi"}
# What may close a unit's name without changing which unit it is: "UMK", "Urzędu Miasta Krakowa" (the office's
# units) - compared after the forms of "Kraków" are made one.
_OFFICE_SUFFIXES = (("umk",), ("urzędu", "miasta", "kraków"), ("urząd", "miasta", "kraków"), ("um", "kraków"))
PARTNERS_PATH = Path(__file__).resolve().parent / "partners.txt"


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _path(error: jsonschema.ValidationError) -> str:
    out = ""
    for part in error.absolute_path:
        out = f"{out}[{part}]" if isinstance(part, int) else (f"{out}.{part}" if out else str(part))
    return out


def describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "minItems":
        return _("%(field)s: lista musi mieć co najmniej %(n)s pozycję", field=_path(error) or _("(cały dokument)"),
                 n=error.validator_value)
    return describe_generic(error, schema_id=SCHEMA_ID)


def validation_problems(data) -> list[str]:
    """Every problem of `data` against the format, each beginning with its field: "goals[0].code: ..."."""
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    problems = [describe(e) for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    if not problems:
        problems.extend(_semantic_problems(data))
    return problems


def _semantic_problems(data: dict) -> list[str]:
    """What the schema cannot say: the years in order, codes that do not repeat, unit names with letters."""
    problems = []
    prog = data["programme"]
    if prog["to_year"] < prog["from_year"]:
        problems.append(_("programme.to_year: program nie może kończyć się (%(to)s) przed swoim początkiem "
                          "(%(from)s)", to=prog["to_year"], **{"from": prog["from_year"]}))
    elif not prog["from_year"] <= data["report_year"] <= prog["to_year"]:
        problems.append(_("report_year: rok %(year)s nie mieści się w latach programu %(from)s–%(to)s",
                          year=data["report_year"], to=prog["to_year"], **{"from": prog["from_year"]}))
    for field, value in (("title", data["title"]), ("programme.title", prog["title"])):
        if not value.strip():
            problems.append(_("%(field)s: nie może być puste", field=field))
    goal_codes, task_codes = set(), set()
    for g, goal in enumerate(data["goals"]):
        if goal["code"].strip() in goal_codes:
            problems.append(_("goals[%(g)s].code: cel „%(code)s” powtarza się", g=g, code=goal["code"]))
        goal_codes.add(goal["code"].strip())
        for t, task in enumerate(goal["tasks"]):
            where = f"goals[{g}].tasks[{t}]"
            if task["code"].strip() in task_codes:
                problems.append(_("%(where)s.code: zadanie „%(code)s” powtarza się", where=where, code=task["code"]))
            task_codes.add(task["code"].strip())
            for a, area in enumerate(task["areas"]):
                for i, activity in enumerate(area["activities"]):
                    at = f"{where}.areas[{a}].activities[{i}]"
                    if not activity["name"].strip():
                        problems.append(_("%(field)s: nie może być puste", field=f"{at}.name"))
                    try:
                        read_funds(activity.get("funds"), label=f"{at}.funds („{activity['name'].strip()[:80]}”)")
                    except Refused as exc:
                        problems.append(exc.reason)
                    seen = set()
                    for u, name in enumerate(activity["units"]):
                        key = _unit_key(name)
                        if not key:
                            problems.append(_("%(field)s: nazwa komórki nie może być pusta", field=f"{at}.units[{u}]"))
                        elif len(_unit_name(name)) > MAX_UNIT_NAME:
                            problems.append(_("%(field)s: nazwa komórki może mieć najwyżej %(n)s znaków",
                                              field=f"{at}.units[{u}]", n=MAX_UNIT_NAME))
                        elif name in seen:
                            problems.append(_("%(field)s: komórka „%(name)s” powtarza się w tym działaniu",
                                              field=f"{at}.units[{u}]", name=name))
                        seen.add(name)
    return problems


def parse(text: str | bytes) -> dict:
    data = load_json(text)  # bounded: depth, numbers, text a column can hold (consult.core.input)
    problems = validation_problems(data)
    if problems:
        raise Refused(_("Plik nie jest zgodny ze schematem %(schema)s:", schema=SCHEMA_ID) + "\n" + "\n".join(problems))
    return data


# --- units ----------------------------------------------------------------------------------------------

def _unit_name(label: str) -> str:
    """The unit a report's name means: whitespace made single, a trailing cell code in brackets dropped."""
    name = " ".join(label.split())
    return _CELL_CODE.sub("", name).strip() or name


def _unit_key(label: str) -> str:
    """What two ways of writing one unit's name share: no case, no punctuation, one form of "Kraków", no closing
    "UMK" or "Urzędu Miasta Krakowa", so "Wydział Polityki Społecznej, Równości i Zdrowia" is "Wydział Polityki
    Społecznej Równości i Zdrowia UMK", and "Wydział Profilaktyki Straży Miejskiej Miasta Kraków" is "... Miasta
    Krakowa"."""
    words = ["kraków" if w in _KRAKOW_FORMS else w
             for w in _PUNCTUATION.sub(" ", _unit_name(label).casefold()).split()]
    for suffix in _OFFICE_SUFFIXES:
        if len(words) > len(suffix) and tuple(words[-len(suffix):]) == suffix:
            del words[-len(suffix):]
            break
    return " ".join(words)


@lru_cache(maxsize=1)
def partner_keys() -> frozenset[str]:
    """The names (as _unit_key writes them) that are partners of an activity, never units: partners.txt."""
    lines = PARTNERS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(_unit_key(line) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def is_partner(label: str) -> bool:
    return _unit_key(label) in partner_keys()


class UnitMatcher:
    """Finds (or registers, through create_unit) the register's unit for each name a report gives; None for a
    partner (partners.txt), which is no unit of the city."""

    def __init__(self, actor):
        self.actor = actor
        self.by_key: dict[str, Unit] = {}
        for unit in db.session.scalars(db.select(Unit)):
            self.by_key.setdefault(unit.code.casefold(), unit)
        for unit in db.session.scalars(db.select(Unit)):  # a name wins over a code
            self.by_key[_unit_key(unit.name)] = unit
        self.created: list[Unit] = []

    def __call__(self, label: str) -> Unit | None:
        key = _unit_key(label)
        if key in partner_keys():
            return None
        unit = self.by_key.get(key) or self.by_key.get(" ".join(label.split()).casefold())  # or its code
        if unit is None:
            unit = create_unit(self.actor, name=_unit_name(label))
            self.by_key[key] = unit
            self.created.append(unit)
        return unit


def looks_not_carried_out(realised: str) -> bool:
    return bool(_NOT_CARRIED_OUT.search(realised or ""))


# --- import and export -------------------------------------------------------------------------------------

@once("implementation_report")
def import_report(actor, data: dict) -> ImplementationReport:
    """Create what the file describes. The caller validates with `parse` and owns the transaction."""
    prog = data["programme"]
    report = open_round(actor, programme_title=prog["title"], from_year=prog["from_year"], to_year=prog["to_year"],
                        report_year=data["report_year"], title=data["title"])
    unit_for = UnitMatcher(actor)
    for g in data["goals"]:
        goal = add_goal(actor, report, code=g["code"], title=g["title"])
        for t in g["tasks"]:
            task = add_task(actor, goal, code=t["code"], kind=t["kind"], title=t["title"],
                            strategy_link=t.get("strategy_link"))
            for a in t["areas"]:
                area = add_area(actor, task, title=a["title"], code=a.get("code"),
                                linked_services=a.get("linked_services"),
                                has_funds=any("funds" in x for x in a["activities"]))
                for x in a["activities"]:
                    activity = add_activity(actor, area, name=x["name"], planned=x["planned"], funds=x.get("funds"),
                                            units=[(label, unit_for(label)) for label in x["units"]])
                    if x["realised"].strip():
                        record_realisation(actor, activity, carried_out=not looks_not_carried_out(x["realised"]),
                                           realised=x["realised"], funds=x.get("funds"))
    return report


def export_report(report_id: int) -> dict:
    """The report as consult.programme-report/1 (see the module's docstring for the normalisations)."""
    from consult.implementation.queries import report_tree

    report = report_tree(report_id)
    goals = []
    for goal in report.goals:
        tasks = []
        for task in goal.tasks:
            t = {"code": task.code, "kind": task.kind, "title": task.title}
            if task.strategy_link is not None:
                t["strategy_link"] = task.strategy_link
            areas = []
            for area in task.areas:
                a = {}
                if area.code is not None:
                    a["code"] = area.code
                a["title"] = area.title
                if area.linked_services is not None:
                    a["linked_services"] = list(area.linked_services)
                activities = []
                for act in area.activities:
                    x = {"name": act.name, "units": [au.label for au in act.units], "planned": act.planned,
                         "realised": act.realised or ""}
                    if area.has_funds:
                        x["funds"] = act.funds
                    activities.append(x)
                a["activities"] = activities
                areas.append(a)
            t["areas"] = areas
            tasks.append(t)
        goals.append({"code": goal.code, "title": goal.title, "tasks": tasks})
    return {
        "schema": SCHEMA_ID,
        "programme": {"title": report.programme_title, "from_year": report.from_year, "to_year": report.to_year},
        "report_year": report.report_year,
        "title": report.title,
        "goals": goals,
    }


@once("implementation_round")
def open_round_like(actor, report_id: int, year: int) -> ImplementationReport:
    """Open the round of another year of the same programme with this report's plan: the same goals, tasks,
    areas, activities, units and planned indicators; nothing realised, no funds. Through the same operations
    as an import; the caller owns the transaction."""
    data = export_report(report_id)
    old = data["report_year"]
    data["report_year"] = year
    data["title"] = data["title"].replace(str(old), str(year))
    for goal in data["goals"]:
        for task in goal["tasks"]:
            for area in task["areas"]:
                for activity in area["activities"]:
                    activity["realised"] = ""
                    if "funds" in activity:
                        activity["funds"] = None
    return import_report(actor, data)

