"""Forms of a sector meeting: its details, who attended, and a postulate entered for its submitter."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import (BooleanField, FieldList, Form, FormField, HiddenField, RadioField, SelectChoice,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from consult.core.forms import ConsultForm, DateParts, TimeOfDay, WholeNumber
from consult.meetings.operations import MeetingDetails

EMPTY_OFFICIAL_ROWS = 5


def _blank_to_none(value):
    return value if value not in ("", "None") else None


class MeetingForm(ConsultForm):
    host_unit = SelectField(_l("Komórka, która prowadzi spotkanie"), coerce=int, validate_choice=False)
    title = StringField(_l("Tytuł spotkania"), validators=[
        InputRequired(_l("Wpisz tytuł spotkania.")),
        Length(max=500, message=_l("Tytuł może mieć najwyżej 500 znaków."))])
    date = DateParts(_l("Data spotkania"))
    starts = TimeOfDay(_l("Godzina rozpoczęcia"))
    ends = TimeOfDay(_l("Godzina zakończenia"))
    place = StringField(_l("Miejsce"), validators=[
        InputRequired(_l("Wpisz miejsce spotkania.")),
        Length(max=500, message=_l("Miejsce może mieć najwyżej 500 znaków."))])
    scope = TextAreaField(_l("Zakres spotkania (czego dotyczy)"), validators=[Optional()])
    introduction = TextAreaField(_l("Wprowadzenie (co przedstawiono uczestnikom)"), validators=[Optional()])
    version = HiddenField()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.host_unit.choices = [SelectChoice(0, _("– wybierz komórkę –"))] + [SelectChoice(u.id, u.name) for u in units]
        self._units = {u.id: u for u in units}

    def validate_host_unit(self, field):
        if field.data not in self._units:
            raise ValidationError(_("Wybierz komórkę, która prowadzi spotkanie."))

    def fill(self, meeting) -> None:
        self.host_unit.data = meeting.host_unit_id
        self.title.data, self.place.data = meeting.title, meeting.place
        self.scope.data, self.introduction.data = meeting.scope, meeting.introduction
        self.date.process(None, meeting.date)
        self.starts.process(None, meeting.starts)
        self.ends.process(None, meeting.ends)
        self.version.data = str(meeting.version)

    def details(self) -> MeetingDetails:
        return MeetingDetails(host_unit=self._units.get(self.host_unit.data), title=self.title.data,
                              date=self.date.data, starts=self.starts.data, ends=self.ends.data,
                              place=self.place.data, scope=self.scope.data or "",
                              introduction=self.introduction.data or "")


class OfficialRow(Form):
    function = StringField(_l("Funkcja"), validators=[Optional(), Length(max=500)])
    name = StringField(_l("Imię i nazwisko (nieobowiązkowe)"), validators=[Optional(), Length(max=200)])


class PersonRow(Form):
    name = StringField(_l("Imię i nazwisko"), validators=[
        Optional(), Length(max=200, message=_l("Imię i nazwisko może mieć najwyżej 200 znaków."))])
    consent = BooleanField(_l("Zgoda na publikację imienia i nazwiska"))


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttendanceForm(ConsultForm):
    organisations = CheckboxesField(_l("Organizacje obecne na spotkaniu"), coerce=int, validate_choice=False)
    officials = FieldList(FormField(OfficialRow), min_entries=0)
    persons = FieldList(FormField(PersonRow), min_entries=0)
    participants_count = WholeNumber(_l("Liczba uczestników"), validators=[
        Optional(), NumberRange(min=0, message=_l("Liczba uczestników nie może być ujemna."))])
    materials = TextAreaField(_l("Materiały przedstawione na spotkaniu"), validators=[Optional()])
    version = HiddenField()

    def __init__(self, *args, organisations=(), attending=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Those present so far come first, in the order recorded, so that a save keeps that order.
        present = [o.id for o in attending]
        rest = [o for o in organisations if o.id not in set(present)]
        self.organisations.choices = [SelectChoice(o.id, o.name) for o in [*attending, *rest]]
        self._organisations = {o.id: o for o in organisations}

    def fill(self, meeting) -> None:
        self.organisations.data = [a.organisation_id for a in meeting.attendance]
        for official in meeting.officials:
            self.officials.append_entry({"function": official.function, "name": official.name or ""})
        for person in meeting.persons:
            self.persons.append_entry({"name": person.name, "consent": person.name_consent})
        self.participants_count.data = meeting.participants_count
        self.materials.data = "\n".join(m.text for m in meeting.materials)
        self.version.data = str(meeting.version)

    def add_empty_rows(self, n: int = EMPTY_OFFICIAL_ROWS) -> None:
        for _i in range(n):
            self.officials.append_entry()
            self.persons.append_entry()

    def chosen_organisations(self) -> list:
        order = [choice.value for choice in self.organisations.choices]
        chosen = set(self.organisations.data or [])
        return [self._organisations[i] for i in order if i in chosen]

    def official_rows(self) -> list[tuple[str, str | None]]:
        rows = []
        for entry in self.officials:
            # entry.name is the FormField's own name, so the row's fields are reached through entry.form
            function = (entry.form["function"].data or "").strip()
            name = (entry.form["name"].data or "").strip()
            if function or name:
                rows.append((function, name or None))
        return rows

    def person_rows(self) -> list[tuple[str, bool]]:
        """The private persons written down (empty rows skipped), with whether each consented."""
        rows = []
        for entry in self.persons:
            name = (entry.form["name"].data or "").strip()
            if name:
                rows.append((name, bool(entry.form["consent"].data)))
            elif entry.form["consent"].data:
                rows.append(("", True))  # consent ticked on a row without a name: the operation says what to do
        return rows

    def first_person_field(self) -> str | None:
        """The id of the first private person's name input that the refusal is about (or the first one)."""
        for entry in self.persons:
            if entry.form["consent"].data and not (entry.form["name"].data or "").strip():
                return entry.form["name"].id
        return self.persons[0].form["name"].id if len(self.persons) else None

    def first_official_without_function(self) -> str | None:
        """The id of the first row's function input that is empty while the row has a name."""
        for entry in self.officials:
            if (entry.form["name"].data or "").strip() and not (entry.form["function"].data or "").strip():
                return entry.form["function"].id
        return None

    def material_lines(self) -> list[str]:
        return [line.strip() for line in (self.materials.data or "").splitlines() if line.strip()]


