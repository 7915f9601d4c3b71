"""The public text of a postulate (public_content, public_justification) and of a position (public_text) is stored,
derived from the text and its redactions. Every writer that can change the text keeps it derived: the NGO's edit,
a coordinator's correction, carrying a postulate into the next year, a unit revising its draft position (through
the page or a coordinator's hand), and redacting or restoring words. After each, the stored public text is what
the text and the redactions give, and the public reads no redacted word."""
from __future__ import annotations

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.extensions import db
from consult.postulates.models import Position, Postulate
from consult.postulates.redaction import redacted
from tests.conftest import login
from tests.test_year_to_year import carried_world  # noqa: F401  (the fixture)

NAME = "Teodozji Brzęczyszczykiewicz"
MARK = "[usunięto]"


def _fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def _assert_derived(postulate: Postulate) -> None:
    """The stored public text is what the text and the redactions give; no redacted word is in it."""
    postulate = _fresh(Postulate, postulate.id)
    words = [r.words for r in postulate.redactions]
    assert postulate.public_content == redacted(postulate.content, words)
    assert postulate.public_justification == redacted(postulate.justification, words)
    for word in words:
        assert word.casefold() not in postulate.public_text.casefold()
        assert word.casefold() not in (postulate.public_justification_text or "").casefold()
    for position in postulate.positions:
        pwords = [r.words for r in position.redactions]
        assert position.public_text == redacted(position.text, pwords)
        for word in pwords:
            assert word.casefold() not in position.text_for_public.casefold()


def test_every_writer_of_a_postulates_text_keeps_its_public_text_derived(app, world):
    from consult.postulates.operations import redact_postulate

    postulate = world.p["a_submitted"]  # NGO A's, submitted: its organisation may still edit it
    ngo_a = login(app.test_client(), world.user("ngo_a"))
    coordinator = login(app.test_client(), world.user("coordinator"))

    def edit(client, content, justification):
        fresh = _fresh(Postulate, postulate.id)
        response = client.post(f"/postulaty/{postulate.id}/edycja", data={
            "content": content, "justification": justification, "version": str(fresh.version)})
        assert response.status_code == 302, response.get_data(as_text=True)

    edit(ngo_a, f"Prosimy o dyżur {NAME}.", f"{NAME} zna dzielnicę.")
    with transaction():
        redact_postulate(world.user("coordinator"), _fresh(Postulate, postulate.id), words=NAME, reason="bez zgody")
    _assert_derived(postulate)
    # the organisation rewrites it: the name written again (other case) stays hidden, new words are public
    edit(ngo_a, f"Prosimy o dwa dyżury {NAME.upper()} w tygodniu.", "Potrzeba rośnie.")
    _assert_derived(postulate)
    fresh = _fresh(Postulate, postulate.id)
    assert fresh.public_text == f"Prosimy o dwa dyżury {MARK} w tygodniu."
    assert fresh.public_justification_text == "Potrzeba rośnie."
    # a coordinator corrects the entry
    edit(coordinator, f"Prosimy o trzy dyżury {NAME} w tygodniu.", "")
    _assert_derived(postulate)
    assert _fresh(Postulate, postulate.id).public_text == f"Prosimy o trzy dyżury {MARK} w tygodniu."
    # the words restored: the public text follows
    redaction = _fresh(Postulate, postulate.id).redactions[0]
    assert coordinator.post(f"/postulaty/{postulate.id}/ukryj-slowa/{redaction.id}/przywroc").status_code == 302
    _assert_derived(postulate)
    assert _fresh(Postulate, postulate.id).public_content is None


def test_carrying_a_redacted_postulate_keeps_its_words_hidden(app, carried_world):  # noqa: F811
    from consult.postulates.operations import redact_postulate

    world = carried_world
    old = world.p["budget"]  # "Więcej pieniędzy na wolontariat", NGO A's, last year's
    with transaction():
        redact_postulate(world.user("coordinator"), _fresh(Postulate, old.id), words="wolontariat",
                         reason="bez zgody")
    coordinator = login(app.test_client(), world.user("coordinator"))
    response = coordinator.post(f"/koordynacja/programy/{world.programme.id}/postulaty-z-poprzedniego-roku",
                                data={"postulates": [str(old.id)]})
    assert response.status_code == 302
    carried = db.session.scalar(db.select(Postulate).where(Postulate.carried_from_id == old.id))
    _assert_derived(carried)
    assert _fresh(Postulate, carried.id).public_text == f"Więcej pieniędzy na {MARK}"
    # and the carried one edited by its organisation stays derived
    fresh = _fresh(Postulate, carried.id)
    ngo_a = login(app.test_client(), world.user("ngo_a"))
    assert ngo_a.post(f"/postulaty/{carried.id}/edycja", data={
        "content": "Więcej pieniędzy na wolontariat seniorów", "justification": "",
        "version": str(fresh.version)}).status_code == 302
    _assert_derived(carried)
    assert _fresh(Postulate, carried.id).public_text == f"Więcej pieniędzy na {MARK} seniorów"


