"""Forms of reports after the award. The rows (one per cost line and per expected result) are read from the
request by the operation (cost-<n>-total, cost-<n>-grant, result-<n>-achieved), as many as the report has."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from consult.core.forms import ConsultForm, DateParts


class ReportForm(ConsultForm):
    own_realised = StringField(_l("Wkład własny wykorzystany (zł)"))
    other_realised = StringField(_l("Środki z innych źródeł wykorzystane (zł)"))
    notes = TextAreaField(_l("Uwagi (nieobowiązkowe)"))
    version = HiddenField()


class ReviewForm(ConsultForm):
    note = TextAreaField(_l("Co poprawić"))
    version = HiddenField()


class PartialReportForm(ConsultForm):
    """The unit sets a partial report where the agreement asks for one: the period and the due date."""

    period_from = DateParts(_l("Początek okresu sprawozdawczego"), required=False)
    period_to = DateParts(_l("Koniec okresu sprawozdawczego"), required=False)
    due_on = DateParts(_l("Termin złożenia sprawozdania częściowego"), required=False)
