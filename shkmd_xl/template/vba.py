"""Put the VBA project into a built .xlsm: our modules from shkmd_xl/macros/, xlwings' standalone module.

xlwings' own VBA (``xlwings.bas`` and ``Dictionary.cls``) is taken from the
installed xlwings package at build time and never committed.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
#: Where our VBA source lives (ASCII only: a project built here turns Cyrillic into «?»):
#: package data, so that an installed wheel builds the workbooks too.
MACROS = Path(__file__).resolve().parents[1] / "macros"


class BuildError(RuntimeError):
    """The workbooks cannot be built on this machine (Russian message)."""


def xlwings_modules() -> list[tuple[str, str, bool]]:
    """(name, source, is_class) of xlwings' standalone VBA, from the installed package."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise BuildError("Пакет xlwings не установлен: pip install xlwings")
    root = Path(spec.origin).parent
    bas, cls = root / "xlwings.bas", root / "addin" / "Dictionary.cls"
    if not bas.exists() or not cls.exists():
        raise BuildError(f"В установленном xlwings нет {bas.name} или {cls.name}")
    # bytes, not read_text(): universal newlines would turn the modules' CRLF into LF
    return [
        ("xlwings", bas.read_bytes().decode("latin-1"), False),
        ("Dictionary", cls.read_bytes().decode("latin-1"), True),
    ]


def crlf(text: str) -> str:
    """VBA modules use CRLF line endings (the VBA editor writes them so)."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def our_modules(names: list[str]) -> list[tuple[str, str, bool]]:
    out = []
    for name in names:
        source = MACROS / f"{name}.bas"
        if not source.exists():
            raise BuildError(
                f"Нет исходного текста макросов {source}: переустановите пакет shkmd_xl"
            )
        raw = source.read_bytes()
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError:
            raise BuildError(f"macros/{name}.bas содержит не-ASCII символы") from None
        out.append((name, crlf(text), False))
    return out


def _rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of the package ``path`` in place; the other parts as they are."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zin,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == part else data)
    path.write_bytes(buf.getvalue())


def _macro_enabled(path: Path) -> None:
    """Declare the workbook part macro-enabled (xlsxwriter wrote a plain one)."""
    _rewrite_part(
        path,
        "[Content_Types].xml",
        lambda data: data.replace(PLAIN_MAIN.encode(), MACRO_MAIN.encode()),
    )


#: [MS-OVBA] 2.3.4.1 for writers: Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00,
#: Reserved3 (2 bytes), and no performance cache — Office compiles the source on opening.
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000000")


def _written_as_spec_says(path: Path) -> None:
    """Replace the ``_VBA_PROJECT`` stream pyOpenVBA wrote (a version cookie and a
    performance cache) with what MS-OVBA asks a writer for."""
    from pyopenvba.cfb import CFB

    def change(data: bytes) -> bytes:
        cfb = CFB.from_bytes(data)
        cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
        return cfb.to_bytes()

    _rewrite_part(path, "xl/vbaProject.bin", change)


def add_vba(path: Path, modules: list[str]) -> Path:
    """Add a VBA project with ``macros/<module>.bas`` and xlwings' modules to ``path``."""
    from pyopenvba import ExcelFile
    from pyopenvba.vba import VBAModuleKind

    _macro_enabled(path)
    with ExcelFile(path) as book:
        project = book.add_vba_project()
        for name, source, is_class in our_modules(modules) + xlwings_modules():
            kind = VBAModuleKind.other if is_class else VBAModuleKind.standard
            project.add_module(name, source, kind=kind)
        book.save(path)
    _written_as_spec_says(path)
    return path
