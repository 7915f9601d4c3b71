"""The applicant's pages: my offers, an offer's task list, its seven sections, the check of answers,
the submission and its confirmation, corrections and withdrawal.

A section's form is read from the request by hand because its repeating rows (partners, schedule,
results, cost lines) come in any number: "<prefix>-<i>-<key>". Dates are typed as day, month and year
(consult.core.forms.DateParts) and parsed here, so that a wrong date is told beside its inputs before
anything is saved. "Dodaj kolejny wiersz" saves the section and shows it again with one more empty
row; "Usuń" beside a row saves the section without that row: both work without JavaScript.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.form import BaseForm

from consult.calls import operations as ops
from consult.calls import queries
from consult.calls.access import can_view_call, is_applicant
from consult.calls.models import Call, Offer
from consult.calls.operations import DECLARATIONS
from consult.calls.views import bp
from consult.core.access import acting_user, ensure, roles, signed_in
from consult.core.errors import AlreadyDone, Forbidden, Refused, StaleEdit
from consult.core.forms import PARTS, DateParts
from consult.core.input import whole_number
from consult.core.operations import in_transaction, transaction
from consult.core.paging import choice_arg, page_number, search_term
from consult.core.submissions import posted_token
from consult.extensions import db
from consult.i18n import format_day, format_input
from workflows import OFFER

SECTION_LABELS = {
    "basic": _l("I. Podstawowe informacje"),
    "applicants": _l("II. Dane oferenta(-tów)"),
    "task": _l("III. Opis zadania"),
    "resources": _l("IV. Zasoby"),
    "costs": _l("V. Kosztorys"),
    "other": _l("VI. Inne informacje"),
    "declarations": _l("VII. Oświadczenia"),
}
# The repeating rows of a section, as the form posts them ("<prefix>-<i>-<key>").
ROW_KEYS = {
    "partners": ("organisation_id", "name", "role"),
    "schedule": ("name", "description", "partner"),
    "results": ("result", "target_value", "monitoring"),
    "cost_lines": ("category", "name", "unit", "unit_cost", "quantity", "partner_id"),
}
# Dates of a row, typed in three parts: "<prefix>-<i>-<key>-day" and so on.
ROW_DATES = {"schedule": (("starts", _l("Początek działania %(n)s")), ("ends", _l("Koniec działania %(n)s")))}
SCALARS = {
    "basic": ("task_type",),
    "applicants": ("contact_name", "contact_email", "contact_phone", "address"),
    "task": ("title", "description", "place", "target_group"),
    "resources": ("staff", "material", "experience"),
    "costs": ("grant_requested", "own_financial", "own_personal", "own_material", "participant_fees"),
    "other": ("text",),
}
SCALAR_DATES = {
    "task": (("task_starts", _l("Data rozpoczęcia zadania")), ("task_ends", _l("Data zakończenia zadania")))
}
SECTION_ROWS = {"applicants": ("partners",), "task": ("schedule", "results"), "costs": ("cost_lines",)}
ROW_LABELS = {
    "partners": _l("Dodaj kolejnego partnera"),
    "schedule": _l("Dodaj kolejne działanie"),
    "results": _l("Dodaj kolejny rezultat"),
    "cost_lines": _l("Dodaj kolejną pozycję kosztorysu"),
}


# --- dates in three parts ----------------------------------------------------------------------------------


def _date_field(name: str, label: str, formdata=None, value: date | None = None) -> DateParts:
    """One DateParts field named `name`, filled from `formdata` (then validated) or from `value`."""
    form = BaseForm([(name, DateParts(label, required=False))])
    form.process(formdata, **({name: value} if formdata is None else {}))
    if formdata is not None:
        form.validate()
    return form[name]


def _renamed(field: DateParts, name: str, label: str) -> DateParts:
    """The same typed date under another name (a row moved up when a blank row above it was dropped)."""
    if field.name == name:
        return field
    source = MultiDict({f"{name}-{p}": field.raw[p] for p in PARTS})
    return _date_field(name, label, source)


def _typed(formdata, name: str) -> bool:
    return any((formdata.get(f"{name}-{p}") or "").strip() for p in PARTS)


# --- reading and showing a section ---------------------------------------------------------------------------


def _posted_rows(prefix: str, skip: int | None = None) -> list[dict]:
    """The rows of a repeating part as posted, without the rows left blank and without row `skip`.

    Rows are renumbered in order; a row's dates are DateParts fields named for its new place.
    """
    keys, dates = ROW_KEYS[prefix], ROW_DATES.get(prefix, ())
    rows = []
    for i in range(200):
        names = [f"{prefix}-{i}-{k}" for k in keys] + [
            f"{prefix}-{i}-{k}-{p}" for k, _label in dates for p in PARTS
        ]
        if not any(n in request.form for n in names):
            break
        if i == skip:
            continue
        row: dict = {k: request.form.get(f"{prefix}-{i}-{k}", "").strip() for k in keys}
        typed = any(v for k, v in row.items() if k != "category")
        typed = typed or any(_typed(request.form, f"{prefix}-{i}-{k}") for k, _label in dates)
        if not typed:
            continue
        n = len(rows)
        for key, label in dates:
            posted = _date_field(f"{prefix}-{i}-{key}", str(label) % {"n": n + 1}, request.form)
            row[key] = _renamed(posted, f"{prefix}-{n}-{key}", str(label) % {"n": n + 1})
        rows.append(row)
    return rows


def _section_data(section: str, skip: tuple[str, int] | None = None) -> dict:
    """The section as posted: text as typed, dates as DateParts fields (parsed and checked)."""
    if section == "declarations":
        return {k: request.form.get(k) == "yes" for k in DECLARATIONS}
    data: dict = {k: request.form.get(k, "") for k in SCALARS.get(section, ())}
    for key, label in SCALAR_DATES.get(section, ()):
        data[key] = _date_field(key, str(label), request.form)
    for prefix in SECTION_ROWS.get(section, ()):
        data[prefix] = _posted_rows(prefix, skip[1] if skip and skip[0] == prefix else None)
    return data


def _date_fields(data: dict):
    """Every DateParts field of a section's data, scalar or in a row."""
    for value in data.values():
        if isinstance(value, DateParts):
            yield value
        elif isinstance(value, list):
            for row in value:
                if isinstance(row, dict):
                    yield from (v for v in row.values() if isinstance(v, DateParts))


