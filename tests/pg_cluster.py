"""A throw-away PostgreSQL cluster for the HQ tests and the load test.

``initdb`` and ``pg_ctl`` from Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``)
make a cluster in a temporary folder that listens only on a unix socket in that
folder (no TCP port), trusts local connections and does not fsync (it is thrown
away). initdb refuses to run as root: then the cluster belongs to the ``postgres``
user the package creates, and its commands run through ``runuser``.

Each test gets its own schema (:meth:`Cluster.new_database` → a libpq connection
string whose ``search_path`` is that schema), which costs milliseconds where a
``CREATE DATABASE`` costs a copy of the template.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


class PostgresMissing(RuntimeError):
    pass


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresMissing("PostgreSQL is not installed (apt-get install postgresql)")


class Cluster:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="fi-pg-"))
        self.data = self.folder / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
            self.user = "postgres"
        else:
            self.user = pwd.getpwuid(os.geteuid()).pw_name
        self._names = itertools.count(1)
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")
        self._options = (f"-k {self.folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB")
        self._start()
        self.dbname = "postgres"

    def _start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", self._options, "-w", "start")

    def restart(self, *, down_for: float = 0.0) -> None:
        """Stop the server (every connection to it is cut), wait ``down_for`` seconds, start it again."""
        import time

        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        time.sleep(down_for)
        self._start()

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run([*self._as, str(self.bin / tool), *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stdout}\n{result.stderr}")

    def conninfo(self, schema: str | None = None) -> str:
        info = f"host={self.folder} user={self.user} dbname={self.dbname}"
        return info + (f" options='-c search_path={schema}'" if schema else "")

    def new_database(self) -> str:
        """A fresh, empty schema to hold one HQ store; its connection string."""
        import psycopg

        schema = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return self.conninfo(schema)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
