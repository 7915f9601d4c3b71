"""Forms of the summaries pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class ImportForm(FlaskForm):
    file = FileField(_l("Plik JSON z podsumowaniem spotkania"),
                     validators=[FileRequired(_l("Wybierz plik JSON z podsumowaniem spotkania."))])
