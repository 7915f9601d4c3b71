"""Languages: complete English and Ukrainian catalogues, the language a visitor gets and keeps, formatting
for the locale, and catalogues compiled by the build and at start."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from consult.auth.models import User
from consult.extensions import db
from tests.access_cases.calls import call_of
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "consult" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _script():
    spec = spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def _extracted() -> dict:
    """The msgids the code and templates mark now (what `scripts/i18n.py update` would put in the .pot)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None, lazy_ngettext=(1, 2))
    assert {k.partition(":")[0] for k in _script().KEYWORDS} <= set(keywords) | {"lazy_pgettext"}
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def _catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("locale", ["en", "uk"])
def test_every_msgid_has_a_translation_with_the_same_placeholders(locale):
    """Fails while a Polish string is untranslated: run `python3 scripts/i18n.py update`, translate what
    `python3 scripts/i18n.py missing` lists."""
    catalogue = _catalogue(locale)
    problems = []
    for msgid, where in _extracted().items():
        message = catalogue.get(msgid)
        key = msgid if isinstance(msgid, str) else msgid[0]
        if message is None:
            problems.append(f"not in {locale}.po (run scripts/i18n.py update): {key!r} ({where})")
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(f and f.strip() for f in forms):
            problems.append(f"untranslated{' (fuzzy)' if message.fuzzy else ''}: {key!r} ({where})")
            continue
        if isinstance(msgid, tuple) and len(forms) != catalogue.num_plurals:
            problems.append(f"{len(forms)} plural forms instead of {catalogue.num_plurals}: {key!r}")
        wanted = set(PLACEHOLDER.findall(msgid if isinstance(msgid, str) else "".join(msgid)))
        for form in forms:
            got = set(PLACEHOLDER.findall(form))
            if got != wanted and not (isinstance(msgid, tuple) and got <= wanted):
                problems.append(f"placeholders {sorted(got)} instead of {sorted(wanted)}: {key!r}")
    assert not problems, f"{len(problems)} problem(s) in {locale}:\n" + "\n".join(problems[:40])


# Babel extracts only literal strings: `_(label)` on a variable compiles and runs, but its msgid never reaches the
# catalogues, so the page shows it in Polish in every language. Mark such strings where they are written (`_l`).
MARKERS = {"_": 1, "_l": 1, "gettext": 1, "lazy_gettext": 1, "ngettext": 2, "lazy_ngettext": 2, "pgettext": 2,
           "lazy_pgettext": 2, "npgettext": 3}


