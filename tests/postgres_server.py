"""A real PostgreSQL server for tests: Debian's binaries (installed by `make test`), a fresh
cluster in a temporary folder, listening on 127.0.0.1 only, stopped at the end of the session.

PostgreSQL refuses to run as root, so under root the cluster belongs to the `postgres` user that
Debian's package creates, and its commands run through `runuser`.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.ui.devserver import free_port, wait_until

SUPERUSER = "pledges_admin"
PASSWORD = "test-only-password"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str

    def url(self, database: str = "postgres", scheme: str = "postgresql") -> str:
        return f"{scheme}://{self.user}:{self.password}@{self.host}:{self.port}/{database}"

    def dsn(self, database: str = "postgres", user: str | None = None, password: str | None = None) -> str:
        return (f"host={self.host} port={self.port} dbname={database} "
                f"user={user or self.user} password={password or self.password}")

    def create_database(self, name: str) -> str:
        import psycopg2

        conn = psycopg2.connect(self.dsn())
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return name


def postgres_bin() -> Path:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise RuntimeError("PostgreSQL's server is not installed: `make test` installs Debian's "
                           "postgresql package (apt-get install postgresql)")
    return Path(candidates[-1]).parent


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_postgres() -> tuple[PostgresServer, callable]:
    """Start a cluster; returns the server and a function that stops it and removes its files."""
    bin_dir = postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="pledges-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    password_file = root / "password"
    password_file.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        root.chmod(0o755)
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
        shutil.chown(password_file, "postgres")
    subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=scram-sha-256",
                              f"--pwfile={password_file}", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True, text=True)
    port = free_port()
    log = root / "server.log"
    if os.geteuid() == 0:
        log.touch()
        shutil.chown(log, "postgres")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                              "-w", "-t", "60", "start"]), check=True, capture_output=True, text=True)
    server = PostgresServer(host="127.0.0.1", port=port, user=SUPERUSER, password=PASSWORD)
    _wait_until_ready(server, log)

    def stop() -> None:
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)

    return server, stop


def _wait_until_ready(server: PostgresServer, log: Path, seconds: float = 30) -> None:
    import psycopg2

    def answers() -> bool:
        try:
            psycopg2.connect(server.dsn(), connect_timeout=2).close()
            return True
        except psycopg2.OperationalError:
            return False

    wait_until(answers, seconds, "PostgreSQL to accept connections", interval=0.2,
               on_timeout=lambda: f"\n{log.read_text()[-2000:]}")
