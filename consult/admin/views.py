"""The registers: city units and organisations (coordinators and admins) and accounts (admins only)."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func

from consult.admin.forms import OrganisationForm, UnitForm, UserForm
from consult.auth.models import User
from consult.auth.operations import invite_user
from consult.auth.queries import users_page
from consult.core.access import ROLE_LABELS, acting_user, roles
from consult.core.forms import submit_form
from consult.core.operations import in_transaction
from consult.core.paging import choice_arg, page_number, search_term
from consult.core.submissions import posted_token
from consult.extensions import db
from consult.organisations.models import LEGAL_FORMS, Organisation, Unit
from consult.organisations.operations import create_organisation, create_unit
from consult.organisations.queries import active_units, organisations, organisations_page, units_page

bp = Blueprint("admin", __name__)


@bp.route("/rejestry")
@roles("coordinator", "admin")
def index():
    counts = {
        "units": db.session.scalar(db.select(func.count()).select_from(Unit)),
        "organisations": db.session.scalar(db.select(func.count()).select_from(Organisation)),
        "users": db.session.scalar(db.select(func.count()).select_from(User)),
        "pending": db.session.scalar(db.select(func.count()).select_from(Organisation)
                                     .where(Organisation.status == "pending")),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/rejestry/komorki")
@roles("coordinator", "admin")
def units_list():
    page = units_page(search=search_term(), staffed=request.args.get("konta", ""), page=page_number())
    return render_template("admin/units.html", page=page)


@bp.route("/rejestry/komorki/nowa", methods=["GET", "POST"])
@roles("coordinator", "admin")
def new_unit():
    form = UnitForm()
    sent = submit_form(
        form, lambda: in_transaction(create_unit, acting_user(), name=form.name.data, code=form.code.data,
                                     form_token=posted_token()),
        success=lambda unit: _("Dopisano komórkę „%(name)s” (%(code)s).", name=unit.name, code=unit.code),
        then=url_for("admin.units_list"),
        sent_before=(_("Ten formularz został już wysłany – komórka jest już w rejestrze."), url_for("admin.units_list")))
    return sent.response or render_template("admin/unit_form.html", form=form, extra=sent.extra,
                                            page_error=bool(sent.extra))


@bp.route("/rejestry/organizacje")
@roles("coordinator", "admin")
def organisations_list():
    page = organisations_page(search=search_term(), legal_form=choice_arg("forma", LEGAL_FORMS), page=page_number())
    return render_template("admin/organisations.html", page=page, legal_forms=LEGAL_FORMS)


@bp.route("/rejestry/organizacje/nowa", methods=["GET", "POST"])
@roles("coordinator", "admin")
def new_organisation():
    form = OrganisationForm()
    sent = submit_form(
        form, lambda: in_transaction(create_organisation, acting_user(), name=form.name.data,
                                     legal_form=form.legal_form.data, krs=form.krs.data, nip=form.nip.data,
                                     regon=form.regon.data, form_token=posted_token()),
        success=lambda org: _("Dopisano organizację „%(name)s”.", name=org.name),
        then=url_for("admin.organisations_list"),
        sent_before=(_("Ten formularz został już wysłany – organizacja jest już w rejestrze."),
                     url_for("admin.organisations_list")))
    return sent.response or render_template("admin/organisation_form.html", form=form, extra=sent.extra,
                                            page_error=bool(sent.extra))


@bp.route("/rejestry/konta")
@roles("admin")
def users_list():
    page = users_page(search=search_term(), role=choice_arg("rola", ROLE_LABELS),
                      active=request.args.get("aktywne", ""), page=page_number())
    return render_template("admin/users.html", page=page)


@bp.route("/rejestry/konta/nowe", methods=["GET", "POST"])
@roles("admin")
def new_user():
    form = UserForm(organisations=organisations(), units=active_units())  # an inactive unit takes no new staff
    sent = submit_form(
        form, lambda: in_transaction(invite_user, acting_user(), form_token=posted_token(), **form.values()),
        success=lambda user: _("Wysłano zaproszenie na adres %(email)s.", email=user.email),
        then=lambda user: url_for("admin.user_detail", user_id=user.id),
        sent_before=(_("Ten formularz został już wysłany – zaproszenie jest już wysłane."),
                     url_for("admin.users_list")))
    return sent.response or render_template("admin/user_form.html", form=form, extra=sent.extra,
                                            page_error=bool(sent.extra))


@bp.route("/rejestry/dziennik")
@roles("admin")
def audit_log():
    """The whole audit log: who did what to which record and when, with search, filters and pages."""
    from consult.core import audit
    from consult.core.paging import choice_arg, id_arg

    types = audit.subject_types()
    page = audit.events_page(search=search_term(), subject_type=choice_arg("rodzaj", types),
                             actor_id=id_arg("kto"), page=page_number())
    from consult.core.operations import action_label, subject_label

    return render_template("admin/audit.html", page=page, subject_types=types, action_label=action_label,
                           subject_label=subject_label)
