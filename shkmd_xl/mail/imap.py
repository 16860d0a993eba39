"""Fetch the office mailbox over IMAP into a period's inbox folder.

Each message is saved as .eml exactly as the server serves it, written atomically
(a half-written file never appears in the inbox), dated by the server's arrival time,
and recorded in the store (mailbox, UIDVALIDITY, UID, Message-ID, content hash) once it
is on disk — written by a background thread while the next message downloads: a rerun, a resumed run after a cut connection, or a run after the mailbox was
rebuilt (a new UIDVALIDITY) never fetches a message twice.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email.utils
import hashlib
import imaplib
import os
import re
import ssl
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import public_mode
from ..store.mail import Fetched, MailLog
from ..store.sqlite import Store
from .connection import MailError, connecting, tls_context
from .settings import MailSettings, Server

Progress = Callable[[str, int, int], None]

#: Where a message being written lives until it is complete (beside the inbox, never in it).
PARTIAL = ".tmp-почта"
TIMEOUT = 60.0
RECONNECTS = 2


def imap_utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3): «Обработано» -> «&BB4EMQ…-»."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            raw = "".join(run).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode().rstrip("=").replace("/", ",") + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def _quoted(name: str) -> str:
    return '"' + imap_utf7(name).replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class FetchResult:
    total: int = 0  # messages in the folder
    fetched: list[Path] = field(default_factory=list)
    known: int = 0  # fetched before
    vanished: int = 0  # deleted between the listing and the download
    moved: int = 0
    rebuilt: bool = False  # UIDVALIDITY changed since the last run
    reconnected: int = 0
    notes: list[str] = field(default_factory=list)  # catalogue keys of what to tell


def connect(server: Server, password: str, cafile: Path | None) -> imaplib.IMAP4:
    """A logged-in IMAP session (implicit TLS or STARTTLS, the certificate verified)."""
    ctx = tls_context(cafile)
    where = {"host": server.host, "port": server.port}
    with connecting(server, (OSError, imaplib.IMAP4.error)):
        if server.security == "ssl":
            client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                server.host, server.port, ssl_context=ctx, timeout=TIMEOUT
            )
        else:
            client = imaplib.IMAP4(server.host, server.port, timeout=TIMEOUT)
            client.starttls(ctx)
    user, secret = server.user.encode("utf-8"), password.encode("utf-8")
    try:  # AUTHENTICATE PLAIN: a UTF-8 password as RFC 4616 says (LOGIN is ASCII only)
        if "AUTH=PLAIN" in client.capabilities:
            client.authenticate("PLAIN", lambda _: b"\0" + user + b"\0" + secret)
        else:
            client._encoding = "utf-8"  # type: ignore[attr-defined]
            client.login(server.user, password)
    except imaplib.IMAP4.abort:
        raise MailError("mail.unreachable", **where) from None
    except imaplib.IMAP4.error:
        with contextlib.suppress(Exception):
            client.shutdown()
        raise MailError("mail.wrong_password", user=server.user, **where) from None
    return client


def _select(client: imaplib.IMAP4, folder: str, readonly: bool) -> int:
    typ, _ = client.select(_quoted(folder), readonly=readonly)
    if typ != "OK":
        raise MailError("mail.no_folder", folder=folder)
    validity = client.untagged_responses.get("UIDVALIDITY", [b"0"])[-1]
    return int(validity) if isinstance(validity, bytes | str) and validity else 0


_HEAD = re.compile(rb"UID (\d+)|RFC822\.SIZE (\d+)|INTERNALDATE \"([^\"]+)\"")


@dataclass(frozen=True)
class Listed:
    uid: int
    size: int
    arrived: dt.datetime | None
    message_id: str


def _header_value(raw: bytes, name: bytes) -> str:
    """A header's value from raw header lines, whatever their encoding (broken ones too)."""
    text = raw.decode("utf-8", "replace") if raw else ""
    match = re.search(rf"(?im)^{name.decode()}:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)", text)
    return " ".join(match.group(1).split()) if match else ""


def _listing(client: imaplib.IMAP4) -> list[Listed]:
    typ, data = client.uid(
        "FETCH", "1:*", "(UID RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
    )
    if typ != "OK":
        raise imaplib.IMAP4.abort("listing refused")
    out = []
    for part in data:
        if not isinstance(part, tuple):
            continue
        head, body = part
        uid = size = 0
        arrived = None
        for m in _HEAD.finditer(head):
            if m.group(1):
                uid = int(m.group(1))
            elif m.group(2):
                size = int(m.group(2))
            else:
                with contextlib.suppress(ValueError, TypeError):
                    arrived = email.utils.parsedate_to_datetime(_internaldate(m.group(3).decode()))
        if uid:
            out.append(Listed(uid, size, arrived, _header_value(body, b"Message-ID")))
    return sorted(out, key=lambda x: x.uid)


