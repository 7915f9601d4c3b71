"""Attached files: who may attach and remove them (the record's author while preparing it, coordinators for
meetings and reports) and who may download them (whoever may see the record: a draft postulate's file only its
organisation; a submitted one's also the city's staff who see the postulate; a published one's everyone; an offer's
the organisation, the unit running the call, coordinators and the commission's members without a conflict, never
the public; a meeting's everyone; a report's coordinators and units; a grant report's (art. 18) its organisation,
and once submitted also the unit that reviews it and coordinators; a small-grant offer's whoever sees its case - the
organisation, unit X it is addressed to, coordinators and administrators - never the public, not even while the offer
is published for comments). A grant report takes files from its organisation while it is a draft (or returned for
corrections), a small-grant offer while it is filed (before the judgement of purposefulness)."""
from io import BytesIO

from tests.access_cases import ALL, Case
from tests.access_cases.calls import call_of, offer_of
from tests.access_cases.implementation import _report

A = frozenset({"ngo_a"})
COORD = frozenset({"coordinator"})
REPORT_STAFF = frozenset({"coordinator", "unit_x", "unit_y"})
SMALL_GRANT_CASE = frozenset({"ngo_a", "unit_x", "coordinator", "admin"})  # as the case page (can_see_case)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def file_on(w, column: str, record_id: int, content: bytes = PDF) -> int:
    """A file attached to the record (made directly, as the record may no longer take files), with its bytes
    in storage."""
    import hashlib

    from consult.attachments import store
    from consult.attachments.models import Attachment
    from consult.extensions import db

    content = content + str((column, record_id)).encode()  # a file of its own per record
    sha = hashlib.sha256(content).hexdigest()
    existing = db.session.scalar(db.select(Attachment.id).where(getattr(Attachment, column) == record_id,
                                                                Attachment.sha256 == sha))
    if existing is not None:  # the walks build a case's address more than once
        return existing
    store.write(sha, content)
    row = Attachment(filename="statut.pdf", extension="pdf", media_type="application/pdf", size=len(content),
                     sha256=sha, **{column: record_id})
    db.session.add(row)
    db.session.commit()
    return row.id


def _report_file_of_x(w) -> int:
    from consult.attachments.models import Attachment
    from consult.extensions import db

    attachment_id = file_on(w, "report_id", _report(w), content=PDF + b"unit x")
    row = db.session.get(Attachment, attachment_id)
    row.uploaded_by_id = w.user("unit_x").id
    db.session.commit()
    return attachment_id


def _grant_report_id(w, state: str) -> int:
    """NGO A's final report on a granted offer of unit X's call: a draft it has started, or one it has submitted."""
    key = f"_attach_grant_report_{state}"
    if not hasattr(w, key):
        from consult.core.operations import transaction
        from consult.grant_reports import operations as ops
        from tests.grant_report_support import granted_offer, report_form

        offer = granted_offer(w, title=f"Z załącznikami ({state})")
        with transaction():
            report = ops.start_report(w.user("ngo_a"), offer)
            if state == "submitted":
                ops.submit_report(w.user("ngo_a"), report, report_form())
        setattr(w, key, report.id)
    return getattr(w, key)


def _small_grant_id(w, step: str) -> int:
    """NGO A's small-grant offer to unit X: `filed` (waiting for the judgement) or `open` (published for comments)."""
    from tests.smallgrant_support import journey_of

    return journey_of(w)[step].id


def _download(column, record):
    return lambda w: f"/zalaczniki/{file_on(w, column, record(w))}/pobierz"


class _Resent(BytesIO):
    """A file the hostile walk may send again with the same body (tests/test_hostile_input.py reuses one body
    for every id it puts in the address): closing it rewinds it."""

    def close(self):
        self.seek(0)


def _upload(w, name="zalacznik.pdf"):
    return {"file": (_Resent(PDF), name)}


