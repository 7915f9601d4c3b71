"""Pages of places of activity: the public register and calendars, the operator's pages, booking a room."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user

from consult.core.access import acting_user, ensure, public, roles, signed_in
from consult.core.errors import Refused
from consult.core.forms import press_button, show_refusal, submit_form
from consult.core.operations import in_transaction
from consult.core.paging import choice_arg, id_arg, page_number, search_term
from consult.core.submissions import posted_token
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.organisations.register_data import DISTRICTS, district_label
from consult.places import calendars, exports, operations, queries
from consult.places.forms import (
    BookingForm,
    DecisionForm,
    KindForm,
    PlaceForm,
    ResidentForm,
    RoomEditForm,
    RoomForm,
)
from consult.places.models import BookingRequest, Place, Room
from consult.places.rules import earliest_event_day, warsaw_day_bounds

bp = Blueprint("places", __name__)

OPERATOR_ROLES = ("ngo", "unit", "coordinator", "admin")
REQUESTER_ROLES = ("resident", "ngo")


def _place_or_404(place_id: int) -> Place:
    return db.session.get(Place, place_id) or abort(404)


def _request_or_404(request_id: int) -> BookingRequest:
    return db.session.get(BookingRequest, request_id) or abort(404)


def _filters() -> dict:
    return {"search": search_term(), "kind_id": id_arg("rodzaj"), "district": choice_arg("dzielnica", DISTRICTS),
            "operator": (request.args.get("operator") or "")[:12]}


# --- the public register ------------------------------------------------------------------------------

@bp.route("/miejsca")
@public
def index():
    page = queries.places_page(page=page_number(), **_filters())
    return render_template("places/index.html", page=page, kinds=queries.kinds(), operators=queries.operators(),
                           districts=[(c, district_label(c)) for c in DISTRICTS])


@bp.route("/miejsca/eksport.<any(csv, xlsx, ods):fmt>")
@public
def export(fmt: str):
    return exports.download(queries.places_query(**_filters()), fmt)


@bp.route("/miejsca/<int:place_id>")
@public
def detail(place_id: int):
    place = _place_or_404(place_id)
    now = utcnow()
    events = queries.public_events(place, now, now + timedelta(days=28))
    user = acting_user()
    return render_template("places/detail.html", place=place, events=events,
                           can_edit=operations.can_edit_place(user, place),
                           can_request=operations.can_request(user) and bool(operations.active_rooms(place)))


def _monday(arg: str = "od") -> date:
    raw = (request.args.get(arg) or "").strip()
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else to_warsaw(utcnow()).date()
    except ValueError:
        day = to_warsaw(utcnow()).date()
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        day = to_warsaw(utcnow()).date()
    return day - timedelta(days=day.weekday())


@bp.route("/miejsca/<int:place_id>/kalendarz")
@public
def calendar(place_id: int):
    """What residents see: the accepted events of a week, as a grid of days and hours (title, time, room,
    accessibility: no people)."""
    place = _place_or_404(place_id)
    monday = _monday()
    start, _end = warsaw_day_bounds(monday)
    _start, end = warsaw_day_bounds(monday + timedelta(days=6))
    events = queries.public_events(place, start, end)
    return render_template("places/calendar.html", place=place, monday=monday,
                           grid=calendars.week_grid(events, monday), **_weeks(monday))


def _weeks(monday: date) -> dict:
    today = to_warsaw(utcnow()).date()
    return {"previous": monday - timedelta(days=7), "following": monday + timedelta(days=7),
            "this_week": today - timedelta(days=today.weekday())}


@bp.route("/miejsca/<int:place_id>/kalendarz.ics")
@public
def place_feed(place_id: int):
    place = _place_or_404(place_id)
    return _ics(calendars.feed(place), f"miejsce-{place.id}.ics")


@bp.route("/miejsca/sale/<int:room_id>/kalendarz.ics")
@public
def room_feed(room_id: int):
    room = db.session.get(Room, room_id) or abort(404)
    return _ics(calendars.feed(room.place, room), f"sala-{room.id}.ics")


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- registering and editing places -------------------------------------------------------------------

def _place_form(place=None, **kwargs) -> PlaceForm:
    from consult.calls.models import Call
    from consult.organisations.queries import active_units, organisations

    calls = db.session.scalars(db.select(Call).where(Call.state != "draft").order_by(Call.id.desc())).all()
    # A new place is run by an active unit; an edited one keeps offering the unit that runs it.
    units = active_units(keep=[place.unit_id] if place is not None else [])
    return PlaceForm(kinds=queries.kinds(), organisations=organisations(), units=units, calls=calls, **kwargs)


@bp.route("/miejsca/nowe", methods=["GET", "POST"])
@roles("coordinator", "admin")
def new_place():
    form = _place_form()
    sent = submit_form(
        form, lambda: in_transaction(operations.create_place, acting_user(), form.details(), rooms=form.room_names(),
                                     form_token=posted_token()),
        success=lambda place: _("Dopisano miejsce „%(name)s”.", name=place.name),
        then=lambda place: url_for("places.detail", place_id=place.id),
        sent_before=(_("Ten formularz został już wysłany – miejsce jest już w rejestrze."),
                     lambda done: url_for("places.detail", place_id=done.record_id) if done.record_id
                     else url_for("places.index")),
        aliases={"room_name": "rooms"})
    return sent.response or render_template("places/form.html", form=form, extra=sent.extra,
                                            page_error=bool(form.errors or sent.extra), place=None)


@bp.route("/miejsca/<int:place_id>/edycja", methods=["GET", "POST"])
@roles(*OPERATOR_ROLES)
def edit(place_id: int):
    place = _place_or_404(place_id)
    user = acting_user()
    ensure(operations.can_edit_place(user, place))
    form = _place_form(place)
    if request.method == "GET":
        form.fill(place)

    def save():
        details = form.details()
        if not operations.has_role(user, "coordinator", "admin"):  # an operator keeps its place
            details.organisation, details.unit = place.organisation, place.unit
        return in_transaction(operations.edit_place, user, place, details, version=form.version.data)

    sent = submit_form(form, save, success=_("Zapisano zmiany."), then=url_for("places.detail", place_id=place.id))
    return sent.response or render_template(
        "places/form.html", form=form, extra=sent.extra, page_error=bool(form.errors or sent.extra), place=place,
        may_change_operator=operations.has_role(user, "coordinator", "admin"))


@bp.route("/miejsca/<int:place_id>/sale", methods=["GET", "POST"])
@roles(*OPERATOR_ROLES)
def rooms(place_id: int):
    place = _place_or_404(place_id)
    ensure(operations.can_edit_place(acting_user(), place))
    form = RoomForm()
    sent = submit_form(form, lambda: in_transaction(operations.add_room, acting_user(), place,
                                                    name=form.room_name.data, capacity=form.capacity.data),
                       success=_("Dopisano salę."), then=url_for("places.rooms", place_id=place.id))
    return sent.response or render_template("places/rooms.html", place=place, form=form, extra=sent.extra,
                                            page_error=bool(form.errors or sent.extra))


def _room_or_404(room_id: int) -> Room:
    return db.session.get(Room, room_id) or abort(404)


@bp.route("/miejsca/sale/<int:room_id>/edycja", methods=["GET", "POST"])
@roles(*OPERATOR_ROLES)
def edit_room(room_id: int):
    room = _room_or_404(room_id)
    ensure(operations.can_edit_place(acting_user(), room.place))
    form = RoomEditForm()
    if request.method == "GET":
        form.fill(room)
    sent = submit_form(form, lambda: in_transaction(
        operations.edit_room, acting_user(), room, name=form.room_name.data, capacity=form.capacity.data,
        equipment=form.equipment.data, accessibility=form.accessibility.data, version=form.version.data),
        success=_("Zapisano opis sali."), then=url_for("places.rooms", place_id=room.place_id))
    return sent.response or render_template("places/room_form.html", room=_room_or_404(room_id), form=form,
                                            extra=sent.extra, page_error=bool(form.errors or sent.extra))


def _room_state(room_id: int, operation, done: str):
    room = _room_or_404(room_id)
    ensure(operations.can_edit_place(acting_user(), room.place))
    return press_button(lambda: in_transaction(operation, acting_user(), room), success=done,
                        then=url_for("places.rooms", place_id=room.place_id))


@bp.route("/miejsca/sale/<int:room_id>/wycofanie", methods=["POST"])
@roles(*OPERATOR_ROLES)
def withdraw_room(room_id: int):
    return _room_state(room_id, operations.withdraw_room,
                       _("Wycofano salę z rezerwacji: nie ma jej już w formularzu wniosku."))


@bp.route("/miejsca/sale/<int:room_id>/przywrocenie", methods=["POST"])
@roles(*OPERATOR_ROLES)
def restore_room(room_id: int):
    return _room_state(room_id, operations.restore_room, _("Sala znów jest dostępna do rezerwacji."))


@bp.route("/miejsca/rodzaje", methods=["GET", "POST"])
@roles("admin")
def kinds():
    form = KindForm()
    sent = submit_form(
        form, lambda: in_transaction(operations.create_place_kind, acting_user(), name=form.name.data,
                                     form_token=posted_token()),
        success=lambda kind: _("Dopisano rodzaj miejsca „%(name)s”.", name=kind.label), then=url_for("places.kinds"),
        sent_before=(_("Ten formularz został już wysłany – rodzaj jest już na liście."), url_for("places.kinds")))
    return sent.response or render_template("places/kinds.html", form=form, extra=sent.extra, kinds=queries.kinds(),
                                            page_error=bool(form.errors or sent.extra))


# --- the operator's week ------------------------------------------------------------------------------

@bp.route("/miejsca/<int:place_id>/tydzien")
@roles(*OPERATOR_ROLES)
def week(place_id: int):
    place = _place_or_404(place_id)
    ensure(operations.can_decide(acting_user(), place))
    monday = _monday()
    times = queries.week_of(place, monday)
    return render_template("places/week.html", place=place, monday=monday, grid=calendars.week_grid(times, monday),
                           waiting=queries.requests_for(place, ("sent",)), **_weeks(monday))


@bp.route("/miejsca/prowadzone")
@roles(*OPERATOR_ROLES)
def operated():
    user = acting_user()
    places = queries.places_operated_by(user)
    if operations.has_role(user, "coordinator", "admin"):
        places = list(db.session.scalars(db.select(Place).order_by(Place.name)))
    return render_template("places/operated.html", places=places)


# --- requests -----------------------------------------------------------------------------------------

@bp.route("/miejsca/<int:place_id>/rezerwacja", methods=["GET", "POST"])
@roles(*REQUESTER_ROLES)
def book(place_id: int):
    place = _place_or_404(place_id)
    form = BookingForm(rooms=operations.active_rooms(place))
    if request.method == "GET" and request.args.get("sala", "").isdigit():
        form.room.data = request.args["sala"]
    extra: list = []
    planned = None
    if form.validate_on_submit():
        if "sprawdz" in request.form:
            planned = _preview(place, form)
            if isinstance(planned, list) and planned and not isinstance(planned[0], tuple):
                extra, planned = planned, None
        else:
            sent = submit_form(
                form, lambda: in_transaction(operations.send_booking_request, acting_user(), place, form.details(),
                                             form_token=posted_token()),
                success=_("Wysłano wniosek o salę. Operator miejsca odpowie przed wydarzeniem."),
                then=lambda made: url_for("places.booking_request", request_id=made.id),
                sent_before=(_("Ten formularz został już wysłany – wniosek czeka na decyzję operatora."),
                             lambda done: url_for("places.booking_request", request_id=done.record_id)
                             if done.record_id else url_for("places.my_requests")),
                aliases={"until": "until"}, validate=False)
            if sent.response:
                return sent.response
            extra = sent.extra
    return render_template("places/book.html", place=place, form=form, extra=extra, planned=planned,
                           page_error=bool(form.errors or extra), request_obj=None,
                           unconfirmed=operations.needs_confirmation(acting_user()),
                           earliest=earliest_event_day(to_warsaw(utcnow()).date()))


@bp.route("/miejsca/<int:place_id>/rezerwacja/ponow-link", methods=["POST"])
@roles(*REQUESTER_ROLES)
def resend_link(place_id: int):
    """The confirmation link again, from the booking form of a resident whose address is not confirmed yet."""
    from consult.places.residents import resend_link as send_again

    place = _place_or_404(place_id)
    user = acting_user()
    if operations.needs_confirmation(user):
        in_transaction(send_again, user)
        flash(_("Wysłaliśmy link jeszcze raz na adres %(email)s. Sprawdź skrzynkę (także folder spam).",
                email=user.email), "info")
    else:
        flash(_("Twój adres e-mail jest już potwierdzony."), "info")
    return redirect(url_for("places.book", place_id=place.id))


def _preview(place, form):
    """The times the form asks for, checked as sending would check them (nothing written); or the refusal, as
    the error summary's items."""
    try:
        _values, times = operations.planned_times(place, form.details())
    except Refused as exc:
        return show_refusal(form, exc)
    finally:
        db.session.rollback()
    return [(start, to_warsaw(end).strftime("%H:%M")) for start, end in times]