def _internaldate(value: str) -> str:
    """«17-Jul-1996 02:44:25 -0700» -> an RFC 2822 date the e-mail parser reads."""
    day, time_, zone = value.strip().split(" ")
    d, mon, year = day.split("-")
    return f"{int(d)} {mon} {year} {time_} {zone}"


def _download(client: imaplib.IMAP4, uid: int) -> bytes | None:
    """The message exactly as served, or None when it is gone (deleted meanwhile)."""
    typ, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        return None
    for part in data:
        if isinstance(part, tuple) and re.search(rb"UID %d\b" % uid, part[0]):
            return bytes(part[1])
    for part in data:  # a server that puts UID after the literal
        if isinstance(part, tuple) and b"BODY[]" in part[0]:
            return bytes(part[1])
    return None


def _answers(raw: bytes) -> str:
    """Message-IDs this message answers (In-Reply-To, References), space-separated."""
    cut = [i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i != -1]
    head = raw[: min(cut)] if cut else raw  # the header only (no copy of the body)
    ids: list[str] = []
    for name in (b"In-Reply-To", b"References"):
        for mid in re.findall(r"<[^<>\s]+>", _header_value(head, name)):
            if mid not in ids:
                ids.append(mid)
    return " ".join(ids)


def file_name(listed: Listed, validity: int) -> str:
    when = listed.arrived.astimezone() if listed.arrived else dt.datetime.now()
    return f"{when:%Y-%m-%d_%H-%M-%S}_{validity}-{listed.uid}.eml"


def _write(data: bytes, target: Path, arrived: dt.datetime | None) -> None:
    """Write ``data`` as ``target`` all at once: a temporary file beside the inbox (never
    in it, where collect would read it), then a rename into the inbox."""
    partial = target.parent.parent / PARTIAL
    partial.mkdir(parents=True, exist_ok=True)
    tmp = partial / (target.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    public_mode(tmp)
    if arrived is not None:  # the inbox dates a file by when the server received it
        stamp = arrived.timestamp()
        os.utime(tmp, (stamp, stamp))
    os.replace(tmp, target)


class _Saver:
    """Messages written to the inbox by a background thread while the next one downloads
    (the write and its ``fsync`` release the GIL); each is recorded in the store only
    once it is on disk, in the order fetched."""

    def __init__(self, log: MailLog):
        self.log = log
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="inbox")
        self.pending: deque[tuple[Future[None], Fetched, Path]] = deque()

    def save(self, data: bytes, target: Path, arrived: dt.datetime | None, record: Fetched) -> None:
        self.pending.append((self.thread.submit(_write, data, target, arrived), record, target))
        self.settle(keep=2)  # a few messages in memory at most

    def settle(self, keep: int | None = None) -> None:
        """Record the written messages, and with ``keep`` wait until no more than that
        many are left (0: all); a failed write raises MailError «mail.disk» here (a full
        disk is not a cut connection: reconnecting would not help)."""
        while self.pending and (
            self.pending[0][0].done() or (keep is not None and len(self.pending) > keep)
        ):
            job, record, target = self.pending[0]
            try:
                job.result()
            except OSError as exc:
                raise MailError(
                    "mail.disk", folder=str(target.parent), error=exc.strerror or str(exc)
                ) from None
            self.pending.popleft()
            self.log.add_fetched(record)

    def close(self) -> None:
        """After a fault: record what was written, leave the rest to the rerun."""
        self.thread.shutdown(wait=True)
        while self.pending:
            job, record, _ = self.pending.popleft()
            if job.exception() is None:
                self.log.add_fetched(record)


def sweep_partial(inbox: Path) -> None:
    """Remove what a killed fetch left half-written (beside the inbox)."""
    partial = inbox.parent / PARTIAL
    if partial.is_dir():
        for path in partial.iterdir():
            with contextlib.suppress(OSError):
                path.unlink()
        with contextlib.suppress(OSError):
            partial.rmdir()


