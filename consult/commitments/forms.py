"""Forms of commitments."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from consult.core.forms import ConsultForm, DateParts
from consult.core.input import whole_number


def _id_or_none(value):
    return whole_number(value, minimum=1) if value not in (None, "", "None") else None


class CommitmentForm(ConsultForm):
    what = TextAreaField(_l("Co zostanie zrobione"))
    unit_id = SelectField(_l("Komórka, która wykona"), coerce=_id_or_none, validate_choice=False)
    operator = StringField(_l("Albo kto inny wykona (nieobowiązkowe)"))
    due_on = DateParts(_l("Termin wykonania"), required=False)


class CompleteCommitmentForm(ConsultForm):
    note = TextAreaField(_l("Jak wykonano"))
    evidence_url = StringField(_l("Odnośnik do dowodu (nieobowiązkowy)"))
