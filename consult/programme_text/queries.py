"""Read-side of the programme's text: its versions, a version with each provision's change since the one before,
a provision's history and the postulates on it, and the report's part "what changed, and why"."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.postulates.models import Position, Postulate
from consult.programme_text.diff import changed, word_diff
from consult.programme_text.models import PositionChange, Provision, ProvisionSnapshot, TextVersion


def versions(programme_id: int) -> list[TextVersion]:
    return db.session.scalars(db.select(TextVersion).where(TextVersion.programme_id == programme_id)
                              .order_by(TextVersion.number)).all()


def snapshots(version_id: int) -> list[ProvisionSnapshot]:
    return db.session.scalars(db.select(ProvisionSnapshot).where(ProvisionSnapshot.version_id == version_id)
                              .options(selectinload(ProvisionSnapshot.provision))
                              .order_by(ProvisionSnapshot.ordinal)).all()


def working_text(programme_id: int) -> list[Provision]:
    return db.session.scalars(db.select(Provision).where(Provision.programme_id == programme_id,
                                                         Provision.removed.is_(False))
                              .order_by(Provision.ordinal)).all()


def provision_by_key(programme_id: int, key: str) -> Provision | None:
    """The provision of that key; None for one the programme has not, and for text no key can be (a NUL byte, a
    lone surrogate, anything that is not printable ASCII: the database would refuse to compare it)."""
    if not key or len(key) > 200 or not (key.isascii() and key.isprintable()):
        return None
    return db.session.scalar(db.select(Provision).where(Provision.programme_id == programme_id,
                                                        Provision.key == key))


def published_counts(programme_id: int) -> dict[int, int]:
    """How many published postulates concern each provision."""
    return dict(db.session.execute(
        db.select(Postulate.provision_id, db.func.count(Postulate.id))
        .where(Postulate.programme_id == programme_id, Postulate.provision_id.is_not(None),
               Postulate.state == "published")
        .group_by(Postulate.provision_id)).all())


@dataclass
class Line:
    """A provision as a version shows it, with what changed since the version before."""
    row: ProvisionSnapshot
    key: str
    status: str  # "same", "changed", "new" (not in the version before); "first" in the first version
    diff: Markup | None = None
    postulates: int = 0


@dataclass
class VersionView:
    version: TextVersion
    previous: TextVersion | None
    lines: list[Line]
    removed: list[Line] = field(default_factory=list)  # in the version before, not in this one


def version_view(programme_id: int, number: int | None = None) -> VersionView | None:
    """A published version (the newest when `number` is None) with each provision's change since the one before."""
    all_versions = versions(programme_id)
    if not all_versions:
        return None
    chosen = all_versions[-1] if number is None else next((v for v in all_versions if v.number == number), None)
    if chosen is None:
        return None
    index = all_versions.index(chosen)
    previous = all_versions[index - 1] if index > 0 else None
    rows = snapshots(chosen.id)
    before = {s.provision_id: s for s in snapshots(previous.id)} if previous else {}
    counts = published_counts(programme_id)
    lines = []
    for row in rows:
        old = before.get(row.provision_id)
        if previous is None:
            status, diff = "first", None
        elif old is None:
            status, diff = "new", word_diff("", row.text)
        elif changed(old, row):
            status, diff = "changed", word_diff(old.text, row.text)
        else:
            status, diff = "same", None
        lines.append(Line(row, row.provision.key, status, diff, counts.get(row.provision_id, 0)))
    present = {row.provision_id for row in rows}
    removed = [Line(old, old.provision.key, "removed", word_diff(old.text, ""), counts.get(old.provision_id, 0))
               for old in before.values() if old.provision_id not in present]
    return VersionView(chosen, previous, lines, sorted(removed, key=lambda line: line.row.ordinal))


@dataclass
class HistoryEntry:
    version: TextVersion
    row: ProvisionSnapshot | None  # None: not in this version
    diff: Markup | None  # since the version before, when it changed


def provision_history(provision: Provision) -> list[HistoryEntry]:
    """The provision in each published version, with its change since the version before."""
    all_versions = versions(provision.programme_id)
    rows = {s.version_id: s for s in db.session.scalars(db.select(ProvisionSnapshot).where(
        ProvisionSnapshot.provision_id == provision.id))}
    out, previous = [], None
    for index, version in enumerate(all_versions):
        row = rows.get(version.id)
        diff = None
        if index > 0 and changed(previous, row):
            diff = word_diff(previous.text if previous else "", row.text if row else "")
        out.append(HistoryEntry(version, row, diff))
        previous = row
    return out


def postulates_on(provision_id: int, *, published_only: bool = True) -> list[Postulate]:
    query = (db.select(Postulate).where(Postulate.provision_id == provision_id)
             .options(selectinload(Postulate.positions).selectinload(Position.unit),
                      selectinload(Postulate.organisation), selectinload(Postulate.programme))
             .order_by(Postulate.id))
    if published_only:
        query = query.where(Postulate.state == "published")
    return db.session.scalars(query).all()


def changes_by_position(position_ids: list[int]) -> dict[int, list[Provision]]:
    """The provisions each position says it changed."""
    out: dict[int, list[Provision]] = {}
    if not position_ids:
        return out
    for change in db.session.scalars(db.select(PositionChange).where(PositionChange.position_id.in_(position_ids))
                                     .options(selectinload(PositionChange.provision))
                                     .order_by(PositionChange.provision_id)):
        out.setdefault(change.position_id, []).append(change.provision)
    return out