def fetch(
    settings: MailSettings,
    password: str,
    period: str,
    inbox: Path,
    store_path: Path,
    *,
    cafile: Path | None = None,
    progress: Progress | None = None,
) -> FetchResult:
    """Download the folder's messages not fetched before into ``inbox``; move them to the
    processed folder when the settings name one. Raises MailError on a fault (what was
    downloaded before it is kept and recorded)."""
    inbox.mkdir(parents=True, exist_ok=True)
    sweep_partial(inbox)
    server = settings.imap
    account, folder = server.account, settings.folder
    result = FetchResult()
    store = Store(store_path)
    log = MailLog(store)
    client = connect(server, password, cafile)
    saver = _Saver(log)
    try:
        validity = _select(client, folder, readonly=not settings.processed_folder)
        listed = _listing(client)
        result.total = len(listed)
        known = log.known_uids(account, folder, validity)
        rebuilt = log.other_validities(account, folder, validity)
        result.rebuilt = rebuilt and not known
        todo = [x for x in listed if x.uid not in known]
        result.known = len(listed) - len(todo)
        done: list[int] = []  # UIDs saved or known (to move to the processed folder)
        done += [x.uid for x in listed if x.uid in known]
        i = 0
        attempts = 0
        while i < len(todo):
            item = todo[i]
            try:
                outcome = _one(
                    client, item, validity, account, folder, period, inbox, saver, rebuilt
                )
            except (imaplib.IMAP4.abort, OSError, ssl.SSLError):
                attempts += 1
                if attempts > RECONNECTS:
                    raise MailError("mail.cut", done=len(result.fetched), total=len(todo)) from None
                with contextlib.suppress(Exception):
                    client.shutdown()
                time.sleep(0.5 * attempts)
                try:
                    client = connect(server, password, cafile)
                    if _select(client, folder, not settings.processed_folder) != validity:
                        raise MailError("mail.rebuilt_during")
                except MailError as exc:
                    if exc.key == "mail.rebuilt_during":
                        raise
                    raise MailError("mail.cut", done=len(result.fetched), total=len(todo)) from None
                result.reconnected += 1
                continue
            if outcome is None:
                result.vanished += 1
            elif isinstance(outcome, Path):
                result.fetched.append(outcome)
                done.append(item.uid)
            else:
                result.known += 1
                done.append(item.uid)
            i += 1
            if progress:
                progress(file_name(item, validity), i, len(todo))
        saver.settle(keep=0)  # every message on disk and recorded before moving
        if settings.processed_folder and done:
            result.moved = _move(client, sorted(done), settings.processed_folder)
    except (imaplib.IMAP4.abort, OSError, ssl.SSLError):
        # cut while listing or moving (the downloads have their own reconnects): what
        # was saved is recorded; a rerun goes on
        raise MailError("mail.cut", done=len(result.fetched), total=result.total) from None
    except imaplib.IMAP4.error as exc:  # a command the server refused outright
        raise MailError("mail.server_refused", error=str(exc)) from None
    finally:
        saver.close()
        with contextlib.suppress(Exception):
            client.logout()
        store.close()
        sweep_partial(inbox)
    if result.rebuilt:
        result.notes.append("mail.rebuilt")
    if result.vanished:
        result.notes.append("mail.vanished")
    return result


def _one(
    client: imaplib.IMAP4,
    item: Listed,
    validity: int,
    account: str,
    folder: str,
    period: str,
    inbox: Path,
    saver: _Saver,
    rebuilt: bool,
) -> Path | bool | None:
    """Fetch one message: its path when saved, True when known from before the mailbox
    was rebuilt, None when it is gone."""
    log = saver.log
    if rebuilt:  # what this run fetched so far is looked up too
        saver.settle(keep=0)
    if (
        rebuilt
        and item.message_id
        and log.fetched_by_id(account, folder, item.message_id, item.size)
    ):
        data = None  # known by its Message-ID and size: record the new UID only
        sha = ""
    else:
        data = _download(client, item.uid)
        if data is None:
            return None
        sha = hashlib.sha256(data).hexdigest()
    name = file_name(item, validity)
    if data is None or (rebuilt and log.fetched_by_hash(account, folder, sha)):
        log.add_fetched(
            Fetched(
                account, folder, validity, item.uid, item.message_id, item.size, sha, period, "", ""
            )
        )
        return True
    target = inbox / name
    saver.save(
        data,
        target,
        item.arrived,
        Fetched(
            account,
            folder,
            validity,
            item.uid,
            item.message_id,
            len(data),
            sha,
            period,
            str(target),
            _answers(data),
        ),
    )
    return target


def _move(client: imaplib.IMAP4, uids: list[int], folder: str) -> int:
    """Move the messages to ``folder`` (created when absent): MOVE, else COPY + expunge."""
    name = _quoted(folder)
    client.create(name)  # «already exists» is fine
    moved = 0
    for start in range(0, len(uids), 200):
        chunk = ",".join(str(u) for u in uids[start : start + 200])
        if "MOVE" in client.capabilities:
            typ, _ = client.uid("MOVE", chunk, name)
        else:
            typ, _ = client.uid("COPY", chunk, name)
            if typ == "OK":
                client.uid("STORE", chunk, "+FLAGS.SILENT", r"(\Deleted)")
                if "UIDPLUS" in client.capabilities:
                    client.uid("EXPUNGE", chunk)
                else:
                    client.expunge()
        if typ != "OK":
            raise MailError("mail.move_failed", folder=folder)
        moved += len(uids[start : start + 200])
    return moved
