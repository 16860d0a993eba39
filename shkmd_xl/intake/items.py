"""What intake yields for each thing received (a workbook, a refusal, other evidence),
and received names made harmless for display."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass
class Candidate:
    """A received workbook (bytes) and where it came from."""

    data: bytes
    name: str  # original file name, for people only
    chain: str  # "письмо.eml › архив.zip › Отчёт.xlsx"
    sender: str
    received_at: dt.datetime
    ext: str = ""  # what it is by content (a workbook named «.eml» is «.xlsx» here)


@dataclass
class Refused:
    """Something received that is not processed, with the reason (Russian)."""

    name: str
    chain: str
    sender: str
    received_at: dt.datetime
    reason: str
    data: bytes | None = None  # archived as evidence when the bytes are there
    source: Path | None = None  # a file of the inbox too large to read: archived from disk


@dataclass
class Other:
    """Something received that is kept as evidence but is no report: an e-mail or an
    archive (after what it held), a PDF, a picture, an Excel lock file."""

    data: bytes | None  # None: a letter attached inside an Outlook message (no own bytes)
    name: str
    chain: str
    sender: str
    received_at: dt.datetime
    outcome: str  # Russian, for «Источники»


Item = Candidate | Refused | Other
#: A received name is shown in full («Источники»: a cell holds 32 767 characters);
#: only an absurd one is cut (the archive stores files under their hash anyway).
NAME_LIMIT = 1000


def safe_name(name: str) -> str:
    """A received name made harmless for display: last path part, no control chars."""
    name = name.replace("\\", "/").split("/")[-1]
    # control characters shown as their pictures, not dropped: «x␁.csv» is not «x.csv»
    name = "".join(
        ch if ch.isprintable() else chr(0x2400 + ord(ch)) if ord(ch) < 32 else "\ufffd"
        for ch in name
        if ch not in '<>:"|?*'
    )
    name = name.strip(" .") or "без_имени"
    if len(name) <= NAME_LIMIT:
        return name
    suffix = PurePosixPath(name).suffix
    if not 1 < len(suffix) <= 10:  # not a real extension: cut the name as it is
        return name[:NAME_LIMIT]
    return name[: NAME_LIMIT - len(suffix)].rstrip(" .") + suffix


def safe_path(name: str) -> str:
    """A member's path inside an archive, for display: its folders kept («a/readme.txt»
    and «b/readme.txt» are different items), each part made harmless."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return "/".join(safe_name(p) for p in parts) or safe_name(name)
