"""The whole loop of issue 19 through the real servers: municipalities send reports over
SMTP into the region's mailbox; mail fetch + collect; mail send delivers the letters
into the municipalities' mailboxes, read back over IMAP; a municipality replies with a
corrected file; the second fetch gets only that message, linked to our letter in
«Источники»; the region accepts the report, which locks it: a later file is fetched,
archived and flagged «получен после принятия», never replacing it.
"""

from __future__ import annotations

import email
import email.policy
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

import openpyxl

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect
from shkmd_xl.mail.imap import fetch
from shkmd_xl.mail.settings import load_settings
from shkmd_xl.mail.smtp import send

from .breakers import no_roadmap
from .fills import fill_with_openpyxl, good_fill
from .mailserver import PASSWORD, MailServers, smtp_login
from .test_mail_fetch import settings_text

PERIOD = "2026-06"
OFFICE = "office-loop@region.test"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def address(code: str) -> str:
    return f"loop-{code.lower()}@mo.test"


def submit(servers: MailServers, code: str, report: Path, reply_to: str = "") -> None:
    """The municipality's coordinator sends the report from their mail client (SMTP)."""
    msg = EmailMessage()
    msg["From"], msg["To"] = address(code), OFFICE
    msg["Subject"] = "Ответ: исправленный отчёт" if reply_to else f"Отчёт {code} за июнь"
    if reply_to:
        msg["In-Reply-To"] = reply_to
        msg["References"] = reply_to
    msg.set_content("Добрый день! Отчёт во вложении.")
    msg.add_attachment(
        report.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=f"Отчёт_{code}.xlsx"
    )
    ctx = ssl.create_default_context(cafile=str(servers.ca))
    with smtplib.SMTP("127.0.0.1", servers.smtp_port) as smtp:
        smtp.starttls(context=ctx)
        smtp_login(smtp, address(code))
        smtp.send_message(msg)


def read_over_imap(servers: MailServers, user: str) -> list[EmailMessage]:
    client = servers.imap(user)
    try:
        client.select("INBOX", readonly=True)
        out = []
        for uid in client.uid("SEARCH", "ALL")[1][0].split():
            data = client.uid("FETCH", uid, "(BODY.PEEK[])")[1]
            raw = next(bytes(p[1]) for p in data if isinstance(p, tuple))
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(msg, EmailMessage)
            out.append(msg)
        return out
    finally:
        client.logout()


