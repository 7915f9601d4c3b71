"""The limits of small grants (art. 19a) as dated data: judged at every boundary, amended only by a new set."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from consult.core.errors import Forbidden, Refused
from consult.core.operations import in_transaction
from consult.extensions import db
from consult.smallgrants.limits import INITIAL_EFFECTIVE_FROM, INITIAL_SET, breaches, limits_in_force, task_days
from consult.smallgrants.models import SmallGrantLimitSet
from consult.smallgrants.operations import enter_limit_set, set_planned_grants
from tests.conftest import login
from tests.test_migrations_and_demo import fresh_database  # noqa: F401  (fixture)

ZL = Decimal


def enter(actor, day: date, **changed):
    values = {rule: str(value) for rule, (value, _basis) in INITIAL_SET.items()}
    bases = {rule: basis for rule, (_value, basis) in INITIAL_SET.items()}
    values.update({rule: str(value) for rule, value in changed.items()})
    return in_transaction(enter_limit_set, actor, effective_from=day, values=values, bases=bases)


@pytest.fixture
def law(world):
    """The wording consult starts with (as the migration loads it), entered by the administrator."""
    enter(world.user("admin"), INITIAL_EFFECTIVE_FROM)
    return world


def judge(day: date, amount: str, starts=date(2027, 5, 1), ends=date(2027, 5, 31), **totals):
    totals.setdefault("planned", ZL("1000000.00"))
    return breaches(limits_in_force(day), amount=ZL(amount), starts=starts, ends=ends, **totals)


def rules(found) -> list[str]:
    return [b.rule for b in found]


def test_the_largest_grant_and_one_grosz_over_it(law, app):
    assert judge(date(2027, 3, 1), "10000.00") == []
    found = judge(date(2027, 3, 1), "10000.01")
    assert rules(found) == ["max_grant"]
    assert "art. 19a ust. 1 pkt 1" in found[0].message and "10 000,00 zł" in found[0].message


def test_the_longest_task_day_90_and_day_91(law):
    assert task_days(date(2027, 1, 1), date(2027, 3, 31)) == 90
    assert judge(date(2027, 1, 1), "5000", starts=date(2027, 1, 1), ends=date(2027, 3, 31)) == []
    found = judge(date(2027, 1, 1), "5000", starts=date(2027, 1, 1), ends=date(2027, 4, 1))
    assert rules(found) == ["max_days"] and "91" in found[0].message and "art. 19a ust. 1 pkt 2" in found[0].message


def test_the_yearly_sum_of_one_organisation_across_several_offers(law):
    granted = [ZL("8000.00"), ZL("7000.00")]  # two earlier small grants this year
    assert judge(date(2027, 6, 1), "5000.00", organisation_year_total=sum(granted)) == []
    found = judge(date(2027, 6, 1), "5000.01", organisation_year_total=sum(granted))
    assert rules(found) == ["yearly_cap"]
    assert "15 000,00 zł" in found[0].message and "20 000,01 zł" in found[0].message
    assert "art. 19a ust. 2" in found[0].message


def test_the_share_of_the_planned_grants(law):
    planned = ZL("100000.00")  # 20% of it: 20 000,00 zł in small grants in the year
    assert judge(date(2027, 6, 1), "2000.00", year_total=ZL("18000.00"), planned=planned) == []
    found = judge(date(2027, 6, 1), "2000.01", year_total=ZL("18000.00"), planned=planned)
    assert rules(found) == ["max_share"] and "art. 19a ust. 3" in found[0].message
    assert rules(judge(date(2027, 6, 1), "100", planned=None)) == ["max_share"]  # nothing planned: cannot be judged


def test_an_offer_is_judged_by_the_limits_in_force_on_the_day_it_was_filed(law):
    enter(law.user("admin"), date(2027, 7, 1), max_grant="15000.00")
    assert rules(judge(date(2027, 6, 30), "12000.00")) == ["max_grant"]  # filed the day before the amendment
    assert judge(date(2027, 7, 1), "12000.00") == []  # filed on the day it holds from
    assert judge(date(2027, 7, 2), "12000.00") == []  # and the day after
    before = limits_in_force(date(2027, 6, 30))
    assert before.limit("max_grant").value == ZL("10000.00")  # the old set is what it was


def test_an_amendment_is_a_new_later_set_and_only_administrators_enter_one(law):
    with pytest.raises(Refused) as refused:
        enter(law.user("admin"), INITIAL_EFFECTIVE_FROM, max_grant="12000")
    assert refused.value.field == "effective_from"
    with pytest.raises(Forbidden):
        enter(law.user("coordinator"), date(2028, 1, 1))
    assert db.session.scalar(db.select(db.func.count()).select_from(SmallGrantLimitSet)) == 1


def test_the_public_page_shows_the_sets_and_which_holds_today(law, client):
    enter(law.user("admin"), date(2099, 1, 1), max_days="120")
    page = client.get("/male-granty/limity").get_data(as_text=True)
    assert "obowiązujące dziś" in page and "zaczną obowiązywać" in page
    assert "art. 19a ust. 1 pkt 2" in page and "120" in page


def test_the_administrator_enters_an_amendment_through_the_form(law, client):
    login(client, law.user("admin"))
    form = client.get("/male-granty/limity/nowe").get_data(as_text=True)
    assert 'value="10000' in form  # starts from the limits in force
    data = {"effective_from-day": "1", "effective_from-month": "1", "effective_from-year": "2030",
            "max_grant_value": "12 000,00", "max_days_value": "90", "yearly_cap_value": "24 000",
            "max_share_value": "20", "note": "Nowelizacja",
            **{f"{rule}_basis": basis for rule, (_v, basis) in INITIAL_SET.items()}}
    response = client.post("/male-granty/limity/nowe", data=data)
    assert response.status_code == 302
    assert limits_in_force(date(2030, 1, 1)).limit("max_grant").value == ZL("12000.00")
    # A refused form says why, in the error summary, and changes nothing.
    response = client.post("/male-granty/limity/nowe", data={**data, "effective_from-year": "2029",
                                                             "max_share_value": "120"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Wystąpił problem" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(SmallGrantLimitSet)) == 2


def test_the_planned_grants_of_a_year(law, client):
    login(client, law.user("admin"))
    response = client.post("/male-granty/dotacje-planowane", data={"year": "2027", "amount": "2 500 000,00"})
    assert response.status_code == 302
    assert "2 500 000,00 zł" in client.get("/male-granty/limity").get_data(as_text=True)
    in_transaction(set_planned_grants, law.user("admin"), year=2027, amount="3000000")
    assert rules(judge(date(2027, 6, 1), "100", year_total=ZL("599950.00"),
                       planned=ZL("3000000.00"))) == ["max_share"]


def test_the_migration_loads_the_wording_consult_starts_with(fresh_database):
    """A new installation judges small grants from its first day: the migration's set is INITIAL_SET."""
    from sqlalchemy import create_engine, text

    from tests.test_migrations_and_demo import _cli

    assert _cli(["db", "upgrade"], fresh_database).returncode == 0
    engine = create_engine(fresh_database["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            day = conn.execute(text("SELECT effective_from FROM small_grant_limit_sets")).scalar_one()
            rows = conn.execute(text("SELECT rule, value, legal_basis FROM small_grant_limits")).all()
    finally:
        engine.dispose()
    assert str(day) == INITIAL_EFFECTIVE_FROM.isoformat()
    assert {rule: (Decimal(str(value)), basis) for rule, value, basis in rows} == INITIAL_SET
