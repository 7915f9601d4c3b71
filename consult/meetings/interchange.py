"""Import of a meeting summary in the consult.meeting-summary/1 format, through the normal operations.

A file that does not validate is refused with a message naming the field and the problem; an import
that fails half-way writes nothing, because the caller runs it in one transaction.
"""
from __future__ import annotations

import json
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

import jsonschema
from flask_babel import gettext as _

from consult.core.errors import Refused
from consult.core.input import load_json
from consult.core.submissions import once
from consult.core.types import warsaw_to_utc
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.meetings.operations import MeetingDetails, create_meeting, mark_meeting_held, record_attendance
from consult.organisations.operations import organisation_named, unit_named
from consult.postulates.operations import (assign_postulate, publish_positions, record_meeting_postulate,
                                           save_position)
from consult.programmes.models import Programme
from consult.programmes.operations import create_programme

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "meeting-summary.schema.json"
SCHEMA_ID = "consult.meeting-summary/1"


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _path_of(error: jsonschema.ValidationError) -> str:
    out = ""
    for part in error.absolute_path:
        out = f"{out}[{part}]" if isinstance(part, int) else _join(out, str(part))
    return out


TYPE_NAMES = {"object": "obiekt", "array": "lista", "string": "tekst", "integer": "liczba całkowita",
              "number": "liczba", "null": "null", "boolean": "prawda/fałsz"}


def describe(error: jsonschema.ValidationError, schema_id: str = SCHEMA_ID) -> str:
    """One problem in Polish, beginning with the field it concerns: "meeting.date: ..."."""
    path, kind, expected, value = _path_of(error), error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        return "; ".join(_("%(field)s: brak wymaganego pola", field=_join(path, k)) for k in missing)
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in known) if isinstance(value, dict) else []
        return "; ".join(_("%(field)s: nieznane pole (format %(schema)s go nie przewiduje)",
                           field=_join(path, k), schema=schema_id) for k in extra)
    where = path or _("(cały dokument)")
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        return _("%(field)s: powinno być: %(type)s", field=where,
                 type=" albo ".join(TYPE_NAMES.get(n, n) for n in names))
    if kind == "enum":
        return _("%(field)s: wartość „%(value)s” nie jest dozwolona; dozwolone: %(allowed)s", field=where,
                 value=value, allowed=", ".join(map(str, expected)))
    if kind == "const":
        return _("%(field)s: musi mieć wartość „%(expected)s”", field=where, expected=expected)
    if kind == "format" and expected == "date":
        return _("%(field)s: „%(value)s” nie jest prawdziwą datą w formacie RRRR-MM-DD", field=where, value=value)
    if kind == "pattern" and path.endswith(("starts", "ends")):
        return _("%(field)s: „%(value)s” nie jest godziną w formacie GG:MM", field=where, value=value)
    if kind == "minLength":
        return _("%(field)s: nie może być puste", field=where)
    if kind == "maxLength":
        return _("%(field)s: może mieć najwyżej %(n)s znaków (ma %(m)s)", field=where, n=expected, m=len(value))
    if kind == "minimum":
        return _("%(field)s: musi być co najmniej %(n)s (jest %(value)s)", field=where, n=expected, value=value)
    if kind == "maximum":
        return _("%(field)s: może być najwyżej %(n)s (jest %(value)s)", field=where, n=expected, value=value)
    return f"{where}: {error.message}"


def validation_problems(data) -> list[str]:
    """Every problem of `data` against the schema, each naming the field: "meeting.date: ..."."""
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        problems.append(describe(error))
    if not problems:
        problems.extend(_semantic_problems(data))
    return problems


def _semantic_problems(data: dict) -> list[str]:
    """What the schema cannot say: unique numbers, an end after the start, one position per unit."""
    problems = []
    m = data["meeting"]
    if m["ends"] <= m["starts"]:
        problems.append(_("meeting.ends: godzina zakończenia %(ends)s nie jest późniejsza niż rozpoczęcia %(starts)s",
                          ends=m["ends"], starts=m["starts"]))
    seen: set[int] = set()
    for i, p in enumerate(data["postulates"]):
        if p["number"] in seen:
            problems.append(_("postulates[%(i)s].number: numer %(n)s powtarza się w tym spotkaniu", i=i, n=p["number"]))
        seen.add(p["number"])
        units = [pos["unit"].strip() for pos in p["positions"]]
        if len(units) != len(set(units)):
            problems.append(_("postulates[%(i)s].positions: jedna komórka ma tu więcej niż jedno stanowisko", i=i))
    orgs = [o.strip() for o in m.get("organisations", [])]
    if len(orgs) != len(set(orgs)):
        problems.append(_("meeting.organisations: organizacja powtarza się na liście"))
    return problems


def parse(text: str | bytes) -> dict:
    data = load_json(text)  # bounded: depth, numbers, text a column can hold (consult.core.input)
    problems = validation_problems(data)
    if problems:
        raise Refused(_("Plik nie jest zgodny ze schematem %(schema)s:", schema=SCHEMA_ID) + "\n" + "\n".join(problems))
    return data


def default_consultation_window(year: int) -> tuple[datetime, datetime]:
    """A programme for `year` is consulted in the year before and adopted before 30 November."""
    return (warsaw_to_utc(datetime(year - 1, 1, 1, 0, 0)), warsaw_to_utc(datetime(year - 1, 11, 30, 0, 0)))


