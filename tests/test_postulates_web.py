"""The postulate journeys, driven through the web client as a user would: NGO files and follows, a unit
answers and publishes, a coordinator routes and reads the history."""
from __future__ import annotations

import re

from babel.dates import format_date

from consult.core.audit import trail
from consult.extensions import db
from consult.postulates.models import Position, Postulate
from tests.conftest import login


def _fresh(postulate_id: int) -> Postulate:
    db.session.expire_all()
    return db.session.get(Postulate, postulate_id)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _hidden_version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d*)"', html).group(1)


# --- an NGO ------------------------------------------------------------------------------------------

def test_ngo_journey_draft_edit_submit_withdraw(client, world):
    login(client, world.user("ngo_a"))
    page = _html(client.get("/moje-postulaty"))
    assert "Szkic organizacji A" in page and "A, ze stanowiskiem X" in page
    assert "Szkic organizacji B" not in page and "Złożony przez B" not in page
    assert f"/programy/{world.programme.id}/postulaty/nowy" in page
    assert f"/programy/{world.closed_programme.id}/postulaty/nowy" not in page

    form = _html(client.get(f"/programy/{world.programme.id}/postulaty/nowy"))
    assert "Zapisz szkic" in form and "Złóż postulat" in form

    # an empty postulate is refused with the summary linking to the field
    new_url = f"/programy/{world.programme.id}/postulaty/nowy"
    refused = client.post(new_url, data={"content": " ", "draft": "1"})
    text = _html(refused)
    assert refused.status_code == 200 and "Wystąpił problem" in text and "<title>Błąd: " in text
    assert 'href="#content"' in text
    empty = _html(client.post(new_url, data={"content": "", "draft": "1"}))
    assert "Wystąpił problem" in empty and '<a href="#content">Wpisz treść postulatu.</a>' in empty

    saved = client.post(f"/programy/{world.programme.id}/postulaty/nowy",
                        data={"content": "Więcej lokali dla organizacji", "justification": "Brakuje miejsc.",
                              "draft": "1"})
    assert saved.status_code == 302
    postulate = db.session.scalar(
        db.select(Postulate).where(Postulate.content == "Więcej lokali dla organizacji"))
    assert postulate.state == "draft" and postulate.organisation_id == world.org_a.id
    detail = _html(client.get(saved.headers["Location"]))
    assert "Więcej lokali dla organizacji" in detail and "szkic" in detail

    edit = _html(client.get(f"/postulaty/{postulate.id}/edycja"))
    version = _hidden_version(edit)
    assert client.post(f"/postulaty/{postulate.id}/edycja",
                       data={"content": "Więcej tanich lokali dla organizacji",
                             "justification": "Brakuje miejsc.", "version": version}).status_code == 302
    assert _fresh(postulate.id).content == "Więcej tanich lokali dla organizacji"

    submitted = client.post(f"/postulaty/{postulate.id}/zloz", follow_redirects=True)
    text = _html(submitted)
    assert submitted.status_code == 200 and "Postulat został złożony" in text
    assert f"RPW2027/{postulate.id:05d}" in text and "Co dalej" in text
    assert _fresh(postulate.id).state == "submitted"
    assert "złożony" in _html(client.get("/moje-postulaty"))

    confirm = _html(client.get(f"/postulaty/{postulate.id}/wycofaj"))
    assert "Wycofaj postulat" in confirm and "Powód wycofania" in confirm
    assert _fresh(postulate.id).state == "submitted"  # opening the confirmation changes nothing
    done = client.post(f"/postulaty/{postulate.id}/wycofaj", data={"reason": "Sprawa załatwiona."},
                       follow_redirects=True)
    assert "został wycofany" in _html(done) and "wycofany" in _html(done)
    assert _fresh(postulate.id).state == "withdrawn"
    assert trail("postulate", postulate.id)[-1].details == {"reason": "Sprawa załatwiona."}


def test_submit_at_once_shows_reference_and_next_steps(client, world):
    login(client, world.user("ngo_b"))
    response = client.post(f"/programy/{world.programme.id}/postulaty/nowy",
                           data={"content": "Konkurs na wkład własny", "submit": "1"}, follow_redirects=True)
    postulate = db.session.scalar(db.select(Postulate).where(Postulate.content == "Konkurs na wkład własny"))
    assert postulate.state == "submitted"
    text = _html(response)
    assert postulate.reference in text and "Koordynator konsultacji przypisze postulat" in text


