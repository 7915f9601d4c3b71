"""A granted offer of NGO A in a call of unit X, its grant published: two cost lines, two expected results; the task
ends `ends` (by default 2030-06-30, so the final report is due 2030-07-30)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from consult.calls.models import Call, Decision, Offer, OfferCostLine, OfferResult
from consult.core.types import utcnow
from consult.extensions import db


def granted_offer(world, *, ends: date = date(2030, 6, 30), grant: str = "10000.00", title: str = "Świetlica"):
    now = utcnow()
    call = Call(programme_id=world.programme.id, unit_id=world.unit_x.id, title=f"Konkurs ({title})",
                sphere="wspieranie rodziny", funds=Decimal("50000"), state="results_published", announced_at=now)
    db.session.add(call)
    db.session.flush()
    offer = Offer(call_id=call.id, organisation_id=world.org_a.id, title=title, state="granted", submitted_at=now,
                  task_starts=date(2030, 1, 1), task_ends=ends, grant_requested=Decimal(grant),
                  own_financial=Decimal("2000.00"))
    offer.cost_lines = [
        OfferCostLine(position=0, category="activity", name="Zajęcia", unit="godzina", unit_cost=Decimal("100.00"),
                      quantity=Decimal("80")),
        OfferCostLine(position=1, category="administrative", name="Księgowość", unit="miesiąc",
                      unit_cost=Decimal("666.67"), quantity=Decimal("6")),
    ]
    offer.results = [OfferResult(position=0, result="Uczestnicy zajęć", target_value="20", monitoring="lista"),
                     OfferResult(position=1, result="Godziny zajęć", target_value="80", monitoring="dziennik")]
    db.session.add(offer)
    db.session.flush()
    db.session.add(Decision(call_id=call.id, offer_id=offer.id, kind="grant", amount=Decimal(grant), published=True,
                            published_at=now))
    db.session.commit()
    return offer


def report_form(**over) -> dict:
    data = {"cost-0-total": "8000", "cost-0-grant": "7500,50", "cost-1-total": "4000,02", "cost-1-grant": "2000,01",
            "result-0-achieved": "22 uczestników", "result-1-achieved": "80 godzin", "own_realised": "2000",
            "other_realised": "499,51", "notes": ""}  # 9 500,51 + 2 000 + 499,51: the 12 000,02 zł realised
    data.update(over)
    return data
