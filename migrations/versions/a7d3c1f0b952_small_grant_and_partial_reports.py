"""reports after the award for small grants and partial reports: grant_reports.small_grant_offer_id beside offer_id
(exactly one set), kind 'partial' with its number and period; the simplified reports of small grants written so far
(small_grant_offers.report, .reported_at) moved onto grant reports; notification kind grant_report_submitted

Revision ID: a7d3c1f0b952
Revises: c5d8e1f3a926
Create Date: 2026-12-04 01:30:00

"""
import importlib.util
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic import op

import consult.core.types

# revision identifiers, used by Alembic.
revision = 'a7d3c1f0b952'
down_revision = 'c5d8e1f3a926'
branch_labels = None
depends_on = None

# the notification kinds this revision adds (the CHECK is rebuilt from the chain: migrations/kinds.py)
NOTIFICATION_KINDS_ADDED = ("grant_report_submitted",)
_spec = importlib.util.spec_from_file_location("migration_kinds", Path(__file__).parent.parent / "kinds.py")
kinds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kinds)

ONE_SUBJECT = ("(offer_id IS NOT NULL AND small_grant_offer_id IS NULL) "
               "OR (offer_id IS NULL AND small_grant_offer_id IS NOT NULL)")
PARTIAL_HAS_PERIOD = ("(kind = 'final' AND number = 0 AND period_from IS NULL AND period_to IS NULL) "
                      "OR (kind = 'partial' AND number > 0 AND period_from IS NOT NULL AND period_to IS NOT NULL "
                      "AND period_from <= period_to)")
REPORT_DAYS = 30
# the simplified report had one sum spent from the grant, not one per line of the budget: it is kept as a line of its own
SPENT_LINE = "Wydatki z dotacji ogółem (ze sprawozdania uproszczonego, bez podziału na pozycje kosztorysu)"

offers = sa.table('small_grant_offers', sa.column('id', sa.Integer), sa.column('ends', sa.Date),
                  sa.column('granted_amount', sa.Numeric(14, 2)), sa.column('budget', sa.JSON),
                  sa.column('expected_results', sa.Text), sa.column('report', sa.JSON),
                  sa.column('reported_at', consult.core.types.UTCDateTime()))
reports = sa.table('grant_reports', sa.column('id', sa.Integer), sa.column('offer_id', sa.Integer),
                   sa.column('small_grant_offer_id', sa.Integer), sa.column('kind', sa.String),
                   sa.column('number', sa.Integer), sa.column('state', sa.String), sa.column('due_on', sa.Date),
                   sa.column('grant_amount', sa.Numeric(14, 2)), sa.column('own_realised', sa.Numeric(14, 2)),
                   sa.column('other_realised', sa.Numeric(14, 2)), sa.column('notes', sa.Text),
                   sa.column('submitted_at', consult.core.types.UTCDateTime()),
                   sa.column('created_at', consult.core.types.UTCDateTime()), sa.column('version', sa.Integer))
costs = sa.table('grant_report_costs', sa.column('report_id', sa.Integer), sa.column('position', sa.Integer),
                 sa.column('name', sa.String), sa.column('planned_total', sa.Numeric(14, 2)),
                 sa.column('realised_total', sa.Numeric(14, 2)), sa.column('realised_grant', sa.Numeric(14, 2)))
results = sa.table('grant_report_results', sa.column('report_id', sa.Integer), sa.column('position', sa.Integer),
                   sa.column('result', sa.Text), sa.column('target_value', sa.String), sa.column('achieved', sa.Text))


def _amount(value) -> Decimal:
    try:
        return Decimal(str(value or "0")).quantize(Decimal("0.01"))
    except ArithmeticError:
        return Decimal("0.00")


def _move_small_grant_reports(conn) -> None:
    now = datetime.now(UTC)
    for offer in conn.execute(sa.select(offers).order_by(offers.c.id)).all():
        old = offer.report
        if not isinstance(old, dict):
            continue
        spent = _amount(old.get("spent"))
        notes = "Co zrealizowano: " + (old.get("realised") or "")
        if old.get("notes"):
            notes += "\n\nUwagi: " + old["notes"]
        filed = offer.reported_at or now
        report_id = conn.execute(reports.insert().values(
            small_grant_offer_id=offer.id, kind='final', number=0, state='submitted',
            due_on=offer.ends + timedelta(days=REPORT_DAYS), grant_amount=_amount(offer.granted_amount),
            own_realised=Decimal("0.00"), other_realised=Decimal("0.00"), notes=notes, submitted_at=filed,
            created_at=filed, version=1).returning(reports.c.id)).scalar_one()
        lines = [(str(line.get("name") or "")[:500], _amount(line.get("total")), None, None)
                 for line in (offer.budget or []) if isinstance(line, dict)]
        lines.append((SPENT_LINE, Decimal("0.00"), spent, spent))
        conn.execute(costs.insert(), [
            {"report_id": report_id, "position": i, "name": name, "planned_total": planned, "realised_total": total,
             "realised_grant": grant} for i, (name, planned, total, grant) in enumerate(lines)])
        conn.execute(results.insert().values(report_id=report_id, position=0, result=offer.expected_results or "",
                                             target_value="", achieved=old.get("results") or ""))


