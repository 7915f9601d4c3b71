"""What the database and the documents can hold, checked at every door in (pages, forms, imports, CLI).

Numbers: ids are 32-bit (PostgreSQL's INTEGER; SQLite takes 64 bits, but a number PostgreSQL cannot hold names no
row on either), so a larger one in a path is no page (404: `IdConverter` is the app's `int` converter) and in a
query string or a form it names nothing; other whole numbers are kept to the same range.

Text: NUL (PostgreSQL refuses it in text), lone surrogates (they have no UTF-8), the other C0 control characters
but tab and line breaks (XML cannot carry them: the XLSX and ODS exports, the tagged PDFs) and the noncharacters
U+FFFE and U+FFFF are refused, naming the field, before anything is written; a search term merely loses them.

JSON: a file nested deeper than `MAX_JSON_DEPTH` is refused before it is parsed (the parser and the schema
validator recurse, so such a file would otherwise end in a RecursionError), and so is one holding text of the
kind above or a number no column can hold.
"""
from __future__ import annotations

import json
import re

from flask_babel import gettext as _
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from consult.core.errors import Refused

ID_MAX = 2**31 - 1  # the largest value of PostgreSQL's INTEGER: every id column, every integer column
INT_MIN = -(2**31)
MAX_JSON_DEPTH = 32  # the formats nest 8 deep at most (a report's goals > tasks > areas > activities > units)

# Characters no text column, XML part or PDF may hold: NUL and the other C0 controls but \t, \n and \r;
# lone surrogates; the noncharacters U+FFFE and U+FFFF.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number beyond what an id column holds matches no route (404), instead of
    reaching the database (SQLite raises OverflowError past 2**63-1, PostgreSQL refuses past 2**31-1)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, ID_MAX if max is None else max, signed)


