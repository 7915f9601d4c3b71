"""Backing up an installation and rebuilding one from a backup: `consult backup PATH`, `consult restore PATH`.

A backup is a folder:

    manifest.json      what it holds (format, when, the database's dialect and Alembic revision, rows per table,
                       and each stored document's path, size and sha256)
    database.dump      PostgreSQL: `pg_dump --format=custom` (restored with pg_restore)
    database.sqlite3   the embedded default: a copy made with SQLite's online backup API
    storage/...        the files of CONSULT_STORAGE, under their keys

The database is copied first and the files after it: a document's file is written before the row that names it
is committed and files are never overwritten, so every version the copied database names has its file in the
copy (a file written meanwhile is only an extra). On PostgreSQL the row counts are read in the very snapshot
pg_dump copies (`pg_export_snapshot()`), so the manifest says what the dump holds even while the city works.

A restore checks everything before it changes anything: the manifest's format, that the schema revision is one
this code knows (a backup of newer code is refused), every file's sha256 (a mismatch or a missing file is
refused, naming it), and that the target database and storage are empty (unless `force`). Then it copies the
files, restores the database (pg_restore in a single transaction; SQLite's backup API) and compares the rows
per table with the manifest.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

FORMAT = "consult-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
STORAGE_DIR = "storage"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, in the operators' language (Polish)."""


@dataclass
class Outcome:
    path: Path
    manifest: dict
    notes: list[str] = field(default_factory=list)


# --- reading what is there -----------------------------------------------------------------------------------

def _dialect(url: URL) -> str:
    name = url.get_backend_name()
    if name not in DUMP_FILES:
        raise BackupError(f"nieobsługiwana baza danych: {name}")
    return name


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("baza SQLite w pamięci nie ma pliku, którego kopię można zrobić")
    return Path(url.database)


def _libpq_env(url: URL) -> dict:
    """The connection for pg_dump and pg_restore as libpq's environment variables: the password never appears
    on a command line (which other users of the machine may read)."""
    env = {**os.environ}
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    return env


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts(connection, tables: list[str]) -> dict[str, int]:
    return {name: connection.execute(sa.text(f"SELECT count(*) FROM {_quote(name)}")).scalar_one()
            for name in sorted(tables)}


