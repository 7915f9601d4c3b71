"""Files of compiled documents under CONSULT_STORAGE, addressed by a relative key.

A file is written under a temporary name and renamed into place, so a reader never sees half a file,
and a key is never reused: a published file is never overwritten.
"""
from __future__ import annotations

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


def write(key: str, data: bytes) -> Path:
    path = path_of(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def remove(key: str) -> None:
    try:
        path_of(key).unlink()
    except FileNotFoundError:
        pass
