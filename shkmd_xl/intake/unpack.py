"""Folder / zip / .eml / .msg -> candidate workbooks with their provenance.

Nothing here writes a received name to disk: files are archived under their
content hash (see :mod:`shkmd_xl.intake.archive`), so a name like
``../../x.xlsx`` can never escape the archive folder.
"""

from __future__ import annotations

import binascii
import datetime as dt
import email
import io
import zipfile
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path, PurePosixPath
from typing import Any

from ..messages import render
from ..names import decode_name, readable
from .items import Candidate, Item, Other, Refused, safe_name, safe_path
from .sniff import EXTENSION, WORKBOOKS, sniff

WORKBOOK_EXTS = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CONTAINER_EXTS = {".zip", ".eml", ".msg"}
MAX_FILE_BYTES = 50 * 1024 * 1024  # a workbook larger than this is refused
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2000
MAX_DEPTH = 4


def _is_report(item: Item) -> bool:
    return isinstance(item, Candidate)


def _ext(name: str) -> str:
    return PurePosixPath(safe_name(name).lower()).suffix


def _zip_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # zipfile decoded a legacy name as cp437; Russian Windows wrote cp866 or cp1251
        return decode_name(info.filename.encode("cp437"))
    except UnicodeEncodeError:
        return info.filename


def _not_report(ext: str, name: str, kind: str = "") -> str:
    if safe_name(name).startswith("~$"):
        return render("intake.lock_file")
    if kind in ("empty", "xml2003"):
        return render("intake.not_report", kind=_really(kind))
    what = f"файл {ext}" if ext else "файл без расширения"
    return render("intake.not_report", kind=what)


def _treat(kind: str, ext: str) -> str:
    """How to take a received file: by what it is (``kind``, sniffed), then by its name."""
    if kind in WORKBOOKS:
        return "workbook"
    if kind == "broken zip":  # a damaged workbook or archive: as its name says
        return "workbook" if ext in WORKBOOK_EXTS else "zip"
    if kind in ("zip", "eml", "msg"):
        return kind
    if ext in WORKBOOK_EXTS:
        return "workbook"  # the reader says what it is instead (empty, HTML, CSV, XML 2003)
    if ext in (".eml", ".msg", ".zip"):
        return "misnamed"
    return "other"


def _from_bytes(
    data: bytes, name: str, chain: str, sender: str, when: dt.datetime, depth: int
) -> Iterator[Item]:
    ext = _ext(name)
    shown = safe_path(name) if chain and "/" in name.replace("\\", "/") else safe_name(name)
    here = f"{chain} › {shown}" if chain else shown
    kind = sniff(data)
    treat = _treat(kind, ext)
    if depth > MAX_DEPTH:
        yield Refused(name, here, sender, when, render("intake.too_deep"), data)
    elif safe_name(name).startswith("~$"):
        yield Other(data, safe_name(name), here, sender, when, _not_report(ext, name))
    elif treat == "workbook":
        if len(data) > MAX_FILE_BYTES:
            yield Refused(
                name,
                here,
                sender,
                when,
                render("intake.too_large", megabytes=MAX_FILE_BYTES >> 20),
                data,
            )
        else:
            real = EXTENSION.get(kind, "") if kind in WORKBOOKS else ""
            yield Candidate(data, safe_name(name), here, sender, when, real or ext)
    elif treat == "zip":
        yield from _container(_zip(data, here, sender, when, depth), data, name, here, sender, when)
    elif treat in ("eml", "msg"):
        yield from _mail(data, name, here, depth, treat)
    elif safe_name(name).lower() == "winmail.dat":
        yield Refused(name, here, sender, when, render("intake.winmail"), data)
    elif treat == "misnamed":
        yield Refused(name, here, sender, when, _misnamed(ext, kind), data)
    else:
        yield Other(data, safe_name(name), here, sender, when, _not_report(ext, name, kind))


def _misnamed(ext: str, kind: str) -> str:
    """Why a file named as a letter or an archive is not one: what it really is."""
    what = render(f"intake.named{ext.replace('.', '_')}")
    return render("intake.misnamed", ext=ext, what=what, really=_really(kind))


def _really(kind: str) -> str:
    """What a file is, by its content, in words (the message catalogue)."""
    known = kind if kind in ("empty", "html", "xml2003") else "unknown"
    return render(f"intake.really_{known}")


def _container(
    members: Iterator[Item],
    data: bytes | None,
    name: str,
    chain: str,
    sender: str,
    when: dt.datetime,
    is_mail: bool = False,
) -> Iterator[Item]:
    """What a container held, then the container itself (kept as evidence of receipt)."""
    from ..ru import count

    books = 0
    refused = False
    for item in members:
        books += _is_report(item)
        if isinstance(item, Refused) and item.chain == chain:
            refused = True  # the container itself could not be opened: already reported
            item.data = data
        yield item
    if refused:
        return
    is_mail = is_mail or _ext(name) in (".eml", ".msg")
    if books:
        what = "письмо" if is_mail else "архив"
        outcome = render("intake.books", what=what, books=count(books, "книга", "книги", "книг"))
    else:
        outcome = render("intake.letter_empty" if is_mail else "intake.archive_empty")
    yield Other(data, safe_name(name), chain, sender, when, outcome)


