"""Compiling the message catalogues (.po to .mo) with Babel alone.

Imported by setup.py's build step (by path, before the package's dependencies exist, so nothing here may
import Flask or the rest of consult) and by consult.i18n at application start.
"""
from __future__ import annotations

from pathlib import Path

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"


def compile_catalogues(directory: Path | str = TRANSLATIONS, *, only_stale: bool = True) -> list[Path]:
    """Compile every <locale>/LC_MESSAGES/messages.po under `directory` into the .mo beside it.

    With `only_stale`, only a missing .mo or one older than its .po is written. Fuzzy entries are left out,
    as msgfmt does. Returns the .mo files written.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(Path(directory).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if only_stale and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name)
        tmp = mo.with_name(f"{mo.name}.{__import__('os').getpid()}.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        tmp.replace(mo)  # atomic: another process starting at the same moment reads a whole file
        written.append(mo)
    return written
