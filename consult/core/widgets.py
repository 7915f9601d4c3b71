"""Form widgets the lists share.

`ListSelect` writes a select's options straight as strings: the filters of the lists offer every meeting and unit
(a hundred options and more), and WTForms' own option rendering (a dict of attributes, sorted, each escaped) was
a tenth of a list page's CPU (bench/web.py). The HTML is the same as WTForms writes; an option with attributes of
its own still goes WTForms' way.

The written options are also kept, keyed by the choices themselves (each value with its label as shown, so in the
page's language and with the meetings' current titles and dates): the next page with the same choices only marks
the selected one. A changed meeting or another language is another key; the store is emptied when it grows.

Choices built by `kept_choices` are shared by the pages (a tuple: nobody changes them) and carry their written
options themselves, so such a page neither builds its choices nor compares them with the ones kept.
"""
from __future__ import annotations

from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select, html_params

_OPTIONS: dict[tuple, tuple] = {}
_KEPT = 256  # distinct choice lists kept (filters x languages x versions of the meetings)
_CHOICES: dict[tuple, "KeptChoices"] = {}


class KeptChoices(tuple):
    """A select's choices shared by many pages, with their options as ListSelect writes them (per coerce)."""

    def options(self, coerce) -> tuple | None:
        written = self.__dict__.setdefault("_written", {})
        if coerce not in written:
            written[coerce] = _written_options(coerce, list(self)) if _plain(self) else None
        return written[coerce]


def kept_choices(key: tuple, build) -> KeptChoices:
    """The choices `build()` makes, made once for each `key` and then shared: `key` must name everything the labels
    depend on (the language, the rows they are made of), and the labels must be plain text already (no lazy
    strings: a lazy one would be translated into the language of the page that first built them)."""
    choices = _CHOICES.get(key)
    if choices is None:
        if len(_CHOICES) >= _KEPT:
            _CHOICES.clear()
        choices = _CHOICES[key] = KeptChoices(build())
    return choices


def _plain(choices) -> bool:
    return all(type(c) is SelectChoice and not c.render_kw and c.optgroup is None and not isinstance(c.value, bool)
               for c in choices)


def _written_options(coerce, choices) -> tuple:
    """Each choice as (its value coerced, the rest of its <option> tag after the "selected " a chosen one gets)."""
    key = (coerce, tuple((c.value, str(c.label) if c.label is not None else None) for c in choices))
    options = _OPTIONS.get(key)
    if options is None:
        if len(_OPTIONS) >= _KEPT:
            _OPTIONS.clear()
        options = _OPTIONS[key] = tuple(
            (coerce(value), f'value="{escape(value)}">{escape(label or value)}</option>') for value, label in key[1])
    return options


class ListSelect(Select):
    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        label = escape(choice.label or choice.value)
        return f'<option {"selected " if choice.selected else ""}value="{escape(choice.value)}">{label}</option>'

    def __call__(self, field, **kwargs):
        choices = field.choices
        if self.multiple or getattr(field, "flags", None) and (field.flags.required or field.flags.disabled):
            return super().__call__(field, **kwargs)
        if type(choices) is KeptChoices:
            options = choices.options(field.coerce)
        elif isinstance(choices, list) and _plain(choices):
            options = _written_options(field.coerce, choices)
        else:
            options = None
        if options is None:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        data = field.data
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        html.extend(f"<option selected {rest}" if coerced == data else f"<option {rest}" for coerced, rest in options)
        html.append("</select>")
        return Markup("".join(html))
