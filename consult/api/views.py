"""The /api/v1/ blueprint: GET only, JSON only, anonymous; errors are JSON too (see `error_response`).

Every handler checks its parameters (consult.api.params), reads through consult.api.queries (published
rows only) and answers with consult.api.serialise; the OpenAPI document describes exactly these.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from consult.api import queries, serialise
from consult.api.openapi import document
from consult.api.params import (
    ID_MAX,
    MEETING_STATES,
    ORIGINS,
    ApiError,
    Paging,
    check_known,
    choice,
    integer,
    text,
)
from consult.calls.access import PUBLIC_CALL_STATES
from consult.calls.documents import current_call_document
from consult.calls.queries import published_results
from consult.core.access import public
from consult.core.types import today_in_warsaw
from consult.extensions import csrf, db
from consult.postulates.models import POSITION_CATEGORIES
from consult.summaries.queries import published_versions_by_meeting

PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)
csrf.exempt(bp)  # GET only: nothing to protect, and a client has no token

ID = f"int(min=1, max={ID_MAX})"  # larger numbers are no id (and PostgreSQL refuses them): 404


def error_response(status: int, message: str, parameter: str | None = None, headers=None):
    response = jsonify({"status": status, "message": message, "parameter": parameter})
    response.status_code = status
    for name, value in headers or ():
        response.headers[name] = value
    return response


def http_error(exc):
    """An HTTP error (unknown path, wrong method) under /api/ as JSON; web.py sends those here."""
    messages = {404: _("Nie ma takiego zasobu."), 405: _("Niedozwolona metoda: API pozwala tylko na GET.")}
    message = messages.get(exc.code, exc.description or exc.name)
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() == "allow"]
    return error_response(exc.code, message, headers=headers)


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):
    return error_response(exc.status, exc.message, exc.parameter)


@bp.errorhandler(500)
def server_error(exc):
    return error_response(500, _("Błąd serwera. Spróbuj ponownie później."))


def _not_found(what: str):
    raise ApiError(404, what)


@bp.route("/openapi.json")
@public
def openapi():
    check_known(())
    return jsonify(document())


@bp.route("/units")
@public
def units():
    check_known(("page", "per_page"))
    return jsonify(Paging.from_request().envelope(queries.units(), serialise.unit))


@bp.route("/programmes")
@public
def programmes():
    check_known(("page", "per_page"))
    return jsonify(Paging.from_request().envelope(queries.programmes(), serialise.programme))


@bp.route(f"/programmes/<{ID}:programme_id>")
@public
def programme(programme_id: int):
    check_known(())
    row = queries.programme(programme_id)
    if row is None:
        _not_found(_("Nie ma programu o numerze %(id)s.", id=programme_id))
    return jsonify(serialise.programme(row))


@bp.route("/meetings")
@public
def meetings():
    check_known(("programme", "unit", "state", "page", "per_page"))
    query = queries.meetings(programme_id=integer("programme"), unit_id=integer("unit"),
                             state=choice("state", MEETING_STATES))
    return jsonify(Paging.from_request().envelope(query, serialise.meeting))


@bp.route(f"/meetings/<{ID}:meeting_id>")
@public
def meeting(meeting_id: int):
    check_known(())
    row = queries.meeting(meeting_id)
    if row is None:
        _not_found(_("Nie ma spotkania o numerze %(id)s.", id=meeting_id))
    summaries = published_versions_by_meeting([row.id]).get(row.id, [])
    return jsonify(serialise.meeting_detail(row, summaries))


@bp.route("/postulates")
@public
def postulates():
    check_known(("programme", "meeting", "unit", "origin", "category", "page", "per_page"))
    query = queries.postulates(programme_id=integer("programme"), meeting_id=integer("meeting"),
                               unit_id=integer("unit"), origin=choice("origin", ORIGINS),
                               category=choice("category", POSITION_CATEGORIES))
    return jsonify(Paging.from_request().envelope(query, serialise.postulate))


@bp.route(f"/postulates/<{ID}:postulate_id>")
@public
def postulate(postulate_id: int):
    check_known(())
    row = queries.postulate(postulate_id)
    if row is None:  # unknown, or not published: the same answer, so drafts cannot be counted
        _not_found(_("Nie ma opublikowanego postulatu o numerze %(id)s.", id=postulate_id))
    return jsonify(serialise.postulate(row))


@bp.route("/positions")
@public
def positions():
    check_known(("programme", "postulate", "unit", "category", "page", "per_page"))
    query = queries.positions(programme_id=integer("programme"), postulate_id=integer("postulate"),
                              unit_id=integer("unit"), category=choice("category", POSITION_CATEGORIES))
    return jsonify(Paging.from_request().envelope(query, serialise.position))


@bp.route(f"/positions/<{ID}:position_id>")
@public
def position(position_id: int):
    check_known(())
    row = queries.position(position_id)
    if row is None:
        _not_found(_("Nie ma opublikowanego stanowiska o numerze %(id)s.", id=position_id))
    return jsonify(serialise.position(row))


@bp.route("/calls")
@public
def calls():
    check_known(("programme", "unit", "state", "page", "per_page"))
    query = queries.calls(programme_id=integer("programme"), unit_id=integer("unit"),
                          state=choice("state", PUBLIC_CALL_STATES))
    return jsonify(Paging.from_request().envelope(query, serialise.call))


def _public_call(call_id: int):
    row = queries.call(call_id)
    if row is None:  # unknown, or a draft: a draft does not exist for the public
        _not_found(_("Nie ma ogłoszonego konkursu o numerze %(id)s.", id=call_id))
    return row


@bp.route(f"/calls/<{ID}:call_id>")
@public
def call(call_id: int):
    check_known(())
    row = _public_call(call_id)
    return jsonify(serialise.call_detail(row, current_call_document(row.id, "call_announcement"),
                                         current_call_document(row.id, "call_results")))


@bp.route(f"/calls/<{ID}:call_id>/results")
@public
def call_results(call_id: int):
    check_known(())
    row = _public_call(call_id)
    if row.state != "results_published":
        _not_found(_("Wyniki konkursu o numerze %(id)s nie zostały jeszcze ogłoszone.", id=call_id))
    return jsonify(serialise.call_results(row, published_results(row),
                                          current_call_document(row.id, "call_results")))


@bp.route("/organisations")
@public
def organisations():
    from consult.organisations.models import LEGAL_FORMS
    from consult.organisations.queries import public_register_query
    from consult.organisations.register_data import DISTRICTS, SPHERES

    check_known(("q", "sphere", "district", "legal_form", "page", "per_page"))
    query = public_register_query(text=text("q"), sphere=choice("sphere", tuple(SPHERES)) or "",
                                  district=choice("district", tuple(DISTRICTS)) or "",
                                  legal_form=choice("legal_form", tuple(LEGAL_FORMS)) or "")
    return jsonify(Paging.from_request().envelope(query, serialise.register_organisation))


@bp.route(f"/organisations/<{ID}:organisation_id>")
@public
def organisation(organisation_id: int):
    from consult.organisations.queries import grants_of, public_organisation, published_postulates_of

    check_known(())
    row = public_organisation(organisation_id)
    if row is None:  # unknown, or not verified: the same answer
        _not_found(_("Nie ma w rejestrze organizacji o numerze %(id)s.", id=organisation_id))
    from consult.smallgrants.queries import granted

    return jsonify(serialise.register_organisation_detail(row, published_postulates_of(row), grants_of(row),
                                                          granted(organisation_id=row.id)))
@bp.route("/places")
@public
def places():
    from consult.organisations.register_data import DISTRICTS

    check_known(("kind", "district", "organisation", "unit", "page", "per_page"))
    query = queries.places(kind_id=integer("kind"), district=choice("district", tuple(DISTRICTS)),
                           organisation_id=integer("organisation"), unit_id=integer("unit"))
    return jsonify(Paging.from_request().envelope(query, serialise.place))


@bp.route(f"/places/<{ID}:place_id>")
@public
def place(place_id: int):
    check_known(())
    row = queries.place(place_id)
    if row is None:
        _not_found(_("Nie ma miejsca o numerze %(id)s.", id=place_id))
    return jsonify(serialise.place(row))


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


@bp.route("/small-grant-offers")
@public
def small_grant_offers():
    from consult.smallgrants.models import SmallGrantOffer

    check_known(("page", "per_page"))
    query = (db.select(SmallGrantOffer).where(SmallGrantOffer.state == "open_for_comments",
                                              SmallGrantOffer.comments_until >= today_in_warsaw())
             .order_by(SmallGrantOffer.comments_until, SmallGrantOffer.id))
    return jsonify(Paging.from_request().envelope(query, serialise.small_grant_offer))


@bp.route(f"/small-grant-offers/<{ID}:offer_id>")
@public
def small_grant_offer(offer_id: int):
    from consult.smallgrants.queries import public_offer_or_none

    check_known(())
    row = public_offer_or_none(offer_id)
    if row is None:
        _not_found(_("Nie ma opublikowanej oferty w trybie art. 19a o numerze %(id)s.", id=offer_id))
    return jsonify(serialise.small_grant_offer_detail(row))
