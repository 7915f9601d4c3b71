"""The share realised of each indicator a planned and a realised cell both state as numbers, on the seed's own
cells (../shared/seeds/family-support-programme-report-2024.txt). No database, no Flask."""
from __future__ import annotations

from decimal import Decimal

import pytest

from consult.implementation.indicators import indicators, parse_number, same_word, shares


def _texts(planned, realised):
    return [(s.label, s.text) for s in shares(planned, realised)]


def test_one_indicator_with_thousands_separated_by_a_space():
    assert _texts("10 900 usług poradnictwa rodzinnego i terapii", "10 801 usług poradnictwa rodzinnego i terapii") \
        == [("usług poradnictwa rodzinnego i terapii", "99,1%")]


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_thousands_separators_space_nbsp_and_narrow_nbsp_and_a_decimal_comma(space):
    planned, realised = f"3{space}600 godzin usługi", f"4{space}877,29 godzin usługi"
    [share] = shares(planned, realised)
    assert (share.planned, share.realised, share.text) == (Decimal(3600), Decimal("4877.29"), "135,5%")


def test_decimals_with_a_comma_in_several_indicators_of_one_cell():
    result = shares("15 etatów doradców zawodowych w szkołach/poradniach, 2 etaty w Krakowskim Ośrodku Kariery",
                    "15,48 etatu doradców zawodowych w szkołach/placówkach, 8,55 etatu w Krakowskim Ośrodku Kariery")
    assert [(s.planned, s.realised, s.text) for s in result] == [
        (Decimal(15), Decimal("15.48"), "103,2%"), (Decimal(2), Decimal("8.55"), "427,5%")]


def test_several_indicators_are_paired_by_their_words_whatever_the_polish_ending():
    assert _texts("4 spotkania, 32 uczestników",
                  "3 spotkania, 24 uczestników - zajęcia zrealizowano w ramach Klubu Rodzica w ARTzonie") \
        == [("spotkania", "75,0%"), ("uczestników", "75,0%")]
    assert _texts("1 800 godzin usług", "1 703 godziny usług") == [("godzin usług", "94,6%")]
    assert _texts("125 kontroli", "136 kontrole") == [("kontroli", "108,8%")]
    assert _texts("24 spotkania", "20 spotkań") == [("spotkania", "83,3%")]
    assert _texts("3 rodziny wspierające, 3 rodziny wspierane", "1 rodzina wspierająca, 1 rodzina wspierana") \
        == [("rodziny wspierające", "33,3%"), ("rodziny wspierane", "33,3%")]


def test_cells_listing_indicators_in_the_same_order_pair_them_in_that_order():
    result = _texts("31 szkół realizujących dodatkowe godziny nauki języka angielskiego, 9 szkół –zajęcia szachowe, "
                    "22 szkoły – inne zajęcia pozalekcyjne",
                    "104 szkoły realizujące dodatkowe godziny nauki języka angielskiego, 22 szkoły realizujące "
                    "dodatkowe zajęcia szachowe, 81 szkół realizujących dodatkowe inne zajęcia pozalekcyjne.")
    assert result[0] == ("szkół realizujących dodatkowe godziny nauki języka angielskiego", "335,5%")  # 104 / 31


def test_two_indicators_of_the_same_words_pair_in_order():
    assert _texts("1 040 zajęć, 600 uczestników, 50 warsztatów tematycznych, 800 uczestników",
                  "878 zajęć, 442 uczestników, 43 warsztatów tematycznych, 810 uczestników") == [
        ("zajęć", "84,4%"), ("uczestników", "73,7%"), ("warsztatów tematycznych", "86,0%"), ("uczestników", "101,3%")]


def test_indicators_that_do_not_match_are_left_alone():
    # "zajęcia" is not "kursów/zajęć/warsztatów": only the participants are the same indicator
    assert _texts("24 zajęcia, 30 uczestników", "25 kursów/zajęć/warsztatów cyklicznych, 500 uczestników") \
        == [("uczestników", "1666,7%")]
    assert _texts("10 spotkań", "10 koncertów, 6 000 uczestników") == []
    assert _texts("20 000 wydanych egzemplarzy informatora", "500 wydanych materiałów informacyjnych") == []
    assert _texts("5 spotkań, 75 uczestników", "wydarzenie nie było realizowane w 2024 roku") == []


def test_years_are_not_indicators():
    assert _texts("przedsięwzięcie włączone do Programu w 2022 roku",
                  "wydarzenie nie było realizowane w 2024 roku") == []
    assert indicators("W 2024 r. zajęcia w ramach ośrodka") == []


def test_a_number_glued_to_its_word_and_a_planned_zero():
    assert _texts("2 400 uczestników", "2 208uczestników") == [("uczestników", "92,0%")]
    assert _texts("0 wydarzeń", "3 wydarzenia") == []


def test_numbers_and_word_forms():
    assert parse_number("1 703", None) == Decimal(1703)
    assert parse_number("22\u00a0190", "05") == Decimal("22190.05")
    assert same_word("godzin", "godziny") and same_word("spotkań", "spotkania")
    assert not same_word("egzemplarzy", "materiałów") and not same_word("zajęcia", "koncertów")


def test_every_pairing_on_the_seeds_cells_is_between_the_same_words():
    """On all 174 activities of the fixture no share pairs an indicator with another of different words."""
    from tests.implementation_support import fixture_data

    found = 0
    for goal in fixture_data()["goals"]:
        for task in goal["tasks"]:
            for area in task["areas"]:
                for a in area["activities"]:
                    done = indicators(a["realised"])
                    for s in shares(a["planned"], a["realised"]):
                        found += 1
                        partner = [i for i in done if i.value == s.realised]
                        assert partner, (a["planned"], a["realised"])
                        first = s.label.lower().split()[0].strip("„”")
                        assert any(same_word(first, i.words[0]) for i in partner), (a["planned"], a["realised"])
    assert found == 170  # of the seed's cells, as many shares as the PDF shows
