"""Pages of a draft call's evaluation card and formal criteria, for the coordinator and the running unit.

The card is part of the announcement: it may change only while the call is a draft (the workflow's
`edit_card`), and the page says so once it is announced. Adding or removing a row re-renders the page
with what was typed, without saving: a card is saved whole, because its sub-criteria must add up.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from consult.calls import operations as ops
from consult.calls import queries
from consult.calls.access import can_run_call
from consult.calls.forms import card_to_save, posted_card, posted_formal, stored_card
from consult.calls.models import Call
from consult.calls.views import RUNNERS, bp
from consult.core.access import acting_user, ensure, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.input import whole_number
from consult.core.operations import in_transaction
from consult.core.submissions import posted_token
from consult.extensions import db
from workflows import CALL


def _runnable_call(call_id: int) -> Call:
    call = db.get_or_404(Call, call_id)
    ensure(can_run_call(current_user, call))
    return call


def _blank_criterion() -> dict:
    return {"title": "", "max_points": "", "children": []}


def _index(text: str, limit: int) -> int | None:
    index = whole_number(text, minimum=0)
    return index if index is not None and index < limit else None


def _card_page(call: Call, form: FlaskForm, rows: list[dict], extra: list, focus: str | None = None):
    return render_template(
        "calls/card.html",
        call=call,
        card=queries.card(call),
        rows=rows,
        form=form,
        extra=extra,
        page_error=bool(extra),
        errors=dict(extra),
        editable=CALL.can("edit_card", call.state, current_user.roles),
        focus=focus,
    )


def _rearranged(rows: list[dict], action: str) -> tuple[list[dict], str | None]:
    """Apply an add or remove button to the posted rows; return them and the id of the row to look at."""
    parts = action.split("-")
    if action == "add":
        rows.append(_blank_criterion())
        return rows, f"criteria-{len(rows) - 1}"
    if parts[0] == "add_sub" and len(parts) == 2 and (i := _index(parts[1], len(rows))) is not None:
        rows[i]["children"].append({"title": "", "max_points": ""})
        return rows, f"criteria-{i}-{len(rows[i]['children']) - 1}"
    if parts[0] == "remove" and len(parts) in (2, 3) and (i := _index(parts[1], len(rows))) is not None:
        if len(parts) == 2:
            del rows[i]
            return rows, "criteria"
        if (j := _index(parts[2], len(rows[i]["children"]))) is not None:
            del rows[i]["children"][j]
            return rows, f"criteria-{i}"
    abort(400)


@bp.route("/koordynacja/konkursy/<int:call_id>/karta", methods=["GET", "POST"])
@roles(*RUNNERS)
def card(call_id: int):
    """The evaluation card: criteria with their maximum points and sub-criteria, edited as a whole."""
    call = _runnable_call(call_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        return _card_page(call, form, stored_card(queries.card(call)), [])
    rows = posted_card(request.form)
    action = request.form.get("action", "save")
    if action != "save":
        rows, focus = _rearranged(rows, action)
        return _card_page(call, form, rows, [], focus=focus)
    rows = card_to_save(rows)
    try:
        in_transaction(ops.set_evaluation_card, acting_user(), call, rows, form_token=posted_token())
    except AlreadyDone:
        flash(_("Ten formularz został już wysłany – karta oceny jest zapisana."), "success")
        return redirect(url_for("calls.manage", call_id=call_id, _anchor="criteria"))
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        call = db.session.get(Call, call_id)
        return _card_page(call, form, rows or [_blank_criterion()], [(exc.field or "criteria", exc.reason)])
    flash(_("Zapisano kartę oceny konkursu „%(title)s”.", title=call.title), "success")
    return redirect(url_for("calls.manage", call_id=call.id, _anchor="criteria"))


@bp.route("/koordynacja/konkursy/<int:call_id>/karta/domyslna", methods=["GET", "POST"])
@roles(*RUNNERS)
def reset_card(call_id: int):
    """Put back the default card of art. 15 ust. 1 of the Act (from the card's page; GET: that page)."""
    call = _runnable_call(call_id)
    form = FlaskForm()
    if request.method == "GET" or not form.validate_on_submit():
        return redirect(url_for("calls.card", call_id=call.id))
    try:
        in_transaction(ops.reset_evaluation_card, acting_user(), call, form_token=posted_token())
    except AlreadyDone:
        flash(_("Ten formularz został już wysłany – przywrócono domyślną kartę oceny."), "success")
        return redirect(url_for("calls.card", call_id=call_id))
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        call = db.session.get(Call, call_id)
        return _card_page(call, form, stored_card(queries.card(call)), [("reset", exc.reason)])
    flash(_("Przywrócono domyślną kartę oceny (art. 15 ust. 1 ustawy)."), "success")
    return redirect(url_for("calls.card", call_id=call.id))


def _formal_page(call: Call, form: FlaskForm, texts: list[str], extra: list, focus: str | None = None):
    return render_template(
        "calls/formal_criteria.html",
        call=call,
        texts=texts,
        form=form,
        extra=extra,
        page_error=bool(extra),
        errors=dict(extra),
        editable=CALL.can("edit_card", call.state, current_user.roles),
        focus=focus,
    )


@bp.route("/koordynacja/konkursy/<int:call_id>/kryteria-formalne", methods=["GET", "POST"])
@roles(*RUNNERS)
def formal_criteria(call_id: int):
    """The list of formal criteria every offer is checked against before the commission scores it."""
    call = _runnable_call(call_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        return _formal_page(call, form, [c.text for c in call.formal_criteria], [])
    texts = posted_formal(request.form)
    action = request.form.get("action", "save")
    if action == "add":
        texts.append("")
        return _formal_page(call, form, texts, [], focus=f"formal_criteria-{len(texts) - 1}")
    if action.startswith("remove-"):
        i = _index(action.removeprefix("remove-"), len(texts))
        if i is None:
            abort(400)
        del texts[i]
        return _formal_page(call, form, texts, [], focus="formal_criteria")
    if action != "save":
        abort(400)
    texts = [t for t in texts if t.strip()]
    try:
        in_transaction(ops.set_formal_criteria, acting_user(), call, texts, form_token=posted_token())
    except AlreadyDone:
        flash(_("Ten formularz został już wysłany – kryteria formalne są zapisane."), "success")
        return redirect(url_for("calls.manage", call_id=call_id, _anchor="formal_criteria"))
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        call = db.session.get(Call, call_id)
        return _formal_page(call, form, texts or [""], [(exc.field or "formal_criteria", exc.reason)])
    flash(_("Zapisano kryteria formalne konkursu „%(title)s”.", title=call.title), "success")
    return redirect(url_for("calls.manage", call_id=call.id, _anchor="formal_criteria"))