def _revision(connection, tables: list[str]) -> str | None:
    if "alembic_version" not in tables:
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _pg_tables(connection) -> list[str]:
    return list(connection.execute(sa.text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())


def _sqlite_tables(connection) -> list[str]:
    return [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def sha256_of(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def stored_files(storage: Path) -> list[Path]:
    """The documents under the storage, without the temporary files of writes in progress."""
    if not storage.exists():
        return []
    return sorted(p for p in storage.rglob("*") if p.is_file() and not p.name.startswith(".tmp-"))


# --- backup --------------------------------------------------------------------------------------------------

def backup(target: Path, database_url: str, storage: Path, *, say: Callable[[str], None] = lambda _m: None
           ) -> Outcome:
    """Write a backup of the database at `database_url` and the files under `storage` into the folder `target`
    (made; an existing folder must be empty)."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} już istnieje i nie jest pustym folderem: kopia idzie do nowego folderu")
    url = make_url(database_url)
    dialect = _dialect(url)
    target.mkdir(parents=True, exist_ok=True)
    dump = target / DUMP_FILES[dialect]
    say(f"Baza danych ({dialect}) -> {dump}")
    if dialect == "postgresql":
        revision, counts = _dump_postgresql(url, dump)
    else:
        revision, counts = _copy_sqlite(_sqlite_file(url), dump)
    say(f"Pliki dokumentów z {storage} -> {target / STORAGE_DIR}")
    files = []
    for path in stored_files(storage):
        key = path.relative_to(storage).as_posix()
        copy = target / STORAGE_DIR / key
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        # The hash of the copy, which is what a restore will check: a file that changed while being copied
        # (it cannot, keys are never reused, but a disk can lie) is described as it was copied.
        files.append({"path": key, "size": copy.stat().st_size, "sha256": sha256_of(copy)})
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {"dialect": dialect, "file": dump.name, "size": dump.stat().st_size, "sha256": sha256_of(dump),
                     "alembic_revision": revision, "tables": counts},
        "storage": {"files": files, "count": len(files), "bytes": sum(f["size"] for f in files)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Outcome(target, manifest)


def _dump_postgresql(url: URL, dump: Path) -> tuple[str | None, dict[str, int]]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.execute(sa.text("SET TRANSACTION READ ONLY"))
                snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
                tables = _pg_tables(conn)
                counts, revision = _counts(conn, tables), _revision(conn, tables)
                # pg_dump reads the same snapshot while this transaction keeps it alive.
                run = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                                      f"--snapshot={snapshot}", f"--file={dump}"],
                                     env=_libpq_env(url), capture_output=True, text=True)
                if run.returncode != 0:
                    raise BackupError(f"pg_dump zakończył się błędem: {run.stderr.strip()}")
    except FileNotFoundError as exc:
        raise BackupError("nie znaleziono programu pg_dump (pakiet postgresql-client)") from exc
    except sa.exc.OperationalError as exc:
        raise BackupError(f"nie można połączyć się z bazą danych: {exc.orig}") from exc
    finally:
        engine.dispose()
    return revision, counts


def _copy_sqlite(source: Path, dump: Path) -> tuple[str | None, dict[str, int]]:
    if not source.exists():
        raise BackupError(f"nie ma pliku bazy danych {source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dump)
    try:
        src.backup(dst)  # the online backup API: a consistent copy while the app goes on writing
    finally:
        src.close()
    try:
        tables = _sqlite_tables(dst)
        counts = {name: dst.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0] for name in sorted(tables)}
        row = dst.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in tables \
            else None
    finally:
        dst.close()
    return (row[0] if row else None), counts


# --- restore -------------------------------------------------------------------------------------------------

def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{source} nie jest kopią zapasową: nie ma w niej pliku {MANIFEST}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} nie jest poprawnym plikiem JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} nie opisuje kopii zapasowej consult")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"nieznana wersja formatu kopii: {manifest.get('format_version')!r} "
                          f"(ten program zna wersję {FORMAT_VERSION})")
    database, files = manifest.get("database"), (manifest.get("storage") or {}).get("files")
    well_formed = (isinstance(database, dict) and isinstance(database.get("file"), str)
                   and isinstance(database.get("tables"), dict) and isinstance(files, list)
                   and all(isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("sha256"), str)
                           and isinstance(f.get("size"), int) for f in files))
    if not well_formed:
        raise BackupError(f"{path} jest niekompletny (brak opisu bazy danych lub plików); nic nie zostało zmienione")
    return manifest


def known_revisions() -> tuple[set[str], tuple[str, ...]]:
    """Every Alembic revision this code's migrations know, and the heads."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from consult.config import PROJECT_ROOT

    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    script = ScriptDirectory.from_config(config)
    return {rev.revision for rev in script.walk_revisions()}, tuple(script.get_heads())


def _inside(base: Path, key: str) -> Path:
    path = (base / key).resolve()
    if base.resolve() not in path.parents:
        raise BackupError(f"ścieżka pliku wychodzi poza folder kopii: {key!r}")
    return path


def verify(source: Path, manifest: dict) -> None:
    """Every file the manifest lists is in the backup with its size and sha256; else refuse, naming it."""
    database = manifest["database"]
    dump = _inside(Path(source), database["file"])
    _check_file(dump, database["file"], database.get("sha256"))
    base = Path(source) / STORAGE_DIR
    for entry in manifest["storage"]["files"]:
        _check_file(_inside(base, entry["path"]), f"{STORAGE_DIR}/{entry['path']}", entry["sha256"],
                    entry.get("size"))


def _check_file(path: Path, name: str, sha256: str | None, size: int | None = None) -> None:
    if not path.is_file():
        raise BackupError(f"w kopii brakuje pliku {name}; nic nie zostało zmienione")
    if size is not None and path.stat().st_size != size:
        raise BackupError(f"plik {name} ma w kopii inny rozmiar ({path.stat().st_size} B) niż zapisany w "
                          f"manifeście ({size} B): kopia jest uszkodzona; nic nie zostało zmienione")
    if sha256 is not None and sha256_of(path) != sha256:
        raise BackupError(f"suma kontrolna SHA-256 pliku {name} nie zgadza się z manifestem: kopia jest "
                          "uszkodzona; nic nie zostało zmienione")


def _check_revision(manifest: dict) -> list[str]:
    revision = manifest["database"].get("alembic_revision")
    known, heads = known_revisions()
    if revision is None:
        return ["kopia nie zapisała wersji schematu (baza bez tabeli alembic_version)"]
    if revision not in known:
        raise BackupError(f"kopia pochodzi z nowszej wersji programu: schemat bazy w wersji {revision}, której ten "
                          f"program nie zna (najnowsza znana: {', '.join(heads)}); odtwórz ją nowszą wersją consult")
    if revision not in heads:
        return [f"schemat kopii ({revision}) jest starszy niż schemat programu ({', '.join(heads)}): "
                "uruchom `consult db upgrade`"]
    return []


def _target_holds_data(url: URL) -> list[str]:
    """The tables of the target database that hold rows (Alembic's own table does not count)."""
    dialect = _dialect(url)
    if dialect == "sqlite":
        path = _sqlite_file(url)
        if not path.exists():
            return []
        conn = sqlite3.connect(path)
        try:
            tables = [t for t in _sqlite_tables(conn) if t != "alembic_version"]
            return [t for t in tables if conn.execute(f"SELECT 1 FROM {_quote(t)} LIMIT 1").fetchone()]
        finally:
            conn.close()
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            tables = [t for t in _pg_tables(conn) if t != "alembic_version"]
            return [t for t in tables
                    if conn.execute(sa.text(f"SELECT 1 FROM {_quote(t)} LIMIT 1")).first() is not None]
    except sa.exc.OperationalError as exc:
        raise BackupError(f"nie można połączyć się z docelową bazą danych: {exc.orig}") from exc
    finally:
        engine.dispose()


def restore(source: Path, database_url: str, storage: Path, *, force: bool = False,
            say: Callable[[str], None] = lambda _m: None) -> Outcome:
    source = Path(source)
    manifest = read_manifest(source)
    url = make_url(database_url)
    dialect = _dialect(url)
    if manifest["database"]["dialect"] != dialect:
        raise BackupError(f"kopia bazy {manifest['database']['dialect']} nie może być odtworzona w bazie {dialect}")
    notes = _check_revision(manifest)
    say("Sprawdzanie sum kontrolnych plików kopii…")
    verify(source, manifest)
    if not force:
        filled = _target_holds_data(url)
        if filled:
            raise BackupError("docelowa baza danych zawiera już dane (tabele: " + ", ".join(filled[:5])
                              + ("…" if len(filled) > 5 else "") + "); odtworzenie zastąpiłoby je – użyj --force, "
                              "jeśli właśnie tego chcesz")
        present = stored_files(Path(storage))
        if present:
            raise BackupError(f"folder dokumentów {storage} nie jest pusty ({len(present)} plików); użyj --force, "
                              "jeśli pliki z kopii mają się do niego dołożyć")
    say(f"Pliki dokumentów -> {storage}")
    _restore_files(source, manifest, Path(storage))
    say(f"Baza danych ({dialect}) <- {manifest['database']['file']}")
    dump = source / manifest["database"]["file"]
    if dialect == "postgresql":
        _restore_postgresql(url, dump)
    else:
        _restore_sqlite(dump, _sqlite_file(url))
    got = restored_counts(database_url)
    expected = manifest["database"]["tables"]
    if got != expected:
        differ = sorted(name for name in set(got) | set(expected) if got.get(name) != expected.get(name))
        raise BackupError("po odtworzeniu liczby wierszy nie zgadzają się z manifestem w tabelach: "
                          + ", ".join(differ))
    return Outcome(source, manifest, notes)


def _restore_files(source: Path, manifest: dict, storage: Path) -> None:
    base = source / STORAGE_DIR
    storage.mkdir(parents=True, exist_ok=True)
    for entry in manifest["storage"]["files"]:
        destination = _inside(storage, entry["path"])
        destination.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=destination.parent, prefix=".tmp-", suffix=".part")
        os.close(fd)
        try:
            shutil.copyfile(_inside(base, entry["path"]), tmp)
            os.replace(tmp, destination)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def _restore_postgresql(url: URL, dump: Path) -> None:
    # --clean drops what the dump brings (the empty tables of `consult db upgrade`, or the data --force replaces)
    # and recreates it with the backup's rows, all in one transaction: a failed restore leaves the target as it was.
    try:
        run = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                              "--exit-on-error", "--single-transaction", f"--dbname={url.database}", str(dump)],
                             env=_libpq_env(url), capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError("nie znaleziono programu pg_restore (pakiet postgresql-client)") from exc
    if run.returncode != 0:
        raise BackupError(f"pg_restore zakończył się błędem: {run.stderr.strip()}")


def _restore_sqlite(dump: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # replaces the target's pages in one go, under its write lock
    finally:
        src.close()
        dst.close()


def restored_counts(database_url: str) -> dict[str, int]:
    url = make_url(database_url)
    if _dialect(url) == "sqlite":
        conn = sqlite3.connect(_sqlite_file(url))
        try:
            return {name: conn.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]
                    for name in sorted(_sqlite_tables(conn))}
        finally:
            conn.close()
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return _counts(conn, _pg_tables(conn))
    finally:
        engine.dispose()
