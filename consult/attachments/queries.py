"""Reading attachments: the files of a record, and what a record's page shows of them."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from consult.attachments.models import Attachment
from consult.attachments.parents import PARENTS, Parent
from consult.extensions import db


def attachments_of(parent: Parent, record) -> list[Attachment]:
    column = getattr(Attachment, parent.column)
    return list(db.session.scalars(
        db.select(Attachment).where(column == record.id).order_by(Attachment.uploaded_at, Attachment.id)))


def panel(kind: str, record) -> dict:
    """For a record's page (a template global): its files if the reader may see them, and where to manage them
    if the reader may."""
    parent = PARENTS[kind]
    visible = parent.can_view(current_user, record)
    may_manage = parent.can_manage(current_user, record)
    return {
        "files": attachments_of(parent, record) if visible else [],
        "manage_url": url_for("attachments.manage", slug=parent.slug, record_id=record.id) if may_manage else None,
        "annexes": parent.annexes,
    }


def call_annexes(call) -> list:
    from consult.attachments.models import ANNEXES, CallAnnex

    rows = db.session.scalars(db.select(CallAnnex).where(CallAnnex.call_id == call.id))
    return sorted(rows, key=lambda row: ANNEXES.index(row.annex))


def missing_annexes(offer) -> list:
    """The annexes the offer's call requires that none of the offer's files is marked as (a joint offer's
    partnership agreement only when the offer has partners)."""
    have = {a.annex for a in attachments_of(PARENTS["offer"], offer)}
    wanted = [row for row in call_annexes(offer.call) if row.required
              and (row.annex != "partnership_agreement" or getattr(offer, "partners", None))]
    return [row for row in wanted if row.annex not in have]
