"""Performance harness: `python benchmarks/run.py [templates]`.

Results are printed as a Markdown table to paste into benchmarks/RESULTS.md.
Machines are shared and noisy: each figure is the best of a few repeats.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import region_campaign

from shkmd_xl.template.workbook import write_templates


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_templates(repeats: int) -> list[tuple[str, str]]:
    campaign = region_campaign(60, schools_per_municipality=(1, 15), seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        seconds = best_of(repeats, lambda: write_templates(campaign, Path(tmp)))
        size = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
    n_schools = len(campaign.schools)
    return [
        ("templates: municipalities", "60 (+ generic)"),
        ("templates: schools", str(n_schools)),
        (f"templates: seconds (best of {repeats})", f"{seconds:.2f}"),
        ("templates: per workbook, ms", f"{seconds / 61 * 1000:.0f}"),
        ("templates: total size, MB", f"{size:.1f}"),
    ]


BENCHES = {"templates": bench_templates}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("which", nargs="*", default=list(BENCHES))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(
        f"Measured {dt.date.today()} · Python {platform.python_version()} · {os.cpu_count()} CPU\n"
    )
    print("| measure | value |\n|---|---|")
    for name in args.which:
        for key, value in BENCHES[name](args.repeats):
            print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
