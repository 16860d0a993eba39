"""Collect never stops and never folds (issue 21): names in bytes that are no UTF-8,
different items that clean to one name, nested Outlook letters, file modes, check on
odd names. Real names on disk (bytes paths), real zips, real .eml and .msg files."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect, work_paths
from shkmd_xl.intake import msg_writer
from shkmd_xl.names import decode_name, readable

from .clirun import run_cli

PERIOD = "2026-06"


def _sources(out: Path) -> list[tuple]:
    book = next(out.glob("*.xlsx"))
    ws = openpyxl.load_workbook(book, read_only=True)["Источники"]
    return list(ws.iter_rows(min_row=2, values_only=True))


def _listed(out: Path) -> str:
    return "\n".join(" | ".join(str(v) for v in row if v is not None) for row in _sources(out))


def test_names_are_decoded_as_russian_windows_wrote_them() -> None:
    assert decode_name("Отчёт.xlsx".encode("cp1251")) == "Отчёт.xlsx"
    assert decode_name("Отчёт.xlsx".encode("cp866")) == "Отчёт.xlsx"
    assert decode_name("Отчёт.xlsx".encode()) == "Отчёт.xlsx"
    assert decode_name(b"\x98\xb0.xlsx") == "\\x98\\xb0.xlsx"  # neither reads as Russian
    assert readable(os.fsdecode(b"\xcf\xe0\xef\xea\xe0")) == "Папка"


def _odd_inbox(root: Path, report: Path) -> Path:
    inbox = root / "in"
    inbox.mkdir()
    raw = os.fsencode(inbox)
    os.mkdir(raw + "/Папка_".encode("cp1251"))  # a folder named by Russian Windows
    shutil.copy(report, raw + "/Папка_".encode("cp1251") + b"/" + "Отчёт.xlsx".encode("cp1251"))
    (inbox / "x.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (inbox / "x\x01.csv").write_text("a;b\n3;4\n", encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a/readme.txt", "первый")
        z.writestr("b/readme.txt", "второй")
    (inbox / "архив.zip").write_bytes(buf.getvalue())
    msg = EmailMessage()
    msg["Subject"] = "Два скана"
    msg["From"] = "mo@example.ru"
    msg.set_content("Сканы во вложении")
    for body in (b"%PDF-1.4 one", b"%PDF-1.4 two", b"%PDF-1.4 two"):
        msg.add_attachment(body, maintype="application", subtype="pdf", filename="scan.pdf")
    (inbox / "письмо.eml").write_bytes(msg.as_bytes())
    when = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)
    inner = msg_writer.Mail(
        "Вложенное письмо без вложений", "mo@example.ru", "МО", when, "Текст", []
    )
    letter = msg_writer.message(
        "Пересылка", "mo@example.ru", "МО", when, "См. вложение", [("fwd.msg", inner)]
    )
    (inbox / "пересылка.msg").write_bytes(letter)
    (inbox / "пустое.eml").write_bytes(b"")
    (inbox / "шум.eml").write_bytes(os.urandom(3000))
    (inbox / "таблица.xls").write_bytes(XML_2003)
    return inbox


XML_2003 = b"""<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="1">
<Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>
"""


def test_an_odd_inbox_is_collected_whole_and_idempotently(
    soln_report: Path, campaign: Campaign, tmp_path: Path
) -> None:
    inbox = _odd_inbox(tmp_path, soln_report)
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        result = collect(inbox, PERIOD, campaign, out)
    finally:
        os.umask(old)
    assert result.consolidation is not None
    listed = _listed(out)
    # the report under cp1251 names was read and checked, its names decoded
    assert "Папка_" in listed and "Отчёт.xlsx" in listed
    db = sqlite3.connect(work_paths(out)["store"])
    # the report and the XML 2003 table named .xls (refused with its reason)
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 2
    names = [r[0] for r in db.execute("SELECT chain FROM others ORDER BY chain, occurrence")]
    # different items that clean to one name: each its own row
    assert sum("readme.txt" in n for n in names) == 2
    assert "архив.zip › a/readme.txt" in names and "архив.zip › b/readme.txt" in names
    assert "x.csv" in names and "x\u2401.csv" in names
    assert sum(n.endswith("scan.pdf") for n in names) == 3  # two equal ones: listed twice
    # a letter attached to an Outlook message, with nothing attached: an item
    assert "пересылка.msg › fwd.msg" in names, names  # the attachment's own name
    outcome = db.execute("SELECT outcome FROM others WHERE chain = 'пересылка.msg › fwd.msg'")
    assert outcome.fetchone()[0] == "письмо без вложений-книг"
    # content over extension: what each file really is
    refused = dict(db.execute("SELECT chain, reason FROM refused"))
    assert "пустой файл" in refused["пустое.eml"] and "не открыт" in refused["пустое.eml"]
    assert "неизвестного формата" in refused["шум.eml"]
    findings = {r[0] for r in db.execute("SELECT message FROM findings WHERE code = 'SUB09'")}
    assert any("XML 2003" in m for m in findings), findings
    rows_before = db.execute("SELECT count(*) FROM others").fetchone()[0]
    collect(inbox, PERIOD, campaign, out)  # a rerun changes nothing
    assert db.execute("SELECT count(*) FROM others").fetchone()[0] == rows_before
    # what we write is readable by colleagues (umask 022), not 0600
    for path in [*out.glob("*.xlsx"), *work_paths(out)["archive"].rglob("*.*")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_check_reads_a_workbook_under_a_name_in_cp1251(soln_report: Path, tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/" + "Отчёт.xlsx".encode("cp1251")
    shutil.copy(soln_report, raw)
    result = run_cli("check", os.fsdecode(raw), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []
    assert "Traceback" not in result.stderr


def _inbox_with(tmp_path: Path, report: Path, name: str) -> Path:
    """A new inbox holding ``report`` under ``name``."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(report, inbox / name)
    return inbox


