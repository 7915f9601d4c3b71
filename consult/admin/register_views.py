"""Editing the registers: a unit (name, code, parent, active), an organisation's entry and profile, and merging a
duplicate into the entry kept (administrators, after a confirmation page that says what moves)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.admin.register_forms import MergeForm, OrganisationEditForm, UnitEditForm
from consult.core.access import acting_user, roles
from consult.core.errors import Forbidden, Refused
from consult.core.forms import submit_form
from consult.core.operations import in_transaction
from consult.extensions import db
from consult.organisations import merging
from consult.organisations.models import Organisation, Unit
from consult.organisations.operations import (
    OrganisationProfile,
    merge_organisations,
    merge_units,
    update_organisation,
    update_unit,
)
from consult.organisations.queries import organisations, units

bp = Blueprint("registers", __name__)


@bp.route("/rejestry/komorki/<int:unit_id>", methods=["GET", "POST"])
@roles("coordinator", "admin")
def edit_unit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    others = [u for u in units() if u.id != unit.id]
    form = UnitEditForm(units=others)
    if request.method == "GET":
        form.name.data, form.code.data, form.active.data = unit.name, unit.code, unit.active
        form.parent.data = str(unit.parent_id or "")
    sent = submit_form(form, lambda: in_transaction(
        update_unit, acting_user(), db.session.get(Unit, unit_id), name=form.name.data, code=form.code.data,
        parent=form.chosen_parent(), active=form.active.data),
        success=_("Zapisano zmiany komórki."), then=url_for("admin.units_list"))
    if sent.response:
        return sent.response
    unit = db.session.get(Unit, unit_id)
    return render_template("admin/unit_edit.html", form=form, unit=unit, extra=sent.extra,
                           page_error=bool(sent.extra), references=merging.counted("units", unit.id))


def _profile(form: OrganisationEditForm) -> OrganisationProfile:
    return OrganisationProfile(
        name=form.name.data, legal_form=form.legal_form.data, krs=form.krs.data, nip=form.nip.data,
        regon=form.regon.data, address=form.address.data, district=form.district.data,
        spheres=list(form.spheres.data or []), email=form.email.data, phone=form.phone.data,
        website=form.website.data, status=form.status.data)


@bp.route("/rejestry/organizacje/<int:organisation_id>", methods=["GET", "POST"])
@roles("coordinator", "admin")
def edit_organisation(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    form = OrganisationEditForm()
    if request.method == "GET":
        for key in ("name", "legal_form", "krs", "nip", "regon", "address", "district", "email", "phone",
                    "website", "status"):
            getattr(form, key).data = getattr(org, key) or ""
        form.spheres.data = org.sphere_codes
    sent = submit_form(form, lambda: in_transaction(
        update_organisation, acting_user(), db.session.get(Organisation, organisation_id), _profile(form)),
        success=_("Zapisano zmiany organizacji."), then=url_for("admin.organisations_list"))
    if sent.response:
        return sent.response
    org = db.session.get(Organisation, organisation_id)
    return render_template("admin/organisation_edit.html", form=form, org=org, extra=sent.extra,
                           page_error=bool(sent.extra), references=merging.counted("organisations", org.id))


def _merge(kind: str, model, duplicate_id: int):
    """The merge of a duplicate: GET without `kept` asks which entry stays; GET with it shows what will move
    (the confirmation); POST merges and leads to the register."""
    table = "units" if kind == "unit" else "organisations"
    duplicate = db.get_or_404(model, duplicate_id)
    candidates = [c for c in (units() if kind == "unit" else organisations()) if c.id != duplicate.id]
    form = MergeForm(request.form if request.method == "POST" else request.args, candidates=candidates)
    kept = form.chosen()
    if request.args.get("kept") and kept is None and request.method == "GET":
        form.kept.errors = [_("Wybierz wpis z listy.")]
    extra: list = []
    if request.method == "POST":
        if not form.validate():  # a character no field may hold: named beside the field
            kept = None
        elif kept is None:
            form.kept.errors = [_("Wybierz wpis z listy.")]
        else:
            operation = merge_units if kind == "unit" else merge_organisations
            duplicate_name, kept_name = duplicate.name, kept.name
            try:
                moved = in_transaction(operation, acting_user(), db.session.get(model, duplicate_id),
                                       db.session.get(model, kept.id))
            except Forbidden:
                abort(403)
            except Refused as exc:
                db.session.rollback()
                extra = [("kept", exc.reason)]
            else:
                flash(_("Połączono: „%(duplicate)s” usunięto, wszystko przeniesiono do „%(kept)s” "
                        "(przeniesione powiązania: %(n)s).", duplicate=duplicate_name, kept=kept_name,
                        n=sum(moved.values())), "success")
                return redirect(url_for("admin.units_list" if kind == "unit" else "admin.organisations_list"))
        duplicate = db.session.get(model, duplicate_id)
        kept = form.chosen() and db.session.get(model, form.chosen().id)
    references = [r for r in merging.counted(table, duplicate.id) if r.count]
    return render_template("admin/merge.html", form=form, kind=kind, duplicate=duplicate, kept=kept,
                           references=references, extra=extra, page_error=bool(extra or form.kept.errors),
                           back=url_for(f"registers.edit_{'unit' if kind == 'unit' else 'organisation'}",
                                        **{f"{kind}_id": duplicate.id}))


@bp.route("/rejestry/komorki/<int:unit_id>/polacz", methods=["GET", "POST"])
@roles("admin")
def merge_unit(unit_id: int):
    return _merge("unit", Unit, unit_id)


@bp.route("/rejestry/organizacje/<int:organisation_id>/polacz", methods=["GET", "POST"])
@roles("admin")
def merge_organisation(organisation_id: int):
    return _merge("organisation", Organisation, organisation_id)