@once("meeting_import")
def import_meeting(actor, data: dict) -> Meeting:
    """Create what the summary describes. The caller validates with `parse` and owns the transaction."""
    prog = data["programme"]
    programme = db.session.scalar(db.select(Programme).where(Programme.year == prog["year"]))
    if programme is None:
        opens, closes = default_consultation_window(prog["year"])
        programme = create_programme(actor, year=prog["year"], title=prog["title"].strip(),
                                     consultation_opens=opens, consultation_closes=closes)
    elif programme.title != prog["title"].strip():
        raise Refused(_("programme.title: program na rok %(year)s już istnieje pod tytułem „%(title)s”",
                        year=prog["year"], title=programme.title))
    m = data["meeting"]
    host = unit_named(actor, m["host_unit"])
    when, starts, ends = date.fromisoformat(m["date"]), time.fromisoformat(m["starts"]), time.fromisoformat(m["ends"])
    duplicate = db.session.scalar(db.select(Meeting).where(
        Meeting.programme_id == programme.id, Meeting.host_unit_id == host.id, Meeting.date == when,
        Meeting.starts == starts))
    if duplicate is not None:
        raise Refused(_("meeting: to spotkanie już jest w systemie (nr %(id)s, „%(title)s”, %(date)s) – "
                        "nie importuję go drugi raz", id=duplicate.id, title=duplicate.title, date=m["date"]))
    meeting = create_meeting(actor, programme, MeetingDetails(
        host_unit=host, title=m["title"], date=when, starts=starts, ends=ends, place=m["place"],
        scope=m.get("scope", ""), introduction=m.get("introduction", "")))
    record_attendance(
        actor, meeting,
        organisations=[organisation_named(actor, name) for name in m.get("organisations", [])],
        officials=[(o["function"], o.get("name")) for o in m.get("officials", [])],
        participants_count=m.get("participants_count"), materials=m.get("materials", []))
    mark_meeting_held(actor, meeting)
    answered = []
    for item in sorted(data["postulates"], key=lambda p: p["number"]):
        if item["submitter_kind"] == "organisation":
            submitter = {"organisation": organisation_named(actor, item["submitter"])}
        else:
            submitter = {"submitter_name": item["submitter"]}
        postulate = record_meeting_postulate(actor, meeting, number=item["number"], content=item["content"],
                                             justification=item.get("justification"), **submitter)
        if item["positions"]:
            assign_postulate(actor, postulate, unit_named(actor, item["positions"][0]["unit"]))
            for pos in item["positions"]:
                save_position(actor, postulate, unit=unit_named(actor, pos["unit"]), category=pos["category"],
                              text=pos["text"])
            answered.append(postulate)
    # A summary that is imported has been given to the NGOs already: its positions are public.
    if answered:
        publish_positions(actor, answered)
    return meeting


def export_meeting(meeting: Meeting, include_drafts: bool = False) -> dict:
    """The meeting as consult.meeting-summary/1: what `import_meeting` reads gives back the same data.

    Withdrawn postulates are left out; positions are the published ones, or also drafts when
    `include_drafts` (a preview). Optional fields that hold nothing are omitted, as the import treats
    an absent field and an empty one alike.
    """
    from sqlalchemy.orm import selectinload

    from consult.meetings.models import MeetingAttendance
    from consult.postulates.models import Position, Postulate

    meeting = db.session.scalar(
        db.select(Meeting).where(Meeting.id == meeting.id).options(
            selectinload(Meeting.programme), selectinload(Meeting.host_unit), selectinload(Meeting.officials),
            selectinload(Meeting.attendance).selectinload(MeetingAttendance.organisation),
            selectinload(Meeting.materials)))
    postulates = db.session.scalars(
        db.select(Postulate)
        .where(Postulate.meeting_id == meeting.id, Postulate.state.not_in(("draft", "withdrawn")))
        .options(selectinload(Postulate.organisation),
                 selectinload(Postulate.positions).selectinload(Position.unit))
        .order_by(Postulate.number)).all()
    m: dict = {
        "title": meeting.title,
        "host_unit": meeting.host_unit.name,
        "date": meeting.date.isoformat(),
        "starts": meeting.starts.strftime("%H:%M"),
        "ends": meeting.ends.strftime("%H:%M"),
        "place": meeting.place,
    }
    if meeting.scope:
        m["scope"] = meeting.scope
    if meeting.introduction:
        m["introduction"] = meeting.introduction
    if meeting.officials:
        m["officials"] = [({"name": o.name} if o.name else {}) | {"function": o.function} for o in meeting.officials]
    if meeting.attendance:
        m["organisations"] = [a.organisation.name for a in meeting.attendance]
    if meeting.participants_count is not None:
        m["participants_count"] = meeting.participants_count
    if meeting.materials:
        m["materials"] = [x.text for x in meeting.materials]
    items = []
    for p in postulates:
        item = {"number": p.number, "submitter": p.public_submitter_label, "submitter_kind": p.submitter_kind,
                "content": p.public_text}
        if p.justification is not None:
            item["justification"] = p.public_justification_text
        item["positions"] = [{"unit": pos.unit.name, "category": pos.category, "text": pos.text_for_public}
                             for pos in p.positions if include_drafts or pos.status == "published"]
        items.append(item)
    return {
        "schema": SCHEMA_ID,
        "programme": {"year": meeting.programme.year, "title": meeting.programme.title},
        "meeting": m,
        "postulates": items,
    }