def test_filing_refused_after_the_consultation_closed(client, world):
    login(client, world.user("ngo_a"))
    url = f"/programy/{world.closed_programme.id}/postulaty/nowy"
    page = _html(client.get(url))
    assert "zakończyły się" in page and "czasu warszawskiego" in page
    assert 'name="content"' not in page and "Złóż postulat" not in page
    before = db.session.scalar(db.select(db.func.count()).select_from(Postulate))
    response = client.post(url, data={"content": "Spóźniony postulat", "submit": "1"})
    assert response.status_code == 200 and "zakończyły się" in _html(response)
    assert "<title>Błąd: " in _html(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(Postulate)) == before


def test_another_ngo_cannot_open_or_change_a_draft(client, world):
    draft = world.p["a_draft"]
    login(client, world.user("ngo_b"))
    assert client.get(f"/postulaty/{draft.id}").status_code == 403
    assert client.get(f"/postulaty/{draft.id}/edycja").status_code == 403
    assert client.post(f"/postulaty/{draft.id}/zloz").status_code == 403
    assert _fresh(draft.id).state == "draft"
    assert "Szkic organizacji A" not in _html(client.get("/moje-postulaty"))


def test_coordinator_does_not_see_drafts(client, world):
    login(client, world.user("coordinator"))
    assert client.get(f"/postulaty/{world.p['a_draft'].id}").status_code == 403
    register = _html(client.get("/rejestr"))
    assert "Szkic organizacji A" not in register and "Złożony przez A" in register


def test_ngo_sees_position_only_once_published(app, world):
    postulate = world.p["a_answered_x"]
    ngo, unit = app.test_client(), app.test_client()
    login(ngo, world.user("ngo_a"))
    login(unit, world.user("unit_x"))
    assert "Przyjmujemy." not in _html(ngo.get(f"/postulaty/{postulate.id}"))
    staff_view = _html(unit.get(f"/postulaty/{postulate.id}"))
    assert "Przyjmujemy." in staff_view and "projekt" in staff_view
    assert unit.post(f"/postulaty/{postulate.id}/publikuj").status_code == 302
    page = _html(ngo.get(f"/postulaty/{postulate.id}"))
    assert "Przyjmujemy." in page and "przyjęty" in page and "opublikowany" in page
    # published: anyone may read it, and no personal data of staff is shown
    public = _html(app.test_client().get(f"/postulaty/{postulate.id}"))
    assert "Przyjmujemy." in public and "Unit X" not in public and "Historia postulatu" not in public


# --- a unit ------------------------------------------------------------------------------------------

def test_unit_queue_filters_by_state(app, client, world):
    login(client, world.user("unit_x"))
    everything = _html(client.get("/kolejka"))
    for content in ("A, przypisany do X", "A, ze stanowiskiem X", "B, opublikowany przez X"):
        assert content in everything
    assert "Złożony przez A" not in everything  # not assigned to any unit
    assigned = _html(client.get("/kolejka?state=assigned"))
    assert "A, przypisany do X" in assigned and "A, ze stanowiskiem X" not in assigned
    answered = _html(client.get("/kolejka?state=answered"))
    assert "A, ze stanowiskiem X" in answered and "A, przypisany do X" not in answered
    assert f'name="postulates" value="{world.p["a_answered_x"].id}"' in answered
    assert "Opublikuj zaznaczone" in answered
    by_meeting = _html(client.get(f"/kolejka?meeting={world.meeting.id}"))
    assert "Brak postulatów" in by_meeting
    other = login(app.test_client(), world.user("unit_y"))
    assert "A, przypisany do X" not in _html(other.get("/kolejka"))


def test_queue_is_paged(app, client, world):
    app.config["PAGE_SIZE"] = 2
    try:
        login(client, world.user("unit_x"))
        first = _html(client.get("/kolejka"))
        assert "Strona 1 z 2" in first and "strona=2" in first
        second = _html(client.get("/kolejka?strona=2"))
        assert "Strona 2 z 2" in second and "B, opublikowany przez X" in second
    finally:
        app.config["PAGE_SIZE"] = 50


