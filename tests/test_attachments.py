"""Attachments (issue 17, item 1): PDF, ODT, DOCX, XLSX, ODS, JPG and PNG up to 10 MB, told by their content; stored
under CONSULT_STORAGE by sha256 with their size; a refused file says why and leaves neither a row nor a file.
Who may download what is walked by the access matrix (tests/access_cases/attachments.py)."""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from consult.attachments.models import MAX_SIZE, Attachment
from consult.core.models import AuditEvent
from consult.extensions import db
from tests.access_cases.calls import offer_of
from tests.conftest import login


# --- tiny real files of each kind --------------------------------------------------------------------------------

def pdf_file() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Statut fundacji</p>").write_pdf()


def png_file() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def jpg_file() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, "JPEG")
    return out.getvalue()


def docx_file() -> bytes:
    from docx import Document

    document, out = Document(), io.BytesIO()
    document.add_paragraph("Umowa partnerska")
    document.save(out)
    return out.getvalue()


def xlsx_file() -> bytes:
    from openpyxl import Workbook

    book, out = Workbook(), io.BytesIO()
    book.active["A1"] = "Kosztorys"
    book.save(out)
    return out.getvalue()


def odt_file() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document, out = OpenDocumentText(), io.BytesIO()
    document.text.addElement(P(text="Sprawozdanie"))
    document.save(out)
    return out.getvalue()


def ods_file() -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet

    out = io.BytesIO()
    OpenDocumentSpreadsheet().save(out)
    return out.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200

ACCEPTED = [("pdf", pdf_file, "application/pdf"), ("png", png_file, "image/png"), ("jpg", jpg_file, "image/jpeg"),
            ("docx", docx_file, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("xlsx", xlsx_file, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("odt", odt_file, "application/vnd.oasis.opendocument.text"),
            ("ods", ods_file, "application/vnd.oasis.opendocument.spreadsheet")]


# --- helpers ---------------------------------------------------------------------------------------------------

def stored_files(app) -> list[Path]:
    root = Path(app.config["CONSULT_STORAGE"]) / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def attachment_rows() -> list[Attachment]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Attachment).order_by(Attachment.id)))


def upload(client, url: str, content: bytes, name: str, **fields):
    return client.post(url, data={"file": (io.BytesIO(content), name), **fields},
                       content_type="multipart/form-data")


def draft_url(world) -> str:
    return f"/zalaczniki/postulat/{world.p['a_draft'].id}"


@pytest.fixture(autouse=True)
def _empty_storage(app):
    """The storage outlives each test's tables: start each with no attached files."""
    import shutil

    shutil.rmtree(Path(app.config["CONSULT_STORAGE"]) / "attachments", ignore_errors=True)


@pytest.fixture
def ngo_a(app, world):
    return login(app.test_client(), world.user("ngo_a"))


# --- accepted files --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("extension, make, media_type", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_accepted_type_is_attached_with_its_sha256_and_size_and_downloads_as_it_was(
        app, world, ngo_a, extension, make, media_type):
    content = make()
    # the name says nothing: the content does (a DOCX sent as "skan.pdf" is kept as a DOCX)
    response = upload(ngo_a, draft_url(world), content, "skan.pdf")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    [row] = attachment_rows()
    assert (row.extension, row.media_type) == (extension, media_type)
    assert row.size == len(content) and row.sha256 == hashlib.sha256(content).hexdigest()
    assert row.filename == f"skan.{extension}" and row.postulate_id == world.p["a_draft"].id
    [path] = stored_files(app)
    assert path.name == row.sha256 and path.read_bytes() == content

    page = ngo_a.get(f"/postulaty/{world.p['a_draft'].id}").get_data(as_text=True)
    assert f"/zalaczniki/{row.id}/pobierz" in page and f"skan.{extension}" in page
    download = ngo_a.get(f"/zalaczniki/{row.id}/pobierz")
    assert download.status_code == 200 and download.data == content
    assert download.mimetype == media_type
    assert "attachment" in download.headers["Content-Disposition"]
    assert f"skan.{extension}" in download.headers["Content-Disposition"]