def _zip(data: bytes, chain: str, sender: str, when: dt.datetime, depth: int) -> Iterator[Item]:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        yield Refused(chain, chain, sender, when, render("intake.zip_broken"))
        return
    if len(infos) > MAX_MEMBERS:
        yield Refused(chain, chain, sender, when, render("intake.zip_members", members=MAX_MEMBERS))
        return
    for info in infos:
        name = _zip_name(info)
        if info.is_dir():
            continue
        here = f"{chain} › {safe_path(name)}"
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 1_000_000 and ratio > MAX_RATIO):
            yield Refused(
                name,
                here,
                sender,
                when,
                render("intake.zip_bomb"),
            )
            continue
        if info.flag_bits & 0x1:
            yield Refused(name, here, sender, when, render("intake.zip_password"))
            continue
        try:
            member = z.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
            yield Refused(name, here, sender, when, render("intake.member_broken"))
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


#: Parts of a letter that are its text, not attachments.
_BODY_TYPES = {"text/plain", "text/html", "text/enriched", "text/rtf"}


def _mail(data: bytes, name: str, chain: str, depth: int, kind: str) -> Iterator[Item]:
    """An .eml or .msg (``kind``, by content): its attachments, then the letter itself."""
    opened = _open_eml(data) if kind == "eml" else _open_msg(data)
    if isinstance(opened, str):
        yield Refused(name, chain, "", dt.datetime.now().replace(microsecond=0), opened, data)
        return
    msg, sender, when, members = opened
    try:
        yield from _container(
            members(msg, chain, sender, when, depth), data, name, chain, sender, when, True
        )
    finally:
        if hasattr(msg, "close"):
            msg.close()


Opened = tuple[Any, str, dt.datetime, Callable[..., Iterator[Item]]]


#: A base64 body at least this large is stood in for while the letter is parsed.
BIG_BODY = 64 * 1024
HEADER_WINDOW = 64 * 1024
_TOKEN = "SHKMDBODY{:08d}"
_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CTE = b"content-transfer-encoding:"


def _big_bodies(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each large base64 body: after the blank line ending a part's
    header that says «Content-Transfer-Encoding: base64», up to the line end before the
    next line starting «--» (a boundary: base64 has no «-»). Only bodies made of base64
    lines; found with ``bytes.find`` (C speed, no per-line work in Python)."""
    lower = data.lower()
    out: list[tuple[int, int]] = []
    at = lower.find(_CTE)
    while at != -1:
        line_end = lower.find(b"\n", at)
        value = lower[at + len(_CTE) : line_end if line_end != -1 else len(lower)].strip()
        after = at + 1
        if at > 0 and lower[at - 1 : at] == b"\n" and value == b"base64" and line_end != -1:
            window = (at, at + HEADER_WINDOW)  # a part's header ends near its fields
            ends = [
                i for i in (data.find(b"\n\n", *window), data.find(b"\n\r\n", *window)) if i != -1
            ]
            if ends:
                start = min(ends) + (2 if data[min(ends) + 1 : min(ends) + 2] == b"\n" else 3)
                stop = data.find(b"\n--", start)
                nxt = lower.find(_CTE, at + 1, stop)
                if stop != -1 and nxt == -1:
                    end = stop - 1 if data[stop - 1 : stop] == b"\r" else stop
                    body = data[start:end]
                    if len(body) >= BIG_BODY and not body.translate(None, _B64 + b"=\r\n"):
                        out.append((start, end))
                        after = stop
        at = lower.find(_CTE, after)
    return out


def _decoded(body: bytes) -> bytes | None:
    """A base64 body decoded as ``get_payload(decode=True)`` decodes it, when it is
    plain (padding only at its end, whole quanta); None: let the stdlib decode it."""
    if b"=" in body.rstrip(b"\r\n="):
        return None
    try:  # a broken quantum raises here (the stdlib pads it: its result then)
        return binascii.a2b_base64(body)
    except binascii.Error:
        return None


def _parse_eml(data: bytes) -> Any:
    """Python's parser goes line by line through every base64 line of an attachment,
    and decoding joins the lines again (0.1–0.3 s for a 4 MB letter). A large letter
    is parsed with each large base64 body stood in for by a token line; each body is
    then put back into its part's payload as it was, and decoded once in C (kept on the
    part for :func:`_payload`): the same message and bytes, in milliseconds. Any
    doubt: the plain parse."""
    runs = _big_bodies(data) if len(data) > BIG_BODY and b"SHKMDBODY" not in data else []
    if not runs:
        return email.message_from_bytes(data, policy=policy.default)
    pieces, last, originals = [], 0, {}
    for i, (start, end) in enumerate(runs):
        token = _TOKEN.format(i)
        pieces += [data[last:start], token.encode()]
        originals[token] = data[start:end]
        last = end
    pieces.append(data[last:])
    msg = email.message_from_bytes(b"".join(pieces), policy=policy.default)
    restored = 0
    for part in msg.walk():
        payload = part.get_payload()
        if not isinstance(payload, str) or "SHKMDBODY" not in payload:
            continue
        token = payload.strip()
        if token not in originals:  # not a part's whole body: parse it plainly
            return email.message_from_bytes(data, policy=policy.default)
        body = originals[token]
        part.set_payload(payload.replace(token, body.decode("ascii")))
        part._shkmd_bytes = _decoded(body)  # type: ignore[attr-defined]
        restored += 1
    if restored != len(originals):  # a token not where it was put: parse it plainly
        return email.message_from_bytes(data, policy=policy.default)
    return msg


def _payload(part: Any) -> Any:
    """A part's decoded bytes: decoded at parse time for a large base64 body."""
    decoded = getattr(part, "_shkmd_bytes", None)
    if decoded is not None and part.get("Content-Transfer-Encoding", "").strip().lower() == (
        "base64"
    ):
        return decoded
    return part.get_payload(decode=True)


