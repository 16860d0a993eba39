"""Nothing received is lost, nothing crashes: issue «Nothing lost, nothing misleading».

Every item of an inbox (any extension, every letter and archive) is archived by hash
and listed with an outcome; long Cyrillic names keep their extension; ``check`` has
collect's limits and the same verdict as collect.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from shkmd_xl.campaign import Campaign
from shkmd_xl.cli import app
from shkmd_xl.collect import collect, work_paths
from shkmd_xl.feedback import XLSX_MIME
from shkmd_xl.intake import Candidate, safe_name, scan
from shkmd_xl.intake.archive import content_hash, verify
from shkmd_xl.isolation import Limits
from shkmd_xl.pipeline import check, check_files

XLSX = XLSX_MIME


@pytest.fixture(scope="module")
def report(soln_report: Path) -> Path:
    return soln_report


def _letter(subject: str, attachments: list[tuple[str, bytes, str]]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Координатор <coord.soln@demo-shkmd.example.ru>"
    msg["To"] = "region@example.ru"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 22 Jun 2026 10:00:00 +0300"
    msg.set_content("Добрый день! Направляем отчёт.")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def test_long_cyrillic_names_keep_their_extension(
    tmp_path: Path, report: Path, campaign: Campaign
) -> None:
    in_mail = "Отчёт ШКМД " + "Солнечногорский муниципальный район Московской области " * 3
    in_mail += "за июнь 2026 года.xlsx"
    on_disk = "Отчёт " + "Солнечногорский район " * 5 + "июнь.xlsx"  # 245 bytes: fits ext4
    assert len(in_mail) > 180 and len(on_disk) > 120
    assert safe_name(in_mail) == in_mail  # shown in full («Источники» holds it)
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / on_disk).write_bytes(report.read_bytes())
    letter = _letter("Отчёт", [(in_mail, report.read_bytes(), "/".join(XLSX))])
    (inbox / "письмо.eml").write_bytes(bytes(letter))
    books = [i for i in scan(inbox) if isinstance(i, Candidate)]
    assert [Path(b.name).suffix for b in books] == [".xlsx", ".xlsx"]
    result = collect(inbox, "2026-06", campaign, tmp_path / "out", workers=1, feedback=False)
    cons = result.consolidation
    assert cons is not None and cons.summary["received"] == 2
    assert not [f for f in cons.findings if f["code"] == "SUB09"]
    (soln,) = [s for s in cons.statuses if s.code == "SOLN"]
    assert soln.submission is not None


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_every_received_item_is_archived_and_listed(
    tmp_path: Path, report: Path, campaign: Campaign
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    xlsb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"})
    files = {
        "Сопроводительное письмо.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "данные.csv": "Школа;Показатель\nСОШ 1;5\n".encode("cp1251"),
        "выгрузка.xml": b"<?xml version='1.0'?><root/>",
        "Отчёт двоичный.xlsb": xlsb,
        "~$Отчёт.xlsx": b"\x08" + "Иванова".encode("utf-16-le").ljust(164, b"\x00"),
        "без расширения": b"just some bytes",
        "Архив.zip": _zip({"readme.txt": b"see attached", "Отчёт.xlsx": report.read_bytes()}),
    }
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    (inbox / "пустое письмо.eml").write_bytes(bytes(_letter("Отчёт", [])))
    only_pdf = _letter("Скан", [("скан.pdf", b"%PDF-1.7 scan", "application/pdf")])
    (inbox / "письмо со сканом.eml").write_bytes(bytes(only_pdf))
    broken = _letter("Отчёт", [("Отчёт.xlsx", b"placeholder", "/".join(XLSX))])
    raw = bytes(broken)
    payload = raw.rsplit(b"\n\n", 1)
    raw = payload[0] + b"\n\n" + b"!!!not base64 at all%%%\n"  # the attachment does not decode
    (inbox / "битое вложение.eml").write_bytes(raw)

    out = tmp_path / "out"
    result = collect(inbox, "2026-06", campaign, out, workers=1, feedback=False)
    cons = result.consolidation
    assert cons is not None

    # every file of the inbox is in the archive under its hash, and named in «Источники»
    archive = work_paths(out)["archive"]
    archived = {p.stem for p in archive.rglob("*") if p.is_file()}
    assert all(verify(p) for p in archive.rglob("*") if p.is_file())
    for path in inbox.iterdir():
        assert content_hash(path.read_bytes()) in archived, path.name
    ws = openpyxl.load_workbook(result.outputs["regional"], read_only=True)["Источники"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    outcome = {chain: r[4] for chain, r in rows.items()}
    for path in inbox.iterdir():
        assert outcome.get(path.name), path.name
        assert rows[path.name][6] == content_hash(path.read_bytes())
    assert outcome["Сопроводительное письмо.pdf"].startswith("не книга отчёта (файл .pdf)")
    assert outcome["без расширения"].startswith("не книга отчёта (файл без расширения)")
    assert outcome["~$Отчёт.xlsx"].startswith("служебный файл Excel")
    assert outcome["пустое письмо.eml"] == "письмо без вложений-книг"
    assert outcome["письмо со сканом.eml"] == "письмо без вложений-книг"
    assert outcome["письмо со сканом.eml › скан.pdf"].startswith("не книга отчёта")
    assert outcome["Архив.zip"] == "архив: 1 книга отчёта"
    assert outcome["Архив.zip › readme.txt"].startswith("не книга отчёта (файл .txt)")
    assert outcome["битое вложение.eml"] == "письмо: 1 книга отчёта"
    # .xlsb is refused with a finding that says how to save it
    (xlsb_finding,) = [f for f in cons.findings if f["file"] == "Отчёт двоичный.xlsb"]
    assert xlsb_finding["code"] == "SUB09" and "«Книга Excel (.xlsx)»" in xlsb_finding["message"]
    # the store knows every item with its hash (evidence of receipt)
    db = sqlite3.connect(work_paths(out)["store"])
    others = dict(db.execute("SELECT chain, hash FROM others").fetchall())
    assert others["пустое письмо.eml"] == content_hash((inbox / "пустое письмо.eml").read_bytes())
    assert db.execute("SELECT count(*) FROM others WHERE hash = ''").fetchone()[0] == 0
    assert not any("Error" in (f["message"] or "") for f in cons.findings)  # no English


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic (not an Exception: ``except Exception`` misses it)."""


