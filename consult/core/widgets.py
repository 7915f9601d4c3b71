"""Form widgets the lists share.

`ListSelect` writes a select's options straight as strings: the filters of the lists offer every meeting and unit
(a hundred options and more), and WTForms' own option rendering (a dict of attributes, sorted, each escaped) was
a tenth of a list page's CPU (bench/web.py). The HTML is the same as WTForms writes; an option with attributes of
its own still goes WTForms' way.

The written options are also kept, keyed by the choices themselves (each value with its label as shown, so in the
page's language and with the meetings' current titles and dates): the next page with the same choices only marks
the selected one. A changed meeting or another language is another key; the store is emptied when it grows.
"""
from __future__ import annotations

from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select, html_params

_OPTIONS: dict[tuple, tuple] = {}
_KEPT = 256  # distinct choice lists kept (filters x languages x versions of the meetings)


class ListSelect(Select):
    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        label = escape(choice.label or choice.value)
        return f'<option {"selected " if choice.selected else ""}value="{escape(choice.value)}">{label}</option>'

    def __call__(self, field, **kwargs):
        choices = field.choices
        if (self.multiple or not isinstance(choices, list) or getattr(field, "flags", None) and (
                field.flags.required or field.flags.disabled)
                or not all(type(c) is SelectChoice and not c.render_kw and c.optgroup is None
                           and not isinstance(c.value, bool) for c in choices)):
            return super().__call__(field, **kwargs)
        key = (field.coerce, tuple((c.value, str(c.label) if c.label is not None else None) for c in choices))
        options = _OPTIONS.get(key)
        if options is None:
            if len(_OPTIONS) >= _KEPT:
                _OPTIONS.clear()
            options = _OPTIONS[key] = tuple(
                (field.coerce(value), f'value="{escape(value)}">{escape(label or value)}</option>')
                for value, label in key[1])
        kwargs.setdefault("id", field.id)
        data = field.data
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        html.extend(f"<option selected {rest}" if coerced == data else f"<option {rest}" for coerced, rest in options)
        html.append("</select>")
        return Markup("".join(html))