@bp.route("/miejsca/wnioski/<int:request_id>")
@signed_in
def booking_request(request_id: int):
    made = _request_or_404(request_id)
    user = acting_user()
    ensure(operations.can_see_request(user, made))
    return render_template("places/request.html", req=made, form=DecisionForm(),
                           can_decide=operations.can_decide(user, made.place),
                           is_requester=user.id == made.requester_id, started=made.starts_at <= utcnow())


@bp.route("/miejsca/wnioski/<int:request_id>/poprawa", methods=["GET", "POST"])
@roles(*REQUESTER_ROLES)
def change_request(request_id: int):
    made = _request_or_404(request_id)
    ensure(acting_user().id == made.requester_id)
    form = BookingForm(rooms=operations.active_rooms(made.place))
    if request.method == "GET":
        form.fill(made)
    extra: list = []
    planned = None
    if form.validate_on_submit():
        if "sprawdz" in request.form:
            planned = _preview(made.place, form)
            if isinstance(planned, list) and planned and not isinstance(planned[0], tuple):
                extra, planned = planned, None
        else:
            sent = submit_form(
                form, lambda: in_transaction(operations.resend_booking_request, acting_user(), made, form.details(),
                                             version=form.version.data),
                success=_("Wysłano poprawiony wniosek."),
                then=url_for("places.booking_request", request_id=made.id), validate=False)
            if sent.response:
                return sent.response
            extra = sent.extra
    return render_template("places/book.html", place=made.place, form=form, extra=extra, planned=planned,
                           page_error=bool(form.errors or extra), request_obj=made,
                           earliest=earliest_event_day(to_warsaw(utcnow()).date()))


