"""A data folder with keys for a benchmark child, its key-store secret held in memory.

The benchmark child creates the folder, seeds it and works in it in one process,
so the OS secret need not outlive it: a keyring back end kept in this process's
memory stands in for the Secret Service. Only benchmarks use it; the application
takes the system's key store and refuses plain-file and null back ends.
"""

from __future__ import annotations

from pathlib import Path

import keyring.backend


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self._secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._secrets.pop((service, username), None)


def new_workspace(folder: Path):  # type: ignore[no-untyped-def]
    """A new data folder with new keys (unlocked), its key-store secret in memory."""
    from app import unlock
    from app.keystore import OsKeyStore

    return unlock.create(Path(folder), keystore=OsKeyStore(MemoryKeyring()))


def hq_passphrase() -> None:
    """HQ's key passphrase for the benchmark's HQ folders and the receivers it starts (the
    environment is inherited); a real HQ reads it from its credential or passphrase file."""
    import os

    os.environ.setdefault("FIELDINSPECT_HQ_PASSPHRASE", "benchmark HQ key passphrase")
