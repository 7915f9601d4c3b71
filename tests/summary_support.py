"""Helpers of the meeting summary tests: the fixture meeting, PDF text extraction, a compile in process."""
from __future__ import annotations

import copy
import json
import re
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

FIXTURE = Path(__file__).resolve().parent.parent / "consult" / "demo" / "meeting-2025-06-17-wddkko.json"
UNIT_SOCIAL = "Wydział Polityki Społecznej, Równości i Zdrowia"
UNIT_DIALOGUE = "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego"


def fixture_data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def large_meeting_data(n: int, *, date: str = "2025-06-18") -> dict:
    """A meeting of `n` postulates with texts as long as the fixture's (its rows repeated)."""
    data = fixture_data()
    data["meeting"]["date"] = date
    base = data["postulates"]
    data["postulates"] = []
    for i in range(n):
        item = copy.deepcopy(base[i % len(base)])
        item["number"] = i + 1
        data["postulates"].append(item)
    return data


def import_data(data: dict):
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.meetings.interchange import import_meeting, parse

    with transaction():
        meeting = import_meeting(SYSTEM, parse(json.dumps(data, ensure_ascii=False)))
    return meeting.id


def compile_now(meeting_id: int, *, preview: bool = False):
    """Ask for a compile as a coordinator would; without REDIS_URL it runs in process at commit."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.documents.models import DocumentJob
    from consult.documents.operations import request_compile
    from consult.extensions import db
    from consult.meetings.models import Meeting

    with transaction():
        job_id = request_compile(SYSTEM, db.session.get(Meeting, meeting_id), preview=preview).id
    db.session.expire_all()
    return db.session.get(DocumentJob, job_id)


def pdf_bytes(version) -> bytes:
    from consult.documents import storage

    return storage.path_of(version.storage_key).read_bytes()


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages]


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks and the gaps pypdf puts at kerning do not matter."""
    return re.sub(r"\s+", "", text)


def assert_in_order(haystack: str, needles: list[str]) -> None:
    """Each needle occurs in `haystack` (both squeezed) after the previous one."""
    text = squeeze(haystack)
    at = 0
    for needle in needles:
        found = text.find(squeeze(needle), at)
        assert found >= 0, f"not found after offset {at} (or out of order): {needle[:80]!r}"
        at = found + len(squeeze(needle))
