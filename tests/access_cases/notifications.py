"""A user's own notifications, the outbox of e-mails (coordinators and administrators), and the public PDFs of a
call (its announcement and results).

/powiadomienia: every signed-in role reads it and sees only their own (the follow-up checks that the
notification of the other NGO does not appear). The PDF routes are public once the PDF is published;
for anything not published they are 404 for everyone (tests/test_call_documents.py).
"""
from __future__ import annotations

import re

from tests.access_cases import ALL, SIGNED_IN, Case
from tests.access_cases.calls import call_of


def _notify(w):
    """One notification for each signed-in role of the world, each naming its recipient's role."""
    from consult.core.types import utcnow
    from consult.extensions import db
    from consult.notifications.models import Notification

    if not getattr(w, "_notified", False):
        for role, user in w.users.items():
            db.session.add(Notification(recipient_id=user.id, kind="correction_requested",
                                        related_type="correction_window", related_id=1,
                                        subject=f"Wiadomość dla roli {role}", body="Treść.", link="/",
                                        created_at=utcnow(), state="queued"))
        db.session.commit()
        w._notified = True
    return "/powiadomienia"


def _only_own(w, role, response):
    if role == "anon":
        return
    page = response.get_data(as_text=True)
    for other in w.users:
        # \b: the message for ngo_a is not the one for ngo_a_member
        assert bool(re.search(rf"Wiadomość dla roli {re.escape(other)}\b", page)) == (other == role), (role, other)


def _published_pdf_of(w, kind: str) -> str:
    """The announced call of the world with a published PDF of the kind (a stub file, no rendering)."""
    from consult.calls.documents import current_call_document
    from consult.core.types import utcnow
    from consult.documents import storage
    from consult.documents.models import DocumentJob, DocumentVersion
    from consult.extensions import db

    call = call_of(w, "announced")
    if current_call_document(call.id, kind) is None:
        now = utcnow()
        job = DocumentJob(kind=kind, subject_id=call.id, state="done", attempts=1, requested_at=now,
                          started_at=now, finished_at=now)
        db.session.add(job)
        db.session.flush()
        key = f"test/{kind}-{call.id}-{job.id}.pdf"
        storage.write(key, b"%PDF-1.7\n% test file\n%%EOF\n")
        db.session.add(DocumentVersion(kind=kind, subject_id=call.id, job_id=job.id, number=100 + job.id,
                                       storage_key=key, sha256="0" * 64, size=27, pages=1,
                                       source_digest="0" * 64, created_at=now, published_at=now,
                                       published_by_label="test"))
        db.session.commit()
    suffix = "ogloszenie" if kind == "call_announcement" else "wyniki"
    return f"/konkursy/{call.id}/{suffix}.pdf"


def _failed_email(w) -> int:
    """A failed e-mail to NGO A's member (the outbox pages show it; sending it again needs SMTP_HOST, which the
    route walk does not set, so the allowed roles get the refusal on the page, and nothing is sent)."""
    from consult.core.types import utcnow
    from consult.extensions import db
    from consult.notifications.models import Notification

    if getattr(w, "_failed_email", None) is None:
        user = w.user("ngo_a")
        note = Notification(recipient_id=user.id, kind="correction_requested", related_type="correction_window",
                            related_id=2, subject="E-mail, który nie doszedł", body="Treść.", link="/",
                            created_at=utcnow(), address=user.email, state="failed", attempts=5,
                            error="550 5.1.1 Mailbox unavailable")
        db.session.add(note)
        db.session.commit()
        w._failed_email = note.id
    return w._failed_email


def _outbox_shows_failure(w, role, response):
    if role in OUTBOX:
        page = response.get_data(as_text=True)
        assert "E-mail, który nie doszedł" in page and "550 5.1.1 Mailbox unavailable" in page


OUTBOX = frozenset({"coordinator", "admin"})

CASES = [
    Case("notifications.index", _notify, SIGNED_IN, follow_up=_only_own),
    Case("notifications.outbox", lambda w: (_failed_email(w), "/koordynacja/poczta")[1], OUTBOX,
         follow_up=_outbox_shows_failure),
    Case("notifications.email", lambda w: f"/koordynacja/poczta/{_failed_email(w)}", OUTBOX,
         follow_up=_outbox_shows_failure),
    Case("notifications.retry", lambda w: f"/koordynacja/poczta/{_failed_email(w)}/ponow", OUTBOX, method="POST",
         data=lambda w: {}),
    Case("call_documents.announcement_pdf", lambda w: _published_pdf_of(w, "call_announcement"), ALL),
    Case("call_documents.results_pdf", lambda w: _published_pdf_of(w, "call_results"), ALL),
]
