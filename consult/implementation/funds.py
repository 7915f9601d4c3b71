"""The funds of an activity ("Wysokość środków") read as amounts: a list of (amount in grosze, source label).

A cell of the city's report may hold several amounts with their sources, one under the other or joined by "+"
("3 431 443,00 zł + 820 208,00 zł", "3 431 443,00 zł (budżet Miasta) + 820 208,00 zł (dotacja Wojewody)",
"budżet Miasta: 100 000,00 zł; dotacja: 5 000 zł"). The text as written stays what the report shows; the amounts
are what is summed per task and goal. Parts are separated by "+", ";" or a line break; each part holds one amount
(the number written with "zł" or "PLN" when the part has several numbers, so "820 208,00 zł (dotacja 2024)" is one
amount) and, around it, the label of its source.

Pure Python (no Flask): the migration that reads the cells written before amounts existed uses it too. A cell
that cannot be read raises FundsError saying which part and why; callers word it for the person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MAX_SOURCE = 200
# Polish: "3 431 443,00", "3431443,00", "3.431.443,00", "1000"; a group separator is a space (also no-break) or
# a dot, the decimal sign a comma (or a dot followed by one or two digits, as people type "1250.50").
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d{1,2})?|\d+(?:[,.]\d{1,2})?"
_CURRENCY = r"(?:zł|zl|pln|złotych)"
_WITH_CURRENCY = re.compile(rf"(?<![\d,.])(?:{_CURRENCY}\s*)?({_NUMBER})\s*{_CURRENCY}\.?(?![\w])"
                            rf"|(?<![\w])(?:{_CURRENCY})\s*({_NUMBER})(?![\d,])", re.IGNORECASE)
_BARE = re.compile(rf"(?<![\d,.])({_NUMBER})(?![\d,])")
_PARTS = re.compile(r"\s*(?:\+|;|\n)\s*")
_EDGES = " \t\u00a0:;,.–—-=/"


class FundsError(ValueError):
    """Why a cell's funds cannot be read: `part` is the piece of text that could not be read."""

    def __init__(self, reason: str, part: str):
        super().__init__(f"{reason}: {part!r}")
        self.reason = reason  # "no_amount" | "several_amounts" | "source_too_long"
        self.part = part


@dataclass(frozen=True)
class Amount:
    grosze: int
    source: str = ""

    @property
    def zloty(self) -> Decimal:
        return Decimal(self.grosze) / 100

    def as_json(self) -> dict:
        return {"grosze": self.grosze, "source": self.source}


def _grosze(number: str) -> int:
    number = re.sub(r"[ \u00a0\u202f]", "", number)
    if re.search(r"\.\d{3}", number):  # dots between groups of three: "3.431.443,00"
        number = number.replace(".", "")
    whole, _sep, fraction = number.replace(",", ".").partition(".")
    return int(whole) * 100 + int(fraction.ljust(2, "0"))


def _source(part: str, span: tuple[int, int]) -> str:
    label = " ".join((part[:span[0]] + " " + part[span[1]:]).split()).strip(_EDGES)
    while label.startswith("(") and label.endswith(")") and label.count("(") == 1:
        label = label[1:-1].strip(_EDGES)
    if label.startswith("(") and ")" not in label:
        label = label[1:].strip(_EDGES)
    if label.endswith(")") and "(" not in label:
        label = label[:-1].strip(_EDGES)
    return label


def parse_funds(text: str | None) -> list[Amount]:
    """The amounts of a cell, in order; [] for an empty cell. Raises FundsError for a part with no amount or with
    several amounts none of which is marked as one (with "zł" or "PLN")."""
    amounts = []
    for part in _PARTS.split(text or ""):
        if not part.strip(_EDGES + "()"):
            continue  # an empty line, a lone "+" or the dot closing "820 208,00 zł."
        marked = list(_WITH_CURRENCY.finditer(part))
        matches = marked or list(_BARE.finditer(part))
        if not matches:
            raise FundsError("no_amount", part.strip())
        if len(matches) > 1:
            raise FundsError("several_amounts", part.strip())
        match = matches[0]
        number = match.group(1) or match.group(2) if marked else match.group(1)
        source = _source(part, match.span())
        if len(source) > MAX_SOURCE:
            raise FundsError("source_too_long", part.strip())
        amounts.append(Amount(grosze=_grosze(number), source=source))
    return amounts


def amounts_from_json(value) -> list[Amount] | None:
    if value is None:
        return None
    return [Amount(grosze=int(item["grosze"]), source=item.get("source") or "") for item in value]


def total_grosze(amounts: list[Amount] | None) -> int:
    return sum(a.grosze for a in amounts or ())
