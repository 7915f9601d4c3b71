"""Every state change of a postulate or a position. Views, CLI commands and imports call these.

Operations do not commit: the caller wraps them in `consult.core.operations.transaction()`, so that
a bulk action or an import either happens whole or not at all.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import (can_act_for_unit, can_change_as_submitter, has_role, is_staff_of,
                                 submit_refusal)
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import check_version, fire
from consult.core.submissions import once
from consult.core.types import utcnow, warsaw_to_utc
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.notifications import jobs
from consult.organisations.models import Organisation, Unit
from consult.postulates import deadlines
from consult.postulates.models import (POSITION_CATEGORIES, Assignment, Position, PositionRedaction, Postulate,
                                      Redaction)
from consult.postulates.redaction import occurs, redacted
from consult.programmes.models import Programme
from workflows import MEETING, POSTULATE

MAX_TEXT = 20000


def _clean_text(value: str | None, field: str, *, required: bool, label: str) -> str | None:
    value = (value or "").strip()
    check_text(value, field=field, label=label.capitalize())
    if not value:
        if required:
            raise Refused(_("Wpisz %(label)s.", label=label), field=field)
        return None
    if len(value) > MAX_TEXT:
        raise Refused(_("%(label)s może mieć najwyżej %(n)s znaków (teraz: %(m)s).", label=label.capitalize(),
                        n=MAX_TEXT, m=len(value)), field=field)
    return value


def _require_ngo_member(actor) -> Organisation:
    if not has_role(actor, "ngo") or actor.organisation_id is None:
        raise Forbidden(_("Postulaty online składają członkowie organizacji pozarządowych."))
    return actor.organisation


# --- filed by an NGO online ----------------------------------------------------------------------

@once("postulate")
def create_postulate(actor, programme: Programme, *, content: str, justification: str | None = None,
                     submit: bool = False, provision_id: int | None = None, quote: str | None = None) -> Postulate:
    """An NGO member saves a new postulate as a draft, and submits it at once if `submit`; it may concern a
    provision of the programme's published text and quote the words to change (consult.programme_text)."""
    organisation = _require_ngo_member(actor)
    reason = programme.consultation_closed_reason()
    if reason:
        raise Refused(reason)
    postulate = Postulate(
        programme=programme, submitter_kind="organisation", organisation=organisation,
        content=_clean_text(content, "content", required=True, label=_("treść postulatu")),
        justification=_clean_text(justification, "justification", required=False, label=_("uzasadnienie")),
        created_by_id=actor.id, state="draft",
    )
    if provision_id is not None or quote:
        from consult.programme_text.operations import check_provision_choice

        postulate.provision_id, postulate.quote = check_provision_choice(programme, provision_id, quote)
    db.session.add(postulate)
    db.session.flush()
    audit.record(actor, "postulate", postulate.id, "create", to_state="draft", organisation=organisation.name,
                 provision=postulate.provision_id)
    if submit:
        submit_postulate(actor, postulate)
    return postulate


_KEEP = object()  # the provision is not on the form: leave it as it is


def update_postulate(actor, postulate: Postulate, *, content: str, justification: str | None,
                     expected_version: int | None = None, provision_id=_KEEP, quote: str | None = None) -> Postulate:
    """Change the text of a postulate: its NGO until it is answered, a coordinator to correct an entry. Its NGO
    may also change the provision it concerns and the words quoted, or clear them (`provision_id` None); a
    coordinator says which provision a postulate concerns on its own page (programme_text.link_postulate)."""
    if has_role(actor, "coordinator"):
        transition = "correct"
    else:
        if not can_change_as_submitter(actor, postulate):
            raise Forbidden(_("Możesz zmieniać tylko postulaty swojej organizacji."))
        transition = "edit_draft" if postulate.state == "draft" else "edit"
    check_version(postulate, expected_version)
    new_content = _clean_text(content, "content", required=True, label=_("treść postulatu"))
    new_justification = _clean_text(justification, "justification", required=False, label=_("uzasadnienie"))
    new_provision, new_quote = postulate.provision_id, postulate.quote
    if provision_id is not _KEEP:
        from consult.programme_text.operations import check_provision_choice

        new_provision, new_quote = check_provision_choice(postulate.programme, provision_id, quote)
    changed = [f for f, old, new in (("content", postulate.content, new_content),
                                     ("justification", postulate.justification, new_justification),
                                     ("provision", postulate.provision_id, new_provision),
                                     ("quote", postulate.quote, new_quote)) if old != new]
    fire(POSTULATE, postulate, transition, actor, context=postulate, action="edit", changed=changed,
         provision=new_provision if "provision" in changed else None)
    postulate.content = new_content
    postulate.justification = new_justification
    _refresh_public_text(postulate)
    postulate.provision_id, postulate.quote = new_provision, new_quote
    return postulate


