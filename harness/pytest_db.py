"""pytest fixtures for databases: a throw-away PostgreSQL cluster per session, fresh databases per test.

`postgres_server` (session) runs `initdb` and `pg_ctl` from Debian's PostgreSQL binaries
(`/usr/lib/postgresql/<15|16|…>/bin`, or `$GENBA_PG_BIN`) in a temporary folder, listening on
127.0.0.1 and a free port, and stops it at the end of the session. initdb refuses to run as root,
so as root the cluster belongs to the `postgres` system user (commands run through
`runuser -u postgres --`). `postgres_url` creates an empty database per test and returns its URL.
`sqlite_url` is a fresh SQLite file per test. Without PostgreSQL the `postgres_*` fixtures skip the
test with the reason; under `CI=true` they fail instead, so CI cannot pass by skipping.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

__all__ = ["PostgresServer", "find_pg_bin", "postgres_server", "postgres_url", "require_or_skip", "sqlite_url"]

MARKERS = (
    "postgres: needs a PostgreSQL server (started by the postgres_server fixture)",
    "jython: needs real Jython 2.7 (java + /usr/share/java/jython.jar)",
)


def pytest_configure(config):
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)


def require_or_skip(reason: str):
    """Skip with `reason` locally; fail under CI=true (where every marked test must run)."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("CI=true but " + reason, pytrace=False)
    pytest.skip(reason)


def find_pg_bin():
    """The folder holding initdb and pg_ctl, or None."""
    explicit = os.environ.get("GENBA_PG_BIN")
    candidates = [explicit] if explicit else sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, "initdb")) and os.path.isfile(os.path.join(folder, "pg_ctl")):
            return folder
    found = shutil.which("initdb")
    return os.path.dirname(found) if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A throw-away PostgreSQL cluster: `start()`, `stop()`, `url(dbname)`, `create_database()`."""

    def __init__(self, bin_dir: str, base_dir: str | None = None, port: int | None = None):
        self.bin_dir = bin_dir
        self.base_dir = base_dir or tempfile.mkdtemp(prefix="genba-pg-")
        self.data_dir = os.path.join(self.base_dir, "data")
        self.socket_dir = os.path.join(self.base_dir, "sock")
        self.log_file = os.path.join(self.base_dir, "server.log")
        self.port = port or _free_port()
        self.user = "postgres"
        self.as_root = os.geteuid() == 0
        self.running = False

    def _cmd(self, *args):
        command = [os.path.join(self.bin_dir, args[0])] + list(args[1:])
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--"] + command
        return command

    def _run(self, *args, check=True, timeout=120):
        result = subprocess.run(self._cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=timeout, text=True)
        if check and result.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (args[0], result.returncode, result.stdout[-2000:]))
        return result

    def init(self):
        os.makedirs(self.socket_dir, exist_ok=True)
        if self.as_root:
            subprocess.run(["chown", "-R", "postgres:postgres", self.base_dir], check=True)
            os.chmod(self.base_dir, 0o755)
        self._run("initdb", "-D", self.data_dir, "-U", self.user, "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as conf:
            conf.write("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                       "max_connections = 100\ntimezone = 'UTC'\n" % (self.port, self.socket_dir))
        return self

    def start(self):
        self._run("pg_ctl", "-D", self.data_dir, "-l", self.log_file, "-w", "-t", "60", "start")
        self.running = True
        return self

    def stop(self, mode="fast"):
        if self.running:
            self._run("pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "-t", "60", "stop", check=False)
            self.running = False

    def url(self, dbname="postgres"):
        return "postgresql://%s@127.0.0.1:%d/%s" % (self.user, self.port, dbname)

    def create_database(self, name=None) -> str:
        """Create an empty database and return its URL."""
        import psycopg
        name = name or "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute('CREATE DATABASE "%s" TEMPLATE template0' % name)
        return self.url(name)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)


_SHARED = {}


@pytest.fixture(scope="session")
def postgres_server(request):
    """A running throw-away PostgreSQL cluster for the whole session (skips without binaries).

    One cluster per pytest process, even when several test modules import this fixture; it is
    stopped and removed when the session ends.
    """
    server = _SHARED.get("server")
    if server is not None:
        if not server.running:
            server.start()
        return server
    if "error" in _SHARED:
        require_or_skip(_SHARED["error"])
    bin_dir = find_pg_bin()
    if bin_dir is None:
        _SHARED["error"] = "PostgreSQL binaries (initdb, pg_ctl) not found; install postgresql or set GENBA_PG_BIN"
        require_or_skip(_SHARED["error"])
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        _SHARED["error"] = "running as root without runuser: cannot start PostgreSQL as the postgres user"
        require_or_skip(_SHARED["error"])
    server = PostgresServer(bin_dir)
    try:
        server.init().start()
    except Exception as exc:
        server.cleanup()
        _SHARED["error"] = "could not start PostgreSQL: %s" % (exc,)
        require_or_skip(_SHARED["error"])
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    _SHARED["server"] = server

    def cleanup():
        _SHARED.pop("server", None)
        server.cleanup()

    request.config.add_cleanup(cleanup)
    return server


@pytest.fixture
def postgres_url(postgres_server):
    """URL of a fresh, empty PostgreSQL database on the session server."""
    return postgres_server.create_database()


@pytest.fixture
def sqlite_url(tmp_path):
    """URL of a fresh SQLite file."""
    return "sqlite:///" + str(tmp_path / "genba.db")