def _for_operation(data: dict) -> dict:
    """The section's data as the operation reads it: dates as `date` (or None)."""

    def plain(value):
        return value.data if isinstance(value, DateParts) else value

    return {
        k: [{rk: plain(rv) for rk, rv in row.items()} for row in v] if isinstance(v, list) else plain(v)
        for k, v in data.items()
    }


def format_amount(value) -> str:
    """An amount as it goes back into its field, in the user's language: 1250,50 (1250.50 in English)."""
    return format_input(value)


def _stored_rows(offer: Offer, prefix: str) -> list[dict]:
    if prefix == "partners":
        return [
            {"organisation_id": p.organisation_id or "", "name": p.name, "role": p.role}
            for p in offer.partners
        ]
    if prefix == "schedule":
        rows = []
        for n, row in enumerate((offer.task or {}).get("schedule") or []):
            out = {k: row.get(k, "") for k in ROW_KEYS["schedule"]}
            for key, label in ROW_DATES["schedule"]:
                stored = date.fromisoformat(row[key]) if row.get(key) else None
                out[key] = _date_field(f"schedule-{n}-{key}", str(label) % {"n": n + 1}, value=stored)
            rows.append(out)
        return rows
    if prefix == "results":
        return [
            {"result": r.result, "target_value": r.target_value, "monitoring": r.monitoring}
            for r in offer.results
        ]
    return [
        {
            "category": c.category,
            "name": c.name,
            "unit": c.unit,
            "unit_cost": format_amount(c.unit_cost),
            "quantity": format_amount(c.quantity),
            "partner_id": c.partner_id or "",
        }
        for c in offer.cost_lines
    ]