def submit_postulate(actor, postulate: Postulate) -> Postulate:
    if not can_change_as_submitter(actor, postulate):
        raise Forbidden(_("Możesz składać tylko postulaty swojej organizacji."))
    refusal = submit_refusal(actor, postulate.organisation)
    if refusal:
        raise Refused(refusal)
    fire(POSTULATE, postulate, "submit", actor, context=postulate)
    postulate.submitted_at = utcnow()
    return postulate


def withdraw_postulate(actor, postulate: Postulate, *, reason: str | None = None) -> Postulate:
    if not can_change_as_submitter(actor, postulate):
        raise Forbidden(_("Możesz wycofywać tylko postulaty swojej organizacji."))
    # A draft never submitted stays unfiled when withdrawn (no filing time): the organisation's own, as it was.
    fire(POSTULATE, postulate, "withdraw", actor, reason=(reason or "").strip() or None)
    return postulate


# --- entered by a coordinator from a meeting -----------------------------------------------------

@once("meeting_postulate")
def record_meeting_postulate(actor, meeting: Meeting, *, content: str, justification: str | None = None,
                             organisation: Organisation | None = None, submitter_name: str | None = None,
                             number: int | None = None, private: bool = False,
                             name_consent: bool = False) -> Postulate:
    """A coordinator enters a postulate filed at a meeting on behalf of an organisation, an office holder or a
    private person (`private`: their name is published only with their consent, `name_consent`)."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Postulaty ze spotkań wprowadzają koordynatorzy."))
    # The next number (Lp.) is read after a lock on the meeting: two coordinators entering postulates of one
    # meeting at once get consecutive numbers, not the same one.
    meeting = lock_for_update(Meeting, meeting.id)
    fire(MEETING, meeting, "record_postulate", actor, action="record_postulate")
    if (organisation is None) == (not (submitter_name or "").strip()):
        raise Refused(_("Wskaż zgłaszającego: organizację albo osobę pełniącą funkcję publiczną."), field="submitter")
    taken = set(db.session.scalars(db.select(Postulate.number).where(Postulate.meeting_id == meeting.id)))
    if number is None:
        number = max(taken, default=0) + 1
    elif number < 1:
        raise Refused(_("Numer (Lp.) musi być dodatnią liczbą całkowitą."), field="number")
    elif number in taken:
        raise Refused(_("Na tym spotkaniu jest już postulat nr %(n)s.", n=number), field="number")
    postulate = Postulate(
        programme_id=meeting.programme_id, meeting=meeting, number=number,
        submitter_kind="organisation" if organisation is not None else "official",
        organisation=organisation,
        submitter_name=None if organisation is not None else submitter_name.strip()[:300],
        submitter_private=private and organisation is None,
        name_consent=private and name_consent and organisation is None,
        content=_clean_text(content, "content", required=True, label=_("treść postulatu")),
        justification=_clean_text(justification, "justification", required=False, label=_("uzasadnienie")),
        created_by_id=actor.id, state="draft",
    )
    db.session.add(postulate)
    db.session.flush()
    audit.record(actor, "postulate", postulate.id, "create", to_state="draft", meeting_id=meeting.id,
                 number=number, submitter=postulate.submitter_label)
    fire(POSTULATE, postulate, "submit_on_behalf", actor, action="submit")
    postulate.submitted_at = filed_at_meeting(meeting)
    return postulate


def filed_at_meeting(meeting: Meeting) -> datetime:
    """When a postulate filed at a meeting was filed: when the meeting began (Kraków's wall clock), whenever it is
    entered or imported afterwards; now, for one entered ahead of the meeting's start."""
    return min(warsaw_to_utc(datetime.combine(meeting.date, meeting.starts)), utcnow())


# --- routed to units ------------------------------------------------------------------------------

def assign_postulate(actor, postulate: Postulate, unit: Unit, *, due_on: date | None = None) -> Postulate:
    """Make `unit` responsible for the postulate; its position is due on `due_on` (by default today + the
    programme's days for a position; see consult/postulates/deadlines.py)."""
    from consult.organisations.operations import require_active_unit

    require_active_unit(unit)
    now = utcnow()
    due_on = _due_on(postulate, due_on, now)
    fire(POSTULATE, postulate, "assign", actor, unit=unit.name, unit_id=unit.id, due_on=due_on.isoformat())
    postulate.responsible_unit, postulate.responsible_unit_id = unit, unit.id
    _start_assignment(actor, postulate, unit, "assign", due_on, now)
    _notify_unit_later(postulate)
    return postulate


def forward_postulate(actor, postulate: Postulate, unit: Unit, *, note: str | None = None,
                      due_on: date | None = None) -> Postulate:
    """Move the responsibility to another unit, with a due date of its own (as when assigning)."""
    if postulate.responsible_unit_id == unit.id:
        raise Refused(_("Postulat jest już przypisany do komórki %(unit)s.", unit=unit.name), field="unit")
    from consult.organisations.operations import require_active_unit

    require_active_unit(unit)
    now = utcnow()
    due_on = _due_on(postulate, due_on, now)
    previous = postulate.responsible_unit
    fire(POSTULATE, postulate, "forward", actor, from_unit=previous.name if previous else None,
         unit=unit.name, unit_id=unit.id, note=(note or "").strip() or None, due_on=due_on.isoformat())
    postulate.responsible_unit, postulate.responsible_unit_id = unit, unit.id
    _start_assignment(actor, postulate, unit, "forward", due_on, now)
    _notify_unit_later(postulate)
    return postulate


def set_due_date(actor, postulate: Postulate, due_on: date | None) -> Assignment:
    """A coordinator gives the unit a new due date for its position (more time it asked for, a date set
    wrong), while the postulate still waits for it. The unit is reminded again before the new date."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Termin stanowiska zmieniają koordynatorzy."))
    if due_on is None:
        raise Refused(_("Podaj nowy termin stanowiska."), field="due_on")
    now = utcnow()
    deadlines.check_due_on(due_on, now)
    current = deadlines.current_assignment(postulate.id)
    if current is not None and current.due_on == due_on and current.unit_id == postulate.responsible_unit_id:
        raise Refused(_("Stanowisko jest już należne w tym dniu. Podaj inną datę."), field="due_on")
    unit = postulate.responsible_unit
    fire(POSTULATE, postulate, "set_due_date", actor, unit=unit.name if unit else None,
         from_due_on=current.due_on.isoformat() if current is not None else None, due_on=due_on.isoformat())
    return _start_assignment(actor, postulate, unit, "due_date", due_on, now)


def _due_on(postulate: Postulate, due_on: date | None, now) -> date:
    if due_on is None:
        return deadlines.default_due_on(postulate.programme, now)
    return deadlines.check_due_on(due_on, now)


def _start_assignment(actor, postulate: Postulate, unit: Unit, how: str, due_on: date, now) -> Assignment:
    """End the postulate's assignment in force (if any) and start the new one."""
    current = deadlines.current_assignment(postulate.id)
    if current is not None:
        current.ended_at = now
        db.session.flush()  # before the insert: one assignment in force per postulate (a unique index)
    assignment = Assignment(postulate_id=postulate.id, unit_id=unit.id, how=how, due_on=due_on, assigned_at=now,
                            assigned_by_id=getattr(actor, "id", None))
    db.session.add(assignment)
    return assignment


def _notify_unit_later(postulate: Postulate) -> None:
    """Staff of the unit learn of the postulate waiting for their position, after the commit."""
    after_commit(db.session, jobs.notify_unit_of_assignment, postulate.id)


# --- positions -------------------------------------------------------------------------------------

@once("position")
def save_position(actor, postulate: Postulate, *, category: str, text: str, unit: Unit | None = None,
                  expected_version: int | None = None) -> Position:
    """Record or revise, as a draft, the position of a unit on a postulate.

    Unit staff write for their own unit, and only on postulates assigned to it; a coordinator may
    transcribe the position of any unit (a position given on paper, an imported summary). The first
    position on an assigned postulate answers it.
    """
    if has_role(actor, "unit"):
        unit = actor.unit
        if not is_staff_of(actor, postulate.responsible_unit_id):
            raise Forbidden(_("Ten postulat nie jest przypisany do Twojej komórki."))
    elif has_role(actor, "coordinator"):
        unit = unit or postulate.responsible_unit
        if unit is None:
            raise Refused(_("Najpierw przypisz postulat do komórki merytorycznej."), field="unit")
    else:
        raise Forbidden(_("Stanowiska zajmują komórki merytoryczne."))
    if category not in POSITION_CATEGORIES:
        raise Refused(_("Wybierz rodzaj stanowiska z listy."), field="category")
    text = _clean_text(text, "text", required=True, label=_("treść stanowiska"))
    # One position per unit: whether this unit has one is read after a lock on the postulate, so two first
    # saves at once make one position and a refused (stale) second one, never two rows or a database error.
    postulate = lock_for_update(Postulate, postulate.id)
    position = postulate.position_of(unit.id)
    if position is not None:
        check_version(position, expected_version)
        if position.status == "published":
            raise Refused(_("Opublikowanego stanowiska nie można już zmienić."))
    # The first position on an assigned postulate answers it; later ones revise the answer.
    transition = "answer" if postulate.state == "assigned" else "revise_position"
    fire(POSTULATE, postulate, transition, actor, action="record_position" if position is None else "revise_position",
         unit=unit.name, category=category)
    if position is None:
        position = Position(postulate=postulate, unit=unit, category=category, text=text,
                            author_id=actor.id, status="draft")
        db.session.add(position)
    else:
        position.category = category
        position.text = text
        position.author_id = actor.id
    _refresh_position_text(position)  # the words redacted before stay hidden in the new text
    return position


def publish_positions(actor, postulates: list[Postulate]) -> int:
    """Publish the positions on each postulate, all of them or none. Returns how many were published."""
    if not postulates:
        raise Refused(_("Zaznacz co najmniej jeden postulat do opublikowania."), field="postulates")
    now = utcnow()
    for postulate in postulates:
        if not can_act_for_unit(actor, postulate):
            raise Forbidden(_("Postulat %(ref)s nie jest przypisany do Twojej komórki.", ref=postulate.reference))
        if postulate.state != "answered":
            raise Refused(_("Postulat %(ref)s nie ma stanowiska gotowego do publikacji. Nic nie zostało "
                            "opublikowane.", ref=postulate.reference))
        fire(POSTULATE, postulate, "publish", actor, positions=[p.unit.name for p in postulate.positions])
        for position in postulate.positions:
            if position.status == "draft":
                position.status = "published"
                position.published_at = now
    # the organisations that filed them learn of the answers, after the commit
    after_commit(db.session, jobs.notify_submitters_of_positions, [p.id for p in postulates])
    return len(postulates)


# --- year to year ----------------------------------------------------------------------------------

def carry_postulate(actor, postulate: Postulate, programme: Programme) -> Postulate:
    """A coordinator carries last year's postulate whose final position was "budget dependent" or "under
    analysis" into `programme`'s consultation: a new postulate, filed by the same submitter with the same text,
    on the provision of the new text that has the same identifier (when the new text has it), linked both ways
    (`carried_from`; the old one finds it by that link). Its organisation is told. Carried once only."""
    from consult.postulates.queries import CARRIED_CATEGORIES, carried_into, final_position, previous_programme

    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Postulaty do kolejnego roku przenoszą koordynatorzy."))
    postulate = lock_for_update(Postulate, postulate.id)
    previous = previous_programme(programme)
    if previous is None or postulate.programme_id != previous.id:
        raise Refused(_("Do programu „%(title)s” przenosi się postulaty z konsultacji programu na poprzedni rok.",
                        title=programme.title))
    final = final_position(postulate) if postulate.state == "published" else None
    if final is None or final.category not in CARRIED_CATEGORIES:
        raise Refused(_("Postulat %(ref)s nie ma ostatecznego stanowiska „zależny od środków w budżecie” ani "
                        "„w trakcie analizy”: nie przenosi się go.", ref=postulate.reference))
    already = carried_into([postulate.id]).get(postulate.id)
    if already is not None:
        raise Refused(_("Postulat %(ref)s został już przeniesiony: to postulat %(new)s.", ref=postulate.reference,
                        new=already.reference))
    provision_id, quote = _provision_next_year(postulate, programme)
    carried = Postulate(
        programme_id=programme.id, submitter_kind=postulate.submitter_kind,
        organisation_id=postulate.organisation_id, submitter_name=postulate.submitter_name,
        content=postulate.content, justification=postulate.justification, created_by_id=actor.id,
        state="submitted", submitted_at=utcnow(), provision_id=provision_id, quote=quote,
        carried_from_id=postulate.id)
    # the words hidden from last year's public text stay hidden (a private person's name does not become public
    # by being carried over): the same redactions, with their reasons
    carried.redactions = [Redaction(words=r.words, reason=r.reason, created_by_id=r.created_by_id,
                                    created_at=r.created_at) for r in postulate.redactions]
    _refresh_public_text(carried)
    db.session.add(carried)
    db.session.flush()
    db.session.refresh(carried, ["programme"])
    audit.record(actor, "postulate", carried.id, "carry_from", to_state="submitted", carried_from=postulate.id,
                 reference_from=postulate.reference, provision=provision_id)
    audit.record(actor, "postulate", postulate.id, "carry_into", carried_into=carried.id,
                 reference_into=carried.reference, programme=programme.id)
    if carried.submitter_kind == "organisation":
        after_commit(db.session, jobs.notify_submitters_of_carrying, carried.id)
    return carried


def carry_postulates(actor, postulates: list[Postulate], programme: Programme) -> list[Postulate]:
    """Carry the chosen postulates (all or none)."""
    if not postulates:
        raise Refused(_("Zaznacz postulaty, które chcesz przenieść."), field="postulates")
    return [carry_postulate(actor, p, programme) for p in postulates]


def _provision_next_year(postulate: Postulate, programme: Programme) -> tuple[int | None, str | None]:
    """The provision of the new programme's published text with the same identifier as the one the postulate
    concerned, and its quote while the words are still there; (None, None) when the new text has no such one."""
    if postulate.provision_id is None:
        return None, None
    from consult.programme_text.models import Provision
    from consult.programme_text.operations import normalised, published_provision

    key = db.session.scalar(db.select(Provision.key).where(Provision.id == postulate.provision_id))
    provision_id = db.session.scalar(db.select(Provision.id).where(
        Provision.programme_id == programme.id, Provision.key == key))
    snapshot = published_provision(programme.id, provision_id)
    if snapshot is None:
        return None, None
    quote = postulate.quote
    if quote and normalised(quote) not in normalised(f"{snapshot.heading or ''} {snapshot.text}"):
        quote = None
    return provision_id, quote


# --- redaction of the public text --------------------------------------------------------------------------

def _words_to_hide(words, reason, hidden, texts, absent: str) -> tuple[str, str]:
    """The words a coordinator asks to hide and why, checked: both given, the words at most 300 characters, found
    in one of `texts` (else `absent` says so), and not hidden already."""
    words = _clean_text(words, "words", required=True, label=_("słowa do ukrycia"))
    reason = _clean_text(reason, "reason", required=True, label=_("powód ukrycia"))
    if len(words) > 300:
        raise Refused(_("Słowa do ukrycia mogą mieć najwyżej 300 znaków."), field="words")
    if not any(occurs(text or "", words) for text in texts):
        raise Refused(absent, field="words")
    if any(r.words.casefold() == words.casefold() for r in hidden):
        raise Refused(_("Te słowa są już ukryte."), field="words")
    return words, reason


def redact_postulate(actor, postulate: Postulate, *, words: str | None, reason: str | None) -> Redaction:
    """A coordinator hides `words` (a private person's name, say) from every public output of the postulate;
    the content as filed stays for the staff and the organisation. The words and the reason go to the audit log."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Tekst postulatu utajniają koordynatorzy."))
    words, reason = _words_to_hide(words, reason, postulate.redactions, (postulate.content, postulate.justification),
                                   _("Tych słów nie ma w treści postulatu ani w uzasadnieniu. Skopiuj je dokładnie "
                                     "z tekstu."))
    redaction = Redaction(words=words, reason=reason, created_by_id=getattr(actor, "id", None), created_at=utcnow())
    postulate.redactions.append(redaction)
    _refresh_public_text(postulate)
    db.session.flush()
    audit.record(actor, "postulate", postulate.id, "redact", from_state=postulate.state, to_state=postulate.state,
                 words=words, reason=reason)
    return redaction


def undo_redaction(actor, redaction: Redaction) -> Postulate:
    """A coordinator shows the words again (redacted by mistake, the person agreed): audited."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Tekst postulatu utajniają koordynatorzy."))
    postulate = redaction.postulate
    postulate.redactions.remove(redaction)
    _refresh_public_text(postulate)
    audit.record(actor, "postulate", postulate.id, "undo_redaction", from_state=postulate.state,
                 to_state=postulate.state, words=redaction.words)
    return postulate


