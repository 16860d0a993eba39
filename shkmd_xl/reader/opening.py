"""Opening a received file safely: format sniffing, encryption, macros, corruption."""

from __future__ import annotations

import html
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from ..issues import Issue, Location
from ..messages import fragment
from ..names import has_escapes

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
#: Refuse members that inflate beyond this or with a suspicious ratio (zip bombs).
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


#: A sheet larger than this many cells is refused before calamine sees it: calamine
#: allocates the whole rectangle (a cell at XFD1048576 asks for 512 GB and aborts).
MAX_SHEET_CELLS = 20_000_000
#: No form sheet has this many rows (15 schools x 60 events, 200 teachers each: a few thousand).
MAX_SHEET_ROWS = 100_000
_FAR_COLUMN = re.compile(rb'r="([A-Z]{3,})\d')  # literal prefix: re searches it fast
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) a worksheet part reaches, without parsing it.

    Rows are in ascending order (ECMA-376), so the last row number is near the
    end; columns beyond ZZ are found by a byte search over the whole part.
    """
    columns = max((_column_number(m.group(1)) for m in _FAR_COLUMN.finditer(xml)), default=702)
    last = xml.rfind(b"<row")  # the last row opens near the end; a prefixed one («x:row»)
    last = max(last, xml.rfind(b":row", max(last, 0)))  # can only be after it
    if last >= 0:
        found = _ROW_NUMBER.match(xml, max(xml.rfind(b"<", 0, last + 1), 0))
        if found:
            return int(found.group(1)), columns
    rows = _ROW_NUMBER.findall(xml[-65536:])
    return (int(rows[-1]) if rows else xml.count(b"<row")), columns


#: Sheets of our template the reader never parses (so their size cannot hurt it).
UNREAD_SHEETS = {"Инструкция", "Контроль", "Справочники", "_marks"}
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name (a cheap scan of workbook.xml and its relationships)."""
    try:
        book = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for el in re.findall(rb"<Relationship\b[^>]*>", rels):
        a = dict(_ATTR.findall(el))
        target = a.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[a.get(b"Id", b"")] = target if target.startswith("xl/") else "xl/" + target
    out = {}
    for el in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        a = dict(_ATTR.findall(el))
        name = html.unescape(a.get(b"name", b"").decode("utf-8", "replace"))
        rid = next((v for k, v in a.items() if k.endswith(b":id")), b"")
        if rid in targets:
            out[targets[rid]] = name
    return out


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')