def _literal(node) -> bool:
    import ast

    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_translation_markers_get_literal_strings_in_the_code():
    import ast

    problems = []
    for folder in ("consult", "worker", "workflows"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in MARKERS:
                    continue
                wanted = node.args[:MARKERS[name]]
                if len(wanted) < MARKERS[name] or not all(_literal(a) for a in wanted):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not problems, "translated text that Babel cannot extract (mark it with _l where it is written):\n" + \
        "\n".join(problems)


def test_translation_markers_get_literal_strings_in_the_templates():
    from jinja2 import Environment, nodes

    env = Environment(extensions=["jinja2.ext.i18n"])
    problems = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        for node in env.parse(path.read_text(encoding="utf-8")).find_all(nodes.Call):
            name = getattr(node.node, "name", None)
            if name not in MARKERS:
                continue
            wanted = node.args[:MARKERS[name]]
            if len(wanted) < MARKERS[name] or not all(isinstance(a, nodes.Const) and isinstance(a.value, str)
                                                      for a in wanted):
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not problems, "translated text that Babel cannot extract:\n" + "\n".join(problems)


def test_plural_forms_of_each_language():
    assert _catalogue("en").num_plurals == 2
    assert _catalogue("uk").num_plurals == 3


# --- which language a visitor gets ---------------------------------------------------------------------

def _lang(page: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', page).group(1)


@pytest.mark.parametrize("header, lang, heading", [
    ("uk-UA,uk;q=0.9,en;q=0.5", "uk", "Консультації щодо програми співпраці"),
    ("en-GB,en;q=0.9", "en", "Consultation on the cooperation programme"),
    ("de-DE,de;q=0.9", "pl", "Konsultacje programu współpracy"),
    (None, "pl", "Konsultacje programu współpracy"),
])
def test_a_first_visit_follows_accept_language(client, header, lang, heading):
    response = client.get("/", headers={"Accept-Language": header} if header else {})
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    page = response.get_data(as_text=True)
    assert _lang(page) == lang
    assert heading in page
    current = re.findall(r'<a href="/jezyk/(\w+)[^"]*" lang="\1" hreflang="\1" rel="nofollow" aria-current="true">', page)
    assert current == [lang]


def test_the_switcher_names_each_language_in_itself_and_returns_to_the_page(client):
    from urllib.parse import parse_qs, urlsplit

    page = client.get("/programy?rok=2027").get_data(as_text=True)
    for code, name in (("pl", "polski"), ("en", "English"), ("uk", "українська")):
        link = re.search(rf'<a href="([^"]+)" lang="{code}" hreflang="{code}"[^>]*>{name}</a>', page)
        assert link, code
        href = link.group(1).replace("&amp;", "&")
        assert urlsplit(href).path == f"/jezyk/{code}"
        assert parse_qs(urlsplit(href).query)["next"] == ["/programy?rok=2027"]
    response = client.get("/jezyk/uk?next=/programy%3Frok%3D2027")
    assert response.status_code == 302 and response.headers["Location"] == "/programy?rok=2027"
    assert _lang(client.get("/programy").get_data(as_text=True)) == "uk"


def test_the_switchers_choice_wins_over_accept_language_and_lasts(client):
    response = client.post("/jezyk/en", data={"next": "/programy"}, headers={"Accept-Language": "uk"})
    assert response.status_code == 302 and response.headers["Location"] == "/programy"
    for path in ("/programy", "/", "/konkursy"):
        page = client.get(path, headers={"Accept-Language": "uk"}).get_data(as_text=True)
        assert _lang(page) == "en", path
        assert "Sign in" in page and "Zaloguj się" not in page and "Увійти" not in page
    client.post("/jezyk/pl", data={"next": "/"})
    assert _lang(client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)) == "pl"


def test_an_unknown_language_changes_nothing_and_next_stays_on_the_site(client):
    response = client.post("/jezyk/de", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "consult_lang" not in response.headers.get("Set-Cookie", "")


def test_a_signed_in_users_choice_is_stored_and_follows_them(app, world):
    ngo = world.user("ngo_a")
    first = app.test_client()
    login(first, ngo)
    first.post("/jezyk/uk", data={"next": "/moje-postulaty"})
    db.session.expire_all()
    assert db.session.get(User, ngo.id).locale == "uk"
    from consult.i18n import locale_of

    assert locale_of(db.session.get(User, ngo.id)) == "uk" and locale_of(world.user("ngo_b")) == "pl"
    # Another browser, which asks for English and has no cookie: the account's language wins.
    second = app.test_client()
    login(second, ngo)
    page = second.get("/moje-postulaty", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _lang(page) == "uk" and "Постулати організації" in page


def test_a_choice_made_before_signing_in_is_kept_on_the_account(client, world):
    unit = world.user("unit_x")
    client.post("/jezyk/en", data={"next": "/logowanie"})
    login(client, unit)
    db.session.expire_all()
    assert db.session.get(User, unit.id).locale == "en"


# --- pages in each language, per role ------------------------------------------------------------------

PAGES = [
    (None, "/", {"en": "Consultation on the cooperation programme",
                 "uk": "Консультації щодо програми співпраці"}),
    ("ngo_a", "/", {"en": "What you can do now", "uk": "Що ви можете зробити зараз"}),
    (None, "/konkursy", {"en": "Open calls for proposals", "uk": "Відкриті конкурси пропозицій"}),
    ("ngo_a", "/moje-postulaty", {"en": "Submit a new postulate", "uk": "Подати новий постулат"}),
    ("unit_x", "/kolejka", {"en": "Postulates assigned to the unit", "uk": "Постулати, призначені підрозділу"}),
    ("coordinator", "/rejestr", {"en": "Register of postulates", "uk": "Реєстр постулатів"}),
    ("coordinator", "/koordynacja", {"en": "Coordination of the consultation", "uk": "Координація консультацій"}),
    ("admin", "/rejestry/organizacje", {"en": "Add an organisation", "uk": "Додати організацію"}),
]


@pytest.mark.parametrize("locale", ["en", "uk"])
def test_key_pages_of_each_role_render_in_the_language(app, world, locale):
    for role, path, texts in PAGES:
        client = app.test_client()
        client.post(f"/jezyk/{locale}", data={})
        if role:
            login(client, world.user(role))
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert _lang(page) == locale, path
        assert texts[locale] in page, (path, texts[locale])
        # The header, in that language too; no Polish left there.
        assert ("Sign out" if locale == "en" else "Вийти") in page or role is None
        assert "Wyloguj" not in page and "Przejdź do treści" not in page, path


def _published_meeting_postulate(world):
    """The world's meeting postulate, answered by unit X and published: on the public register too."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.postulates.operations import assign_postulate, publish_positions, save_position

    postulate = world.p["meeting_official"]
    with transaction():
        assign_postulate(SYSTEM, postulate, world.unit_x)
        save_position(world.user("unit_x"), postulate, category="accepted", text="Przyjmujemy.")
        publish_positions(world.user("unit_x"), [postulate])
    return postulate


@pytest.mark.parametrize("locale, pattern", [("en", "d MMM yyyy"), ("uk", "dd.MM.yyyy")])
def test_meeting_dates_in_the_lists_follow_the_language(app, world, locale, pattern):
    from babel.dates import format_date

    _published_meeting_postulate(world)
    day = world.meeting.date
    expected, polish = format_date(day, pattern, locale=locale), day.strftime("%d.%m.%Y")
    for role, path in ((None, "/postulaty"), ("unit_x", "/kolejka"), ("coordinator", "/rejestr")):
        client = app.test_client()
        client.post(f"/jezyk/{locale}", data={})
        if role:
            login(client, world.user(role))
        page = client.get(path).get_data(as_text=True)
        assert f"{expected}, " in page or f"{expected}<" in page, (path, expected)
        if locale == "en":
            assert polish not in page, path


def test_state_and_role_labels_follow_the_language(app, world):
    client = app.test_client()
    client.post("/jezyk/en", data={})
    login(client, world.user("coordinator"))
    page = client.get("/rejestr").get_data(as_text=True)
    assert "passed to a unit" in page and "przekazany komórce" not in page
    assert "(coordinator" in page


def test_a_refusal_comes_in_the_language(app, world):
    client = app.test_client()
    client.post("/jezyk/uk", data={})
    login(client, world.user("ngo_a"))
    response = client.post(f"/programy/{world.programme.id}/postulaty/nowy", data={"content": "", "action": "save"})
    page = response.get_data(as_text=True)
    assert "Введіть зміст постулату." in page and "Wpisz treść postulatu." not in page


# --- formatting for the locale -------------------------------------------------------------------------

def test_amounts_numbers_and_dates_per_locale(app):
    from consult.i18n import format_amount, format_day, format_moment, format_number

    instant = datetime(2025, 6, 17, 15, 30, tzinfo=UTC)  # 17:30 in Warsaw (summer time)
    expected = {
        "pl": ("12 345,50 zł", "2,5", "17.06.2025", "17.06.2025 17:30"),
        "en": ("PLN 12,345.50", "2.5", "17 Jun 2025", "17 Jun 2025, 17:30"),
        "uk": ("12 345,50 PLN", "2,5", "17.06.2025", "17.06.2025 17:30"),
    }
    with app.test_request_context("/"):
        for locale, (amount, number, day, moment) in expected.items():
            with force_locale(locale):
                assert format_amount(Decimal("12345.5")) == amount
                assert format_number(Decimal("2.50")) == number
                assert format_day(date(2025, 6, 17)) == day
                assert format_moment(instant) == moment


@pytest.mark.parametrize("locale, typed, amount", [
    ("en", "1,250.50", "1250.50"), ("en", "1,250", "1250.00"), ("en", "1250.5", "1250.50"),
    ("en", "1 250.50", "1250.50"), ("en", "1,000,000", "1000000.00"),
    ("pl", "1 250,50", "1250.50"), ("pl", "1\u00a0250,50", "1250.50"), ("pl", "1\u202f250,50", "1250.50"),
    ("pl", "1250.50", "1250.50"), ("pl", "1 250.5", "1250.50"), ("pl", "1,25", "1.25"), ("pl", "250 000", "250000.00"),
    ("uk", "1 250,50", "1250.50"), ("uk", "1\u202f250,50", "1250.50"), ("uk", "1250.50", "1250.50"),
])
def test_amounts_are_read_in_the_locale(app, locale, typed, amount):
    from consult.calls.operations import parse_amount

    with app.test_request_context("/"), force_locale(locale):
        assert str(parse_amount(typed, "funds", "kwota")) == amount


@pytest.mark.parametrize("locale, typed, message", [
    ("en", "1250,50", "Kwota: enter a number in the form 1,250.50."),  # not 125050
    ("en", "1,25", "Kwota: enter a number in the form 1,250.50."),
    ("en", "NaN", "Kwota: enter a number in the form 1,250.50."),
    ("pl", "1.250,50", "Kwota: wpisz liczbę w postaci 1 250,50."),
    ("pl", "dużo", "Kwota: wpisz liczbę w postaci 1 250,50."),
    ("uk", "1,250.50", "Kwota: введіть число у форматі 1 250,50."),
])
def test_a_bad_amount_is_told_the_format_of_the_locale(app, locale, typed, message):
    from consult.calls.operations import parse_amount
    from consult.core.errors import Refused

    with app.test_request_context("/"), force_locale(locale), pytest.raises(Refused) as refused:
        parse_amount(typed, "funds", "kwota")
    assert refused.value.reason == message


def test_a_formatted_constant_in_a_template_follows_each_requests_language(app, world):
    """`250000|fixed` in a hint is formatted per request, not once when Jinja compiles the template."""
    hints = {}
    for locale in ("en", "pl", "en"):
        client = login(app.test_client(), world.user("coordinator"))
        client.post(f"/jezyk/{locale}", data={})  # kept on the account: the next client gets it too
        page = client.get("/koordynacja/konkursy/nowy").get_data(as_text=True)
        hints.setdefault(locale, set()).add(re.search(r'id="funds-hint">([^<]*)<', page).group(1))
    assert hints == {"en": {"In złoty, e.g. 250,000.00."}, "pl": {"W złotych, np. 250 000,00."}}


def test_a_calls_page_shows_amounts_per_locale(app, world):
    call = call_of(world, "announced")
    pages = {}
    for locale in ("pl", "en", "uk"):
        client = app.test_client()
        client.post(f"/jezyk/{locale}", data={})
        pages[locale] = client.get(f"/konkursy/{call.id}").get_data(as_text=True)
    assert "50 000,00 zł" in pages["pl"]
    assert "PLN 50,000.00" in pages["en"]
    assert "50 000,00 PLN" in pages["uk"]
    assert "announced, accepting offers" in pages["en"] and "оголошений, приймає пропозиції" in pages["uk"]


def test_official_documents_are_polish_by_default_and_say_their_language(app, world):
    from consult.calls.documents import announcement_data, announcement_html

    call = call_of(world, "announced")
    with app.test_request_context("/"):
        data = announcement_data(call.id)
        with force_locale("pl"):
            polish = announcement_html(data)
        with force_locale("en"):
            english = announcement_html(data)
    assert '<html lang="pl">' in polish and "1. Rodzaj zadania publicznego" in polish
    assert '<html lang="en">' in english and "1. Type of public task" in english


# --- compiled catalogues ---------------------------------------------------------------------------------

def test_the_build_step_produces_the_compiled_catalogues(tmp_path):
    """`setup.py build_py` (what pip runs for an install, editable or not) writes the .mo files."""
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "tests", "instance", "*.mo", "__pycache__", "*.egg-info", "build", "test-artifacts", "bench"))
    build = tmp_path / "build"
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(build)], cwd=source,
                   check=True, capture_output=True, text=True)
    from babel.support import Translations

    for locale, signed_out in (("en", "Sign out"), ("uk", "Вийти")):
        mo = build / "consult" / "translations" / locale / "LC_MESSAGES" / "messages.mo"
        assert mo.is_file(), mo
        assert Translations.load(str(build / "consult" / "translations"), [locale]).gettext("Wyloguj") == signed_out


def test_missing_or_stale_catalogues_are_compiled_at_start(tmp_path):
    from consult.catalogues import compile_catalogues

    po_dir = tmp_path / "uk" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    shutil.copy(TRANSLATIONS / "uk" / "LC_MESSAGES" / "messages.po", po_dir / "messages.po")
    assert compile_catalogues(tmp_path) == [po_dir / "messages.mo"]  # missing: compiled
    assert compile_catalogues(tmp_path) == []  # up to date: left alone
    po = po_dir / "messages.po"
    mo = po_dir / "messages.mo"
    os.utime(mo, (mo.stat().st_atime, po.stat().st_mtime - 10))  # older than the .po: compiled again
    assert compile_catalogues(tmp_path) == [mo]
