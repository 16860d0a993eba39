"""«shkmd-xl mail send» against the real SMTP server: each letter once, logged, 4xx retried,
5xx recorded and shown in the regional workbook, a stale letter made again."""

from __future__ import annotations

import email
import email.policy
import shutil
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect
from shkmd_xl.mail import MailError
from shkmd_xl.mail.settings import MailSettings, load_settings
from shkmd_xl.mail.smtp import OUTDATED, plan, rewrite_regional, send
from shkmd_xl.store.mail import FAILED, NO_ADDRESS, SENT, MailLog
from shkmd_xl.store.sqlite import Store

from .clirun import run_cli
from .mailserver import PASSWORD, MailServers
from .test_mail_fetch import settings_text

PERIOD = "2026-06"
OFFICE = "office-send@region.test"


def address(code: str) -> str:
    return f"coord-{code.lower()}@mo.test"


def mail_campaign(campaign: Campaign) -> Campaign:
    """The demo campaign with the coordinators' addresses on the test server; D02 has no
    address, D03 an invalid one."""
    ms = []
    for m in campaign.municipalities:
        emails = {"D02": [], "D03": ["не адрес"]}.get(m.code, [address(m.code)])
        ms.append(m.model_copy(update={"emails": emails}))
    return campaign.model_copy(update={"municipalities": ms, "office_email": OFFICE})


