"""Every module imports (mypy's ignore_missing_imports would let a wrong relative import
of our own package pass unnoticed)."""

from __future__ import annotations

import importlib
import pkgutil

import shkmd_xl


def test_every_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages(shkmd_xl.__path__, "shkmd_xl.")]
    assert len(names) > 40
    for name in names:
        importlib.import_module(name)
