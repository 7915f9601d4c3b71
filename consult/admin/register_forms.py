"""Forms for editing the registers (a unit, an organisation's profile) and for merging duplicates."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.core.forms import ConsultForm
from consult.organisations.models import LEGAL_FORMS
from consult.organisations.register_data import DISTRICTS, ORGANISATION_STATUSES, SPHERES, sphere_label


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UnitEditForm(ConsultForm):
    name = StringField(_l("Nazwa komórki"))
    code = StringField(_l("Symbol"))
    parent = SelectField(_l("Komórka nadrzędna"), validate_choice=False)
    active = BooleanField(_l("Aktywna (przyjmuje nowe postulaty i spotkania)"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent.choices = [SelectChoice("", _("– brak (komórka najwyższego szczebla) –"))] + [
            SelectChoice(str(u.id), f"{u.name} ({u.code})") for u in units]
        self._units = {str(u.id): u for u in units}

    def chosen_parent(self):
        return self._units.get(self.parent.data or "")


class OrganisationEditForm(ConsultForm):
    name = StringField(_l("Nazwa organizacji"))
    legal_form = SelectField(_l("Forma prawna"), choices=[SelectChoice(v, label) for v, label in LEGAL_FORMS.items()],
                             validate_choice=False)
    krs = StringField(_l("Numer KRS (nieobowiązkowy)"), validators=[Optional()])
    nip = StringField(_l("NIP (nieobowiązkowy)"), validators=[Optional()])
    regon = StringField(_l("REGON (nieobowiązkowy)"), validators=[Optional()])
    address = StringField(_l("Adres siedziby (nieobowiązkowy)"), validators=[Optional()])
    district = SelectField(_l("Dzielnica"), validate_choice=False)
    spheres = CheckboxesField(_l("Sfery pożytku publicznego"), validate_choice=False)
    email = StringField(_l("E-mail organizacji (nieobowiązkowy)"), validators=[Optional()])
    phone = StringField(_l("Telefon organizacji (nieobowiązkowy)"), validators=[Optional()])
    website = StringField(_l("Strona internetowa (nieobowiązkowa)"), validators=[Optional()])
    status = SelectField(_l("Weryfikacja"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district.choices = [SelectChoice("", _("– nie podano –"))] + [
            SelectChoice(code, f"{code} {name}") for code, name in DISTRICTS.items()]
        self.spheres.choices = [SelectChoice(code, sphere_label(code)) for code in SPHERES]
        self.status.choices = [SelectChoice(v, label) for v, label in ORGANISATION_STATUSES.items()]


class MergeForm(ConsultForm):
    kept = SelectField(_l("Zostaje wpis"), validate_choice=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kept.choices = [SelectChoice("", _("– wybierz –"))] + [
            SelectChoice(str(c.id), f"{c.name} ({c.code})" if hasattr(c, "code") else c.name) for c in candidates]
        self._candidates = {str(c.id): c for c in candidates}

    def chosen(self):
        return self._candidates.get(self.kept.data or "")
