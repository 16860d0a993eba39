"""The .xlsm workbooks: VBA read back, buttons bound to existing Subs, determinism."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from shkmd_xl.campaign import default_campaign
from shkmd_xl.forms import console as C
from shkmd_xl.pipeline import (
    MUNICIPAL_XLSM,
    REGION_CONSOLE,
    WORKBOOKS_GENERATED_AT,
    build_excel_workbooks,
)
from shkmd_xl.template.vba import MACROS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("xlsm")
    console, municipal = build_excel_workbooks(out)
    return {"console": console, "municipal": municipal, "out": out}


def public_subs(source: str) -> set[str]:
    return set(re.findall(r"^Public Sub (\w+)\(\)", source, flags=re.MULTILINE))


def test_macros_are_ascii_and_thin() -> None:
    for path in MACROS.glob("*.bas"):
        raw = path.read_bytes()
        raw.decode("ascii")  # Cyrillic would become «?» in a project built here
        assert b"\r\n" in raw
        body = [
            line
            for line in raw.decode().splitlines()
            if line.strip() and not line.startswith(("'", "Attribute", "Option"))
        ]
        subs = [line for line in body if line.startswith("Public Sub")]
        calls = [line for line in body if line.strip().startswith("RunPython")]
        assert len(subs) == len(calls)  # one RunPython line per Sub, no logic


@pytest.mark.parametrize(("key", "module"), [("console", "Region"), ("municipal", "Municipal")])
def test_vba_reads_back_identical(built: dict[str, Path], key: str, module: str) -> None:
    from pyopenvba import ExcelFile

    with ExcelFile(built[key]) as book:
        modules = book.vba_modules()
    assert modules[module].encode("ascii") == (MACROS / f"{module}.bas").read_bytes()
    assert "xlwings" in modules and "Dictionary" in modules
    for name, source in modules.items():
        if name not in ("xlwings", "Dictionary"):
            source.encode("ascii")


@pytest.mark.parametrize(
    ("key", "module", "buttons"),
    [("console", "Region", C.REGION_BUTTONS), ("municipal", "Municipal", C.MUNICIPAL_BUTTONS)],
)
def test_every_button_names_a_public_sub(
    built: dict[str, Path], key: str, module: str, buttons: tuple[C.Button, ...]
) -> None:
    subs = public_subs((MACROS / f"{module}.bas").read_text("ascii"))
    with zipfile.ZipFile(built[key]) as z:
        vml = b"".join(z.read(n) for n in z.namelist() if n.endswith(".vml")).decode()
        types = z.read("[Content_Types].xml").decode()
    macros = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    assert sorted(macros) == sorted(b.macro for b in buttons)
    assert set(macros) <= subs
    assert "macroEnabled.main+xml" in types


def test_build_is_deterministic(built: dict[str, Path], tmp_path: Path) -> None:
    again = build_excel_workbooks(tmp_path)
    for a, b in zip((built["console"], built["municipal"]), again, strict=True):
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            assert za.namelist() == zb.namelist()
            assert all(za.read(n) == zb.read(n) for n in za.namelist())


def test_xlsx_template_stays_macro_free() -> None:
    for path in (ROOT / "workbooks").glob("*.xlsx"):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            assert not any("vbaProject" in n for n in names), path
            for vml in (n for n in names if n.endswith(".vml")):  # notes are fine, buttons not
                assert b'ObjectType="Button"' not in z.read(vml), path
    assert not list((ROOT / "workbooks").glob("*.xlsm"))  # built locally, never committed


@pytest.mark.libreoffice
def test_libreoffice_lists_modules_and_button_bindings(built: dict[str, Path]) -> None:
    from .lo import run_jobs

    console, municipal = run_jobs(
        [
            {"open": str(built["console"]), "modules": True},
            {"open": str(built["municipal"]), "modules": True},
        ]
    )
    assert {"Region", "xlwings", "Dictionary"} <= set(console["modules"]["VBAProject"])
    assert "Municipal" in municipal["modules"]["VBAProject"]
    bound = {(s, label, url.split(":", 1)[1].split("?")[0]) for s, label, url in console["buttons"]}
    assert bound == {
        (C.CONSOLE_SHEET, b.caption, f"VBAProject.Region.{b.macro}") for b in C.REGION_BUTTONS
    }
    bound = {(label, url.split(":", 1)[1].split("?")[0]) for _, label, url in municipal["buttons"]}
    assert bound == {(b.caption, f"VBAProject.Municipal.{b.macro}") for b in C.MUNICIPAL_BUTTONS}
    assert console["errors"] == [] and municipal["errors"] == []
    assert (built["console"].name, built["municipal"].name) == (REGION_CONSOLE, MUNICIPAL_XLSM)


@pytest.mark.parametrize("key", ["console", "municipal"])
def test_vba_project_stream_as_ms_ovba_asks_writers(built: dict[str, Path], key: str) -> None:
    """[MS-OVBA] 2.3.4.1: Version 0xFFFF and no performance cache when writing."""
    import io

    import olefile

    vba = zipfile.ZipFile(built[key]).read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(io.BytesIO(vba))
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")


def test_xlwings_modules_keep_their_crlf(built: dict[str, Path]) -> None:
    import importlib.util

    from pyopenvba import ExcelFile

    spec = importlib.util.find_spec("xlwings")
    assert spec is not None and spec.origin is not None
    installed = (Path(spec.origin).parent / "xlwings.bas").read_bytes().decode("latin-1")
    with ExcelFile(built["console"]) as book:
        module = book.vba_modules()["xlwings"]
    assert module.count("\r\n") == module.count("\n") > 100
    assert installed.count("\r\n") == module.count("\r\n")


def test_xlwings_conf_never_holds_an_empty_interpreter(
    built: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An empty INTERPRETER_WIN hides the user's own xlwings.conf: the key is written
    with the building environment's pythonw.exe, or not at all."""
    import openpyxl

    from shkmd_xl.template import console

    def conf(path: Path) -> dict[str, str]:
        ws = openpyxl.load_workbook(path, read_only=True)[C.CONF_SHEET]
        return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] and r[1] is not None}

    for key in ("console", "municipal"):  # both books document it on «xlwings.conf»
        here = conf(built[key])  # built on Linux: no Windows interpreter to name
        assert here and "INTERPRETER_WIN" not in here and all(v != "" for v in here.values())
    pythonw = r"C:\Users\Иванова\shkmd\Scripts\pythonw.exe"
    monkeypatch.setattr(console, "interpreter_win", lambda: pythonw)
    again = console.write_console(default_campaign(), tmp_path / "c.xlsm", WORKBOOKS_GENERATED_AT)
    assert conf(again)["INTERPRETER_WIN"] == pythonw
