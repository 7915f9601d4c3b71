"""Entering the limits of small grants: a new dated set (an amendment), and the year's planned grants.

Only administrators enter them. A set is never edited: an amendment is a new set that holds from a later day.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func

from consult.calls.operations import parse_amount, parse_task_section, text_value, weigh_decision
from consult.core import audit, tokens
from consult.core.access import has_role, is_member_of, is_staff_of, submit_refusal
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text, is_email_address
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import fire
from consult.core.types import to_warsaw, today_in_warsaw, utcnow
from consult.extensions import db
from consult.i18n import format_amount, format_day
from consult.organisations.models import Organisation, Unit
from consult.organisations.register_data import SPHERES
from consult.smallgrants.limits import RULE_KINDS, RULES, breaches, limits_in_force, planned_grants
from consult.smallgrants.models import (
    PlannedPublicTaskGrants,
    SmallGrantComment,
    SmallGrantLimit,
    SmallGrantLimitSet,
    SmallGrantOffer,
)
from workflows import SMALL_GRANT_OFFER

MAX_TEXT = 20000


def get_locale_name() -> str:
    locale = get_locale()
    return str(locale) if locale else "pl"


def _require_admin(actor) -> None:
    if not has_role(actor, "admin"):
        raise Forbidden(_("Limity małych grantów wpisują administratorzy."))


def _value(rule: str, typed) -> Decimal:
    label = str(RULES[rule]).lower()
    kind = RULE_KINDS[rule]
    value = parse_amount(typed, f"{rule}_value", label, required=True, positive=True,
                         places=0 if kind == "days" else 2)
    if kind == "percent" and value > 100:
        raise Refused(_("%(label)s: podaj wartość od 0 do 100.", label=str(RULES[rule])), field=f"{rule}_value")
    if kind == "days" and value > 3660:
        raise Refused(_("%(label)s: podaj liczbę dni do 3660.", label=str(RULES[rule])), field=f"{rule}_value")
    return value


def enter_limit_set(actor, *, effective_from: date | None, values: dict, bases: dict,
                    note: str = "") -> SmallGrantLimitSet:
    """A new set of limits holding from `effective_from` (later than every set entered so far).

    `values` and `bases` map each rule code to what was typed: the value and the legal basis."""
    _require_admin(actor)
    if effective_from is None:
        raise Refused(_("Podaj datę, od której obowiązują nowe limity."), field="effective_from")
    latest = db.session.scalar(db.select(SmallGrantLimitSet.effective_from)
                               .order_by(SmallGrantLimitSet.effective_from.desc()).limit(1))
    if latest is not None and effective_from <= latest:
        raise Refused(_("Nowe limity muszą obowiązywać od dnia późniejszego niż ostatnie wpisane (%(day)s). "
                        "Wcześniejszych zestawów się nie zmienia: zmianę przepisów wpisuje się jako nowy zestaw.",
                        day=format_day(latest)), field="effective_from")
    limits = []
    for position, rule in enumerate(RULES):
        value = _value(rule, values.get(rule))
        check_text(bases.get(rule) or "", field=f"{rule}_basis", label=_("Podstawa prawna"))
        basis = " ".join((bases.get(rule) or "").split())
        if not basis:
            raise Refused(_("%(label)s: podaj podstawę prawną.", label=str(RULES[rule])), field=f"{rule}_basis")
        if len(basis) > 200:
            raise Refused(_("Podstawa prawna może mieć najwyżej 200 znaków."), field=f"{rule}_basis")
        limits.append(SmallGrantLimit(rule=rule, position=position, value=value, legal_basis=basis))
    check_text(note or "", field="note", label=_("Uwagi"))
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise Refused(_("Uwagi mogą mieć najwyżej 500 znaków."), field="note")
    limit_set = SmallGrantLimitSet(effective_from=effective_from, note=note, created_by_id=actor.id, limits=limits)
    db.session.add(limit_set)
    db.session.flush()
    audit.record(actor, "small_grant_limits", limit_set.id, "enter_limits", effective_from=effective_from.isoformat(),
                 **{rule: str(limit.value) for rule, limit in zip(RULES, limits)})
    return limit_set


def set_planned_grants(actor, *, year: int | None, amount) -> PlannedPublicTaskGrants:
    """The grants planned in `year` for public tasks by NGOs (entered again when the budget changes)."""
    _require_admin(actor)
    if year is None or not 2000 <= year <= 2100:
        raise Refused(_("Podaj rok budżetowy, np. 2027."), field="year")
    value = parse_amount(amount, "amount", _("kwotę dotacji planowanych"), required=True)
    row = db.session.get(PlannedPublicTaskGrants, year)
    before = row.amount if row else None
    if row is None:
        row = PlannedPublicTaskGrants(year=year, amount=value, updated_by_id=actor.id)
        db.session.add(row)
    else:
        row.amount, row.updated_by_id = value, actor.id
    db.session.flush()
    audit.record(actor, "small_grant_limits", year, "set_planned_grants", year=year,
                 before=str(before) if before is not None else None, after=str(value))
    return row


# --- the journey of a small-grant offer (art. 19a) ------------------------------------------------------------
#
# Who is the responsible unit: the NGO names the unit (komórka merytoryczna) it addresses the offer to when filing,
# as it addresses a letter to a department of the city office; a coordinator may hand an offer that is still waiting
# for the judgement of purposefulness to another unit (a misaddressed letter is forwarded, not returned).
#
# The comment term (art. 19a ust. 3 and 5): the offer is published for 7 days. Counted as the Civil Code counts a
# term in days (art. 111 § 2 k.c.): the day of publication is not counted, and the term ends at the end of its
# seventh day (Kraków's calendar). The 7 days are calendar days: art. 115 k.c. (a term ending on a Saturday or a
# public holiday ends on the next working day) concerns a term for a party's act, while this is the period of the
# publication itself; the unit decides from the day after the last day, whatever day of the week that is.

COMMENT_DAYS = 7
JUDGE_DAYS = 7  # the unit should judge purposefulness within 7 days of the offer's filing (shown in its queue)
COMMENT_LINK_HOURS = 48
FILING_RULES = ("max_grant", "max_days")


def comment_term_ends(published_on: date) -> date:
    """The last day on which comments may be made on an offer published on `published_on` (to its end)."""
    return published_on + timedelta(days=COMMENT_DAYS)


def comments_open(offer, today: date | None = None) -> bool:
    today = today or today_in_warsaw()
    return offer.state == "open_for_comments" and offer.comments_until is not None and today <= offer.comments_until


def days_left(offer, today: date | None = None) -> int:
    """The days on which comments may still be made, today included (0: the term is over)."""
    today = today or today_in_warsaw()
    if offer.comments_until is None:
        return 0
    return max(0, (offer.comments_until - today).days + 1)


def can_see_case(user, offer) -> bool:
    """The case of an offer (the internal page): the NGO that filed it, its unit, coordinators and admins."""
    return has_role(user, "coordinator", "admin") or is_member_of(user, offer.organisation_id) \
        or is_staff_of(user, offer.unit_id)


def can_see_agreement(user, offer) -> bool:
    """The agreement (PDF) of a granted offer: the NGO, its unit and coordinators (not an administrator of the
    system: it is no party to it)."""
    return has_role(user, "coordinator") or is_member_of(user, offer.organisation_id) \
        or is_staff_of(user, offer.unit_id)


def can_decide(user, offer) -> bool:
    return has_role(user, "coordinator") or is_staff_of(user, offer.unit_id)


def _budget(lines) -> tuple[list[dict], Decimal, Decimal]:
    """The simplified budget's lines (those with anything typed), the sum from the grant and the total cost."""
    kept, from_grant, total = [], Decimal(0), Decimal(0)
    for i, row in enumerate(lines or []):
        if not any((row.get(k) or "").strip() for k in ("name", "total", "from_grant")):
            continue
        n = len(kept) + 1
        field = f"line{i}_name"
        name = text_value(row.get("name"), field, _("rodzaj kosztu %(n)s", n=n), required=True, limit=300)
        line_total = parse_amount(row.get("total"), f"line{i}_total", _("koszt całkowity pozycji %(n)s", n=n),
                                  required=True, positive=True)
        line_grant = parse_amount(row.get("from_grant"), f"line{i}_from_grant",
                                  _("kwotę z dotacji w pozycji %(n)s", n=n), required=True)
        if line_grant > line_total:
            raise Refused(_("Pozycja %(n)s: kwota z dotacji nie może być większa niż koszt całkowity.", n=n),
                          field=f"line{i}_from_grant")
        kept.append({"name": name, "total": str(line_total), "from_grant": str(line_grant)})
        from_grant += line_grant
        total += line_total
    if not kept:
        raise Refused(_("Wpisz co najmniej jedną pozycję kosztorysu."), field="line0_name")
    if from_grant <= 0:
        raise Refused(_("Wpisz, ile z kosztów ma pokryć dotacja."), field="line0_from_grant")
    return kept, from_grant, total


