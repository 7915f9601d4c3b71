"""NIP, REGON and KRS checks, with the test vectors of issue 2."""
import pytest

from consult.organisations.identifiers import (check_krs, check_nip, check_regon, krs_is_valid, nip_is_valid,
                                               normalise, regon_is_valid)


def test_nip_vectors():
    assert nip_is_valid("8567346215")
    assert not nip_is_valid("8567346216")


def test_nip_with_check_result_ten_is_invalid():
    # digits whose weighted sum mod 11 is 10 can never form a valid NIP, whatever the last digit
    base = "100000016"
    assert sum(int(d) * w for d, w in zip(base, (6, 5, 7, 2, 3, 4, 5, 6, 7))) % 11 == 10
    assert not any(nip_is_valid(base + str(d)) for d in range(10))


def test_regon_vectors():
    assert regon_is_valid("192598184")
    assert not regon_is_valid("192598183")
    assert regon_is_valid("12345678512347")
    assert not regon_is_valid("12345678612342")  # its first nine digits are not a valid REGON-9
    assert not regon_is_valid("12345678512348")


@pytest.mark.parametrize("value", ["", "123", "12345678901", "abcdefghij", "1925981845"])
def test_malformed_numbers(value):
    assert not nip_is_valid(value)
    assert not regon_is_valid(value)


def test_normalise_accepts_what_people_type():
    assert normalise(" PL 856-734-62-15 ") == "8567346215"
    assert nip_is_valid(normalise("856-734-62-15"))


def test_messages_say_what_is_wrong():
    assert check_nip("8567346215") is None
    assert "cyfrę kontrolną" in check_nip("8567346216")
    assert "10 cyfr" in check_nip("12345")
    assert check_regon("192598184") is None and check_regon("12345678512347") is None
    assert "cyfrę kontrolną" in check_regon("192598183")
    assert "9 albo 14" in check_regon("1234")
    assert check_krs("0000123456") is None and krs_is_valid("0000123456")
    assert "10 cyfr" in check_krs("123456")
