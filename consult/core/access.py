"""Who may see and do what: roles and ownership, checked in one place.

Every view declares its access with one of the decorators below (`public`, `signed_in`, `roles`);
the route-walk test reads the declaration, and object-level checks (`can_view_postulate`, ...) are
made by the view after loading the object and again by the operation it calls.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from consult.extensions import login_manager

ROLE_LABELS = {
    "ngo": _l("organizacja pozarządowa"),
    "unit": _l("komórka merytoryczna"),
    "coordinator": _l("koordynator"),
    "admin": _l("administrator"),
    # a resident without an organisation: books rooms of places of activity (consult/places)
    "resident": _l("mieszkaniec"),
}


def roles_of(user) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(user.roles)


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user).intersection(roles))


def _mark(view, level):
    view.access = level
    return view


def public(view):
    """Anyone, signed in or not, may open this route."""
    return _mark(view, ("public",))


def signed_in(view):
    """Any signed-in user; what they see is narrowed by ownership checks inside."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapper, ("signed_in",))


def roles(*allowed: str):
    """Only users holding one of `allowed` roles; anonymous users are sent to sign in."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_role(current_user, *allowed):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, ("roles", *allowed))

    return decorator


def acting_user():
    """The signed-in user as a real object, for operations (they keep it past the request's proxy)."""
    return current_user._get_current_object()


def ensure(condition: bool) -> None:
    if not condition:
        abort(403)


# --- ownership -------------------------------------------------------------------------------------

def is_member_of(user, organisation_id: int | None) -> bool:
    return has_role(user, "ngo") and organisation_id is not None and user.organisation_id == organisation_id


def is_staff_of(user, unit_id: int | None) -> bool:
    return has_role(user, "unit") and unit_id is not None and user.unit_id == unit_id


def can_view_postulate(user, postulate) -> bool:
    if postulate.state == "published":
        return True
    if postulate.state == "draft" or postulate.submitted_at is None:
        # A draft is the organisation's own until it is submitted: not even coordinators read it; nor when it is
        # withdrawn without ever having been submitted.
        return is_member_of(user, postulate.organisation_id)
    if has_role(user, "coordinator", "admin"):
        return True
    if is_member_of(user, postulate.organisation_id):
        return True
    if has_role(user, "unit") and postulate.state != "draft":
        return is_staff_of(user, postulate.responsible_unit_id) or any(
            p.unit_id == user.unit_id for p in postulate.positions)
    return False


def sees_original_text(user, postulate) -> bool:
    """Whether `user` reads a postulate's content as filed, redacted words included: coordinators, the organisation
    that filed it and the units answering it. Everyone else reads its public text (Postulate.public_text)."""
    if has_role(user, "coordinator", "admin") or is_member_of(user, postulate.organisation_id):
        return True
    return has_role(user, "unit") and (is_staff_of(user, postulate.responsible_unit_id) or any(
        p.unit_id == user.unit_id for p in postulate.positions))


def sees_original_position(user, position) -> bool:
    """Whether `user` reads a position's text as the unit wrote it, redacted words included: the city's staff
    (coordinators and the units answering the postulate). Everyone else reads its public text."""
    if has_role(user, "coordinator", "admin"):
        return True
    postulate = position.postulate
    return has_role(user, "unit") and (is_staff_of(user, postulate.responsible_unit_id) or any(
        p.unit_id == user.unit_id for p in postulate.positions))


def can_act_for_unit(user, postulate) -> bool:
    """Unit staff act only on postulates assigned to their unit; coordinators act for any unit."""
    return has_role(user, "coordinator") or is_staff_of(user, postulate.responsible_unit_id)


def can_change_as_submitter(user, postulate) -> bool:
    return is_member_of(user, postulate.organisation_id) and postulate.submitter_kind == "organisation"


def is_org_admin_of(user, organisation_id: int | None) -> bool:
    """An administrator of that organisation: approves its members, edits its profile, sets who may submit."""
    return is_member_of(user, organisation_id) and getattr(user, "organisation_role", None) == "administrator"


def submit_refusal(user, organisation) -> str | None:
    """Why `user` may not file (submit) a postulate or an offer on the organisation's behalf, or None if they may:
    an organisation that registered itself files nothing until the city verifies it, and an organisation may
    leave submitting to its administrators."""
    from flask_babel import gettext as _

    if organisation is None:
        return None
    if organisation.status == "pending":
        return _("Organizacja „%(name)s” czeka na weryfikację przez koordynatora. Do tego czasu możesz "
                 "przygotowywać szkice, ale nie możesz niczego składać.", name=organisation.name)
    if organisation.status == "refused":
        return _("Rejestracja organizacji „%(name)s” została odrzucona: organizacja nie może niczego składać.",
                 name=organisation.name)
    if organisation.submit_policy == "administrators" and not is_org_admin_of(user, organisation.id):
        return _("W organizacji „%(name)s” postulaty i oferty składają tylko jej administratorzy. Zapisz szkic "
                 "i poproś administratora o złożenie.", name=organisation.name)
    return None