def test_attaching_is_audited_and_removing_takes_the_row_and_the_file(app, world, ngo_a):
    content = png_file()
    upload(ngo_a, draft_url(world), content, "plakat.png")
    [row] = attachment_rows()
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "attach_file"))
    assert (event.subject_type, event.subject_id, event.actor_id) == \
        ("postulate", world.p["a_draft"].id, world.user("ngo_a").id)
    assert event.details["sha256"] == row.sha256
    response = ngo_a.post(f"/zalaczniki/{row.id}/usun")
    assert response.status_code == 302
    assert attachment_rows() == [] and stored_files(app) == []
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "remove_file")) is not None
    assert ngo_a.get(f"/zalaczniki/{row.id}/pobierz").status_code == 404


def test_one_content_on_two_records_is_stored_once_and_kept_while_a_record_names_it(app, world):
    content = pdf_file()
    a = login(app.test_client(), world.user("ngo_a"))
    b = login(app.test_client(), world.user("ngo_b"))
    upload(a, draft_url(world), content, "statut.pdf")
    upload(b, f"/zalaczniki/postulat/{world.p['b_draft'].id}", content, "nasz-statut.pdf")
    first, second = attachment_rows()
    assert first.sha256 == second.sha256 and len(stored_files(app)) == 1
    a.post(f"/zalaczniki/{first.id}/usun")
    assert len(stored_files(app)) == 1  # B's postulate still has it
    assert b.get(f"/zalaczniki/{second.id}/pobierz").data == content
    # and the same file twice on one record is refused as a file sent twice
    page = upload(b, f"/zalaczniki/postulat/{world.p['b_draft'].id}", content, "jeszcze-raz.pdf").get_data(True)
    assert "Ten plik jest już dołączony" in page and len(attachment_rows()) == 1


def test_a_file_of_exactly_10_mb_is_taken(app, world, ngo_a):
    content = b"%PDF-1.4\n" + b"0" * (MAX_SIZE - 9)
    assert upload(ngo_a, draft_url(world), content, "gruby.pdf").status_code == 302
    assert attachment_rows()[0].size == MAX_SIZE


# --- refused files: why, and nothing kept ---------------------------------------------------------------------

