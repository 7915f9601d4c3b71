"""The rows of a unit's queue (templates/postulates/queue.html), written in Python.

The queue is the page a unit's staff keeps open, fifty postulates a page. Written by Jinja, its rows were the
largest part of the page's CPU (bench/web.py: ~2.5 ms of ~9 in process): twenty escapes, a dozen attribute
look-ups, filters and calls per row. Here each row is one f-string of values escaped once; the words every row
repeats are translated once per page and the addresses made from one url_for each. The HTML is the one the
template wrote; the table around the rows (caption, headers, the select-all box) stays in the template.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _, ngettext
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from consult.i18n import day_formatter


def due_words(due, day=None) -> Markup:
    """A position's due date (consult.postulates.deadlines.DueStatus) as a page says it: the day, and past it how
    many days over, in words, not by colour alone. The postulate's page and the queue's rows both write it
    (`day`: a day_formatter, for many rows)."""
    words = escape((day or day_formatter())(due.due_on))
    if due.overdue:
        over = ngettext("po terminie (%(num)s dzień)", "po terminie (%(num)s dni)", due.days_over)
        words += Markup(' <span class="tag tag-overdue">{}</span>').format(over)
    return words


def queue_rows(items, due: dict, state_tags: dict) -> Markup:
    """The <tr> of each postulate of the queue's page: a box to check it for publishing if its position waits
    for that (with a label naming it), its reference linking to its page, the submitter, the start of its text,
    the meeting (or filed online), the due date while the position is awaited, its state with a link to write
    or change the position. `due`: deadlines.due_statuses of the rows; `state_tags`: each state's tag, written
    once per page by the template's macro."""
    from consult.web import url_pattern

    if not items:
        return Markup("")
    env = current_app.jinja_env
    day = day_formatter()
    detail, position = url_pattern("postulates.detail", "postulate_id"), url_pattern("postulates.position",
                                                                                      "postulate_id")
    # Plain strings, each escaped once (str.replace and + on Markup would escape their arguments again and again).
    l_submitter, l_postulate, l_meeting, l_due, l_state, online, answer, revise = (str(escape(word)) for word in (
        _("Zgłaszający"), _("Postulat"), _("Spotkanie"), _("Termin stanowiska"), _("Stan"), _("złożony online"),
        _("Zapisz stanowisko"), _("Zmień projekt stanowiska")))
    # The sentences with the row's reference or number in them, translated once with a placeholder.
    l_pick, l_about, l_number = (str(escape(_("Zaznacz %(ref)s", ref="{ref}"))),
                                 str(escape(_("w sprawie postulatu %(ref)s", ref="{ref}"))),
                                 str(escape(_("Lp. %(n)s", n="{n}"))))
    html = []
    for p in items:
        ref, state = str(escape(p.reference)), p.state
        pick = (f'<input type="checkbox" name="postulates" value="{p.id}" id="pick-{p.id}"><label for="pick-{p.id}" '
                f'class="visually-hidden">{l_pick.replace("{ref}", ref)}</label>' if state == "answered" else "")
        if p.meeting:
            meeting = str(escape(day(p.meeting.date)))
            if p.number:
                meeting += ", " + l_number.replace("{n}", str(int(p.number)))
        else:
            meeting = online
        status = due.get(p.id) if state == "assigned" else None
        link = (f'<br><a href="{position(p.id)}">{answer if state == "assigned" else revise}<span '
                f'class="visually-hidden"> {l_about.replace("{ref}", ref)}</span></a>'
                if state in ("assigned", "answered") else "")
        html.append(
            f'\n      <tr>\n        <td>{pick}</td>\n'
            f'        <th scope="row" class="ref"><a href="{detail(p.id)}">{ref}</a></th>\n'
            f'        <td data-label="{l_submitter}">{escape(p.submitter_label)}</td>\n'
            f'        <td data-label="{l_postulate}">{escape(do_truncate(env, p.content, 160, False, "…"))}</td>\n'
            f'        <td data-label="{l_meeting}">{meeting}</td>\n'
            f'        <td data-label="{l_due}">{due_words(status, day) if status else ""}</td>\n'
            f'        <td data-label="{l_state}">{state_tags[state]}{link}</td>\n'
            f'      </tr>\n    ')
    return Markup("".join(html))