class MeetingPostulateForm(ConsultForm):
    submitter_kind = RadioField(_l("Kto zgłosił postulat"), choices=[
        SelectChoice("organisation", _l("Organizacja pozarządowa z rejestru")),
        SelectChoice("official", _l("Osoba pełniąca funkcję publiczną")),
        SelectChoice("person", _l("Osoba prywatna"))], default="organisation", validate_choice=False)
    organisation = SelectField(_l("Organizacja"), coerce=_blank_to_none, validate_choice=False)
    submitter_name = StringField(_l("Funkcja osoby zgłaszającej"), validators=[
        Length(max=300, message=_l("Funkcja może mieć najwyżej 300 znaków."))])
    person_name = StringField(_l("Imię i nazwisko osoby prywatnej"), validators=[
        Length(max=300, message=_l("Imię i nazwisko może mieć najwyżej 300 znaków."))])
    name_consent = BooleanField(_l("Osoba prywatna zgodziła się na publikację imienia i nazwiska"))
    content = TextAreaField(_l("Treść postulatu"), validators=[InputRequired(_l("Wpisz treść postulatu."))])
    justification = TextAreaField(_l("Uzasadnienie (nieobowiązkowe)"), validators=[Optional()])
    number = WholeNumber(_l("Numer (Lp.)"), example="3", validators=[
        Optional(), NumberRange(min=1, message=_l("Numer (Lp.) musi być dodatnią liczbą całkowitą."))])

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [SelectChoice("", _("– wybierz organizację –"))] + [
            SelectChoice(str(o.id), o.name) for o in organisations]
        self._organisations = {str(o.id): o for o in organisations}

    def validate_submitter_kind(self, field):
        if field.data not in ("organisation", "official", "person"):
            raise ValidationError(
                _("Wskaż, kto zgłosił postulat: organizacja, osoba pełniąca funkcję publiczną czy osoba prywatna."))

    def validate_person_name(self, field):
        if self.submitter_kind.data == "person" and not (field.data or "").strip():
            raise ValidationError(_("Wpisz imię i nazwisko osoby prywatnej, która zgłosiła postulat."))

    def validate_organisation(self, field):
        if self.submitter_kind.data == "organisation" and field.data not in self._organisations:
            raise ValidationError(_("Wybierz organizację z rejestru."))

    def validate_submitter_name(self, field):
        if self.submitter_kind.data == "official" and not (field.data or "").strip():
            raise ValidationError(_("Wpisz funkcję osoby, która zgłosiła postulat."))

    def submitter(self) -> dict:
        if self.submitter_kind.data == "organisation":
            return {"organisation": self._organisations.get(self.organisation.data), "submitter_name": None}
        if self.submitter_kind.data == "person":
            return {"organisation": None, "submitter_name": self.person_name.data, "private": True,
                    "name_consent": bool(self.name_consent.data)}
        return {"organisation": None, "submitter_name": self.submitter_name.data}