REFUSED = {
    "an ELF program renamed .pdf": (ELF, "statut.pdf", "program"),
    "a Windows program renamed .pdf": (WINDOWS_PROGRAM, "statut.pdf", "program"),
    "a ZIP of other files": (zip_of({"statut.txt": b"tekst", "logo.png": b"x"}), "statut.docx", "archiwum ZIP"),
    "a ZIP claiming ODF for something else": (zip_of({"mimetype": b"application/epub+zip", "content.xml": b"<x/>"}),
                                             "a.odt", "archiwum ZIP"),
    "a macro-enabled workbook": (zip_of({"[Content_Types].xml": b'<Types><Override PartName="/xl/workbook.xml" '
                                         b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
                                         b'</Types>', "xl/workbook.xml": b"<w/>"}), "a.xlsx", "archiwum ZIP"),
    "a broken ZIP": (b"PK\x03\x04" + b"\x00" * 100, "a.docx", "archiwum ZIP"),
    "an HTML page": (b"<!doctype html><script>alert(1)</script>", "a.pdf", "nie jest dokumentem"),
    "a GIF": (b"GIF89a" + b"\x00" * 50, "a.png", "gif"),
    "an empty file": (b"", "a.pdf", "Plik jest pusty"),
    "10 MB and one byte": (b"%PDF-1.4\n" + b"0" * (MAX_SIZE - 8), "a.pdf", "najwyżej 10 MB"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_refused_file_says_why_and_nothing_is_kept(app, world, ngo_a, name):
    content, filename, why = REFUSED[name]
    response = upload(ngo_a, draft_url(world), content, filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Błąd: " in page and "Wystąpił problem" in page and why in page
    assert 'href="#file"' in page  # the summary leads to the file input
    assert attachment_rows() == [] and stored_files(app) == []
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "attach_file")) is None


def test_a_form_without_a_file_asks_for_one(app, world, ngo_a):
    page = ngo_a.post(draft_url(world), data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Wybierz plik do dołączenia." in page and attachment_rows() == []


def test_a_refusal_is_in_the_readers_language(app, world):
    client = app.test_client()
    client.post("/jezyk/en", data={})
    login(client, world.user("ngo_a"))
    page = upload(client, draft_url(world), ELF, "statut.pdf").get_data(as_text=True)
    assert "<title>Error: " in page and "The file name does not matter" in page


@pytest.mark.parametrize("locale, words", [("pl", "najwyżej 10 MB"), ("en", "at most 10 MB"),
                                           ("uk", "щонайбільше 10 МБ")])
def test_a_request_past_the_limit_gets_the_413_page_in_the_readers_language(app, world, locale, words):
    client = app.test_client()
    client.post(f"/jezyk/{locale}", data={})
    login(client, world.user("ngo_a"))
    response = upload(client, draft_url(world), b"%PDF-1.4\n" + b"0" * (MAX_SIZE + 100 * 1024), "a.pdf")
    assert response.status_code == 413
    assert words in response.get_data(as_text=True)
    assert attachment_rows() == [] and stored_files(app) == []


# --- who may attach, and where the files show ------------------------------------------------------------------

def test_a_submitted_postulate_takes_no_more_files_and_keeps_those_it_has(app, world, ngo_a):
    upload(ngo_a, draft_url(world), png_file(), "zdjecie.png")
    ngo_a.post(f"/postulaty/{world.p['a_draft'].id}/zloz", data={})
    assert ngo_a.get(draft_url(world)).status_code == 403
    assert upload(ngo_a, draft_url(world), jpg_file(), "b.jpg").status_code == 403
    [row] = attachment_rows()
    assert ngo_a.post(f"/zalaczniki/{row.id}/usun").status_code == 403
    assert len(attachment_rows()) == 1
    coordinator = login(app.test_client(), world.user("coordinator"))
    assert coordinator.get(f"/zalaczniki/{row.id}/pobierz").status_code == 200


def test_an_offer_names_its_annexes_and_its_files_are_never_public(app, world, ngo_a):
    offer = offer_of(world, "draft")
    url = f"/zalaczniki/oferta/{offer.id}"
    assert "statut" in ngo_a.get(url).get_data(as_text=True)
    page = upload(ngo_a, url, pdf_file(), "statut.pdf", annex="nonsense").get_data(as_text=True)
    assert "Wystąpił problem" in page and attachment_rows() == []
    assert upload(ngo_a, url, pdf_file(), "statut.pdf", annex="statute").status_code == 302
    assert upload(ngo_a, url, docx_file(), "umowa.docx", annex="partnership_agreement").status_code == 302
    statute, agreement = attachment_rows()
    assert (statute.annex, agreement.annex) == ("statute", "partnership_agreement")
    page = ngo_a.get(f"/oferty/{offer.id}/edycja").get_data(as_text=True)
    assert "statut.pdf" in page and "umowa partnerska" in page
    assert app.test_client().get(f"/zalaczniki/{statute.id}/pobierz").status_code == 302  # sign in first
    other = login(app.test_client(), world.user("ngo_b"))
    assert other.get(f"/zalaczniki/{statute.id}/pobierz").status_code == 403


def test_meeting_materials_are_attached_by_a_coordinator_and_public(app, world):
    coordinator = login(app.test_client(), world.user("coordinator"))
    url = f"/zalaczniki/spotkanie/{world.meeting.id}"
    content = odt_file()
    assert upload(coordinator, url, content, "prezentacja.odt").status_code == 302
    [row] = attachment_rows()
    page = app.test_client().get(f"/programy/spotkania/{world.meeting.id}").get_data(as_text=True)
    assert "prezentacja.odt" in page and f"/zalaczniki/{row.id}/pobierz" in page
    assert app.test_client().get(f"/zalaczniki/{row.id}/pobierz").data == content


def test_a_hostile_file_name_is_cleaned_and_escaped(app, world, ngo_a):
    response = upload(ngo_a, draft_url(world), png_file(), "../../<b>alert(1)<b>\x1b.exe")
    assert response.status_code == 302
    [row] = attachment_rows()
    assert "/" not in row.filename and "\x1b" not in row.filename and row.filename.endswith(".png")
    page = ngo_a.get(draft_url(world)).get_data(as_text=True)
    assert row.filename == "<b>alert(1)<b>.png"
    assert "<b>alert(1)" not in page and "&lt;b&gt;alert(1)" in page


# --- the annexes a call asks for ------------------------------------------------------------------------------

def test_a_call_declares_its_annexes_and_an_offer_shows_which_are_missing(app, world, ngo_a):
    from tests.access_cases.calls import call_of

    draft = call_of(world, "draft")
    runner = login(app.test_client(), world.user("unit_x"))
    url = f"/koordynacja/konkursy/{draft.id}/zalaczniki"
    page = runner.post(url, data={"annexes": ["statute", "other"]}).get_data(as_text=True)
    assert "Napisz, jakich innych załączników wymaga konkurs." in page and "Wystąpił problem" in page
    response = runner.post(url, data={"annexes": ["statute", "other"],
                                      "other_description": "Oświadczenie o rachunku bankowym"})
    assert response.status_code == 302
    manage = runner.get(f"/koordynacja/konkursy/{draft.id}").get_data(as_text=True)
    assert "Wymagane załączniki" in manage and "Oświadczenie o rachunku bankowym" in manage

    # the offers of the world's announced call: declared before it was announced (made directly here)
    from consult.attachments.models import CallAnnex

    offer = offer_of(world, "draft")
    db.session.add(CallAnnex(call_id=offer.call_id, annex="statute"))
    db.session.add(CallAnnex(call_id=offer.call_id, annex="partnership_agreement"))  # not a joint offer
    db.session.commit()
    files = f"/zalaczniki/oferta/{offer.id}"
    page = ngo_a.get(f"/oferty/{offer.id}/edycja").get_data(as_text=True)
    assert "Konkurs wymaga jeszcze załączników: statut" in page
    assert "umowa partnerska (oferta wspólna)" not in page.split("Konkurs wymaga jeszcze")[1].split("</p>")[0]
    upload(ngo_a, files, pdf_file(), "statut.pdf", annex="statute")
    assert "Konkurs wymaga jeszcze" not in ngo_a.get(files).get_data(as_text=True)
    public = app.test_client().get(f"/konkursy/{offer.call_id}").get_data(as_text=True)
    assert "Wymagane załączniki" in public

    # an announced call's annexes are part of its announcement: no longer changed
    assert runner.get(f"/koordynacja/konkursy/{offer.call_id}/zalaczniki").status_code == 403


def test_an_offer_takes_annexes_again_while_its_correction_window_is_open(app, world, ngo_a):
    from datetime import timedelta

    from consult.calls.models import CorrectionWindow
    from consult.core.types import utcnow

    offer = offer_of(world, "submitted")
    url = f"/zalaczniki/oferta/{offer.id}"
    assert ngo_a.get(url).status_code == 403  # submitted: frozen
    offer.state = "correction"
    window = CorrectionWindow(offer_id=offer.id, deficiencies="Brak statutu.", opened_at=utcnow() - timedelta(days=1),
                              deadline=utcnow() + timedelta(days=6))
    db.session.add(window)
    db.session.commit()
    assert upload(ngo_a, url, pdf_file(), "statut.pdf", annex="statute").status_code == 302
    window.finished_at = utcnow()  # the applicant said the corrections are done
    db.session.commit()
    assert upload(ngo_a, url, png_file(), "skan.png", annex="other").status_code == 403
    assert [a.annex for a in attachment_rows()] == ["statute"]


def test_an_offer_without_an_annex_its_call_requires_is_not_submitted(app, world, ngo_a, monkeypatch):
    """Submitting is refused, naming the missing annex, until a file marked as it is attached."""
    from consult.attachments.models import CallAnnex
    from consult.calls.models import Offer
    from consult.core.operations import transaction
    from tests.access_cases import calls as call_cases

    offer = offer_of(world, "draft")
    db.session.add(CallAnnex(call_id=offer.call_id, annex="statute"))
    db.session.add(CallAnnex(call_id=offer.call_id, annex="other", description="Oświadczenie o rachunku"))
    db.session.commit()
    monkeypatch.setattr("consult.calls.operations.submit_offer", lambda *args: None)  # fill only
    with transaction():
        call_cases._fill(world.user("ngo_a"), db.session.get(Offer, offer.id))
    monkeypatch.undo()
    check = ngo_a.get(f"/oferty/{offer.id}/sprawdzenie").get_data(as_text=True)
    assert "Dołącz załącznik wymagany w konkursie: statut" in check
    response = ngo_a.post(f"/oferty/{offer.id}/zlozenie", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Błąd: " in page
    assert "Dołącz załącznik wymagany w konkursie: statut" in page and "(pozostałe braki: 1)" in page
    assert 'href="#section-other"' in page
    db.session.expire_all()
    assert db.session.get(Offer, offer.id).state == "draft"

    files = f"/zalaczniki/oferta/{offer.id}"
    assert upload(ngo_a, files, pdf_file(), "statut.pdf", annex="statute").status_code == 302
    page = ngo_a.post(f"/oferty/{offer.id}/zlozenie", data={}).get_data(as_text=True)
    assert "inny załącznik (Oświadczenie o rachunku)" in page and "statut (" not in page
    assert upload(ngo_a, files, png_file(), "oswiadczenie.png", annex="other").status_code == 302
    assert ngo_a.post(f"/oferty/{offer.id}/zlozenie", data={}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Offer, offer.id).state == "submitted"


def test_a_unit_answering_for_a_report_attaches_files_to_it_and_those_who_see_the_report_see_them(app, world):
    from consult.attachments.models import Attachment
    from tests.implementation_support import UNIT_X, import_data, small_data

    data = small_data()
    data["goals"][0]["tasks"][0]["areas"][0]["activities"][1]["units"] = [UNIT_X]  # unit Y answers for nothing
    report_id = import_data(data)
    unit_x = login(app.test_client(), world.user("unit_x"))
    unit_y = login(app.test_client(), world.user("unit_y"))
    url = f"/zalaczniki/sprawozdanie/{report_id}"
    page = unit_x.get(f"/sprawozdania/{report_id}").get_data(as_text=True)
    assert url in page  # "Dołącz lub usuń pliki"
    assert upload(unit_x, url, odt_file(), "zdjecia-z-warsztatow.odt").status_code == 302
    [row] = attachment_rows()
    assert row.report_id == report_id and row.uploaded_by_id == world.user("unit_x").id
    # unit Y answers for none of this report's activities: it sees the files as it sees the report, attaches none
    assert unit_y.get(url).status_code == 403
    assert upload(unit_y, url, png_file(), "y.png").status_code == 403
    page = unit_y.get(f"/sprawozdania/{report_id}").get_data(as_text=True)
    assert "zdjecia-z-warsztatow.odt" in page and url not in page
    assert unit_y.get(f"/zalaczniki/{row.id}/pobierz").status_code == 200
    coordinator = login(app.test_client(), world.user("coordinator"))
    assert "zdjecia-z-warsztatow.odt" in coordinator.get(f"/koordynacja/sprawozdania/{report_id}").get_data(
        as_text=True)
    assert coordinator.get(f"/zalaczniki/{row.id}/pobierz").status_code == 200
    assert app.test_client().get(f"/zalaczniki/{row.id}/pobierz").status_code == 302  # not public
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 1


def test_a_call_marks_which_annexes_are_required_and_an_optional_one_does_not_hold_an_offer_back(app, world):
    from consult.attachments.models import CallAnnex
    from consult.attachments.queries import missing_annexes
    from tests.access_cases.calls import call_of

    draft = call_of(world, "draft")
    runner = login(app.test_client(), world.user("unit_x"))
    url = f"/koordynacja/konkursy/{draft.id}/zalaczniki"
    assert 'name="optional_annexes"' in runner.get(url).get_data(as_text=True)
    # the same annex both required and optional: refused, nothing saved
    page = runner.post(url, data={"annexes": ["statute"], "optional_annexes": ["statute"]}).get_data(as_text=True)
    assert "Wystąpił problem" in page and "zaznaczono jako wymagany i jako nieobowiązkowy" in page
    assert db.session.scalars(db.select(CallAnnex).where(CallAnnex.call_id == draft.id)).all() == []
    response = runner.post(url, data={"annexes": ["statute"], "optional_annexes": ["other"],
                                      "other_description": "Rekomendacje"})
    assert response.status_code == 302
    db.session.expire_all()
    rows = {r.annex: r.required for r in db.session.scalars(db.select(CallAnnex).where(CallAnnex.call_id == draft.id))}
    assert rows == {"statute": True, "other": False}
    manage = runner.get(f"/koordynacja/konkursy/{draft.id}").get_data(as_text=True)
    assert "Wymagane załączniki" in manage and "Załączniki nieobowiązkowe" in manage and "Rekomendacje" in manage
    form = runner.get(url).get_data(as_text=True)
    assert 'id="optional_annexes-1"' in form

    # an offer lacks only what is required
    offer = offer_of(world, "draft")
    db.session.add(CallAnnex(call_id=offer.call_id, annex="other", description="Rekomendacje", required=False))
    db.session.commit()
    assert missing_annexes(offer) == []


# --- a grant report after the award (art. 18) and a small-grant offer (art. 19a) --------------------------------

def _attachment_events(kind: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.subject_type == kind,
                                                               AuditEvent.action == "attach_file")))


def test_a_grant_report_takes_files_from_its_organisation_while_open_and_its_reviewers_see_them_once_submitted(
        app, world, ngo_a):
    from consult.core.operations import transaction
    from consult.grant_reports import operations as ops
    from tests.grant_report_support import granted_offer, report_form

    offer = granted_offer(world)
    # before the report is started there is no record to attach to: the form says files come after saving a draft
    assert "po zapisaniu jego szkicu" in ngo_a.get(f"/oferty/{offer.id}/sprawozdanie/formularz").get_data(True)
    with transaction():
        report = ops.start_report(world.user("ngo_a"), offer)
    url = f"/zalaczniki/sprawozdanie-z-dotacji/{report.id}"
    assert url in ngo_a.get(f"/oferty/{offer.id}/sprawozdanie").get_data(as_text=True)
    assert url in ngo_a.get(f"/oferty/{offer.id}/sprawozdanie/formularz").get_data(as_text=True)
    manage = ngo_a.get(url).get_data(as_text=True)
    assert f"/oferty/{offer.id}/sprawozdanie" in manage and "Sprawozdanie z realizacji oferty" in manage

    content = pdf_file()
    assert upload(ngo_a, url, content, "zestawienie-faktur.pdf").status_code == 302
    [row] = attachment_rows()
    assert row.grant_report_id == report.id and row.size == len(content)
    assert row.sha256 == hashlib.sha256(content).hexdigest() and row.uploaded_by_id == world.user("ngo_a").id
    assert [e.subject_id for e in _attachment_events("grant_report")] == [report.id]
    download = ngo_a.get(f"/zalaczniki/{row.id}/pobierz")
    assert download.status_code == 200 and download.data == content

    # a program renamed .pdf is refused saying why, and nothing of it is kept
    page = upload(ngo_a, url, WINDOWS_PROGRAM, "faktura.pdf").get_data(as_text=True)
    assert "Wystąpił problem" in page and "program" in page
    assert [r.id for r in attachment_rows()] == [row.id] and len(stored_files(app)) == 1

    # a draft is the organisation's own: the unit neither reads it nor its files
    unit_x = login(app.test_client(), world.user("unit_x"))
    assert unit_x.get(f"/zalaczniki/{row.id}/pobierz").status_code == 403
    assert "zestawienie-faktur.pdf" not in unit_x.get(f"/oferty/{offer.id}/sprawozdanie").get_data(as_text=True)

    with transaction():
        ops.submit_report(world.user("ngo_a"), report, report_form())
    # submitted: no more files, none removed; the unit and coordinators see them, the public and other NGOs not
    assert ngo_a.get(url).status_code == 403
    assert upload(ngo_a, url, png_file(), "zdjecie.png").status_code == 403
    assert ngo_a.post(f"/zalaczniki/{row.id}/usun").status_code == 403
    assert len(attachment_rows()) == 1
    page = unit_x.get(f"/oferty/{offer.id}/sprawozdanie").get_data(as_text=True)
    assert "zestawienie-faktur.pdf" in page and f"/zalaczniki/{row.id}/pobierz" in page and url not in page
    assert unit_x.get(f"/zalaczniki/{row.id}/pobierz").data == content
    coordinator = login(app.test_client(), world.user("coordinator"))
    assert coordinator.get(f"/zalaczniki/{row.id}/pobierz").status_code == 200
    assert login(app.test_client(), world.user("unit_y")).get(f"/zalaczniki/{row.id}/pobierz").status_code == 403
    assert login(app.test_client(), world.user("ngo_b")).get(f"/zalaczniki/{row.id}/pobierz").status_code == 403
    assert app.test_client().get(f"/zalaczniki/{row.id}/pobierz").status_code == 302  # sign in first

    # returned for corrections: the organisation attaches (the missing invoice) again
    with transaction():
        ops.request_corrections(world.user("unit_x"), report, note="Brak faktury za księgowość.")
    assert upload(ngo_a, url, png_file(), "faktura-ksiegowosc.png").status_code == 302
    assert len(attachment_rows()) == 2


def test_a_small_grant_offer_takes_files_until_its_purposefulness_is_judged_and_they_are_never_public(app, world,
                                                                                                       ngo_a):
    from consult.auth.privacy import files_uploaded
    from consult.core.operations import in_transaction
    from consult.smallgrants.operations import judge_purpose
    from tests.smallgrant_support import journey_of

    offer = journey_of(world)["filed"]
    url = f"/zalaczniki/maly-grant/{offer.id}"
    assert url in ngo_a.get(f"/male-granty/sprawy/{offer.id}").get_data(as_text=True)
    content = pdf_file()
    assert upload(ngo_a, url, content, "statut.pdf").status_code == 302
    [row] = attachment_rows()
    assert row.small_grant_offer_id == offer.id and row.size == len(content)
    assert [e.subject_id for e in _attachment_events("small_grant_offer")] == [offer.id]
    assert ngo_a.get(f"/zalaczniki/{row.id}/pobierz").data == content
    [listed] = files_uploaded(world.user("ngo_a"))  # the person's own data names what the file belongs to
    assert listed["attached_to"]["kind"] == "small_grant_offer" and offer.reference in listed["attached_to"]["title"]

    page = upload(ngo_a, url, ELF, "kosztorys.pdf").get_data(as_text=True)
    assert "Wystąpił problem" in page and "program" in page
    assert len(attachment_rows()) == 1 and len(stored_files(app)) == 1

    unit_x = login(app.test_client(), world.user("unit_x"))
    page = unit_x.get(f"/male-granty/sprawy/{offer.id}").get_data(as_text=True)
    assert "statut.pdf" in page and url not in page  # the unit reads the files, attaches none
    assert unit_x.get(url).status_code == 403

    in_transaction(judge_purpose, world.user("unit_x"), offer, purposeful=True)
    # judged: the organisation's files are what the unit judged; and published for comments, they stay private
    assert upload(ngo_a, url, png_file(), "plakat.png").status_code == 403
    assert ngo_a.post(f"/zalaczniki/{row.id}/usun").status_code == 403
    assert url not in ngo_a.get(f"/male-granty/sprawy/{offer.id}").get_data(as_text=True)
    public = app.test_client().get(f"/male-granty/oferty/{offer.id}")
    assert public.status_code == 200
    assert "statut.pdf" not in public.get_data(as_text=True) and f"/zalaczniki/{row.id}/" not in public.get_data(True)
    assert app.test_client().get(f"/zalaczniki/{row.id}/pobierz").status_code == 302  # sign in first
    assert login(app.test_client(), world.user("ngo_b")).get(f"/zalaczniki/{row.id}/pobierz").status_code == 403
    assert unit_x.get(f"/zalaczniki/{row.id}/pobierz").data == content
    assert len(attachment_rows()) == 1


def test_the_database_holds_each_file_to_exactly_one_record_of_the_new_kinds_too(app, world):
    from sqlalchemy.exc import IntegrityError

    from consult.core.operations import transaction
    from consult.grant_reports import operations as ops
    from tests.grant_report_support import granted_offer
    from tests.smallgrant_support import journey_of

    with transaction():
        report = ops.start_report(world.user("ngo_a"), granted_offer(world))
    offer = journey_of(world)["filed"]
    fields = dict(filename="a.pdf", extension="pdf", media_type="application/pdf", size=1, sha256="a" * 64)
    db.session.add(Attachment(**fields, grant_report_id=report.id, small_grant_offer_id=offer.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Attachment(**fields, grant_report_id=report.id))
    db.session.add(Attachment(**fields, grant_report_id=report.id))  # the same content twice on one report
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