def test_saving_a_draft_position_answers_the_postulate(client, world):
    postulate = world.p["a_assigned_x"]
    login(client, world.user("unit_x"))
    form = _html(client.get(f"/postulaty/{postulate.id}/stanowisko"))
    assert "już realizowany" in form and 'type="radio"' in form and 'name="unit"' not in form
    refused = client.post(f"/postulaty/{postulate.id}/stanowisko",
                          data={"text": "Bez rodzaju", "version": "0"})
    assert refused.status_code == 200 and "Wybierz rodzaj stanowiska z listy." in _html(refused)
    assert _fresh(postulate.id).state == "assigned"
    response = client.post(f"/postulaty/{postulate.id}/stanowisko",
                           data={"category": "partially_accepted", "text": "Częściowo tak.", "version": "0"})
    assert response.status_code == 302
    fresh = _fresh(postulate.id)
    assert fresh.state == "answered"
    assert [(p.category, p.text, p.status) for p in fresh.positions] == [
        ("partially_accepted", "Częściowo tak.", "draft")]


def test_two_staff_saving_the_same_position_second_is_refused(app, world):
    """Both load the form, the first saves, the second gets a refusal with the current text: nothing lost."""
    postulate = world.p["a_assigned_x"]
    first, second = app.test_client(), app.test_client()
    login(first, world.user("unit_x"))
    login(second, world.user("unit_x"))
    url = f"/postulaty/{postulate.id}/stanowisko"
    v1, v2 = _hidden_version(_html(first.get(url))), _hidden_version(_html(second.get(url)))
    assert client_post_ok(first, url, {"category": "accepted", "text": "Pierwszy tekst.", "version": v1})
    response = second.post(url, data={"category": "rejected", "text": "Drugi tekst.", "version": v2})
    assert response.status_code == 409
    text = _html(response)
    assert "Ktoś inny zmienił ten zapis" in text and "<title>Błąd: " in text
    assert "Pierwszy tekst." in text  # what is saved now, in the form
    assert "Drugi tekst." in text  # and what they typed, not lost silently
    db.session.expire_all()
    positions = db.session.scalars(db.select(Position).where(Position.postulate_id == postulate.id)).all()
    assert [(p.category, p.text) for p in positions] == [("accepted", "Pierwszy tekst.")]

    # the same when the position already existed: the second revision on a stale form is refused
    v1, v2 = _hidden_version(_html(first.get(url))), _hidden_version(_html(second.get(url)))
    assert client_post_ok(first, url, {"category": "accepted", "text": "Poprawiony tekst.", "version": v1})
    stale = second.post(url, data={"category": "accepted", "text": "Nadpisanie.", "version": v2})
    assert stale.status_code == 409
    db.session.expire_all()
    assert db.session.scalar(db.select(Position.text).where(Position.postulate_id == postulate.id)) \
        == "Poprawiony tekst."


def client_post_ok(client, url, data) -> bool:
    return client.post(url, data=data).status_code == 302


def test_bulk_publish_is_all_or_nothing(client, world):
    answered, assigned = world.p["a_answered_x"], world.p["a_assigned_x"]
    login(client, world.user("unit_x"))
    response = client.post("/kolejka/publikuj", data={"postulates": [answered.id, assigned.id]},
                           follow_redirects=True)
    assert "Nic nie zostało opublikowane" in _html(response)
    assert _fresh(answered.id).state == "answered" and _fresh(assigned.id).state == "assigned"

    nothing = client.post("/kolejka/publikuj", data={"state": "answered"}, follow_redirects=True)
    assert "Zaznacz co najmniej jeden postulat" in _html(nothing)

    client.post(f"/postulaty/{assigned.id}/stanowisko",
                data={"category": "explanation", "text": "Wyjaśniamy.", "version": "0"})
    done = client.post("/kolejka/publikuj",
                       data={"postulates": [answered.id, assigned.id], "state": "answered"})
    assert done.status_code == 302 and "state=answered" in done.headers["Location"]
    assert "Opublikowano stanowiska w 2 postulatach" in _html(client.get(done.headers["Location"]))
    assert _fresh(answered.id).state == "published" and _fresh(assigned.id).state == "published"
    assert all(p.status == "published" for p in _fresh(assigned.id).positions)


