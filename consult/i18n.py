"""Languages: which one a request is served in, the compiled catalogues, and formatting for the locale.

Polish is the default and the msgids are the Polish strings; English and Ukrainian are translated in
consult/translations/<locale>/LC_MESSAGES/messages.po. The .mo files are built by the package build
(setup.py) and, should a checkout lack them or hold ones older than the .po, compiled here at start.
The choice a person makes with the switcher is kept in a cookie and, once signed in, in users.locale.
"""
from __future__ import annotations

import functools
import logging
import re
from datetime import date, datetime, time
from decimal import Decimal

from flask import Flask, has_request_context, request

from consult.catalogues import TRANSLATIONS, compile_catalogues  # noqa: F401  (create_app reads TRANSLATIONS here)

LOCALES = ("pl", "en", "uk")
DEFAULT_LOCALE = "pl"
# Each language named in itself, as the switcher shows it.
LANGUAGE_NAMES = {"pl": "polski", "en": "English", "uk": "українська"}
COOKIE = "consult_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# Dates and times as each language writes them (times are Europe/Warsaw, Flask-Babel's default timezone).
DATE_PATTERNS = {"pl": "dd.MM.yyyy", "uk": "dd.MM.yyyy", "en": "d MMM yyyy"}
DATETIME_PATTERNS = {"pl": "dd.MM.yyyy HH:mm", "uk": "dd.MM.yyyy HH:mm", "en": "d MMM yyyy, HH:mm"}

log = logging.getLogger(__name__)


def valid(locale: str | None) -> str | None:
    return locale if locale in LOCALES else None


def select_locale() -> str:
    """The signed-in user's language, else the switcher's cookie, else the browser's, else Polish."""
    if not has_request_context():  # CLI, Celery tasks: the city's language
        return DEFAULT_LOCALE
    from flask_login import current_user

    user_locale = getattr(current_user, "locale", None) if current_user else None
    return (valid(user_locale) or valid(request.cookies.get(COOKIE))
            or request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE)


def locale_of(user) -> str:
    """The language to write to `user` in (e-mails, documents sent to them): their choice, else Polish.

    Use it as `with force_locale(locale_of(user)): ...` around rendering a message for them.
    """
    return valid(getattr(user, "locale", None)) or DEFAULT_LOCALE


def current_locale() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return valid(locale.language if locale else None) or DEFAULT_LOCALE


# --- catalogues ---------------------------------------------------------------------------------------

def ensure_compiled(app: Flask) -> None:
    try:
        written = compile_catalogues()
    except OSError as exc:  # a read-only install: serve what is there
        log.warning("could not compile the message catalogues: %s", exc)
        return
    if written:
        app.logger.info("compiled %d message catalogue(s) at start", len(written))


# --- formatting for the locale ------------------------------------------------------------------------

def _plain_spaces(text: str) -> str:
    # CLDR groups digits with no-break spaces; the UI, its tests and PDF text extraction use plain ones.
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def format_amount(amount, locale: str | None = None) -> str:
    """An amount in złoty: 12 345,67 zł in Polish, PLN 12,345.67 in English, 12 345,67 PLN in Ukrainian."""
    from babel.numbers import format_currency

    if amount is None:
        return ""
    value = Decimal(amount or 0).quantize(Decimal("0.01"))
    text = _plain_spaces(format_currency(value, "PLN", locale=locale or current_locale()))
    return re.sub(r"PLN(?=\d)", "PLN ", text)  # English CLDR writes PLN12.00; a space reads better


def format_number(value, locale: str | None = None) -> str:
    """A number (points, counts) with the locale's decimal sign and grouping, no trailing zeros."""
    from babel.numbers import format_decimal

    if value is None:
        return ""
    return _plain_spaces(format_decimal(Decimal(value).normalize(), locale=locale or current_locale()))


# Any space a person or a copied text may put between groups of digits: plain, no-break, narrow no-break, thin.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
NUMBER_EXAMPLE = Decimal("1250.50")


def parse_number(text: str, locale: str | None = None) -> Decimal:
    """A number (an amount, points, a quantity) as a person writes it in their language, exactly.

    English: 1,250.50 or 1250.5 (a comma only between groups of three digits: 1,250 is one thousand two hundred
    and fifty, and 1250,50 is refused rather than read as 125050). Polish and Ukrainian: 1 250,50, with any space
    between the groups, and a dot as the decimal sign when there is no comma (1250.50), as people type it.
    Raises ValueError for anything else.
    """
    from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal

    locale = locale or current_locale()
    text = _SPACES.sub("", str(text).strip())
    if get_decimal_symbol(locale) == "," and "," not in text and text.count(".") == 1:
        text = text.replace(".", ",")
    try:
        value = parse_decimal(text, locale=locale, strict=True)
    except (NumberFormatError, ArithmeticError) as exc:
        raise ValueError(str(exc)) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def format_fixed(value, places: int = 2, locale: str | None = None) -> str:
    """A number with `places` decimals and the locale's grouping: 1 250,50 in Polish, 1,250.50 in English."""
    from babel.numbers import format_decimal

    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return _plain_spaces(format_decimal(Decimal(value), pattern, locale=locale or current_locale()))


