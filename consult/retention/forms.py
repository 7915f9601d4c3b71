"""The form of a retention period: months and the legal basis."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import NumberRange, Optional

from consult.core.forms import ConsultForm, WholeNumber
from consult.retention.models import MONTHS_MAX


class PeriodForm(ConsultForm):
    months = WholeNumber(_l("Okres przechowywania (miesiące)"), example="12", validators=[
        Optional(), NumberRange(min=1, max=MONTHS_MAX, message=_l(
            "Okres przechowywania to liczba miesięcy od 1 do %(max)s."))])
    legal_basis = TextAreaField(_l("Podstawa prawna"))
