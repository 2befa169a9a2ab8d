"""Time to an interactive main window, against a bare PySide6 QMainWindow.

Both are started the same way (a fresh Python process, the same Qt platform) and
report the moment their window is shown and the event loop has run once. The
application is measured twice: to the sign-in page, and signed in with the
Inspections page filled from the database. Goal: at most 2.5x the bare window.

Signing in pays the PIN's Argon2id derivation once (its cost is measured on the
machine when the folder is created, at least 0.25 s): it is timed on its own, in a
child process with the folder's stored parameters, and the signed-in start is
reported with and without it. The key store is a private Secret Service started
for the run (tests/secret_service.py), as in the tests.

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import report  # noqa: E402
from tests import secret_service  # noqa: E402

BARE = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show()
def ready():
    print(f"READY {time.time():.6f}", flush=True); app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def time_to_ready(cmd: list[str], env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    stamp = next(line for line in out.splitlines() if line.startswith("READY "))
    return float(stamp.split()[1]) - start


KDF = r"""
import sys, time, json
from pathlib import Path
from app import unlock
from app.crypto import Argon2Params, derive_pin_key
custody = unlock.open_custody(Path(sys.argv[1]))
params = custody._calibrated_kdf()
start = time.perf_counter()
derive_pin_key("100101", b"0" * 16, params)
print(f"{time.perf_counter() - start:.6f} {json.dumps(params.as_dict())}")
custody.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ}
    # An installed application starts from its bytecode cache; with the cache switched off
    # every start would compile the application's modules, which the bare window has none of.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if "DISPLAY" not in env else "xcb")
    exe = str(Path(sys.executable).parent / "fieldinspect")
    service = secret_service.start()
    env.update({k: os.environ[k] for k in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")})
    try:
        run(args, env, exe)
    finally:
        if service is not None:
            service.stop()


def run(args: argparse.Namespace, env: dict[str, str], exe: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run([exe, "demo", "--data", str(data)], check=True, capture_output=True, env=env)
        env["FIELDINSPECT_PIN"] = "100101"  # O01's demo PIN: signing in derives its key (Argon2id)
        cases = {
            "bare QMainWindow": [sys.executable, "-c", BARE],
            "fieldinspect, sign-in page": [exe, "--data", str(data), "--exit-when-ready"],
            "fieldinspect, signed in, Inspections": [exe, "--data", str(data), "--officer", "O01",
                                                     "--page", "inspections", "--exit-when-ready"],
        }
        for cmd in cases.values():  # warm the file cache once
            time_to_ready(cmd, env)
        samples: dict[str, list[float]] = {name: [] for name in cases}
        kdf: list[float] = []
        for _ in range(args.runs):  # interleaved, so drift hits every case alike
            for name, cmd in cases.items():
                samples[name].append(time_to_ready(cmd, env))
            out = subprocess.run([sys.executable, "-c", KDF, str(data)], capture_output=True, text=True, env=env,
                                 check=True, cwd=ROOT).stdout.split(maxsplit=1)
            kdf.append(float(out[0]))
            params = out[1].strip()
    bare = statistics.median(samples["bare QMainWindow"])
    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs}, median seconds to an interactive window")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:40s} {median:6.3f} s   ratio {median / bare:4.2f}x   "
              f"(min {min(values):.3f}, max {max(values):.3f})")
    argon = statistics.median(kdf)
    signed_in = statistics.median(samples["fieldinspect, signed in, Inspections"])
    print(f"  Argon2id of one PIN ({params})   {argon:6.3f} s   (paid once per sign-in)")
    print(f"  {'signed in, without the Argon2id cost':40s} {signed_in - argon:6.3f} s   "
          f"ratio {(signed_in - argon) / bare:4.2f}x")
    print(f"  {'signed in, total / (bare + Argon2id)':40s} {signed_in:6.3f} s   "
          f"ratio {signed_in / (bare + argon):4.2f}x   (a scripted PIN's derivation overlaps the loading)")
    print("goal: fieldinspect at most 2.50x the bare window (the Argon2id cost reported on its own)")
    page = statistics.median(samples["fieldinspect, sign-in page"])
    report.line("startup", page / bare, 0, signed_in_ratio=(signed_in - argon) / bare, argon_s=argon,
                bare_s=bare)


if __name__ == "__main__":
    main()
