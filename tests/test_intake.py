"""Intake built with real writers: stdlib email, zipfile with cp866 names; hostile names."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect, work_paths
from shkmd_xl.demo import Cp866Info
from shkmd_xl.feedback import XLSX_MIME
from shkmd_xl.forms import sheets as F
from shkmd_xl.intake import Candidate, Other, Refused, safe_name, scan
from shkmd_xl.messages import render
from shkmd_xl.statuses import Status

from .fills import fill_with_openpyxl, good_fill

XLSX = XLSX_MIME


@pytest.fixture(scope="module")
def report_bytes(soln_report: Path) -> bytes:
    return soln_report.read_bytes()


def _mail(sender: str, subject: str, attachments: list[tuple[str, bytes]]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Координатор <{sender}>"
    msg["To"] = "region@example.ru"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 22 Jun 2026 10:00:00 +0300"
    msg.set_content("Отчёт во вложении.")
    for name, data in attachments:
        msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return msg


def test_eml_with_cyrillic_rfc2231_name_and_forwarded_message(
    tmp_path: Path, report_bytes: bytes
) -> None:
    inner = _mail(
        "coord.soln@demo-shkmd.example.ru",
        "Отчёт за июнь",
        [("Отчёт Солнечногорск июнь.xlsx", report_bytes)],
    )
    outer = EmailMessage()
    outer["From"] = "Помощник <helper@example.ru>"
    outer["Subject"] = "Fwd: Отчёт за июнь"
    outer["Date"] = "Tue, 23 Jun 2026 09:00:00 +0300"
    outer.set_content("Пересылаю.")
    outer.add_attachment(inner)  # message/rfc822
    raw = bytes(outer)
    assert b"filename*=utf-8''" in raw or b"=?utf-8?" in raw  # RFC 2231 / 2047 encoded
    (tmp_path / "письмо.eml").write_bytes(raw)
    items = list(scan(tmp_path))
    assert [type(i) for i in items] == [Candidate, Other]  # the letter itself is kept too
    item, letter = items
    assert isinstance(letter, Other) and letter.data == raw
    assert letter.outcome == "письмо: 1 книга отчёта" and letter.sender == "helper@example.ru"
    assert isinstance(item, Candidate)
    assert item.name == "Отчёт Солнечногорск июнь.xlsx"
    assert item.data == report_bytes
    assert item.sender == "helper@example.ru"
    assert item.chain == "письмо.eml › Отчёт Солнечногорск июнь.xlsx"
    assert item.received_at.year == 2026 and item.received_at.month == 6


def test_nested_zip_with_cp866_names(tmp_path: Path, report_bytes: bytes) -> None:
    def zip_of(name: str, data: bytes) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(Cp866Info(name), data)
        raw = buf.getvalue()
        assert name.encode("cp866") in raw and name.encode("utf-8") not in raw
        return raw

    inner = zip_of("Отчёт.xlsx", report_bytes)
    (tmp_path / "Архив отчётов.zip").write_bytes(zip_of("Вложенный.zip", inner))
    item, *containers = list(scan(tmp_path))
    assert [(c.chain, c.outcome) for c in containers if isinstance(c, Other)] == [
        ("Архив отчётов.zip › Вложенный.zip", "архив: 1 книга отчёта"),
        ("Архив отчётов.zip", "архив: 1 книга отчёта"),
    ]
    assert isinstance(item, Candidate)
    assert item.chain == "Архив отчётов.zip › Вложенный.zip › Отчёт.xlsx"
    assert item.data == report_bytes


def test_hostile_names_are_contained(
    tmp_path: Path, report_bytes: bytes, campaign: Campaign
) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../evil.xlsx", report_bytes)
        z.writestr("/etc/passwd.xlsx", report_bytes + b"\0")
        z.writestr("C:\\Windows\\win.xlsx", report_bytes + b"\0\0")
    (inbox / "a.zip").write_bytes(buf.getvalue())
    (inbox / "b.eml").write_bytes(
        bytes(_mail("x@example.ru", "s", [("../../../x\0y.xlsx", report_bytes)]))
    )
    names = sorted(i.name for i in scan(inbox) if isinstance(i, Candidate))
    assert names == ["evil.xlsx", "passwd.xlsx", "win.xlsx", "x\u2400y.xlsx"]  # NUL shown
    collect(inbox, "2026-06", campaign, out, workers=1, feedback=False)
    outside = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and not (p.is_relative_to(inbox) or p.is_relative_to(out))
    ]
    assert outside == []
    archived = sorted(p.parent.parent for p in (work_paths(out)["archive"]).rglob("*.xlsx"))
    assert archived and all(p == work_paths(out)["archive"] for p in archived)


def test_refused_items(tmp_path: Path) -> None:
    (tmp_path / "winmail.dat").write_bytes(b"\x78\x9f\x3e\x22")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.xlsx", b"\0" * (120 * 1024 * 1024))
    (tmp_path / "bomb.zip").write_bytes(buf.getvalue())
    items = [i for i in scan(tmp_path) if not isinstance(i, Other)]  # bomb.zip itself is kept
    assert all(isinstance(i, Refused) for i in items)
    refused = {i.chain: i.reason for i in items if isinstance(i, Refused)}
    # each refused item carries its own reason, not a neighbour's
    assert refused == {
        "winmail.dat": render("intake.winmail"),
        "broken.zip": render("intake.zip_broken"),
        "bomb.zip › bomb.xlsx": render("intake.zip_bomb"),
    }
    assert "winmail.dat" in refused["winmail.dat"] and "повреждён" in refused["broken.zip"]
    assert "сжатие" in refused["bomb.zip › bomb.xlsx"]


def test_safe_name() -> None:
    assert safe_name("../../a/b\\c:d?.xlsx") == "cd.xlsx"
    assert safe_name("") == "без_имени"
    assert safe_name("я" * 300 + ".xlsx") == "я" * 300 + ".xlsx"  # shown in full
    assert len(safe_name("я" * 3000 + ".xlsx")) == 1000


def test_user_formulas_stay_text_in_every_output(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    fill = good_fill(campaign, "SOLN", "2026-06")
    fill.set(F.ROADMAP, 0, "event", "=1+1")
    fill.set(F.ROADMAP, 1, "expected", '=HYPERLINK("http://evil.example","жми")')
    fill.set(F.ROADMAP, 2, "responsible", "+7 (495) 000")  # also breaks RM08: feedback exists
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    fill_with_openpyxl(templates["SOLN"], fill, inbox / "Отчёт.xlsx")
    result = collect(inbox, "2026-06", campaign, out, workers=1)
    regional = result.outputs["regional"]
    with zipfile.ZipFile(regional) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name), name
        assert not any("vbaProject" in n for n in z.namelist())
    rows = openpyxl.load_workbook(regional)["Дорожные карты"]
    texts = {c.value: c.data_type for row in rows.iter_rows(min_row=2) for c in row}
    assert texts["=1+1"] == "s"
    assert texts['=HYPERLINK("http://evil.example","жми")'] == "s"
    (copy,) = result.feedback
    wb = openpyxl.load_workbook(copy)
    assert wb[F.ROADMAP.name]["C2"].value == "=1+1"
    assert wb[F.ROADMAP.name]["C2"].data_type == "s"
    with zipfile.ZipFile(copy) as z:
        assert not any("vbaProject" in n for n in z.namelist())


def test_outlook_msg(tmp_path: Path, report_bytes: bytes, campaign: Campaign) -> None:
    import datetime as dt

    from shkmd_xl.intake.msg_writer import message

    when = dt.datetime(2026, 6, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    raw = message(
        "Отчёт за июнь",
        "coord.soln@demo-shkmd.example.ru",
        "Иванова Мария Петровна",
        when,
        "Во вложении отчёт.",
        [("Отчёт Солнечногорск.xlsx", report_bytes)],
    )
    assert raw[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "Письмо.msg").write_bytes(raw)
    item, letter = list(scan(inbox))
    assert isinstance(letter, Other) and letter.outcome == "письмо: 1 книга отчёта"
    assert isinstance(item, Candidate)
    assert item.name == "Отчёт Солнечногорск.xlsx" and item.data == report_bytes
    assert item.sender == "coord.soln@demo-shkmd.example.ru"
    assert item.chain == "Письмо.msg › Отчёт Солнечногорск.xlsx"
    assert item.received_at == when.astimezone().replace(tzinfo=None)
    result = collect(inbox, "2026-06", campaign, tmp_path / "out", workers=1)
    assert result.consolidation is not None
    (st,) = [s for s in result.consolidation.statuses if s.code == "SOLN"]
    assert st.status is Status.ACCEPTED and st.submission is not None
    assert st.submission.sender == "coord.soln@demo-shkmd.example.ru"