def _open_eml(data: bytes) -> Opened | str:
    try:
        msg = _parse_eml(data)
        sender = parseaddr(str(msg.get("From", "")))[1].lower()
    except Exception:  # the parser is lenient; this is a last guard
        return render("intake.mail_broken")
    when = _eml_date(msg) or dt.datetime.now().replace(microsecond=0)
    return msg, sender, when, _eml_parts


def _eml_parts(
    msg: EmailMessage, chain: str, sender: str, when: dt.datetime, depth: int
) -> Iterator[Item]:
    for number, part in enumerate(msg.walk(), 1):
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        try:
            name = part.get_filename()
        except Exception:
            name = None
        attached = (part.get_content_disposition() or "") == "attachment"
        if not name:
            if part.get_content_type() in _BODY_TYPES and not attached:
                continue  # the letter's text
            name = f"вложение_{number}_без_имени"
        try:
            payload = _payload(part)
        except Exception:
            payload = None
        if not isinstance(payload, bytes):
            yield Refused(
                name,
                f"{chain} › {safe_name(name)}",
                sender,
                when,
                render("intake.undecodable"),
            )
            continue
        yield from _from_bytes(payload, name, chain, sender, when, depth + 1)


def _open_msg(data: bytes) -> Opened | str:
    try:
        import extract_msg

        msg: Any = extract_msg.openMsg(data)
    except Exception:
        return render("intake.msg_broken")
    try:
        sender = parseaddr(str(msg.sender or ""))[1].lower()
        when = msg.date
    except Exception:
        sender, when = "", None
    if isinstance(when, dt.datetime) and when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    if not isinstance(when, dt.datetime):
        when = dt.datetime.now().replace(microsecond=0)
    return msg, sender, when, _msg_attachments


def _msg_attachments(
    msg: Any, chain: str, sender: str, when: dt.datetime, depth: int
) -> Iterator[Item]:
    """Files attached to an Outlook message, and to messages attached to it (any depth)."""
    for number, att in enumerate(msg.attachments, 1):
        try:
            inner = getattr(att, "data", None)
        except Exception:
            inner = None
        name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or ""
        if isinstance(inner, bytes):
            yield from _from_bytes(
                inner, name or f"вложение_{number}_без_имени", chain, sender, when, depth + 1
            )
        elif inner is not None and hasattr(inner, "attachments"):  # an attached message
            label = safe_name(name or str(getattr(inner, "subject", None) or "письмо"))
            here = f"{chain} › {label}"
            if depth + 1 > MAX_DEPTH:
                yield Refused(label, here, sender, when, render("intake.too_deep_mail"))
                continue
            # every nested letter is an item of its own, after what it held
            members = _msg_attachments(inner, here, sender, when, depth + 1)
            yield from _container(members, None, label, here, sender, when, is_mail=True)
        else:
            label = name or f"вложение_{number}_без_имени"
            yield Refused(
                label,
                f"{chain} › {safe_name(label)}",
                sender,
                when,
                render("intake.unreadable_attachment"),
            )


def scan(inbox: Path) -> Iterator[Item]:
    """Every file found in ``inbox`` (recursively, through containers), in name order.

    Nothing received is dropped: a file that is no report comes back as ``Other``.
    """
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        when = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
        # every part of the name decoded as the OS gave it (cp1251/cp866 bytes on Linux)
        rel = readable(path.relative_to(inbox).as_posix())
        name = readable(path.name)
        if path.stat().st_size > MAX_MEMBER_BYTES:
            yield Refused(name, rel, "", when, render("intake.too_large_inbox"), source=path)
            continue
        data = path.read_bytes()
        parent = str(PurePosixPath(rel).parent)
        yield from _from_bytes(data, name, "" if parent == "." else parent, "", when, 0)
