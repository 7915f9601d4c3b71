"""What a file is, judged by its content and never by its name.

PDF, PNG and JPEG are told by their signatures (the `filetype` library). ODT, ODS, DOCX and XLSX are all ZIP
archives: an OpenDocument file names its type in its first entry, `mimetype`, stored uncompressed; an Office Open
XML file declares the type of its main part in `[Content_Types].xml`. A ZIP that is neither, a macro-enabled
Office file, or anything else (a program renamed .pdf) is refused, saying what it was taken for.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import filetype
from flask_babel import gettext as _

from consult.core.errors import Refused


@dataclass(frozen=True)
class FileType:
    extension: str
    media_type: str
    label: str  # what the pages call it


PDF = FileType("pdf", "application/pdf", "PDF")
PNG = FileType("png", "image/png", "PNG")
JPG = FileType("jpg", "image/jpeg", "JPG")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", "ODT")
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
ACCEPTED = (PDF, ODT, DOCX, XLSX, ODS, JPG, PNG)
BY_EXTENSION = {t.extension: t for t in ACCEPTED}

_SIGNED = {"application/pdf": PDF, "image/png": PNG, "image/jpeg": JPG}
_ODF = {ODT.media_type: ODT, ODS.media_type: ODS}
# The content type of the main part of each accepted Office Open XML document (macro-enabled ones differ: refused).
_OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (DOCX, "word/"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (XLSX, "xl/"),
}
_MANIFEST_LIMIT = 1024 * 1024  # a [Content_Types].xml larger than this is no document's: not unpacked


def accepted_names() -> str:
    return ", ".join(t.label for t in ACCEPTED)


def sniff(data: bytes) -> FileType:
    """The accepted type of `data`, or Refused saying why not (in the reader's language)."""
    if not data:
        raise Refused(_("Plik jest pusty."), field="file")
    if data.startswith(b"PK\x03\x04"):
        return _zip_document(data)
    guessed = filetype.guess(data)
    if guessed is not None and guessed.mime in _SIGNED:
        return _SIGNED[guessed.mime]
    what = _("nieznany")
    if guessed is not None:
        what = f"{guessed.extension} ({guessed.mime})"
    elif data[:2] == b"MZ" or data[:4] == b"\x7fELF":
        what = _("program")
    raise Refused(_("Ten plik nie jest dokumentem żadnego z przyjmowanych rodzajów (%(types)s): jego zawartość "
                    "wskazuje na typ: %(what)s. Nazwa pliku nie ma znaczenia – zapisz dokument jako PDF, ODT, "
                    "DOCX, XLSX, ODS, JPG lub PNG i wyślij go ponownie.", types=accepted_names(), what=what),
                  field="file")


def _zip_document(data: bytes) -> FileType:
    refusal = Refused(_("Ten plik jest archiwum ZIP, ale nie dokumentem ODT, ODS, DOCX ani XLSX. Spakowanych "
                        "plików nie przyjmujemy: dołącz każdy dokument osobno."), field="file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        names = {e.filename for e in entries}
        if entries and entries[0].filename == "mimetype" and entries[0].file_size < 200:
            declared = archive.read(entries[0]).decode("ascii", "replace").strip()
            if declared in _ODF and "content.xml" in names:
                return _ODF[declared]
            raise refusal
        manifest = next((e for e in entries if e.filename == "[Content_Types].xml"), None)
        if manifest is None or manifest.file_size > _MANIFEST_LIMIT:
            raise refusal
        text = archive.read(manifest).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            ValueError):
        raise refusal from None
    declared = set(re.findall(r'ContentType="([^"]+)"', text))
    for content_type, (kind, folder) in _OOXML.items():
        if content_type in declared and any(name.startswith(folder) for name in names):
            return kind
    raise refusal