def test_unit_y_is_refused_on_x_postulates(client, world):
    login(client, world.user("unit_y"))
    assigned, answered = world.p["a_assigned_x"], world.p["a_answered_x"]
    assert client.get(f"/postulaty/{assigned.id}").status_code == 403
    assert client.get(f"/postulaty/{assigned.id}/stanowisko").status_code == 403
    assert client.post(f"/postulaty/{assigned.id}/stanowisko",
                       data={"category": "accepted", "text": "Nie nasze.", "version": "0"}).status_code == 403
    assert client.post("/kolejka/publikuj", data={"postulates": [answered.id]}).status_code == 403
    assert client.post(f"/postulaty/{answered.id}/publikuj").status_code == 403
    assert _fresh(assigned.id).positions == [] and _fresh(answered.id).state == "answered"


# --- a coordinator ----------------------------------------------------------------------------------

def test_coordinator_assigns_forwards_and_reads_the_trail(client, world):
    postulate = world.p["a_submitted"]
    login(client, world.user("coordinator"))
    register = _html(client.get(f"/rejestr?state=submitted&programme={world.programme.id}"))
    assert "Złożony przez A" in register and "A, przypisany do X" not in register
    assert "Fundacja Zustricz" in _html(client.get("/rejestr?submitter=zustr"))
    assert "Złożony przez B" not in _html(client.get("/rejestr?submitter=zustr"))

    refused = client.post(f"/postulaty/{postulate.id}/przypisz", data={})
    assert refused.status_code == 200 and "Wybierz komórkę merytoryczną." in _html(refused)
    assigned = client.post(f"/postulaty/{postulate.id}/przypisz", data={"unit": world.unit_x.id})
    assert assigned.status_code == 302
    fresh = _fresh(postulate.id)
    assert fresh.state == "assigned" and fresh.responsible_unit_id == world.unit_x.id

    same = client.post(f"/postulaty/{postulate.id}/przekaz", data={"unit": world.unit_x.id})
    assert same.status_code == 200 and "jest już przypisany do komórki" in _html(same)
    forwarded = client.post(f"/postulaty/{postulate.id}/przekaz",
                            data={"unit": world.unit_y.id, "note": "Sprawa dialogu obywatelskiego."})
    assert forwarded.status_code == 302
    assert _fresh(postulate.id).responsible_unit_id == world.unit_y.id
    assert "Złożony przez A" in _html(client.get(f"/rejestr?unit={world.unit_y.id}"))

    page = _html(client.get(f"/postulaty/{postulate.id}"))
    assert "Historia postulatu" in page
    for words in ("utworzenie szkicu", "złożenie postulatu", "przypisanie komórce merytorycznej",
                  "przekazanie innej komórce", "Sprawa dialogu obywatelskiego.",
                  "złożony → przekazany komórce",
                  "Ngo A", "Coordinator"):
        assert words in page, words


def test_ngo_and_staff_do_not_see_the_trail(app, world):
    postulate = world.p["a_assigned_x"]
    for role in ("ngo_a", "unit_x"):
        client = app.test_client()
        login(client, world.user(role))
        page = _html(client.get(f"/postulaty/{postulate.id}"))
        assert "A, przypisany do X" in page and "Historia postulatu" not in page


def test_stale_postulate_edit_shows_current_text(app, world):
    postulate = world.p["a_submitted"]
    ngo, coordinator = app.test_client(), app.test_client()
    login(ngo, world.user("ngo_a"))
    login(coordinator, world.user("coordinator"))
    url = f"/postulaty/{postulate.id}/edycja"
    v_ngo, v_coord = _hidden_version(_html(ngo.get(url))), _hidden_version(_html(coordinator.get(url)))
    assert client_post_ok(coordinator, url, {"content": "Poprawka koordynatora", "version": v_coord})
    response = ngo.post(url, data={"content": "Zmiana organizacji", "version": v_ngo})
    assert response.status_code == 409
    text = _html(response)
    assert "Poprawka koordynatora" in text and "Zmiana organizacji" in text and "Ktoś inny zmienił" in text
    assert _fresh(postulate.id).content == "Poprawka koordynatora"


