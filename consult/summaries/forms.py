"""Forms of the summaries pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from consult.core.forms import ConsultForm


class ImportForm(ConsultForm):
    file = FileField(_l("Plik JSON z podsumowaniem spotkania"),
                     validators=[FileRequired(_l("Wybierz plik JSON z podsumowaniem spotkania."))])
