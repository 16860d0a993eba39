"""«shkmd-xl mail fetch» against a real Dovecot: each fault of issue 19 through the server."""

from __future__ import annotations

import email
import email.policy
import itertools
import os
import subprocess
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path

import pytest

from shkmd_xl.mail import MailError
from shkmd_xl.mail.imap import PARTIAL, fetch, imap_utf7
from shkmd_xl.mail.settings import MailSettings, Server, load_settings
from shkmd_xl.store.mail import MailLog
from shkmd_xl.store.sqlite import Store

from .clirun import run_cli
from .mailserver import PASSWORD, MailServers

_users = itertools.count(1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Box:
    servers: MailServers
    user: str
    settings: MailSettings
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "Входящие" / "2026-06"

    @property
    def store(self) -> Path:
        return self.root / "результаты" / "shkmd.sqlite"

    def fetch(self, **kw):  # type: ignore[no-untyped-def]
        settings = kw.pop("settings", self.settings)
        return fetch(
            settings,
            kw.pop("password", PASSWORD),
            "2026-06",
            self.inbox,
            self.store,
            cafile=kw.pop("cafile", self.servers.ca),
            **kw,
        )

    def served(self) -> list[bytes]:
        """Every message of the INBOX as the server serves it (another client's view)."""
        client = self.servers.imap(self.user)
        try:
            client.select("INBOX", readonly=True)
            uids = client.uid("SEARCH", "ALL")[1][0].split()
            out = []
            for uid in uids:
                data = client.uid("FETCH", uid, "(BODY.PEEK[])")[1]
                out.append(next(bytes(p[1]) for p in data if isinstance(p, tuple)))
            return out
        finally:
            client.logout()


def settings_text(servers: MailServers, user: str, **extra: str) -> str:
    lines = [
        "[imap]",
        'host = "127.0.0.1"',
        f"port = {servers.imaps_port}",
        'security = "ssl"',
        f'user = "{user}"',
        *[f'{k} = "{v}"' for k, v in extra.items()],
        "",
        "[smtp]",
        'host = "127.0.0.1"',
        f"port = {servers.smtps_port}",
        'security = "ssl"',
        f'user = "{user}"',
        "letters_per_minute = 0",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def box(mail_servers: MailServers, tmp_path: Path) -> Box:
    user = f"office{next(_users)}@region.test"
    mail_servers.add_user(user)
    path = tmp_path / "почта.toml"
    path.write_text(settings_text(mail_servers, user), encoding="utf-8")
    return Box(mail_servers, user, load_settings(path), tmp_path)


def letter(n: int, attachments: int = 1, size: int = 2000) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Координатор {n} <mo{n}@mo.test>"
    msg["To"] = "office@region.test"
    msg["Subject"] = f"Отчёт № {n}"
    msg["Date"] = "Wed, 03 Jun 2026 10:00:00 +0300"
    msg["Message-ID"] = f"<report-{n}-{os.urandom(4).hex()}@mo.test>"
    msg.set_content("Отчёт во вложении.")
    for a in range(attachments):
        msg.add_attachment(
            os.urandom(size),
            maintype="application",
            subtype="octet-stream",
            filename=f"приложение_{a}.bin",
        )
    return msg


def test_fetch_saves_each_message_as_served_once(box: Box) -> None:
    for n in range(3):
        box.servers.deliver(box.user, letter(n))
    first = box.fetch()
    assert len(first.fetched) == 3 and first.known == 0
    served = box.served()
    assert sorted(p.read_bytes() for p in first.fetched) == sorted(served)  # byte for byte
    assert not (box.inbox.parent / PARTIAL).exists()
    store = Store(box.store)
    rows = MailLog(store).fetched("2026-06")
    store.close()
    assert [r["uid"] for r in rows] == [1, 2, 3]
    assert len({r["uidvalidity"] for r in rows}) == 1
    assert all(r["message_id"].startswith("<report-") for r in rows)
    # a rerun fetches nothing; a new message alone is fetched next time
    assert box.fetch().fetched == []
    box.servers.deliver(box.user, letter(9))
    again = box.fetch()
    assert len(again.fetched) == 1 and again.known == 3
    assert len(list(box.inbox.glob("*.eml"))) == 4


def test_wrong_password_unreachable_untrusted(box: Box) -> None:
    with pytest.raises(MailError) as caught:
        box.fetch(password="не тот")
    assert caught.value.key == "mail.wrong_password"
    closed = replace(box.settings, imap=replace(box.settings.imap, port=1))
    with pytest.raises(MailError) as caught:
        box.fetch(settings=closed)
    assert caught.value.key == "mail.unreachable"
    with pytest.raises(MailError) as caught:  # the test CA is not the system's
        box.fetch(cafile=None)
    assert caught.value.key == "mail.untrusted" and "--cafile" in caught.value.message
    assert list(box.inbox.glob("*")) == []


def test_starttls(box: Box) -> None:
    box.servers.deliver(box.user, letter(1))
    starttls = replace(
        box.settings,
        imap=Server("127.0.0.1", box.servers.imap_port, "starttls", box.user),
    )
    assert len(box.fetch(settings=starttls).fetched) == 1


def test_uidvalidity_changed_nothing_fetched_twice(box: Box) -> None:
    for n in range(2):
        box.servers.deliver(box.user, letter(n))
    assert len(box.fetch().fetched) == 2
    # the mailbox is rebuilt: a new UIDVALIDITY (the UIDs now mean other messages)
    subprocess.run(
        [
            "doveadm",
            "-c",
            str(box.servers.root / "dovecot.conf"),
            "mailbox",
            "update",
            "-u",
            box.user,
            "--uid-validity",
            "4242",
            "INBOX",
        ],
        check=True,
        capture_output=True,
    )
    box.servers.deliver(box.user, letter(5))
    result = box.fetch()
    assert len(result.fetched) == 1 and result.known == 2
    assert "mail.rebuilt" in result.notes
    assert len(list(box.inbox.glob("*.eml"))) == 3


def test_connection_cut_mid_download_resumes(box: Box) -> None:
    for n in range(5):
        box.servers.deliver(box.user, letter(n, size=200_000))

    def stop_after_two(name: str, i: int, n: int) -> None:
        if i == 2:
            box.servers.stop_imap()

    try:
        with pytest.raises(MailError) as caught:
            box.fetch(progress=stop_after_two)
    finally:
        box.servers.start_imap()
    assert caught.value.key == "mail.cut"
    saved = sorted(box.inbox.iterdir())
    assert len(saved) == 2 and all(p.suffix == ".eml" for p in saved)  # nothing half-written
    rest = box.fetch()
    assert len(rest.fetched) == 3 and rest.known == 2
    assert sorted(p.read_bytes() for p in box.inbox.iterdir()) == sorted(box.served())


def test_a_message_that_cannot_be_written_is_said_so_and_fetched_next_time(box: Box) -> None:
    """A write that fails (a full disk; here the folder for half-written messages is a
    file) is «mail.disk», naming the folder — not a cut connection to retry; nothing is
    recorded as fetched that is not on disk, and the next run fetches every message."""
    for n in range(3):
        box.servers.deliver(box.user, letter(n))
    box.inbox.mkdir(parents=True)
    blocker = box.inbox.parent / PARTIAL
    blocker.write_bytes(b"")
    with pytest.raises(MailError) as caught:
        box.fetch()
    assert caught.value.key == "mail.disk"
    assert str(box.inbox.parent) in caught.value.message
    assert list(box.inbox.iterdir()) == []
    blocker.unlink()
    again = box.fetch()
    assert len(again.fetched) == 3 and again.known == 0
    assert sorted(p.read_bytes() for p in again.fetched) == sorted(box.served())


def test_message_deleted_between_listing_and_download(box: Box) -> None:
    for n in range(3):
        box.servers.deliver(box.user, letter(n))

    def delete_third(name: str, i: int, n: int) -> None:
        if i == 1:
            other = box.servers.imap(box.user)
            other.select("INBOX")
            other.uid("STORE", "3", "+FLAGS.SILENT", r"(\Deleted)")
            other.expunge()
            other.logout()

    result = box.fetch(progress=delete_third)
    assert len(result.fetched) == 2 and result.vanished == 1
    assert "mail.vanished" in result.notes


def test_big_message_many_attachments_broken_headers(box: Box) -> None:
    box.servers.deliver(box.user, letter(1, attachments=1, size=30 * 1024 * 1024))
    box.servers.deliver(box.user, letter(2, attachments=60, size=3000))
    broken = (
        b"From: =?koi8-r?B?7sXQ0sHXyczYzs/F?= <mo3@mo.test>\r\n"
        b"Subject: \xce\xe1\xf7\xe5\xf2 \xe7\xe0 \xe8\xfe\xed\xfc\r\n"  # cp1251, undeclared
        b"Message-ID: <\xff\xfebroken@mo.test>\r\n"
        b"Date: not a date\r\n"
        b"\r\n"
        b"\xcf\xf0\xe8\xe2\xe5\xf2\r\n"
    )
    box.servers.deliver(box.user, broken)
    result = box.fetch()
    assert len(result.fetched) == 3
    sizes = sorted(p.stat().st_size for p in result.fetched)
    assert sizes[-1] > 30 * 1024 * 1024
    assert sorted(p.read_bytes() for p in result.fetched) == sorted(box.served())
    many = next(
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in result.fetched
        if b"mo2@mo.test" in p.read_bytes()[:2000]
    )
    assert len(list(many.iter_attachments())) == 60  # type: ignore[attr-defined]
    assert box.fetch().fetched == []


def test_processed_messages_move_to_a_cyrillic_folder(box: Box) -> None:
    assert imap_utf7("Обработано") == "&BB4EMQRABDAEMQQ+BEIEMAQ9BD4-"
    for n in range(2):
        box.servers.deliver(box.user, letter(n))
    moving = replace(box.settings, processed_folder="Обработано")
    result = box.fetch(settings=moving)
    assert len(result.fetched) == 2 and result.moved == 2
    client = box.servers.imap(box.user)
    try:
        assert client.select("INBOX")[1] == [b"0"]
        assert client.select('"&BB4EMQRABDAEMQQ+BEIEMAQ9BD4-"')[1] == [b"2"]
    finally:
        client.logout()


def test_cli_fetch_then_collect_password_never_written(
    box: Box, soln_report: Path, tmp_path: Path
) -> None:
    msg = letter(1, attachments=0)
    msg.add_attachment(
        soln_report.read_bytes(),
        maintype=XLSX.split("/")[0],
        subtype=XLSX.split("/")[1],
        filename="Отчёт_SOLN.xlsx",
    )
    box.servers.deliver(box.user, msg)
    (tmp_path / "корень.pem").write_bytes(box.servers.ca.read_bytes())
    args = [
        "mail",
        "fetch",
        "--period",
        "2026-06",
        "--settings",
        str(box.settings.path),
        "--cafile",
        "корень.pem",
    ]
    no_password = run_cli(*args, cwd=tmp_path)
    assert no_password.returncode == 2 and "SHKMD_MAIL_PASSWORD" in no_password.stderr
    done = run_cli(*args, cwd=tmp_path, env={"SHKMD_MAIL_PASSWORD": PASSWORD})
    assert done.returncode == 0, done.stderr
    assert "Получено новых писем: 1" in done.stdout
    assert (tmp_path / "Результаты" / "Свод_2026-06.xlsx").exists()
    secret = PASSWORD.encode()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
    # a password typed into the settings file is refused, never used
    with box.settings.path.open("a", encoding="utf-8") as fh:
        fh.write('password = "x"\n')
    refused = run_cli(*args, cwd=tmp_path, env={"SHKMD_MAIL_PASSWORD": PASSWORD})
    assert refused.returncode == 2 and "пароль" in refused.stderr
    wrong = run_cli(*args[:4], cwd=tmp_path, env={"SHKMD_MAIL_PASSWORD": "x"})
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