def _decide(request_id: int, operation, done_message: str, **kwargs):
    made = _request_or_404(request_id)
    ensure(operations.can_decide(acting_user(), made.place))
    form = DecisionForm()
    sent = submit_form(form, lambda: in_transaction(operation, acting_user(), made, **kwargs), success=done_message,
                       then=url_for("places.booking_request", request_id=made.id), beside="note")
    if sent.response:
        return sent.response
    if not form.errors:  # a post without the form's fields (an old page): show the request as it is
        return redirect(url_for("places.booking_request", request_id=made.id))
    db.session.rollback()
    made = _request_or_404(request_id)
    return render_template("places/request.html", req=made, form=form, can_decide=True,
                           is_requester=False, page_error=True, extra=[], started=made.starts_at <= utcnow())


@bp.route("/miejsca/wnioski/<int:request_id>/przyjecie", methods=["POST"])
@roles(*OPERATOR_ROLES)
def accept(request_id: int):
    return _decide(request_id, operations.accept_booking_request,
                   _("Przyjęto wniosek; osoba, która go wysłała, dostanie potwierdzenie."))


@bp.route("/miejsca/wnioski/<int:request_id>/zmiany", methods=["POST"])
@roles(*OPERATOR_ROLES)
def ask_for_changes(request_id: int):
    return _decide(request_id, operations.ask_for_changes, _("Poproszono o zmiany we wniosku."),
                   note=request.form.get("note", ""))