def _tell(kind: str, offer_id: int) -> None:
    from consult.smallgrants import jobs

    after_commit(db.session, jobs.notify, kind, offer_id, current_app._get_current_object())


def file_small_grant_offer(actor, *, unit_id, title, description, place, starts, ends, expected_results,
                           budget_lines, sphere=None) -> SmallGrantOffer:
    """An NGO files an offer in the simplified form outside any call. Refused when it breaks a limit in force
    today (the largest grant, the longest task), naming the rule and its legal basis."""
    if not has_role(actor, "ngo") or actor.organisation_id is None:
        raise Forbidden(_("Ofertę w trybie art. 19a składa organizacja pozarządowa."))
    refusal = submit_refusal(actor, actor.organisation)
    if refusal:
        raise Refused(refusal)
    unit = db.session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None or not unit.active:
        raise Refused(_("Wybierz komórkę merytoryczną, do której kierujesz ofertę."), field="unit")
    # the task section of the 2018 offer, read as an offer in a call reads it (its title, dates, description and
    # place); the simplified offer has every one of them required, and its expected results as one text
    try:
        section = parse_task_section({"title": title, "task_starts": starts, "task_ends": ends,
                                      "description": description, "place": place})
    except Refused as refusal:  # the call's form names the dates task_starts/task_ends, this one starts/ends
        raise Refused(str(refusal), field={"task_starts": "starts", "task_ends": "ends"}.get(refusal.field,
                                                                                               refusal.field)) from None
    title = text_value(section.title, "title", _("tytuł zadania"), required=True, limit=500)
    description = text_value(section.task["description"], "description", _("opis zadania"), required=True)
    place = text_value(section.task["place"], "place", _("miejsce realizacji"), required=True, limit=1000)
    expected_results = text_value(expected_results, "expected_results", _("zakładane rezultaty"), required=True)
    if sphere not in SPHERES:
        raise Refused(_("Wybierz sferę pożytku publicznego, w której mieści się zadanie: według niej program "
                        "współpracy liczy małe granty w obszarach priorytetowych."), field="sphere")
    if starts is None:
        raise Refused(_("Podaj datę rozpoczęcia zadania."), field="starts")
    if ends is None:
        raise Refused(_("Podaj datę zakończenia zadania."), field="ends")
    today = today_in_warsaw()
    if starts <= today:
        raise Refused(_("Zadanie musi się zaczynać po dniu złożenia oferty: oferta czeka na ocenę celowości "
                        "i 7 dni na uwagi."), field="starts")
    lines, amount, total = _budget(budget_lines)
    limit_set = limits_in_force(today)
    if limit_set is None:
        raise Refused(_("Nie wpisano limitów małych grantów: oferty w tym trybie nie można teraz złożyć."))
    found = [b for b in breaches(limit_set, amount=amount, starts=starts, ends=ends, planned=amount * 100)
             if b.rule in FILING_RULES]
    if found:
        raise Refused(" ".join(str(b) for b in found), field="starts" if found[0].rule == "max_days" else "line0_from_grant")
    offer = SmallGrantOffer(organisation_id=actor.organisation_id, unit_id=unit.id, state="filed", title=title,
                            description=description, place=place, starts=starts, ends=ends,
                            expected_results=expected_results, sphere=sphere, budget=lines, amount=amount,
                            total_cost=total,
                            filed_by_id=actor.id, filed_at=utcnow(), judge_by=today + timedelta(days=JUDGE_DAYS))
    db.session.add(offer)
    db.session.flush()
    audit.record(actor, "small_grant_offer", offer.id, "file", to_state="filed", unit=unit.name, amount=str(amount),
                 sphere=sphere)
    _tell("small_grant_received", offer.id)
    _tell("small_grant_to_judge", offer.id)
    from consult.receipts.documents import SMALL_GRANT_OFFER_FILED, file_document

    file_document(actor, SMALL_GRANT_OFFER_FILED, offer.id)  # the simplified offer as filed, in PDF, with a receipt
    return offer


