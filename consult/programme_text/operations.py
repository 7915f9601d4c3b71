"""Every change of a programme's text: importing a draft, editing a provision, publishing a version, linking a
postulate to a provision and a position to the provisions it changed. The caller owns the transaction."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consult.core import audit
from consult.core.access import has_role, is_staff_of
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text
from consult.core.locks import lock_for_update
from consult.core.operations import check_version
from consult.core.types import utcnow
from consult.extensions import db
from consult.programme_text.models import (CHANGING_CATEGORIES, KIND_DEPTH, KIND_PREFIX, MAX_HEADING, MAX_KEY,
                                           PositionChange, Provision, ProvisionSnapshot, TextVersion)

MAX_TEXT = 20000
MAX_QUOTE = 2000


def _require_coordinator(actor) -> None:
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Tekst programu przygotowują koordynatorzy."))


def adopted_version(programme_id: int) -> TextVersion | None:
    return db.session.scalar(db.select(TextVersion).where(TextVersion.programme_id == programme_id,
                                                          TextVersion.kind == "adopted"))


def _refuse_if_adopted(programme) -> None:
    if adopted_version(programme.id) is not None:
        raise Refused(_("Tekst programu „%(title)s” został już przyjęty uchwałą: nie można go zmieniać.",
                        title=programme.title))


def _number_key(number: str) -> str:
    return re.sub(r"[^0-9a-z]", "", number.lower()) or "0"


def _key_of(node: dict, parent_key: str | None, chapter_key: str | None, taken: set[str]) -> str:
    """The identifier a provision without one gets from its numbering: paragraphs are numbered through the whole
    act (par-5), sections and points within their parent (par-5.ust-1.pkt-3). A clash (numbering that starts
    again in each chapter) is told apart by the chapter, then by a counter."""
    own = f"{KIND_PREFIX[node['kind']]}-{_number_key(node['number'])}"
    if node["kind"] in ("chapter", "paragraph") or parent_key is None:
        key = own
    else:
        key = f"{parent_key}.{own}"
    if key in taken and chapter_key and not key.startswith(chapter_key):
        key = f"{chapter_key}.{key}"
    base, n = key[:MAX_KEY - 4], 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _flatten(nodes: list[dict]) -> list[tuple[dict, str, str | None]]:
    """(node, key, parent's key) for every provision in text order; keys given in the file are kept."""
    given = set()

    def collect(items):
        for node in items:
            if "id" in node:
                given.add(node["id"])
            collect(node.get("children", []))

    collect(nodes)
    taken = set(given)
    out = []

    def walk(items, parent_key, chapter_key):
        for node in items:
            key = node.get("id") or _key_of(node, parent_key, chapter_key, taken)
            taken.add(key)
            out.append((node, key, parent_key))
            walk(node.get("children", []), key, key if node["kind"] == "chapter" else chapter_key)

    walk(nodes, None, None)
    return out


def _clean(value: str | None, field: str, label: str, limit: int) -> str:
    value = "\n".join(line.rstrip() for line in (value or "").strip().splitlines())
    check_text(value, field=field, label=label)
    if len(value) > limit:
        raise Refused(_("%(label)s może mieć najwyżej %(n)s znaków (teraz: %(m)s).", label=label, n=limit,
                        m=len(value)), field=field)
    return value


def import_text(actor, programme, provisions: list[dict]) -> dict:
    """Make the programme's working text what `provisions` (the interchange format's tree) says: a provision whose
    key is known is updated, a new one added, one no longer there marked removed (its key stays its own).
    Returns counts of what was added, changed and removed."""
    _require_coordinator(actor)
    programme = lock_for_update(type(programme), programme.id)
    _refuse_if_adopted(programme)
    from consult.programme_text.interchange import tree_problems

    problems = tree_problems(provisions, "/provisions")
    if problems:
        raise Refused("\n".join(problems), field="file")
    flat = _flatten(provisions)
    if not flat:
        raise Refused(_("W pliku nie ma żadnego przepisu (rozdziału, paragrafu, ustępu ani punktu)."), field="file")
    existing = {p.key: p for p in db.session.scalars(db.select(Provision).where(
        Provision.programme_id == programme.id))}
    by_key: dict[str, Provision] = {}
    added = changed = 0
    for ordinal, (node, key, parent_key) in enumerate(flat):
        text = _clean(node.get("text"), "file", _("Treść przepisu %(key)s", key=key), MAX_TEXT)
        heading = node.get("heading")
        heading = _clean(heading, "file", _("Tytuł przepisu %(key)s", key=key), MAX_HEADING) if heading else None
        parent = by_key[parent_key] if parent_key else None
        row = existing.get(key)
        if row is None:
            row = Provision(programme_id=programme.id, key=key)
            db.session.add(row)
            added += 1
        elif (row.removed, row.kind, row.number, row.heading, row.text, row.parent_id) != (
                False, node["kind"], node["number"], heading, text, parent.id if parent else None):
            changed += 1
        row.kind, row.number, row.heading, row.text = node["kind"], node["number"], heading, text
        row.parent, row.ordinal, row.removed = parent, ordinal, False
        db.session.flush()
        by_key[key] = row
    removed = 0
    for key, row in existing.items():
        if key not in by_key and not row.removed:
            row.removed, removed = True, removed + 1
    audit.record(actor, "programme", programme.id, "import_text", added=added, changed=changed, removed=removed,
                 provisions=len(flat))
    return {"added": added, "changed": changed, "removed": removed, "provisions": len(flat)}


def edit_provision(actor, provision: Provision, *, text: str, heading: str | None = None,
                   expected_version: int | None = None) -> Provision:
    """A coordinator changes a provision's text (and a chapter's title) in the working text."""
    _require_coordinator(actor)
    from consult.programmes.models import Programme

    _refuse_if_adopted(db.session.get(Programme, provision.programme_id))
    if provision.removed:
        raise Refused(_("Tego przepisu nie ma już w tekście roboczym."))
    check_version(provision, expected_version)
    new_text = _clean(text, "text", _("Treść przepisu"), MAX_TEXT)
    new_heading = _clean(heading, "heading", _("Tytuł rozdziału"), MAX_HEADING) or None \
        if provision.kind == "chapter" else provision.heading
    if provision.kind != "chapter" and not new_text:
        raise Refused(_("Wpisz treść przepisu."), field="text")
    changed = [name for name, old, new in (("text", provision.text, new_text), ("heading", provision.heading,
                                                                                  new_heading)) if old != new]
    provision.text, provision.heading = new_text, new_heading
    audit.record(actor, "programme", provision.programme_id, "edit_provision", provision=provision.key,
                 changed=changed)
    return provision


def publish_text_version(actor, programme, *, kind: str) -> TextVersion:
    """Publish the working text as the next version: a draft (projekt nr N) or the adopted resolution."""
    _require_coordinator(actor)
    if kind not in ("draft", "adopted"):
        raise Refused(_("Wybierz, co publikujesz: kolejny projekt albo tekst przyjęty uchwałą."), field="kind")
    programme = lock_for_update(type(programme), programme.id)
    _refuse_if_adopted(programme)
    rows = db.session.scalars(db.select(Provision).where(
        Provision.programme_id == programme.id, Provision.removed.is_(False)).order_by(Provision.ordinal)).all()
    if not rows:
        raise Refused(_("Program nie ma jeszcze tekstu: najpierw zaimportuj projekt."))
    last = db.session.scalar(db.select(TextVersion).where(TextVersion.programme_id == programme.id)
                             .order_by(TextVersion.number.desc()).limit(1))
    if last is not None and kind == "draft":
        before = {(s.provision_id, s.parent_id, s.kind, s.number, s.heading, s.text, s.ordinal)
                  for s in db.session.scalars(db.select(ProvisionSnapshot).where(
                      ProvisionSnapshot.version_id == last.id))}
        now = {(r.id, r.parent_id, r.kind, r.number, r.heading, r.text, r.ordinal) for r in rows}
        if before == now:
            raise Refused(_("Tekst roboczy nie różni się od opublikowanej wersji nr %(n)s: nie ma czego publikować.",
                            n=last.number))
    version = TextVersion(programme_id=programme.id, number=(last.number + 1) if last else 1, kind=kind,
                          published_at=utcnow(), published_by_id=getattr(actor, "id", None))
    db.session.add(version)
    db.session.flush()
    db.session.add_all([ProvisionSnapshot(version_id=version.id, provision_id=r.id, parent_id=r.parent_id,
                                          kind=r.kind, number=r.number, heading=r.heading, text=r.text,
                                          ordinal=r.ordinal) for r in rows])
    audit.record(actor, "programme", programme.id, "publish_text_version", version=version.number, kind=kind,
                 provisions=len(rows))
    return version


# --- postulates on provisions ----------------------------------------------------------------------

def published_provision(programme_id: int, provision_id: int | None):
    """The provision as the newest published version of the programme's text has it, or None."""
    if provision_id is None:
        return None
    return db.session.scalar(
        db.select(ProvisionSnapshot).join(TextVersion, TextVersion.id == ProvisionSnapshot.version_id)
        .where(TextVersion.programme_id == programme_id, ProvisionSnapshot.provision_id == provision_id)
        .order_by(TextVersion.number.desc()).limit(1))


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_provision_choice(programme, provision_id: int | None, quote: str | None) -> tuple[int | None, str | None]:
    """The provision a postulate concerns (one of the programme's published text) and the words it quotes,
    checked to occur in that provision (spaces and case aside). Returns (provision id, quote) to store."""
    quote = " ".join((quote or "").split())
    check_text(quote, field="quote", label=_("Cytat z przepisu"))
    if provision_id is None:
        if quote:
            raise Refused(_("Wybierz przepis, z którego pochodzi cytat."), field="provision")
        return None, None
    snapshot = published_provision(programme.id, provision_id)
    if snapshot is None:
        raise Refused(_("Wybierz przepis z opublikowanego tekstu programu."), field="provision")
    if not quote:
        return provision_id, None
    if len(quote) > MAX_QUOTE:
        raise Refused(_("Cytat może mieć najwyżej %(n)s znaków (teraz: %(m)s).", n=MAX_QUOTE, m=len(quote)),
                      field="quote")
    if normalised(quote) not in normalised(f"{snapshot.heading or ''} {snapshot.text}"):
        raise Refused(_("Tych słów nie ma w przepisie %(label)s: wklej je dokładnie tak, jak są w tekście.",
                        label=snapshot.label), field="quote")
    return provision_id, quote


def link_postulate(actor, postulate, *, provision_id: int | None, quote: str | None = None):
    """A coordinator says which provision a postulate (from a meeting, say) concerns, or that it concerns none."""
    _require_coordinator(actor)
    provision_id, quote = check_provision_choice(postulate.programme, provision_id, quote)
    before = postulate.provision_id
    postulate.provision_id, postulate.quote = provision_id, quote
    audit.record(actor, "postulate", postulate.id, "link_provision", provision_before=before,
                 provision=provision_id, quote=quote)
    return postulate


def link_position_changes(actor, position, provision_ids: list[int]) -> list[PositionChange]:
    """The unit that wrote a position "accepted" or "partially accepted" (or a coordinator) says which provisions
    it changed; the list replaces the one before."""
    if not (has_role(actor, "coordinator") or is_staff_of(actor, position.unit_id)):
        raise Forbidden(_("Przepisy zmienione przez stanowisko wskazuje komórka, która je zapisała, albo koordynator."))
    if position.category not in CHANGING_CATEGORIES:
        raise Refused(_("Zmienione przepisy wskazuje się przy stanowisku „przyjęty” albo „przyjęty częściowo”."),
                      field="provisions")
    programme_id = position.postulate.programme_id
    wanted = sorted(set(provision_ids))
    found = set(db.session.scalars(db.select(Provision.id).where(
        Provision.programme_id == programme_id, Provision.id.in_(wanted)))) if wanted else set()
    if len(found) != len(wanted):
        raise Refused(_("Wybierz przepisy z tekstu tego programu."), field="provisions")
    current = {c.provision_id: c for c in db.session.scalars(db.select(PositionChange).where(
        PositionChange.position_id == position.id))}
    for provision_id, change in current.items():
        if provision_id not in found:
            db.session.delete(change)
    for provision_id in wanted:
        if provision_id not in current:
            db.session.add(PositionChange(position_id=position.id, provision_id=provision_id))
    audit.record(actor, "postulate", position.postulate_id, "link_changes", unit=position.unit_id,
                 provisions=wanted or None)
    db.session.flush()
    return db.session.scalars(db.select(PositionChange).where(PositionChange.position_id == position.id)).all()


# --- year to year ------------------------------------------------------------------------------------

def previous_adopted(programme):
    """The programme of the nearest earlier year whose text was adopted, with that adopted version: what next
    year's text starts from. (None, None) when there is none."""
    from consult.programmes.models import Programme

    row = db.session.execute(
        db.select(Programme, TextVersion).join(TextVersion, TextVersion.programme_id == Programme.id)
        .where(Programme.year < programme.year, TextVersion.kind == "adopted")
        .order_by(Programme.year.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (None, None)


def start_from_previous_text(actor, programme) -> TextVersion:
    """Start a programme's text from the adopted text of the year before: its provisions, with the same stable
    identifiers (so the addresses, the differences between versions and the postulates carried over still name
    them), published at once as draft 1. Only a programme with no text of its own yet."""
    _require_coordinator(actor)
    programme = lock_for_update(type(programme), programme.id)
    previous, adopted = previous_adopted(programme)
    if adopted is None:
        raise Refused(_("Żaden program z wcześniejszego roku nie ma tekstu przyjętego uchwałą: zaimportuj projekt "
                        "z pliku."))
    has_text = db.session.scalar(db.select(db.func.count(Provision.id)).where(Provision.programme_id == programme.id))
    if has_text:
        raise Refused(_("Program „%(title)s” ma już swój tekst: tekst z poprzedniego roku można wczytać tylko do "
                        "programu bez tekstu.", title=programme.title))
    rows = db.session.scalars(db.select(ProvisionSnapshot).where(ProvisionSnapshot.version_id == adopted.id)
                              .options(selectinload(ProvisionSnapshot.provision))
                              .order_by(ProvisionSnapshot.ordinal)).all()
    copies: dict[int, Provision] = {}
    for ordinal, row in enumerate(rows):
        copy = Provision(programme_id=programme.id, key=row.provision.key, kind=row.kind, number=row.number,
                         heading=row.heading, text=row.text, ordinal=ordinal, removed=False,
                         parent=copies.get(row.parent_id))
        db.session.add(copy)
        copies[row.provision_id] = copy
    db.session.flush()
    audit.record(actor, "programme", programme.id, "start_text_from", programme_from=previous.id,
                 year_from=previous.year, version_from=adopted.number, provisions=len(rows))
    return publish_text_version(actor, programme, kind="draft")
