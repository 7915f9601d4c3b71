"""Forms of the postulates domain: filing and editing a postulate, positions, routing to units, filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from consult.core.forms import ConsultForm, DateParts
from consult.core.input import whole_number
from consult.core.widgets import ListSelect, kept_choices
from consult.i18n import current_locale, day_formatter
from consult.postulates.models import POSITION_CATEGORIES, POSITION_CATEGORY_LABELS

# The operations check lengths and emptiness too (and say so in the same words); the form only
# catches what it can before the operation runs.


def _int_or_none(value):
    """A whole number the form carries (an id chosen, a version); None for nothing, for nonsense and for a number
    beyond what a column holds (it names no row)."""
    return whole_number(value, minimum=0)


class PostulateForm(ConsultForm):
    content = TextAreaField(_l("Treść postulatu"),
                            validators=[InputRequired(_l("Wpisz treść postulatu."))])
    justification = TextAreaField(_l("Uzasadnienie (nieobowiązkowe)"), validators=[Optional()])
    # The version of the postulate the form was loaded with: a save made on a stale form is refused.
    version = HiddenField(filters=[_int_or_none])


class WithdrawForm(ConsultForm):
    reason = TextAreaField(_l("Powód wycofania (nieobowiązkowy)"), validators=[Optional()])


class PositionForm(ConsultForm):
    unit = SelectField(_l("Komórka merytoryczna, której stanowisko zapisujesz"), coerce=_int_or_none,
                       validate_choice=False)
    category = RadioField(_l("Rodzaj stanowiska"), choices=[],
                          validators=[InputRequired(_l("Wybierz rodzaj stanowiska z listy."))],
                          validate_choice=False)
    text = TextAreaField(_l("Treść stanowiska"), validators=[InputRequired(_l("Wpisz treść stanowiska."))])
    # The version of the position the form was loaded with; 0 when the unit had no position yet.
    version = HiddenField(filters=[_int_or_none])
    # Which unit's position that version belongs to (a coordinator may pick another unit before saving).
    version_unit = HiddenField(filters=[_int_or_none])

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice(c, POSITION_CATEGORY_LABELS[c]) for c in POSITION_CATEGORIES]
        if units is None:
            del self.unit
            del self.version_unit
        else:
            self.unit.choices = [SelectChoice(u.id, u.name) for u in units]


class AssignForm(ConsultForm):
    unit = SelectField(_l("Komórka merytoryczna"), coerce=_int_or_none, validate_choice=False,
                       validators=[InputRequired(_l("Wybierz komórkę merytoryczną."))])
    # Filled with today + the programme's days; left empty, the operation takes that default.
    due_on = DateParts(_l("Termin stanowiska"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = [SelectChoice("", _l("– wybierz –"))] + [SelectChoice(u.id, u.name) for u in units]


class ForwardForm(AssignForm):
    unit = SelectField(_l("Przekaż do komórki"), coerce=_int_or_none, validate_choice=False,
                       validators=[InputRequired(_l("Wybierz komórkę, której przekazujesz postulat."))])
    note = TextAreaField(_l("Uwaga dla komórki (nieobowiązkowa)"), validators=[Optional()])


class RedactForm(ConsultForm):
    words = StringField(_l("Słowa do ukrycia"), validators=[InputRequired(_l("Wpisz słowa do ukrycia."))])
    reason = TextAreaField(_l("Powód ukrycia"), validators=[InputRequired(_l("Wpisz powód ukrycia."))])


class DueDateForm(ConsultForm):
    due_on = DateParts(_l("Nowy termin stanowiska"))


# --- filters of the lists: read from the query string, no CSRF (they change nothing) ---------------

QUEUE_STATES = {
    "assigned": _l("przekazane komórce – czekają na stanowisko"),
    "answered": _l("ze stanowiskiem – do opublikowania"),
    "published": _l("opublikowane"),
    "all": _l("wszystkie"),
}


# Every page of a list offers the same programmes, meetings, units and states: their choices are built once for
# each language and each version of the rows they show (ids, titles, dates: all in the key) and shared.

def _choices(kind: str, rows, build) -> list:
    rows = tuple(rows)
    return kept_choices((kind, current_locale(), rows), lambda: [SelectChoice("", str(_l("wszystkie")))] + [
        SelectChoice(value, label) for value, label in build(rows)])


def _meetings(rows):
    day = day_formatter()
    return [(m.id, f"{m.title} ({day(m.date)})") for m in rows]


class _Filters(Form):
    programme = SelectField(_l("Program"), coerce=_int_or_none, validate_choice=False, widget=ListSelect())
    meeting = SelectField(_l("Spotkanie branżowe"), coerce=_int_or_none, validate_choice=False, widget=ListSelect())

    def __init__(self, formdata, *, programmes, meetings, **kwargs):
        super().__init__(formdata, **kwargs)
        self.programme.choices = _choices("programmes", programmes, lambda rows: [(p.id, p.title) for p in rows])
        self.meeting.choices = _choices("meetings", meetings, _meetings)


class QueueFilters(_Filters):
    state = SelectField(_l("Stan"), default="all", validate_choice=False, widget=ListSelect())
    text = StringField(_l("Szukaj w treści i zgłaszającym"))

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        self.state.choices = kept_choices(("queue states", current_locale()), lambda: [
            SelectChoice(value, str(label)) for value, label in QUEUE_STATES.items()])


class RegisterFilters(_Filters):
    state = SelectField(_l("Stan"), default="", validate_choice=False, widget=ListSelect())
    unit = SelectField(_l("Komórka merytoryczna"), coerce=_int_or_none, validate_choice=False, widget=ListSelect())
    # named `submitter` since it once looked in the submitter only: kept so that saved addresses still work
    submitter = StringField(_l("Szukaj w treści i zgłaszającym"))

    def __init__(self, formdata, *, units, states, **kwargs):
        super().__init__(formdata, **kwargs)
        self.state.choices = _choices("register states", ((v, str(label)) for v, label in states), list)
        self.unit.choices = _choices("units", units, lambda rows: [(u.id, u.name) for u in rows])


class PublicRegisterFilters(_Filters):
    unit = SelectField(_l("Komórka merytoryczna"), coerce=_int_or_none, validate_choice=False, widget=ListSelect())
    category = SelectField(_l("Rodzaj stanowiska"), default="", validate_choice=False, widget=ListSelect())
    text = StringField(_l("Szukaj w treści i zgłaszającym"))

    def __init__(self, formdata, *, units, **kwargs):
        super().__init__(formdata, **kwargs)
        self.unit.choices = _choices("units", units, lambda rows: [(u.id, u.name) for u in rows])
        self.category.choices = _choices("categories", POSITION_CATEGORIES, lambda rows: [
            (c, str(POSITION_CATEGORY_LABELS[c])) for c in rows])