def test_buttons_follow_the_workflow(app, world):
    ngo = app.test_client()
    login(ngo, world.user("ngo_a"))
    draft = _html(ngo.get(f"/postulaty/{world.p['a_draft'].id}"))
    assert "Złóż postulat" in draft and "Zmień treść" in draft and "Wycofaj postulat" in draft
    answered = _html(ngo.get(f"/postulaty/{world.p['a_answered_x'].id}"))
    assert "Zmień treść" not in answered and "Wycofaj postulat" not in answered
    coordinator = app.test_client()
    login(coordinator, world.user("coordinator"))
    submitted = _html(coordinator.get(f"/postulaty/{world.p['a_submitted'].id}"))
    assert "Przypisz komórce" in submitted and "Popraw treść" in submitted
    assert "Złóż postulat" not in submitted


def test_coordinator_transcribes_a_position_of_any_unit(client, world):
    postulate = world.p["a_answered_x"]  # X has a draft position on it
    login(client, world.user("coordinator"))
    url = f"/postulaty/{postulate.id}/stanowisko"
    form = _html(client.get(url))
    assert 'name="unit"' in form and "Przyjmujemy." in form
    version = _hidden_version(form)
    # the form showed X's position; saving it for Y is a new position of Y
    assert client.post(url, data={"unit": world.unit_y.id, "category": "explanation", "text": "Zdanie Y.",
                                  "version": version, "version_unit": world.unit_x.id}).status_code == 302
    # a second stale form for Y made while X's was shown must not overwrite Y's position unseen
    response = client.post(url, data={"unit": world.unit_y.id, "category": "rejected",
                                      "text": "Nadpisanie Y.", "version": version,
                                      "version_unit": world.unit_x.id})
    assert response.status_code == 409 and "Zdanie Y." in _html(response)
    fresh = _fresh(postulate.id)
    assert sorted((p.unit_id, p.text) for p in fresh.positions) == sorted(
        [(world.unit_x.id, "Przyjmujemy."), (world.unit_y.id, "Zdanie Y.")])
    page = _html(client.get(f"/postulaty/{postulate.id}"))
    assert "Zdanie Y." in page and "projekt" in page


# --- what the browser walk through the journeys showed ------------------------------------------------

def test_home_page_tells_each_role_what_to_do_next(app, world):
    anonymous = _html(app.test_client().get("/"))
    assert "Co możesz teraz zrobić" not in anonymous and "/logowanie" in anonymous

    ngo = _html(login(app.test_client(), world.user("ngo_a")).get("/"))
    assert "Co możesz teraz zrobić" in ngo
    assert f"/programy/{world.programme.id}/postulaty/nowy" in ngo
    assert f"/programy/{world.closed_programme.id}/postulaty/nowy" not in ngo
    assert "/moje-postulaty" in ngo and "1 szkic czeka na złożenie." in ngo

    unit = _html(login(app.test_client(), world.user("unit_x")).get("/"))
    assert "/kolejka?state=assigned" in unit and "Do opracowania: 1." in unit
    assert "/kolejka?state=answered" in unit and "Do opublikowania: 1." in unit

    coordinator = _html(login(app.test_client(), world.user("coordinator")).get("/"))
    # filed and not yet assigned: A's, B's and the one entered at the meeting
    assert "/rejestr?state=submitted" in coordinator and "nieprzypisane: 3." in coordinator
    assert "/koordynacja" in coordinator


def test_queue_offers_the_next_step_on_each_row_and_publish_only_when_there_is_something(client, world):
    login(client, world.user("unit_x"))
    page = _html(client.get("/kolejka"))
    assigned, answered = world.p["a_assigned_x"], world.p["a_answered_x"]
    assert f'href="/postulaty/{assigned.id}/stanowisko">Zapisz stanowisko' in page
    assert f'href="/postulaty/{answered.id}/stanowisko">Zmień projekt stanowiska' in page
    assert "złożony online" in page  # filed online, not at a meeting
    assert "Opublikuj zaznaczone stanowiska" in page

    nothing_to_publish = _html(client.get("/kolejka?state=assigned"))
    assert "Opublikuj zaznaczone" not in nothing_to_publish and 'id="select-all"' not in nothing_to_publish
    assert "nie ma projektów stanowisk do opublikowania" in nothing_to_publish

    empty = _html(client.get(f"/kolejka?meeting={world.meeting.id}"))
    assert "Brak postulatów" in empty and "Pokaż wszystkie postulaty komórki" in empty


