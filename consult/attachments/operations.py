"""Attaching and removing files: the only doors through which an attachment row or its bytes change.

A file is judged before anything is written: its size (at most 10 MB), its type by its content
(consult.attachments.sniffing) and the actor's right to change the record's files. Then its bytes are written
under their sha256 and the row committed; when the commit fails, a file written for it is removed again, so a
refused upload leaves neither a row nor a file.
"""
from __future__ import annotations

import hashlib
import os.path

from flask_babel import gettext as _

from consult.attachments import store
from consult.attachments.models import ANNEXES, MAX_SIZE, Attachment
from consult.attachments.parents import Parent, parent_of
from consult.attachments.sniffing import sniff
from consult.core import audit
from consult.core.errors import Forbidden, Refused
from consult.core.operations import in_transaction
from consult.extensions import db
from consult.i18n import format_number

NAME_LIMIT = 200


def clean_filename(name: str | None, extension: str) -> str:
    """The uploader's name for the file without folders or characters no column (nor header) may hold, ending
    in the extension of what the file is."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem = base
    stem = stem[:NAME_LIMIT].strip(" .") or "zalacznik"
    return f"{stem}.{extension}"


def attach(actor, parent: Parent, record, data: bytes, filename: str | None, *, annex: str = "other") -> Attachment:
    """Attach `data` to `record` (committed), or refuse saying why; a refusal keeps nothing."""
    if not parent.can_manage(actor, record):
        raise Forbidden(_("Nie możesz dołączać plików do tego zapisu (jest już złożony albo nie jest Twój)."))
    if annex not in ANNEXES or (annex != "other" and not parent.annexes):
        raise Refused(_("Wybierz, czym jest ten załącznik."), field="annex")
    if len(data) > MAX_SIZE:
        raise Refused(_("Plik ma %(size)s MB, a może mieć najwyżej %(limit)s MB. Zmniejsz go (np. zapisz skan "
                        "w niższej rozdzielczości) i wyślij ponownie.",
                        size=format_number(round(len(data) / (1024 * 1024), 1)),
                        limit=format_number(MAX_SIZE // (1024 * 1024))), field="file")
    kind = sniff(data)
    sha256 = hashlib.sha256(data).hexdigest()
    name = clean_filename(filename, kind.extension)
    fresh = not store.exists(sha256)
    if fresh:
        store.write(sha256, data)
    try:
        attachment = in_transaction(_record, actor, parent, record, sha256=sha256, size=len(data), name=name,
                                    extension=kind.extension, media_type=kind.media_type, annex=annex)
    except BaseException:
        if fresh:
            store.remove_unless_in_use(sha256)
        raise
    if not store.exists(sha256):  # the last other row naming it was removed, with its file, while this committed
        store.write(sha256, data)
    return attachment


def _record(actor, parent: Parent, record, *, sha256, size, name, extension, media_type, annex) -> Attachment:
    column = getattr(Attachment, parent.column)
    twin = db.session.scalar(db.select(Attachment).where(column == record.id, Attachment.sha256 == sha256))
    if twin is not None:
        raise Refused(_("Ten plik jest już dołączony (jako „%(name)s”).", name=twin.filename), field="file")
    attachment = Attachment(annex=annex, filename=name, extension=extension, media_type=media_type, size=size,
                            sha256=sha256, uploaded_by_id=getattr(actor, "id", None), **{parent.column: record.id})
    db.session.add(attachment)
    db.session.flush()
    audit.record(actor, parent.kind, record.id, "attach_file", attachment_id=attachment.id, filename=name,
                 size=size, sha256=sha256, annex=annex if parent.annexes else None)
    return attachment


def remove(actor, attachment: Attachment) -> None:
    """Remove the file from its record (committed); its bytes go with the last row naming them."""
    parent, record = parent_of(attachment)
    if not parent.may_remove(actor, record, attachment):
        raise Forbidden(_("Nie możesz usunąć tego pliku (zapis jest już złożony albo nie jest Twój)."))
    sha256 = attachment.sha256
    in_transaction(_remove, actor, parent, record, attachment)
    store.remove_unless_in_use(sha256)


def _remove(actor, parent: Parent, record, attachment: Attachment) -> None:
    audit.record(actor, parent.kind, record.id, "remove_file", attachment_id=attachment.id,
                 filename=attachment.filename, sha256=attachment.sha256)
    db.session.delete(attachment)




def set_call_annexes(actor, call, annexes: set[str], other_description: str = "",
                     optional: set[str] | frozenset = frozenset()) -> None:
    """Declare which annexes the call requires of every offer (`annexes`) and which an offer may attach
    (`optional`), committed: while the call is being drafted, by those who run it. "Other" needs the call's
    words for what they are."""
    from consult.calls.access import can_run_call

    if not can_run_call(actor, call) or call.state != "draft":
        raise Forbidden(_("Wymagane załączniki zmienia się tylko w projekcie konkursu, który prowadzisz."))
    optional = set(optional or ())
    if not annexes <= set(ANNEXES):
        raise Refused(_("Wybierz załączniki z listy."), field="annexes")
    if not optional <= set(ANNEXES):
        raise Refused(_("Wybierz załączniki z listy."), field="optional_annexes")
    both = [a for a in ANNEXES if a in annexes and a in optional]
    if both:
        from consult.attachments.forms import ANNEX_LABELS

        raise Refused(_("Załącznik „%(annex)s” zaznaczono jako wymagany i jako nieobowiązkowy: zostaw jedno.",
                        annex=ANNEX_LABELS[both[0]]), field="optional_annexes")
    other_description = (other_description or "").strip()
    if "other" in annexes | optional and not other_description:
        raise Refused(_("Napisz, jakich innych załączników wymaga konkurs."), field="other_description")
    if len(other_description) > 500:
        raise Refused(_("Opis innych załączników może mieć najwyżej 500 znaków."), field="other_description")
    in_transaction(_set_call_annexes, actor, call, annexes, optional,
                   other_description if "other" in annexes | optional else "")


def _set_call_annexes(actor, call, annexes: set[str], optional: set[str], other_description: str) -> None:
    from consult.attachments.models import CallAnnex

    rows = {row.annex: row for row in db.session.scalars(db.select(CallAnnex).where(CallAnnex.call_id == call.id))}
    for annex, row in rows.items():
        if annex not in annexes | optional:
            db.session.delete(row)
    for annex in annexes | optional:
        row = rows.get(annex) or CallAnnex(call_id=call.id, annex=annex)
        row.description = other_description if annex == "other" else ""
        row.required = annex in annexes
        db.session.add(row)
    audit.record(actor, "call", call.id, "set_annexes", annexes=sorted(annexes),
                 optional=sorted(optional) or None, other=other_description or None)
