"""A call's evaluation card (criteria with points, art. 15 ust. 1) and its formal criteria.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from consult.calls.models import Call, Criterion, FormalCriterion
from consult.calls.operations._common import POINTS_BELOW, _points, _require_runner, parse_amount, text_value
from consult.core.errors import Refused
from consult.core.locks import lock_for_update
from consult.core.operations import fire
from consult.core.submissions import once
from consult.extensions import db
from workflows import CALL

# The criteria of art. 15 ust. 1 of the Act, with the sub-criterion for cooperating with others that
# the city's card has under "quality" (see the sector meeting summary of 17.06.2025, postulate 3).
DEFAULT_CARD = [
    {
        "title": "Możliwość realizacji zadania publicznego przez oferenta (art. 15 ust. 1 pkt 1)",
        "max_points": 10,
    },
    {
        "title": "Przedstawiona kalkulacja kosztów realizacji zadania publicznego, w tym w odniesieniu "
        "do zakresu "
        "rzeczowego zadania (art. 15 ust. 1 pkt 2)",
        "max_points": 10,
    },
    {
        "title": "Proponowana jakość wykonania zadania i kwalifikacje osób, przy udziale których "
        "oferent będzie "
        "realizować zadanie publiczne (art. 15 ust. 1 pkt 3)",
        "max_points": 10,
        "children": [
            {
                "title": "Jakość wykonania zadania, w tym spójność opisu, harmonogramu i rezultatów",
                "max_points": 5,
            },
            {
                "title": "Kwalifikacje osób, przy udziale których oferent będzie realizować zadanie",
                "max_points": 3,
            },
            {
                "title": "Udokumentowana deklaracja współpracy z innymi podmiotami przy realizacji "
                "zadania w celu "
                "zwiększenia skuteczności i efektywności realizacji zadania mająca odniesienie w planowanych "
                "w harmonogramie działaniach",
                "max_points": 2,
            },
        ],
    },
    {
        "title": "Udział środków finansowych własnych lub środków pochodzących z innych źródeł "
        "na realizację zadania "
        "publicznego (art. 15 ust. 1 pkt 3a)",
        "max_points": 5,
    },
    {
        "title": "Planowany przez oferenta wkład rzeczowy i osobowy, w tym świadczenia wolontariuszy i praca "
        "społeczna członków (art. 15 ust. 1 pkt 4)",
        "max_points": 5,
    },
    {
        "title": "Analiza i ocena realizacji zleconych zadań publicznych w latach poprzednich, "
        "biorąc pod uwagę "
        "rzetelność i terminowość oraz sposób rozliczenia otrzymanych na ten cel środków "
        "(art. 15 ust. 1 pkt 5)",
        "max_points": 5,
    },
]


DEFAULT_FORMAL_CRITERIA = [
    "Oferta została złożona w terminie i w sposób określony w ogłoszeniu.",
    "Oferent jest podmiotem uprawnionym do udziału w konkursie (art. 3 ust. 2 i 3 ustawy).",
    "Oferta została złożona na wzorze z 2018 r. i zawiera wszystkie wymagane części.",
    "Zadanie mieści się w działalności statutowej oferenta (i partnerów oferty wspólnej).",
    "Termin realizacji zadania mieści się w terminie określonym w ogłoszeniu.",
    "Wnioskowana kwota dotacji nie przekracza środków przeznaczonych na zadanie.",
    "Oferta została podpisana przez osoby upoważnione do reprezentowania oferenta.",
]


def _card(rows: list[dict], *, depth: int = 0, prefix: str = "criteria") -> list[tuple[str, Decimal, list]]:
    if not rows:
        raise Refused(_("Karta oceny musi mieć co najmniej jedno kryterium."), field=prefix)
    out = []
    for i, row in enumerate(rows):
        field = f"{prefix}-{i}"
        title = text_value(row.get("title"), field, _("nazwę kryterium"), required=True, limit=2000)
        max_points = parse_amount(
            row.get("max_points"), field, _("maksymalna liczba punktów"), required=True, positive=True,
            below=POINTS_BELOW,
        )
        children = row.get("children") or []
        if children and depth > 0:
            raise Refused(_("Podkryterium nie może mieć własnych podkryteriów."), field=field)
        parsed = _card(children, depth=1, prefix=field) if children else []
        if parsed:
            total = sum((c[1] for c in parsed), Decimal(0))
            if total != max_points:
                raise Refused(
                    _(
                        "Kryterium „%(title)s” ma %(max)s pkt, a jego podkryteria razem %(sum)s pkt: "
                        "te liczby muszą być równe.",
                        title=title,
                        max=_points(max_points),
                        sum=_points(total),
                    ),
                    field=field,
                )
        out.append((title, max_points, parsed))
    return out


def _set_card(call: Call, rows: list[dict]) -> None:
    parsed = _card(rows)
    call.criteria.clear()
    db.session.flush()
    for i, (title, max_points, children) in enumerate(parsed, start=1):
        parent = Criterion(call=call, position=i, title=title, max_points=max_points)
        db.session.add(parent)
        for j, (sub_title, sub_max, _none) in enumerate(children, start=1):
            parent.children.append(Criterion(call=call, position=j, title=sub_title, max_points=sub_max))
    db.session.flush()


def _set_formal(call: Call, texts: list[str]) -> None:
    cleaned = [
        text_value(t, f"formal_criteria-{i}", _("kryterium formalne"), limit=2000) for i, t in enumerate(texts)
    ]
    cleaned = [t for t in cleaned if t]
    if not cleaned:
        raise Refused(_("Podaj co najmniej jedno kryterium formalne."), field="formal_criteria")
    call.formal_criteria.clear()
    db.session.flush()
    for i, text in enumerate(cleaned, start=1):
        call.formal_criteria.append(FormalCriterion(position=i, text=text))


@once("evaluation_card")
def set_evaluation_card(actor, call: Call, criteria: list[dict]) -> Call:
    """Replace the card (draft calls only).

    `criteria`: [{"title", "max_points", "children": [{"title", "max_points"}]}].
    """
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)  # not while the call is being announced
    fire(CALL, call, "edit_card", actor, criteria=len(criteria))
    _set_card(call, criteria)
    return call


@once("evaluation_card")
def reset_evaluation_card(actor, call: Call) -> Call:
    """Put back the default card of art. 15 ust. 1 (draft calls only), replacing whatever was edited."""
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)  # not while the call is being announced
    fire(CALL, call, "edit_card", actor, action="reset_card", criteria=len(DEFAULT_CARD))
    _set_card(call, DEFAULT_CARD)
    return call


@once("formal_criteria")
def set_formal_criteria(actor, call: Call, texts: list[str]) -> Call:
    """Replace the list of formal criteria (draft calls only); blank entries are dropped."""
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)  # not while the call is being announced
    fire(CALL, call, "edit_card", actor, action="edit_formal_criteria", formal_criteria=len(texts))
    _set_formal(call, texts)
    return call
