"""Reading a draft programme written in a word processor (DOCX or ODT) into the tree the interchange format holds.

The city writes its drafts as a Polish act is written, one provision a paragraph of the document:

    Rozdział 2                      a chapter; its title follows on the same line ("Rozdział 2. Cele programu")
    Cele programu                   or on the next one
    § 5. Celem głównym jest ...     a paragraph (§), with its text
    § 6. 1. Program realizuje ...   a paragraph whose first section (ust.) starts on the same line
    2. Zadania obejmują: ...        a section (ust.) of the last paragraph
    1) wspieranie ...               a point (pkt) of the last section, or of the last paragraph if it has none

A paragraph of the document that starts none of these continues the provision before it (a new line of its text).
What comes before the first provision (the title of the draft, a preamble) is not a provision and is left out.
Numbers must be typed: a number that the word processor draws itself (automatic list numbering) is not in the
text the libraries read.
"""
from __future__ import annotations

import io
import re
import zipfile

from flask_babel import gettext as _

from consult.core.errors import Refused

MAX_UPLOAD = 10 * 1024 * 1024

_CHAPTER = re.compile(r"^Rozdział\s+([0-9]+[a-z]?|[IVXLCDM]+)\b\.?\s*(?:[-–—:.]\s*)?(.*)$", re.IGNORECASE)
_PARAGRAPH = re.compile(r"^§\s*([0-9]+[a-z]?)\.?\s*(.*)$")
_SECTION = re.compile(r"^([0-9]+[a-z]?)\.\s+(.*)$")
_POINT = re.compile(r"^([0-9]+[a-z]?)\)\s+(.*)$")


def _docx_lines(data: bytes) -> list[str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs]


def _odt_lines(data: bytes) -> list[str]:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    document = load(io.BytesIO(data))
    lines = []
    # Headings and paragraphs in the order they are written (the body holds both, lists hold paragraphs too).
    for element in document.text.getElementsByType(P) + document.text.getElementsByType(H):
        lines.append((_position(element), teletype.extractText(element)))
    return [text for _pos, text in sorted(lines, key=lambda pair: pair[0])]


def _position(element) -> tuple:
    """Where an element sits in the document: the indexes of it and its ancestors (for document order)."""
    path = []
    while element.parentNode is not None:
        siblings = element.parentNode.childNodes
        path.append(next(i for i, node in enumerate(siblings) if node is element))
        element = element.parentNode
    return tuple(reversed(path))


def read_lines(filename: str, data: bytes) -> list[str]:
    """The paragraphs of a DOCX or ODT file, as text. Refused: another kind of file, a damaged one, a huge one."""
    name = (filename or "").lower()
    if len(data) > MAX_UPLOAD:
        raise Refused(_("Plik jest za duży: może mieć najwyżej %(n)s MB.", n=MAX_UPLOAD // (1024 * 1024)),
                      field="file")
    if not name.endswith((".docx", ".odt")):
        raise Refused(_("Wybierz plik DOCX albo ODT (albo JSON w formacie consult.programme-text/1)."), field="file")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused(_("Tego pliku nie da się odczytać jako %(kind)s: jest uszkodzony albo to inny rodzaj pliku.",
                        kind=name.rsplit(".", 1)[1].upper()), field="file")
    try:
        return _docx_lines(data) if name.endswith(".docx") else _odt_lines(data)
    except Exception:  # noqa: BLE001 - any damage inside the archive is the file's, not ours
        raise Refused(_("Tego pliku nie da się odczytać jako %(kind)s: jest uszkodzony albo to inny rodzaj pliku.",
                        kind=name.rsplit(".", 1)[1].upper()), field="file") from None


def structure(lines: list[str]) -> list[dict]:
    """The provisions the lines hold, as the interchange format's tree (without ids: the import makes them from
    the numbering)."""
    top: list[dict] = []
    chapter = paragraph = section = last = None
    heading_pending = False

    def add(node: dict, parent: dict | None) -> dict:
        (parent["children"] if parent is not None else top).append(node)
        return node

    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if m := _CHAPTER.match(line):
            chapter = last = add({"kind": "chapter", "number": m[1], "text": "", "children": []}, None)
            paragraph = section = None
            heading_pending = not m[2]
            if m[2]:
                chapter["heading"] = m[2]
            continue
        if m := _PARAGRAPH.match(line):
            paragraph = last = add({"kind": "paragraph", "number": m[1], "text": "", "children": []}, chapter)
            section, heading_pending = None, False
            rest = m[2]
            if s := _SECTION.match(rest):  # "§ 6. 1. Program realizuje ..."
                section = last = add({"kind": "section", "number": s[1], "text": s[2], "children": []}, paragraph)
            else:
                paragraph["text"] = rest
            continue
        if paragraph is not None and (m := _SECTION.match(line)):
            section = last = add({"kind": "section", "number": m[1], "text": m[2], "children": []}, paragraph)
            heading_pending = False
            continue
        if (section or paragraph) is not None and (m := _POINT.match(line)):
            last = add({"kind": "point", "number": m[1], "text": m[2], "children": []}, section or paragraph)
            heading_pending = False
            continue
        if last is None:
            continue  # the draft's title or preamble
        if heading_pending:
            last["heading"], heading_pending = line, False
        else:
            last["text"] = f"{last['text']}\n{line}" if last["text"] else line
    return _prune(top)


def _prune(nodes: list[dict]) -> list[dict]:
    for node in nodes:
        if node["children"]:
            _prune(node["children"])
        else:
            del node["children"]
    return nodes
