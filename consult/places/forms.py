"""Forms of places: a place, a kind, a room, a request for a room, a decision on it, a resident's account."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import Optional

from consult.core.forms import ConsultForm, DateParts, EmailAddress, TimeOfDay, WholeNumber
from consult.organisations.register_data import DISTRICTS, district_label


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class KindForm(ConsultForm):
    name = StringField(_l("Nazwa rodzaju miejsca"))


class PlaceForm(ConsultForm):
    kind = SelectField(_l("Rodzaj miejsca"), validate_choice=False)
    name = StringField(_l("Nazwa miejsca"))
    address = StringField(_l("Adres"))
    district = SelectField(_l("Dzielnica"), validate_choice=False)
    operator = SelectField(_l("Operator"), validate_choice=False)
    programme = StringField(_l("Program, który miejsce realizuje (nieobowiązkowe)"), validators=[Optional()])
    call = SelectField(_l("Konkurs ofert, z którego miejsce jest finansowane (nieobowiązkowe)"),
                       validate_choice=False)
    opening_hours = TextAreaField(_l("Godziny otwarcia"))
    offer = TextAreaField(_l("Co miejsce oferuje"))
    accessibility = TextAreaField(_l("Dostępność dla osób z niepełnosprawnościami"))
    email = EmailField(_l("E-mail miejsca (nieobowiązkowy)"), validators=[Optional(), EmailAddress()])
    phone = StringField(_l("Telefon (nieobowiązkowy)"), validators=[Optional()])
    website = StringField(_l("Strona internetowa (nieobowiązkowa)"), validators=[Optional()])
    rooms = TextAreaField(_l("Sale do rezerwacji, każda w osobnym wierszu (nieobowiązkowe)"))
    version = HiddenField(filters=[_int_or_none])

    def __init__(self, *args, kinds=(), organisations=(), units=(), calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice("", _("– wybierz –"))] + [SelectChoice(str(k.id), k.label) for k in kinds]
        self.district.choices = [SelectChoice("", _("– nie dotyczy –"))] + [
            SelectChoice(code, district_label(code)) for code in DISTRICTS]
        self.operator.choices = [SelectChoice("", _("– wybierz –"))] + [
            SelectChoice(f"o{o.id}", o.name) for o in organisations] + [
            SelectChoice(f"u{u.id}", u.name) for u in units]
        self.call.choices = [SelectChoice("", _("– nie dotyczy –"))] + [
            SelectChoice(str(c.id), f"{c.reference} {c.title}") for c in calls]
        self._kinds = {str(k.id): k for k in kinds}
        self._organisations = {f"o{o.id}": o for o in organisations}
        self._units = {f"u{u.id}": u for u in units}
        self._calls = {str(c.id): c for c in calls}

    def fill(self, place) -> None:
        self.kind.data = str(place.kind_id)
        for name in ("name", "address", "programme", "opening_hours", "offer", "accessibility", "email", "phone",
                     "website"):
            getattr(self, name).data = getattr(place, name) or ""
        self.district.data = place.district or ""
        self.operator.data = f"o{place.organisation_id}" if place.organisation_id else f"u{place.unit_id}"
        self.call.data = str(place.call_id) if place.call_id else ""
        self.version.data = place.version

    def details(self):
        from consult.places.operations import PlaceDetails

        return PlaceDetails(
            kind=self._kinds.get(self.kind.data), name=self.name.data, address=self.address.data,
            district=self.district.data if self.district.data in DISTRICTS else None,
            organisation=self._organisations.get(self.operator.data), unit=self._units.get(self.operator.data),
            programme=self.programme.data, call=self._calls.get(self.call.data),
            opening_hours=self.opening_hours.data, offer=self.offer.data, accessibility=self.accessibility.data,
            email=self.email.data, phone=self.phone.data, website=self.website.data)

    def room_names(self) -> list[str]:
        return [line.strip() for line in (self.rooms.data or "").splitlines() if line.strip()]


class RoomForm(ConsultForm):
    room_name = StringField(_l("Nazwa sali"))
    capacity = WholeNumber(_l("Liczba miejsc (nieobowiązkowa)"), validators=[Optional()], example="20")


class RoomEditForm(ConsultForm):
    room_name = StringField(_l("Nazwa sali"))
    capacity = WholeNumber(_l("Liczba miejsc (nieobowiązkowa)"), validators=[Optional()], example="20")
    equipment = TextAreaField(_l("Wyposażenie (nieobowiązkowe)"))
    accessibility = TextAreaField(_l("Dostępność sali (nieobowiązkowa)"))
    version = HiddenField(filters=[_int_or_none])

    def fill(self, room) -> None:
        self.room_name.data = room.name
        self.capacity.data = room.capacity
        self.equipment.data = room.equipment or ""
        self.accessibility.data = room.accessibility or ""
        self.version.data = room.version


class BookingForm(ConsultForm):
    room = SelectField(_l("Sala"), validate_choice=False)
    day = DateParts(_l("Data wydarzenia"))
    starts = TimeOfDay(_l("Od godziny"))
    ends = TimeOfDay(_l("Do godziny"))
    recurrence = RadioField(_l("Jak często"), choices=[
        SelectChoice("none", _l("jednorazowo")), SelectChoice("weekly", _l("co tydzień, tego samego dnia tygodnia")),
        SelectChoice("monthly", _l("co miesiąc, tego samego dnia miesiąca"))], default="none", validate_choice=False)
    until = DateParts(_l("Ostatni raz (dla wydarzeń cyklicznych)"), required=False)
    title = StringField(_l("Przybliżona tematyka wydarzenia"))
    description = TextAreaField(_l("Krótki opis (nieobowiązkowy)"))
    audience = WholeNumber(_l("Przewidywana liczba odbiorców"), validators=[Optional()], example="15")
    equipment = TextAreaField(_l("Potrzebny sprzęt (nieobowiązkowy)"))
    accessible = BooleanField(_l("Wydarzenie jest dostępne dla osób z niepełnosprawnościami lub ze szczególnymi "
                                 "potrzebami"))
    accessibility_note = TextAreaField(_l("Dostępność – szczegóły (nieobowiązkowe)"))
    responsible_name = StringField(_l("Imię i nazwisko osoby odpowiedzialnej"))
    responsible_contact = StringField(_l("Telefon lub e-mail osoby odpowiedzialnej"))
    version = HiddenField(filters=[_int_or_none])

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.room.choices = [SelectChoice(str(r.id), r.name + (f" ({r.capacity})" if r.capacity else ""))
                             for r in rooms]
        self._rooms = {str(r.id): r for r in rooms}

    def fill(self, request) -> None:
        from consult.core.forms import warsaw_parts

        self.room.data = str(request.room_id)
        self.day.process(None, warsaw_parts(request.starts_at)[0])
        self.starts.process(None, warsaw_parts(request.starts_at)[1])
        self.ends.process(None, warsaw_parts(request.ends_at)[1])
        self.recurrence.data = request.recurrence
        if request.until:
            self.until.process(None, request.until)
        for name in ("title", "description", "equipment", "accessibility_note", "responsible_name",
                     "responsible_contact"):
            getattr(self, name).data = getattr(request, name) or ""
        self.audience.data = request.audience
        self.accessible.data = request.accessible
        self.version.data = request.version

    def details(self):
        from consult.places.operations import RequestDetails

        return RequestDetails(
            room=self._rooms.get(self.room.data), day=self.day.data, starts=self.starts.data, ends=self.ends.data,
            title=self.title.data, responsible_name=self.responsible_name.data,
            responsible_contact=self.responsible_contact.data, audience=self.audience.data,
            equipment=self.equipment.data, description=self.description.data, accessible=self.accessible.data,
            accessibility_note=self.accessibility_note.data, recurrence=self.recurrence.data or "none",
            until=self.until.data)


class DecisionForm(ConsultForm):
    note = TextAreaField(_l("Co zmienić albo powód odmowy"))


class ResidentForm(ConsultForm):
    name = StringField(_l("Imię i nazwisko"))
    email = EmailField(_l("Adres e-mail"), validators=[EmailAddress()])
    password = PasswordField(_l("Hasło (co najmniej 10 znaków)"))
