"""Forms of signing up and of an organisation's membership."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from consult.core.forms import ConsultForm, EmailAddress
from consult.meetings.forms import CheckboxesField
from consult.organisations.models import LEGAL_FORMS
from consult.organisations.register_data import DISTRICTS, SPHERES, SUBMIT_POLICIES, district_label, sphere_label


class SignUpForm(ConsultForm):
    name = StringField(_l("Imię i nazwisko"), validators=[InputRequired(_l("Wpisz imię i nazwisko."))])
    email = EmailField(_l("Adres e-mail"), validators=[InputRequired(_l("Wpisz adres e-mail.")), EmailAddress()])
    password = PasswordField(_l("Hasło"), validators=[InputRequired(_l("Wpisz hasło."))])


class ResendForm(ConsultForm):
    email = EmailField(_l("Adres e-mail"), validators=[InputRequired(_l("Wpisz adres e-mail.")), EmailAddress()])


class ProfileForm(ConsultForm):
    """The public profile of an organisation: what its administrators keep up to date."""

    legal_form = SelectField(_l("Forma prawna"), choices=[SelectChoice(v, l) for v, l in LEGAL_FORMS.items()],
                             default="fundacja", validate_choice=False)
    address = StringField(_l("Adres siedziby"))
    district = SelectField(_l("Dzielnica Krakowa (nieobowiązkowa)"), validate_choice=False)
    spheres = CheckboxesField(_l("Sfery pożytku publicznego"), validate_choice=False)
    email = StringField(_l("Adres e-mail organizacji (nieobowiązkowy)"), validators=[Optional()])
    phone = StringField(_l("Telefon organizacji (nieobowiązkowy)"), validators=[Optional()])
    website = StringField(_l("Strona internetowa (nieobowiązkowa)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district.choices = [SelectChoice("", _l("– poza Krakowem albo nie dotyczy –"))] + [
            SelectChoice(code, district_label(code)) for code in DISTRICTS]
        self.spheres.choices = [SelectChoice(code, sphere_label(code)) for code in SPHERES]

    def profile(self) -> dict:
        return {"legal_form": self.legal_form.data, "address": self.address.data, "district": self.district.data,
                "spheres": [s for s in (self.spheres.data or []) if isinstance(s, str)], "email": self.email.data,
                "phone": self.phone.data, "website": self.website.data}


class RegisterOrganisationForm(ProfileForm):
    name = StringField(_l("Nazwa organizacji"))
    krs = StringField(_l("Numer KRS"), validators=[Optional()])
    nip = StringField(_l("NIP"), validators=[Optional()])
    regon = StringField(_l("REGON (nieobowiązkowy)"), validators=[Optional()])


class DecisionForm(ConsultForm):
    decision = RadioField(_l("Decyzja"), choices=[SelectChoice("approve", _l("przyjmij")),
                                                   SelectChoice("refuse", _l("odrzuć"))], validate_choice=False)
    reason = TextAreaField(_l("Uzasadnienie (nieobowiązkowe)"), validators=[Optional()])


class VerificationForm(ConsultForm):
    decision = RadioField(_l("Decyzja"), choices=[SelectChoice("verify", _l("zweryfikuj")),
                                                   SelectChoice("refuse", _l("odmów"))], validate_choice=False)
    reason = TextAreaField(_l("Powód odmowy"), validators=[Optional()])


class SubmitPolicyForm(ConsultForm):
    submit_policy = RadioField(_l("Kto może składać postulaty i oferty w imieniu organizacji"),
                               choices=[SelectChoice(v, l) for v, l in SUBMIT_POLICIES.items()],
                               validate_choice=False)


class MemberRoleForm(ConsultForm):
    role = RadioField(_l("Rola w organizacji"), choices=[SelectChoice("administrator", _l("administrator")),
                                                          SelectChoice("member", _l("członek"))],
                      validate_choice=False)