@pytest.fixture(scope="session")
def prepared(
    campaign: Campaign, soln_report: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A working folder after collect: SOLN's report received, reminders to the others."""
    root = tmp_path_factory.mktemp("prepared")
    inbox = root / "Входящие"
    inbox.mkdir()
    shutil.copy(soln_report, inbox / "Отчёт_SOLN.xlsx")
    collect(inbox, PERIOD, mail_campaign(campaign), root / "out", workers=1)
    return root / "out"


@dataclass
class Outbox:
    servers: MailServers
    campaign: Campaign
    settings: MailSettings
    out: Path

    def send(self, **kw):  # type: ignore[no-untyped-def]
        kw.setdefault("sleep", lambda s: None)
        return send(
            kw.pop("settings", self.settings),
            kw.pop("password", PASSWORD),
            self.campaign,
            PERIOD,
            self.out,
            cafile=self.servers.ca,
            **kw,
        )

    def received(self, code: str) -> list[EmailMessage]:
        return self.servers.messages(address(code))

    def log(self) -> list[dict]:
        store = Store(self.out / "shkmd.sqlite")
        try:
            return MailLog(store).letters(PERIOD)
        finally:
            store.close()


@pytest.fixture
def outbox(mail_servers: MailServers, campaign: Campaign, prepared: Path, tmp_path: Path) -> Outbox:
    c = mail_campaign(campaign)
    mail_servers.add_user(OFFICE, *(address(m.code) for m in c.municipalities))
    for m in c.municipalities:  # each test starts with empty mailboxes
        shutil.rmtree(mail_servers.home(address(m.code)) / "Maildir", ignore_errors=True)
        mail_servers.maildir(address(m.code))
    mail_servers.plan.replies.clear()
    out = tmp_path / "out"
    shutil.copytree(prepared, out)
    path = tmp_path / "почта.toml"
    path.write_text(settings_text(mail_servers, OFFICE), encoding="utf-8")
    return Outbox(mail_servers, c, load_settings(path), out)


def test_each_letter_once_logged_missing_address_told(outbox: Outbox) -> None:
    planned = plan(outbox.out, PERIOD, outbox.campaign)
    by_code = {x.municipality: x for x in planned.letters}
    assert by_code["D01"].action == "send" and by_code["D01"].kind == "reminder"
    assert by_code["D02"].action == NO_ADDRESS and by_code["D03"].invalid == ["не адрес"]
    result = outbox.send()
    to_send = [x for x in planned.letters if x.action == "send"]
    assert result.sent == len(to_send) > 10
    assert {x.municipality for x in result.no_address} == {"D02", "D03"}
    got = outbox.received("D01")
    assert len(got) == 1
    msg = got[0]
    assert msg["From"].addresses[0].addr_spec == OFFICE
    assert "Напоминание" in msg["Subject"] or msg["Subject"] == by_code["D01"].subject
    assert msg["X-Unsent"] is None and msg["X-Shkmd-State"] is None
    attachments = [p.get_filename() for p in msg.iter_attachments()]
    assert len(attachments) == 1 and attachments[0].endswith(".xlsx")
    log = {r["municipality"]: r for r in outbox.log()}
    assert log["D01"]["status"] == SENT and log["D01"]["message_id"] == msg["Message-ID"]
    assert log["D01"]["recipient"] == address("D01") and log["D01"]["reply"].startswith("250")
    assert log["D02"]["status"] == NO_ADDRESS
    # a rerun sends nothing new
    again = outbox.send()
    assert again.sent == 0 and again.already == result.sent
    assert len(outbox.received("D01")) == 1


def test_missing_or_invalid_address_is_a_finding(outbox: Outbox) -> None:
    """ML01 through the real server: a letter goes to the good addresses only (a Cyrillic
    domain in its IDNA form), none to a coordinator without one; the finding is in the
    plan, in the log and on «Пробелы» and «Письма» of the regional workbook."""
    idna = "coord-d05@xn--l1ae.xn--e1aybc"  # «coord-d05@мо.тест»
    outbox.servers.add_user(idna)
    emails = {
        "D04": ["ivanov@", address("D04")],
        "D05": ["coord-d05@мо.тест"],
        "D06": ["иванов@mo.test"],
        "D07": ["coord-d07@mо.test"],  # a Cyrillic «о»
    }
    c = outbox.campaign.model_copy(
        update={
            "municipalities": [
                m.model_copy(update={"emails": emails.get(m.code, m.emails)})
                for m in outbox.campaign.municipalities
            ]
        }
    )
    outbox.campaign = c
    planned = plan(outbox.out, PERIOD, c)
    assert not planned.remade  # the finding never changes a municipality's state
    by_code = {x.municipality: x for x in planned.letters}
    for code, variant in (("D02", "missing"), ("D03", "invalid"), ("D06", "invalid")):
        assert by_code[code].action == NO_ADDRESS
        assert [(f.code, f.variant) for f in by_code[code].findings] == [("ML01", variant)]
    assert by_code["D04"].action == "send" and by_code["D04"].recipients == [address("D04")]
    assert by_code["D04"].findings[0].value == "ivanov@"
    assert by_code["D05"].action == "send" and by_code["D05"].findings == []
    result = outbox.send(planned=planned)
    assert {x.municipality for x in result.no_address} == {"D02", "D03", "D06", "D07"}
    assert result.failed == []
    assert len(outbox.received("D04")) == 1
    [to_d05] = outbox.servers.messages(idna)
    assert to_d05["To"].addresses[0].addr_spec == idna
    log = {r["municipality"]: r for r in outbox.log()}
    assert log["D05"]["status"] == SENT and log["D07"]["status"] == NO_ADDRESS
    book = rewrite_regional(outbox.out, PERIOD, c)
    wb = openpyxl.load_workbook(book, read_only=True)
    gaps = [list(r) for r in wb["Пробелы"].iter_rows(values_only=True)]
    code_col = gaps[0].index("Код")
    names = {m.code: m.name for m in c.municipalities}
    flagged = {r[0] for r in gaps[1:] if r[code_col] == "ML01"}
    assert flagged == {names[x] for x in ("D02", "D03", "D04", "D06", "D07")}
    letters = [list(r) for r in wb["Письма"].iter_rows(values_only=True)]
    d07 = next(r for r in letters if r[0] == names["D07"])  # the name, not the code
    assert "нет верного адреса" in d07[3] and "ML01" in d07[3]


def test_address_finding_stays_out_of_the_feedback(prepared: Path) -> None:
    """ML01 is the region's own data: in the regional workbook, never in a municipality's
    letter (D03's reminder says nothing of its address)."""
    letters = prepared / "Замечания" / PERIOD
    drafts = list(letters.glob("*.eml"))
    assert len(drafts) > 10
    for path in drafts:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = msg.get_body(("plain",))
        assert body is not None and "адрес координатора" not in body.get_content()
    wb = openpyxl.load_workbook(prepared / f"Свод_{PERIOD}.xlsx", read_only=True)
    codes = [r[1] for r in wb["Пробелы"].iter_rows(values_only=True)]
    assert codes.count("ML01") == 2  # D02 (no address) and D03 («не адрес»)


def test_temporary_error_retried_with_backoff(outbox: Outbox) -> None:
    outbox.servers.plan.replies[:] = ["451 4.3.0 Попробуйте позже", "421 4.7.0 busy"]
    pauses: list[float] = []
    result = outbox.send(sleep=pauses.append, backoff=1.0)
    assert result.failed == []
    assert pauses[:2] == [1.0, 2.0]  # growing pause between attempts
    log = outbox.log()
    assert max(r["attempts"] for r in log) == 3
    assert all(r["status"] in (SENT, NO_ADDRESS) for r in log)
    for x in plan(outbox.out, PERIOD, outbox.campaign).letters:
        if x.action == "sent":
            assert len(outbox.received(x.municipality)) == 1  # retried, delivered once


def test_permanent_error_recorded_shown_and_resent_next_time(outbox: Outbox) -> None:
    outbox.servers.plan.replies[:] = ["550 5.7.1 Письмо отклонено политикой"]
    result = outbox.send()
    assert len(result.failed) == 1
    letter, reply = result.failed[0]
    assert reply.startswith("550")
    failed = [r for r in outbox.log() if r["status"] == FAILED]
    assert [r["municipality"] for r in failed] == [letter.municipality]
    book = rewrite_regional(outbox.out, PERIOD, outbox.campaign)
    ws = openpyxl.load_workbook(book, read_only=True)["Письма"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    name = outbox.campaign.municipality(letter.municipality).name
    shown = next(r for r in rows if r[0] == name)
    assert "550" in shown[5] and "отказал" in shown[3]
    again = outbox.send()
    assert again.sent == 1 and again.failed == []  # only the failed one goes again
    assert len(outbox.received(letter.municipality)) == 1


def test_stale_letter_made_again_not_sent(
    outbox: Outbox, campaign: Campaign, templates: dict[str, Path], tmp_path: Path
) -> None:
    from .fills import fill_with_openpyxl, good_fill

    stale = outbox.out / "Замечания" / PERIOD / f"Напоминание_D01_{PERIOD}.eml"
    assert stale.exists()
    # D01's report arrives and is collected: its reminder (made before) is no longer true
    inbox = tmp_path / "поздно"
    inbox.mkdir()
    fill_with_openpyxl(templates["D01"], good_fill(campaign, "D01", PERIOD), inbox / "D01.xlsx")
    collect(inbox, PERIOD, outbox.campaign, outbox.out, workers=1)
    planned = plan(outbox.out, PERIOD, outbox.campaign)
    assert planned.remade
    assert not stale.exists()
    assert list((stale.parent / OUTDATED).glob("Напоминание_D01_*.eml"))
    outbox.send(planned=planned)
    assert all("Напоминание" not in str(m["Subject"]) for m in outbox.received("D01"))


def test_wrong_password_and_throttle(outbox: Outbox) -> None:
    with pytest.raises(MailError) as caught:
        outbox.send(password="не тот")
    assert caught.value.key == "mail.wrong_password"
    assert not [r for r in outbox.log() if r["status"] == SENT]
    pauses: list[float] = []
    slow = replace(outbox.settings, letters_per_minute=120.0)
    result = outbox.send(settings=slow, sleep=pauses.append)
    assert len(pauses) == result.sent - 1
    assert all(0.3 < p <= 0.5 for p in pauses)


def test_cli_dry_run_and_yes(outbox: Outbox, campaign: Campaign, tmp_path: Path) -> None:
    from shkmd_xl.template.campaign_book import write_campaign_workbook

    book = write_campaign_workbook(outbox.campaign, tmp_path / "кампания.xlsx")
    assert outbox.settings.path == tmp_path / "почта.toml"  # beside the campaign file
    (tmp_path / "корень.pem").write_bytes(outbox.servers.ca.read_bytes())
    args = [
        "mail",
        "send",
        "-p",
        PERIOD,
        "-c",
        str(book),
        "-o",
        str(outbox.out),
        "--cafile",
        "корень.pem",
    ]
    env = {"SHKMD_MAIL_PASSWORD": PASSWORD}
    dry = run_cli(*args, "--dry-run", cwd=tmp_path, env=env)
    assert dry.returncode == 0, dry.stderr
    assert address("D01") in dry.stdout and "нет верного адреса" in dry.stdout
    assert "Замечание ML01" in dry.stderr and "«не адрес»" in dry.stderr  # D03's finding
    assert outbox.received("D01") == []
    done = run_cli(*args, "--yes", cwd=tmp_path, env=env)
    assert done.returncode == 1  # D02 and D03 have no address: told, the rest sent
    assert "D02" in done.stderr or "нет верного адреса" in done.stderr
    assert len(outbox.received("D01")) == 1
    ws = openpyxl.load_workbook(outbox.out / f"Свод_{PERIOD}.xlsx", read_only=True)["Письма"]
    assert sum(1 for _ in ws.iter_rows()) > 10
    parsed = email.message_from_bytes(
        outbox.received("D01")[0].as_bytes(), policy=email.policy.default
    )
    assert PASSWORD not in parsed.as_string()


def test_smtp_server_stopped_mid_run_then_the_rest(outbox: Outbox) -> None:
    def stop_after_two(name: str, i: int, n: int) -> None:
        if i == 2:
            outbox.servers.stop_smtp()

    try:
        with pytest.raises(MailError) as caught:
            outbox.send(progress=stop_after_two)
    finally:
        outbox.servers.start_smtp()
    assert caught.value.key == "mail.unreachable"
    sent = [r for r in outbox.log() if r["status"] == SENT]
    assert len(sent) == 2  # what went before the stop is logged as sent
    rest = outbox.send()
    assert rest.already == 2 and rest.sent > 10 and rest.failed == []
    for r in outbox.log():
        if r["status"] == SENT:
            assert len(outbox.received(r["municipality"])) == 1  # nobody got it twice
