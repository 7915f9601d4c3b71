"""Forms of implementation reports: opening a round from a file, a unit's report on an activity, closing."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from consult.core.forms import ConsultForm, WholeNumber
from consult.core.input import whole_number


def _int_or_none(value):
    """A whole number the form carries (an id chosen, a version); None for nothing, for nonsense and for a number
    beyond what a column holds (it names no row)."""
    return whole_number(value, minimum=0)


class ImportForm(ConsultForm):
    file = FileField(_l("Plik JSON z planem sprawozdania"),
                     validators=[FileRequired(_l("Wybierz plik JSON z planem sprawozdania."))])


OUTCOMES = (("done", _l("Działanie zrealizowano")), ("not_done", _l("Działania nie zrealizowano")))


class RealisationForm(ConsultForm):
    outcome = RadioField(_l("Czy działanie zrealizowano?"), choices=[],
                         validators=[InputRequired(_l("Wybierz, czy działanie zrealizowano."))])
    realised = TextAreaField(_l("Zakres realizacji"))
    funds = StringField(_l("Wysokość środków na realizację działania"), validators=[Optional()])
    # The version of the activity the form was loaded with: a save made on a stale form is refused.
    version = HiddenField(filters=[_int_or_none])

    def __init__(self, *args, with_funds: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = [SelectChoice(value, label) for value, label in OUTCOMES]
        if not with_funds:
            del self.funds

    def validate_realised(self, field):
        if self.outcome.data == "done" and not (field.data or "").strip():
            from wtforms.validators import StopValidation

            raise StopValidation(_l("Wpisz, co zrealizowano – najlepiej z liczbami, jak we wskaźnikach "
                                    "planowanych (np. „10 801 usług poradnictwa rodzinnego i terapii”)."))


class CloseForm(ConsultForm):
    despite_missing = BooleanField(_l("Zamykam rundę mimo braków – działania bez informacji zostaną w "
                                      "sprawozdaniu oznaczone „nie przekazano informacji o realizacji”"))


class NextRoundForm(ConsultForm):
    year = WholeNumber(_l("Rok sprawozdawczy"), example="2025",
                       validators=[InputRequired(_l("Wpisz rok, za który otwierasz rundę, np. 2025."))])


class ActionForm(ConsultForm):
    """A button that changes something (reopen, compile): only the CSRF token."""
