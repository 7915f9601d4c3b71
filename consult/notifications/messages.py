"""The short message a notification shows in the application (/powiadomienia), in the reader's language.

The e-mail of a notification is written once, in its recipient's language, and kept (subject, body). The page
does not show that text: it writes a one-sentence message when it is shown, in the language the reader reads
the page in, from the notification's kind and its parameters (`Notification.params`: references, titles,
dates as ISO text, amounts as decimal text - facts, no words), next to a link to the thing it is about.

MESSAGES maps each kind to a function of the parameters that returns the message. A new kind of notification
adds its entry here (its writer in consult/notifications/operations.py passes `params=`), e.g.

    "position_due": lambda p: _("Termin stanowiska komórki %(unit)s w sprawie postulatu %(ref)s mija %(date)s.",
                                unit=p["unit"], ref=p["ref"], date=p.day("due_on")),

A kind without an entry, or a notification written before parameters were kept, shows its e-mail's subject.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask_babel import gettext as _

from consult.i18n import format_amount, format_day, format_moment


class Params:
    """A notification's parameters as a message reads them: `p["ref"]` as stored, and formatted in the reader's
    language: `p.day("date")` (a date), `p.moment("closes")` (an instant, in Kraków's time), `p.amount("amount")`
    (złoty), `p.number("n")`."""

    def __init__(self, raw: dict | None):
        self.raw = raw or {}

    def __getitem__(self, key: str):
        return self.raw[key]

    def get(self, key: str, default=None):
        return self.raw.get(key, default)

    def day(self, key: str) -> str:
        return format_day(date.fromisoformat(self.raw[key]))

    def moment(self, key: str) -> str:
        return format_moment(datetime.fromisoformat(self.raw[key]))

    def amount(self, key: str) -> str:
        return format_amount(self.raw[key])

    def number(self, key: str) -> int:
        return int(self.raw[key])


def _grant_report_accepted(p: Params) -> str:
    if p.get("partial"):
        return _("Przyjęto sprawozdanie częściowe nr %(n)s z realizacji oferty %(offer)s.", n=p["partial"],
                 offer=p["offer"])
    if p.get("call"):
        return _("Przyjęto sprawozdanie z realizacji oferty %(offer)s (konkurs „%(call)s”). "
                 "Niewykorzystana dotacja do zwrotu: %(amount)s.", offer=p["offer"], call=p["call"],
                 amount=p.amount("unspent"))
    return _("Przyjęto sprawozdanie z realizacji małego grantu %(offer)s. Niewykorzystana dotacja do zwrotu: "
             "%(amount)s.", offer=p["offer"], amount=p.amount("unspent"))


def _call_results(p: Params) -> str:
    if p["granted"]:
        return _("Wyniki konkursu „%(call)s”: Twoja oferta %(offer)s otrzymała dotację w kwocie %(amount)s.",
                 call=p["call"], offer=p["offer"], amount=p.amount("amount"))
    return _("Wyniki konkursu „%(call)s”: Twoja oferta %(offer)s nie otrzymała dotacji.",
             call=p["call"], offer=p["offer"])


def _postulate_assigned(p: Params) -> str:
    if p.get("due_on"):
        return _("Postulat %(ref)s czeka na stanowisko Twojej komórki (%(unit)s) do %(date)s.", ref=p["ref"],
                 unit=p["unit"], date=p.day("due_on"))
    return _("Postulat %(ref)s czeka na stanowisko Twojej komórki (%(unit)s).", ref=p["ref"], unit=p["unit"])


def _consultation_closing(p: Params) -> str:
    text = _("Konsultacje programu „%(programme)s” kończą się %(when)s.", programme=p["programme"],
             when=p.moment("closes"))
    if p.get("drafts"):
        text += " " + _("Twoja organizacja ma niezłożone szkice postulatów: %(n)s.", n=p.number("drafts"))
    return text


def _join_decided(p: Params) -> str:
    if p["approved"]:
        return _("Przyjęto Cię do organizacji %(organisation)s.", organisation=p["organisation"])
    return _("Odrzucono Twoją prośbę o dołączenie do organizacji %(organisation)s.", organisation=p["organisation"])


def _organisation_decided(p: Params) -> str:
    if p["verified"]:
        return _("Organizacja %(organisation)s została zweryfikowana i może składać postulaty i oferty.",
                 organisation=p["organisation"])
    return _("Rejestracja organizacji %(organisation)s została odrzucona.", organisation=p["organisation"])


MESSAGES: dict[str, Callable[[Params], str]] = {
    "email_confirmation": lambda p: _("Wysłano link potwierdzający adres %(email)s.", email=p["email"]),
    "join_requested": lambda p: _("%(person)s prosi o dołączenie do organizacji %(organisation)s.",
                                  person=p["person"], organisation=p["organisation"]),
    "join_decided": _join_decided,
    "organisation_decided": _organisation_decided,
    "organisation_registered": lambda p: _("Organizacja %(organisation)s zarejestrowała się i czeka na weryfikację.",
                                           organisation=p["organisation"]),
    "member_removed": lambda p: _("Usunięto Cię z członków organizacji %(organisation)s.",
                                  organisation=p["organisation"]),
    "postulate_assigned": _postulate_assigned,
    "position_due": lambda p: _("Termin stanowiska komórki %(unit)s w sprawie postulatu %(ref)s mija %(date)s.",
                                unit=p["unit"], ref=p["ref"], date=p.day("due_on")),
    "commitment_due": lambda p: _("Termin zobowiązania ze stanowiska w sprawie postulatu %(ref)s mija %(date)s: "
                                  "%(what)s", ref=p["ref"], date=p.day("due_on"), what=p["what"]),
    "postulate_carried": lambda p: _("Postulat %(ref_from)s przeniesiono do konsultacji programu na rok %(year)s "
                                     "jako postulat %(ref)s.", ref_from=p["ref_from"], year=p["year"], ref=p["ref"]),
    "position_published": lambda p: _("Opublikowano stanowisko w sprawie postulatu %(ref)s.", ref=p["ref"]),
    "summary_published": lambda p: _("Opublikowano podsumowanie spotkania „%(title)s” z %(date)s (wersja %(n)s).",
                                     title=p["title"], date=p.day("date"), n=p.number("version")),
    "consultation_closing": _consultation_closing,
    "offers_deadline": lambda p: _("Termin składania ofert w konkursie „%(call)s” mija %(when)s, a Twoja "
                                   "organizacja ma niezłożone oferty robocze.", call=p["call"],
                                   when=p.moment("deadline")),
    "call_results": _call_results,
    "booking_accepted": lambda p: _("Przyjęto rezerwację sali „%(room)s” w miejscu „%(place)s” od %(when)s.",
                                    room=p["room"], place=p["place"], when=p.moment("starts")),
    "booking_changes_requested": lambda p: _("Operator miejsca „%(place)s” prosi o zmiany we wniosku o salę "
                                             "„%(room)s”.", room=p["room"], place=p["place"]),
    "booking_refused": lambda p: _("Operator miejsca „%(place)s” odrzucił wniosek o salę „%(room)s”.",
                                   room=p["room"], place=p["place"]),
    "small_grant_received": lambda p: _("Przyjęto ofertę w trybie art. 19a %(ref)s „%(title)s”.",
                                        ref=p["ref"], title=p["title"]),
    "small_grant_to_judge": lambda p: _("Oferta w trybie art. 19a %(ref)s „%(title)s” czeka na ocenę celowości.",
                                        ref=p["ref"], title=p["title"]),
    "small_grant_judged": lambda p: (
        _("Oferta %(ref)s uznana za celową: uwagi można zgłaszać do %(day)s.", ref=p["ref"], day=p.day("until"))
        if p.get("until") else _("Oferta %(ref)s nie została uznana za celową.", ref=p["ref"])),
    "small_grant_decided": lambda p: (
        _("Mały grant %(ref)s: przyznano dotację w kwocie %(amount)s.", ref=p["ref"], amount=p.amount("amount"))
        if p.get("amount") else _("Mały grant %(ref)s: nie przyznano dotacji.", ref=p["ref"])),
    "booking_reminder": lambda p: _("Jutro: „%(title)s” w sali „%(room)s” (%(place)s), %(when)s.",
                                    title=p["title"], room=p["room"], place=p["place"], when=p.moment("starts")),
    "booking_cancelled": lambda p: _("Odwołano rezerwację „%(title)s” w sali „%(room)s” (%(place)s) od %(when)s; "
                                     "sala jest wolna.", title=p["title"], room=p["room"], place=p["place"],
                                     when=p.moment("starts")),
    "correction_requested": lambda p: _("Popraw ofertę %(offer)s w konkursie „%(call)s” do %(when)s.",
                                        offer=p["offer"], call=p["call"], when=p.moment("deadline")),
    "password_reset": lambda p: _("Wysłano e-mail z linkiem do ustawienia nowego hasła (ważnym do %(when)s).",
                                  when=p.moment("expires")),
    "email_change": lambda p: _("Wysłano link potwierdzający nowy adres e-mail %(address)s (ważny do %(when)s).",
                                address=p["address"], when=p.moment("expires")),
    "email_changed": lambda p: _("Adres e-mail Twojego konta zmieniono z %(old)s na %(new)s.", old=p["old"],
                                 new=p["new"]),
    "invitation": lambda p: _("Wysłano zaproszenie do założenia konta (link ważny do %(when)s).",
                              when=p.moment("expires")),
    "grant_report_accepted": _grant_report_accepted,
    "grant_report_corrections": lambda p: (
        _("Komórka prosi o poprawienie sprawozdania częściowego nr %(n)s z realizacji oferty %(offer)s.",
          n=p["partial"], offer=p["offer"]) if p.get("partial")
        else _("Komórka prosi o poprawienie sprawozdania z realizacji oferty %(offer)s.", offer=p["offer"])),
    "grant_report_due": lambda p: (
        _("Sprawozdanie częściowe nr %(n)s z realizacji oferty %(offer)s trzeba złożyć do %(date)s.",
          n=p["partial"], offer=p["offer"], date=p.day("due_on")) if p.get("partial")
        else _("Sprawozdanie z realizacji oferty %(offer)s trzeba złożyć do %(date)s.",
               offer=p["offer"], date=p.day("due_on"))),
    "grant_report_overdue": lambda p: (
        _("Minął termin sprawozdania częściowego nr %(n)s z realizacji oferty %(offer)s (%(date)s).",
          n=p["partial"], offer=p["offer"], date=p.day("due_on")) if p.get("partial")
        else _("Minął termin sprawozdania z realizacji oferty %(offer)s (%(date)s).",
               offer=p["offer"], date=p.day("due_on"))),
    "grant_report_submitted": lambda p: (
        _("Organizacja złożyła sprawozdanie częściowe nr %(n)s z realizacji oferty %(offer)s: czeka na ocenę.",
          n=p["partial"], offer=p["offer"]) if p.get("partial")
        else _("Organizacja złożyła sprawozdanie z realizacji oferty %(offer)s: czeka na ocenę.", offer=p["offer"])),
    "grant_report_scheduled": lambda p: _(
        "Komórka wyznaczyła sprawozdanie częściowe nr %(n)s z realizacji oferty %(offer)s za okres %(from)s – "
        "%(to)s: termin złożenia %(date)s.", n=p["partial"], offer=p["offer"], date=p.day("due_on"),
        **{"from": p.day("period_from"), "to": p.day("period_to")}),
    "small_grant_comment_link": lambda p: _("Wysłano link potwierdzający uwagę do oferty %(ref)s.", ref=p["ref"]),
    "small_grant_judge_due": lambda p: _("Celowość zadania z oferty w trybie art. 19a %(ref)s „%(title)s” trzeba "
                                         "ocenić do %(day)s.", ref=p["ref"], title=p["title"], day=p.day("judge_by")),
    "small_grant_judge_overdue": lambda p: _("Minął termin oceny celowości oferty w trybie art. 19a %(ref)s "
                                             "„%(title)s” (%(day)s), komórka: %(unit)s.", ref=p["ref"],
                                             title=p["title"], day=p.day("judge_by"), unit=p["unit"]),
    "filing_receipt": lambda p: _("Potwierdzenie złożenia %(ref)s „%(title)s” %(when)s: PDF (wersja %(n)s).",
                                  ref=p["ref"], title=p["title"], when=p.moment("filed_at"), n=p.number("version")),
}


def message_of(note) -> str:
    """The notification's message in the current language (the reader's): from MESSAGES, else its subject."""
    write = MESSAGES.get(note.kind)
    if write is None or not note.params:
        return note.subject
    try:
        return write(Params(note.params))
    except (KeyError, TypeError, ValueError):  # parameters of an older shape: the subject still says what it is
        return note.subject
