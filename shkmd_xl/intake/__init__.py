"""Folder / zip / .eml / .msg -> candidate workbooks with their provenance.

Nothing here writes a received name to disk: files are archived under their
content hash (see :mod:`shkmd_xl.intake.archive`), so a name like
``../../x.xlsx`` can never escape the archive folder.
"""

from __future__ import annotations

import datetime as dt
import email
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path, PurePosixPath
from typing import Any

WORKBOOK_EXTS = {".xlsx", ".xlsm", ".xls", ".ods"}
CONTAINER_EXTS = {".zip", ".eml", ".msg"}
MAX_FILE_BYTES = 50 * 1024 * 1024  # a workbook larger than this is refused
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2000
MAX_DEPTH = 4


@dataclass
class Candidate:
    """A received workbook (bytes) and where it came from."""

    data: bytes
    name: str  # original file name, for people only
    chain: str  # "письмо.eml › архив.zip › Отчёт.xlsx"
    sender: str
    received_at: dt.datetime


@dataclass
class Refused:
    """Something received that is not processed, with the reason (Russian)."""

    name: str
    chain: str
    sender: str
    received_at: dt.datetime
    reason: str


Item = Candidate | Refused


def safe_name(name: str) -> str:
    """A received name made harmless for display: last path part, no control chars."""
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return (name.strip(" .") or "без_имени")[:120]


def _ext(name: str) -> str:
    return PurePosixPath(safe_name(name).lower()).suffix


def _zip_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # zipfile decoded a legacy name as cp437; Russian Windows wrote cp866
        return info.filename.encode("cp437").decode("cp866")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _from_bytes(
    data: bytes, name: str, chain: str, sender: str, when: dt.datetime, depth: int
) -> Iterator[Item]:
    ext = _ext(name)
    here = f"{chain} › {safe_name(name)}" if chain else safe_name(name)
    if depth > MAX_DEPTH:
        yield Refused(name, here, sender, when, "слишком глубокая вложенность архивов")
    elif ext in WORKBOOK_EXTS:
        if len(data) > MAX_FILE_BYTES:
            yield Refused(name, here, sender, when, f"файл больше {MAX_FILE_BYTES >> 20} МБ")
        else:
            yield Candidate(data, safe_name(name), here, sender, when)
    elif ext == ".zip":
        yield from _zip(data, here, sender, when, depth)
    elif ext == ".eml":
        yield from _eml(data, here, depth)
    elif ext == ".msg":
        yield from _msg(data, here, depth)
    elif safe_name(name).lower() == "winmail.dat":
        yield Refused(
            name,
            here,
            sender,
            when,
            "вложение winmail.dat (формат Outlook TNEF) не поддерживается — попросите "
            "прислать файл обычным вложением",
        )


def _zip(data: bytes, chain: str, sender: str, when: dt.datetime, depth: int) -> Iterator[Item]:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Refused(chain, chain, sender, when, f"архив повреждён ({exc})")
        return
    if len(infos) > MAX_MEMBERS:
        yield Refused(chain, chain, sender, when, f"в архиве больше {MAX_MEMBERS} файлов")
        return
    for info in infos:
        name = _zip_name(info)
        if info.is_dir() or _ext(name) not in WORKBOOK_EXTS | CONTAINER_EXTS:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 1_000_000 and ratio > MAX_RATIO):
            yield Refused(
                name,
                f"{chain} › {safe_name(name)}",
                sender,
                when,
                "подозрительно сильное сжатие или слишком большой размер — не открыт",
            )
            continue
        if info.flag_bits & 0x1:
            yield Refused(
                name, f"{chain} › {safe_name(name)}", sender, when, "файл в архиве защищён паролем"
            )
            continue
        try:
            member = z.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
            yield Refused(
                name,
                f"{chain} › {safe_name(name)}",
                sender,
                when,
                f"не удалось распаковать ({exc})",
            )
            continue
        yield from _from_bytes(member, name, chain, sender, when, depth + 1)


def _eml_date(msg: EmailMessage) -> dt.datetime | None:
    try:
        when = parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
    except (TypeError, ValueError):
        return None
    if when is not None and when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when


def _eml(data: bytes, chain: str, depth: int) -> Iterator[Item]:
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
    except Exception as exc:  # the parser is lenient; this is a last guard
        yield Refused(chain, chain, "", dt.datetime.now(), f"письмо не читается ({exc})")
        return
    sender = parseaddr(str(msg.get("From", "")))[1].lower()
    when = _eml_date(msg) or dt.datetime.now().replace(microsecond=0)
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if not name:
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        if not isinstance(payload, bytes):
            continue
        yield from _from_bytes(payload, name, chain, sender, when, depth + 1)


def _msg(data: bytes, chain: str, depth: int) -> Iterator[Item]:
    try:
        import extract_msg

        msg: Any = extract_msg.openMsg(data)
    except Exception as exc:
        yield Refused(chain, chain, "", dt.datetime.now(), f"письмо Outlook не читается ({exc})")
        return
    try:
        sender = parseaddr(str(msg.sender or ""))[1].lower()
        when = msg.date
        if isinstance(when, dt.datetime) and when.tzinfo is not None:
            when = when.astimezone().replace(tzinfo=None)
        if not isinstance(when, dt.datetime):
            when = dt.datetime.now().replace(microsecond=0)
        yield from _msg_attachments(msg, chain, sender, when, depth)
    finally:
        msg.close()


def _msg_attachments(
    msg: Any, chain: str, sender: str, when: dt.datetime, depth: int
) -> Iterator[Item]:
    """Files attached to an Outlook message, and to messages attached to it (any depth)."""
    for att in msg.attachments:
        inner = getattr(att, "data", None)
        name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or ""
        if isinstance(inner, bytes) and name:
            yield from _from_bytes(inner, name, chain, sender, when, depth + 1)
        elif inner is not None and hasattr(inner, "attachments"):  # an attached message
            here = f"{chain} › {name or getattr(inner, 'subject', None) or 'письмо'}"
            if depth + 1 > MAX_DEPTH:
                yield Refused(name, here, sender, when, "слишком глубокая вложенность писем")
                continue
            yield from _msg_attachments(inner, here, sender, when, depth + 1)


def scan(inbox: Path) -> Iterator[Item]:
    """Every workbook found in ``inbox`` (recursively, through containers), in name order."""
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        ext = path.suffix.lower()
        if ext not in WORKBOOK_EXTS | CONTAINER_EXTS and path.name.lower() != "winmail.dat":
            continue
        when = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
        rel = path.relative_to(inbox).as_posix()
        if path.stat().st_size > MAX_MEMBER_BYTES:
            yield Refused(path.name, rel, "", when, "файл слишком большой — не открыт")
            continue
        data = path.read_bytes()
        parent = str(PurePosixPath(rel).parent)
        yield from _from_bytes(data, path.name, "" if parent == "." else parent, "", when, 0)