def test_whole_loop(
    mail_servers: MailServers, campaign: Campaign, templates: dict[str, Path], tmp_path: Path
) -> None:
    c = campaign.model_copy(
        update={
            "office_email": OFFICE,
            "municipalities": [
                m.model_copy(update={"emails": [address(m.code)]}) for m in campaign.municipalities
            ],
        }
    )
    mail_servers.add_user(OFFICE, *(address(m.code) for m in c.municipalities))
    settings_file = tmp_path / "почта.toml"
    settings_file.write_text(settings_text(mail_servers, OFFICE), encoding="utf-8")
    settings = load_settings(settings_file)
    inbox, out = tmp_path / "Входящие" / PERIOD, tmp_path / "результаты"

    def fetch_and_collect():  # type: ignore[no-untyped-def]
        got = fetch(settings, PASSWORD, PERIOD, inbox, out / "shkmd.sqlite", cafile=mail_servers.ca)
        collect(inbox, PERIOD, c, out, workers=1)
        return got

    # 1. SOLN sends a report with an error (a school without its road map), D01 a good one
    broken = good_fill(c, "SOLN", PERIOD)
    no_roadmap(broken)
    submit(mail_servers, "SOLN", fill_with_openpyxl(templates["SOLN"], broken, tmp_path / "s.xlsx"))
    d01 = fill_with_openpyxl(templates["D01"], good_fill(c, "D01", PERIOD), tmp_path / "d.xlsx")
    submit(mail_servers, "D01", d01)

    # 2. mail fetch + collect
    first = fetch_and_collect()
    assert len(first.fetched) == 2

    # 3. mail send: the letters reach the municipalities' mailboxes
    sent = send(settings, PASSWORD, c, PERIOD, out, cafile=mail_servers.ca, sleep=lambda s: None)
    assert sent.failed == [] and sent.no_address == [] and sent.sent >= 14
    soln = read_over_imap(mail_servers, address("SOLN"))
    assert len(soln) == 1
    letter = soln[0]
    assert "доработ" in str(letter["Subject"]).lower()
    body = letter.get_body(("plain",))
    assert body is not None and "до " in body.get_content()  # the deadline for the corrected file
    assert [p.get_filename() for p in letter.iter_attachments()] == [
        f"Замечания_SOLN_{PERIOD}.xlsx"
    ]
    d01_letter = read_over_imap(mail_servers, address("D01"))[0]
    assert " принят с замечаниями: " in str(d01_letter["Subject"])  # spaces kept
    d02 = read_over_imap(mail_servers, address("D02"))  # a reminder with the personal template
    assert len(d02) == 1 and len(list(d02[0].iter_attachments())) == 1

    # 4. SOLN replies to our letter with a corrected file
    fixed = fill_with_openpyxl(
        templates["SOLN"], good_fill(c, "SOLN", PERIOD), tmp_path / "fixed.xlsx"
    )
    submit(mail_servers, "SOLN", fixed, reply_to=str(letter["Message-ID"]))

    # 5. the second fetch gets only the new message; «Источники» links it to our letter
    second = fetch_and_collect()
    assert len(second.fetched) == 1 and second.known == 2
    ws = openpyxl.load_workbook(out / f"Свод_{PERIOD}.xlsx", read_only=True)["Источники"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][-1] == "Ответ на письмо"
    linked = [r for r in rows[1:] if r[-1]]
    assert linked and all(str(letter["Subject"]) in r[-1] for r in linked)
    assert all(second.fetched[0].name in r[1] for r in linked)

    # the reminders already delivered are not sent again
    again = send(settings, PASSWORD, c, PERIOD, out, cafile=mail_servers.ca, sleep=lambda s: None)
    assert len(read_over_imap(mail_servers, address("D02"))) == 1
    assert again.already >= 13

    # 6. the region accepts SOLN's corrected report: the report is locked, and the
    # «принят» letter (a new state: the decision) reaches SOLN
    from shkmd_xl.collect import refresh
    from shkmd_xl.consolidate.decisions import Proposed, record
    from shkmd_xl.statuses import Decision

    before = len(read_over_imap(mail_servers, address("SOLN")))
    accept = Proposed("SOLN", Decision.ACCEPT, "", source="тест")
    refresh(out, PERIOD, c, decide=lambda store, cons: record(store, c, cons, accept))
    send(settings, PASSWORD, c, PERIOD, out, cafile=mail_servers.ca, sleep=lambda s: None)
    soln = read_over_imap(mail_servers, address("SOLN"))
    assert len(soln) == before + 1 and "принят" in str(soln[-1]["Subject"]).lower()
    text = soln[-1].get_body(("plain",))
    assert text is not None and "принят региональным координатором" in text.get_content()

    def statuses() -> dict[str, str]:
        book = openpyxl.load_workbook(out / f"Свод_{PERIOD}.xlsx", read_only=True)
        return {r[0]: r[2] for r in book["Сводка"].iter_rows(min_row=2, values_only=True)}

    accepted = statuses()["SOLN"]
    assert accepted.startswith("принято")

    # 7. a file SOLN sends after the acceptance is fetched, archived and flagged, never
    # replacing the accepted report
    late = fill_with_openpyxl(templates["SOLN"], broken, tmp_path / "late.xlsx")
    submit(mail_servers, "SOLN", late)
    third = fetch_and_collect()
    assert len(third.fetched) == 1 and third.known == 3
    ws = openpyxl.load_workbook(out / f"Свод_{PERIOD}.xlsx", read_only=True)["Источники"]
    rows = [[str(v or "") for v in r] for r in ws.iter_rows(values_only=True)]
    flagged = [r for r in rows if any(v.startswith("получен после принятия") for v in r)]
    assert len(flagged) == 1 and third.fetched[0].name in " ".join(flagged[0])
    assert statuses()["SOLN"] == accepted  # the accepted report still counts, not the broken one
