"""The form of a draft call: the announcement fields of art. 13 ust. 2, saved partially as a draft.

Amounts stay text here: the operation parses them ("1 234,50") and refuses with a message that names
the field. Dates are day, month and year; the offers deadline is a date and a time in Kraków.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as BareForm
from wtforms.validators import InputRequired, Length

from consult.core.forms import ConsultForm, DateParts, TimeOfDay, warsaw_moment, warsaw_parts
from consult.core.input import whole_number
from consult.i18n import format_input
from consult.organisations.register_data import SPHERES, sphere_code_of, sphere_label, sphere_wording

PREVIOUS_ROWS = 4


class PreviousTaskForm(BareForm):
    year = StringField(_l("Rok"))
    task = StringField(_l("Zadanie"))
    amount = StringField(_l("Kwota dotacji (zł)"))


class CallForm(ConsultForm):
    programme = SelectField(_l("Program współpracy"), coerce=int)
    unit = SelectField(_l("Komórka prowadząca konkurs"), coerce=int)
    title = StringField(
        _l("Tytuł konkursu"),
        validators=[
            InputRequired(_l("Wpisz tytuł konkursu.")),
            Length(max=500, message=_l("Tytuł konkursu może mieć najwyżej 500 znaków.")),
        ],
    )
    task_type = TextAreaField(_l("Rodzaj zadania publicznego"))
    # chosen from the Act's list (SPHERES), as a small grant's: a code; a call's free text of before stays a choice
    sphere = SelectField(_l("Sfera pożytku publicznego"), validate_choice=False)
    funds = StringField(_l("Wysokość środków na realizację zadania (zł)"))
    award_rules = TextAreaField(_l("Zasady przyznawania dotacji"))
    task_starts = DateParts(_l("Początek realizacji zadania"), required=False)
    task_ends = DateParts(_l("Koniec realizacji zadania"), required=False)
    task_conditions = TextAreaField(_l("Terminy i warunki realizacji zadania"))
    deadline_date = DateParts(_l("Termin składania ofert – data"), required=False)
    deadline_time = TimeOfDay(_l("Termin składania ofert – godzina"), required=False)
    procedure = TextAreaField(_l("Tryb i sposób wyboru ofert"))
    criteria_notes = TextAreaField(_l("Dodatkowe informacje o kryteriach wyboru"))
    selection_date = DateParts(_l("Termin dokonania wyboru ofert"), required=False)
    aggregation = RadioField(
        _l("Jak łączyć oceny członków komisji"),
        default="mean",
        choices=[SelectChoice("mean", _l("średnia punktów")), SelectChoice("median", _l("mediana punktów"))],
    )
    previous_tasks = FieldList(
        FormField(PreviousTaskForm), min_entries=PREVIOUS_ROWS, max_entries=PREVIOUS_ROWS
    )
    version = HiddenField()

    # Where an operation's Refused(field=...) goes on this form.
    ALIASES = {"offers_deadline": "deadline_date"}

    def offer_spheres(self, kept: str | None = None) -> None:
        """The spheres to choose from: the Act's list, and `kept` (a call's sphere written freely before the list,
        naming none of it) first, as it is written, so that saving the call again keeps it."""
        kept = (kept or "").strip()
        choices = [SelectChoice("", _l("– wybierz –"))]
        if kept and sphere_code_of(kept) is None:
            choices.append(SelectChoice(kept, kept))
        self.sphere.choices = choices + [SelectChoice(code, sphere_label(code)) for code in SPHERES]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if (self.sphere.data or "") not in {choice.value for choice in self.sphere.choices or []}:
            self.sphere.errors = [*self.sphere.errors, _l("Wybierz sferę pożytku publicznego z listy.")]
            return False
        has_day = self.deadline_date.data is not None
        has_time = self.deadline_time.data is not None
        if ok and has_day != has_time:
            missing = self.deadline_time if has_day else self.deadline_date
            missing.errors = [*missing.errors, _l("Podaj i datę, i godzinę terminu składania ofert.")]
            return False
        return ok

    def fill(self, call) -> None:
        for name in (
            "title",
            "task_type",
            "sphere",
            "award_rules",
            "task_conditions",
            "procedure",
            "criteria_notes",
            "aggregation",
        ):
            self[name].data = getattr(call, name)
        self.offer_spheres(call.sphere)
        self.sphere.data = sphere_code_of(call.sphere) or (call.sphere or "").strip()
        self.programme.data, self.unit.data = call.programme_id, call.unit_id
        self.funds.data = format_input(call.funds) if call.funds else ""
        for name in ("task_starts", "task_ends", "selection_date"):
            self[name].process(None, getattr(call, name))
        day, at = warsaw_parts(call.offers_deadline)
        self.deadline_date.process(None, day)
        self.deadline_time.process(None, at)
        for entry, row in zip(self.previous_tasks.entries, call.previous_tasks or [], strict=False):
            entry.form.year.data, entry.form.task.data = str(row["year"]), row["task"]
            entry.form.amount.data = format_input(row["amount"])
        self.version.data = str(call.version)

    def values(self) -> dict:
        rows = [
            {"year": e.form.year.data, "task": e.form.task.data, "amount": e.form.amount.data}
            for e in self.previous_tasks.entries
        ]
        return {
            "title": self.title.data,
            "task_type": self.task_type.data,
            # the announcement prints the sphere as the Act words it (in Polish): a code chosen becomes its wording
            "sphere": sphere_wording(self.sphere.data) if self.sphere.data in SPHERES else (self.sphere.data or ""),
            "funds": self.funds.data or "0",
            "award_rules": self.award_rules.data,
            "task_starts": self.task_starts.data,
            "task_ends": self.task_ends.data,
            "task_conditions": self.task_conditions.data,
            "offers_deadline": warsaw_moment(self.deadline_date.data, self.deadline_time.data),
            "procedure": self.procedure.data,
            "criteria_notes": self.criteria_notes.data,
            "selection_date": self.selection_date.data,
            "aggregation": self.aggregation.data,
            "previous_tasks": [r for r in rows if any((v or "").strip() for v in r.values())],
        }

    @property
    def expected_version(self) -> int | None:
        return whole_number(self.version.data, minimum=0)


class FormalCheckForm(ConsultForm):
    """The formal check of an offer: the criteria are read from the request (one pair per criterion);
    this form carries the decision's reason and the correction window's request."""

    reason = TextAreaField(_l("Powód odrzucenia oferty"))
    deficiencies = TextAreaField(_l("Braki do uzupełnienia"))
    deadline_date = DateParts(_l("Termin na poprawki – data"), required=False)
    deadline_time = TimeOfDay(_l("Termin na poprawki – godzina"), required=False)

    ALIASES = {"deadline": "deadline_date"}

    @property
    def deadline(self):
        return warsaw_moment(self.deadline_date.data, self.deadline_time.data)


# --- the evaluation card and the formal criteria, as their pages post them ---------------------------------
#
# A criterion posts "criteria-<i>-title" and "criteria-<i>-max_points", its sub-criteria
# "criteria-<i>-<j>-title" and "criteria-<i>-<j>-max_points": the same names the operation gives to its
# refusals (field="criteria-<i>" or "criteria-<i>-<j>"), so an error lands on the row it is about.

MAX_ROWS = 100


def format_points(value) -> str:
    """Points as typed back into a field, in the user's language: 5, 2,5 (2.5 in English)."""
    return format_input(value, places=None)