def _refresh_public_text(postulate: Postulate) -> None:
    words = [r.words for r in postulate.redactions]
    postulate.public_content = redacted(postulate.content, words)
    postulate.public_justification = redacted(postulate.justification, words)


def redact_position(actor, position: Position, *, words: str | None, reason: str | None) -> PositionRedaction:
    """A coordinator hides `words` from every public output of a unit's position, before or after it is
    published; the text as the unit wrote it stays for the staff. Audited on the postulate, with the reason."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Tekst stanowiska utajniają koordynatorzy."))
    words, reason = _words_to_hide(words, reason, position.redactions, (position.text,),
                                   _("Tych słów nie ma w treści stanowiska. Skopiuj je dokładnie z tekstu."))
    redaction = PositionRedaction(words=words, reason=reason, created_by_id=getattr(actor, "id", None),
                                  created_at=utcnow())
    position.redactions.append(redaction)
    _refresh_position_text(position)
    db.session.flush()
    postulate = position.postulate
    audit.record(actor, "postulate", postulate.id, "redact_position", from_state=postulate.state,
                 to_state=postulate.state, unit=position.unit.name, words=words, reason=reason)
    return redaction


def undo_position_redaction(actor, redaction: PositionRedaction) -> Position:
    """A coordinator shows the words of a position again: audited."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Tekst stanowiska utajniają koordynatorzy."))
    position = redaction.position
    position.redactions.remove(redaction)
    _refresh_position_text(position)
    postulate = position.postulate
    audit.record(actor, "postulate", postulate.id, "undo_position_redaction", from_state=postulate.state,
                 to_state=postulate.state, unit=position.unit.name, words=redaction.words)
    return position


def _refresh_position_text(position: Position) -> None:
    position.public_text = redacted(position.text, [r.words for r in position.redactions])
