"""Small-grant offers of NGO A to unit X in each step of the journey, added to the test world when a test asks:
`filed` (waits for the judgement), `open` (published for comments today, with a confirmed comment and one
waiting for confirmation), `closed` (published 10 days ago: the term is over, to be decided), `granted`."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from consult.core.operations import in_transaction
from consult.core.types import clock_at, today_in_warsaw, warsaw_to_utc
from consult.smallgrants.limits import INITIAL_EFFECTIVE_FROM, INITIAL_SET, limits_in_force
from consult.smallgrants.operations import (
    add_comment,
    confirm_comment,
    decide_small_grant,
    enter_limit_set,
    file_small_grant_offer,
    judge_purpose,
    set_planned_grants,
)


def at(day: date, hour: int = 12) -> datetime:
    """Noon in Kraków on `day`, as consult's clock wants it."""
    return warsaw_to_utc(datetime.combine(day, time(hour, 0)))


def enter_law(w, planned: str = "1000000.00") -> None:
    admin = w.user("admin")
    values = {rule: str(value) for rule, (value, _basis) in INITIAL_SET.items()}
    bases = {rule: basis for rule, (_value, basis) in INITIAL_SET.items()}
    if limits_in_force(INITIAL_EFFECTIVE_FROM) is None:  # the migration loads the initial set; tables may be empty
        in_transaction(enter_limit_set, admin, effective_from=INITIAL_EFFECTIVE_FROM, values=values, bases=bases)
    year = today_in_warsaw().year
    for y in (year - 1, year, year + 1):
        in_transaction(set_planned_grants, admin, year=y, amount=planned)


def _pl(value: Decimal) -> str:
    return str(value).replace(".", ",")


def offer_fields(w, *, unit=None, starts=None, days: int = 30, amount: str = "5000,00", **changed) -> dict:
    starts = starts or today_in_warsaw() + timedelta(days=30)
    asked = Decimal(amount.replace(",", "."))
    rest = asked - Decimal("500.00")  # what the first line asks of the grant (the second asks 500 zł)
    return {"unit_id": (unit or w.unit_x).id, "title": "Warsztaty sąsiedzkie na Kozłówce",
            "description": "Cztery warsztaty dla sąsiadów.", "place": "Kraków, ul. Kozłówka 25",
            "starts": starts, "ends": starts + timedelta(days=days - 1),
            "expected_results": "40 uczestników, 4 warsztaty", "sphere": "1a",
            "budget_lines": [{"name": "Honoraria prowadzących", "total": _pl(asked), "from_grant": _pl(rest)},
                             {"name": "Materiały", "total": "1000,00", "from_grant": "500,00"}],
            **changed}


def file_offer(w, user=None, **fields):
    return in_transaction(file_small_grant_offer, user or w.user("ngo_a"), **offer_fields(w, **fields))


def journey_of(w):
    if getattr(w, "smallgrants", None):
        return w.smallgrants
    enter_law(w)
    today = today_in_warsaw()
    unit = w.user("unit_x")
    with clock_at(at(today - timedelta(days=10))):
        closed = file_offer(w, title="Zamknięta do uwag")
        in_transaction(judge_purpose, unit, closed, purposeful=True)
        granted = file_offer(w, title="Z dotacją", amount="4000,00")
        in_transaction(judge_purpose, unit, granted, purposeful=True)
    in_transaction(decide_small_grant, unit, granted, grant=True, amount="4000,00")
    filed = file_offer(w, title="Czeka na ocenę")
    open_ = file_offer(w, title="Otwarta do uwag")
    in_transaction(judge_purpose, unit, open_, purposeful=True)
    comment, token = in_transaction(add_comment, open_, name="Jan Kowalski", email="jan@example.org",
                                    text="Dobry pomysł.")
    in_transaction(confirm_comment, token)
    _waiting, waiting_token = in_transaction(add_comment, open_, name="Ola", email="ola@example.org",
                                            text="Czekam na potwierdzenie.")
    w.smallgrants = {"filed": filed, "open": open_, "closed": closed, "granted": granted, "comment": comment,
                     "waiting_token": waiting_token}
    return w.smallgrants