def test_a_reader_panic_is_a_finding_not_a_traceback(
    report: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    import python_calamine

    def panic(*args: object, **kwargs: object) -> None:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", panic)
    (issue,) = check(report, campaign, "2026-06")
    assert issue.code == "SUB09" and "unwrap" not in issue.message
    # the command line (its worker is forked from here, so it panics too)
    result = CliRunner().invoke(app, ["check", str(report), "--json"])
    assert result.exit_code == 2, result.output
    (row,) = json.loads(result.stdout)
    assert row["code"] == "SUB09" and "программа чтения" in row["message"]


def test_check_has_collects_memory_limit(
    report: Path, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shkmd_xl.reader.book as book

    def balloon(*args: object, **kwargs: object) -> None:
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(40)]  # 2.5 GB
        raise AssertionError(len(hoard))

    monkeypatch.setattr(book, "read_book", balloon)
    good = report.parent / "хороший.xlsx"
    good.write_bytes(report.read_bytes())
    reports = check_files([report, good], campaign, "2026-06", Limits(memory_mb=256))
    assert len(reports) == 2
    for rep in reports:
        (issue,) = rep
        assert issue.code == "SUB09" and "памяти" in issue.message


def _declared_only(path: Path, report: Path, declared_rows: int) -> Path:
    """The report with its roadmap sheet declaring ``declared_rows`` rows it does not have."""
    import re

    with zipfile.ZipFile(report) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet4.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*" ?/>',
                    f'<dimension ref="A1:J{declared_rows}"/>'.encode(),
                    data,
                )
                assert f"J{declared_rows}".encode() in data
            dst.writestr(info, data)
    return path


def test_check_and_collect_give_one_verdict_on_sheet_size(
    tmp_path: Path, report: Path, campaign: Campaign
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    liar = _declared_only(inbox / "объявлено много строк.xlsx", report, 150_000)
    verdicts = {
        "check()": [i.code for i in check(liar, campaign, "2026-06") if i.code == "SUB09"],
        "check_files": [
            i.code for i in check_files([liar], campaign, "2026-06")[0] if i.code == "SUB09"
        ],
    }
    result = collect(inbox, "2026-06", campaign, tmp_path / "out", workers=1, feedback=False)
    assert result.consolidation is not None
    verdicts["collect"] = [f["code"] for f in result.consolidation.findings if f["code"] == "SUB09"]
    assert verdicts == {k: ["SUB09"] for k in verdicts}


def test_check_output_in_workbook_order_and_grouped(
    templates: dict[str, Path], campaign: Campaign
) -> None:
    """A blank template has dozens of findings of one kind per sheet: one line each,
    and the sheets come in the order of the workbook."""
    import io

    from rich.console import Console

    from shkmd_xl.terminal import SHEET_ORDER, print_findings

    report = check(templates["SOLN"], campaign, "2026-11")
    out = io.StringIO()
    print_findings(Console(file=out, width=200), report)
    text = out.getvalue()
    titles = [line.split(": ", 1)[1].strip() for line in text.splitlines() if ".xlsx: " in line]
    shown = [t for t in titles if t in SHEET_ORDER]
    assert shown == sorted(shown, key=SHEET_ORDER.index) and len(shown) >= 3
    assert "Так же — ещё в" in text
    lines = [line for line in text.splitlines() if line.startswith("│") or "│" in line]
    assert len(report) > 3 * len(lines) / 2  # grouped: far fewer lines than findings


def test_a_file_too_large_to_open_is_still_archived(tmp_path: Path, campaign: Campaign) -> None:
    from shkmd_xl.intake import MAX_MEMBER_BYTES

    inbox = tmp_path / "in"
    inbox.mkdir()
    huge = inbox / "Огромный отчёт.xlsx"
    with huge.open("wb") as fh:  # sparse: quick to make, as large as any other to read
        fh.truncate(MAX_MEMBER_BYTES + 1)
    result = collect(inbox, "2026-06", campaign, tmp_path / "out", workers=1, feedback=False)
    assert result.consolidation is not None
    (source,) = [s for s in result.consolidation.sources if s["chain"] == huge.name]
    assert source["outcome"].startswith("не принят: файл слишком большой")
    archived = [p for p in work_paths(tmp_path / "out")["archive"].rglob("*.xlsx")]
    assert [p.stem for p in archived] == [source["hash"]] and verify(archived[0])