def test_publishing_one_position_is_announced_in_the_singular(client, world):
    login(client, world.user("unit_x"))
    done = client.post("/kolejka/publikuj", data={"postulates": [str(world.p["a_answered_x"].id)]})
    assert "Opublikowano stanowisko w 1 postulacie." in _html(client.get(done.headers["Location"]))


def test_refused_filing_after_the_close_takes_the_focus(client, world):
    login(client, world.user("ngo_a"))
    url = f"/programy/{world.closed_programme.id}/postulaty/nowy"
    assert "data-autofocus" not in _html(client.get(url))  # a page that only informs does not grab focus
    refused = _html(client.post(url, data={"content": "Spóźniony postulat", "submit": "1"}))
    assert re.search(r'class="error-summary"[^>]*tabindex="-1" data-autofocus', refused)


def test_postulate_page_leads_back_to_the_list_of_each_role(app, world):
    answered = world.p["a_answered_x"]
    for role, back in (("ngo_a", "/moje-postulaty"), ("unit_x", "/kolejka"), ("coordinator", "/rejestr")):
        page = _html(login(app.test_client(), world.user(role)).get(f"/postulaty/{answered.id}"))
        assert re.search(rf'<p class="breadcrumb"><a href="{back}">', page), role
    meeting_postulate = world.p["meeting_official"]
    coordinator = _html(login(app.test_client(), world.user("coordinator"))
                        .get(f"/postulaty/{meeting_postulate.id}"))
    assert f'href="/koordynacja/spotkania/{world.meeting.id}"' in coordinator
    assert "(czasu warszawskiego)" in coordinator


def test_routing_page_labels_the_postulate_text(client, world):
    login(client, world.user("coordinator"))
    page = _html(client.get(f"/postulaty/{world.p['a_submitted'].id}/przypisz"))
    assert "<h2>Treść postulatu</h2>" in page and "Złożony przez A" in page


