"""The last line every benchmark prints, for scripts: ``name: ratio=1.23 peak_mib=40 key=value…``.

``ratio`` is ours over the reference tool's time (lower is better) unless the
benchmark's docstring says otherwise; ``peak_mib`` is the peak resident memory of
what was measured.
"""

from __future__ import annotations


def line(name: str, ratio: float, peak_mib: float, **extra: float | int | str) -> None:
    fields = [f"ratio={ratio:.2f}", f"peak_mib={peak_mib:.0f}"]
    fields += [f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in extra.items()]
    print(f"{name}: " + " ".join(fields), flush=True)
