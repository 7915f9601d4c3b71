"""The kinds of record that hold personal data, as data: what each holds, from when its period runs, which of its
records are past the period, and how they are anonymised. What an organisation filed (postulates, offers, booked
rooms' titles) is not here: it stays; only the people's names, addresses and messages go.

Each kind's `overdue(cutoff)` is a query of the ids past the period (the period ended before `cutoff`) that are not
anonymised yet, so a second run finds nothing; `anonymise(ids)` takes the personal data out of those rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_

from consult.core.types import to_warsaw
from consult.extensions import db

ANONYMOUS = "osoba anonimowa"
MEETING_PERSONS_BASIS = (
    "art. 6 ust. 1 lit. a i e RODO (konsultacje programu współpracy, art. 5 ust. 5 ustawy o działalności pożytku "
    "publicznego i o wolontariacie); lista obecności dokumentuje spotkanie branżowe, po tym czasie imię i nazwisko "
    "osoby prywatnej nie jest potrzebne.")

SMALL_GRANT_COMMENTS_BASIS = (
    "art. 6 ust. 1 lit. e RODO (uwagi do oferty w trybie art. 19a ust. 3 i 5 ustawy o działalności pożytku "
    "publicznego i o wolontariacie); imię i nazwisko oraz adres e-mail autora uwagi służą jej potwierdzeniu i "
    "rozpatrzeniu oferty, po tym czasie nie są potrzebne.")


@dataclass(frozen=True)
class Kind:
    key: str
    label: object  # lazy text: the kind of record in the reader's language
    counted_from: object  # lazy text: the moment the period runs from
    done: object  # lazy text: what anonymising does to it
    months: int  # the default period, seeded by the migration
    legal_basis: str  # the default legal basis (data, in Polish, as an administrator would write it)
    overdue: Callable[[datetime], object]  # cutoff -> select of ids
    anonymise: Callable[[list[int]], None]


def _not_erased(user_class):
    from consult.auth.privacy import ERASED_DOMAIN

    return ~user_class.email.like(f"%@{ERASED_DOMAIN}")


def _unconfirmed_overdue(cutoff):
    from consult.auth.models import User

    return db.select(User.id).where(User.email_confirmed_at.is_(None), _not_erased(User),
                                    func.coalesce(User.invited_at, User.created_at) < cutoff)


def _deactivated_overdue(cutoff):
    from consult.auth.models import User
    from consult.core.models import AuditEvent

    deactivated_since = exists().where(AuditEvent.subject_type == "user", AuditEvent.subject_id == User.id,
                                       AuditEvent.action == "deactivate", AuditEvent.occurred_at >= cutoff)
    return db.select(User.id).where(User.active.is_(False), User.email_confirmed_at.is_not(None), _not_erased(User),
                                    func.coalesce(User.last_login_at, User.created_at) < cutoff, ~deactivated_since)


def _anonymise_accounts(ids):
    from consult.auth.models import User
    from consult.auth.privacy import anonymise_account

    for user in db.session.scalars(db.select(User).where(User.id.in_(ids)).order_by(User.id)):
        anonymise_account(user)
        user.end_sessions()


def _join_requests_overdue(cutoff):
    from consult.membership.models import JoinRequest

    return db.select(JoinRequest.id).where(JoinRequest.status != "pending", JoinRequest.decided_at < cutoff)


def _delete_join_requests(ids):
    from consult.membership.models import JoinRequest

    db.session.execute(db.delete(JoinRequest).where(JoinRequest.id.in_(ids)))


def _bookings_overdue(cutoff):
    from consult.places.models import BookingRequest

    last_day = to_warsaw(cutoff).date()
    return db.select(BookingRequest.id).where(
        BookingRequest.responsible_name != ANONYMOUS,
        or_(and_(BookingRequest.until.is_(None), BookingRequest.ends_at < cutoff),
            and_(BookingRequest.until.is_not(None), BookingRequest.until < last_day)))


def _anonymise_bookings(ids):
    from consult.places.models import BookingRequest

    for booking in db.session.scalars(db.select(BookingRequest).where(BookingRequest.id.in_(ids))):
        booking.responsible_name, booking.responsible_contact = ANONYMOUS, ""


def _attempts_overdue(cutoff):
    from consult.auth.models import AccessAttempt

    return db.select(AccessAttempt.id).where(AccessAttempt.occurred_at < cutoff)


def _delete_attempts(ids):
    from consult.auth.models import AccessAttempt

    db.session.execute(db.delete(AccessAttempt).where(AccessAttempt.id.in_(ids)))


def _notifications_overdue(cutoff):
    from consult.notifications.models import Notification

    # A queued e-mail is still to be delivered; its body goes once it was sent, failed or kept unsent.
    return db.select(Notification.id).where(Notification.state != "queued", Notification.created_at < cutoff,
                                            or_(Notification.body != "", Notification.address.is_not(None)))


def _empty_notifications(ids):
    from consult.notifications.models import Notification

    db.session.execute(db.update(Notification).where(Notification.id.in_(ids)).values(body="", address=None))


@dataclass(frozen=True)
class _Named:
    """Rows that name a person, whose period runs from a Kraków calendar day of the record they belong to."""
    row: type  # the model of the rows
    name: object  # the column holding the name (ANONYMOUS once anonymised)
    parent: type  # the record the day is of
    on: object  # how a row joins its record
    day: object  # the column of the day the period runs from
    values: dict  # what anonymising writes into a row


def _named_until_day(load: Callable[[], _Named]) -> tuple[Callable, Callable]:
    """The `overdue` and `anonymise` of a kind of `_Named` rows (`load` imports the models when first asked)."""
    def overdue(cutoff):
        spec = load()
        last_day = to_warsaw(cutoff).date()
        return db.select(spec.row.id).join(spec.parent, spec.on).where(spec.name != ANONYMOUS, spec.day < last_day)

    def anonymise(ids):
        spec = load()
        db.session.execute(db.update(spec.row).where(spec.row.id.in_(ids)).values(**spec.values))

    return overdue, anonymise


def _meeting_persons() -> _Named:
    from consult.meetings.models import Meeting, MeetingPerson

    # the period runs from the meeting's day, as a booking's from its last day. The row stays (the attendance list
    # keeps its count and order); the name goes, and with it any consent to publish it: no name is left to publish.
    return _Named(MeetingPerson, MeetingPerson.name, Meeting, Meeting.id == MeetingPerson.meeting_id, Meeting.date,
                  {"name": ANONYMOUS, "name_consent": False})


def _small_grant_commenters() -> _Named:
    from consult.smallgrants.models import SmallGrantComment, SmallGrantOffer

    # the period runs from the last day of the offer's comment term: until the unit has decided, it may have to write
    # back to the author (a comment on an offer never published has no term). The comment stays (what was said
    # about the offer is part of its case, shown or hidden as it was); who said it and their address go.
    return _Named(SmallGrantComment, SmallGrantComment.author_name, SmallGrantOffer,
                  SmallGrantOffer.id == SmallGrantComment.offer_id, SmallGrantOffer.comments_until,
                  {"author_name": ANONYMOUS, "email": ""})


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("unconfirmed_accounts", _l("Konta z niepotwierdzonym adresem e-mail"),
         _l("od założenia konta lub wysłania zaproszenia"),
         _l("imię i nazwisko oraz adres e-mail zastąpione, konto wyłączone"), 3,
         "art. 5 ust. 1 lit. e RODO (ograniczenie przechowywania): konto, którego adresu nikt nie potwierdził, "
         "nie służy do udziału w konsultacjach.",
         _unconfirmed_overdue, _anonymise_accounts),
    Kind("deactivated_accounts", _l("Konta wyłączone"),
         _l("od ostatniego logowania i wyłączenia konta"),
         _l("imię i nazwisko oraz adres e-mail zastąpione; to, co złożyła organizacja, zostaje"), 24,
         "art. 6 ust. 1 lit. e RODO (zadanie publiczne: konsultacje programu współpracy, art. 5 ust. 5 ustawy "
         "o działalności pożytku publicznego i o wolontariacie); po tym czasie dane osoby nie są potrzebne.",
         _deactivated_overdue, _anonymise_accounts),
    Kind("join_requests", _l("Prośby o przyjęcie do organizacji"), _l("od decyzji"),
         _l("rozpatrzona prośba usunięta"), 12,
         "art. 6 ust. 1 lit. e RODO; rozpatrzona prośba potrzebna tylko do wyjaśnienia decyzji.",
         _join_requests_overdue, _delete_join_requests),
    Kind("booking_requests", _l("Rezerwacje sal w miejscach aktywności"), _l("od ostatniego terminu rezerwacji"),
         _l("osoba odpowiedzialna i jej kontakt usunięte; sala, termin i temat zostają"), 12,
         "art. 6 ust. 1 lit. b i e RODO (udostępnienie sali); po rozliczeniu korzystania z sali kontakt z osobą "
         "odpowiedzialną nie jest potrzebny.",
         _bookings_overdue, _anonymise_bookings),
    Kind("access_attempts", _l("Nieudane logowania i prośby o nowe hasło"), _l("od próby"),
         _l("zapis usunięty (adres e-mail i adres IP)"), 1,
         "art. 6 ust. 1 lit. f i art. 32 RODO (bezpieczeństwo kont): zapis służy tylko do spowolnienia prób "
         "odgadnięcia hasła.",
         _attempts_overdue, _delete_attempts),
    Kind("notifications", _l("Treść wysłanych powiadomień e-mail"), _l("od napisania powiadomienia"),
         _l("treść e-maila i adres odbiorcy usunięte; powiadomienie zostaje w skrzynce osoby"), 12,
         "art. 5 ust. 1 lit. e RODO: treść wysłanego e-maila potrzebna tylko do wyjaśnienia reklamacji doręczenia.",
         _notifications_overdue, _empty_notifications),
    Kind("meeting_persons", _l("Osoby prywatne na listach obecności spotkań branżowych"), _l("od dnia spotkania"),
         _l("imię i nazwisko zastąpione, zgoda na publikację wycofana; miejsce na liście obecności zostaje"), 24,
         MEETING_PERSONS_BASIS, *_named_until_day(_meeting_persons)),
    Kind("small_grant_comments", _l("Autorzy uwag do ofert małych grantów (art. 19a)"),
         _l("od ostatniego dnia zgłaszania uwag"),
         _l("imię i nazwisko oraz adres e-mail autora usunięte; treść uwagi zostaje w sprawie oferty"), 12,
         SMALL_GRANT_COMMENTS_BASIS, *_named_until_day(_small_grant_commenters)),
)}
