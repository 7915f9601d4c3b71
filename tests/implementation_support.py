"""Helpers of the implementation report tests: the fixture (the seed's goals I and II), a small report whose
activities are answered for by the test world's units, an import through the normal operations."""
from __future__ import annotations

import copy
import json
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "consult" / "demo" / "programme-report-2024-part1.json"
UNIT_X = "Wydział Polityki Społecznej, Równości i Zdrowia"
UNIT_Y = "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego"


def fixture_data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def small_data() -> dict:
    """Task I.1 (a table with funds, 5 activities) and the first three activities of I.2's first area. Unit X
    (named with a cell code in brackets, as the report writes it) answers for the first activity, unit Y for the
    second; neither has reported yet."""
    data = fixture_data()
    goal = data["goals"][0]
    i1, i2 = copy.deepcopy(goal["tasks"][0]), copy.deepcopy(goal["tasks"][1])
    i2["areas"] = [i2["areas"][0]]
    i2["areas"][0]["activities"] = i2["areas"][0]["activities"][:3]
    goal["tasks"] = [i1, i2]
    data["goals"] = [goal]
    first, second = i1["areas"][0]["activities"][:2]
    first["units"] = [f"{UNIT_X} (WPS/08)", "organizacje pozarządowe"]
    first["realised"], first["funds"] = "", None
    second["units"] = [UNIT_Y]
    second["realised"] = ""
    return data


def import_data(data: dict) -> int:
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.implementation.interchange import import_report, parse

    with transaction():
        report = import_report(SYSTEM, parse(json.dumps(data, ensure_ascii=False)))
    return report.id
