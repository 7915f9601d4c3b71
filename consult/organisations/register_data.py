"""What an organisation's profile is chosen from: Kraków's districts and the spheres of public benefit.

Data, not code: a city other than Kraków replaces DISTRICTS; SPHERES follows art. 4 ust. 1 of the Act of 24 April 2003
on Public Benefit Activity and Volunteering (ustawa o działalności pożytku publicznego i o wolontariacie) in its
consolidated text. Codes are stable (stored in the database); labels are translated.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Kraków's 18 districts (dzielnice), by their Roman numbers.
DISTRICTS = {
    "I": "Stare Miasto",
    "II": "Grzegórzki",
    "III": "Prądnik Czerwony",
    "IV": "Prądnik Biały",
    "V": "Krowodrza",
    "VI": "Bronowice",
    "VII": "Zwierzyniec",
    "VIII": "Dębniki",
    "IX": "Łagiewniki-Borek Fałęcki",
    "X": "Swoszowice",
    "XI": "Podgórze Duchackie",
    "XII": "Bieżanów-Prokocim",
    "XIII": "Podgórze",
    "XIV": "Czyżyny",
    "XV": "Mistrzejowice",
    "XVI": "Bieńczyce",
    "XVII": "Wzgórza Krzesławickie",
    "XVIII": "Nowa Huta",
}


def district_label(code: str | None) -> str:
    """"IV Prądnik Biały" (district names are proper names: not translated)."""
    return f"{code} {DISTRICTS[code]}" if code in DISTRICTS else ""


# Art. 4 ust. 1: the spheres of public tasks (sfery zadań publicznych), by the point's number.
SPHERES = {
    "1": _l("pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej oraz wyrównywanie szans "
            "tych rodzin i osób"),
    "1a": _l("wspieranie rodziny i systemu pieczy zastępczej"),
    "1b": _l("nieodpłatna pomoc prawna, nieodpłatne poradnictwo obywatelskie oraz zwiększanie świadomości prawnej "
             "społeczeństwa"),
    "2": _l("integracja i reintegracja zawodowa i społeczna osób zagrożonych wykluczeniem społecznym"),
    "3": _l("działalność charytatywna"),
    "4": _l("podtrzymywanie i upowszechnianie tradycji narodowej, pielęgnowanie polskości oraz rozwój świadomości "
            "narodowej, obywatelskiej i kulturowej"),
    "5": _l("działalność na rzecz mniejszości narodowych i etnicznych oraz języka regionalnego"),
    "5a": _l("działalność na rzecz integracji cudzoziemców"),
    "6": _l("ochrona i promocja zdrowia, w tym działalność lecznicza"),
    "7": _l("działalność na rzecz osób niepełnosprawnych"),
    "8": _l("promocja zatrudnienia i aktywizacja zawodowa osób pozostających bez pracy i zagrożonych zwolnieniem "
            "z pracy"),
    "9": _l("działalność na rzecz równych praw kobiet i mężczyzn"),
    "10": _l("działalność na rzecz osób w wieku emerytalnym"),
    "11": _l("działalność wspomagająca rozwój gospodarczy, w tym rozwój przedsiębiorczości"),
    "12": _l("działalność wspomagająca rozwój techniki, wynalazczości i innowacyjności"),
    "13": _l("działalność wspomagająca rozwój wspólnot i społeczności lokalnych"),
    "14": _l("nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie"),
    "15": _l("działalność na rzecz dzieci i młodzieży, w tym wypoczynek dzieci i młodzieży"),
    "16": _l("kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego"),
    "17": _l("wspieranie i upowszechnianie kultury fizycznej"),
    "18": _l("ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego"),
    "19": _l("turystyka i krajoznawstwo"),
    "20": _l("porządek i bezpieczeństwo publiczne"),
    "21": _l("obronność państwa i działalność Sił Zbrojnych Rzeczypospolitej Polskiej"),
    "22": _l("upowszechnianie i ochrona wolności i praw człowieka oraz swobód obywatelskich, a także działania "
             "wspomagające rozwój demokracji"),
    "23": _l("ratownictwo i ochrona ludności"),
    "24": _l("pomoc ofiarom katastrof, klęsk żywiołowych, konfliktów zbrojnych i wojen w kraju i za granicą"),
    "25": _l("upowszechnianie i ochrona praw konsumentów"),
    "26": _l("działalność na rzecz integracji europejskiej oraz rozwijanie kontaktów i współpracy między "
             "społeczeństwami"),
    "27": _l("promocja i organizacja wolontariatu"),
    "28": _l("pomoc Polonii i Polakom za granicą"),
    "29": _l("działalność na rzecz kombatantów i osób represjonowanych"),
    "30": _l("promocja Rzeczypospolitej Polskiej za granicą"),
    "31": _l("działalność na rzecz rodziny, macierzyństwa, rodzicielstwa, upowszechniania i ochrony praw dziecka"),
    "32": _l("przeciwdziałanie uzależnieniom i patologiom społecznym"),
    "32a": _l("rewitalizacja"),
    "33": _l("działalność na rzecz organizacji pozarządowych oraz podmiotów wymienionych w art. 3 ust. 3, "
             "w zakresie określonym w pkt 1–32a"),
}


def sphere_label(code: str) -> str:
    """"pkt 16: kultura, sztuka, ..." in the reader's language."""
    return f"{code}. {SPHERES[code]}" if code in SPHERES else code


def _folded(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def sphere_wording(code: str) -> str:
    """The sphere as the Act words it, in Polish whatever the reader's language (what a call's announcement
    prints and stores)."""
    from flask_babel import force_locale

    with force_locale("pl"):
        return " ".join(str(SPHERES[code]).split())


def sphere_code_of(text: str | None) -> str | None:
    """The code of SPHERES a written sphere names: its Polish wording, with or without its number ("1a. ..."),
    whatever the spaces and letter case; None when it names none of them (a call's free text of before)."""
    folded = _folded(text or "")
    if not folded:
        return None
    for code in SPHERES:
        wording = _folded(sphere_wording(code))
        if folded in (wording, f"{code}. {wording}"):
            return code
    return None


# An organisation registered by a coordinator (or before self-registration existed) is verified; one that a person
# registers for themselves waits for a coordinator or administrator to verify it before it may file anything.
ORGANISATION_STATUSES = {
    "pending": _l("czeka na weryfikację"),
    "verified": _l("zweryfikowana"),
    "refused": _l("weryfikacja odmówiona"),
}

# Who may submit a postulate or an offer on the organisation's behalf (the organisation's own choice).
SUBMIT_POLICIES = {
    "members": _l("każdy członek organizacji"),
    "administrators": _l("tylko administratorzy organizacji"),
}