def upgrade():
    with op.batch_alter_table('grant_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('small_grant_offer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('period_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_to', sa.Date(), nullable=True))
        batch_op.alter_column('offer_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint('uq_grant_reports_offer_kind', type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_grant_reports_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grant_reports_kind_known'), "kind IN ('final', 'partial')")
        batch_op.create_check_constraint(batch_op.f('ck_grant_reports_one_subject'), ONE_SUBJECT)
        batch_op.create_check_constraint(batch_op.f('ck_grant_reports_partial_has_period'), PARTIAL_HAS_PERIOD)
        batch_op.create_unique_constraint('uq_grant_reports_offer_kind_number', ['offer_id', 'kind', 'number'])
        batch_op.create_unique_constraint('uq_grant_reports_small_grant_kind_number',
                                          ['small_grant_offer_id', 'kind', 'number'])
        batch_op.create_foreign_key(batch_op.f('fk_grant_reports_small_grant_offer_id_small_grant_offers'),
                                    'small_grant_offers', ['small_grant_offer_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_grant_reports_small_grant_offer_id'), ['small_grant_offer_id'],
                              unique=False)
    with op.batch_alter_table('grant_reports', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), server_default=None)
    _move_small_grant_reports(op.get_bind())
    with op.batch_alter_table('small_grant_offers', schema=None) as batch_op:
        batch_op.drop_column('report')
        batch_op.drop_column('reported_at')
    kinds.rebuild_check(op, revision)


def downgrade():
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM notifications WHERE kind = 'grant_report_submitted'"))
    kinds.rebuild_check(op, down_revision)
    with op.batch_alter_table('small_grant_offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('reported_at', consult.core.types.UTCDateTime(), nullable=True))
    # a small grant's final report, once submitted, goes back to the simplified report it was
    filed = conn.execute(sa.select(reports.c.id, reports.c.small_grant_offer_id, reports.c.notes,
                                   reports.c.submitted_at)
                         .where(reports.c.small_grant_offer_id.is_not(None), reports.c.kind == 'final',
                                reports.c.submitted_at.is_not(None))).all()
    for report_id, offer_id, notes, submitted_at in filed:
        spent = conn.execute(sa.text("SELECT coalesce(sum(realised_grant), 0) FROM grant_report_costs "
                                     "WHERE report_id = :id"), {"id": report_id}).scalar()
        achieved = [a for (a,) in conn.execute(sa.text(
            "SELECT achieved FROM grant_report_results WHERE report_id = :id ORDER BY position"), {"id": report_id})]
        realised = notes.removeprefix("Co zrealizowano: ")
        conn.execute(offers.update().where(offers.c.id == offer_id).values(
            report={"realised": realised, "results": "\n".join(a for a in achieved if a),
                    "spent": str(_amount(spent)), "notes": ""},
            reported_at=submitted_at))
    gone = "SELECT id FROM grant_reports WHERE small_grant_offer_id IS NOT NULL OR kind = 'partial'"
    conn.execute(sa.text(f"DELETE FROM grant_report_costs WHERE report_id IN ({gone})"))
    conn.execute(sa.text(f"DELETE FROM grant_report_results WHERE report_id IN ({gone})"))
    conn.execute(sa.text("DELETE FROM grant_reports WHERE small_grant_offer_id IS NOT NULL OR kind = 'partial'"))
    with op.batch_alter_table('grant_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_reports_small_grant_offer_id'))
        batch_op.drop_constraint(batch_op.f('fk_grant_reports_small_grant_offer_id_small_grant_offers'),
                                 type_='foreignkey')
        batch_op.drop_constraint('uq_grant_reports_small_grant_kind_number', type_='unique')
        batch_op.drop_constraint('uq_grant_reports_offer_kind_number', type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_grant_reports_partial_has_period'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_grant_reports_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_grant_reports_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grant_reports_kind_known'), "kind IN ('final')")
        batch_op.create_unique_constraint('uq_grant_reports_offer_kind', ['offer_id', 'kind'])
        batch_op.alter_column('offer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('period_to')
        batch_op.drop_column('period_from')
        batch_op.drop_column('number')
        batch_op.drop_column('small_grant_offer_id')
