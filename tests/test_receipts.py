"""What an NGO files as a document with a receipt: submitting an offer in a call, filing a small grant's simplified
offer and submitting a report each compile a PDF laid out like the 2018 templates (its reference and the time of
filing in its text, tagged PDF/UA), kept as a version (a filing anew after corrections is version 2, the first kept),
e-mailed as a receipt to the filer and the organisation's contact (with the PDF attached), and downloadable by those
who may see what was filed. On CI's second pass (REDIS_URL) the session's Celery worker compiles them."""
from __future__ import annotations

import time
from datetime import timedelta
from io import BytesIO

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from consult.auth.models import User
from consult.calls import operations as ops
from consult.core.operations import transaction
from consult.documents.models import DocumentVersion
from consult.extensions import db
from consult.i18n import format_moment
from consult.notifications.models import Notification
from consult.receipts.documents import GRANT_REPORT_FILED, OFFER_FILED, SMALL_GRANT_OFFER_FILED
from tests.conftest import login
from tests.summary_support import (
    assert_in_order,
    page_texts,
    pdf_bytes,
    squeeze,
    wait_for_jobs,
)
from tests.test_calls import announced_call, clock, complete_offer

pytestmark = pytest.mark.usefixtures("summary_worker")
__all__ = ["clock"]

HOSTILE = 'Świetlica <b>„Zażółć”</b> & <script>alert("x")</script>'


def versions(kind: str, subject_id: int) -> list[DocumentVersion]:
    db.session.rollback()
    return db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.kind == kind,
                                                               DocumentVersion.subject_id == subject_id)
                              .order_by(DocumentVersion.number)).all()


def text_of(version: DocumentVersion) -> str:
    return "\n".join(page_texts(pdf_bytes(version)))


