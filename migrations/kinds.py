"""The kinds of notification the CHECK `ck_notifications_kind_known` allows, for the migrations that add kinds.

Up to revision e4a7c2b9d513 every such migration wrote the whole cumulative list again (twice: before and after).
From then on a migration names only the kinds it adds, and this module rebuilds the CHECK from the chain of
revisions as Alembic sees it: the list as of e4a7c2b9d513 (BASE, written here once) plus what every later
revision on the way declares (or, for a revision written the old way on a branch started before this module, the
kinds its cumulative `KINDS` names). A rechain at merge (the lead changes a `down_revision`) therefore needs no
edit of any list. A migration that adds kinds:

    import importlib.util
    from pathlib import Path

    _spec = importlib.util.spec_from_file_location("migration_kinds", Path(__file__).parent.parent / "kinds.py")
    kinds = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(kinds)

    NOTIFICATION_KINDS_ADDED = ("new_kind",)   # the kinds this revision adds, at the end of NOTIFICATION_KINDS

    def upgrade():
        kinds.rebuild_check(op, revision)

    def downgrade():
        kinds.rebuild_check(op, down_revision)

(the migrations folder is no package: the file is loaded by its path, as Alembic loads the revisions).
tests/test_migrations_and_demo.py checks that the CHECK the migrations leave at the head allows exactly the models'
NOTIFICATION_KINDS, and that a revision written this way adds its kinds and its downgrade takes them away.
"""
from __future__ import annotations

import re

BASE_REVISION = "e4a7c2b9d513"
BASE = ("call_results", "correction_requested", "postulate_assigned", "position_published", "summary_published",
        "consultation_closing", "offers_deadline", "position_due", "commitment_due", "email_confirmation",
        "join_requested", "join_decided", "organisation_decided", "password_reset", "email_change", "email_changed",
        "invitation", "booking_accepted", "booking_changes_requested", "booking_refused", "booking_reminder",
        "postulate_carried", "booking_cancelled", "organisation_registered", "member_removed",
        "small_grant_received", "small_grant_to_judge", "small_grant_judged", "small_grant_decided",
        "grant_report_accepted", "grant_report_corrections", "grant_report_due", "grant_report_overdue")
ADDED = "NOTIFICATION_KINDS_ADDED"  # the name under which a revision lists the kinds it adds


def known(script, revision: str) -> tuple[str, ...]:
    """The kinds allowed once `revision` is applied: BASE, then what each revision after BASE_REVISION up to
    `revision` adds, oldest first. `script` is Alembic's ScriptDirectory (`alembic.context.script`)."""
    chain, todo, seen, reached = [], [revision], set(), revision == BASE_REVISION
    while todo:  # down the chain (and both sides of a merge) until BASE_REVISION
        step = script.get_revision(todo.pop(0))
        if step is None or step.revision in seen:
            continue
        seen.add(step.revision)
        if step.revision == BASE_REVISION:
            reached = True
            continue
        chain.append(step)
        down = step.down_revision
        todo += list(down) if isinstance(down, tuple | list) else [down] if down else []
    if not reached:
        raise ValueError(f"revision {revision} does not come after {BASE_REVISION}: its kinds are its own to write")
    kinds = list(BASE)
    for step in reversed(chain):  # oldest first
        added = getattr(step.module, ADDED, None)
        if added is None:  # a revision written the old way (branches started before this module): its whole list
            written = str(getattr(step.module, "KINDS", ""))
            added = re.findall(r"'([a-z0-9_]+)'", written) if "kind IN (" in written and "'call_results'" in written \
                else ()
        kinds += [k for k in added if k not in kinds]
    return tuple(kinds)


def check(kinds) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def rebuild_check(op, revision: str) -> None:
    """Replace the kinds CHECK of notifications with the one `revision` leaves (the migration's own revision when
    upgrading, its down_revision when downgrading)."""
    from alembic import context

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_notifications_kind_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_notifications_kind_known"),
                                         check(known(context.script, revision)))