def test_every_writer_of_a_positions_text_keeps_its_public_text_derived(app, world):
    from consult.postulates.operations import assign_postulate, publish_positions

    postulate = world.p["a_submitted"]
    with transaction():
        assign_postulate(SYSTEM, _fresh(Postulate, postulate.id), world.unit_x)
    unit_x = login(app.test_client(), world.user("unit_x"))
    coordinator = login(app.test_client(), world.user("coordinator"))

    def save(client, text):
        fresh = _fresh(Postulate, postulate.id)
        version = fresh.positions[0].version if fresh.positions else 0
        response = client.post(f"/postulaty/{postulate.id}/stanowisko", data={
            "category": "accepted", "text": text, "version": str(version), "unit": str(world.unit_x.id),
            "version_unit": str(world.unit_x.id)})
        assert response.status_code == 302, response.get_data(as_text=True)

    save(unit_x, f"Dyżur poprowadzi {NAME}.")
    position = _fresh(Postulate, postulate.id).positions[0]
    # redacted while a draft: before publication
    url = f"/postulaty/{postulate.id}/stanowiska/{position.id}/ukryj-slowa"
    assert coordinator.post(url, data={"words": NAME, "reason": "bez zgody"}).status_code == 302
    _assert_derived(postulate)
    # the unit revises its draft, naming the person again: still hidden
    save(unit_x, f"Dyżury poprowadzi {NAME} i wolontariusze.")
    _assert_derived(postulate)
    assert _fresh(Position, position.id).text_for_public == f"Dyżury poprowadzi {MARK} i wolontariusze."
    # a coordinator records the unit's position for it
    save(coordinator, f"Dyżury poprowadzą {NAME} oraz wolontariusze.")
    _assert_derived(postulate)
    with transaction():
        publish_positions(world.user("unit_x"), [_fresh(Postulate, postulate.id)])
    # the organisation is told the position as the public reads it (the words were hidden before publication)
    from consult.notifications.models import Notification

    notes = db.session.scalars(db.select(Notification).where(Notification.kind == "position_published",
                                                             Notification.related_id == postulate.id)).all()
    assert notes and all("Brzęczyszczykiewicz" not in n.body and MARK in n.body for n in notes)
    api = app.test_client().get(f"/api/v1/postulates/{postulate.id}").get_json()
    assert [p["text"] for p in api["positions"]] == [f"Dyżury poprowadzą {MARK} oraz wolontariusze."]
    page = app.test_client().get(f"/postulaty/{postulate.id}").get_data(as_text=True)
    assert "Brzęczyszczykiewicz" not in page and MARK in page
    # the staff read it as written, with what the public reads beside it
    page = unit_x.get(f"/postulaty/{postulate.id}").get_data(as_text=True)
    assert NAME in page and "Publicznie stanowisko brzmi" in page
    # restored after publication: the public reads the name again
    redaction = _fresh(Position, position.id).redactions[0]
    assert coordinator.post(f"{url}/{redaction.id}/przywroc").status_code == 302
    _assert_derived(postulate)
    assert NAME in app.test_client().get(f"/postulaty/{postulate.id}").get_data(as_text=True)


def test_position_words_not_in_the_text_are_refused_and_only_coordinators_redact(app, world):
    postulate = world.p["b_published_x"]
    position = postulate.positions[0]
    url = f"/postulaty/{postulate.id}/stanowiska/{position.id}/ukryj-slowa"
    coordinator = login(app.test_client(), world.user("coordinator"))
    response = coordinator.post(url, data={"words": "Jan Nowak", "reason": "bez zgody"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Błąd: " in page
    assert "Tych słów nie ma w treści stanowiska" in page
    for key in ("unit_x", "ngo_b", "resident"):
        client = login(app.test_client(), world.user(key))
        assert client.post(url, data={"words": "przyjmujemy", "reason": "x"}).status_code == 403, key
    assert _fresh(Position, position.id).redactions == []
    assert _fresh(Position, position.id).public_text is None
