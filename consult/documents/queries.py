"""Read-side helpers every kind of document shares: a page of a document's versions, filtered."""
from __future__ import annotations

from consult.documents.models import DocumentVersion

VERSION_KINDS = ("published", "unpublished", "preview")


def versions_page(query, *, search: str = "", kind: str = "", page: int = 1, size: int | None = None):
    """A page of the versions `query` selects (a document's), newest first. `search` is a version's number,
    the start of its SHA-256 or a part of the name of who compiled it; `kind` (VERSION_KINDS) keeps the
    published ones, the ones for publication not published (yet), or the previews."""
    from consult.auth.models import User
    from consult.core.paging import like_any, paginate

    if search:
        condition = like_any(search, User.name)
        if search.isdigit() and len(search) < 10:
            condition = condition | (DocumentVersion.number == int(search))
        if len(search) >= 4:
            condition = condition | DocumentVersion.sha256.startswith(search.lower(), autoescape=True)
        query = query.outerjoin(User, User.id == DocumentVersion.created_by_id).where(condition)
    if kind == "published":
        query = query.where(DocumentVersion.published_at.is_not(None))
    elif kind == "unpublished":
        query = query.where(DocumentVersion.published_at.is_(None), DocumentVersion.preview.is_(False))
    elif kind == "preview":
        query = query.where(DocumentVersion.preview.is_(True))
    return paginate(query.order_by(DocumentVersion.number.desc(), DocumentVersion.id.desc()), page, size)
