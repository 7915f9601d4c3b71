"""Forms of the registers: units, organisations and accounts."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import Optional

from consult.core.forms import ConsultForm, EmailAddress
from consult.organisations.models import LEGAL_FORMS


class UnitForm(ConsultForm):
    name = StringField(_l("Nazwa komórki"))
    code = StringField(_l("Symbol (nieobowiązkowy)"), validators=[Optional()])


class OrganisationForm(ConsultForm):
    name = StringField(_l("Nazwa organizacji"))
    legal_form = SelectField(_l("Forma prawna"), choices=[SelectChoice(value, label) for value, label in LEGAL_FORMS.items()], default="fundacja",
                             validate_choice=False)
    krs = StringField(_l("Numer KRS (nieobowiązkowy)"), validators=[Optional()])
    nip = StringField(_l("NIP (nieobowiązkowy)"), validators=[Optional()])
    regon = StringField(_l("REGON (nieobowiązkowy)"), validators=[Optional()])


def _blank_to_none(value):
    return value if value not in ("", "None") else None


class AccountForm(ConsultForm):
    """An account's name, role and place (an organisation or a unit): what an administrator edits."""

    name = StringField(_l("Imię i nazwisko"))
    role = RadioField(_l("Rola"), choices=[
        SelectChoice("ngo", _l("członek organizacji pozarządowej")),
        SelectChoice("unit", _l("pracownik komórki merytorycznej")),
        SelectChoice("coordinator", _l("koordynator")), SelectChoice("admin", _l("administrator")),
        SelectChoice("resident", _l("mieszkaniec (rezerwuje sale miejsc aktywności)"))], validate_choice=False)
    organisation = SelectField(_l("Organizacja"), coerce=_blank_to_none, validate_choice=False)
    unit = SelectField(_l("Komórka"), coerce=_blank_to_none, validate_choice=False)

    def __init__(self, *args, organisations=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [SelectChoice("", _("– nie dotyczy –"))] + [
            SelectChoice(str(o.id), o.name) for o in organisations]
        self.unit.choices = [SelectChoice("", _("– nie dotyczy –"))] + [SelectChoice(str(u.id), u.name) for u in units]
        self._organisations = {str(o.id): o for o in organisations}
        self._units = {str(u.id): u for u in units}

    def values(self) -> dict:
        return {"name": self.name.data, "role": self.role.data,
                "organisation": self._organisations.get(self.organisation.data),
                "unit": self._units.get(self.unit.data)}


class UserForm(AccountForm):
    """An invitation: the person's address and their account (they set the password themselves)."""

    email = EmailField(_l("Adres e-mail"), validators=[EmailAddress()])

    def values(self) -> dict:
        return {"email": self.email.data, **super().values()}

