"""consult import-report / export-report / compile-report: the JSON round trip of the seed's goals I and II,
refusals that name the field and write nothing, and the PDF laid out like the seed, with the shares realised."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from consult.core.models import AuditEvent
from consult.extensions import db
from consult.implementation.interchange import schema
from consult.implementation.models import Activity, ImplementationReport
from consult.organisations.models import Unit
from tests.implementation_support import FIXTURE, fixture_data
from tests.summary_support import assert_in_order, page_texts

pytestmark = pytest.mark.usefixtures("summary_worker")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _write(tmp_path, data, name="report.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _counts():
    return [db.session.scalar(db.select(db.func.count()).select_from(m))
            for m in (ImplementationReport, Activity, Unit, AuditEvent)]


def test_import_then_export_gives_back_the_fixture_and_units_are_matched(runner):
    result = runner.invoke(args=["import-report", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    report_id = int(result.stdout.strip().splitlines()[-1])
    report = db.session.get(ImplementationReport, report_id)
    assert (report.report_year, report.state) == (2024, "open")
    exported = runner.invoke(args=["export-report", str(report_id)])
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert data == fixture_data()
    # "Miejski Ośrodek Pomocy Społecznej (MOPS/PRZ/08)" is the register's "Miejski Ośrodek Pomocy Społecznej";
    # "Organizacje Pozarządowe" and "organizacje pozarządowe" are partners, no unit (the export keeps their names)
    names = set(db.session.scalars(db.select(Unit.name)))
    assert "Miejski Ośrodek Pomocy Społecznej" in names
    assert not any("(MOPS" in n for n in names)
    assert [n for n in names if n.casefold() == "organizacje pozarządowe"] == []


def test_import_matches_existing_units_by_name_or_code(runner, tmp_path):
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.organisations.operations import create_unit

    with transaction():
        mops = create_unit(SYSTEM, name="Miejski Ośrodek Pomocy Społecznej", code="MOPS")
        mdk = create_unit(SYSTEM, name="Młodzieżowe Domy Kultury", code="MDK")
    result = runner.invoke(args=["import-report", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    from consult.implementation.models import ActivityUnit

    labels = dict(db.session.execute(db.select(ActivityUnit.label, ActivityUnit.unit_id)).all())
    assert labels["Miejski Ośrodek Pomocy Społecznej (MOPS/PRZ/08)"] == mops.id
    assert labels["MDK"] == mdk.id
    assert labels["Wydział Polityki Społecznej Równości i Zdrowia UMK"] == \
        labels["Wydział Polityki Społecznej Równości i Zdrowia"]


def _problem(runner, tmp_path, data) -> str:
    before = _counts()
    result = runner.invoke(args=["import-report", _write(tmp_path, data)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Błąd: ") and result.stdout == ""
    assert _counts() == before, "a refused file wrote something"
    return result.stderr


def test_bad_files_are_refused_naming_the_field_and_nothing_is_written(runner, tmp_path):
    data = fixture_data()
    del data["goals"][0]["tasks"][1]["kind"]
    data["goals"][1]["tasks"][0]["areas"][0]["activities"][2]["units"] = []
    message = _problem(runner, tmp_path, data)
    assert "goals[0].tasks[1].kind: brak wymaganego pola" in message
    assert "goals[1].tasks[0].areas[0].activities[2].units: lista musi mieć co najmniej 1" in message

    data = fixture_data()
    data["goals"][0]["tasks"][0]["kind"] = "podstawowe"
    data["goals"][0]["tasks"][0]["areas"][0]["activities"][0]["budget"] = "1 zł"
    message = _problem(runner, tmp_path, data)
    assert "goals[0].tasks[0].kind: wartość „podstawowe” nie jest dozwolona; dozwolone: basic, complementary" in message
    assert "goals[0].tasks[0].areas[0].activities[0].budget: nieznane pole" in message

    data = fixture_data()
    data["report_year"] = 2025
    assert "report_year: rok 2025 nie mieści się w latach programu 2022–2024" in _problem(runner, tmp_path, data)

    data = fixture_data()
    data["goals"][1]["tasks"][0]["areas"][0]["activities"][0]["units"][0] = "   "
    data["goals"][1]["code"] = "I"
    message = _problem(runner, tmp_path, data)
    assert "goals[1].tasks[0].areas[0].activities[0].units[0]: nazwa komórki nie może być pusta" in message
    assert "goals[1].code: cel „I” powtarza się" in message

    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    result = runner.invoke(args=["import-report", str(tmp_path / "broken.json")])
    assert result.exit_code == 1 and "Plik nie jest poprawnym JSON-em" in result.stderr


def test_the_same_report_twice_is_refused_and_the_second_import_writes_nothing(runner, tmp_path):
    assert runner.invoke(args=["import-report", str(FIXTURE)]).exit_code == 0
    message = _problem(runner, tmp_path, fixture_data())
    assert "report_year: sprawozdanie z programu „Program Wspierania Rodziny" in message
    assert "już jest w systemie" in message


def test_export_of_a_report_that_does_not_exist(runner):
    result = runner.invoke(args=["export-report", "999"])
    assert result.exit_code == 1 and "nie ma sprawozdania nr 999" in result.stderr


def test_compile_report_prints_the_pdf_path_and_the_pdf_reads_like_the_seed(runner):
    report_id = runner.invoke(args=["import-report", str(FIXTURE)]).stdout.strip().splitlines()[-1]
    result = runner.invoke(args=["compile-report", report_id])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.suffix == ".pdf"
    data = path.read_bytes()
    text = "\n".join(page_texts(data))
    assert_in_order(text, [
        "Sprawozdanie z działań podejmowanych w 2024 roku przez jednostki/komórki zaangażowane",
        "I Zapewnienie specjalistycznej pomocy i wsparcia",
        "I.1 Zadanie podstawowe powiązane z: Strategia Rozwiazywania Problemów Społecznych Krakowa 2030 (PS/W2/2022)",
        "Planowane do realizacji działania", "Komórka/ jednostka odpowiedzialna za realizację",
        "Wskaźniki rezultatów zaplanowanych działań w 2024 roku", "Zakres realizacji zadania w 2024 roku",
        "Wysokość środków na realizację działania w 2024 roku",
        "Prowadzenie poradnictwa rodzinnego i terapii", "Miejski Ośrodek Pomocy Społecznej (MOPS/PRZ/08), organizacje",
        "10 900 usług poradnictwa rodzinnego i terapii", "10 801 usług poradnictwa rodzinnego i terapii",
        "Stopień realizacji:", "99,1% – usług poradnictwa rodzinnego i terapii", "2 000 750,00 zł",
        "I.2 Zadanie komplementarne: Wzmacnianie sieci kompleksowego oparcia społecznego",
        "1) Pomoc dla rodziców oczekujących narodzin dziecka",
        "Działania powiązane z:", "Usługą Publiczną W-2 „Działania miasta na rzecz rodzin”",
        "Chustowe spotkania w ARTzonie", "75,0% – spotkania", "75,0% – uczestników",
        "II Kształtowanie warunków wzmacniających funkcjonowanie systemu rodzinnego",
        "II.1 Zadanie podstawowe", "22 190,05 godzin usług", "80,7% – godzin usług", "974 667,52 zł",
    ])
    from io import BytesIO

    from pypdf import PdfReader

    root = PdfReader(BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "pl"
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
