"""What changed in a provision between two versions, word by word, as HTML that says it in words too.

Each insertion is <ins> and each deletion <del>, and each begins with a visually hidden "dodano:" / "usunięto:"
(shown on a printout and in the PDF) so that a screen reader and a black-and-white page tell them apart, not the
colour alone.
"""
from __future__ import annotations

import difflib
import re

from flask_babel import gettext as _
from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def _marked(tag: str, label: str, words: list[str]) -> str:
    text = "".join(words)
    if not text.strip():
        return str(escape(text))
    return f'<{tag}><span class="diff-label">{escape(label)} </span>{escape(text)}</{tag}>'


def word_diff(old: str | None, new: str | None) -> Markup:
    """`new` with what differs from `old` marked: deletions, then insertions, each in its place."""
    a, b = tokens(old or ""), tokens(new or "")
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            out.append(_marked("del", _("usunięto:"), a[i1:i2]))
        if op in ("insert", "replace"):
            out.append(_marked("ins", _("dodano:"), b[j1:j2]))
    return Markup("".join(out))


def changed(old_row, new_row) -> bool:
    """Whether a provision differs between two snapshots (None: it was not in that version)."""
    if old_row is None or new_row is None:
        return old_row is not new_row
    return (old_row.heading, old_row.text, old_row.number) != (new_row.heading, new_row.text, new_row.number)