def receipts(version: DocumentVersion, expected: int = 1, timeout: float = 30) -> list[Notification]:
    """The receipts of the version: written once the version is committed (by the worker on CI's second pass,
    a moment after its job is done), so waited for until there are `expected` of them."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        notes = db.session.scalars(db.select(Notification).where(Notification.kind == "filing_receipt",
                                                                 Notification.related_type == "document_version",
                                                                 Notification.related_id == version.id)
                                   .order_by(Notification.id)).all()
        if len(notes) >= expected or time.monotonic() > deadline:
            return notes
        time.sleep(0.1)


def filed_moment(instant) -> str:
    with force_locale("pl"):
        return format_moment(instant)


def assert_tagged(data: bytes, title: str) -> None:
    reader = PdfReader(BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "pl"
    assert reader.metadata.title == title
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        assert "DejaVu" in str(font.get_object()["/BaseFont"])


def submitted(world, clock, **kw):
    call = announced_call(world, clock)
    offer = complete_offer(world.user("ngo_a"), call)
    if kw:
        with transaction():
            for section, data in kw.items():
                ops.save_offer_section(world.user("ngo_a"), offer, section, data)
    with transaction():
        ops.submit_offer(world.user("ngo_a"), offer)
    wait_for_jobs()
    return offer


# --- an offer in a call -----------------------------------------------------------------------------------------

def test_submitting_an_offer_files_its_pdf_with_the_reference_the_time_and_every_part(app, world, clock):
    offer = submitted(world, clock, other={"text": HOSTILE})
    [version] = versions(OFFER_FILED, offer.id)
    assert version.number == 1 and version.job.state == "done" and not version.published
    assert version.filename == f"oferta-{offer.id}-wersja-1.pdf"
    data = pdf_bytes(version)
    assert_tagged(data, f"Oferta realizacji zadania publicznego {offer.reference} – Świetlica dla dzieci")
    text = text_of(version)
    assert_in_order(text, [
        "Oferta realizacji zadania publicznego", "Numer oferty:", offer.reference,
        "Data i godzina złożenia:", filed_moment(offer.submitted_at),
        "I. Podstawowe informacje o złożonej ofercie", "Wydział Polityki Społecznej, Równości i Zdrowia",
        "Wspieranie rodziny i systemu pieczy zastępczej",
        "II. Dane oferenta(-tów)", "Fundacja Zustricz", "ul. Długa 1, Kraków", "Anna Nowak", "anna@example.org",
        "III. Opis zadania", "Świetlica dla dzieci", "Zajęcia popołudniowe.", "Plan i harmonogram działań",
        "Dzieci objęte opieką", "lista obecności",
        "IV. Charakterystyka oferenta", "Dwóch pedagogów.",
        "V. Kalkulacja przewidywanych kosztów", "Koszty ogółem", "8 000,00 zł", "Planowana dotacja",
        "V.C Podział kosztów", "nie dotyczy",  # not a joint offer
        "VI. Inne informacje", HOSTILE,  # user text printed as text, never as markup
        "VII. Oświadczenia", "tak",
    ])
    # what the offer does not hold says so
    assert squeeze("Zasoby rzeczowe nie dotyczy") in squeeze(text)
    # the receipt: to the member who filed it, and to the offer's contact, who has no account, at its address
    filer, contact = sorted(receipts(version, 2), key=lambda n: n.recipient_id is None)
    assert filer.recipient_id == world.user("ngo_a").id and filer.address == world.user("ngo_a").email
    assert contact.recipient_id is None and contact.address == "anna@example.org"
    assert contact.recipient_name == "Anna Nowak" and contact.subject == f"Potwierdzenie złożenia: {offer.reference}"


def test_the_receipt_goes_to_the_filer_and_the_contact_in_their_language_with_the_link(app, world, clock):
    contact = User(email="anna@example.org", name="Anna Nowak", role="ngo", organisation_id=world.org_a.id,
                   organisation_role="member", locale="uk")
    contact.set_password("x" * 12)
    db.session.add(contact)
    db.session.commit()
    offer = submitted(world, clock)
    [version] = versions(OFFER_FILED, offer.id)
    notes = receipts(version, 2)
    assert {n.recipient_id for n in notes} == {world.user("ngo_a").id, contact.id}  # not ngo_b, nor other members
    by_whom = {n.recipient_id: n for n in notes}
    polish, ukrainian = by_whom[world.user("ngo_a").id], by_whom[contact.id]
    assert polish.subject == f"Potwierdzenie złożenia: {offer.reference}"
    assert polish.link == f"/dokumenty-zlozone/{version.id}.pdf"
    assert f"/dokumenty-zlozone/{version.id}.pdf" in polish.body and filed_moment(offer.submitted_at) in polish.body
    assert ukrainian.locale == "uk" and offer.reference in ukrainian.subject
    assert not ukrainian.subject.startswith("Potwierdzenie")


def test_the_receipts_email_carries_the_pdf(app, world, clock, mail_server, monkeypatch):
    for key, value in mail_server.config().items():
        monkeypatch.setitem(app.config, key, value)
    mail_server.inbox.reset()
    offer = submitted(world, clock)
    from tests.test_mail import settle

    [version] = versions(OFFER_FILED, offer.id)
    receipts(version, 2)  # written (the filer's and the contact's), then sent
    settle(app)
    [message] = mail_server.inbox.to(world.user("ngo_a").email)
    assert message["Subject"] == f"Potwierdzenie złożenia: {offer.reference}"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf" and attachment.get_filename() == version.filename
    assert attachment.get_content() == pdf_bytes(version)
    assert offer.reference in message.get_body(("plain",)).get_content()
    mail_server.inbox.reset()


def test_a_corrected_offer_is_version_2_and_the_first_is_kept(app, world, clock):
    offer = submitted(world, clock)
    [first] = versions(OFFER_FILED, offer.id)
    first_text = text_of(first)
    clock.now = offer.call.offers_deadline
    with transaction():
        ops.request_correction(world.user("unit_x"), offer, deficiencies="Brak harmonogramu.",
                               deadline=clock.now + timedelta(days=3))
    with transaction():
        ops.save_offer_section(world.user("ngo_a"), offer, "other", {"text": "Poprawka: harmonogram dodany."})
    with transaction():
        ops.finish_correction(world.user("ngo_a"), offer)
    wait_for_jobs()
    kept, second = versions(OFFER_FILED, offer.id)
    assert (kept.id, kept.number, second.number) == (first.id, 1, 2)
    assert text_of(kept) == first_text and "Poprawka" not in first_text
    assert_in_order(text_of(second), [offer.reference, "Poprawki złożono:", "Poprawka: harmonogram dodany."])
    assert len(receipts(second, 2)) == 2  # the filer and the contact at its address, again


def test_the_pdf_is_downloaded_from_the_offers_page_by_those_who_may_see_the_offer(app, world, clock):
    offer = submitted(world, clock)
    [version] = versions(OFFER_FILED, offer.id)
    url = f"/dokumenty-zlozone/{version.id}.pdf"
    client = login(app.test_client(), world.user("ngo_a"))
    page = client.get(f"/oferty/{offer.id}").get_data(as_text=True)
    assert url in page
    assert url in client.get(f"/oferty/{offer.id}/potwierdzenie").get_data(as_text=True)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == pdf_bytes(version)
    assert url in client.get("/organizacja").get_data(as_text=True)  # the organisation's own page
    for role, status in (("ngo_b", 403), ("unit_y", 403), ("unit_x", 200), ("coordinator", 200)):
        other = login(app.test_client(), world.user(role))
        assert other.get(url).status_code == status, role
    assert app.test_client().get(url).status_code == 302  # signed out: to the sign-in page


# --- a small grant's simplified offer ---------------------------------------------------------------------------

def test_a_small_grants_offer_is_filed_as_the_simplified_offer(app, world):
    from tests.smallgrant_support import enter_law, file_offer

    enter_law(world)
    offer = file_offer(world, title=HOSTILE)
    wait_for_jobs()
    [version] = versions(SMALL_GRANT_OFFER_FILED, offer.id)
    assert_tagged(pdf_bytes(version), f"Uproszczona oferta realizacji zadania publicznego {offer.reference} – {HOSTILE}")
    assert_in_order(text_of(version), [
        "Uproszczona oferta realizacji zadania publicznego", "art. 19a", offer.reference,
        filed_moment(offer.filed_at), "I. Podstawowe informacje", HOSTILE, "II. Dane oferenta", "Fundacja Zustricz",
        "III. Zakres rzeczowy", "Kraków, ul. Kozłówka 25", "40 uczestników",
        "IV. Szacunkowa kalkulacja", "Honoraria prowadzących", "Ogółem", "V. Oświadczenia", "nie dotyczy"])
    [note] = receipts(version)
    assert note.recipient_id == world.user("ngo_a").id
    client = login(app.test_client(), world.user("ngo_a"))
    assert f"/dokumenty-zlozone/{version.id}.pdf" in client.get(f"/male-granty/sprawy/{offer.id}").get_data(
        as_text=True)
    assert login(app.test_client(), world.user("ngo_b")).get(f"/dokumenty-zlozone/{version.id}.pdf").status_code == 403


# --- a report on a grant ----------------------------------------------------------------------------------------

def test_a_report_is_filed_as_the_2018_report_and_filed_again_after_corrections_is_version_2(app, world):
    from consult.grant_reports import operations as report_ops
    from tests.grant_report_support import granted_offer, report_form

    offer = granted_offer(world, title=HOSTILE)
    ngo = world.user("ngo_a")
    with transaction():
        report = report_ops.start_report(ngo, offer)
        report_ops.submit_report(ngo, report, report_form(notes="Zajęcia odbyły się w całości."))
    wait_for_jobs()
    [first] = versions(GRANT_REPORT_FILED, report.id)
    text = text_of(first)
    reference = f"SPR/{report.submitted_at.year}/{report.id:05d}"
    assert_tagged(pdf_bytes(first), f"Sprawozdanie z wykonania zadania publicznego {reference} – {HOSTILE}")
    assert_in_order(text, [
        "Sprawozdanie z wykonania zadania publicznego", reference, filed_moment(report.submitted_at),
        "końcowe", HOSTILE, "Fundacja Zustricz", offer.reference,
        "I. Opis wykonania zadania", "Uczestnicy zajęć", "20", "22 uczestników",
        "II. Sprawozdanie z wykonania wydatków", "Zajęcia", "8 000,00 zł", "7 500,50 zł", "Księgowość",
        "Udział [%]", "Dotacja", "9 500,51 zł", "79,17%", "Wkład własny", "2 000,00 zł", "16,67%",
        "Niewykorzystana dotacja do zwrotu", "III. Dodatkowe informacje", "Zajęcia odbyły się w całości."])
    assert len(receipts(first)) == 1
    with transaction():
        report_ops.request_corrections(world.user("unit_x"), report, note="Brak faktury.")
    with transaction():
        report_ops.submit_report(ngo, report, report_form(**{"cost-1-grant": "2499,50", "other_realised": "0,02"}))
    wait_for_jobs()
    kept, second = versions(GRANT_REPORT_FILED, report.id)
    assert kept.id == first.id and second.number == 2
    assert "2 499,50 zł" in text_of(second) and "2 499,50 zł" not in text
    client = login(app.test_client(), ngo)
    page = client.get(f"/oferty/{offer.id}/sprawozdanie").get_data(as_text=True)
    assert f"/dokumenty-zlozone/{first.id}.pdf" in page and f"/dokumenty-zlozone/{second.id}.pdf" in page
    assert login(app.test_client(), world.user("unit_x")).get(
        f"/dokumenty-zlozone/{second.id}.pdf").status_code == 200
    assert login(app.test_client(), world.user("ngo_b")).get(
        f"/dokumenty-zlozone/{second.id}.pdf").status_code == 403


def test_a_missing_version_is_404(app, world):
    client = login(app.test_client(), world.user("coordinator"))
    assert client.get("/dokumenty-zlozone/999999.pdf").status_code == 404


def test_a_small_grants_report_is_filed_as_the_2018_report_too(app, world):
    from consult.grant_reports import operations as report_ops
    from tests.smallgrant_support import journey_of
    from tests.test_small_grant_reports import small_grant_report_form

    offer = journey_of(world)["granted"]
    ngo = world.user("ngo_a")
    with transaction():
        report = report_ops.start_report(ngo, offer)
        report_ops.submit_report(ngo, report, small_grant_report_form(report, notes=HOSTILE))
    wait_for_jobs()
    [version] = versions(GRANT_REPORT_FILED, report.id)
    assert_in_order(text_of(version), [
        "Sprawozdanie z wykonania zadania publicznego", f"SPR/{report.submitted_at.year}/{report.id:05d}",
        "końcowe", "Z dotacją", "Fundacja Zustricz", offer.reference, "mały grant (art. 19a)",
        "I. Opis wykonania zadania", "42 uczestników, 4 warsztaty", "II. Sprawozdanie z wykonania wydatków",
        "Honoraria prowadzących", "III. Dodatkowe informacje", HOSTILE])
    url = f"/dokumenty-zlozone/{version.id}.pdf"
    client = login(app.test_client(), ngo)
    assert url in client.get("/organizacja").get_data(as_text=True)
    assert client.get(url).status_code == 200
    assert login(app.test_client(), world.user("unit_x")).get(url).status_code == 200  # the small grant's unit
    assert login(app.test_client(), world.user("unit_y")).get(url).status_code == 403
