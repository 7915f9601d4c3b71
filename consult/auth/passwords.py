"""What makes a password acceptable: at least MIN_LENGTH characters, and none of the passwords people pick most.

The list of common passwords is the one zxcvbn ships (the 30,000 passwords most frequent in leaked password
dumps, kept with that maintained package as data), read once. A password is refused when it is on the list
(ignoring case), when it is a listed password followed by digits or punctuation ("password123456" is
"password" to anyone who guesses), when it is one character or one listed password repeated, and when it
contains the person's own e-mail address or its name part.
"""
from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import gettext as _

MIN_LENGTH = 12


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def _is_common(password: str) -> bool:
    lowered = password.lower()
    common = common_passwords()
    if lowered in common:
        return True
    stem = re.sub(r"[\d\W_]+$", "", lowered)
    if stem and stem in common and len(stem) >= 4:
        return True
    if len(set(lowered)) <= 2:
        return True
    for size in range(1, len(lowered) // 2 + 1):  # "qwertyqwerty", "abcabcabcabc"
        if len(lowered) % size == 0 and lowered[:size] * (len(lowered) // size) == lowered:
            return True
    return False


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why the password may not be used (a message in the user's language), or None when it may."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _("Hasło musi mieć co najmniej %(n)s znaków.", n=MIN_LENGTH)
    if _is_common(password):
        return _("To hasło jest na liście najczęściej używanych haseł i łatwo je odgadnąć. Wybierz inne, "
                 "np. kilka przypadkowych słów.")
    if email:
        email = email.strip().lower()
        local = email.split("@", 1)[0]
        lowered = password.lower()
        if email in lowered or (len(local) >= 4 and local in lowered):
            return _("Hasło nie może zawierać Twojego adresu e-mail.")
    return None