def test_a_workbook_under_a_wrong_name_is_read_and_said_so(
    soln_report: Path, campaign: Campaign, tmp_path: Path
) -> None:
    inbox = _inbox_with(tmp_path, soln_report, "отчёт.eml")
    shutil.copy(soln_report, tmp_path / "отчёт")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.write(tmp_path / "отчёт", "отчёт_без_расширения")
    (inbox / "архив.zip").write_bytes(zipped.getvalue())
    out = tmp_path / "out"
    collect(inbox, PERIOD, campaign, out)
    db = sqlite3.connect(work_paths(out)["store"])
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1  # same bytes
    codes = [r[0] for r in db.execute("SELECT code FROM findings")]
    assert "SUB14" in codes and "SUB09" not in codes
    result = run_cli("check", str(inbox / "отчёт.eml"), "--json")
    assert [r["code"] for r in json.loads(result.stdout)] == ["SUB14"]


def test_check_on_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 2
    assert "это папка" in result.stdout + result.stderr


def test_no_traceback_on_an_unwritable_place() -> None:
    result = run_cli("campaign", "init", "/proc/x.xlsx")
    assert result.returncode == 2
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "Не удалось выполнить команду" in text
    assert "shkmd-xl-error.log" in text


@pytest.mark.parametrize("mask", [0o022, 0o002])
def test_atomic_outputs_follow_the_umask(tmp_path: Path, mask: int) -> None:
    from shkmd_xl.atomic import atomic_output

    old = os.umask(mask)
    try:
        import shkmd_xl.atomic as atomic

        atomic.UMASK = mask
        with atomic_output(tmp_path / "a.xlsx") as tmp:
            tmp.write_bytes(b"x")
    finally:
        os.umask(old)
        atomic.UMASK = atomic._umask()
    assert stat.S_IMODE((tmp_path / "a.xlsx").stat().st_mode) == 0o666 & ~mask


ORPHAN_SCRIPT = """
import sys, time
from shkmd_xl.isolation import Limits, run_isolated

def slow(job):
    import os
    os.write(1, f"{os.getpid()}\\n".encode())  # one write: two workers never interleave
    time.sleep(120)

if __name__ == "__main__":
    for _ in run_isolated(slow, range(4), 2, Limits(seconds=300)):
        pass
"""


