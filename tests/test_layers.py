"""Imports flow one way (issue «one declaration per concept»): a module imports only
from its own layer or the layers below it. Read from the source (ast), imports inside
functions included: a late import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import shkmd_xl

ROOT = Path(shkmd_xl.__file__).parent
#: Lowest first. A top-level module or package of shkmd_xl -> its layer.
LAYERS: list[set[str]] = [
    {
        "messages",
        "ru",
        "names",
        "cells",
        "atomic",
        "issues",
        "statuses",
        "palette",
        "printing",
    },  # core
    {"campaign", "forms"},
    {"reader", "rules", "intake", "store", "isolation"},
    {"consolidate"},
    {"figures"},  # the figures the region reads, computed once
    {"regional", "feedback", "template", "expertise"},  # regional outputs, templates
    {"pipeline", "collect", "decide", "mail"},  # mail: the office mailbox (fetch runs collect)
    # terminal prints the results of collect and of the federal run
    {"federal", "cli", "cli_ru", "terminal", "excel", "demo"},
]
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}


def _unit(module: str) -> str:
    """«shkmd_xl.reader.book» -> «reader»; the package itself -> «»."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target == "shkmd_xl":  # «from .. import palette»: the modules named
                for a in node.names:
                    sub = (ROOT / a.name).is_dir() or (ROOT / f"{a.name}.py").is_file()
                    found.add(f"shkmd_xl.{a.name}" if sub else "shkmd_xl")
            elif target.startswith("shkmd_xl"):
                found.add(target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("shkmd_xl")}
    return found


def test_every_module_has_a_layer() -> None:
    units = {p.stem if p.is_file() else p.name for p in ROOT.iterdir()}
    units -= {"__init__", "__pycache__", "macros"}
    units = {u for u in units if not u.endswith((".typed", ".json"))}
    assert units <= set(LAYER), units - set(LAYER)


def test_imports_flow_one_way() -> None:
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        here = _unit(module)
        if here == "":
            continue  # the package's own entry point (shkmd_xl.check) may call anything
        for target in _imports(path, module):
            there = _unit(target)
            if there in ("", here) or there not in LAYER:
                if there == "" and target in ("shkmd_xl", "shkmd_xl.__init__"):
                    wrong.append((module, target))
                continue
            if LAYER[there] > LAYER[here]:
                wrong.append((module, target))
    assert not wrong, "\n".join(f"{m} -> {t}" for m, t in sorted(set(wrong)))
