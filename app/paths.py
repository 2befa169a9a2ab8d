"""Where things live: the data folder and the shipped resources."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "FieldInspect"
# The repository root: resources/ ships beside the packages.
ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
FONT_FILE = RESOURCES / "fonts" / "wqy-microhei.ttf"
FONT_FAMILY = "WenQuanYi Micro Hei"
# The Song/Ming face of the printed documents (GB/T 9704 asks for Song or FangSong).
SONG_FONT_FILE = RESOURCES / "fonts" / "uming-gb.ttf"
DEMO_REFERENCE = RESOURCES / "reference" / "demo.json"
DEMO_INSPECTIONS = RESOURCES / "demo" / "inspections.json"
DEMO_PINS = RESOURCES / "demo" / "pins.json"
TRANSLATIONS = RESOURCES / "i18n"


def default_data_folder() -> Path:
    """The per-user data folder; ``FIELDINSPECT_DATA`` overrides it (development, kiosks)."""
    override = os.environ.get("FIELDINSPECT_DATA")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when no folder is named: a start with --data does without it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
