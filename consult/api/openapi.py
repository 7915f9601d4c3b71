"""The OpenAPI 3.1 document of /api/v1/, written by hand next to the code it describes.

Schemas are closed (`additionalProperties: false`): a field added to consult.api.serialise without being
documented here fails the tests that validate real answers against this document, which is how a field
cannot leak into the API unnoticed. Bounds and enums come from the same constants the handlers check.
"""
from __future__ import annotations

import copy

from consult.api.params import (ID_MAX, MEETING_STATES, ORIGINS, PAGE_MAX, PER_PAGE_DEFAULT, PER_PAGE_MAX,
                                TEXT_MAX)
from consult.calls.access import PUBLIC_CALL_STATES
from consult.organisations.models import LEGAL_FORMS
from consult.organisations.register_data import DISTRICTS, SPHERES
from consult.postulates.models import POSITION_CATEGORIES

STRING = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}
INSTANT = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
INSTANT_OR_NULL = {"type": ["string", "null"], "format": "date-time", "description": "UTC, ISO 8601"}
DAY = {"type": "string", "format": "date"}
DAY_OR_NULL = {"type": ["string", "null"], "format": "date"}
CLOCK = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "Europe/Warsaw wall clock, HH:MM"}
AMOUNT = {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$", "description": "PLN, a decimal string"}
AMOUNT_OR_NULL = {"type": ["string", "null"], "pattern": "^-?[0-9]+\\.[0-9]{2}$",
                  "description": "PLN, a decimal string"}
POINTS = {"type": "string", "pattern": "^[0-9]+\\.[0-9]{2}$", "description": "points, a decimal string"}
ID = {"type": "integer", "minimum": 1}
ID_OR_NULL = {"type": ["integer", "null"], "minimum": 1}
PATH = {"type": "string", "format": "uri-reference", "description": "a path on this host"}
PATH_OR_NULL = {"type": ["string", "null"], "format": "uri-reference", "description": "a path on this host"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, description: str = "") -> dict:
    out = {"type": "object", "required": list(properties), "properties": properties,
           "additionalProperties": False}
    if description:
        out["description"] = description
    return out


UNIT = obj({"id": ID, "code": STRING, "name": STRING}, "A unit of the city office (komórka).")
ORGANISATION = obj({"id": ID, "name": STRING}, "A non-governmental organisation.")
PROGRAMME = obj({
    "id": ID, "year": {"type": "integer", "minimum": 2000, "maximum": 2100}, "title": STRING,
    "consultation_opens": INSTANT, "consultation_closes": INSTANT,
    "consultation_state": {"type": "string", "enum": ["not_open", "open", "closed"]},
    "html_url": PATH,
}, "A cooperation programme (Program Współpracy) and its consultation window.")
MEETING = obj({
    "id": ID, "programme_id": ID, "title": STRING, "date": DAY, "starts": CLOCK, "ends": CLOCK, "place": STRING,
    "state": {"type": "string", "enum": list(MEETING_STATES)}, "host_unit": ref("Unit"), "html_url": PATH,
}, "A sector meeting (spotkanie branżowe).")
SUMMARY = obj({
    "id": ID, "number": {"type": "integer", "minimum": 1}, "published_at": INSTANT,
    "pages": {"type": "integer", "minimum": 1}, "size": {"type": "integer", "minimum": 1, "description": "bytes"},
    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "url": PATH,
    "language": {"type": "string", "enum": ["pl", "en", "uk"],
                 "description": "the language of the PDF's labels; pl is the official version"},
}, "A published version of the meeting's summary (PDF).")
MEETING_DETAIL = obj({
    **MEETING["properties"],
    "scope": STRING, "introduction": STRING,
    "officials": {"type": "array", "items": obj({"function": STRING, "name": TEXT_OR_NULL})},
    "organisations": {"type": "array", "items": ref("Organisation"),
                      "description": "organisations present, in the summary's order"},
    "persons": {"type": "array", "items": STRING,
                "description": "private persons present, in the summary's order: \"osoba prywatna\" (in the "
                               "request's language) unless the person's consent to publish the name is recorded"},
    "summaries": {"type": "array", "items": ref("SummaryDocument"),
                  "description": "published summaries, the current one first"},
}, "A sector meeting with who attended and its published summaries.")
CATEGORY = {"type": "string", "enum": list(POSITION_CATEGORIES)}
POSITION = obj({
    "id": ID, "postulate_id": ID, "unit": ref("Unit"), "category": CATEGORY, "text": STRING,
    "published_at": INSTANT,
}, "A published position (stanowisko) of a unit on a postulate.")
PROVISION = obj({
    "key": {"type": "string", "description": "the provision's stable identifier across the text's versions, "
                                             "e.g. par-5.ust-1.pkt-3"},
    "label": {"type": "string", "description": "how the act cites it, e.g. § 5 ust. 1 pkt 3"},
    "html_url": PATH,
}, "A provision of the programme's text (consult.programme-text/1).")
POSTULATE = obj({
    "id": ID,
    "reference": {"type": "string", "pattern": "^RPW[0-9]{4}/[0-9]{5,}$"},
    "programme_id": ID,
    "meeting_id": {**ID_OR_NULL, "description": "null for a postulate filed online"},
    "number": {"type": ["integer", "null"], "minimum": 1, "description": "Lp. within the meeting"},
    "submitter": obj({
        "kind": {"type": "string", "enum": ["organisation", "official"]},
        "name": {"type": "string", "description": "the organisation's name, or an office holder's function"},
        "organisation_id": ID_OR_NULL,
    }),
    "content": STRING,
    "justification": TEXT_OR_NULL,
    "responsible_unit": ref("Unit"),
    "positions": {"type": "array", "items": ref("Position"), "description": "published positions only"},
    "provision": {"anyOf": [ref("Provision"), {"type": "null"}],
                  "description": "the provision of the programme's text it concerns; null for a postulate on the "
                                 "programme as a whole"},
    "html_url": PATH,
}, "A published postulate with its published positions.")
CALL = obj({
    "id": ID,
    "reference": {"type": "string", "pattern": "^OKO/[0-9]{4}/[0-9]{3,}$"},
    "title": STRING,
    "state": {"type": "string", "enum": list(PUBLIC_CALL_STATES)},
    "programme_id": ID,
    "unit": ref("Unit"),
    "funds": AMOUNT,
    "offers_deadline": INSTANT_OR_NULL,
    "announced_at": INSTANT,
    "html_url": PATH,
}, "An announced call for offers (otwarty konkurs ofert).")
CRITERION = obj({"title": STRING, "max_points": POINTS,
                 "sub_criteria": {"type": "array", "items": obj({"title": STRING, "max_points": POINTS})}})
CALL_DETAIL = obj({
    **CALL["properties"],
    "task_type": STRING, "sphere": STRING, "award_rules": STRING,
    "task_starts": DAY_OR_NULL, "task_ends": DAY_OR_NULL, "task_conditions": STRING, "procedure": STRING,
    "criteria": {"type": "array", "items": CRITERION, "description": "the evaluation card"},
    "max_points": POINTS, "criteria_notes": STRING, "selection_date": DAY_OR_NULL,
    "previous_tasks": {"type": "array", "items": obj({"year": {"type": "integer"}, "task": STRING,
                                                      "amount": AMOUNT})},
    "cancelled_at": INSTANT_OR_NULL, "cancel_reason": TEXT_OR_NULL,
    "results_published_at": INSTANT_OR_NULL,
    "announcement_pdf_url": {**PATH_OR_NULL, "description": "the published announcement (PDF), once compiled"},
    "results_pdf_url": {**PATH_OR_NULL, "description": "the published results (PDF), once compiled"},
    "results_url": {**PATH_OR_NULL, "description": "the results in this API, once published"},
}, "A call's announcement (art. 13 ust. 2 of the Act on Public Benefit Activity).")
CALL_RESULTS = obj({
    "call_id": ID, "reference": CALL["properties"]["reference"], "title": STRING, "funds": AMOUNT,
    "results_published_at": INSTANT, "granted_total": AMOUNT,
    "offers": {"type": "array", "description": "granted offers first", "items": obj({
        "reference": {"type": "string", "pattern": "^OF/[0-9]{4}/[0-9]{5,}$"},
        "applicant": {"type": "string", "description": "the applicant and the partners of a joint offer"},
        "task": STRING, "granted": {"type": "boolean"},
        "amount": {**AMOUNT_OR_NULL, "description": "the grant; null when none was granted"},
    })},
    "results_pdf_url": PATH_OR_NULL,
    "html_url": PATH,
}, "The published results of a call: who was granted how much, and who was not.")
REGISTER_ORGANISATION = obj({
    "id": ID, "name": STRING,
    "legal_form": {"type": "string", "enum": list(LEGAL_FORMS)},
    "krs": {"type": ["string", "null"], "pattern": "^[0-9]{10}$"},
    "nip": {"type": ["string", "null"], "pattern": "^[0-9]{10}$"},
    "regon": {"type": ["string", "null"], "pattern": "^([0-9]{9}|[0-9]{14})$"},
    "address": TEXT_OR_NULL,
    "district": {"type": ["string", "null"], "enum": [*DISTRICTS, None],
                 "description": "the district (dzielnica) by its Roman number"},
    "spheres": {"type": "array", "items": {"type": "string", "enum": list(SPHERES)},
                "description": "spheres of public benefit, by their point of art. 4 ust. 1 of the Act"},
    "email": {**TEXT_OR_NULL, "description": "the organisation's own address, never a person's"},
    "phone": {**TEXT_OR_NULL, "description": "the organisation's own phone, never a person's"},
    "website": TEXT_OR_NULL,
    "html_url": PATH,
}, "A verified organisation of the public register, with its own contact.")
REGISTER_ORGANISATION_DETAIL = obj({
    **REGISTER_ORGANISATION["properties"],
    "postulates": {"type": "array", "description": "its published postulates, newest first", "items": obj({
        "id": ID, "reference": POSTULATE["properties"]["reference"], "programme_id": ID, "url": PATH})},
    "grants": {"type": "array", "description": "grants awarded to it in calls with published results",
               "items": obj({"call_id": ID, "call_reference": CALL["properties"]["reference"],
                             "call_title": STRING, "task": STRING, "amount": AMOUNT_OR_NULL,
                             "results_url": PATH})},
    "small_grants": {"type": "array", "description": "small grants (art. 19a) given to it, newest decision first",
                     "items": obj({"id": ID, "reference": {"type": "string", "description": "MG/<year filed>/<id>"},
                                   "task": STRING, "amount": AMOUNT, "decided_on": {"type": "string", "format": "date"},
                                   "url": PATH})},
}, "An organisation of the public register with its published postulates, grants and small grants.")
NULLABLE_TEXT = {"type": ["string", "null"]}
SMALL_GRANT_OFFER = obj({
    "id": ID, "reference": {"type": "string", "description": "MG/<year filed>/<id>"}, "title": STRING,
    "organisation": obj({"id": ID, "name": STRING}), "unit": obj({"id": ID, "name": STRING}),
    "state": {"type": "string", "enum": ["open_for_comments", "granted", "not_granted", "reported"]},
    "place": STRING, "starts": {"type": "string", "format": "date"}, "ends": {"type": "string", "format": "date"},
    "sphere": {"type": ["string", "null"], "enum": [*SPHERES, None],
               "description": "the sphere of public benefit (art. 4 ust. 1), null in offers filed before it was asked"},
    "amount": {**AMOUNT, "description": "the grant asked for"},
    "granted_amount": {**AMOUNT_OR_NULL, "description": "the grant decided, null until granted"},
    "published_on": {"type": "string", "format": "date"},
    "comments_until": {"type": "string", "format": "date",
                       "description": "the last day of comments (Kraków's calendar), to its end"},
    "days_left": {"type": "integer", "minimum": 0, "description": "days left for comments, today included"},
    "comments": {"type": "integer", "minimum": 0, "description": "confirmed comments shown on its page"},
    "html_url": PATH,
}, "A small-grant offer (art. 19a) the unit found purposeful: published for 7 days of comments.")
SMALL_GRANT_OFFER_DETAIL = obj({
    **SMALL_GRANT_OFFER["properties"],
    "description": STRING, "expected_results": STRING,
    "budget": {"type": "array", "items": obj({"name": STRING, "total": AMOUNT, "from_grant": AMOUNT})},
}, "A small-grant offer with its task and simplified budget.")
PLACE = obj({
    "id": ID, "name": STRING,
    "kind": obj({"id": ID, "code": STRING, "name": {"type": "string", "description": "in the client's language"}}),
    "address": STRING,
    "district": {"type": ["string", "null"], "enum": [*DISTRICTS, None], "description": "Kraków's district number"},
    "district_name": NULLABLE_TEXT,
    "operator": obj({"type": {"type": "string", "enum": ["organisation", "unit"]}, "id": ID, "name": STRING},
                    "who runs the place: an organisation of the register or a unit of the city"),
    "programme": {**NULLABLE_TEXT, "description": "the programme the place serves, e.g. PASIOS"},
    "call_id": {**ID_OR_NULL, "description": "the announced call for offers that funds it, if any"},
    "opening_hours": NULLABLE_TEXT, "offer": NULLABLE_TEXT, "accessibility": NULLABLE_TEXT,
    "email": {**NULLABLE_TEXT, "description": "the place's own address"}, "phone": NULLABLE_TEXT,
    "website": NULLABLE_TEXT,
    "rooms": {"type": "array", "items": obj({"id": ID, "name": STRING,
                                             "capacity": {"type": ["integer", "null"], "minimum": 1},
                                             "ical_url": PATH})},
    "ical_url": {**PATH, "description": "the iCalendar feed of the place's accepted events"},
    "html_url": PATH,
}, "A place of activity (senior activity centre, parents' club, civic centre, PAL, MAM...).")
ERROR = obj({
    "status": {"type": "integer", "enum": [400, 404, 405, 500]},
    "message": {"type": "string", "description": "what is wrong, in the client's language (Polish by default)"},
    "parameter": {"type": ["string", "null"], "description": "the query parameter at fault, if one is"},
}, "Why a request was refused.")


def page_of(item: str) -> dict:
    return obj({
        "items": {"type": "array", "items": ref(item)},
        "page": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
        "per_page": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX},
        "total": {"type": "integer", "minimum": 0},
        "pages": {"type": "integer", "minimum": 0},
        "next": {**PATH_OR_NULL, "description": "the next page, null on the last one"},
        "previous": {**PATH_OR_NULL, "description": "the previous page, null on the first one"},
    }, f"One page of {item} items.")