def reassign_small_grant_offer(actor, offer: SmallGrantOffer, *, unit_id) -> SmallGrantOffer:
    """A coordinator hands an offer waiting for the judgement of purposefulness to another unit."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Ofertę innej komórce przekazuje koordynator."))
    unit = db.session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None or not unit.active:
        raise Refused(_("Wybierz komórkę merytoryczną."), field="unit")
    if unit.id == offer.unit_id:
        raise Refused(_("Oferta jest już w tej komórce."), field="unit")
    before = offer.unit.name
    fire(SMALL_GRANT_OFFER, offer, "reassign", actor, before=before, after=unit.name)
    offer.unit_id = unit.id
    db.session.flush()
    _tell("small_grant_to_judge", offer.id)
    return offer


def judge_purpose(actor, offer: SmallGrantOffer, *, purposeful: bool, reason: str | None = None) -> SmallGrantOffer:
    """The unit finds the task purposeful (the offer is published for comments from today) or refuses, with
    reasons. After the term (`judge_by`) too: the audit event then records the term and the days late."""
    if not can_decide(actor, offer):
        raise Forbidden(_("O celowości rozstrzyga komórka, do której skierowano ofertę, albo koordynator."))
    today = today_in_warsaw()
    # past the term the unit still judges (the law obliges it to), and the record says by how many days late
    late = {"judge_by": offer.judge_by.isoformat(), "days_late": (today - offer.judge_by).days} \
        if today > offer.judge_by else {}
    if purposeful:
        fire(SMALL_GRANT_OFFER, offer, "find_purposeful", actor, comments_until=comment_term_ends(today).isoformat(),
             **late)
        offer.published_on, offer.comments_until = today, comment_term_ends(today)
    else:
        reason = text_value(reason, "reason", _("uzasadnienie"), required=True)
        fire(SMALL_GRANT_OFFER, offer, "refuse_purpose", actor, **late)
        offer.purpose_refusal = reason
    offer.judged_at, offer.judged_by_id = utcnow(), actor.id
    db.session.flush()
    _tell("small_grant_judged", offer.id)
    return offer


def _comment_state(comment_id: int) -> str | None:
    comment = db.session.get(SmallGrantComment, comment_id)
    return None if comment is None else tokens.fingerprint(comment.confirmed_at, comment.hidden_at)


def comment_link_token(comment: SmallGrantComment) -> str:
    return tokens.make("small-grant-comment", comment.id, _comment_state(comment.id))


def add_comment(offer: SmallGrantOffer, *, name, email, text) -> tuple[SmallGrantComment, str]:
    """Anyone comments on an offer open for comments, without an account: the comment is shown once its author
    confirms the address by the link sent to it. Returns the comment and the link's token."""
    if not comments_open(offer):
        raise Refused(_("Uwagi do tej oferty można było zgłaszać do %(day)s.", day=format_day(offer.comments_until))
                      if offer.comments_until else _("Do tej oferty nie można zgłaszać uwag."))
    name = text_value(name, "name", _("imię i nazwisko albo nazwę"), required=True, limit=200)
    email = (email or "").strip() if isinstance(email, str) else ""
    check_text(email, field="email", label=_("Adres e-mail"))
    if not is_email_address(email) or len(email) > 320:
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@example.org: wyślemy na niego link potwierdzający."),
                      field="email")
    text = text_value(text, "text", _("treść uwagi"), required=True, limit=5000)
    comment = SmallGrantComment(offer_id=offer.id, author_name=name, email=email, text=text, created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    token = comment_link_token(comment)
    after_commit(db.session, _send_comment_link, comment.id, token, get_locale_name(),
                 current_app._get_current_object())
    return comment, token


def _send_comment_link(comment_id: int, token: str, locale: str, app) -> None:
    from consult.smallgrants import jobs

    jobs.send_comment_link(comment_id, token, locale, app)


def comment_of(token: str) -> SmallGrantComment:
    """The comment a confirmation link is for (TokenInvalid / TokenExpired otherwise: used, forged, too old)."""
    payload = tokens.read("small-grant-comment", token, max_age=COMMENT_LINK_HOURS * 3600,
                          fingerprint_of=_comment_state)
    return db.session.get(SmallGrantComment, payload["id"])


def confirm_comment(token: str) -> SmallGrantComment:
    """The author confirms the address: the comment is shown (while the offer is still open for comments)."""
    comment = comment_of(token)
    if not comments_open(comment.offer):
        raise Refused(_("Termin uwag do tej oferty minął %(day)s: uwaga nie została dołączona.",
                        day=format_day(comment.offer.comments_until)))
    comment.confirmed_at = utcnow()
    db.session.flush()
    return comment


def hide_comment(actor, comment: SmallGrantComment, *, reason) -> SmallGrantComment:
    """A coordinator hides an abusive comment, with a reason: it is no longer shown publicly (audited; the unit
    still reads it in the case, marked hidden)."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Uwagi ukrywa koordynator."))
    if comment.hidden_at is not None:
        raise Refused(_("Ta uwaga jest już ukryta."))
    reason = text_value(reason, "reason", _("powód ukrycia"), required=True, limit=1000)
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = utcnow(), actor.id, reason
    db.session.flush()
    audit.record(actor, "small_grant_offer", comment.offer_id, "hide_comment", comment=comment.id, reason=reason)
    return comment


def _granted_in_year(year: int, *, organisation_id: int | None = None) -> Decimal:
    query = db.select(func.coalesce(func.sum(SmallGrantOffer.granted_amount), 0)).where(
        SmallGrantOffer.state.in_(("granted", "reported")), SmallGrantOffer.decision_year == year)
    if organisation_id is not None:
        query = query.where(SmallGrantOffer.organisation_id == organisation_id)
    return Decimal(db.session.scalar(query) or 0)


def _limit_breaches(offer: SmallGrantOffer, amount: Decimal) -> tuple[SmallGrantOffer, int, list]:
    """The rules of the limits in force on the day `offer` was filed that a grant of `amount` decided this year
    would break, with the organisation's grants of the year and the city's 20% share; read under the locks (the
    year's planned grants, then the organisation) that serialise the decisions sharing those sums, which it takes.
    Returns the offer read again under them, the year, and the rules broken."""
    year = today_in_warsaw().year
    offer_id = offer.id
    lock_for_update(PlannedPublicTaskGrants, year)
    lock_for_update(Organisation, offer.organisation_id)
    offer = db.session.get(SmallGrantOffer, offer_id)
    limit_set = limits_in_force(to_warsaw(offer.filed_at).date())
    return offer, year, breaches(limit_set, amount=amount, starts=offer.starts, ends=offer.ends,
                                 organisation_year_total=_granted_in_year(year, organisation_id=offer.organisation_id),
                                 year_total=_granted_in_year(year), planned=planned_grants(year))


def decide_small_grant(actor, offer: SmallGrantOffer, *, grant: bool, amount=None, reason: str | None = None,
                       for_limits: bool = False) -> SmallGrantOffer:
    """After the comment term the unit grants (an amount) or refuses (reasons). A grant is judged by the limits in
    force on the day the offer was filed, with the organisation's grants of the year and the city's 20% share:
    the decision locks the year's planned grants (all small grants of the year) and the organisation, so that two
    grants decided at once cannot together pass a limit each would pass alone.

    A refusal `for_limits` rests on those limits: it is taken only when a grant of `amount` (the amount asked for
    when none is typed) would break one, and its reasons name each rule broken, its value and its legal basis (kept
    in `refused_under`, so that the NGO reads them in its own language); the unit's own words, if any, follow."""
    if not can_decide(actor, offer):
        raise Forbidden(_("Decyzję podejmuje komórka, do której skierowano ofertę, albo koordynator."))
    term_runs = None
    if comments_open(offer):
        term_runs = _("Uwagi można zgłaszać do końca dnia %(day)s: decyzję podejmuje się po tym terminie.",
                      day=format_day(offer.comments_until))
    refused_under = None
    if for_limits:
        grant = False
        tested = offer.amount if amount in (None, "") else \
            parse_amount(amount, "amount", _("kwota dotacji"), required=True, positive=True)
        reason = text_value(reason, "reason", _("uzasadnienie")) or None
        offer, _year, found = _limit_breaches(offer, tested)
        fire(SMALL_GRANT_OFFER, offer, "refuse", actor, context=term_runs, amount=str(tested),
             limits=[b.rule for b in found])  # the state and the comment term first
        if not found:
            raise Refused(_("Dotacja w kwocie %(amount)s nie przekroczyłaby żadnego limitu małych grantów: jeśli "
                            "odmawiasz z innych powodów, wybierz „Odmów przyznania dotacji” i podaj uzasadnienie.",
                            amount=format_amount(tested)), field="verdict")
        refused_under = [{"rule": b.rule, "limit": str(b.limit), "basis": b.legal_basis} for b in found]
        reason = "\n".join([str(b) for b in found] + ([reason] if reason else []))
    else:
        # the rule of a decision as for an offer in a call: a grant above zero and not above what was asked, a
        # refusal with its reasons; the limits of art. 19a are this domain's own, checked below under the locks
        verdict = weigh_decision("grant" if grant else "refusal", amount, reason, requested=offer.amount)
        reason = verdict.reason
    if grant:
        value = verdict.amount
        offer, year, found = _limit_breaches(offer, value)
        fire(SMALL_GRANT_OFFER, offer, "grant", actor, context=term_runs, amount=str(value))
        if found:
            raise Refused(" ".join(str(b) for b in found) + " " + _(
                "Przyznaj mniejszą kwotę albo wybierz „Odmów: dotacja przekroczyłaby limit”: uzasadnienie odmowy "
                "wskaże limit i jego podstawę prawną."), field="amount")
        offer.granted_amount, offer.decision_year = value, year
    elif not for_limits:
        fire(SMALL_GRANT_OFFER, offer, "refuse", actor, context=term_runs)
    offer.refused_under = refused_under
    offer.decision_reason = reason or None
    offer.decided_at, offer.decided_by_id = utcnow(), actor.id
    db.session.flush()
    if grant:  # the agreement as the decision made it, kept (compiled after the commit)
        from consult.documents.operations import queue_job
        from consult.smallgrants.documents import SMALL_GRANT_AGREEMENT

        queue_job(actor, SMALL_GRANT_AGREEMENT.name, offer.id)
    _tell("small_grant_decided", offer.id)
    return offer
