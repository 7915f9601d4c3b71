"""A postulate's provision beyond the text's own pages: the API and the register's download name it (identifier,
citation, link), and an NGO editing its postulate changes or clears it."""
from __future__ import annotations

import csv
import io

from consult.core.models import AuditEvent
from consult.core.operations import transaction
from consult.extensions import db
from consult.postulates.models import Postulate
from tests.conftest import login
from tests.programme_text_support import provision, publish_text


def test_the_api_and_the_download_name_the_provision_a_postulate_concerns(app, world):
    from consult.programme_text.operations import link_postulate

    publish_text(world.programme)
    point = provision(world.programme, "par-2.ust-2.pkt-1")
    with transaction():
        link_postulate(world.user("coordinator"), db.session.get(Postulate, world.p["b_published_x"].id),
                       provision_id=point.id)
    client = app.test_client()
    body = client.get(f"/api/v1/postulates/{world.p['b_published_x'].id}").get_json()
    assert body["provision"] == {"key": "par-2.ust-2.pkt-1", "label": "§ 2 ust. 2 pkt 1",
                                 "html_url": f"/programy/{world.programme.id}/tekst/przepisy/par-2.ust-2.pkt-1"}
    assert client.get(body["provision"]["html_url"]).status_code == 200
    listed = client.get(f"/api/v1/postulates?programme={world.programme.id}").get_json()["items"]
    assert [p["provision"] for p in listed if p["id"] != world.p["b_published_x"].id] == [None] * (len(listed) - 1)
    document = client.get("/api/v1/openapi.json").get_json()
    assert "provision" in document["components"]["schemas"]["Postulate"]["required"]

    rows = list(csv.reader(io.StringIO(client.get("/postulaty/eksport.csv").data.decode("utf-8-sig"))))
    row = next(dict(zip(rows[0], r)) for r in rows[1:] if r[0] == world.p["b_published_x"].reference)
    assert row["Przepis programu"] == "§ 2 ust. 2 pkt 1 (par-2.ust-2.pkt-1)"


def test_an_ngo_editing_its_draft_changes_and_clears_the_provision(app, world):
    publish_text(world.programme)
    section, point = provision(world.programme, "par-2.ust-1"), provision(world.programme, "par-2.ust-2.pkt-2")
    draft = world.p["a_draft"]
    ngo = login(app.test_client(), "ngo_a@example.org")
    url = f"/postulaty/{draft.id}/edycja"
    form = ngo.get(url).get_data(as_text=True)
    assert 'name="provision"' in form and "§ 2 ust. 1 – " in form

    def save(**fields):
        version = db.session.get(Postulate, draft.id).version
        return ngo.post(url, data={"content": "Szkic organizacji A", "version": version, **fields})

    assert save(provision=section.id, quote="roli organizacji").status_code == 302
    db.session.expire_all()
    saved = db.session.get(Postulate, draft.id)
    assert (saved.provision_id, saved.quote) == (section.id, "roli organizacji")
    assert f'<option selected value="{section.id}">' in ngo.get(url).get_data(as_text=True)

    # words that are not in the provision chosen: refused, nothing changed
    refused = save(provision=point.id, quote="roli organizacji")
    assert refused.status_code == 200 and "Tych słów nie ma w przepisie pkt 2" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Postulate, draft.id).provision_id == section.id

    assert save(provision="").status_code == 302  # "none: a postulate on the programme as a whole"
    db.session.expire_all()
    saved = db.session.get(Postulate, draft.id)
    assert (saved.provision_id, saved.quote) == (None, None)
    edits = db.session.scalars(db.select(AuditEvent).where(AuditEvent.subject_id == draft.id,
                                                           AuditEvent.action == "edit")).all()
    assert [e.details.get("changed") for e in edits] == [["provision", "quote"], ["provision", "quote"]]