def query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def id_filter(name: str, description: str) -> dict:
    return query(name, {"type": "integer", "minimum": 1, "maximum": ID_MAX}, description)


PAGING = [
    query("page", {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 1},
          "the page, from 1; a page past the last is empty"),
    query("per_page", {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": PER_PAGE_DEFAULT},
          "items per page"),
]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


BAD_REQUEST = {"$ref": "#/components/responses/BadRequest"}
NOT_FOUND = {"$ref": "#/components/responses/NotFound"}


def list_operation(op_id: str, summary: str, item: str, filters: list[dict], tag: str) -> dict:
    return {"get": {
        "operationId": op_id, "summary": summary, "tags": [tag],
        "parameters": [*filters, *PAGING],
        "responses": {"200": _json(ref(f"{item}Page"), f"a page of {item} items"), "400": BAD_REQUEST},
    }}


def detail_operation(op_id: str, summary: str, schema: str, param: str, tag: str, description: str = "") -> dict:
    op = {
        "operationId": op_id, "summary": summary, "tags": [tag],
        "parameters": [{"name": param, "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX}}],
        "responses": {"200": _json(ref(schema), summary), "400": BAD_REQUEST, "404": NOT_FOUND},
    }
    if description:
        op["description"] = description
    return {"get": op}


def document() -> dict:
    """The whole OpenAPI document (a fresh copy each time: callers may change theirs)."""
    return copy.deepcopy(_DOCUMENT)


_DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "consult: published data",
        "version": "1.0.0",
        "description": (
            "A read-only API for what the public pages of consult show: cooperation programmes, sector "
            "meetings, published postulates and positions, announced calls for offers and their published "
            "results, the register of verified organisations (their own contact only) and the register of "
            "places of activity. Drafts, unpublished positions, offers, scores, unpublished decisions and "
            "personal data of users are never shown. No sign-in; GET only. Lists are paged (`page`, `per_page`); an "
            "unknown or malformed parameter is refused with 400 and a JSON body naming it."),
        "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
    },
    "servers": [{"url": "/api/v1"}],
    "tags": [{"name": n} for n in ("programmes", "meetings", "postulates", "calls", "organisations", "places", "small grants",
                                   "meta")],
    "paths": {
        "/openapi.json": {"get": {
            "operationId": "getOpenApi", "summary": "This document", "tags": ["meta"],
            "responses": {"200": _json({"type": "object", "required": ["openapi", "paths"]},
                                       "the OpenAPI document"), "400": BAD_REQUEST},
        }},
        "/units": list_operation("listUnits", "Units of the city office, by name", "Unit", [], "meta"),
        "/programmes": list_operation("listProgrammes", "Cooperation programmes, newest first",
                                      "Programme", [], "programmes"),
        "/programmes/{programme_id}": detail_operation("getProgramme", "A programme", "Programme",
                                                       "programme_id", "programmes"),
        "/meetings": list_operation("listMeetings", "Sector meetings, in date order", "Meeting", [
            id_filter("programme", "only the meetings of this programme"),
            id_filter("unit", "only the meetings this unit hosts"),
            query("state", {"type": "string", "enum": list(MEETING_STATES)}, "only meetings in this state"),
        ], "meetings"),
        "/meetings/{meeting_id}": detail_operation("getMeeting", "A meeting, with who attended and its "
                                                   "published summaries", "MeetingDetail", "meeting_id",
                                                   "meetings"),
        "/postulates": list_operation("listPostulates", "Published postulates with their published positions",
                                      "Postulate", [
            id_filter("programme", "only the postulates of this programme"),
            id_filter("meeting", "only the postulates filed at this meeting"),
            id_filter("unit", "only the postulates this unit is responsible for"),
            query("origin", {"type": "string", "enum": list(ORIGINS)},
                  "filed at a meeting, or online"),
            query("category", CATEGORY, "only postulates with a published position of this category"),
        ], "postulates"),
        "/postulates/{postulate_id}": detail_operation(
            "getPostulate", "A published postulate", "Postulate", "postulate_id", "postulates",
            "404 for an unknown postulate and for one not published yet alike."),
        "/positions": list_operation("listPositions", "Published positions", "Position", [
            id_filter("programme", "only positions on postulates of this programme"),
            id_filter("postulate", "only positions on this postulate"),
            id_filter("unit", "only positions of this unit"),
            query("category", CATEGORY, "only positions of this category"),
        ], "postulates"),
        "/positions/{position_id}": detail_operation(
            "getPosition", "A published position", "Position", "position_id", "postulates",
            "404 for an unknown position and for one not published yet alike."),
        "/organisations": list_operation("listOrganisations", "The public register of organisations, by name",
                                         "RegisterOrganisation", [
            query("q", {"type": "string", "maxLength": TEXT_MAX}, "text in the name, address, KRS, NIP or REGON"),
            query("sphere", {"type": "string", "enum": list(SPHERES)}, "only organisations working in this sphere"),
            query("district", {"type": "string", "enum": list(DISTRICTS)}, "only organisations of this district"),
            query("legal_form", {"type": "string", "enum": list(LEGAL_FORMS)}, "only this legal form"),
        ], "organisations"),
        "/organisations/{organisation_id}": detail_operation(
            "getOrganisation", "An organisation of the public register", "RegisterOrganisationDetail",
            "organisation_id", "organisations", "404 for an unknown organisation and for one not verified alike."),
        "/calls": list_operation("listCalls", "Announced calls for offers, newest first", "Call", [
            id_filter("programme", "only the calls of this programme"),
            id_filter("unit", "only the calls this unit runs"),
            query("state", {"type": "string", "enum": list(PUBLIC_CALL_STATES)}, "only calls in this state"),
        ], "calls"),
        "/calls/{call_id}": detail_operation("getCall", "A call's announcement", "CallDetail", "call_id",
                                             "calls", "404 for an unknown call and for a draft alike."),
        "/calls/{call_id}/results": detail_operation(
            "getCallResults", "A call's published results", "CallResults", "call_id", "calls",
            "404 until the results are published."),
        "/places": list_operation("listPlaces", "Places of activity, by name", "Place", [
            id_filter("kind", "only places of this kind"),
            query("district", {"type": "string", "enum": list(DISTRICTS)}, "only places in this district"),
            id_filter("organisation", "only places this organisation runs"),
            id_filter("unit", "only places this unit of the city runs"),
        ], "places"),
        "/small-grant-offers": list_operation(
            "listSmallGrantOffers", "Small-grant offers (art. 19a) open for comments, the soonest to close first",
            "SmallGrantOffer", [], "small grants"),
        "/small-grant-offers/{offer_id}": detail_operation(
            "getSmallGrantOffer", "A small-grant offer published for comments (and its decision)",
            "SmallGrantOfferDetail", "offer_id", "small grants",
            "404 for an unknown offer and for one not (yet) found purposeful alike."),
        "/places/{place_id}": detail_operation("getPlace", "A place of activity, with its rooms", "Place",
                                               "place_id", "places"),
    },
    "components": {
        "schemas": {
            "Unit": UNIT, "Organisation": ORGANISATION, "Programme": PROGRAMME, "Meeting": MEETING,
            "MeetingDetail": MEETING_DETAIL, "SummaryDocument": SUMMARY, "Postulate": POSTULATE,
            "Provision": PROVISION,
            "Position": POSITION, "Call": CALL, "CallDetail": CALL_DETAIL, "CallResults": CALL_RESULTS,
            "RegisterOrganisation": REGISTER_ORGANISATION,
            "RegisterOrganisationDetail": REGISTER_ORGANISATION_DETAIL,
            "Place": PLACE, "SmallGrantOffer": SMALL_GRANT_OFFER, "SmallGrantOfferDetail": SMALL_GRANT_OFFER_DETAIL,
            "Error": ERROR,
            **{f"{name}Page": page_of(name) for name in ("Unit", "Programme", "Meeting", "Postulate",
                                                         "Position", "Call", "RegisterOrganisation", "Place",
                                                         "SmallGrantOffer")},
        },
        "responses": {
            "BadRequest": _json(ref("Error"), "a parameter is unknown, malformed or out of bounds"),
            "NotFound": _json(ref("Error"), "no such published resource"),
        },
    },
}
