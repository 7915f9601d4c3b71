"""`consult backup PATH` and `consult restore PATH`: a city's data, compiled documents included, restored into a fresh
database and storage comes back whole (rows per table, every document's sha256, the published PDF served again);
a damaged backup, a backup of newer code and a target that holds data are refused, changing nothing.

Runs on the suite's database (SQLite, or DATABASE_URL's PostgreSQL, where the fresh database is made beside it)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from consult import create_app
from consult.core.actors import SYSTEM
from consult.core.backup import known_revisions, restored_counts
from consult.core.operations import transaction
from consult.documents.models import DocumentVersion
from consult.extensions import db
from consult.summaries.documents import publish_version
from tests.summary_support import compile_now, fixture_data, import_data


@pytest.fixture
def stamped(app):
    """The suite makes its tables with create_all: stamp them with the code's head revision, as `consult db
    upgrade` leaves a deployment, so that the backup records it."""
    [head] = known_revisions()[1]
    with db.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
    yield head
    db.session.rollback()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))


@pytest.fixture
def fresh(app, tmp_path):
    """A fresh instance: an app on a database with nothing in it and an empty storage."""
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        target = f"sqlite:///{tmp_path / 'restored.db'}"
        drop = None
    else:
        import psycopg

        name = f"{url.database}_restore"
        admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        drop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        target = url.set(database=name).render_as_string(hide_password=False)
    instance = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": target, "SECRET_KEY": "test-secret",
                           "CONSULT_STORAGE": str(tmp_path / "restored-storage"), "REDIS_URL": None})
    yield instance
    with instance.app_context():
        db.session.remove()
        db.engine.dispose()
    if drop:
        drop()


def _load_data(versions: int = 2) -> dict:
    """A meeting with its postulates and positions and compiled versions of its summary, the first published."""
    meeting_id = import_data(fixture_data())
    first = compile_now(meeting_id).version
    with transaction():
        publish_version(SYSTEM, first)
    for _ in range(versions - 1):
        compile_now(meeting_id)
    db.session.rollback()
    return {v.id: v.sha256 for v in db.session.scalars(sa.select(DocumentVersion))} | {"published": first.id}


def _backup(app, path: Path):
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads((path / "manifest.json").read_text())


def _restore(instance, path: Path, *extra: str):
    with instance.app_context():  # the command works on the app whose context is current: the fresh one
        return instance.test_cli_runner().invoke(args=["restore", str(path), *extra])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_restore_rebuilds_a_fresh_instance_with_every_row_and_document(app, stamped, fresh, tmp_path):
    documents = _load_data()
    source_counts = restored_counts(app.config["SQLALCHEMY_DATABASE_URI"])
    assert source_counts["document_versions"] == 2 and source_counts["postulates"] > 5
    manifest = _backup(app, tmp_path / "backup")

    assert manifest["database"]["alembic_revision"] == stamped
    assert manifest["database"]["tables"] == source_counts
    storage = Path(app.config["CONSULT_STORAGE"])
    listed = {f["path"]: f for f in manifest["storage"]["files"]}
    with app.app_context():
        for version in db.session.scalars(sa.select(DocumentVersion)):
            entry = listed[version.storage_key]
            assert entry["sha256"] == version.sha256 == _sha(storage / version.storage_key)
            assert entry["size"] == (storage / version.storage_key).stat().st_size

    result = _restore(fresh, tmp_path / "backup")
    assert result.exit_code == 0, result.output
    assert "zgadzają się z manifestem" in result.output
    assert restored_counts(fresh.config["SQLALCHEMY_DATABASE_URI"]) == source_counts
    restored_storage = Path(fresh.config["CONSULT_STORAGE"])
    with fresh.app_context():
        versions = db.session.scalars(sa.select(DocumentVersion)).all()
        assert {v.id: v.sha256 for v in versions} == {k: v for k, v in documents.items() if isinstance(k, int)}
        for version in versions:
            assert _sha(restored_storage / version.storage_key) == version.sha256
        revision = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert revision == stamped
    # The restored instance serves the published summary, byte for byte the one the city published.
    response = fresh.test_client().get(f"/podsumowania/{documents['published']}.pdf")
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == documents[documents["published"]]

    # Once it holds data, a second restore is refused unless --force, which replaces the rows with the backup's.
    again = _restore(fresh, tmp_path / "backup")
    assert again.exit_code == 1 and "zawiera już dane" in again.output and "--force" in again.output
    forced = _restore(fresh, tmp_path / "backup", "--force")
    assert forced.exit_code == 0, forced.output
    assert restored_counts(fresh.config["SQLALCHEMY_DATABASE_URI"]) == source_counts


def test_a_damaged_file_in_the_backup_is_named_and_nothing_is_restored(app, stamped, fresh, tmp_path):
    _load_data(versions=1)
    manifest = _backup(app, tmp_path / "backup")
    damaged = manifest["storage"]["files"][-1]["path"]
    path = tmp_path / "backup" / "storage" / damaged
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one bit flip in the middle: same size, another hash
    path.write_bytes(bytes(data))

    result = _restore(fresh, tmp_path / "backup")
    assert result.exit_code == 1
    assert f"storage/{damaged}" in result.output and "SHA-256" in result.output
    assert "nic nie zostało zmienione" in result.output
    assert restored_counts(fresh.config["SQLALCHEMY_DATABASE_URI"]) == {}
    assert not any(Path(fresh.config["CONSULT_STORAGE"]).rglob("*.pdf"))


def test_a_backup_of_a_newer_schema_is_refused(app, stamped, fresh, tmp_path):
    import_data(fixture_data())
    manifest = _backup(app, tmp_path / "backup")
    manifest["database"]["alembic_revision"] = "f00dfeedbeef"  # a migration this code has not got
    (tmp_path / "backup" / "manifest.json").write_text(json.dumps(manifest))

    result = _restore(fresh, tmp_path / "backup")
    assert result.exit_code == 1
    assert "nowszej wersji programu" in result.output and "f00dfeedbeef" in result.output
    assert restored_counts(fresh.config["SQLALCHEMY_DATABASE_URI"]) == {}


def test_backup_goes_to_a_new_folder_only(app, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "something").write_text("x")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "taken")])
    assert result.exit_code == 1 and "nie jest pustym folderem" in result.output
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["something"]


@pytest.mark.parametrize("manifest, words", [
    ("{not json", "nie jest poprawnym plikiem JSON"),
    ('{"format": "something-else"}', "nie opisuje kopii zapasowej consult"),
    ('{"format": "consult-backup", "format_version": 1}', "jest niekompletny"),
    ('{"format": "consult-backup", "format_version": 1, "database": {"dialect": "sqlite", "file": "database.sqlite3",'
     ' "tables": {}, "alembic_revision": null}, "storage": {"files": [{"path": "../../etc/passwd", "size": 1,'
     ' "sha256": "00"}]}}', "wychodzi poza folder kopii"),
])
def test_a_hostile_manifest_is_refused_with_a_message(app, fresh, tmp_path, manifest, words):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "manifest.json").write_text(manifest)
    (folder / "database.sqlite3").write_bytes(b"")
    if "sqlite" in manifest and fresh.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the dialect is refused before the paths on PostgreSQL")
    result = _restore(fresh, folder)
    assert result.exit_code == 1 and "Błąd: " in result.output and words in result.output, result.output
    assert "Traceback" not in result.output
    assert restored_counts(fresh.config["SQLALCHEMY_DATABASE_URI"]) == {}
