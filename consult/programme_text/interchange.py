"""consult.programme-text/1: the programme's text as JSON (consult/schemas/programme-text.schema.json).

A file that does not validate is refused with every problem, each naming its field by a JSON pointer
("/provisions/0/children/2/kind: ..."); the caller runs the import in one transaction, so a refusal writes nothing.
What `export_text` writes, `import_text` reads back to the same text: export, import elsewhere, export again gives
the same file.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema
from flask_babel import gettext as _

from consult.core.errors import Refused
from consult.core.input import load_json
from consult.extensions import db
from consult.meetings.interchange import TYPE_NAMES
from consult.programme_text.models import KIND_DEPTH, Provision, ProvisionSnapshot, TextVersion

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "programme-text.schema.json"
SCHEMA_ID = "consult.programme-text/1"


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def pointer(parts) -> str:
    """A JSON pointer (RFC 6901) to the field: "/provisions/0/text"."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def describe(error: jsonschema.ValidationError) -> str:
    """One problem in the reader's language, beginning with the JSON pointer of the field it concerns."""
    parts = list(error.absolute_path)
    path, kind, expected, value = pointer(parts), error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        return "; ".join(_("%(field)s: brak wymaganego pola", field=pointer([*parts, k])) for k in missing)
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in known) if isinstance(value, dict) else []
        return "; ".join(_("%(field)s: nieznane pole (format %(schema)s go nie przewiduje)",
                           field=pointer([*parts, k]), schema=SCHEMA_ID) for k in extra)
    where = path or "/"
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        return _("%(field)s: powinno być: %(type)s", field=where,
                 type=" albo ".join(TYPE_NAMES.get(n, n) for n in names))
    if kind == "enum":
        return _("%(field)s: wartość „%(value)s” nie jest dozwolona; dozwolone: %(allowed)s", field=where,
                 value=value, allowed=", ".join(map(str, expected)))
    if kind == "const":
        return _("%(field)s: musi mieć wartość „%(expected)s”", field=where, expected=expected)
    if kind == "minLength":
        return _("%(field)s: nie może być puste", field=where)
    if kind == "maxLength":
        return _("%(field)s: może mieć najwyżej %(n)s znaków (ma %(m)s)", field=where, n=expected, m=len(value))
    if kind == "minimum":
        return _("%(field)s: musi być co najmniej %(n)s (jest %(value)s)", field=where, n=expected, value=value)
    if kind == "maximum":
        return _("%(field)s: może być najwyżej %(n)s (jest %(value)s)", field=where, n=expected, value=value)
    if kind == "pattern":
        return _("%(field)s: „%(value)s” nie ma postaci, której wymaga format (%(pattern)s)", field=where,
                 value=value, pattern=expected)
    return f"{where}: {error.message}"


def validation_problems(data) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema())
    problems = [describe(e) for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    if not problems:
        problems.extend(tree_problems(data["provisions"], "/provisions"))
    return problems


def tree_problems(nodes: list[dict], where: str) -> list[str]:
    """What the schema cannot say: a child is of a deeper kind than its parent; ids are unique."""
    problems: list[str] = []
    seen: dict[str, str] = {}

    def walk(items: list[dict], path: str, parent_kind: str | None) -> None:
        for i, node in enumerate(items):
            here = f"{path}/{i}"
            if parent_kind is not None and KIND_DEPTH[node["kind"]] <= KIND_DEPTH[parent_kind]:
                problems.append(_("%(field)s: przepis rodzaju „%(kind)s” nie może być częścią przepisu rodzaju "
                                  "„%(parent)s”", field=f"{here}/kind", kind=node["kind"], parent=parent_kind))
            if "id" in node:
                if node["id"] in seen:
                    problems.append(_("%(field)s: identyfikator „%(id)s” powtarza się (jest też w %(other)s)",
                                      field=f"{here}/id", id=node["id"], other=seen[node["id"]]))
                else:
                    seen[node["id"]] = f"{here}/id"
            walk(node.get("children", []), f"{here}/children", node["kind"])

    walk(nodes, where, None)
    return problems


def parse(text: str | bytes) -> dict:
    data = load_json(text)
    problems = validation_problems(data)
    if problems:
        raise Refused(_("Plik nie jest zgodny ze schematem %(schema)s:", schema=SCHEMA_ID) + "\n" + "\n".join(problems))
    return data


def _tree(rows) -> list[dict]:
    """Rows (provisions or snapshots, in text order) as the format's nested provisions."""
    nodes: dict[int, dict] = {}
    top: list[dict] = []
    for row in rows:
        provision_id = row.id if isinstance(row, Provision) else row.provision_id
        key = row.key if isinstance(row, Provision) else row.provision.key
        node = {"id": key, "kind": row.kind, "number": row.number}
        if row.heading is not None:
            node["heading"] = row.heading
        node["text"] = row.text
        nodes[provision_id] = node
        parent = nodes.get(row.parent_id) if row.parent_id is not None else None
        if parent is None:
            top.append(node)
        else:
            parent.setdefault("children", []).append(node)
    return top


def export_text(programme, version_number: int | None = None) -> dict:
    """The programme's working text (or a published version of it) as consult.programme-text/1."""
    if version_number is None:
        rows = db.session.scalars(db.select(Provision).where(
            Provision.programme_id == programme.id, Provision.removed.is_(False)).order_by(Provision.ordinal)).all()
    else:
        version = db.session.scalar(db.select(TextVersion).where(
            TextVersion.programme_id == programme.id, TextVersion.number == version_number))
        if version is None:
            raise Refused(_("Program nie ma opublikowanej wersji nr %(n)s.", n=version_number))
        rows = db.session.scalars(db.select(ProvisionSnapshot).where(ProvisionSnapshot.version_id == version.id)
                                  .order_by(ProvisionSnapshot.ordinal)).all()
    return {"schema": SCHEMA_ID, "programme": {"year": programme.year, "title": programme.title},
            "provisions": _tree(rows)}
