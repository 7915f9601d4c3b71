"""Forms of the small grants' limits."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField

from consult.core.forms import ConsultForm, DateParts, WholeNumber

BUDGET_LINES = 8


class LimitSetForm(ConsultForm):
    effective_from = DateParts(_l("Obowiązują od dnia"), required=False)
    max_grant_value = StringField(_l("Najwyższa kwota jednej oferty (zł)"))
    max_grant_basis = StringField(_l("Podstawa prawna – kwota jednej oferty"))
    max_days_value = StringField(_l("Najdłuższy okres realizacji zadania (dni)"))
    max_days_basis = StringField(_l("Podstawa prawna – okres realizacji"))
    yearly_cap_value = StringField(_l("Najwyższa łączna kwota dla jednej organizacji w roku (zł)"))
    yearly_cap_basis = StringField(_l("Podstawa prawna – kwota roczna dla organizacji"))
    max_share_value = StringField(_l("Największa część dotacji planowanych na zadania publiczne (%)"))
    max_share_basis = StringField(_l("Podstawa prawna – część dotacji"))
    note = TextAreaField(_l("Uwagi (nieobowiązkowe), np. akt zmieniający"))

    RULE_FIELDS = ("max_grant", "max_days", "yearly_cap", "max_share")


class PlannedGrantsForm(ConsultForm):
    year = WholeNumber(_l("Rok budżetowy"), example="2027")
    amount = StringField(_l("Dotacje planowane na zadania publiczne realizowane przez organizacje (zł)"))


# --- the journey of a small-grant offer --------------------------------------------------------------------------

class SmallGrantOfferForm(ConsultForm):
    """The simplified offer (the 2018 templates regulation): the task, its dates and place, the expected results,
    and the simplified budget as up to BUDGET_LINES lines (a kind of cost, its total, how much of it the grant
    pays)."""

    unit = SelectField(_l("Komórka merytoryczna, do której kierujesz ofertę"), validate_choice=False)
    title = StringField(_l("Tytuł zadania publicznego"))
    description = TextAreaField(_l("Opis zadania"))
    place = StringField(_l("Miejsce realizacji"))
    starts = DateParts(_l("Data rozpoczęcia zadania"), required=False)
    ends = DateParts(_l("Data zakończenia zadania"), required=False)
    expected_results = TextAreaField(_l("Zakładane rezultaty"))
    # the same list (art. 4 ust. 1) the programme's priority areas and the organisations' register use
    sphere = SelectField(_l("Sfera pożytku publicznego, w której mieści się zadanie"), validate_choice=False)


for _i in range(BUDGET_LINES):
    setattr(SmallGrantOfferForm, f"line{_i}_name", StringField(_l("Rodzaj kosztu")))
    setattr(SmallGrantOfferForm, f"line{_i}_total", StringField(_l("Koszt całkowity (zł)")))
    setattr(SmallGrantOfferForm, f"line{_i}_from_grant", StringField(_l("W tym z dotacji (zł)")))


class JudgeForm(ConsultForm):
    verdict = RadioField(_l("Ocena celowości"), choices=[
        SelectChoice("purposeful", _l("Zadanie jest celowe: opublikuj ofertę do uwag na 7 dni")),
        SelectChoice("refused", _l("Zadanie nie jest celowe: odmów"))],
                         validate_choice=False)
    reason = TextAreaField(_l("Uzasadnienie (wymagane przy odmowie)"))


class DecisionForm(ConsultForm):
    verdict = RadioField(_l("Rozstrzygnięcie"), choices=[SelectChoice("grant", _l("Przyznaj dotację")),
                                                         SelectChoice("refuse", _l("Odmów przyznania dotacji")),
                                                         SelectChoice("refuse_limit", _l(
                                                             "Odmów: dotacja przekroczyłaby limit małych grantów "
                                                             "(uzasadnienie wskaże limit i jego podstawę prawną)"))],
                         validate_choice=False)
    amount = StringField(_l("Kwota dotacji (zł)"), description=_l(
        "Przy odmowie z powodu limitu: kwota, której przyznanie przekroczyłoby limit (bez niej: kwota z oferty)."))
    reason = TextAreaField(_l("Uzasadnienie (wymagane przy odmowie; przy odmowie z powodu limitu – dalsze powody)"))


class ReassignForm(ConsultForm):
    unit = SelectField(_l("Przekaż ofertę komórce"), validate_choice=False)


class CommentForm(ConsultForm):
    name = StringField(_l("Imię i nazwisko albo nazwa organizacji"))
    email = StringField(_l("Adres e-mail (nie jest publikowany)"))
    text = TextAreaField(_l("Uwaga"))


class HideCommentForm(ConsultForm):
    reason = StringField(_l("Powód ukrycia"))
