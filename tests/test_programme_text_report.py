"""The consultation report's part grouped by provision: two versions of the text, postulates linked to a provision
and a position to the provision it changed; the PDF says provision → postulate → position → the change made, with
the insertion and the deletion told in words."""
from __future__ import annotations

import io
import re

import pikepdf
import pytest

from tests.programme_text_support import provision, publish_text
from tests.summary_support import page_texts, squeeze


@pytest.mark.usefixtures("summary_worker")
def test_the_report_pdf_has_the_part_by_provision_with_the_diff_and_the_links(app, world):
    from consult.consultation_report.operations import request_report
    from consult.core.operations import transaction
    from consult.documents.models import DocumentJob
    from consult.extensions import db
    from consult.postulates.models import Postulate
    from consult.postulates.operations import publish_positions
    from consult.programme_text.operations import link_position_changes, link_postulate
    from tests.summary_support import pdf_bytes, wait_for_jobs

    publish_text(world.programme, drafts=2)
    changed = provision(world.programme, "par-2.ust-1")
    untouched = provision(world.programme, "par-2.ust-2.pkt-2")
    accepted = db.session.get(Postulate, world.p["a_answered_x"].id)
    rejected = db.session.get(Postulate, world.p["b_published_x"].id)
    coordinator, unit = world.user("coordinator"), world.user("unit_x")
    with transaction():
        link_postulate(coordinator, accepted, provision_id=changed.id, quote="roli organizacji")
        link_position_changes(unit, accepted.positions[0], [changed.id])
        publish_positions(unit, [accepted])
        link_postulate(coordinator, rejected, provision_id=untouched.id)
    with transaction():
        job_id = request_report(coordinator, world.programme).id
    wait_for_jobs()
    job = db.session.get(DocumentJob, job_id)
    assert job.state == "done", job.error
    data = pdf_bytes(job.version)
    pages = page_texts(data)
    title = squeeze("Przepisy programu: postulaty, stanowiska i wprowadzone zmiany")
    # the contents give the part's page, and the PDF's outline has a bookmark to it
    toc = next(i for i, page in enumerate(pages) if squeeze("Spis treści") in squeeze(page))
    starts = next(i for i, page in enumerate(pages) if i > toc and title in squeeze(page)) + 1
    toc_text = squeeze(pages[toc])
    assert re.search(re.escape(title) + r"(\d+)", toc_text).group(1) == str(starts)
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        marks = {item.title: index[item.destination[0].objgen] + 1 for item in outline.root}
    assert marks["Przepisy programu: postulaty, stanowiska i wprowadzone zmiany"] == starts
    text = squeeze("\n".join(pages[starts - 1:]))
    part = text[text.index(title):]
    expected = ["§2ust.1(par-2.ust-1)", f"Postulat{accepted.reference}", squeeze("„roli organizacji”"),
                squeeze("zmieniło ten przepis"), "Przyjmujemy.", squeeze("Wprowadzona zmiana:"),
                squeeze("dodano: pozarządowych"), squeeze("usunięto: miasta."), squeeze("dodano: miasta i dzielnic."),
                "§2ust.2pkt2(par-2.ust-2.pkt-2)", f"Postulat{rejected.reference}", "Nieprzyjmujemy.",
                squeeze("Przepisu nie zmieniono.")]
    at = [part.index(s) for s in expected]
    assert at == sorted(at)
