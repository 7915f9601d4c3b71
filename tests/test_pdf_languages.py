"""PDFs in English and Ukrainian: the labels, headings, footers and dates of every document follow the language a
coordinator chose; what people filed stays as filed; Polish stays the default and the official version.

Compiled through the same jobs and forms a coordinator uses (in process without REDIS_URL, on the session's Celery
worker with it)."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from babel.dates import format_date
from openpyxl import load_workbook
from pypdf import PdfReader

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db
from tests.conftest import login
from tests.summary_support import (
    UNIT_DIALOGUE,
    UNIT_SOCIAL,
    assert_in_order,
    fixture_data,
    import_data,
    large_meeting_data,
    page_texts,
    pdf_bytes,
    squeeze,
    wait_for_jobs,
)
from tests.test_calls import clock, make_call

pytestmark = pytest.mark.usefixtures("summary_worker")
__all__ = ["clock"]

LANGUAGES = ("en", "uk")
# What the meeting summary's labels read in each language (the Polish ones must be gone).
SUMMARY_LABELS = {
    "en": ["Programme:", "Date and time:", "Place:", "Unit hosting the meeting:",
           "City office representatives present at the meeting",
           "Non-governmental organisations present at the meeting (3)", "Materials presented to the participants",
           "Postulates and positions", f"Position of the responsible unit – {UNIT_SOCIAL}"],
    "uk": ["Програма:", "Дата і час:", "Місце:", "Підрозділ, що проводить зустріч:",
           "Представники міської ради, присутні на зустрічі", "Неурядові організації, присутні на зустрічі (3)",
           "Матеріали, представлені учасникам", "Постулати та позиції",
           f"Позиція відповідального підрозділу – {UNIT_SOCIAL}"],
}
POLISH_SUMMARY_LABELS = ["Program:", "Data i godziny:", "Miejsce:", "Komórka prowadząca spotkanie:",
                         "Przedstawiciele urzędu obecni na spotkaniu", "Organizacje pozarządowe obecne",
                         "Materiały przedstawione uczestnikom", "Postulaty i stanowiska",
                         "Stanowisko komórki merytorycznej", "Stanowisko Wydziału"]
HOURS = {"en": "{date}, from 17:00 to 19:00", "uk": "{date}, з 17:00 до 19:00"}
OTHER_UNIT_PREFIX = {"en": f"Position of {UNIT_DIALOGUE}:", "uk": f"Позиція підрозділу «{UNIT_DIALOGUE}»:"}
PAGE = {"en": "page {k} of {n}", "uk": "сторінка {k} з {n}"}


def _beside_world(data: dict) -> dict:
    """The fixture under a programme year the test world does not have."""
    data["programme"] = {"year": 2030, "title": "Program Współpracy na rok 2030"}
    return data


def _reader(data: bytes) -> PdfReader:
    return PdfReader(BytesIO(data))


def _lang(data: bytes) -> str:
    return str(_reader(data).trailer["/Root"]["/Lang"])


def _assert_numbered(data: bytes, language: str) -> None:
    pages = page_texts(data)
    for k, text in enumerate(pages, start=1):
        assert squeeze(PAGE[language].format(k=k, n=len(pages))) in squeeze(text), f"page {k}"
        assert f"strona{k}z{len(pages)}" not in squeeze(text)


def _finished(job_id: int) -> DocumentJob:
    """The job once the jobs queued have run; it must have compiled."""
    wait_for_jobs()
    job = db.session.get(DocumentJob, job_id)
    assert job.state == "done", job.error
    return job


def _summary_job(meeting_id: int, language: str, *, preview: bool = False) -> DocumentJob:
    from consult.meetings.models import Meeting
    from consult.summaries.documents import request_compile

    with transaction():
        job_id = request_compile(SYSTEM, db.session.get(Meeting, meeting_id), preview=preview, language=language).id
    return _finished(job_id)


# --- the meeting summary --------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_a_meeting_summary_in_english_or_ukrainian_translates_labels_and_dates_not_content(app, language):
    meeting_id = import_data(fixture_data())
    job = _summary_job(meeting_id, language)
    version = job.version
    assert (version.language, job.language) == (language, language)
    assert version.filename == f"podsumowanie-spotkania-{meeting_id}-wersja-1-{language}.pdf"
    data = pdf_bytes(version)
    text = "\n".join(page_texts(data))
    flat = squeeze(text)
    for label in SUMMARY_LABELS[language]:
        assert squeeze(label) in flat, label
    for label in POLISH_SUMMARY_LABELS:
        assert squeeze(label) not in flat, label
    # The date as the locale writes it (the introduction's own "17 czerwca 2025 r." is the meeting's text).
    when = format_date(date(2025, 6, 17), "long", locale=language)
    assert when != "17 czerwca 2025 r."
    assert squeeze(SUMMARY_LABELS[language][1] + HOURS[language].format(date=when)) in flat
    # What was filed is as filed, in order; another unit's position carries the translated prefix.
    fixture = fixture_data()
    needles = [fixture["meeting"]["title"], fixture["meeting"]["place"]] + fixture["meeting"]["organisations"]
    for p in fixture["postulates"]:
        needles += [p["submitter"], p["content"], p["justification"]] + [pos["text"] for pos in p["positions"]]
    assert_in_order(text, needles)
    assert flat.count(squeeze(OTHER_UNIT_PREFIX[language])) == 4
    _assert_numbered(data, language)
    assert _lang(data) == language
    assert _reader(data).metadata.title == fixture["meeting"]["title"]


def test_a_preview_in_english_is_marked_draft_in_english(app):
    meeting_id = import_data(fixture_data())
    data = pdf_bytes(_summary_job(meeting_id, "en", preview=True).version)
    pages = page_texts(data)
    assert squeeze("DRAFT. This is a preview of the summary") in squeeze(pages[0])
    assert all(squeeze("DRAFT – working version, not for publication") in squeeze(p) for p in pages)
    assert "PROJEKT" not in "".join(pages)


def test_the_polish_summary_stays_the_default(app):
    meeting_id = import_data(fixture_data())
    from consult.meetings.models import Meeting
    from consult.summaries.documents import request_compile

    with transaction():
        job_id = request_compile(SYSTEM, db.session.get(Meeting, meeting_id)).id
    wait_for_jobs()
    version = db.session.get(DocumentJob, job_id).version
    assert version.language == "pl" and version.filename.endswith("-wersja-1.pdf")
    data = pdf_bytes(version)
    assert _lang(data) == "pl"
    flat = squeeze("\n".join(page_texts(data)))
    assert squeeze("Data i godziny: 17 czerwca 2025 r., od 17:00 do 19:00") in flat
    assert squeeze("Date and time:") not in flat


# --- the compile forms ----------------------------------------------------------------------------------

def test_the_summary_form_offers_the_languages_and_its_choice_reaches_the_pdf_and_the_public_page(app, world):
    client = login(app.test_client(), world.user("coordinator"))
    meeting_id = import_data(_beside_world(fixture_data()))
    page = client.get(f"/koordynacja/spotkania/{meeting_id}/podsumowanie").get_data(as_text=True)
    assert "Język dokumentu" in page
    assert 'name="language" value="pl" checked' in page
    assert 'value="en"' in page and 'lang="uk">українська' in page

    response = client.post(f"/koordynacja/spotkania/{meeting_id}/podsumowanie/kompilacja",
                           data={"preview": "0", "language": "uk"})
    assert response.status_code == 302
    wait_for_jobs()
    [version] = db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("meeting", meeting_id))).all()
    assert version.language == "uk"
    data = pdf_bytes(version)
    assert _lang(data) == "uk" and squeeze("Дата і час:") in squeeze(page_texts(data)[0])
    from consult.core.models import AuditEvent

    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "request_summary"))
    assert event.details["language"] == "uk"

    # Published per version as before; the public list names the language and marks the link's hreflang.
    assert client.post(f"/koordynacja/podsumowania/wersje/{version.id}/publikacja").status_code == 302
    from consult.meetings.models import Meeting
    programme_id = db.session.get(Meeting, meeting_id).programme_id
    public = app.test_client().get(f"/programy/{programme_id}/podsumowania").get_data(as_text=True)
    assert f'href="/podsumowania/{version.id}.pdf" hreflang="uk"' in public
    assert '<span lang="uk">українська</span>' in public
    got = app.test_client().get(f"/podsumowania/{version.id}.pdf")
    assert got.status_code == 200 and got.data == data
    assert "-wersja-1-uk.pdf" in got.headers["Content-Disposition"]


def test_an_unknown_language_is_refused_with_a_message_and_nothing_is_queued(app, world):
    client = login(app.test_client(), world.user("coordinator"))
    meeting_id = import_data(_beside_world(fixture_data()))
    from consult.meetings.models import Meeting
    from tests.implementation_support import import_data as import_report
    from tests.implementation_support import small_data

    report_id = import_report(small_data())
    programme_id = db.session.get(Meeting, meeting_id).programme_id
    posts = [
        (f"/koordynacja/spotkania/{meeting_id}/podsumowanie/kompilacja", {"preview": "0", "language": "de"}),
        (f"/koordynacja/programy/{programme_id}/raport/kompilacja", {"language": "de"}),
        (f"/koordynacja/sprawozdania/{report_id}/kompilacja", {"language": "de"}),
    ]
    for url, data in posts:
        response = client.post(url, data=data, follow_redirects=True)
        assert response.status_code == 200, url
        assert "Nieznany język dokumentu: „de”" in response.get_data(as_text=True), url
    assert db.session.scalar(db.select(db.func.count(DocumentJob.id))) == 0
    # The CLI refuses it too, before anything is asked for.
    result = app.test_cli_runner().invoke(args=["publish-summary", str(meeting_id), "--language", "de"])
    assert result.exit_code == 2 and "'de' is not one of 'pl', 'en', 'uk'" in result.output
    result = app.test_cli_runner().invoke(args=["compile-report", str(report_id), "--language", "xx"])
    assert result.exit_code == 2
    assert db.session.scalar(db.select(db.func.count(DocumentJob.id))) == 0


def test_publish_summary_on_the_command_line_takes_a_language(app):
    meeting_id = import_data(fixture_data())
    result = app.test_cli_runner().invoke(args=["publish-summary", str(meeting_id), "--language", "en"])
    assert result.exit_code == 0, result.output
    path = result.output.strip().splitlines()[-1]
    assert path.endswith(".pdf")
    [version] = db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("meeting", meeting_id))).all()
    assert version.language == "en" and version.published
    with open(path, "rb") as f:
        assert _lang(f.read()) == "en"


# --- the consolidated consultation report ---------------------------------------------------------------

REPORT_LABELS = {
    "en": ["Report on the consultation of the cooperation programme", "Sector meetings: 2. Postulates: 7.",
           "The report contains published positions only.", "Contents", "Statistics of postulates",
           "Postulates by responsible unit", "Positions by kind", "Postulates by submitter",
           "non-governmental organisations", "Date and time:"],
    "uk": ["Звіт про консультації програми співпраці", "Галузеві зустрічі: 2. Постулати: 7.",
           "Звіт містить лише опубліковані позиції.", "Зміст", "Статистика постулатів",
           "Постулати за відповідальним підрозділом", "Позиції за видом", "Постулати за заявником",
           "неурядові організації", "Дата і час:"],
}
POLISH_REPORT_LABELS = ["Raport z konsultacji programu", "Spis treści", "Statystyki postulatów",
                        "Postulaty według komórki", "Data i godziny:", "Stanowisko komórki merytorycznej"]


def _report(programme_id: int, language: str) -> DocumentJob:
    from consult.consultation_report.operations import request_report
    from consult.programmes.models import Programme

    with transaction():
        job_id = request_report(SYSTEM, db.session.get(Programme, programme_id), language=language).id
    return _finished(job_id)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_consolidated_report_in_english_or_ukrainian_never_reuses_a_polish_section(app, language):
    from consult.consultation_report.queries import sections_rendered_by
    from consult.meetings.models import Meeting

    ids = [import_data(large_meeting_data(n, date=f"2025-06-{10 + i}")) for i, n in enumerate((4, 3), start=1)]
    programme_id = db.session.get(Meeting, ids[0]).programme_id
    polish = _report(programme_id, "pl")
    assert _lang(pdf_bytes(polish.version)) == "pl"

    job = _report(programme_id, language)
    assert sections_rendered_by(job.id) == 2  # the Polish sections in the cache are not this report's
    data = pdf_bytes(job.version)
    text = "\n".join(page_texts(data))
    flat = squeeze(text)
    for label in REPORT_LABELS[language]:
        assert squeeze(label) in flat, label
    for label in POLISH_REPORT_LABELS:
        assert squeeze(label) not in flat, label
    for day in (11, 12):
        assert squeeze(format_date(date(2025, 6, day), "long", locale=language)) in flat
    for p in fixture_data()["postulates"][:4]:
        assert squeeze(p["content"]) in flat
    _assert_numbered(data, language)
    assert _lang(data) == language
    assert _reader(data).metadata.title.startswith(REPORT_LABELS[language][0])
    assert job.version.filename.endswith(f"-{language}.pdf")


def test_the_report_form_choice_reaches_the_pdf_and_the_public_page_names_it(app, world):
    client = login(app.test_client(), world.user("coordinator"))
    meeting_id = import_data(_beside_world(large_meeting_data(2)))
    from consult.meetings.models import Meeting

    programme_id = db.session.get(Meeting, meeting_id).programme_id
    page = client.get(f"/koordynacja/programy/{programme_id}/raport").get_data(as_text=True)
    assert 'name="language" value="pl" checked' in page
    assert client.post(f"/koordynacja/programy/{programme_id}/raport/kompilacja",
                       data={"language": "en"}).status_code == 302
    wait_for_jobs()
    [version] = db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("programme", programme_id)))
    assert version.language == "en" and _lang(pdf_bytes(version)) == "en"
    assert client.post(f"/koordynacja/raporty/wersje/{version.id}/publikacja").status_code == 302
    public = app.test_client().get(f"/programy/{programme_id}").get_data(as_text=True)
    assert f'href="/raporty/{version.id}.pdf" hreflang="en"' in public and '<span lang="en">English</span>' in public


# --- a call's announcement ------------------------------------------------------------------------------

CALL_LABELS = {
    "en": ["1. Type of public task", "2. Amount of public funds for carrying out the task", "5. Deadline for offers"],
    "uk": ["1. Вид публічного завдання", "2. Обсяг публічних коштів, призначених на виконання завдання",
           "5. Кінцевий термін подання пропозицій"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_runner_of_a_call_has_its_announcement_translated_and_the_public_reads_it(app, world, clock, language):
    call = make_call(world)
    from consult.calls import operations as ops

    with transaction():
        ops.announce_call(world.user("unit_x"), call)
    wait_for_jobs()
    runner = login(app.test_client(), world.user("unit_x"))
    manage = runner.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    # The translation form offers English and Ukrainian: Polish, the official PDF, came with the announcement.
    assert "Kompiluj tłumaczenie" in manage and 'name="language" value="en" checked' in manage
    assert 'name="language" value="pl"' not in manage
    response = runner.post(f"/koordynacja/konkursy/{call.id}/dokumenty/tlumaczenie",
                           data={"kind": "call_announcement", "language": language})
    assert response.status_code == 302
    wait_for_jobs()
    version = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.about("call", call.id),
                                                                 DocumentVersion.language == language))
    assert version is not None and version.published and version.number == 2  # the Polish one is number 1
    data = pdf_bytes(version)
    flat = squeeze("\n".join(page_texts(data)))
    for label in CALL_LABELS[language]:
        assert squeeze(label) in flat, label
    assert squeeze("1. Rodzaj zadania publicznego") not in flat and "1marca2027r." not in flat
    assert squeeze(format_date(date(2027, 3, 1), "long", locale=language)) in flat
    assert squeeze("Wspieranie rodziny i systemu pieczy zastępczej") in flat  # the call's own text, as written
    assert squeeze(call.title) in flat
    _assert_numbered(data, language)
    assert _lang(data) == language

    # Asked for again: refused with the reason, nothing more queued.
    again = runner.post(f"/koordynacja/konkursy/{call.id}/dokumenty/tlumaczenie",
                        data={"kind": "call_announcement", "language": language}, follow_redirects=True)
    assert "już jest albo jest właśnie kompilowany" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(DocumentJob.id)).where(DocumentJob.about("call", call.id))) == 2

    anon = app.test_client()
    public = anon.get(f"/konkursy/{call.id}").get_data(as_text=True)
    name = {"en": "English", "uk": "українська"}[language]
    assert f'href="/konkursy/{call.id}/ogloszenie.pdf?lang={language}" hreflang="{language}"' in public
    assert f"{name} (PDF)" in public
    assert anon.get(f"/konkursy/{call.id}/ogloszenie.pdf?lang={language}").data == data
    official = anon.get(f"/konkursy/{call.id}/ogloszenie.pdf")
    assert _lang(official.data) == "pl"
    assert anon.get(f"/konkursy/{call.id}/ogloszenie.pdf?lang=de").status_code == 404


def test_a_call_translation_in_an_unknown_language_is_refused(app, world, clock):
    call = make_call(world)
    from consult.calls import operations as ops

    with transaction():
        ops.announce_call(world.user("unit_x"), call)
    wait_for_jobs()
    runner = login(app.test_client(), world.user("coordinator"))
    response = runner.post(f"/koordynacja/konkursy/{call.id}/dokumenty/tlumaczenie",
                           data={"kind": "call_announcement", "language": "fr"}, follow_redirects=True)
    assert "Nieznany język dokumentu: „fr”" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(DocumentJob.id)).where(DocumentJob.about("call", call.id))) == 1


# --- the implementation report --------------------------------------------------------------------------

IMPLEMENTATION_LABELS = {
    "en": ["reporting year 2024", "Activities planned", "Unit responsible for implementation",
           "Result indicators of the activities planned in 2024", "Extent of implementation of the task in 2024",
           "Funds for the activity in 2024", "no information on implementation was provided", "Basic task"],
    "uk": ["звітний рік 2024", "Заплановані дії", "Підрозділ, відповідальний за виконання",
           "Показники результатів запланованих дій у 2024 році", "Обсяг виконання завдання у 2024 році",
           "Обсяг коштів на виконання дії у 2024 році", "інформацію про виконання не надано", "Основне завдання"],
}
POLISH_IMPLEMENTATION_LABELS = ["rok sprawozdawczy", "Planowane do realizacji działania",
                                "Komórka/ jednostka odpowiedzialna", "Wskaźniki rezultatów",
                                "nie przekazano informacji o realizacji", "Zadanie podstawowe"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_implementation_report_pdf_compiled_from_its_form_is_in_the_chosen_language(app, world, language):
    from tests.implementation_support import import_data as import_report
    from tests.implementation_support import small_data

    data_in = small_data()
    report_id = import_report(data_in)
    client = login(app.test_client(), world.user("coordinator"))
    page = client.get(f"/koordynacja/sprawozdania/{report_id}").get_data(as_text=True)
    assert 'name="language" value="pl" checked' in page
    assert client.post(f"/koordynacja/sprawozdania/{report_id}/kompilacja",
                       data={"language": language}).status_code == 302
    wait_for_jobs()
    version = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.about("implementation_report", report_id)))
    assert version.language == language
    data = pdf_bytes(version)
    flat = squeeze("\n".join(page_texts(data)))
    for label in IMPLEMENTATION_LABELS[language]:
        assert squeeze(label) in flat, label
    for label in POLISH_IMPLEMENTATION_LABELS:
        assert squeeze(label) not in flat, label
    first = data_in["goals"][0]["tasks"][0]["areas"][0]["activities"][0]
    assert squeeze(data_in["title"]) in flat and squeeze(first["name"]) in flat  # the report's text, as filed
    _assert_numbered(data, language)
    assert _lang(data) == language


# --- the implementation report's XLSX: the language of the person downloading ---------------------------

XLSX_HEADERS = {
    "pl": ["Cel", "Zadanie", "Rodzaj zadania", "Obszar"],
    "en": ["Goal", "Task", "Type of task", "Area"],
    "uk": ["Ціль", "Завдання", "Вид завдання", "Сфера"],
}


@pytest.mark.parametrize("language", ("pl", "en", "uk"))
def test_the_xlsx_headers_follow_the_language_of_the_request(app, world, language):
    from tests.implementation_support import import_data as import_report
    from tests.implementation_support import small_data

    report_id = import_report(small_data())
    client = login(app.test_client(), world.user("coordinator"))
    client.get(f"/jezyk/{language}")
    response = client.get(f"/koordynacja/sprawozdania/{report_id}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    headers = [c.value for c in sheet[3]]
    assert headers[:4] == XLSX_HEADERS[language]
    states = {row[11] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert {"pl": "brak informacji", "en": "no information", "uk": "немає інформації"}[language] in states
    if language != "pl":
        assert "Cel" not in headers and "brak informacji" not in states
