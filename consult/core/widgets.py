"""Form widgets the lists share.

`ListSelect` writes a select's options straight as strings: the filters of the lists offer every meeting and unit
(a hundred options and more), and WTForms' own option rendering (a dict of attributes, sorted, each escaped) was
a tenth of a list page's CPU (bench/web.py). The HTML is the same as WTForms writes; an option with attributes of
its own still goes WTForms' way.
"""
from __future__ import annotations

from markupsafe import escape
from wtforms.widgets import Select


class ListSelect(Select):
    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        label = escape(choice.label or choice.value)
        return f'<option {"selected " if choice.selected else ""}value="{escape(choice.value)}">{label}</option>'
