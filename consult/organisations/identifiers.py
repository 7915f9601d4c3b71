"""Polish register numbers of organisations: NIP, REGON (9 and 14 digits) and KRS.

Each checker returns None for a valid number or a message for the user.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def normalise(value: str | None) -> str:
    """Strip the separators people type (spaces, dashes, dots) and a "PL" prefix of a NIP."""
    value = (value or "").strip().upper()
    if value.startswith("PL"):
        value = value[2:]
    return re.sub(r"[\s\-.]", "", value)


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11


def nip_is_valid(nip: str) -> bool:
    if not re.fullmatch(r"\d{10}", nip):
        return False
    check = _weighted(nip, NIP_WEIGHTS)
    return check != 10 and check == int(nip[9])


def regon_is_valid(regon: str) -> bool:
    if re.fullmatch(r"\d{9}", regon):
        return _weighted(regon, REGON9_WEIGHTS) % 10 == int(regon[8])
    if re.fullmatch(r"\d{14}", regon):
        return regon_is_valid(regon[:9]) and _weighted(regon, REGON14_WEIGHTS) % 10 == int(regon[13])
    return False


def krs_is_valid(krs: str) -> bool:
    return bool(re.fullmatch(r"\d{10}", krs))


def check_nip(value: str) -> str | None:
    nip = normalise(value)
    if not re.fullmatch(r"\d{10}", nip):
        return str(_l("NIP składa się z 10 cyfr."))
    if not nip_is_valid(nip):
        return str(_l("NIP %(nip)s ma błędną cyfrę kontrolną – sprawdź, czy nie ma literówki.", nip=nip))
    return None


def check_regon(value: str) -> str | None:
    regon = normalise(value)
    if not re.fullmatch(r"\d{9}|\d{14}", regon):
        return str(_l("REGON składa się z 9 albo 14 cyfr."))
    if not regon_is_valid(regon):
        return str(_l("REGON %(regon)s ma błędną cyfrę kontrolną – sprawdź, czy nie ma literówki.", regon=regon))
    return None


def check_krs(value: str) -> str | None:
    if not krs_is_valid(normalise(value)):
        return str(_l("Numer KRS składa się z 10 cyfr (z zerami na początku, np. 0000123456)."))
    return None