def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    """kill -9 of the run (or a closed console): its workers do not stay as orphans."""
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "run.py"
    script.write_text(ORPHAN_SCRIPT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    workers: list[int] = []
    while len(workers) < 2:  # each worker prints its pid (blank lines are not ours)
        line = proc.stdout.readline()
        assert line, "the run ended before its workers started"
        if line.strip():
            workers.append(int(line))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in workers if _running(pid)]
    assert not alive


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_a_rerun_clears_what_a_killed_run_left(
    soln_report: Path, campaign: Campaign, tmp_path: Path
) -> None:
    inbox = _inbox_with(tmp_path, soln_report, "report.xlsx")
    out = tmp_path / "out"
    (out / "Архив" / "ab").mkdir(parents=True)
    (out / ".tmp-k3j4h5.xlsx").write_bytes(b"half")
    (out / "Архив" / "ab" / ".tmp-zz").write_bytes(b"half")
    (out / ".tmp-build-1").mkdir()
    collect(inbox, PERIOD, campaign, out)
    assert not list(out.rglob(".tmp-*"))


def _abort(job: int) -> int:
    if job == 1:
        import faulthandler

        faulthandler.disable()  # pytest's dump of the aborting worker is noise here
        os.abort()  # as Rust aborts when the memory cap refuses an allocation
    return job


def test_an_aborted_reader_is_said_to_need_more_memory() -> None:
    from shkmd_xl.isolation import Limits, failure_ru, run_isolated

    results = {i: (ok, r) for i, ok, r in run_isolated(_abort, [0, 1, 2], 1, Limits())}
    assert results[0] == (True, 0) and results[2] == (True, 2)
    assert results[1] == (False, "memory")
    assert "слишком велика" in failure_ru("memory", Limits())


def test_the_hostile_inbox_through_the_command_line(soln_report: Path, tmp_path: Path) -> None:
    """All of the odd items at once, as a user runs it: exit 0, each item listed once
    with its own outcome, long names whole in «Источники» and never folded, an
    Excel 97 workbook with a password (XOR) refused as encrypted; a rerun changes
    nothing. Check's --json is valid UTF-8 with a name in cp1251 bytes."""
    inbox = _odd_inbox(tmp_path, soln_report)
    stem = "Отчёт муниципалитета о реализации дорожных карт " * 5  # ~240 characters
    long = io.BytesIO()  # names inside a zip: no file system's 255-byte limit
    with zipfile.ZipFile(long, "w") as z:
        z.writestr(f"{stem[:150]}_первый.txt", "1")
        z.writestr(f"{stem[:150]}_второй.txt", "2")
    (inbox / "длинные.zip").write_bytes(long.getvalue())
    xor = tmp_path / "xor.xls"
    _excel97_with_password(xor)
    shutil.copy(xor, inbox / "с паролем.xls")
    broken = os.fsencode(inbox) + b"/" + "Сломанный.xlsx".encode("cp1251")
    Path(os.fsdecode(broken)).write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    out = tmp_path / "out"
    args = ("collect", str(inbox), "--period", PERIOD, "--out", str(out))
    first = run_cli(*args)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    listed = _listed(out)
    for end in ("_первый.txt", "_второй.txt"):  # whole, each its own row
        assert f"{stem[:150]}{end}" in listed
    assert "Сломанный.xlsx" in listed and "с паролем.xls" in listed
    db = sqlite3.connect(work_paths(out)["store"])
    codes = dict(db.execute("SELECT file, code FROM findings WHERE code IN ('SUB08', 'SUB09')"))
    assert "SUB08" in codes.values(), codes
    counts = [
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("submissions", "others", "refused", "findings")
    ]
    second = run_cli(*args)
    assert second.returncode == 0, second.stdout + second.stderr
    assert counts == [
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("submissions", "others", "refused", "findings")
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "shkmd_xl.cli", "check", os.fsdecode(broken), "--json"],
        capture_output=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    found = json.loads(proc.stdout.decode("utf-8"))  # strict: no raw cp1251 byte
    assert [f["code"] for f in found] == ["SUB09"]
    assert "Сломанный.xlsx" in json.dumps(found, ensure_ascii=False)


def _excel97_with_password(path: Path) -> None:
    """An Excel 97 workbook saved by LibreOffice, then declared XOR-obfuscated."""
    from .lo import run_jobs
    from .test_hostile import _declare_xor_obfuscation

    src = path.with_suffix(".ods.xlsx")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(src)
    run_jobs([{"open": str(src), "save": [[str(path), "xls"]]}])
    _declare_xor_obfuscation(path)
