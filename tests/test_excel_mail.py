"""Buttons «Получить почту» and «Отправить письма» of the console, through xlwings'
remote engine (no Excel) against the real mail servers."""

from __future__ import annotations

from pathlib import Path

import pytest
from xlsxwriter.utility import xl_cell_to_rowcol

from shkmd_xl.campaign import Campaign
from shkmd_xl.excel import region
from shkmd_xl.forms import console as C
from shkmd_xl.template.campaign_book import write_campaign_workbook

from .mailserver import PASSWORD, MailServers
from .test_excel_entry import actions, at, console_book
from .test_mail_fetch import letter, settings_text
from .test_mail_send import OFFICE, address, mail_campaign

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def messages(book) -> list[str]:  # type: ignore[no-untyped-def]
    r, c = xl_cell_to_rowcol(C.MESSAGE_CELL)
    return [a["values"][0][0] for a in actions(book, "setValues") if at(a) == (r, c)]


def test_buttons_fetch_and_send(
    mail_servers: MailServers,
    campaign: Campaign,
    soln_report: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = mail_campaign(campaign)
    mail_servers.add_user(OFFICE, *(address(m.code) for m in c.municipalities))
    book_path = write_campaign_workbook(c, tmp_path / "кампания.xlsx")
    (tmp_path / "почта.toml").write_text(
        f'cafile = "{mail_servers.ca}"\n' + settings_text(mail_servers, OFFICE), encoding="utf-8"
    )
    monkeypatch.setenv("SHKMD_MAIL_PASSWORD", PASSWORD)
    msg = letter(1, attachments=0)
    msg.add_attachment(
        soln_report.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename="Отчёт.xlsx"
    )
    mail_servers.deliver(OFFICE, msg)
    values = {
        "inbox": str(tmp_path / "Входящие"),
        "period": "2026-06",
        "out": str(tmp_path / "Результаты"),
        "campaign": str(book_path),
    }
    book = console_book(**values)
    region.fetch_mail(book)
    assert "Получено новых писем: 1" in messages(book)[-1]
    assert len(list((tmp_path / "Входящие").glob("*.eml"))) == 1
    assert (tmp_path / "Результаты" / "Свод_2026-06.xlsx").exists()

    book = console_book(**values)
    region.send_letters(book)
    text = messages(book)[-1]
    assert "Отправлено писем:" in text and "нет верного адреса" in text  # D02, D03
    assert len(mail_servers.messages(address("D01"))) >= 1

    monkeypatch.setenv("SHKMD_MAIL_PASSWORD", "не тот")
    book = console_book(**values)
    region.fetch_mail(book)
    assert "не принял логин" in messages(book)[-1]