def _stored_scalars(offer: Offer, section: str) -> dict:
    if section == "basic":
        return dict(offer.basic or {})
    if section == "applicants":
        return dict(offer.applicant or {})
    if section == "task":
        return {
            **(offer.task or {}),
            "title": offer.title,
            **{
                key: _date_field(key, str(label), value=getattr(offer, key))
                for key, label in SCALAR_DATES["task"]
            },
        }
    if section == "resources":
        return dict(offer.resources or {})
    if section == "costs":
        return {k: format_amount(getattr(offer, k)) for k in SCALARS["costs"]}
    if section == "other":
        return dict(offer.other or {})
    return dict(offer.declarations or {})


def _stored(offer: Offer, section: str) -> tuple[dict, dict]:
    return _stored_scalars(offer, section), {p: _stored_rows(offer, p) for p in SECTION_ROWS.get(section, ())}


def _blank_row(prefix: str, n: int) -> dict:
    row: dict = {}
    for key, label in ROW_DATES.get(prefix, ()):
        row[key] = _date_field(f"{prefix}-{n}-{key}", str(label) % {"n": n + 1}, value=None)
    return row


def _applicant_offer(offer_id: int) -> Offer:
    offer = queries.offer_with_sections(offer_id)
    if offer is None:
        abort(404)
    ensure(is_applicant(current_user, offer))
    return offer


# --- pages ------------------------------------------------------------------------------------------------------


@bp.route("/moje-oferty")
@roles("ngo")
def my_offers():
    return render_template(
        "calls/my_offers.html",
        offers=(page := queries.offers_of_organisation_page(
            current_user.organisation_id, search=search_term(), state=choice_arg("stan", OFFER.states),
            page=page_number())),
        page=page, offer_states=[s for s in OFFER.states],
        open_calls=queries.calls_accepting_offers(),
    )


@bp.route("/konkursy/<int:call_id>/oferty/nowa", methods=["POST"])
@roles("ngo")
def new_offer(call_id: int):
    call = db.get_or_404(Call, call_id)
    ensure(can_view_call(current_user, call))
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            offer = in_transaction(ops.create_offer, acting_user(), call, form_token=posted_token())
        except AlreadyDone as done:
            flash(_("Ten formularz został już wysłany – oto przygotowywana oferta."), "success")
            return redirect(url_for("calls.offer_tasks", offer_id=done.record_id))
        except Forbidden:
            abort(403)
        except Refused as exc:
            flash(exc.reason, "error")
            return redirect(url_for("calls.announcement", call_id=call.id))
        return redirect(url_for("calls.offer_tasks", offer_id=offer.id))
    return redirect(url_for("calls.announcement", call_id=call.id))


def _tasks_page(offer: Offer, form: FlaskForm, extra: list):
    return render_template(
        "calls/offer_tasks.html",
        offer=offer,
        call=offer.call,
        form=form,
        sections=queries.section_statuses(offer),
        labels=SECTION_LABELS,
        fireable={t.name for t in OFFER.allowed(offer.state, current_user.roles)},
        window=offer.open_correction,
        extra=extra,
        page_error=bool(extra),
    )


@bp.route("/oferty/<int:offer_id>/edycja")
@signed_in
def offer_tasks(offer_id: int):
    """The task list of an offer: each section with its status, then the check of answers and the submission."""
    return _tasks_page(_applicant_offer(offer_id), FlaskForm(), [])


def _section_page(offer: Offer, section: str, form, values: dict, rows: dict, extra: list, status: int = 200):
    for field in _date_fields({**values, **rows}):
        if field.errors:
            extra = (
                [*extra, (field.id, field.errors[0])] if (field.id, field.errors[0]) not in extra else extra
            )
    return render_template(
        "calls/offer_section.html",
        offer=offer,
        call=offer.call,
        section=section,
        label=SECTION_LABELS[section],
        values=values,
        rows=rows,
        row_labels=ROW_LABELS,
        form=form,
        extra=extra,
        page_error=bool(extra),
        errors=dict(extra),
        declarations=DECLARATIONS,
        organisations=queries.organisations() if section == "applicants" else [],
    ), status


def _with_blank_rows(rows: dict, add: str | None) -> dict:
    """Rows to show: an empty one to start a part that has none, and one more where the user asked."""
    out = {}
    for prefix, listed in rows.items():
        listed = list(listed)
        if not listed or prefix == add:
            listed.append(_blank_row(prefix, len(listed)))
        out[prefix] = listed
    return out


