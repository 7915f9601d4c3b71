"""Error pages: each HTTP error is a page of the site (base.html: the visitor's language in <html lang>, the
skip link, the landmarks) with its status code; an unexpected error is logged and gets such a page too, never
Werkzeug's English default. Under /api/ errors stay JSON."""
from __future__ import annotations

import io
import logging

import pytest

from consult.extensions import db
from tests.access_cases.calls import call_of
from tests.conftest import login

TITLES = {
    400: {"pl": "Nieprawidłowe żądanie", "en": "Bad request", "uk": "Неправильний запит"},
    403: {"pl": "Brak dostępu", "en": "Access denied", "uk": "Доступ заборонено"},
    404: {"pl": "Nie ma takiej strony", "en": "Page not found", "uk": "Такої сторінки немає"},
    405: {"pl": "Niedozwolona metoda", "en": "Method not allowed", "uk": "Метод не дозволено"},
    413: {"pl": "Przesłany plik jest za duży", "en": "The file sent is too large", "uk": "Надісланий файл завеликий"},
    500: {"pl": "Błąd serwera", "en": "Server error", "uk": "Помилка сервера"},
}
CODE = {"pl": "Kod błędu: %s", "en": "Error code: %s", "uk": "Код помилки: %s"}


def _visitor(app, locale, role=None, world=None):
    client = app.test_client()
    client.post(f"/jezyk/{locale}", data={})
    if role:
        login(client, world.user(role))
    return client


def assert_error_page(response, code: int, locale: str, title: str | None = None):
    page = response.get_data(as_text=True)
    assert response.status_code == code, page[:300]
    assert response.mimetype == "text/html"
    assert f'<html lang="{locale}">' in page
    assert '<main id="main"' in page and 'class="skip-link" href="#main"' in page and "<header" in page
    heading = title or TITLES[code][locale]
    assert f"<h1>{heading}</h1>" in page and f"<title>{heading} – consult</title>" in page
    assert CODE[locale] % code in page
    assert "Werkzeug" not in page and "The requested URL" not in page and "Internal Server Error" not in page
    return page


def _requests(app, world, monkeypatch):
    """How a visitor meets each status code, through the app's own routes."""
    def bad_request(locale):
        call = call_of(world, "draft")
        return _visitor(app, locale, "coordinator", world).post(f"/koordynacja/konkursy/{call.id}/karta",
                                                                 data={"action": "nonsense"})

    def too_large(locale):
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
        return _visitor(app, locale, "coordinator", world).post(
            "/koordynacja/sprawozdania/nowe", data={"file": (io.BytesIO(b"x" * 1_100_000), "a.json")},
            content_type="multipart/form-data")

    return {
        400: bad_request,
        403: lambda locale: _visitor(app, locale, "ngo_a", world).get("/koordynacja"),
        404: lambda locale: _visitor(app, locale).get("/nie-ma-takiej-strony"),
        405: lambda locale: _visitor(app, locale).delete("/programy"),
        413: too_large,
    }


@pytest.mark.parametrize("locale", ["pl", "en", "uk"])
@pytest.mark.parametrize("code", [400, 403, 404, 405, 413])
def test_each_http_error_is_a_page_of_the_site_in_the_visitors_language(app, world, monkeypatch, locale, code):
    response = _requests(app, world, monkeypatch)[code](locale)
    page = assert_error_page(response, code, locale)
    if code == 405:
        assert "GET" in response.headers["Allow"]
    if code == 413:
        assert {"pl": "najwyżej 1 MB", "en": "at most 1 MB", "uk": "щонайбільше 1 МБ"}[locale] in page


@pytest.mark.parametrize("locale, title", [("pl", "Formularz wygasł"), ("en", "The form has expired"),
                                           ("uk", "Термін дії форми минув")])
def test_a_form_without_a_valid_csrf_token_gets_a_page_in_the_language(app, world, monkeypatch, locale, title):
    client = _visitor(app, locale)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/logowanie", data={"email": "ngo_a@example.org", "password": "x"})
    assert_error_page(response, 400, locale, title)


@pytest.mark.parametrize("locale", ["pl", "en", "uk"])
def test_an_unexpected_error_is_logged_and_shown_as_a_page_of_the_site(app, world, monkeypatch, caplog, locale):
    def broken():
        raise RuntimeError("the view broke")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production, not as TESTING has it
    monkeypatch.setitem(app.view_functions, "public.programmes", broken)
    client = _visitor(app, locale)
    with caplog.at_level(logging.ERROR):
        response = client.get("/programy")
    page = assert_error_page(response, 500, locale)
    assert "the view broke" not in page  # the visitor is not shown the internals
    [record] = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert "Exception on /programy [GET]" in record.getMessage() and str(record.exc_info[1]) == "the view broke"


def test_an_unexpected_database_error_still_gets_the_page(app, world, monkeypatch):
    def broken():
        db.session.execute(db.text("SELECT * FROM no_such_table"))

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "public.programmes", broken)
    response = _visitor(app, "en").get("/programy")
    assert_error_page(response, 500, "en")  # rendered after a rollback: the failed transaction is gone
    monkeypatch.undo()
    assert _visitor(app, "en").get("/programy").status_code == 200


def test_the_api_keeps_its_json_errors(app, world, monkeypatch):
    client = app.test_client()
    missing = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and missing.get_json()["status"] == 404
    wrong = client.post("/api/v1/programmes")
    assert wrong.status_code == 405 and wrong.get_json()["status"] == 405 and "GET" in wrong.headers["Allow"]

    def broken():
        raise RuntimeError("the API broke")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "api.units", broken)
    failed = client.get("/api/v1/units")
    assert failed.status_code == 500 and failed.mimetype == "application/json"
    assert failed.get_json()["status"] == 500 and "the API broke" not in failed.get_data(as_text=True)

