"""The programme's text as rows.

`Provision` is the working text a coordinator imports and edits: one row per provision, whose `key` is its stable
identifier across versions (what its address and the interchange format name it by: "par-5.ust-1.pkt-3"); a
provision dropped from the working text is kept as `removed`, so that its key is never given to another one and
the next version shows it deleted. Publishing a version (`TextVersion`: draft 1, draft 2, ..., the adopted
resolution) copies the working text into `ProvisionSnapshot` rows, which never change: the public pages and the
differences between versions are read from them. `PositionChange` says that a position ("accepted", "partially
accepted") changed a provision.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db

PROVISION_KINDS = ("chapter", "paragraph", "section", "point")
# How deep each kind sits: a provision's children are of a deeper kind (a point may sit right under a paragraph).
KIND_DEPTH = {"chapter": 0, "paragraph": 1, "section": 2, "point": 3}
# How the text and the key name each kind.
KIND_PREFIX = {"chapter": "rozdzial", "paragraph": "par", "section": "ust", "point": "pkt"}
VERSION_KINDS = ("draft", "adopted")
VERSION_KIND_LABELS = {"draft": _l("projekt"), "adopted": _l("uchwała (tekst przyjęty)")}
# A position of these categories may name the provisions it changed.
CHANGING_CATEGORIES = ("accepted", "partially_accepted")
MAX_KEY = 120
MAX_NUMBER = 20
MAX_HEADING = 500


def provision_label(kind: str, number: str) -> str:
    """How a provision is cited: "Rozdział 2", "§ 5", "ust. 1", "pkt 3"."""
    if kind == "chapter":
        return f"Rozdział {number}"
    if kind == "paragraph":
        return f"§ {number}"
    if kind == "section":
        return f"ust. {number}"
    return f"pkt {number}"


class Provision(db.Model):
    __tablename__ = "provisions"
    __table_args__ = (
        UniqueConstraint("programme_id", "key", name="uq_provisions_programme_key"),
        CheckConstraint("kind IN ('chapter', 'paragraph', 'section', 'point')", name="kind_known"),
        CheckConstraint("ordinal >= 0", name="ordinal_not_negative"),
        Index("ix_provisions_programme_ordinal", "programme_id", "ordinal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    key: Mapped[str] = mapped_column(String(MAX_KEY))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("provisions.id"))
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(MAX_NUMBER))
    heading: Mapped[str | None] = mapped_column(String(MAX_HEADING))  # a chapter's title
    text: Mapped[str] = mapped_column(Text, default="")
    ordinal: Mapped[int] = mapped_column(default=0)  # the place in the whole text
    removed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    version: Mapped[int] = mapped_column(default=1)

    parent: Mapped[Provision | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return provision_label(self.kind, self.number)

    @property
    def depth(self) -> int:
        return KIND_DEPTH[self.kind]

    @property
    def citation(self) -> str:
        """How the act cites it: "§ 5 ust. 1 pkt 3" (paragraphs are numbered through the whole act, so the chapter
        is left out); a chapter is "Rozdział 2". Walks the parents: load them with the provision in a list."""
        if self.kind == "chapter":
            return self.label
        path, node = [], self
        while node is not None and node.kind != "chapter":
            path.append(node.label)
            node = node.parent
        return " ".join(reversed(path))


# Loading a provision with its parents, so that its citation costs no query of its own (a point's parents are a
# section, a paragraph and a chapter at most).
def with_parents(relationship_attr):
    from sqlalchemy.orm import selectinload

    return selectinload(relationship_attr).selectinload(Provision.parent).selectinload(
        Provision.parent).selectinload(Provision.parent)


class TextVersion(db.Model):
    __tablename__ = "programme_text_versions"
    __table_args__ = (
        UniqueConstraint("programme_id", "number", name="uq_programme_text_versions_number"),
        CheckConstraint("kind IN ('draft', 'adopted')", name="kind_known"),
        CheckConstraint("number >= 1", name="number_positive"),
        # One adopted text per programme: nothing is published after the resolution.
        Index("uq_programme_text_versions_adopted", "programme_id", unique=True,
              sqlite_where=sql("kind = 'adopted'"), postgresql_where=sql("kind = 'adopted'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def kind_label(self) -> str:
        return str(VERSION_KIND_LABELS[self.kind])


class ProvisionSnapshot(db.Model):
    """A provision as one published version has it (never changed after)."""

    __tablename__ = "provision_snapshots"
    __table_args__ = (
        UniqueConstraint("version_id", "provision_id", name="uq_provision_snapshots_version_provision"),
        CheckConstraint("kind IN ('chapter', 'paragraph', 'section', 'point')", name="kind_known"),
        Index("ix_provision_snapshots_provision", "provision_id", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("programme_text_versions.id", ondelete="CASCADE"))
    provision_id: Mapped[int] = mapped_column(ForeignKey("provisions.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("provisions.id"))
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(MAX_NUMBER))
    heading: Mapped[str | None] = mapped_column(String(MAX_HEADING))
    text: Mapped[str] = mapped_column(Text, default="")
    ordinal: Mapped[int]

    provision: Mapped[Provision] = relationship(foreign_keys=[provision_id])

    @property
    def label(self) -> str:
        return provision_label(self.kind, self.number)

    @property
    def depth(self) -> int:
        return KIND_DEPTH[self.kind]


class PositionChange(db.Model):
    """A unit's position ("accepted", "partially accepted") changed this provision."""

    __tablename__ = "position_changes"
    __table_args__ = (
        UniqueConstraint("position_id", "provision_id", name="uq_position_changes_position_provision"),
        Index("ix_position_changes_provision", "provision_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    provision_id: Mapped[int] = mapped_column(ForeignKey("provisions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provision: Mapped[Provision] = relationship()
