"""Forms of the programme's text: importing a draft, editing a provision, publishing a version, linking postulates
and positions to provisions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from consult.core.forms import ConsultForm
from consult.core.input import whole_number
from consult.meetings.forms import CheckboxesField
from consult.postulates.forms import PostulateForm
from consult.programme_text.models import VERSION_KIND_LABELS


def _int_or_none(value):
    return whole_number(value, minimum=0)


class TextImportForm(ConsultForm):
    file = FileField(_l("Plik z projektem programu (DOCX, ODT albo JSON)"),
                     validators=[FileRequired(_l("Wybierz plik DOCX, ODT albo JSON z tekstem programu."))])


class ProvisionForm(ConsultForm):
    heading = TextAreaField(_l("Tytuł rozdziału"), validators=[Optional()])
    text = TextAreaField(_l("Treść przepisu"), validators=[Optional()])
    version = HiddenField(filters=[_int_or_none])

    def __init__(self, *args, chapter: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not chapter:
            del self.heading


class PublishTextForm(ConsultForm):
    kind = RadioField(_l("Co publikujesz?"), choices=[], validate_choice=False,
                      validators=[InputRequired(_l("Wybierz, co publikujesz: kolejny projekt albo tekst przyjęty "
                                                   "uchwałą."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k, label) for k, label in VERSION_KIND_LABELS.items()]


def provision_select(label, choices, *, blank):
    """A select of the outline of the published text: (provision id, "§ 5 ust. 1 – ...")."""
    return [SelectChoice("", blank)] + [SelectChoice(pid, text) for pid, text, _row in choices]


class _ProvisionFields:
    provision = SelectField(_l("Przepis programu, którego dotyczy postulat"), coerce=_int_or_none,
                            validate_choice=False)
    quote = TextAreaField(_l("Słowa przepisu, które chcesz zmienić (nieobowiązkowe)"), validators=[Optional()])

    def set_choices(self, choices) -> None:
        self.provision.choices = provision_select(None, choices, blank=_l("– żaden, postulat ogólny –"))


class NewPostulateForm(_ProvisionFields, PostulateForm):
    """The new-postulate form with the provision it concerns, when the programme's text is published."""

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices(choices)


class LinkPostulateForm(_ProvisionFields, ConsultForm):
    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices(choices)


class PositionChangesForm(ConsultForm):
    provisions = CheckboxesField(_l("Przepisy zmienione w wyniku tego stanowiska"), coerce=_int_or_none,
                                 validate_choice=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.provisions.choices = [SelectChoice(pid, text) for pid, text, _row in choices]


class StartFromPreviousForm(ConsultForm):
    """Start the text from last year's adopted one: a button (the form carries its CSRF token only)."""


class CarryPostulatesForm(ConsultForm):
    postulates = CheckboxesField(_l("Postulaty do przeniesienia"), coerce=_int_or_none, validate_choice=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.postulates.choices = [SelectChoice(pid, text) for pid, text in choices]
