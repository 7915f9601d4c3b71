"""The public text of a postulate: the words coordinators redacted replaced by a mark.

The stored public text holds MARK (a private-use character) where words were removed, so that it reads
"[usunięto]" in the reader's language and a search for the mark's words finds nothing.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

MARK = "\ue000"


def redacted(text: str | None, words: list[str]) -> str | None:
    """`text` with every occurrence of each of `words` (letter case aside) replaced by MARK; None without words
    (or without text)."""
    if not words or text is None:
        return None
    # the longest first: "Jan Kowalski" goes whole even when "Kowalski" is redacted too
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(MARK, text)


def occurs(text: str, words: str) -> bool:
    return words.casefold() in text.casefold()


def public_text_of(content, public_content: str | None):
    """What the public reads of a postulate whose two columns were selected as plain values."""
    return shown_marks(public_content) if public_content is not None else content


def shown_marks(public_content: str) -> str:
    return public_content.replace(MARK, _("[usunięto]"))