def _row_action(section: str, action: str) -> tuple[str, str | None, int | None]:
    """What the pressed button asks: ("save"|"add"|"remove", prefix, row index)."""
    kind, _sep, rest = action.partition(":")
    prefixes = SECTION_ROWS.get(section, ())
    if kind == "add" and rest in prefixes:
        return "add", rest, None
    if kind == "remove":
        prefix, _sep, index = rest.rpartition("-")
        row = whole_number(index, minimum=0)  # a number past any row (or int()'s digits) removes nothing
        if prefix in prefixes and row is not None:
            return "remove", prefix, row
    if action in ("", "save"):
        return "save", None, None
    abort(400)


@bp.route("/oferty/<int:offer_id>/czesc/<section>", methods=["GET", "POST"])
@signed_in
def offer_section(offer_id: int, section: str):
    if section not in SECTION_LABELS:
        abort(404)
    offer = _applicant_offer(offer_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        values, rows = _stored(offer, section)
        add = request.args.get("dodaj")
        return _section_page(offer, section, form, values, _with_blank_rows(rows, add), [])
    kind, prefix, index = _row_action(section, request.form.get("action", "save"))
    data = _section_data(section, (prefix, index) if kind == "remove" else None)
    values = data if section == "declarations" else {k: v for k, v in data.items() if k not in ROW_KEYS}
    rows = {p: data.get(p, []) for p in SECTION_ROWS.get(section, ())}
    if any(f.errors for f in _date_fields(data)):
        return _section_page(
            offer, section, form, values, _with_blank_rows(rows, prefix if kind == "add" else None), []
        )
    try:
        with transaction():
            ops.save_offer_section(
                acting_user(),
                offer,
                section,
                _for_operation(data),
                expected_version=request.form.get("version", type=int),
            )
    except Forbidden:
        abort(403)
    except StaleEdit as exc:
        db.session.expire_all()
        offer = _applicant_offer(offer_id)
        values, rows = _stored(offer, section)
        return _section_page(
            offer, section, form, values, _with_blank_rows(rows, None), [("main", exc.reason)], 409
        )
    except Refused as exc:
        db.session.expire_all()
        offer = _applicant_offer(offer_id)
        dated = next((f for f in _date_fields(data) if f.name == exc.field), None)
        if dated is not None:  # a date the operation refused (an end before the start): beside its inputs
            dated.errors = [exc.reason]
            extra = []
        else:
            extra = [(exc.field or "main", exc.reason)]
        return _section_page(offer, section, form, values, _with_blank_rows(rows, None), extra)
    if kind == "add":
        flash(
            _("Zapisano część „%(section)s”. Dodano pusty wiersz.", section=SECTION_LABELS[section]),
            "success",
        )
        anchor = f"{prefix}-{len(rows[prefix])}"
        return redirect(
            url_for("calls.offer_section", offer_id=offer.id, section=section, dodaj=prefix, _anchor=anchor)
        )
    if kind == "remove":
        flash(
            _("Zapisano część „%(section)s” bez usuniętego wiersza.", section=SECTION_LABELS[section]),
            "success",
        )
        return redirect(url_for("calls.offer_section", offer_id=offer.id, section=section, _anchor=prefix))
    flash(_("Zapisano część „%(section)s”.", section=SECTION_LABELS[section]), "success")
    return redirect(url_for("calls.offer_tasks", offer_id=offer.id))


# --- checking and submitting -------------------------------------------------------------------------------------


def _section_anchor(field: str | None) -> str:
    """Where a submission refusal points: the section of the check page that holds the missing item."""
    for section, names in SCALARS.items():
        if field in names:
            return f"section-{section}"
    for section, dates in SCALAR_DATES.items():
        if field in {k for k, _label in dates}:
            return f"section-{section}"
    for section, prefixes in SECTION_ROWS.items():
        if field and field.split("-")[0] in prefixes:
            return f"section-{section}"
    if field == "attachments":  # an annex the call requires: the section that says so, with the files' link
        return "section-other"
    if field == "reason":  # the reason for withdrawing, typed beside the button
        return "reason"
    return "section-declarations" if field == "declarations" else "submit"


def _check_page(offer: Offer, form: FlaskForm, extra: list):
    return render_template(
        "calls/offer_check.html",
        offer=offer,
        call=offer.call,
        form=form,
        statuses={section: (status, lacks) for section, status, lacks in queries.section_statuses(offer)},
        labels=SECTION_LABELS,
        declarations=DECLARATIONS,
        can_submit=OFFER.can("submit", offer.state, current_user.roles),
        extra=extra,
        page_error=bool(extra),
    )


@bp.route("/oferty/<int:offer_id>/sprawdzenie")
@signed_in
def offer_check(offer_id: int):
    """Check your answers: every section's answers with a change link, the sums, and the submit button."""
    offer = _applicant_offer(offer_id)
    if offer.state != "draft":
        return redirect(url_for("calls.offer", offer_id=offer.id))
    return _check_page(offer, FlaskForm(), [])


@bp.route("/oferty/<int:offer_id>/zlozenie", methods=["GET", "POST"])
@signed_in
def submit_offer(offer_id: int):
    """Submit from the check page; a refusal is told there, linking to the section that lacks something
    (GET: the check page)."""
    offer = _applicant_offer(offer_id)
    form = FlaskForm()
    if request.method == "GET" or not form.validate_on_submit():
        return redirect(url_for("calls.offer_check", offer_id=offer.id))
    try:
        with transaction():
            ops.submit_offer(acting_user(), offer)
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        offer = _applicant_offer(offer_id)
        if offer.state == "submitted":
            # Sent twice (a double click, a page sent again while the first sending was filing it): the offer is
            # filed; the second sending leads where the first did, not to an error about a state it made.
            flash(_("Ten formularz został już wysłany – oferta jest złożona."), "success")
            return redirect(url_for("calls.offer_submitted", offer_id=offer_id))
        return _check_page(offer, form, [(_section_anchor(exc.field), exc.reason)])
    flash(_("Złożono ofertę."), "success")
    return redirect(url_for("calls.offer_submitted", offer_id=offer_id))


@bp.route("/oferty/<int:offer_id>/potwierdzenie")
@signed_in
def offer_submitted(offer_id: int):
    offer = _applicant_offer(offer_id)
    if offer.state == "draft":
        return redirect(url_for("calls.offer_tasks", offer_id=offer.id))
    return render_template("calls/offer_submitted.html", offer=offer, call=offer.call)


def _offer_action(offer_id: int, operation, done: str, **kwargs):
    offer = _applicant_offer(offer_id)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            with transaction():
                operation(acting_user(), offer, **kwargs)
        except Forbidden:
            abort(403)
        except Refused as exc:
            db.session.expire_all()
            return _tasks_page(_applicant_offer(offer_id), form, [(_section_anchor(exc.field), exc.reason)])
        flash(done, "success")
    return None


@bp.route("/oferty/<int:offer_id>/koniec-poprawek", methods=["GET", "POST"])
@signed_in
def finish_correction(offer_id: int):
    """From the offer's task list, where a refusal is shown (GET: that page)."""
    refused = _offer_action(offer_id, ops.finish_correction, _("Zgłoszono zakończenie poprawek."))
    return refused or redirect(url_for("calls.offer_tasks", offer_id=offer_id))


@bp.route("/oferty/<int:offer_id>/wycofanie", methods=["GET", "POST"])
@signed_in
def withdraw_offer(offer_id: int):
    """From the offer's task list, where a refusal is shown (GET: that page)."""
    refused = _offer_action(
        offer_id, ops.withdraw_offer, _("Wycofano ofertę."), reason=request.form.get("reason")
    )
    if request.method == "GET":
        return redirect(url_for("calls.offer_tasks", offer_id=offer_id))
    return refused or redirect(url_for("calls.my_offers"))


@bp.app_template_filter("iso_date")
def _iso_date_filter(text) -> str:
    """A date stored as ISO text (a schedule row's) written as the reader's language writes dates."""
    if not text:
        return ""
    return format_day(date.fromisoformat(str(text)))