def posted_card(formdata) -> list[dict]:
    """The card as posted, rows in order, including blank rows (the page keeps what the user typed)."""
    rows = []
    for i in range(MAX_ROWS):
        prefix = f"criteria-{i}"
        if f"{prefix}-title" not in formdata:
            break
        children = []
        for j in range(MAX_ROWS):
            sub = f"{prefix}-{j}"
            if f"{sub}-title" not in formdata:
                break
            children.append(
                {
                    "title": formdata.get(f"{sub}-title", ""),
                    "max_points": formdata.get(f"{sub}-max_points", ""),
                }
            )
        rows.append(
            {
                "title": formdata.get(f"{prefix}-title", ""),
                "max_points": formdata.get(f"{prefix}-max_points", ""),
                "children": children,
            }
        )
    return rows


def _blank(row: dict) -> bool:
    return not (row.get("title") or "").strip() and not (row.get("max_points") or "").strip()


def card_to_save(rows: list[dict]) -> list[dict]:
    """What the operation gets: rows left wholly blank (a criterion, or a sub-criterion) are dropped."""
    out = []
    for row in rows:
        children = [c for c in row["children"] if not _blank(c)]
        if _blank(row) and not children:
            continue
        out.append({**row, "children": children})
    return out


def stored_card(card) -> list[dict]:
    """The call's card (queries.card) as rows of the page."""
    return [
        {
            "title": c.title,
            "max_points": format_points(c.max_points),
            "children": [{"title": s.title, "max_points": format_points(s.max_points)} for s in c.children],
        }
        for c in card
    ]


def posted_formal(formdata) -> list[str]:
    texts = []
    for i in range(MAX_ROWS):
        name = f"formal_criteria-{i}"
        if name not in formdata:
            break
        texts.append(formdata.get(name, ""))
    return texts