CASES = [
    # Downloads: as the record is seen.
    Case("attachments.download", _download("postulate_id", lambda w: w.p["a_draft"].id), A, name="draft postulate"),
    Case("attachments.download", _download("postulate_id", lambda w: w.p["a_submitted"].id),
         A | {"coordinator", "admin"}, name="submitted postulate"),
    Case("attachments.download", _download("postulate_id", lambda w: w.p["a_assigned_x"].id),
         A | {"unit_x", "coordinator", "admin"}, name="assigned postulate"),
    Case("attachments.download", _download("postulate_id", lambda w: w.p["b_published_x"].id), ALL,
         name="published postulate"),
    Case("attachments.download", _download("meeting_id", lambda w: w.meeting.id), ALL, name="meeting"),
    Case("attachments.download", _download("offer_id", lambda w: offer_of(w, "draft").id), A, name="draft offer"),
    Case("attachments.download", _download("offer_id", lambda w: offer_of(w, "submitted").id),
         A | {"unit_x", "coordinator"}, name="submitted offer"),
    Case("attachments.download", _download("offer_id", lambda w: offer_of(w, "evaluation").id),
         A | {"unit_x", "coordinator", "ngo_b"}, name="offer under evaluation"),
    Case("attachments.download", _download("offer_id", lambda w: offer_of(w, "conflict").id),
         A | {"unit_x", "coordinator"}, name="offer of a member's conflict"),
    Case("attachments.download", _download("report_id", _report), frozenset({"unit_x", "unit_y", "coordinator"}),
         name="implementation report"),
    Case("attachments.download", _download("grant_report_id", lambda w: _grant_report_id(w, "draft")), A,
         name="draft grant report"),
    Case("attachments.download", _download("grant_report_id", lambda w: _grant_report_id(w, "submitted")),
         A | {"unit_x", "coordinator"}, name="submitted grant report"),
    Case("attachments.download", _download("small_grant_offer_id", lambda w: _small_grant_id(w, "filed")),
         SMALL_GRANT_CASE, name="filed small-grant offer"),
    Case("attachments.download", _download("small_grant_offer_id", lambda w: _small_grant_id(w, "open")),
         SMALL_GRANT_CASE, name="small-grant offer open for comments"),
    # Attaching: the author while preparing.
    Case("attachments.manage", lambda w: f"/zalaczniki/postulat/{w.p['a_draft'].id}", A, name="draft postulate"),
    Case("attachments.manage", lambda w: f"/zalaczniki/postulat/{w.p['a_draft'].id}", A, method="POST",
         data=_upload, name="draft postulate"),
    Case("attachments.manage", lambda w: f"/zalaczniki/postulat/{w.p['a_submitted'].id}", frozenset(),
         name="submitted postulate"),
    Case("attachments.manage", lambda w: f"/zalaczniki/postulat/{w.p['a_submitted'].id}", frozenset(),
         method="POST", data=_upload, name="submitted postulate"),
    Case("attachments.manage", lambda w: f"/zalaczniki/spotkanie/{w.meeting.id}", COORD, name="meeting"),
    Case("attachments.manage", lambda w: f"/zalaczniki/spotkanie/{w.meeting.id}", COORD, method="POST",
         data=_upload, name="meeting"),
    Case("attachments.manage", lambda w: f"/zalaczniki/oferta/{offer_of(w, 'draft').id}", A, name="draft offer"),
    Case("attachments.manage", lambda w: f"/zalaczniki/oferta/{offer_of(w, 'draft').id}", A, method="POST",
         data=lambda w: {**_upload(w, "statut.pdf"), "annex": "statute"}, name="draft offer"),
    Case("attachments.manage", lambda w: f"/zalaczniki/oferta/{offer_of(w, 'submitted').id}", frozenset(),
         name="submitted offer"),
    # a report: coordinators and the units answering for its activities (both X and Y answer for one)
    Case("attachments.manage", lambda w: f"/zalaczniki/sprawozdanie/{_report(w)}", REPORT_STAFF, name="report"),
    Case("attachments.manage", lambda w: f"/zalaczniki/sprawozdanie/{_report(w)}", REPORT_STAFF, method="POST",
         data=_upload, name="report"),
    # a grant report: its organisation while the report is a draft (or returned for corrections)
    Case("attachments.manage", lambda w: f"/zalaczniki/sprawozdanie-z-dotacji/{_grant_report_id(w, 'draft')}", A,
         name="draft grant report"),
    Case("attachments.manage", lambda w: f"/zalaczniki/sprawozdanie-z-dotacji/{_grant_report_id(w, 'draft')}", A,
         method="POST", data=_upload, name="draft grant report"),
    Case("attachments.manage", lambda w: f"/zalaczniki/sprawozdanie-z-dotacji/{_grant_report_id(w, 'submitted')}",
         frozenset(), name="submitted grant report"),
    Case("attachments.manage", lambda w: f"/zalaczniki/sprawozdanie-z-dotacji/{_grant_report_id(w, 'submitted')}",
         frozenset(), method="POST", data=_upload, name="submitted grant report"),
    # a small-grant offer: its organisation until the unit judges its purposefulness
    Case("attachments.manage", lambda w: f"/zalaczniki/maly-grant/{_small_grant_id(w, 'filed')}", A,
         name="filed small-grant offer"),
    Case("attachments.manage", lambda w: f"/zalaczniki/maly-grant/{_small_grant_id(w, 'filed')}", A,
         method="POST", data=_upload, name="filed small-grant offer"),
    Case("attachments.manage", lambda w: f"/zalaczniki/maly-grant/{_small_grant_id(w, 'open')}", frozenset(),
         name="small-grant offer open for comments"),
    Case("attachments.manage", lambda w: f"/zalaczniki/maly-grant/{_small_grant_id(w, 'open')}", frozenset(),
         method="POST", data=_upload, name="small-grant offer open for comments"),
    # Removing: the same people.
    Case("attachments.delete", lambda w: f"/zalaczniki/{file_on(w, 'postulate_id', w.p['a_draft'].id)}/usun", A,
         method="POST", data=lambda w: {}, name="draft postulate"),
    Case("attachments.delete", lambda w: f"/zalaczniki/{file_on(w, 'postulate_id', w.p['a_submitted'].id)}/usun",
         frozenset(), method="POST", data=lambda w: {}, name="submitted postulate"),
    Case("attachments.delete", lambda w: f"/zalaczniki/{file_on(w, 'meeting_id', w.meeting.id)}/usun", COORD,
         method="POST", data=lambda w: {}, name="meeting"),
    # a report's file attached by unit X's staff: unit X and coordinators, not unit Y
    Case("attachments.delete", lambda w: f"/zalaczniki/{_report_file_of_x(w)}/usun",
         frozenset({"unit_x", "coordinator"}), method="POST", data=lambda w: {}, name="report"),
    Case("attachments.delete",
         lambda w: f"/zalaczniki/{file_on(w, 'grant_report_id', _grant_report_id(w, 'draft'))}/usun", A,
         method="POST", data=lambda w: {}, name="draft grant report"),
    Case("attachments.delete",
         lambda w: f"/zalaczniki/{file_on(w, 'grant_report_id', _grant_report_id(w, 'submitted'))}/usun",
         frozenset(), method="POST", data=lambda w: {}, name="submitted grant report"),
    Case("attachments.delete",
         lambda w: f"/zalaczniki/{file_on(w, 'small_grant_offer_id', _small_grant_id(w, 'filed'))}/usun", A,
         method="POST", data=lambda w: {}, name="filed small-grant offer"),
    Case("attachments.delete",
         lambda w: f"/zalaczniki/{file_on(w, 'small_grant_offer_id', _small_grant_id(w, 'open'))}/usun",
         frozenset(), method="POST", data=lambda w: {}, name="small-grant offer open for comments"),
    # The annexes a call asks for: those who run it, while it is a draft.
    Case("attachments.call_annexes", lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/zalaczniki",
         frozenset({"unit_x", "coordinator"}), name="draft call"),
    Case("attachments.call_annexes", lambda w: f"/koordynacja/konkursy/{call_of(w, 'draft').id}/zalaczniki",
         frozenset({"unit_x", "coordinator"}), method="POST",
         data=lambda w: {"annexes": ["statute", "other"], "other_description": "Oświadczenie o rachunku bankowym"},
         name="draft call"),
    Case("attachments.call_annexes", lambda w: f"/koordynacja/konkursy/{call_of(w, 'announced').id}/zalaczniki",
         frozenset(), name="announced call"),
]
