"""Throwaway Redis and PostgreSQL servers of a test's own, which it may stop, kill and start again: the machine's
shared services are never touched (other runs use them at the same time).

Redis: `redis-server` on a free port without persistence. PostgreSQL: initdb and pg_ctl from
/usr/lib/postgresql/*/bin into a temporary folder, on a free port, as the `postgres` user when the tests run as root
(initdb refuses root). A test skips, saying why, when a program is missing.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, up: bool, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.2)
            answered = s.connect_ex(("127.0.0.1", port)) == 0
        if answered == up:
            return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} still {'closed' if up else 'open'} after {timeout} s")


class RedisServer:
    def __init__(self, folder: Path):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port, self.folder, self.proc = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port, up=True)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        _wait_port(self.port, up=False)

    def restart(self) -> None:
        """Stopped and started again on the same port: without persistence, with nothing in it."""
        self.stop()
        self.start()


class PostgresServer:
    def __init__(self, folder: Path):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            pytest.skip("PostgreSQL's initdb is not installed (/usr/lib/postgresql/*/bin)")
        self.bin = Path(found[-1]).parent
        self.port, self.folder = free_port(), folder
        self.data = folder / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._as = []
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
            import pwd

            self._as = ["runuser", "-u", "postgres", "--"]
            account = pwd.getpwnam("postgres")
            os.chown(folder, account.pw_uid, account.pw_gid)
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                   "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])

    def _run(self, argv: list[str]) -> None:
        done = subprocess.run(self._as + argv, capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> PostgresServer:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                   "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
        _wait_port(self.port, up=True)
        return self

    def stop(self) -> None:
        """Stopped at once, as when the server dies: open connections break."""
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        _wait_port(self.port, up=False)

    def discard(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop()
            except (RuntimeError, TimeoutError):
                pass


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def own_postgres():
    # Not under pytest's temporary folder: its parents are private to this user, and the server runs as postgres.
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="consult-test-pg-"))
    try:
        server = PostgresServer(folder).start()
        yield server
        server.discard()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