def outline_choices(programme_id: int) -> list[tuple[int, str, ProvisionSnapshot]]:
    """The provisions of the newest published version for a select: (id, "§ 5 ust. 1 pkt 3 – beginning...")."""
    view = version_view(programme_id)
    if view is None:
        return []
    by_id = {line.row.provision_id: line.row for line in view.lines}
    out = []
    for line in view.lines:
        row, path = line.row, []
        node = row
        while node is not None:
            if node.kind != "chapter":
                path.append(node.label)
            node = by_id.get(node.parent_id) if node.parent_id else None
        label = " ".join(reversed(path)) if row.kind != "chapter" else row.label
        summary = row.heading or row.text
        summary = summary if len(summary) <= 70 else summary[:69].rstrip() + "…"
        out.append((row.provision_id, f"{label} – {summary}" if summary else label, row))
    return out


def citation(programme_id: int, provision_id: int) -> str:
    """How the newest published version cites the provision: "§ 5 ust. 1 pkt 3"."""
    for pid, label, _row in outline_choices(programme_id):
        if pid == provision_id:
            return label.split(" – ")[0]
    return ""


# --- the report's part: provision → postulate → position → the change made ----------------------------------

@dataclass
class ReportPosition:
    unit: str
    category: str
    text: str
    changed_this: bool  # the position says it changed this provision


@dataclass
class ReportPostulate:
    reference: str
    submitter: str
    content: str
    quote: str | None
    positions: list[ReportPosition]


@dataclass
class ReportProvision:
    key: str
    citation: str
    text: str  # in the newest version ("" when removed)
    change: str | None  # the word diff from the first published version to the newest, as HTML
    postulates: list[ReportPostulate]


def report_by_provision(programme_id: int, in_report) -> list[ReportProvision]:
    """The provisions that postulates in the report concern, or that positions changed, in the text's order:
    each with those postulates, their published positions, and the change made between the first published
    version and the newest. `in_report`: the condition that selects the report's postulates (joined to Meeting)."""
    from consult.meetings.models import Meeting
    from consult.postulates.models import POSITION_CATEGORY_LABELS

    all_versions = versions(programme_id)
    if not all_versions:
        return []
    first = {s.provision_id: s for s in snapshots(all_versions[0].id)}
    last = {s.provision_id: s for s in snapshots(all_versions[-1].id)}
    postulates = db.session.scalars(
        db.select(Postulate).outerjoin(Meeting, Meeting.id == Postulate.meeting_id)
        .where(in_report, Postulate.provision_id.is_not(None))
        .options(selectinload(Postulate.positions).selectinload(Position.unit),
                 selectinload(Postulate.organisation), selectinload(Postulate.programme))
        .order_by(Postulate.id)).all()
    changes = db.session.execute(
        db.select(PositionChange.position_id, PositionChange.provision_id, Position.postulate_id)
        .join(Position, Position.id == PositionChange.position_id)
        .join(Postulate, Postulate.id == Position.postulate_id)
        .outerjoin(Meeting, Meeting.id == Postulate.meeting_id)
        .where(in_report, Position.status == "published")).all()
    changed_by = {(c.position_id, c.provision_id) for c in changes}
    # The postulates whose positions changed a provision other than their own: loaded in one more query (with
    # their positions, units and submitters), not one by one.
    loaded = {p.id: p for p in postulates}
    others = {c.postulate_id for c in changes} - set(loaded)
    if others:
        loaded.update({p.id: p for p in db.session.scalars(
            db.select(Postulate).where(Postulate.id.in_(others))
            .options(selectinload(Postulate.positions).selectinload(Position.unit),
                     selectinload(Postulate.organisation), selectinload(Postulate.programme)))})
    wanted: dict[int, list[Postulate]] = {}
    for p in postulates:
        wanted.setdefault(p.provision_id, []).append(p)
    for change in sorted(changes):
        wanted.setdefault(change.provision_id, [])
        postulate = loaded[change.postulate_id]
        if postulate not in wanted[change.provision_id]:
            wanted[change.provision_id].append(postulate)
    provisions = {p.id: p for p in db.session.scalars(db.select(Provision).where(Provision.id.in_(list(wanted))))}
    citations = {pid: label.split(" – ")[0] for pid, label, _row in outline_choices(programme_id)}
    out = []
    for provision_id in sorted(wanted, key=lambda pid: (last[pid].ordinal if pid in last else 10**9,
                                                        provisions[pid].ordinal)):
        provision = provisions[provision_id]
        old, new = first.get(provision_id), last.get(provision_id)
        change = None
        if len(all_versions) > 1 and changed(old, new):
            change = str(word_diff(old.text if old else "", new.text if new else ""))
        rows = []
        for p in sorted(wanted[provision_id], key=lambda p: p.id):
            rows.append(ReportPostulate(
                reference=p.reference, submitter=p.public_submitter_label, content=p.public_text, quote=p.quote,
                positions=[ReportPosition(pos.unit.name, str(POSITION_CATEGORY_LABELS[pos.category]),
                                          pos.text_for_public,
                                          (pos.id, provision_id) in changed_by)
                           for pos in p.positions if pos.status == "published"]))
        out.append(ReportProvision(provision.key, citations.get(provision_id) or provision.label,
                                   new.text if new else "", change, rows))
    return out
