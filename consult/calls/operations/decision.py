"""Deciding on an offer: a grant with its amount (within what was asked and what is left of the funds) or a
refusal with its reason, serialised on the call. `weigh_decision` is the rule without the call, for small grants.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from consult.calls.models import ZERO, Call, Decision, Offer, money
from consult.calls.models import format_pln as _pln
from consult.calls.operations._common import _clock, _require_runner, parse_amount, text_value
from consult.core.errors import Refused
from consult.core.locks import lock_for_update
from consult.core.operations import fire
from consult.extensions import db
from workflows import CALL


def _granted_in_call(call_id: int, *, except_offer_id: int | None = None) -> Decimal:
    """The sum of the grants recorded in the call, as committed (read it after lock_for_update on the call)."""
    query = db.select(db.func.coalesce(db.func.sum(Decision.amount), 0)).where(
        Decision.call_id == call_id, Decision.kind == "grant"
    )
    if except_offer_id is not None:
        query = query.where(Decision.offer_id != except_offer_id)
    return money(db.session.scalar(query))


@dataclass(frozen=True)
class Verdict:
    kind: str  # "grant" or "refusal"
    amount: Decimal | None  # the grant; None for a refusal
    reason: str | None  # why (required for a refusal)


def _exceeds_call_funds(total: Decimal, funds: Decimal, left: Decimal) -> str:
    return _(
        "Suma przyznanych dotacji (%(total)s) przekroczyłaby środki konkursu (%(funds)s); "
        "do rozdysponowania zostało %(left)s.",
        total=_pln(total),
        funds=_pln(funds),
        left=_pln(left),
    )


def weigh_decision(
    kind: str, amount, reason: str | None, *, requested, funds=None,
    granted_to_others: Callable[[], Decimal] | None = None,
    exceeds: Callable[[Decimal, Decimal, Decimal], str] = _exceeds_call_funds,
) -> Verdict:
    """The rule of a decision on an application for a grant, without a call: a grant ("grant", `amount` as typed
    or a Decimal) is more than zero, not above what was `requested`, and together with `granted_to_others()`
    within `funds`; a refusal ("refusal") has a `reason`. Refused naming the field otherwise (`exceeds(total,
    funds, left)` words going over the funds). Without `funds` (a small grant: no pot of its own, its limits are
    rules the caller checks) only what was requested bounds the grant.

    The caller holds the lock that serialises the decisions sharing the funds (a call's row, a small grants'
    pot) before it asks: `granted_to_others` is read after it, and only for a grant.
    """
    reason = text_value(reason, "reason", _("uzasadnienie"), required=(kind == "refusal")) or None
    if kind == "grant":
        amount = parse_amount(amount, "amount", _("kwota dotacji"), required=True, positive=True)
        if amount > money(requested):
            raise Refused(
                _(
                    "Przyznana dotacja (%(amount)s) nie może przekraczać kwoty wnioskowanej w ofercie "
                    "(%(asked)s).",
                    amount=_pln(amount),
                    asked=_pln(requested),
                ),
                field="amount",
            )
        others = granted_to_others() if funds is not None else ZERO
        if funds is not None and others + amount > money(funds):
            raise Refused(exceeds(others + amount, money(funds), money(funds) - others), field="amount")
    elif kind == "refusal":
        amount = None
    else:
        raise Refused(_("Wybierz rozstrzygnięcie: przyznanie dotacji albo odmowa."), field="kind")
    return Verdict(kind, amount, reason)


def record_decision(actor, offer: Offer, *, kind: str, amount=None, reason: str | None = None) -> Decision:
    """Record the grant for an offer (not above what it requested) or its refusal with a reason.

    `kind` is "grant" (with `amount`, as typed or a Decimal) or "refusal" (with `reason`); a second call for
    the same offer replaces its decision. Decisions stay hidden from applicants until the results are
    published in bulk.

    Decisions on a call's offers are serialised on the call (lock_for_update): the sum of the other grants is
    read after the lock, so two coordinators granting at once can never together exceed the call's funds.
    """
    _require_runner(actor, offer.call)
    call = lock_for_update(Call, offer.call_id)
    if offer.state != "formally_accepted":
        raise Refused(_("Rozstrzygnięcie zapada tylko dla ofert przyjętych pod względem formalnym."))
    verdict = weigh_decision(
        kind, amount, reason, requested=offer.grant_requested, funds=call.funds,
        granted_to_others=lambda: _granted_in_call(call.id, except_offer_id=offer.id),
    )
    kind, amount, reason = verdict.kind, verdict.amount, verdict.reason
    fire(
        CALL,
        call,
        "record_decision",
        actor,
        action="record_decision",
        offer_id=offer.id,
        kind=kind,
        amount=str(amount) if amount is not None else None,
        reason=reason,
    )
    decision = offer.decision
    if decision is None:
        decision = Decision(
            call_id=call.id,
            offer=offer,
            kind=kind,
            amount=amount,
            reason=reason,
            decided_by_id=actor.id,
            decided_at=_clock(),
        )
        db.session.add(decision)
    else:
        decision.kind, decision.amount, decision.reason = kind, amount, reason
        decision.decided_by_id, decision.decided_at = actor.id, _clock()
    return decision
