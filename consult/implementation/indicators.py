"""Indicators stated as numbers in a planned and a realised cell, and the share realised of each.

"10 900 usług poradnictwa rodzinnego i terapii" planned and "10 801 usług poradnictwa rodzinnego i terapii"
realised give one share, 99,1%. A cell may state several indicators ("4 spotkania, 32 uczestników"); numbers
use spaces or no-break spaces between thousands and a comma before decimals ("4 877,29 godzin usługi").

Two indicators are the same when the words after their numbers agree, word by word, over the words both
have (at most the first three), where two words agree if they differ only in their Polish ending
("godzin"/"godziny", "kontroli"/"kontrole", "spotkań"/"spotkania"). What does not match is left alone: no
share is guessed. Years ("w 2024 roku") are not indicators. Pure functions: no Flask, no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

_SPACE = "[ \u00a0\u202f]"
# A number that does not continue a word or another number: 10 900, 1 703, 4 877,29, 15,48, 605.
_NUMBER = re.compile(rf"(?<![\w,.])(\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?:,(\d+))?(?![\d])")
# Where an indicator's words end: a separator, a dash between spaces, a bracket, or the next number.
_LABEL_END = re.compile(r"[,;(]|\s[-–—]\s|\s\d")
_WORD = re.compile(r"[^\W\d_]+(?:[-/][^\W\d_]+)*", re.UNICODE)
_YEAR_WORDS = ("r", "rok", "roku")
MAX_WORDS = 3


@dataclass(frozen=True)
class Indicator:
    value: Decimal
    label: str  # the words after the number, as written
    words: tuple[str, ...]  # lower-cased words of the label, for matching


@dataclass(frozen=True)
class Share:
    label: str  # the planned indicator's words
    planned: Decimal
    realised: Decimal
    percent: Decimal  # realised / planned * 100, to one decimal place

    @property
    def text(self) -> str:
        """"99,1%" – as a Polish document writes it."""
        return f"{self.percent:f}".replace(".", ",") + "%"


def parse_number(digits: str, decimals: str | None) -> Decimal:
    whole = re.sub(_SPACE, "", digits)
    return Decimal(f"{whole}.{decimals}") if decimals else Decimal(whole)


def indicators(cell: str | None) -> list[Indicator]:
    """Each number in the cell with the words that follow it (a number with no words is not an indicator)."""
    found = []
    text = cell or ""
    for m in _NUMBER.finditer(text):
        rest = text[m.end():]
        end = _LABEL_END.search(rest)
        label = (rest[:end.start()] if end else rest).strip()
        words = tuple(w.lower() for w in _WORD.findall(label))
        if not words or words[0] in _YEAR_WORDS:  # "w 2024 roku", "2024 r.": a year, not an indicator
            continue
        found.append(Indicator(parse_number(m.group(1), m.group(2)), label, words))
    return found


def same_word(a: str, b: str) -> bool:
    """Forms of one word: they share a stem and differ in at most three closing letters."""
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= max(3, min(len(a), len(b)) - 3) and abs(len(a) - len(b)) <= 3


def _affinity(p: Indicator, r: Indicator) -> int:
    """How many words two indicators agree on (0: they are not the same indicator)."""
    n = min(MAX_WORDS, len(p.words), len(r.words))
    if not all(same_word(a, b) for a, b in zip(p.words[:n], r.words[:n])):
        return 0
    return n


def shares(planned: str | None, realised: str | None) -> list[Share]:
    """The share realised of each planned indicator the realised cell states too, in the planned order."""
    plan, done = indicators(planned), indicators(realised)
    # The best agreement first; among equals the pair whose places in their cells are nearest (cells list
    # their indicators in the same order), then the earlier one.
    pairs = sorted((-_affinity(p, r), abs(i - j), i, j) for i, p in enumerate(plan) for j, r in enumerate(done))
    taken_p, taken_r, matched = set(), set(), {}
    for score, _distance, i, j in pairs:
        if score == 0:
            break
        if i in taken_p or j in taken_r:
            continue
        taken_p.add(i)
        taken_r.add(j)
        matched[i] = j
    out = []
    for i, p in enumerate(plan):
        if i not in matched or p.value == 0:
            continue
        r = done[matched[i]]
        percent = (r.value * 100 / p.value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        out.append(Share(label=p.label, planned=p.value, realised=r.value, percent=percent))
    return out
