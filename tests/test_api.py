"""The read-only JSON API (/api/v1/): its OpenAPI document is valid, every answer matches the document,
nothing unpublished or personal leaks, paging and filters work, bad parameters get a JSON 400 naming
them, and a schema-based fuzzer (schemathesis) finds no 5xx and no answer off the document.

On CI's second pass (REDIS_URL set) the session's Celery worker compiles the PDFs the data set publishes.
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from consult.api.openapi import document
from consult.calls import operations as ops
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.extensions import db
from consult.meetings.operations import mark_meeting_held, record_attendance
from consult.postulates.models import Position
from consult.postulates.operations import assign_postulate, publish_positions, save_position
from consult.summaries.documents import publish_version, request_compile
from tests.summary_support import wait_for_jobs
from tests.test_calls import ANNOUNCED, FULL, _to_evaluation, clock, make_call, people, score

__all__ = ["clock", "people"]

API = "/api/v1"


class Data:
    """What the data set holds, by name: ids of what is public and of what must never show."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


@pytest.fixture
def data(world, clock, people):
    """The world's postulates, plus: a published postulate of the meeting (its summary published, the
    meeting with organisations and officials), a draft position on a published postulate, a draft call,
    a call whose decisions are recorded but unpublished, and one whose results are published."""
    coordinator = world.user("coordinator")
    meeting_postulate = world.p["meeting_official"]
    with transaction():
        record_attendance(coordinator, world.meeting, organisations=[world.org_a, world.org_b],
                          officials=[("Pełnomocnik Prezydenta ds. NGO", "Jan Kowalski"), ("Dyrektor WDKKO", None)],
                          participants_count=17, materials=["Prezentacja o budżecie (tajna notatka)"])
        assign_postulate(SYSTEM, meeting_postulate, world.unit_y)
        save_position(coordinator, meeting_postulate, category="partially_accepted", text="Częściowo tak.")
        publish_positions(coordinator, [meeting_postulate])
        world.meeting.date -= timedelta(days=7)  # the world plans it ahead: it has to have taken place
        mark_meeting_held(coordinator, world.meeting)
        job = request_compile(coordinator, world.meeting)
    wait_for_jobs()
    db.session.refresh(job)
    with transaction():
        publish_version(coordinator, job.version)
    published = world.p["b_published_x"]
    with transaction():  # a state the operations never leave behind, but the API must survive it
        hidden = Position(postulate=published, unit=world.unit_y, category="accepted", text="Szkic komórki Y",
                          status="draft")
        db.session.add(hidden)

    draft_call = make_call(world)
    hidden_call, (hidden_a, hidden_b), _m = _to_evaluation(world, clock, people)
    with transaction():
        ops.record_decision(coordinator, hidden_a, kind="grant", amount="4321")
        ops.record_decision(coordinator, hidden_b, kind="refusal", reason="Powód odmowy, niejawny.")
    clock.now = ANNOUNCED  # the first call's evaluation moved the clock past its deadline
    results_call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    score(world.user("unit_x"), offer_a, FULL)
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="5500.50")
        ops.record_decision(coordinator, offer_b, kind="refusal", reason="Niska ocena merytoryczna.")
        ops.publish_results(coordinator, results_call)
    wait_for_jobs()
    return Data(world=world, meeting_postulate=meeting_postulate, published=published, hidden_position=hidden,
                draft_call=draft_call, hidden_call=hidden_call, hidden_offer=hidden_a, results_call=results_call,
                granted=offer_a, refused=offer_b)


