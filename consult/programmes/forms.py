"""The programme form: year, title and the consultation window in Kraków time."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from consult.core.forms import ConsultForm, DateParts, TimeOfDay, WholeNumber, warsaw_moment, warsaw_parts
from consult.programmes.models import DEFAULT_POSITION_DAYS


class ProgrammeForm(ConsultForm):
    year = WholeNumber(_l("Rok programu"), example="2027", validators=[InputRequired(_l("Wpisz rok programu, np. 2027."))])
    title = StringField(_l("Tytuł programu"), validators=[
        InputRequired(_l("Wpisz tytuł programu.")),
        Length(max=500, message=_l("Tytuł programu może mieć najwyżej 500 znaków."))])
    opens_date = DateParts(_l("Początek konsultacji – data"))
    opens_time = TimeOfDay(_l("Początek konsultacji – godzina"))
    closes_date = DateParts(_l("Koniec konsultacji – data"))
    closes_time = TimeOfDay(_l("Koniec konsultacji – godzina"))
    # Empty: the default (DEFAULT_POSITION_DAYS); the operation checks the range and says so beside the field.
    position_days = WholeNumber(_l("Termin na stanowisko komórki (liczba dni)"), example="14",
                                default=DEFAULT_POSITION_DAYS)

    # Where an operation's Refused(field=...) goes on this form.
    ALIASES = {"consultation_opens": "opens_date", "consultation_closes": "closes_date"}

    def fill(self, programme) -> None:
        self.year.data, self.title.data = programme.year, programme.title
        self.position_days.data = programme.position_days
        for prefix, moment in (("opens", programme.consultation_opens),
                               ("closes", programme.consultation_closes)):
            day, at = warsaw_parts(moment)
            self[f"{prefix}_date"].process(None, day)
            self[f"{prefix}_time"].process(None, at)

    def values(self) -> dict:
        return {
            "year": self.year.data,
            "title": self.title.data,
            "consultation_opens": warsaw_moment(self.opens_date.data, self.opens_time.data),
            "consultation_closes": warsaw_moment(self.closes_date.data, self.closes_time.data),
            "position_days": self.position_days.data,
        }
