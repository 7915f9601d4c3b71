#!/usr/bin/env python3
"""Message catalogues: extract the Polish msgids, update the English and Ukrainian .po files, compile, check.

    python3 scripts/i18n.py update      # extract from the code and templates, merge into en and uk .po
    python3 scripts/i18n.py missing     # list msgids with no (or a fuzzy) translation, per language
    python3 scripts/i18n.py compile     # .po -> .mo (the build and the app's start do this too)
    python3 scripts/i18n.py extract     # only write consult/translations/messages.pot

After `update`, translate the entries `missing` lists (new ones are empty; changed ones are marked fuzzy:
check them and remove the fuzzy flag), keep every %(name)s placeholder, then run the tests
(tests/test_i18n.py fails while a msgid is untranslated).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "consult" / "translations"
POT = TRANSLATIONS / "messages.pot"
LOCALES = ("en", "uk")
# Marker functions besides Babel's defaults (_, gettext, ngettext, pgettext, N_, ...).
KEYWORDS = ["_l", "lazy_gettext", "lazy_ngettext:1,2", "lazy_pgettext:1c,2"]


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    # Relative file names without line numbers: the catalogues change only when a string does, which keeps
    # merges of several people's work quiet.
    os.chdir(ROOT)
    _pybabel("extract", "-F", "babel.cfg", *keywords, "--no-wrap", "--sort-by-file", "--add-location=file",
             "--project", "consult", "--copyright-holder", "consult contributors",
             "--msgid-bugs-address", "", "-o", str(POT.relative_to(ROOT)), ".")


def update() -> None:
    extract()
    for locale in LOCALES:
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        if po.exists():
            _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale, "--no-wrap",
                     "--ignore-obsolete")
        else:
            _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale, "--no-wrap")
    missing()


def compile_() -> None:
    sys.path.insert(0, str(ROOT))
    from consult.catalogues import compile_catalogues

    for mo in compile_catalogues(TRANSLATIONS, only_stale=False):
        print(f"compiled {mo.relative_to(ROOT)}")


def missing() -> int:
    from babel.messages.pofile import read_po

    total = 0
    for locale in LOCALES:
        with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalog = read_po(f)
        todo = [m for m in catalog if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple)
                                                                      else (m.string,)))]
        total += len(todo)
        print(f"{locale}: {len(todo)} msgid(s) to translate")
        for m in todo:
            print(f"  {'fuzzy ' if m.fuzzy else ''}{m.id!r}")
    return total


def main(argv: list[str]) -> int:
    commands = {"extract": extract, "update": update, "compile": compile_, "missing": missing}
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__)
        return 2
    result = commands[argv[0]]()
    return 1 if argv[0] == "missing" and result else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
