"""``FIELDINSPECT_HQ_PROFILE=DIR``: a ``fieldinspect-hq serve`` process stopped with SIGTERM
leaves a cProfile of its threads in DIR (what ``benchmarks/hq_load.py --cprofile`` merges);
without the variable it writes none."""

from __future__ import annotations

import pstats
import signal
import sys
import urllib.request
from pathlib import Path

import pytest

from sync.hq import profiling

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import HqProcess, make_hq  # noqa: E402

pytestmark = pytest.mark.integration


def _serve_one_request_then_terminate(hq_dir: Path) -> int:
    hq = HqProcess(hq_dir).start()
    request = urllib.request.Request(hq.url + "/files", method="OPTIONS")  # tus discovery, no signature
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
    hq.proc.send_signal(signal.SIGTERM)
    return hq.proc.wait(10)  # uvicorn shuts down and the process ends, profiled or not


def test_a_profiled_receiver_writes_its_threads_profiles_on_sigterm(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIELDINSPECT_HQ_DATABASE", raising=False)
    monkeypatch.setenv(profiling.ENV, str(tmp_path / "profile"))
    monkeypatch.setenv(profiling.CLOCK_ENV, "cpu")
    assert _serve_one_request_then_terminate(make_hq(tmp_path / "hq")) == 128 + signal.SIGTERM
    files = sorted(str(f) for f in (tmp_path / "profile").glob("hq-*.prof"))
    assert files
    stats = pstats.Stats(files[0])
    stats.add(*files[1:])
    assert any("uvicorn" in filename or "starlette" in filename for filename, _, _ in stats.stats)


def test_without_the_variable_a_receiver_writes_no_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIELDINSPECT_HQ_DATABASE", raising=False)
    monkeypatch.delenv(profiling.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert _serve_one_request_then_terminate(make_hq(tmp_path / "hq")) == -signal.SIGTERM  # uvicorn re-raised it
    assert not list(tmp_path.rglob("*.prof"))
