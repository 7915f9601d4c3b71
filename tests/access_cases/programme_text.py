"""The programme's text: anyone reads the published text, its versions, a provision's page and what changed;
coordinators import, edit, publish and export it, link postulates to provisions, start next year's text from
last year's and carry last year's postulates over; the unit that wrote a position
(or a coordinator) links it to the provisions it changed."""
from tests.access_cases import ALL, Case

COORD = frozenset({"coordinator"})


def _text(w):
    """The world's programme with a published text (made once)."""
    from consult.programme_text.queries import versions
    from tests.programme_text_support import publish_text

    if not versions(w.programme.id):
        publish_text(w.programme)
    return w.programme.id


def _provision_id(w, key="par-1"):
    from tests.programme_text_support import provision

    _text(w)
    return provision(w.programme, key).id


def _position_id(w):
    _text(w)
    return w.p["a_answered_x"].positions[0].id  # unit X's position, accepted


CASES = [
    Case("programme_text.text", lambda w: f"/programy/{_text(w)}/tekst", ALL),
    Case("programme_text.version", lambda w: f"/programy/{_text(w)}/tekst/wersje/1", ALL),
    Case("programme_text.provision", lambda w: f"/programy/{_text(w)}/tekst/przepisy/par-2.ust-1", ALL),
    Case("programme_text.changes", lambda w: f"/programy/{_text(w)}/tekst/zmiany", ALL),
    Case("programme_text.manage", lambda w: f"/koordynacja/programy/{_text(w)}/tekst", COORD),
    Case("programme_text.manage", lambda w: f"/koordynacja/programy/{_text(w)}/tekst", COORD, method="POST",
         data=lambda w: {}),
    Case("programme_text.edit",
         lambda w: f"/koordynacja/programy/{w.programme.id}/tekst/przepisy/{_provision_id(w)}/edycja", COORD),
    Case("programme_text.edit",
         lambda w: f"/koordynacja/programy/{w.programme.id}/tekst/przepisy/{_provision_id(w)}/edycja", COORD,
         method="POST", data=lambda w: {"text": "Program określa formy współpracy."}),
    Case("programme_text.publish", lambda w: f"/koordynacja/programy/{_text(w)}/tekst/publikacja", COORD,
         method="POST", data=lambda w: {"kind": "draft"}),
    Case("programme_text.export", lambda w: f"/koordynacja/programy/{_text(w)}/tekst/eksport.json", COORD),
    Case("programme_text.link", lambda w: f"/postulaty/{_text(w) and w.p['b_published_x'].id}/przepis", COORD),
    Case("programme_text.link", lambda w: f"/postulaty/{_text(w) and w.p['b_published_x'].id}/przepis", COORD,
         method="POST", data=lambda w: {"provision": _provision_id(w)}),
    Case("programme_text.position_changes", lambda w: f"/stanowiska/{_position_id(w)}/zmienione-przepisy",
         frozenset({"unit_x", "coordinator"})),
    Case("programme_text.position_changes", lambda w: f"/stanowiska/{_position_id(w)}/zmienione-przepisy",
         frozenset({"unit_x", "coordinator"}), method="POST", data=lambda w: {"provisions": [_provision_id(w)]}),
    # year to year: the 2027 programme starts its text from 2026's adopted one (refused here: none adopted),
    # and lists 2026's postulates to carry over
    Case("programme_text.start_from_previous",
         lambda w: f"/koordynacja/programy/{w.programme.id}/tekst/z-poprzedniego-roku", COORD, method="POST"),
    Case("programme_text.carry", lambda w: f"/koordynacja/programy/{w.programme.id}/postulaty-z-poprzedniego-roku",
         COORD),
    Case("programme_text.carry", lambda w: f"/koordynacja/programy/{w.programme.id}/postulaty-z-poprzedniego-roku",
         COORD, method="POST", data=lambda w: {"postulates": []}),
]
