"""Forms of the outbox: its filters (a GET form) and sending a failed e-mail again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectField, StringField

from consult.core.forms import ConsultForm


class OutboxFilters(Form):
    state = SelectField(_l("Stan wysyłki"), default="", validate_choice=False)
    recipient = StringField(_l("Odbiorca (fragment imienia, nazwiska lub adresu)"))

    def __init__(self, formdata, *, states, **kwargs):
        super().__init__(formdata, **kwargs)
        self.state.choices = [SelectChoice("", _l("wszystkie"))] + [SelectChoice(v, label) for v, label in states]


class RetryForm(ConsultForm):
    """A button: its CSRF token is all it carries."""
