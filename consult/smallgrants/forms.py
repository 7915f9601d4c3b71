"""Forms of the small grants' limits."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from consult.core.forms import ConsultForm, DateParts, WholeNumber


class LimitSetForm(ConsultForm):
    effective_from = DateParts(_l("Obowiązują od dnia"), required=False)
    max_grant_value = StringField(_l("Najwyższa kwota jednej oferty (zł)"))
    max_grant_basis = StringField(_l("Podstawa prawna – kwota jednej oferty"))
    max_days_value = StringField(_l("Najdłuższy okres realizacji zadania (dni)"))
    max_days_basis = StringField(_l("Podstawa prawna – okres realizacji"))
    yearly_cap_value = StringField(_l("Najwyższa łączna kwota dla jednej organizacji w roku (zł)"))
    yearly_cap_basis = StringField(_l("Podstawa prawna – kwota roczna dla organizacji"))
    max_share_value = StringField(_l("Największa część dotacji planowanych na zadania publiczne (%)"))
    max_share_basis = StringField(_l("Podstawa prawna – część dotacji"))
    note = TextAreaField(_l("Uwagi (nieobowiązkowe), np. akt zmieniający"))

    RULE_FIELDS = ("max_grant", "max_days", "yearly_cap", "max_share")


class PlannedGrantsForm(ConsultForm):
    year = WholeNumber(_l("Rok budżetowy"), example="2027")
    amount = StringField(_l("Dotacje planowane na zadania publiczne realizowane przez organizacje (zł)"))
