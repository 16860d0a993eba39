"""Opening a received file safely: format sniffing, encryption, macros, corruption."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from ..issues import Issue, Location

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
#: Refuse members that inflate beyond this or with a suspicious ratio (zip bombs).
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


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


def _check_zip(path: Path, opened: Opened) -> bool:
    """Zip sanity before any XML is parsed; note macros; read custom properties."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            for info in z.infolist():
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MAX_MEMBER_BYTES or (
                    info.file_size > 1_000_000 and ratio > MAX_RATIO
                ):
                    opened.issues.append(
                        _issue(
                            path,
                            "SUB09",
                            reason=(
                                f"часть «{info.filename}» распаковывается в "
                                f"{info.file_size // 1_000_000} МБ — файл отклонён как опасный"
                            ),
                        )
                    )
                    return False
            lowered = [n.lower() for n in names]
            if any(n.endswith("vbaproject.bin") or n.startswith("basic/") for n in lowered):
                opened.issues.append(_issue(path, "SUB11"))
            if "docProps/custom.xml" in names:
                opened.custom = _custom_properties(z.read("docProps/custom.xml"))
    except zipfile.BadZipFile as exc:
        opened.issues.append(_issue(path, "SUB09", reason=f"архив повреждён: {exc}"))
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


def open_workbook(path: Path) -> Opened:
    """Open ``path`` with python-calamine; every failure becomes a finding."""
    opened = Opened(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        opened.issues.append(_issue(path, "SUB09", reason=exc.strerror or str(exc)))
        return opened
    if size == 0:
        opened.issues.append(_issue(path, "SUB09", "empty"))
        return opened
    suffix = path.suffix.lower().lstrip(".")
    if head.startswith(OLE_MAGIC):
        with path.open("rb") as fh:
            body = _ole_streams(fh.read(min(size, 4_000_000)))
        if b"EncryptedPackage" in body or b"EncryptionInfo" in body:
            opened.issues.append(_issue(path, "SUB08"))
            return opened
        opened.kind = "xls"
        if b"_VBA_PROJECT" in body:
            opened.issues.append(_issue(path, "SUB11"))
    elif head.startswith(ZIP_MAGIC):
        if not _check_zip(path, opened):
            return opened
        opened.kind = "ods" if suffix == "ods" else ("xlsm" if suffix == "xlsm" else "xlsx")
    else:
        opened.issues.append(_issue(path, "SUB09", reason="это не книга Excel или OpenDocument"))
        return opened
    try:
        opened.book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        opened.issues.append(_issue(path, "SUB08"))
    except Exception as exc:  # CalamineError, ZipError, XmlError, ValueError…
        opened.issues.append(_issue(path, "SUB09", reason=_reason(exc)))
    if opened.ok and opened.kind in ("xls", "ods"):
        opened.issues.append(_issue(path, "SUB10", format="." + opened.kind))
    return opened


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
