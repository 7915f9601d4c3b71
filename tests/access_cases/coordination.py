"""Coordinator pages for programmes and sector meetings: coordinators only."""
from tests.access_cases import Case

COORD = frozenset({"coordinator"})


def _programme(w):
    return {"year": "2031", "title": "Program Współpracy na rok 2031",
            "opens_date-day": "1", "opens_date-month": "9", "opens_date-year": "2030", "opens_time": "08:00",
            "closes_date-day": "30", "closes_date-month": "9", "closes_date-year": "2030", "closes_time": "16:00"}


def _meeting(w):
    return {"host_unit": str(w.unit_y.id), "title": "Spotkanie branżowe", "date-day": "10", "date-month": "10",
            "date-year": "2030", "starts": "17:00", "ends": "19:00", "place": "sala nr 9",
            "version": str(w.meeting.version)}


CASES = [
    Case("programmes.index", lambda w: "/koordynacja", COORD),
    Case("programmes.new", lambda w: "/koordynacja/programy/nowy", COORD),
    Case("programmes.new", lambda w: "/koordynacja/programy/nowy", COORD, method="POST", data=_programme),
    Case("programmes.edit", lambda w: f"/koordynacja/programy/{w.programme.id}/edycja", COORD),
    Case("programmes.edit", lambda w: f"/koordynacja/programy/{w.programme.id}/edycja", COORD, method="POST",
         data=_programme),
    Case("programmes.detail", lambda w: f"/koordynacja/programy/{w.programme.id}", COORD),
    Case("meetings.new", lambda w: f"/koordynacja/programy/{w.programme.id}/spotkania/nowe", COORD),
    Case("meetings.new", lambda w: f"/koordynacja/programy/{w.programme.id}/spotkania/nowe", COORD,
         method="POST", data=_meeting),
    Case("meetings.detail", lambda w: f"/koordynacja/spotkania/{w.meeting.id}", COORD),
    Case("meetings.edit", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/edycja", COORD),
    Case("meetings.edit", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/edycja", COORD, method="POST",
         data=_meeting),
    Case("meetings.attendance", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/obecnosc", COORD),
    Case("meetings.attendance", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/obecnosc", COORD,
         method="POST", data=lambda w: {"organisations": [str(w.org_a.id)], "officials-0-function": "Dyrektor",
                                        "participants_count": "5", "version": str(w.meeting.version)}),
    Case("meetings.mark_held", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/odbyte", COORD, method="POST",
         data=lambda w: {}),
    Case("meetings.new_postulate", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/postulaty/nowy", COORD),
    Case("meetings.new_postulate", lambda w: f"/koordynacja/spotkania/{w.meeting.id}/postulaty/nowy", COORD,
         method="POST", data=lambda w: {"submitter_kind": "organisation", "organisation": str(w.org_b.id),
                                        "content": "Postulat ze spotkania"}),
]
