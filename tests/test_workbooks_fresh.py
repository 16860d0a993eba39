"""workbooks/ holds what the code generates now (compared part by part)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from shkmd_xl.pipeline import build_workbooks

ROOT = Path(__file__).resolve().parents[1]
DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: DATES.sub(b"", z.read(n)) for n in z.namelist()}


def test_committed_workbooks_are_current(tmp_path: Path) -> None:
    fresh = build_workbooks(tmp_path)
    assert fresh, "nothing built"
    for path in fresh:
        committed = ROOT / "workbooks" / path.name
        assert committed.exists(), f"{committed} missing: run `make workbooks`"
        old, new = parts(committed), parts(path)
        assert sorted(old) == sorted(new), f"{path.name}: parts differ; run `make workbooks`"
        stale = [name for name in new if old[name] != new[name]]
        assert not stale, f"{path.name} is stale in {stale}: run `make workbooks`"


def test_build_is_deterministic(tmp_path: Path) -> None:
    a = build_workbooks(tmp_path / "a")
    b = build_workbooks(tmp_path / "b")
    for x, y in zip(a, b, strict=True):
        assert parts(x) == parts(y)
