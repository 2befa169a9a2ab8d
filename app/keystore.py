"""The operating system's key store, through ``keyring``: one secret per data folder.

The secret is half of what unlocks the device master key (the other half is a
signed-in person's PIN, ``app.custody``). It is 32 random bytes kept by Windows
Credential Locker, the macOS Keychain or the Secret Service on Linux, under the
service name :data:`SERVICE` and the data folder's installation id, so a copy of
the folder on another machine finds nothing to unlock it with.

Back ends that keep secrets in a plain file, or none at all, are refused: with no
real key store the application says so and stops; it never falls back to storing
the secret beside the data.
"""

from __future__ import annotations

import base64
import types
from typing import Any

from local_db.errors import UserFacingError

SERVICE = "FieldInspect"
SECRET_BYTES = 32
# keyring's own do-nothing back ends, and the keyrings.alt ones that write a file.
_REFUSED_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt.file")


class KeyStoreUnavailable(UserFacingError):
    """No usable key store (none installed, locked, or the service does not answer)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            "无法使用操作系统的密钥库（" + reason + "）。没有密钥库，本机数据无法解锁，也不会以明文保存。\n"
            "Linux 请安装并解锁 Secret Service（如 gnome-keyring、KeePassXC），Windows / macOS 使用系统自带的凭据管理。",
            "The operating system's key store cannot be used (" + reason + "). Without it the data on "
            "this device cannot be unlocked, and nothing is stored in the clear instead.\n"
            "On Linux install and unlock a Secret Service (gnome-keyring, KeePassXC); Windows and macOS use "
            "their own credential store.")
        self.reason = reason


class KeyStoreSecretMissing(UserFacingError):
    """The key store answers but holds no secret for this data folder."""

    def __init__(self, installation: str) -> None:
        super().__init__(
            f"本机密钥库中没有此数据目录的密钥（编号 {installation}）：数据目录可能是从另一台设备复制来的，"
            "或密钥库已被重置。数据未作任何改动；请由总部用恢复密钥重新授权本机（fieldinspect-hq recover）。",
            f"The key store of this machine holds no key for this data folder (installation {installation}): "
            "the folder may have been copied from another device, or the key store was reset. Nothing was "
            "changed; HQ can re-key the folder for this machine with its recovery key (fieldinspect-hq recover).")
        self.installation = installation


class OsKeyStore:
    """Secrets by name in the key store ``keyring`` finds (or the back end given)."""

    def __init__(self, backend: Any | None = None) -> None:
        import keyring
        import keyring.errors

        self._errors = keyring.errors
        self.backend = backend if backend is not None else (_native_backend() or keyring.get_keyring())
        name = type(self.backend).__module__
        chained = getattr(self.backend, "backends", None)
        if chained is not None and not chained:
            raise KeyStoreUnavailable("未找到密钥库 / no key store found")
        if name.startswith(_REFUSED_BACKENDS):
            raise KeyStoreUnavailable(f"未找到可用的密钥库 / no usable key store ({name})")

    def get(self, name: str) -> bytes | None:
        """The secret stored under ``name``, or None when there is none."""
        try:
            value = self.backend.get_password(SERVICE, name)
        except self._errors.KeyringError as exc:
            raise KeyStoreUnavailable(str(exc) or type(exc).__name__) from None
        if value is None:
            return None
        try:
            secret = base64.b64decode(value, validate=True)
        except ValueError:
            raise KeyStoreUnavailable("密钥库中的条目已损坏 / the stored entry is damaged") from None
        if len(secret) != SECRET_BYTES:
            raise KeyStoreUnavailable("密钥库中的条目已损坏 / the stored entry is damaged")
        return secret

    def put(self, name: str, secret: bytes) -> None:
        """Store ``secret`` under ``name`` (replacing any), then read it back to be sure."""
        try:
            self.backend.set_password(SERVICE, name, base64.b64encode(secret).decode("ascii"))
        except self._errors.KeyringError as exc:
            raise KeyStoreUnavailable(str(exc) or type(exc).__name__) from None
        if self.get(name) != secret:
            raise KeyStoreUnavailable("写入后读回不一致 / the key store did not keep the secret")

    def delete(self, name: str) -> None:
        try:
            self.backend.delete_password(SERVICE, name)
        except self._errors.PasswordDeleteError:
            pass
        except self._errors.KeyringError as exc:
            raise KeyStoreUnavailable(str(exc) or type(exc).__name__) from None


def preload() -> None:
    """Import keyring and the platform's back end now (the window does this before Qt loads:
    PySide6 reads the source of every module imported after it, which doubled their cost)."""
    _defer_unused_imports()
    import keyring.core  # noqa: F401

    _native_module()


# keyring imports jaraco.context, which imports these at its top for helpers that
# download and unpack archives; nothing here calls them. A stand-in loads the real module
# on first use, so they no longer cost the start-up (HTTP, e-mail parsing and TLS modules).
_UNUSED_AT_START = ("urllib.request", "backports.tarfile")


def _defer_unused_imports() -> None:
    import importlib.util
    import sys

    for name in _UNUSED_AT_START:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except ImportError:
            continue
        if spec is None:
            continue
        stand_in = _Deferred(name)
        stand_in.__spec__ = spec
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, stand_in)


def _load_deferred(stand_in: Any) -> Any:
    import importlib
    import sys

    name = stand_in.__name__
    if sys.modules.get(name) is stand_in:
        del sys.modules[name]
    real = importlib.import_module(name)
    vars(stand_in).update({k: v for k, v in vars(real).items() if k not in ("__spec__", "__name__")})
    return real


class _Deferred(types.ModuleType):
    """A module not loaded yet: the first attribute asked of it loads it."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return getattr(_load_deferred(self), attr)


def _native_module() -> Any | None:
    import sys

    if sys.platform.startswith("linux"):
        from keyring.backends.SecretService import Keyring as Native
    elif sys.platform == "win32":
        from keyring.backends.Windows import WinVaultKeyring as Native
    elif sys.platform == "darwin":
        from keyring.backends.macOS import Keyring as Native
    else:
        return None
    return Native


def _native_backend() -> Any | None:
    """The platform's own key store, without keyring's search through every back end.

    The search imports and probes each back end it knows (on Linux that alone took
    about 130 ms of the start-up, most of it loading the macOS one). Where the user
    has chosen a back end (``PYTHON_KEYRING_BACKEND``, a ``keyringrc.cfg``) or one was
    set in this process (``keyring.set_keyring``), or the native one is not usable,
    None: keyring decides as it always does, refusals included.
    """
    import os

    import keyring.core
    from keyring.util import platform_

    if os.environ.get("PYTHON_KEYRING_BACKEND") or keyring.core._keyring_backend is not None:
        return None
    if os.path.exists(os.path.join(platform_.config_root(), "keyringrc.cfg")):
        return None
    Native = _native_module()
    if Native is None:
        return None
    try:
        Native.priority  # noqa: B018  (raises when the store is not there or does not answer)
    except Exception:
        return None
    return Native()