@bp.route("/miejsca/wnioski/<int:request_id>/odmowa", methods=["POST"])
@roles(*OPERATOR_ROLES)
def refuse(request_id: int):
    return _decide(request_id, operations.refuse_booking_request, _("Odrzucono wniosek."),
                   reason=request.form.get("note", ""))


@bp.route("/miejsca/wnioski/<int:request_id>/wycofanie", methods=["POST"])
@roles(*REQUESTER_ROLES)
def withdraw(request_id: int):
    made = _request_or_404(request_id)
    ensure(acting_user().id == made.requester_id)
    was_accepted = made.state == "accepted"
    return press_button(lambda: in_transaction(operations.withdraw_booking_request, acting_user(), made),
                        success=_("Odwołano rezerwację; operator miejsca dostanie wiadomość, że sala jest wolna.")
                        if was_accepted else _("Wycofano wniosek."),
                        then=url_for("places.booking_request", request_id=made.id))


@bp.route("/miejsca/moje-wnioski")
@roles(*REQUESTER_ROLES)
def my_requests():
    return render_template("places/mine.html", requests=queries.requests_of(acting_user()))


# --- a resident's account -----------------------------------------------------------------------------

@bp.route("/miejsca/konto-mieszkanca", methods=["GET", "POST"])
@public
def resident_account():
    from consult import i18n
    from consult.places.residents import register_resident

    form = ResidentForm()

    def register():
        user = in_transaction(register_resident, name=form.name.data, email=form.email.data,
                              password=form.password.data, locale=i18n.current_locale())
        login_user(user)
        return user

    sent = submit_form(
        form, register, then=url_for("places.index"),
        success=lambda user: _("Założono konto mieszkańca. Wysłaliśmy link na adres %(email)s: otwórz go, aby "
                               "potwierdzić adres – dopiero wtedy wyślesz wniosek o salę.", email=user.email))
    return sent.response or render_template("places/resident.html", form=form, extra=sent.extra,
                                            page_error=bool(form.errors or sent.extra))
