"""Files of compiled documents under CONSULT_STORAGE, addressed by a relative key.

A file is written under a temporary name and renamed into place, so a reader never sees half a file,
and a key is never reused: a published file is never overwritten. A storage that is full (ENOSPC, or a quota:
EDQUOT) raises StorageFull, whose words the failed job shows the coordinator; the partial file is removed.
"""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from flask import current_app


def root() -> Path:
    return Path(current_app.config["CONSULT_STORAGE"])


def path_of(key: str) -> Path:
    base = root().resolve()
    path = (base / key).resolve()
    if base not in path.parents:
        raise ValueError(f"storage key outside the storage: {key!r}")
    return path


class StorageFull(OSError):
    """No room left in CONSULT_STORAGE for a document."""

    def __str__(self) -> str:
        return str(self.strerror)


def write(key: str, data: bytes) -> Path:
    try:
        return _write(key, data)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT) or isinstance(exc, StorageFull):
            raise
        raise StorageFull(exc.errno, f"Brak miejsca w magazynie dokumentów (CONSULT_STORAGE) na plik {len(data)} B; "
                                     "zwolnij miejsce na dysku i skompiluj dokument ponownie") from exc


def _write(key: str, data: bytes) -> Path:
    path = path_of(key)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def remove(key: str) -> None:
    try:
        path_of(key).unlink()
    except FileNotFoundError:
        pass