def test_forms_give_choices_in_the_form_wtforms_keeps(client, world):
    import warnings

    login(client, world.user("coordinator"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for url in ("/rejestr", f"/postulaty/{world.p['a_submitted'].id}/przypisz",
                    f"/postulaty/{world.p['a_assigned_x'].id}/stanowisko",
                    f"/koordynacja/spotkania/{world.meeting.id}/postulaty/nowy",
                    f"/koordynacja/spotkania/{world.meeting.id}/obecnosc",
                    f"/koordynacja/programy/{world.programme.id}/spotkania/nowe", "/rejestry/organizacje/nowa"):
            assert client.get(url).status_code == 200, url
    assert not [w for w in caught if "SelectChoice" in str(w.message)]


def test_summary_link_of_a_radio_group_lands_on_its_first_option(client, world):
    login(client, world.user("unit_x"))
    page = _html(client.post(f"/postulaty/{world.p['a_assigned_x'].id}/stanowisko",
                             data={"text": "Bez rodzaju", "version": "0"}))
    assert '<a href="#category-0">Wybierz rodzaj stanowiska z listy.</a>' in page and 'id="category-0"' in page


def test_submitter_reads_on_the_postulate_page_what_happens_next(app, client, world):
    login(client, world.user("ngo_a"))
    draft = _html(client.get(f"/postulaty/{world.p['a_draft'].id}"))
    assert "widzi go tylko Twoja organizacja" in draft and "czasu warszawskiego" in draft
    answered = _html(client.get(f"/postulaty/{world.p['a_answered_x'].id}"))
    assert "Postulatu nie można już zmienić ani wycofać." in answered
    # after the consultation closed the page says so instead of inviting a change
    from datetime import timedelta

    from consult.core.operations import transaction
    from consult.core.types import utcnow
    from consult.postulates.operations import create_postulate
    from consult.programmes.models import Programme

    with transaction():
        late = create_postulate(world.user("ngo_a"), db.session.get(Programme, world.programme.id),
                                content="Złożony przed końcem", submit=True)
        db.session.get(Programme, world.programme.id).consultation_closes = utcnow() - timedelta(seconds=1)
    page = _html(client.get(f"/postulaty/{late.id}"))
    assert "zakończyły się" in page and "możesz go zmienić" not in page
    assert "what-next" not in _html(login(app.test_client(), world.user("coordinator"))
                                    .get(f"/postulaty/{world.p['a_answered_x'].id}"))


def test_audit_trail_says_its_times_are_warsaw_time(client, world):
    login(client, world.user("coordinator"))
    page = _html(client.get(f"/postulaty/{world.p['a_answered_x'].id}"))
    assert "Historia postulatu" in page and "Kiedy (czasu warszawskiego)" in page


def test_queue_rows_say_what_each_control_is_about_and_show_what_was_filed_as_text(client, world):
    """Each row of the queue (consult/postulates/rows.py): the box to tick for publishing and the link to the
    position name their postulate to a screen reader, every cell names its column (data-label: the table stacks
    on a phone), a meeting's postulate shows the meeting's day and its number, what an NGO typed shows as text
    and not as markup, and all of it in the reader's language."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.i18n import DATE_PATTERNS
    from consult.postulates.operations import assign_postulate, create_postulate

    official = world.p["meeting_official"]
    with transaction():
        tricky = create_postulate(world.user("ngo_a"), world.programme,
                                  content='<script>alert("x")</script> & ławki', submit=True)
        assign_postulate(SYSTEM, tricky, world.unit_x)
        assign_postulate(SYSTEM, official, world.unit_x)
    login(client, world.user("unit_x"))
    answered, assigned = world.p["a_answered_x"], world.p["a_assigned_x"]

    def rows(page):
        return {int(m.group(1)): m.group(0) for m in re.finditer(
            r'<tr>\s*<td>.*?<th scope="row" class="ref"><a href="/postulaty/(\d+)">.*?</tr>', page, re.DOTALL)}

    for lang, words in (("pl", {"tick": "Zaznacz", "on": "w sprawie postulatu", "save": "Zapisz stanowisko",
                                "change": "Zmień projekt stanowiska", "no": "Lp.", "online": "złożony online",
                                "labels": ("Zgłaszający", "Postulat", "Spotkanie", "Termin stanowiska", "Stan")}),
                        ("en", {"tick": "Tick", "on": "on postulate", "save": "Save the position",
                                "change": "Change the draft position", "no": "No.", "online": "submitted online",
                                "labels": ("Submitter", "Postulate", "Meeting", "Position due", "State")})):
        page = _html(client.get("/kolejka", headers={"Accept-Language": lang}))
        row = rows(page)
        assert set(row) >= {answered.id, assigned.id, official.id, tricky.id}
        for html in row.values():
            assert [label for label in words["labels"] if f'<td data-label="{label}">' in html] == list(words["labels"])
        a = answered.reference
        assert (f'<input type="checkbox" name="postulates" value="{answered.id}" id="pick-{answered.id}">'
                f'<label for="pick-{answered.id}" class="visually-hidden">{words["tick"]} {a}</label>') in row[answered.id]
        assert (f'href="/postulaty/{answered.id}/stanowisko">{words["change"]}'
                f'<span class="visually-hidden"> {words["on"]} {a}</span></a>') in row[answered.id]
        assert 'type="checkbox"' not in row[assigned.id]  # nothing to publish yet: nothing to tick
        assert (f'href="/postulaty/{assigned.id}/stanowisko">{words["save"]}'
                f'<span class="visually-hidden"> {words["on"]} {assigned.reference}</span></a>') in row[assigned.id]
        assert words["online"] in row[assigned.id]
        day = format_date(world.meeting.date, DATE_PATTERNS[lang], locale=lang)
        assert f"{day}, {words['no']} {official.number}</td>" in row[official.id]
        assert "Pełnomocnik Prezydenta ds. NGO" in row[official.id]
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; ławki" in row[tricky.id]
        assert "<script>alert" not in page


def test_queue_names_the_unit_without_breaking_polish_grammar(client, world):
    login(client, world.user("unit_x"))
    page = client.get("/kolejka").get_data(as_text=True)
    assert "<h1>Postulaty mojej komórki</h1>" in page
    assert world.unit_x.name in page and f"komórki {world.unit_x.name}" not in page
