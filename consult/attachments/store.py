"""Attached files' bytes under CONSULT_STORAGE, addressed by their sha256 (attachments/ab/abcd…).

A file is written before its row is committed and removed again when the row is not (nothing is kept of a
refused or failed upload), and removed with the last row that names it.
"""
from __future__ import annotations

from pathlib import Path

from consult.documents import storage
from consult.extensions import db


def key_of(sha256: str) -> str:
    return f"attachments/{sha256[:2]}/{sha256}"


def path_of(sha256: str) -> Path:
    return storage.path_of(key_of(sha256))


def exists(sha256: str) -> bool:
    return path_of(sha256).exists()


def write(sha256: str, data: bytes) -> None:
    storage.write(key_of(sha256), data)


def in_use(sha256: str) -> bool:
    from consult.attachments.models import Attachment

    return db.session.scalar(db.select(Attachment.id).where(Attachment.sha256 == sha256).limit(1)) is not None


def remove_unless_in_use(sha256: str) -> None:
    if not in_use(sha256):
        storage.remove(key_of(sha256))
