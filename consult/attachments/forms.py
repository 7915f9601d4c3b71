"""The form that attaches a file (multipart, with CSRF like every form)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import Length, Optional

from consult.core.forms import ConsultForm
from consult.meetings.forms import CheckboxesField

ANNEX_LABELS = {
    "statute": _l("statut"),
    "partnership_agreement": _l("umowa partnerska (oferta wspólna)"),
    "other": _l("inny załącznik"),
}


class AttachmentForm(ConsultForm):
    file = FileField(_l("Plik"), validators=[FileRequired(_l("Wybierz plik do dołączenia."))])
    annex = RadioField(_l("Rodzaj załącznika"), choices=[SelectChoice(k, v) for k, v in ANNEX_LABELS.items()], default="other",
                       validate_choice=True)

    def __init__(self, *args, with_annex: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_annex:
            del self.annex


class CallAnnexesForm(ConsultForm):
    annexes = CheckboxesField(_l("Załączniki wymagane od każdej oferty"),
                                 choices=[SelectChoice(k, v) for k, v in ANNEX_LABELS.items()])
    optional_annexes = CheckboxesField(_l("Załączniki nieobowiązkowe (oferent może je dołączyć)"),
                                       choices=[SelectChoice(k, v) for k, v in ANNEX_LABELS.items()])
    other_description = TextAreaField(_l("Jakie inne załączniki"), validators=[Optional(), Length(max=500)])
