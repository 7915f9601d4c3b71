"""The public register of organisations: verified NGOs with faceted search (sphere, district, legal form), a text
search, pages and downloads, and each organisation's public page (its profile, published postulates and the grants
it was awarded). Only the organisation's own contact is shown, never a person's."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from consult.core.access import public
from consult.core.paging import choice_arg, page_number, search_term
from consult.organisations import exports, queries
from consult.organisations.models import LEGAL_FORMS
from consult.organisations.register_data import DISTRICTS, SPHERES, district_label, sphere_label

bp = Blueprint("organisations", __name__)


def _filters() -> dict:
    return {"text": search_term(), "sphere": choice_arg("sfera", SPHERES),
            "district": choice_arg("dzielnica", DISTRICTS), "legal_form": choice_arg("forma", LEGAL_FORMS)}


@bp.route("/organizacje")
@public
def register():
    filters = _filters()
    page = queries.public_register_page(page=page_number(), **filters)
    facets = queries.public_facets(**filters)
    facet_lists = {
        "sphere": [(code, sphere_label(code), facets["sphere"].get(code, 0)) for code in SPHERES],
        "district": [(code, district_label(code), facets["district"].get(code, 0)) for code in DISTRICTS],
        "legal_form": [(key, str(label), facets["legal_form"].get(key, 0)) for key, label in LEGAL_FORMS.items()],
    }
    return render_template("organisations/register.html", page=page, filters=filters, facets=facet_lists)


@bp.route("/organizacje/eksport.<any(csv, xlsx, ods):fmt>")
@public
def register_export(fmt: str):
    return exports.download(queries.public_register_query(**_filters()), fmt)


@bp.route("/organizacje/<int:organisation_id>")
@public
def detail(organisation_id: int):
    org = queries.public_organisation(organisation_id)
    if org is None:
        abort(404)
    from consult.smallgrants.queries import granted

    return render_template("organisations/detail.html", org=org,
                           postulates=queries.published_postulates_of(org), grants=queries.grants_of(org),
                           small_grants=granted(organisation_id=org.id))