def get(client, path: str, status: int = 200):
    response = client.get(path if path.startswith("/") else f"{API}/{path}")
    assert response.status_code == status, (path, response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


def validator(schema_name: str) -> Draft202012Validator:
    root = document()
    return Draft202012Validator({**root, "$ref": f"#/components/schemas/{schema_name}"},
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_matches(body, schema_name: str) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(schema_name).iter_errors(body)]
    assert not errors, f"{schema_name}: " + "; ".join(errors[:5])


# --- the document ------------------------------------------------------------------------------------


def test_the_openapi_document_is_valid_and_served(client):
    served = get(client, "openapi.json")
    validate_spec(served)  # OpenAPI 3.1 structure, refs resolve
    assert served == json.loads(json.dumps(document()))
    assert served["servers"] == [{"url": API}]
    for path, item in served["paths"].items():
        assert set(item) == {"get"}, f"{path} documents a method other than GET"
        responses = item["get"]["responses"]
        assert "200" in responses and "400" in responses
        if "{" in path:
            assert "404" in responses


def test_every_route_of_the_blueprint_is_documented(app):
    documented = {API + re.sub(r"\{[a-z_]+\}", "<id>", p) for p in document()["paths"]}
    routed = {re.sub(r"<[^>]+>", "<id>", r.rule) for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert routed == documented


# --- answers match the document, and only published data shows -----------------------------------------


def walk(client, data) -> dict[str, object]:
    """Every list (every page of it) and every detail the data set has, by path, each checked against
    its schema."""
    bodies: dict[str, object] = {}

    def page_through(path: str, item: str) -> list[dict]:
        items, url = [], f"{API}/{path}?per_page=2"
        while url:
            body = get(client, url)
            assert_matches(body, f"{item}Page")
            bodies[url] = body
            items += body["items"]
            url = body["next"]
        return items

    for item, path, detail in (("Unit", "units", None), ("Programme", "programmes", "Programme"),
                               ("Meeting", "meetings", "MeetingDetail"), ("Postulate", "postulates", "Postulate"),
                               ("Position", "positions", "Position"), ("Call", "calls", "CallDetail")):
        for row in page_through(path, item):
            if detail:
                body = get(client, f"{path}/{row['id']}")
                assert_matches(body, detail)
                bodies[f"{path}/{row['id']}"] = body
                if detail == "CallDetail" and body["results_url"]:
                    results = get(client, body["results_url"])
                    assert_matches(results, "CallResults")
                    bodies[body["results_url"]] = results
    return bodies


def test_every_answer_matches_the_document_and_shows_only_published_data(client, data):
    w = data.world
    bodies = walk(client, data)
    # the moments' digits left out: a timestamp's microseconds may spell 4321, the hidden grant's amount below
    everything = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?", "<moment>",
                        json.dumps(bodies, ensure_ascii=False))
    # no user's e-mail or name, no offer contents, no refusal reason, no draft text, no materials
    for private in ("@example.org", "Ngo A", "Unit X", "Coordinator", "Anna Nowak", "Niska ocena",
                    "Powód odmowy", "Szkic organizacji", "Szkic komórki Y", "Przyjmujemy.", "tajna notatka",
                    "4321", "password", "email"):
        assert private not in everything, private

    postulates = get(client, "postulates?per_page=100")
    assert {p["id"] for p in postulates["items"]} == {data.published.id, data.meeting_postulate.id}
    for name in ("a_draft", "b_draft", "a_submitted", "a_assigned_x", "a_answered_x"):
        get(client, f"postulates/{w.p[name].id}", 404)
    published = get(client, f"postulates/{data.published.id}")
    assert [(p["unit"]["code"], p["category"], p["text"]) for p in published["positions"]] == \
        [("WPSRZ", "rejected", "Nie przyjmujemy.")]
    assert published["submitter"] == {"kind": "organisation", "name": "Fundacja Start Tango",
                                      "organisation_id": w.org_b.id}
    assert published["meeting_id"] is None and published["html_url"] == f"/programy/{w.programme.id}"
    at_meeting = get(client, f"postulates/{data.meeting_postulate.id}")
    assert at_meeting["submitter"] == {"kind": "official", "name": "Pełnomocnik Prezydenta ds. NGO",
                                       "organisation_id": None}
    assert at_meeting["number"] == 1 and at_meeting["responsible_unit"]["code"] == "WDKKO"

    positions = get(client, "positions")
    assert data.hidden_position.id not in {p["id"] for p in positions["items"]}
    assert positions["total"] == 2
    get(client, f"positions/{data.hidden_position.id}", 404)
    get(client, f"positions/{w.p['a_answered_x'].positions[0].id}", 404)

    meeting = get(client, f"meetings/{w.meeting.id}")
    assert [o["name"] for o in meeting["organisations"]] == ["Fundacja Zustricz", "Fundacja Start Tango"]
    assert meeting["officials"][0] == {"function": "Pełnomocnik Prezydenta ds. NGO", "name": "Jan Kowalski"}
    [summary] = meeting["summaries"]
    pdf = client.get(summary["url"])
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-" and len(pdf.data) == summary["size"]

    calls = get(client, "calls")
    assert {c["id"] for c in calls["items"]} == {data.hidden_call.id, data.results_call.id}
    get(client, f"calls/{data.draft_call.id}", 404)
    get(client, f"calls/{data.draft_call.id}/results", 404)
    hidden = get(client, f"calls/{data.hidden_call.id}")
    assert hidden["state"] == "evaluation" and hidden["results_url"] is None and hidden["results_pdf_url"] is None
    assert client.get(hidden["announcement_pdf_url"]).data[:5] == b"%PDF-"
    get(client, f"calls/{data.hidden_call.id}/results", 404)

    call = get(client, f"calls/{data.results_call.id}")
    assert call["results_url"] == f"{API}/calls/{data.results_call.id}/results"
    assert call["funds"] == "100000.00" and call["previous_tasks"][0]["amount"] == "250000.00"
    assert sum(float(c["max_points"]) for c in call["criteria"]) == float(call["max_points"])
    results = get(client, call["results_url"])
    assert [(o["reference"], o["granted"], o["amount"]) for o in results["offers"]] == [
        (data.granted.reference, True, "5500.50"), (data.refused.reference, False, None)]
    assert results["granted_total"] == "5500.50"
    assert client.get(results["results_pdf_url"]).data[:5] == b"%PDF-"


def test_paging_and_filters(client, data):
    w = data.world
    first = get(client, "postulates?per_page=1")
    assert (first["total"], first["pages"], first["previous"]) == (2, 2, None)
    second = get(client, first["next"])
    assert second["page"] == 2 and second["next"] is None and second["previous"] == f"{API}/postulates?page=1&per_page=1"
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {data.published.id, data.meeting_postulate.id}
    beyond = get(client, "postulates?page=50")
    assert beyond["items"] == [] and beyond["total"] == 2 and beyond["next"] is None

    def ids(path):
        return [row["id"] for row in get(client, path)["items"]]

    assert ids(f"postulates?meeting={w.meeting.id}") == [data.meeting_postulate.id]
    assert ids("postulates?origin=online") == [data.published.id]
    assert ids(f"postulates?unit={w.unit_x.id}") == [data.published.id]
    assert ids("postulates?category=partially_accepted") == [data.meeting_postulate.id]
    assert ids("postulates?category=accepted") == []  # the draft position of unit Y does not count
    assert ids(f"postulates?programme={w.closed_programme.id}") == []
    assert ids(f"postulates?programme={w.programme.id}&origin=meeting") == [data.meeting_postulate.id]
    assert ids(f"positions?postulate={data.published.id}") == [data.published.positions[0].id]
    assert ids(f"positions?unit={w.unit_y.id}") == [data.meeting_postulate.positions[0].id]
    assert ids(f"meetings?unit={w.unit_x.id}") == [] and ids(f"meetings?unit={w.unit_y.id}") == [w.meeting.id]
    assert ids("meetings?state=summary_published") == [w.meeting.id] and ids("meetings?state=planned") == []
    assert ids("calls?state=results_published") == [data.results_call.id]
    assert ids(f"calls?programme={w.closed_programme.id}") == []
    assert ids("programmes") == [w.programme.id, w.closed_programme.id]  # newest first
    assert get(client, f"programmes/{w.closed_programme.id}")["consultation_state"] == "closed"


@pytest.mark.parametrize("query, parameter", [
    ("postulates?page=abc", "page"), ("postulates?per_page=100000", "per_page"), ("postulates?per_page=0", "per_page"),
    ("calls?page=-1", "page"), ("postulates?programme=x", "programme"), ("meetings?unit=99999999999", "unit"),
    ("calls?state=draft", "state"), ("positions?category=yes", "category"), ("postulates?programe=1", "programe"),
    ("postulates?page=1&page=2", "page"), ("programmes/1?verbose=1", "verbose"),
])
def test_a_bad_parameter_gets_a_json_400_naming_it(client, query, parameter):
    body = get(client, query, 400)
    assert body["parameter"] == parameter and f"„{parameter}”" in body["message"]
    assert_matches(body, "Error")


def test_unknown_paths_ids_and_methods_get_json_errors(client):
    for path in (f"{API}/nope", f"{API}/programmes/0", f"{API}/programmes/99999999999", f"{API}/calls/abc"):
        body = get(client, path, 404)
        assert_matches(body, "Error")
    response = client.post(f"{API}/programmes")
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert "GET" in response.headers["Allow"]
    assert "<html" in client.get("/nie-ma-takiej-strony").get_data(as_text=True)  # the site keeps its pages


def test_a_server_error_is_json_too(app, client, monkeypatch):
    from consult.api import queries

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(queries, "programmes", lambda: 1 / 0)
    response = client.get(f"{API}/programmes")
    assert response.status_code == 500 and response.get_json()["status"] == 500


def test_the_public_pages_link_the_api(client, world):
    page = client.get("/").get_data(as_text=True)
    assert f'href="{API}/openapi.json"' in page


# --- the fuzzer --------------------------------------------------------------------------------------


@pytest.fixture
def api_schema(app, data):
    return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)


fuzzed = schemathesis.pytest.from_fixture("api_schema")


@fuzzed.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_fuzzer_finds_no_server_error_and_no_answer_off_the_document(case):
    case.call_and_validate()
