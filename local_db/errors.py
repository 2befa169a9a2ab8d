"""Errors a user can meet when the local database is opened or written.

Every error carries a Chinese message (the interface's first language) and an
English one; the UI shows whichever the user chose. ``str()`` gives the Chinese.
"""

from __future__ import annotations

from pathlib import Path


class UserFacingError(Exception):
    """An error whose message is fit to show to the person at the device."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en

    def message(self, language: str = "zh") -> str:
        return self.en if language.startswith("en") else self.zh


class DataFolderMissing(UserFacingError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"数据目录不存在：{path}\n请检查路径，或用 “fieldinspect demo --data {path}” 新建一个演示数据目录。",
            f"The data folder does not exist: {path}\n"
            f"Check the path, or create a demo data folder with “fieldinspect demo --data {path}”.",
        )
        self.path = path


class DataFolderReadOnly(UserFacingError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"数据目录不可写：{path}（{reason}）。\n证据与记录无法保存，请换一个可写的目录或修改权限。",
            f"The data folder cannot be written: {path} ({reason}).\n"
            "Evidence and records could not be saved; choose a writable folder or change its permissions.",
        )
        self.path = path


class DatabaseCorrupt(UserFacingError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"数据库文件已损坏或不是数据库：{path}（{reason}）。\n文件未作任何改动；请联系技术支持并保留该文件。",
            f"The database file is damaged or is not a database: {path} ({reason}).\n"
            "The file has not been changed; contact support and keep the file.",
        )
        self.path = path


class DatabaseForeign(UserFacingError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"该文件是其他程序的数据库，不是本终端的数据：{path}。\n文件未作任何改动。",
            f"This file is another program's database, not this terminal's data: {path}.\n"
            "The file has not been changed.",
        )
        self.path = path


class DatabaseTooNew(UserFacingError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"数据库结构版本为 {found}，本程序只支持到 {supported}：{path}。\n请升级程序后再打开；文件未作任何改动。",
            f"The database schema is version {found}; this program supports up to {supported}: {path}.\n"
            "Upgrade the program before opening it; the file has not been changed.",
        )
        self.path = path
        self.found = found
        self.supported = supported


class DatabaseUnreadable(DatabaseCorrupt):
    """An encrypted file (or bytes that look like one) that this device's key does not open.

    A wrong key, a damaged file and another device's database look alike from their
    first bytes, so the message names all three.
    """

    def __init__(self, path: Path) -> None:
        UserFacingError.__init__(
            self,
            f"无法用本设备的密钥打开数据库文件：{path}。\n"
            "该文件已损坏、来自另一台设备，或密钥不正确。文件未作任何改动；请联系技术支持并保留该文件。",
            f"The database file cannot be opened with this device's key: {path}.\n"
            "It is damaged, from another device, or the key is wrong. The file has not been changed; "
            "contact support and keep the file.",
        )
        self.path = path


class RecordConflict(UserFacingError):
    """A record that the database refuses: a key another record already holds, or one that
    refers to a record that does not exist. Raised instead of the driver's IntegrityError."""

    def __init__(self, table: str, reason: str) -> None:
        super().__init__(f"记录与已有数据冲突，未保存（{table}：{reason}）。",
                         f"The record conflicts with data already held and was not saved ({table}: {reason}).")
        self.table = table
        self.reason = reason
