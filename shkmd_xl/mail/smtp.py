"""Send the letters collect prepared (feedback and reminders) over SMTP.

Each letter once: the store logs it (Message-ID, recipients, subject, status, time, the
server's reply) under the state of the report it answers; a rerun sends only what is
new or failed. A letter whose municipality's state changed since it was made is made
again from the store first, never sent stale. Recipients come from the campaign's
registry (a missing or invalid address is the finding ML01 — campaign/addresses.py —
logged, told and shown in the regional workbook; the other letters go on). A
temporary refusal (4xx) is retried with a growing pause; a permanent one (5xx) is
logged and shown in the regional workbook («Письма»).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email
import email.policy
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from ..campaign.addresses import address_findings, check_address, coordinator_addresses
from ..campaign.models import Campaign
from ..consolidate.consolidation import consolidate
from ..feedback.letters import (
    KIND_HEADER,
    LETTER_POLICY,
    MUNICIPALITY_HEADER,
    REMINDER,
    STATE_HEADER,
    state_of,
)
from ..issues import Issue
from ..store.folder import work_paths
from ..store.mail import FAILED, NO_ADDRESS, SENT, TEMPORARY, MailLog, now
from ..store.sqlite import Store
from .connection import MailError, connecting, tls_context
from .settings import MailSettings, Server

Progress = Callable[[str, int, int], None]
TIMEOUT = 60.0
#: Attempts of one letter on temporary errors (4xx, a dropped connection).
ATTEMPTS = 4


def valid_address(address: str) -> bool:
    return check_address(address).ok


@dataclass
class Letter:
    """One prepared letter and what to do with it."""

    draft: Path
    municipality: str
    name: str
    kind: str
    state: str
    subject: str
    recipients: list[str]
    invalid: list[str]
    attachments: list[str]
    action: str  # send / resend / sent / no_address / stale
    message: EmailMessage | None = None
    #: ML01: the coordinator's addresses no letter can go to, or none at all
    findings: list[Issue] = field(default_factory=list)


@dataclass
class SendResult:
    letters: list[Letter] = field(default_factory=list)
    sent: int = 0
    failed: list[tuple[Letter, str]] = field(default_factory=list)  # (letter, reply)
    no_address: list[Letter] = field(default_factory=list)
    stale: list[Letter] = field(default_factory=list)
    already: int = 0
    remade: bool = False


def _read(draft: Path) -> EmailMessage:
    with draft.open("rb") as fh:
        msg = email.message_from_binary_file(fh, policy=LETTER_POLICY)
    assert isinstance(msg, EmailMessage)
    return msg


def _current_states(store: Store, campaign: Campaign, period: str) -> dict[str, str]:
    cons = consolidate(store, campaign, period)
    return {st.code: state_of(st) for st in cons.statuses}


def plan(out: Path, period: str, campaign: Campaign, *, remake: bool = True) -> SendResult:
    """The period's prepared letters and what ``send`` would do with each. Letters made
    for a state that is no longer current are made again first (``remake``)."""
    folder = work_paths(out)["feedback"] / period
    store_path = work_paths(out)["store"]
    if not store_path.exists():
        raise MailError("mail.no_letters", folder=folder)
    result = SendResult()
    for attempt in (1, 2):
        store = Store(store_path)
        try:
            current = _current_states(store, campaign, period)
            log = MailLog(store)
            letters = [_letter(d, campaign, current, log, period) for d in _drafts(folder)]
        finally:
            store.close()
        stale = [x for x in letters if x.action == "stale"]
        if stale and remake and attempt == 1:
            from ..collect import letters_again

            _set_aside(stale, folder)
            letters_again(out, period, campaign)
            result.remade = True
            continue
        break
    result.letters = letters
    return result


#: Where letters made for a state that is no longer current are put (never sent).
OUTDATED = "Устаревшие"


def _set_aside(stale: list[Letter], folder: Path) -> None:
    """Move letters made for a past state out of the way (kept, never sent): the letters
    are then made again for the current state."""
    import os

    target = folder / OUTDATED
    target.mkdir(exist_ok=True)
    for letter in stale:
        stamp = dt.datetime.fromtimestamp(letter.draft.stat().st_mtime)
        os.replace(letter.draft, target / f"{letter.draft.stem}_{stamp:%Y-%m-%d_%H-%M-%S}.eml")


def _drafts(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.eml") if not p.name.startswith("."))


def _letter(
    draft: Path, campaign: Campaign, current: dict[str, str], log: MailLog, period: str
) -> Letter:
    msg = _read(draft)
    code = str(msg.get(MUNICIPALITY_HEADER, "") or "").strip()
    kind = str(msg.get(KIND_HEADER, "") or "").strip()
    state = "".join(str(msg.get(STATE_HEADER, "") or "").split())
    known = {m.code: m for m in campaign.municipalities}
    m = known.get(code)
    good, unusable = coordinator_addresses(m) if m else ([], [])
    bad = [x.given for x in unusable]
    attachments = [str(p.get_filename() or "") for p in msg.iter_attachments()]
    letter = Letter(
        draft,
        code,
        m.name if m else code,
        kind,
        state,
        str(msg.get("Subject", "")),
        good,
        bad,
        attachments,
        "send",
        msg,
        address_findings(m) if m else [],
    )
    if m is None or not state or current.get(code) != state:
        letter.action = "stale"
        return letter
    logged = log.letter(period, code, kind, state)
    if logged is not None and logged["status"] == SENT:
        letter.action = "sent"
    elif not good:
        letter.action = NO_ADDRESS
    elif logged is not None:
        letter.action = "resend"
    return letter


def connect(server: Server, password: str, cafile: Path | None) -> smtplib.SMTP:
    """A logged-in SMTP session (implicit TLS or STARTTLS, the certificate verified)."""
    ctx = tls_context(cafile)
    where = {"host": server.host, "port": server.port}
    with connecting(server, (OSError, smtplib.SMTPException)):
        if server.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                server.host, server.port, context=ctx, timeout=TIMEOUT
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
            smtp.starttls(context=ctx)
        smtp.ehlo()
    # AUTH PLAIN with a UTF-8 password (RFC 4616; smtplib's login() encodes it as ASCII)
    token = b"\0" + server.user.encode() + b"\0" + password.encode()
    try:
        code, _ = smtp.docmd("AUTH", "PLAIN " + base64.b64encode(token).decode())
    except (OSError, smtplib.SMTPException):
        raise MailError("mail.unreachable", **where) from None
    if code != 235:
        with contextlib.suppress(Exception):
            smtp.quit()
        raise MailError("mail.wrong_password", user=server.user, **where)
    return smtp


def _outgoing(letter: Letter, sender: str, office: str) -> EmailMessage:
    msg = letter.message
    assert msg is not None
    for name in ("X-Unsent", MUNICIPALITY_HEADER, KIND_HEADER, STATE_HEADER, "From", "To"):
        del msg[name]
    msg["From"] = formataddr((office, sender)) if office else sender
    msg["To"] = ", ".join(letter.recipients)
    del msg["Date"]
    msg["Date"] = format_datetime(dt.datetime.now().astimezone())
    del msg["Message-ID"]
    msg["Message-ID"] = make_msgid("shkmd", domain=sender.rsplit("@", 1)[-1])
    return msg


def _reply(exc: Exception) -> tuple[int, str]:
    """(code, text) of a refusal; code 0 when the connection itself failed."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [(c, r.decode("utf-8", "replace")) for c, r in exc.recipients.values()]
        worst = max(codes, key=lambda x: x[0] // 100)  # a 5xx for anyone is permanent
        return worst
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        return exc.smtp_code, text.decode("utf-8", "replace") if isinstance(text, bytes) else str(
            text
        )
    return 0, str(exc) or type(exc).__name__


def send(
    settings: MailSettings,
    password: str,
    campaign: Campaign,
    period: str,
    out: Path,
    *,
    cafile: Path | None = None,
    progress: Progress | None = None,
    backoff: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
    planned: SendResult | None = None,
) -> SendResult:
    """Send every letter of the plan that is new or failed before; log each at once."""
    if settings.smtp is None:
        raise MailError("mail.settings_missing", path=settings.path, setting="[smtp]")
    given = settings.sender or campaign.office_email
    sender = check_address(given).address
    if not sender:
        raise MailError("mail.no_sender", path=settings.path, sender=given or "—")
    result = planned or plan(out, period, campaign)
    todo = [x for x in result.letters if x.action in ("send", "resend")]
    result.already = sum(1 for x in result.letters if x.action == "sent")
    result.stale = [x for x in result.letters if x.action == "stale"]
    store = Store(work_paths(out)["store"])
    log = MailLog(store)
    try:
        for letter in result.letters:
            if letter.action == NO_ADDRESS:
                result.no_address.append(letter)
                _log(log, period, letter, "", NO_ADDRESS, "", 0)
        if not todo:
            return result
        smtp = connect(settings.smtp, password, cafile)
        interval = 60.0 / settings.letters_per_minute if settings.letters_per_minute else 0.0
        last = 0.0
        try:
            for i, letter in enumerate(todo, 1):
                if interval and last:
                    sleep(max(0.0, last + interval - time.monotonic()))
                msg = _outgoing(letter, sender, campaign.office)
                smtp, status, reply, attempts = _deliver(
                    smtp, msg, letter, sender, settings.smtp, password, cafile, backoff, sleep
                )
                last = time.monotonic()
                _log(log, period, letter, str(msg["Message-ID"]), status, reply, attempts)
                if status == SENT:
                    result.sent += 1
                else:
                    result.failed.append((letter, reply))
                if progress:
                    progress(letter.name, i, len(todo))
        finally:
            with contextlib.suppress(Exception):
                smtp.quit()
    finally:
        store.close()
    return result


def _deliver(
    smtp: smtplib.SMTP,
    msg: EmailMessage,
    letter: Letter,
    sender: str,
    server: Server,
    password: str,
    cafile: Path | None,
    backoff: float,
    sleep: Callable[[float], None],
) -> tuple[smtplib.SMTP, str, str, int]:
    """Send one letter: (session, status, server reply, attempts)."""
    reply = ""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            refused = smtp.send_message(msg, sender, letter.recipients)
            if refused:  # some recipients refused, the others accepted: sent, said which
                reply = "; ".join(
                    f"{a}: {c} {r.decode('utf-8', 'replace')}" for a, (c, r) in refused.items()
                )
            else:
                reply = "250"
            return smtp, SENT, reply, attempt
        except (smtplib.SMTPException, OSError) as exc:
            code, text = _reply(exc)
            reply = f"{code} {text}".strip() if code else text
            if 500 <= code < 600:
                with contextlib.suppress(Exception):
                    smtp.rset()
                return smtp, FAILED, reply, attempt
            if attempt == ATTEMPTS:
                break
            sleep(backoff * 2 ** (attempt - 1))
            # 421 closes the session (smtplib drops it); so does a cut connection
            if code in (0, 421) or getattr(smtp, "sock", None) is None:
                with contextlib.suppress(Exception):
                    smtp.close()
                smtp = connect(server, password, cafile)  # MailError: unreachable now
            else:
                with contextlib.suppress(Exception):
                    smtp.rset()
    return smtp, TEMPORARY, reply, ATTEMPTS


def _log(
    log: MailLog, period: str, letter: Letter, message_id: str, status: str, reply: str, n: int
) -> None:
    log.record_letter(
        {
            "period": period,
            "municipality": letter.municipality,
            "kind": letter.kind,
            "state": letter.state,
            "draft": str(letter.draft),
            "message_id": message_id,
            "recipient": ", ".join(letter.recipients + letter.invalid),
            "subject": letter.subject,
            "status": status,
            "at": now(),
            "reply": reply,
            "attempts": n,
        }
    )


def rewrite_regional(out: Path, period: str, campaign: Campaign) -> Path:
    """The regional workbook again, with the letters' log («Письма»)."""
    from ..regional import write_regional_workbook
    from ..store.folder import run_lock

    with run_lock(out):
        store = Store(work_paths(out)["store"])
        try:
            cons = consolidate(store, campaign, period)
            return write_regional_workbook(store, campaign, cons, out / f"Свод_{period}.xlsx")
        finally:
            store.close()


__all__ = ["REMINDER", "Letter", "SendResult", "plan", "rewrite_regional", "send"]