def declared_extent(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """(rows, columns) a worksheet declares in its <dimension> (the first few KB only)."""
    with z.open(info) as fh:
        return _declared(fh.read(4096))


def _declared(head: bytes) -> tuple[int, int]:
    found = _DIMENSION.search(head)
    return (int(found.group(2)), _column_number(found.group(1))) if found else (0, 0)


def too_big(rows: int, columns: int) -> str:
    """Why a sheet is refused before it is read, or "" when its size is fine."""
    if rows > MAX_SHEET_ROWS:
        from ..ru import count

        return (
            f"{count(rows, 'строка', 'строки', 'строк')} на листе (в отчёте их не бывает "
            f"больше {MAX_SHEET_ROWS:,}) — удалите пустые и лишние строки ниже данных"
        ).replace(",", " ")
    if rows * columns > MAX_SHEET_CELLS:
        return (
            f"заняты ячейки до строки {rows:,} и столбца {columns:,} — "
            "лист слишком большой для отчёта; удалите лишние строки и столбцы"
        ).replace(",", " ")
    return ""


@dataclass
class Opened:
    """A workbook opened by calamine, or the findings that explain why not."""

    path: Path
    book: Any = None
    kind: str = ""  # xlsx / xlsm / xls / ods
    issues: list[Issue] = field(default_factory=list)
    custom: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.book is not None


def _issue(path: Path, code: str, variant: str = "", **params: Any) -> Issue:
    return Issue(code, Location(file=path.name), params=params, variant=variant)


def _ole_streams(head: bytes) -> bytes:
    return head.replace(b"\x00", b"")


#: BIFF record types: FILEPASS (the workbook is encrypted: XOR obfuscation or RC4),
#: BOUNDSHEET and EOF (the globals' end: no FILEPASS after them).
_FILEPASS, _BOUNDSHEET, _EOF = 0x002F, 0x0085, 0x000A


def _xls_encrypted(path: Path) -> bool:
    """True when an .xls workbook stream declares encryption (FILEPASS), which comes
    right after its first BOF: «защищён паролем», not «повреждён»."""
    import olefile

    try:
        with olefile.OleFileIO(
            str(path) if not has_escapes(str(path)) else path.read_bytes()
        ) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return False
            data = ole.openstream(name).read(1 << 16)
    except Exception:  # a damaged compound file: the reader reports it
        return False
    pos = 0
    while pos + 4 <= len(data):
        rtype, size = struct.unpack_from("<HH", data, pos)
        if rtype == _FILEPASS:
            return True
        if rtype in (_BOUNDSHEET, _EOF):
            return False
        pos += 4 + size
    return False


def _check_zip(path: Path, opened: Opened, guard_extent: bool) -> bool:
    """Zip sanity before any XML is parsed; refuse .xlsb; note macros; read custom
    properties."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "xl/workbook.bin" in names:  # an Excel binary workbook, whatever its name
                opened.issues.append(_issue(path, "SUB09", "xlsb"))
                return False
            for info in z.infolist():
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MAX_MEMBER_BYTES or (
                    info.file_size > 1_000_000 and ratio > MAX_RATIO
                ):
                    opened.issues.append(
                        _issue(
                            path,
                            "SUB09",
                            reason=fragment(
                                "SUB09.bomb_part",
                                part=info.filename,
                                megabytes=info.file_size // 1_000_000,
                            ),
                        )
                    )
                    return False
            parts = _sheet_parts(z)
            for info in z.infolist():
                name = info.filename
                sheet = parts.get(name, name)
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                if sheet in UNREAD_SHEETS:
                    continue
                # One rule on every path: the declared size, then (after reading) the rows
                # really there. Where a crash would kill the caller, the real extent is
                # also scanned first; isolated workers meet their limits instead.
                if guard_extent:  # one decompression for both: the declared size is
                    xml = z.read(info)  # in the part's first bytes
                    reason = too_big(*_declared(xml[:4096])) or too_big(*sheet_extent(xml))
                else:
                    reason = too_big(*declared_extent(z, info))
                if reason:
                    opened.issues.append(
                        Issue(
                            "SUB09",
                            Location(file=path.name, sheet=sheet if sheet != name else ""),
                            params={"reason": reason},
                            variant="limit",
                        )
                    )
                    return False
            lowered = [n.lower() for n in names]
            if any(n.endswith("vbaproject.bin") or n.startswith("basic/") for n in lowered):
                opened.issues.append(_issue(path, "SUB11"))
            if "docProps/custom.xml" in names:
                opened.custom = _custom_properties(z.read("docProps/custom.xml"))
    except (zipfile.BadZipFile, OSError, EOFError):
        opened.issues.append(_issue(path, "SUB09", reason=fragment("SUB09.zip")))
        return False
    return True


def _custom_properties(xml: bytes) -> dict[str, str]:
    from defusedxml import ElementTree

    out: dict[str, str] = {}
    try:
        root = ElementTree.fromstring(xml)
    except Exception:
        return out
    for prop in root:
        name = prop.get("name", "")
        if name.startswith("shkmd_") and len(prop):
            out[name[len("shkmd_") :]] = (prop[0].text or "").strip()
    return out


def open_workbook(path: Path, guard_extent: bool = True) -> Opened:
    """Open ``path`` with python-calamine; every failure becomes a finding.

    ``guard_extent`` scans worksheet parts for cells far away (calamine would
    allocate the whole rectangle and abort the process). Isolated workers,
    whose memory is capped and whose death costs one file only, skip it.
    """
    opened = Opened(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        opened.issues.append(_issue(path, "SUB09", reason=fragment("SUB09.no_access")))
        return opened
    if size == 0:
        opened.issues.append(_issue(path, "SUB09", "empty"))
        return opened
    suffix = path.suffix.lower().lstrip(".")
    if head.startswith(OLE_MAGIC):
        with path.open("rb") as fh:
            body = _ole_streams(fh.read(min(size, 4_000_000)))
        if b"EncryptedPackage" in body or b"EncryptionInfo" in body or _xls_encrypted(path):
            opened.issues.append(_issue(path, "SUB08"))
            return opened
        opened.kind = "xls"
        if b"_VBA_PROJECT" in body:
            opened.issues.append(_issue(path, "SUB11"))
    elif head.startswith(ZIP_MAGIC):
        if suffix == "xlsb":
            opened.issues.append(_issue(path, "SUB09", "xlsb"))
            return opened
        if not _check_zip(path, opened, guard_extent):
            return opened
        opened.kind = "ods" if suffix == "ods" else ("xlsm" if suffix == "xlsm" else "xlsx")
    else:
        with path.open("rb") as fh:
            start = fh.read(8192)
        opened.issues.append(_not_a_workbook(path, start))
        return opened
    try:
        if has_escapes(str(path)):  # a name in bytes that are no UTF-8: read by handle
            with path.open("rb") as fh:
                opened.book = python_calamine.CalamineWorkbook.from_filelike(fh)
        else:
            opened.book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        opened.issues.append(_issue(path, "SUB08"))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # CalamineError, ZipError, XmlError, a Rust panic…
        opened.issues.append(_issue(path, "SUB09", reason=reason_ru(exc)))
    if opened.ok and opened.kind in ("xls", "ods"):
        opened.issues.append(_issue(path, "SUB10", format="." + opened.kind))
    renamed = renamed_issue(path.name, opened.kind) if opened.ok else None
    if renamed is not None:
        opened.issues.append(renamed)
    return opened


#: The extensions a workbook of each kind may carry without being «renamed».
_KIND_EXTS = {"xlsx": {"xlsx", "xlsm"}, "xlsm": {"xlsm", "xlsx"}, "xls": {"xls"}, "ods": {"ods"}}


def renamed_issue(name: str, kind: str) -> Issue | None:
    """SUB14 when a workbook of ``kind`` arrived under a name that says otherwise
    («отчёт.eml», «отчёт» without an extension): it is read all the same."""
    ext = Path(name).suffix.lower().lstrip(".")
    if kind not in _KIND_EXTS or ext in _KIND_EXTS[kind]:
        return None
    return Issue(
        "SUB14",
        Location(file=name),
        params={"ext": f"«.{ext}»" if ext else "без расширения", "kind": "." + kind},
    )


def _not_a_workbook(path: Path, start: bytes) -> Issue:
    """What a file that is no workbook is, in words a municipal specialist can act on.

    Web systems export HTML tables named .xls; Excel opens them, but they hold no
    sheets of the template, so they cannot be a report.
    """
    lowered = start.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return _issue(path, "SUB09", "xml2003")
    if b"<table" in lowered or lowered.startswith((b"<!doctype html", b"<html")):
        tables = lowered.count(b"<table")
        return _issue(path, "SUB09", "html", tables=f", таблиц: {tables}" if tables else "")
    if b"\0" not in start:
        try:
            text = start.decode("utf-8")
        except UnicodeDecodeError:
            text = start.decode("cp1251", "replace")
        first = next((line for line in text.splitlines() if line.strip()), "")
        if any(sep in first for sep in (";", ",", "\t")):
            return _issue(path, "SUB09", "csv")
    return _issue(path, "SUB09", reason=fragment("SUB09.not_workbook"))


def reason_ru(exc: BaseException) -> str:
    """What a reader's failure means, in Russian (library errors are English and technical)."""
    text = f"{type(exc).__name__} {exc}".lower()
    if "zip" in text or "deflate" in text or "crc" in text:
        return fragment("SUB09.zip")
    if "xml" in text or "entity" in text or "utf" in text or "encoding" in text:
        return fragment("SUB09.xml")
    if "panic" in text:
        return fragment("SUB09.reader_failed")
    if "cfb" in text or "ole" in text or "biff" in text or "xls" in text:
        return fragment("SUB09.old_xls")
    return fragment("SUB09.unknown")
