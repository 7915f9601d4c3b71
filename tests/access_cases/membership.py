"""Signing up, one's organisation (its administrators decide on members, profile and who may submit) and the city's
verification of organisations that registered themselves."""
from consult.auth.models import User
from consult.core.types import utcnow
from consult.extensions import db
from consult.organisations.models import Organisation
from tests.access_cases import ALL, Case

REGISTRARS = frozenset({"coordinator", "admin"})
PEOPLE_OF_ORGANISATIONS = frozenset({"ngo_a", "ngo_b", "newcomer"})  # and ngo_a_member, added by all_cases
NEWCOMER = frozenset({"newcomer"})
ORG_ADMINS = frozenset({"ngo_a", "ngo_b"})
PROFILE = {"legal_form": "fundacja", "address": "ul. Floriańska 1, 31-019 Kraków", "district": "I",
           "spheres": ["16"], "email": "biuro@example.org", "phone": "+48 12 345 67 89", "website": "example.org"}


def _person(email: str, *, confirmed: bool = True) -> User:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name="Osoba Nowa", role="ngo", email_confirmed_at=utcnow() if confirmed else None)
        user.set_password("haslo-testowe-123")
        db.session.add(user)
        db.session.commit()
    return user


def _confirm_url(w) -> str:
    from consult.membership.operations import confirmation_token

    return f"/rejestracja/potwierdz/{confirmation_token(_person('niepotwierdzona@example.org', confirmed=False))}"


def _join_request(w):
    from consult.membership.models import JoinRequest

    # A pending request to join NGO A (a new person once the previous one was admitted: URLs are built many times).
    n = 0
    while True:
        user = _person(f"chce-dolaczyc-{n}@example.org")
        if user.organisation_id is None:
            break
        n += 1
    request = db.session.scalar(db.select(JoinRequest).where(JoinRequest.user_id == user.id,
                                                             JoinRequest.status == "pending"))
    if request is None:
        request = JoinRequest(user_id=user.id, organisation_id=w.org_a.id, status="pending")
        db.session.add(request)
        db.session.commit()
    return request


def _pending_organisation(w) -> Organisation:
    # One waiting for verification (another once it was decided: URLs are built many times).
    n = 0
    while True:
        name = f"Stowarzyszenie Oczekujące {n}"
        org = db.session.scalar(db.select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, legal_form="stowarzyszenie", status="pending")
            db.session.add(org)
            db.session.commit()
        if org.status == "pending":
            return org
        n += 1


def _removable_member(w) -> User:
    # A member of NGO A that may be removed (a new one once the previous one was: URLs are built many times).
    n = 0
    while True:
        user = _person(f"czlonek-do-usuniecia-{n}@example.org")
        if user.organisation_id == w.org_a.id:
            return user
        if user.organisation_id is None and user.organisation_role is None and not _was_member(user):
            user.organisation_id, user.organisation_role = w.org_a.id, "member"
            db.session.commit()
            return user
        n += 1


def _was_member(user: User) -> bool:
    from consult.core.models import AuditEvent

    return db.session.scalar(db.select(db.exists().where(AuditEvent.subject_type == "user",
                                                         AuditEvent.subject_id == user.id,
                                                         AuditEvent.action == "remove_from_organisation")))


CASES = [
    Case("membership.sign_up", lambda w: "/rejestracja", ALL),
    Case("membership.sign_up", lambda w: "/rejestracja", ALL, method="POST",
         data=lambda w: {"name": "Anna Nowak", "email": "anna.nowak@example.org",
                         "password": "zielony-rower-nad-wisla"}),
    Case("membership.sent", lambda w: "/rejestracja/wyslano", ALL),
    Case("membership.resend", lambda w: "/rejestracja/ponow", ALL, method="POST",
         data=lambda w: {"email": "niepotwierdzona@example.org"}),
    Case("membership.confirm", _confirm_url, ALL),
    Case("membership.organisation", lambda w: "/organizacja", PEOPLE_OF_ORGANISATIONS),
    Case("membership.register", lambda w: "/organizacja/nowa", NEWCOMER),
    Case("membership.register", lambda w: "/organizacja/nowa", NEWCOMER, method="POST",
         data=lambda w: {"name": "Fundacja Nowa", "krs": "0000123456", "nip": "5260250995", **PROFILE}),
    Case("membership.find", lambda w: "/organizacja/dolacz?q=Zustricz", NEWCOMER),
    Case("membership.ask_to_join", lambda w: f"/organizacja/dolacz/{w.org_b.id}", NEWCOMER, method="POST",
         data=lambda w: {}),
    Case("membership.decide", lambda w: f"/organizacja/prosby/{_join_request(w).id}", frozenset({"ngo_a"}),
         method="POST", data=lambda w: {"decision": "approve"}, org_admin=True),
    Case("membership.submit_policy", lambda w: "/organizacja/zasady", ORG_ADMINS, method="POST",
         data=lambda w: {"submit_policy": "administrators"}, org_admin=True),
    Case("membership.member_role", lambda w: f"/organizacja/czlonkowie/{w.user('ngo_a_member').id}/rola",
         frozenset({"ngo_a"}), method="POST", data=lambda w: {"role": "administrator"}, org_admin=True),
    Case("membership.remove_member", lambda w: f"/organizacja/czlonkowie/{_removable_member(w).id}/usun",
         frozenset({"ngo_a"}), org_admin=True),
    Case("membership.remove_member", lambda w: f"/organizacja/czlonkowie/{_removable_member(w).id}/usun",
         frozenset({"ngo_a"}), method="POST", data=lambda w: {}, org_admin=True),
    Case("membership.profile", lambda w: "/organizacja/profil", ORG_ADMINS, org_admin=True),
    Case("membership.profile", lambda w: "/organizacja/profil", ORG_ADMINS, method="POST",
         data=lambda w: PROFILE, org_admin=True),
    Case("membership.pending", lambda w: "/rejestry/organizacje/do-weryfikacji", REGISTRARS),
    Case("membership.verify", lambda w: f"/rejestry/organizacje/{_pending_organisation(w).id}/weryfikacja",
         REGISTRARS, method="POST", data=lambda w: {"decision": "verify"}),
]
