"""The registers as lists for choosing from: every unit, every organisation, by name."""
from __future__ import annotations

from consult.extensions import db
from consult.organisations.models import Organisation, Unit


def units() -> list[Unit]:
    return list(db.session.scalars(db.select(Unit).order_by(Unit.name)))


def organisations() -> list[Organisation]:
    return list(db.session.scalars(db.select(Organisation).order_by(Organisation.name)))


def units_page(*, search: str = "", staffed: str = "", page: int = 1, size: int | None = None):
    """A page of the unit register, by name; `search` looks in the name and the code; `staffed` ("tak" or
    "nie") keeps the units that have (or have not) a staff account, the ones nobody can answer for yet."""
    from consult.auth.models import User
    from consult.core.paging import like_any, paginate

    from sqlalchemy.orm import selectinload

    query = db.select(Unit).options(selectinload(Unit.parent))
    if search:
        query = query.where(like_any(search, Unit.name, Unit.code))
    if staffed in ("tak", "nie"):
        has_staff = db.exists().where(User.unit_id == Unit.id, User.active.is_(True))
        query = query.where(has_staff if staffed == "tak" else ~has_staff)
    return paginate(query.order_by(Unit.name, Unit.id), page, size)


def organisations_page(*, search: str = "", legal_form: str = "", page: int = 1, size: int | None = None):
    """A page of the organisation register, by name; `search` looks in the name, KRS, NIP and REGON."""
    from consult.core.paging import like_any, paginate

    query = db.select(Organisation)
    if search:
        query = query.where(like_any(search, Organisation.name, Organisation.krs, Organisation.nip,
                                     Organisation.regon))
    if legal_form:
        query = query.where(Organisation.legal_form == legal_form)
    return paginate(query.order_by(Organisation.name, Organisation.id), page, size)


def active_units(keep=()) -> list[Unit]:
    """The units offered for new work (assignments, meetings, positions, accounts, commitments, places): the inactive
    ones keep only their history. `keep`: ids of units the edited record names already, offered whatever their state
    (a form editing it shows what it holds)."""
    keep = [i for i in keep if i is not None]
    condition = Unit.active.is_(True) if not keep else (Unit.active.is_(True) | Unit.id.in_(keep))
    return list(db.session.scalars(db.select(Unit).where(condition).order_by(Unit.name)))


# --- the public register of organisations ---------------------------------------------------------------------

def _public_conditions(*, text: str = "", sphere: str = "", district: str = "", legal_form: str = "",
                       skip: str = "") -> list:
    """The conditions of the public register: verified organisations only, then the filters (all but `skip`,
    which a facet's own counts leave out so that each of its values says how many it would find)."""
    from consult.core.paging import like_any
    from consult.organisations.models import OrganisationSphere

    conditions = [Organisation.status == "verified"]
    if text:
        conditions.append(like_any(text, Organisation.name, Organisation.address, Organisation.krs,
                                   Organisation.nip, Organisation.regon))
    if sphere and skip != "sphere":
        conditions.append(db.exists().where(OrganisationSphere.organisation_id == Organisation.id,
                                            OrganisationSphere.sphere == sphere))
    if district and skip != "district":
        conditions.append(Organisation.district == district)
    if legal_form and skip != "legal_form":
        conditions.append(Organisation.legal_form == legal_form)
    return conditions


def public_register_query(**filters):
    """The verified organisations the filters find, by name, with their spheres loaded."""
    from sqlalchemy.orm import selectinload

    return (db.select(Organisation).where(*_public_conditions(**filters))
            .options(selectinload(Organisation.spheres)).order_by(Organisation.name, Organisation.id))


def public_register_page(*, page: int = 1, size: int | None = None, **filters):
    from consult.core.paging import paginate

    return paginate(public_register_query(**filters), page, size)


def public_facets(**filters) -> dict[str, dict[str, int]]:
    """How many organisations each value of each facet (sphere, district, legal form) would find with the
    other filters as they are: three grouped counts."""
    from consult.organisations.models import OrganisationSphere

    count = db.func.count(db.distinct(Organisation.id))
    spheres = db.session.execute(
        db.select(OrganisationSphere.sphere, count).join(Organisation, OrganisationSphere.organisation_id ==
                                                         Organisation.id)
        .where(*_public_conditions(**filters, skip="sphere")).group_by(OrganisationSphere.sphere)).all()
    districts = db.session.execute(
        db.select(Organisation.district, count).where(*_public_conditions(**filters, skip="district"),
                                                      Organisation.district.is_not(None))
        .group_by(Organisation.district)).all()
    forms = db.session.execute(
        db.select(Organisation.legal_form, count).where(*_public_conditions(**filters, skip="legal_form"))
        .group_by(Organisation.legal_form)).all()
    return {"sphere": dict(spheres), "district": dict(districts), "legal_form": dict(forms)}


def public_organisation(organisation_id: int) -> Organisation | None:
    """A verified organisation (any other is no public page)."""
    return db.session.scalar(db.select(Organisation).where(Organisation.id == organisation_id,
                                                           Organisation.status == "verified"))


def published_postulates_of(organisation: Organisation) -> list:
    """The organisation's postulates the public may read (published), newest first."""
    from sqlalchemy.orm import selectinload

    from consult.postulates.models import Postulate

    return list(db.session.scalars(
        db.select(Postulate).where(Postulate.organisation_id == organisation.id,
                                   Postulate.submitter_kind == "organisation", Postulate.state == "published")
        .options(selectinload(Postulate.programme), selectinload(Postulate.responsible_unit))
        .order_by(Postulate.id.desc())))


def grants_of(organisation: Organisation) -> list:
    """The grants awarded to the organisation (alone or as a partner of a joint offer) in calls whose results
    are published: (call, offer) pairs, newest call first."""
    from sqlalchemy.orm import selectinload

    from consult.calls.models import Call, Offer, OfferPartner

    partner = db.exists().where(OfferPartner.offer_id == Offer.id, OfferPartner.organisation_id == organisation.id)
    return list(db.session.execute(
        db.select(Call, Offer).join(Offer, Offer.call_id == Call.id)
        .where(Call.state == "results_published", Offer.state == "granted",
               (Offer.organisation_id == organisation.id) | partner)
        .options(selectinload(Offer.decision))
        .order_by(Call.results_published_at.desc(), Offer.id)).all())
