"""A small-grant offer (art. 19a) open for comments in the demo: Fundacja Zustricz filed it three days ago to the
social policy unit, which found the task purposeful yesterday, so its 7 days of comments run. Through the
operations, on the demo's clock."""
from __future__ import annotations

from datetime import timedelta

from consult.auth.models import User
from consult.core.operations import transaction
from consult.core.types import clock_at
from consult.extensions import db
from consult.organisations.models import Unit
from consult.smallgrants.limits import limits_in_force
from consult.smallgrants.operations import file_small_grant_offer, judge_purpose

SOCIAL = "Wydział Polityki Społecznej, Równości i Zdrowia"


def seed_small_grants(story) -> None:
    ngo = db.session.scalar(db.select(User).where(User.email == "zustricz@demo.consult.local"))
    staff = db.session.scalar(db.select(User).where(User.email == "wpsrz@demo.consult.local"))
    unit = db.session.scalar(db.select(Unit).where(Unit.name == SOCIAL))
    if ngo is None or staff is None or unit is None or limits_in_force(story.day(3)) is None:
        return
    with clock_at(story.at(3, hour=11)), transaction():
        starts = story.day(3) + timedelta(days=30)
        offer = file_small_grant_offer(
            ngo, unit_id=unit.id, title="Kuchnia sąsiedzka: wspólne gotowanie dla rodzin z Ukrainy i Krakowa",
            description="Sześć spotkań przy wspólnym gotowaniu, na których rodziny z Ukrainy i ich krakowscy "
                        "sąsiedzi poznają się, wymieniają przepisy i informacje o mieście.",
            place="Kraków, Centrum Wielokulturowe, al. Daszyńskiego 22", starts=starts,
            ends=starts + timedelta(days=41),
            expected_results="6 spotkań, co najmniej 60 uczestników, zeszyt przepisów po polsku i ukraińsku.",
            sphere="5a",
            budget_lines=[{"name": "Produkty spożywcze", "total": "3600,00", "from_grant": "3000,00"},
                          {"name": "Prowadzenie spotkań (6 × 500 zł)", "total": "3000,00", "from_grant": "3000,00"},
                          {"name": "Druk zeszytu przepisów", "total": "1200,00", "from_grant": "1000,00"}])
    with clock_at(story.at(1, hour=9)), transaction():
        judge_purpose(staff, db.session.get(type(offer), offer.id), purposeful=True)
