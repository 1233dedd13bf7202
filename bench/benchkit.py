"""What every benchmark module shares: one figure's shape, its JSON output, memory readings.

A benchmark module offers `figures(quick: bool = False) -> list[dict]` (each dict made by
`figure()`); `python bench/X.py --json [--quick]` prints them as one JSON line, and
bench/all.py runs each module that way in its own subprocess and collects the table.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from collections.abc import Callable
from typing import Any

JSON_MARK = "BENCH-JSON "  # the line bench/all.py looks for among a module's output


def figure(name: str, *, key: str, ours_ms: float | None = None, baseline_ms: float | None = None,
           baseline_what: str = "", ours_text: str = "", goal_ratio: float | None = None,
           goal_text: str = "", met: bool | None = None, detail: str = "",
           traced_mb: float | None = None, rss: str = "self",
           peak_mb_override: float | None = None) -> dict[str, Any]:
    """One row of the table.

    key: a stable id ("import.proposals") while the name may change with the sizes.
    baseline_what: what the baseline is (its time is added when the table is printed).
    ours_ms/baseline_ms: the two timings (ratio = ours / baseline); ours_text replaces the
    timing for figures that are not one time (percentiles). goal_ratio: the goal as a ratio;
    goal_text with met for other goals. traced_mb: tracemalloc peak of the measured
    operation alone, where the benchmark measures it. rss: "self" (the benchmark's process,
    set-up included) or "children" (the processes it timed, e.g. the app in start-up).
    peak_mb_override: a peak the benchmark measured itself, shown instead of either.
    """
    ratio = ours_ms / baseline_ms if ours_ms is not None and baseline_ms else None
    if met is None and goal_ratio is not None and ratio is not None:
        met = ratio <= goal_ratio
    return {"key": key, "name": name, "ours_ms": ours_ms, "baseline_ms": baseline_ms,
            "baseline_what": baseline_what, "ours_text": ours_text, "ratio": ratio,
            "goal_ratio": goal_ratio, "goal_text": goal_text, "met": met, "detail": detail,
            "traced_mb": traced_mb, "rss": rss, "peak_mb_override": peak_mb_override}


def peak_rss_mb() -> dict[str, float]:
    """ru_maxrss of this process and of the largest child it waited for, in MB (Linux: KiB)."""
    scale = 1024 if sys.platform != "darwin" else 1  # macOS reports bytes
    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 1e6}


def payload(figures: list[dict[str, Any]], sections: list[dict[str, str]] | None = None
            ) -> dict[str, Any]:
    return {"figures": figures, "sections": sections or [], "rss_mb": peak_rss_mb()}


def emit(result: dict[str, Any]) -> None:
    sys.stdout.write(JSON_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()


def json_main(figures: Callable[[bool], list[dict[str, Any]]]) -> bool:
    """Handle `--json [--quick]` for a module's __main__; False when not asked for JSON."""
    if "--json" not in sys.argv[1:]:
        return False
    emit(payload(figures("--quick" in sys.argv[1:])))
    return True


def ms(seconds: float) -> float:
    return seconds * 1000.0


def qt_offscreen() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