def format_input(value, places: int | None = 2, locale: str | None = None) -> str:
    """A number as it goes back into a form field, which parse_number reads again: 1250,50 / 1250.50, no
    grouping; with places=None as few decimals as it needs (points: 2,5 / 2.5)."""
    from babel.numbers import format_decimal

    if value is None or value == "":
        return ""
    pattern = "0." + "#" * 6 if places is None else "0" + ("." + "0" * places if places else "")
    return format_decimal(Decimal(str(value)), pattern, locale=locale or current_locale())


def number_example(locale: str | None = None) -> str:
    """What a refused number's message shows as the format expected: 1 250,50 / 1,250.50."""
    return format_fixed(NUMBER_EXAMPLE, 2, locale)


def format_day(value: date | datetime | None) -> str:
    from flask_babel import format_date

    if not value:
        return ""
    if type(value) is date:  # a calendar day reads the same in every time zone: its words can be kept
        return _day_in(value, current_locale())
    return format_date(value, DATE_PATTERNS[current_locale()])


def day_formatter():
    """`format_day` bound to the request's language, for a list that writes many days (the meetings of a filter)."""
    locale = current_locale()

    def day(value: date | datetime | None) -> str:
        return _day_in(value, locale) if type(value) is date else format_day(value)

    return day


@functools.lru_cache(maxsize=4096)
def _day_in(value: date, locale: str) -> str:
    """A day in words in `locale`: lists show the same few meeting days and deadlines on every row and every
    page, and Babel's formatting of each was a good part of a list page's CPU."""
    from babel.dates import format_date

    return format_date(value, DATE_PATTERNS[locale], locale=locale)


def one_full_stop(text, *dates):
    """A sentence that ends with one of `dates` written with the abbreviation of "year" and its dot ("3 grudnia
    2026 r.", Ukrainian "3 грудня 2026 р.") ends with that dot: the sentence's own full stop is not doubled
    ("Wyniki ogłoszono 3 grudnia 2026 r."). Only those dates are looked at, so what people typed stays as typed.
    Keeps Markup as Markup."""
    from markupsafe import Markup

    fixed = str(text)
    for day in dates:
        day = str(day or "")
        if day.endswith("."):
            fixed = fixed.replace(day + ".", day)
    return Markup(fixed) if isinstance(text, Markup) else fixed


def format_moment(value: datetime | None) -> str:
    from flask_babel import format_datetime

    if not value:
        return ""
    return format_datetime(value, DATETIME_PATTERNS[current_locale()])


def format_clock(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""  # a time of day in Warsaw, 24-hour in all three


def per_request(format_for_locale):
    """A template filter that formats in the request's language. Marked as needing the context, so that Jinja
    does not evaluate it once at compile time on a constant (`250000|fixed` in a hint) in whichever language
    the first request had."""
    from jinja2 import pass_context

    @pass_context
    def template_filter(_context, value, *args, **kwargs):
        return format_for_locale(value, *args, **kwargs)

    template_filter.__name__ = template_filter.__qualname__ = format_for_locale.__name__
    template_filter.__doc__ = format_for_locale.__doc__
    return template_filter


# --- documents (PDF) --------------------------------------------------------------------------------

def page_number_parts() -> tuple[str, str]:
    """ "strona X z Y" in the current language as the text before the page number and the text between it and
    the page count ("strona ", " z "; "page ", " of "). The merge of the consolidated report draws them."""
    from flask_babel import gettext

    # TRANSLATORS: the footer of every PDF page; keep %(page)s before %(pages)s and nothing after %(pages)s.
    text = gettext("strona %(page)s z %(pages)s", page="\x00", pages="\x01")
    before, rest = text.split("\x00", 1)
    between = rest.split("\x01", 1)[0]
    return before, between


def css_string(value) -> str:
    """`value` as a CSS string literal, quotes included (for `content:` in a PDF's stylesheet)."""
    from markupsafe import Markup

    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return Markup(f'"{text}"')


def page_counter_css() -> str:
    """The `content` of a PDF page's footer: "strona " counter(page) " z " counter(pages), in the current
    language."""
    from markupsafe import Markup

    before, between = page_number_parts()
    return Markup(f"{css_string(before)} counter(page) {css_string(between)} counter(pages)")


def init_app(app: Flask) -> None:
    ensure_compiled(app)
    app.add_template_filter(per_request(format_day), "date")
    app.add_template_filter(per_request(format_moment), "datetime")
    app.add_template_filter(format_clock, "hm")
    app.add_template_filter(per_request(format_amount), "pln")
    app.add_template_filter(per_request(format_number), "number")
    app.add_template_filter(per_request(format_fixed), "fixed")
    app.add_template_filter(per_request(format_input), "input_number")
    app.add_template_global(current_locale, "current_locale")
    app.add_template_global(LANGUAGE_NAMES, "LANGUAGE_NAMES")
    app.add_template_global(page_counter_css, "page_counter_css")
    app.add_template_filter(css_string, "css_string")
    app.add_template_filter(one_full_stop, "one_full_stop")

    @app.after_request
    def vary_on_language(response):
        # The same URL is served in the language of the browser, the cookie or the account: tell caches.
        if response.mimetype == "text/html":
            response.vary.update(("Accept-Language", "Cookie"))
        return response