def whole_number(raw, *, minimum: int = INT_MIN, maximum: int = ID_MAX) -> int | None:
    """A whole number typed by someone (surrounding spaces allowed), or None when it is not one or lies outside
    [minimum, maximum]: the caller then says what it wanted, or treats it as nothing chosen."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", text):  # ASCII digits only: int() takes "١٢" and "1_000"
            return None
        value = int(text)
    return value if minimum <= value <= maximum else None


def id_value(raw) -> int | None:
    """An id posted or passed (a form's select, a query string, a command's argument); None for anything that
    cannot name a row, so a lookup by it finds nothing instead of failing in the database."""
    return whole_number(raw, minimum=1, maximum=ID_MAX)


def unstorable_at(text) -> int | None:
    """The position (from 1) of the first character the database or a document cannot hold, or None."""
    if not isinstance(text, str):
        return None
    found = _UNSTORABLE.search(text)
    return found.start() + 1 if found else None


def without_unstorable(text: str) -> str:
    """The text without the characters `unstorable_at` finds: for a search term, or a form shown again."""
    return _UNSTORABLE.sub("", text)


def unstorable_message(label: str | None, position: int) -> str:
    """The refusal of a field whose text holds such a character, naming the field and where the character is."""
    if label is None:
        return _("Tekst zawiera niedozwolony, zwykle niewidoczny znak (np. znak sterujący skopiowany z innego "
                 "programu) na pozycji %(position)s. Usuń go i wyślij ponownie.", position=position)
    return _("%(label)s: tekst zawiera niedozwolony, zwykle niewidoczny znak (np. znak sterujący skopiowany z "
             "innego programu) na pozycji %(position)s. Usuń go i wyślij ponownie.", label=label, position=position)


def check_text(value, *, field: str, label: str) -> None:
    """Refuse (naming the field) text the database or a document cannot hold; anything else passes."""
    position = unstorable_at(value)
    if position is not None:
        raise Refused(unstorable_message(label, position), field=field)


@event.listens_for(Session, "before_flush")
def _refuse_unstorable_writes(session, _flush_context, _instances) -> None:
    """The last line: whatever door a value came through (a form, an operation called from an import or the
    CLI), text a column cannot hold is refused before the database sees it, naming the column's attribute
    (forms and operations refuse it earlier, with the field's label). Only values being written are looked at,
    so rows stored before this check can still be edited."""
    for instance in (*session.new, *session.dirty):
        state = inspect(instance)
        for attribute in state.mapper.column_attrs:
            if instance in session.new:
                values = [state.dict.get(attribute.key)]
            else:
                values = state.attrs[attribute.key].history.added or []
            for value in values:
                position = _unstorable_path(value, "")
                if position is not None:
                    raise Refused(unstorable_message(None, position[1]), field=attribute.key)


# --- e-mail addresses --------------------------------------------------------------------------------------

# A valid e-mail address as HTML defines it for <input type="email"> (what the browser checks before sending a
# form, so the server agrees with it), with a dot in the domain: the mail goes out to the internet, where a
# bare host name ("anna@localhost") reaches nobody. Addresses with non-ASCII letters are refused.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
                    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+")


def is_email_address(text) -> bool:
    """Whether `text` (already trimmed) is one e-mail address: name@domain.tld, at most 254 characters (what an
    SMTP server takes, and the column holds) with a local part of at most 64."""
    return (isinstance(text, str) and len(text) <= 254 and _EMAIL.fullmatch(text) is not None
            and len(text.partition("@")[0]) <= 64)


# --- JSON files -------------------------------------------------------------------------------------------

def load_json(text: str | bytes):
    """Parse an imported JSON file, refusing (Refused, in the user's language, naming where) what the parser,
    the schema validator or the database cannot take: nesting deeper than MAX_JSON_DEPTH, text with the
    characters above (also as \\u escapes), numbers beyond what a column holds, invalid UTF-8, bad syntax."""
    if isinstance(text, bytes):
        try:  # UTF-8, or UTF-16/32 as json.loads itself would read bytes
            text = text.decode(json.detect_encoding(text))
        except UnicodeDecodeError as exc:
            raise Refused(_("Plik nie jest poprawnym JSON-em: to nie jest tekst w UTF-8 (bajt %(position)s).",
                            position=exc.start + 1)) from None
    text = text.removeprefix("\ufeff")
    if _nests_too_deep(text):
        raise Refused(_("Plik nie jest poprawnym JSON-em: tablice i obiekty są w nim zagnieżdżone głębiej niż na "
                        "%(max)s poziomów.", max=MAX_JSON_DEPTH))
    try:
        data = json.loads(text, parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise Refused(_("Plik nie jest poprawnym JSON-em: %(problem)s", problem=str(exc))) from None
    except _BadNumber as exc:
        raise Refused(_("Plik nie jest poprawnym JSON-em: liczba %(number)s jest spoza zakresu od %(min)s do "
                        "%(max)s.", number=exc.args[0], min=INT_MIN, max=ID_MAX)) from None
    where = _unstorable_path(data, "")
    if where is not None:
        path, position = where
        raise Refused(unstorable_message(path or _("plik"), position))
    return data


class _BadNumber(ValueError):
    pass


def _json_int(digits: str) -> int:
    value = whole_number(digits)
    if value is None:
        raise _BadNumber(digits if len(digits) <= 24 else f"{digits[:20]}…")
    return value


def _json_float(digits: str) -> float:
    """A number with a fraction or an exponent: the formats hold none but integers, which a schema may let
    through as 2.0 or 2e9, so the same bound applies (and 1e999, infinity, is refused)."""
    value = float(digits)
    if not INT_MIN <= value <= ID_MAX:
        raise _BadNumber(digits if len(digits) <= 24 else f"{digits[:20]}…")
    return value


def _json_constant(name: str):
    """NaN and Infinity are not JSON (Python's parser accepts them)."""
    raise _BadNumber(name)


def _nests_too_deep(text: str) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than MAX_JSON_DEPTH, found without recursing
    (brackets inside strings do not count); for a text that is not JSON the parser then says what is wrong."""
    depth = 0
    for token in _BRACKETS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')  # a string (skipped whole) or a bracket


def _unstorable_path(value, path: str) -> tuple[str, int] | None:
    """Where (as `postulates[3].content`) the first unstorable text of parsed JSON is, keys included."""
    if isinstance(value, str):
        position = unstorable_at(value)
        return (path, position) if position is not None else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _unstorable_path(item, f"{path}[{i}]")
            if found:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            shown = without_unstorable(str(key))  # the message names the key: it must be printable itself
            name = f"{path}.{shown}" if path else shown
            position = unstorable_at(key)
            if position is not None:
                return (name, position)
            found = _unstorable_path(item, name)
            if found:
                return found
    return None
