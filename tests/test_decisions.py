"""The region's decisions (issue 19): recorded from the command line and from «Решения»
of the regional workbook, stored append-only in the real SQLite store, driving the
statuses, the letters and the lock on an accepted report. Real files on disk, real
collect runs on the tests' small campaign (SEV clean, YUG with RM02, VOS silent)."""

from __future__ import annotations

import datetime as dt
import email
import os
import sqlite3
from email import policy
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import CollectResult, collect
from shkmd_xl.forms import decisions as D
from shkmd_xl.forms import sheets as F
from shkmd_xl.reader.decisions import read_decisions
from shkmd_xl.template.workbook import write_municipal_workbook

from .breakers import DIR4, ev
from .campaign import PATH as CAMPAIGN_JSON
from .campaign import small_campaign
from .clirun import run_cli
from .fills import fill_with_openpyxl, good_fill

pytestmark = pytest.mark.slow

APRIL = "2026-04"


def _report(c: Campaign, root: Path, code: str, name: str, when: dt.datetime, bad: bool) -> Path:
    template = root / "шаблоны" / f"{code}.xlsx"
    if not template.exists():
        write_municipal_workbook(c, code, template, dt.datetime(2026, 1, 1))
    fill = good_fill(c, code, APRIL)
    if bad:  # a direction missing from the road map: RM02
        fill.drop_row(F.ROADMAP, ev(1, DIR4))
    path = fill_with_openpyxl(template, fill, root / "Входящие" / name)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


@pytest.fixture
def run(tmp_path: Path) -> dict:
    """April collected once: SEV clean, YUG with RM02, VOS sent nothing."""
    c = small_campaign()
    (tmp_path / "Входящие").mkdir()
    base = dt.datetime(2026, 4, 27, 10, 0)
    _report(c, tmp_path, "SEV", "Отчёт SEV.xlsx", base, bad=False)
    _report(c, tmp_path, "YUG", "Отчёт YUG.xlsx", base + dt.timedelta(hours=1), bad=True)
    out = tmp_path / "Результаты"
    first = collect(tmp_path / "Входящие", APRIL, c, out, workers=1)
    return {"c": c, "root": tmp_path, "out": out, "first": first}


def _collect(run: dict, **kw: object) -> CollectResult:
    return collect(run["root"] / "Входящие", APRIL, run["c"], run["out"], workers=1, **kw)


def _decide(run: dict, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(
        "decide",
        "--period",
        APRIL,
        "--out",
        str(run["out"]),
        "--campaign",
        str(CAMPAIGN_JSON),
        *args,
    )


def _sheet(path: Path, name: str) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r and r[0]]


def _by_code(path: Path, name: str = "Сводка") -> dict[str, dict]:
    return {str(r["Код"]): r for r in _sheet(path, name) if len(str(r["Код"])) <= 4}


def _decisions(run: dict) -> list[tuple]:
    db = sqlite3.connect(run["out"] / "shkmd.sqlite")
    try:
        return db.execute(
            "SELECT municipality, action, reason, deadline, waived, who, source"
            " FROM decisions ORDER BY id"
        ).fetchall()
    finally:
        db.close()


def _letter(run: dict, code: str) -> email.message.EmailMessage:
    path = run["out"] / "Замечания" / APRIL / f"Письмо_{code}_{APRIL}.eml"
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def _body(msg: email.message.EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _regional(run: dict) -> Path:
    return run["out"] / f"Свод_{APRIL}.xlsx"


def test_accept_locks_report_and_late_file_is_flagged_until_reopened(run: dict) -> None:
    accepted = run["first"].consolidation.current["SEV"].hash
    done = _decide(run, "--municipality", "SEV", "accept", "--who", "Петрова А. А.")
    assert done.returncode == 0, done.stderr
    assert "Записано решение" in done.stdout and "принять" in done.stdout
    assert _decisions(run) == [
        ("SEV", "accept", "", None, "[]", "Петрова А. А.", "командная строка")
    ]
    row = _by_code(_regional(run))["SEV"]
    assert row["Статус"] == "принято" and row["Решение региона"].startswith("принят регионом")
    decided = _by_code(_regional(run), D.SHEET)["SEV"]
    assert decided["Кто и когда"].startswith("Петрова А. А.")
    letter = _letter(run, "SEV")  # an accepted report with nothing to mark: a letter still
    assert "принят" in letter["Subject"] and "принят региональным" in _body(letter)
    assert not list(letter.iter_attachments())

    # a later file from SEV (with a mistake): recorded, flagged, never counted
    _report(run["c"], run["root"], "SEV", "SEV исправленный.xlsx", dt.datetime(2026, 4, 29), True)
    late = _collect(run)
    cons = late.consolidation
    assert cons.current["SEV"].hash == accepted
    flagged = [f for f in cons.findings if f["code"] == "DEC01"]
    assert [f["file"] for f in flagged] == ["SEV исправленный.xlsx"]
    assert not [f for f in cons.findings_of(cons.statuses[0].name) if f["code"] == "RM02"]
    sources = _sheet(late.outputs["regional"], "Источники")
    outcome = {s["Откуда (письмо › архив › файл)"]: s["Исход"] for s in sources}
    assert outcome["SEV исправленный.xlsx"].startswith("получен после принятия")
    gaps = _sheet(late.outputs["regional"], "Пробелы")
    assert any(g["Код"] == "DEC01" for g in gaps)
    assert _by_code(late.outputs["regional"])["SEV"]["Статус"] == "принято"

    # reopening needs a reason; with one, the next file counts
    refused = _decide(run, "--municipality", "SEV", "reopen")
    assert refused.returncode == 2 and "причину" in refused.stderr
    reopened = _decide(run, "--municipality", "SEV", "reopen", "--reason", "прислали исправления")
    assert reopened.returncode == 0, reopened.stderr
    after = _collect(run).consolidation
    assert after.current["SEV"].hash != accepted
    assert not [f for f in after.findings if f["code"] == "DEC01"]
    assert [st.status.ru for st in after.statuses if st.code == "SEV"] == ["на доработку"]
    assert [d[1] for d in _decisions(run)] == ["accept", "reopen"]  # the history is kept


def test_waived_finding_no_longer_counts_but_is_listed_with_its_reason(run: dict) -> None:
    yug = run["first"].consolidation.statuses[1]
    assert yug.code == "YUG" and yug.errors and yug.status.ru == "на доработку"
    no_reason = _decide(run, "--municipality", "YUG", "accept", "--waive", "RM02")
    assert no_reason.returncode == 2 and "причину" in no_reason.stderr
    wrong = _decide(run, "-m", "YUG", "accept", "--waive", "MN02", "--reason", "x")
    assert wrong.returncode == 2 and "RM02" in wrong.stderr  # names the findings there are
    typo = _decide(run, "-m", "YUG", "accept", "--waive", "RM2", "--reason", "x")
    assert typo.returncode == 2 and "не код замечания" in typo.stderr
    reason = "направление 4 согласовано с министерством"
    ok = _decide(run, "-m", "YUG", "accept", "--waive", "RM02", "--reason", reason)
    assert ok.returncode == 0, ok.stderr
    row = _by_code(_regional(run))["YUG"]
    assert row["Статус"] == "принято" and row["Ошибок"] in (None, 0)
    waived = [g for g in _sheet(_regional(run), "Пробелы") if g["Код"] == "RM02"]
    assert waived and all(g["Важность"] == "снято регионом" for g in waived)
    assert all(reason in g["Замечание"] for g in waived)
    body = _body(_letter(run, "YUG"))
    assert "не учитываются" in body and reason in body
    again = _decide(run, "-m", "YUG", "accept", "--waive", "RM02", "--reason", reason)
    assert again.returncode == 0 and "уже записано" in again.stdout
    assert len(_decisions(run)) == 1


def test_cli_messages_unknown_municipality_no_report_return_with_deadline(run: dict) -> None:
    unknown = _decide(run, "--municipality", "SEW", "accept")
    assert unknown.returncode == 2 and "Возможно, имелось в виду «SEV»" in unknown.stderr
    silent = _decide(run, "--municipality", "VOS", "accept")
    assert silent.returncode == 2 and "не получен" in silent.stderr
    bad_date = _decide(run, "-m", "SEV", "return", "--deadline", "завтра")
    assert bad_date.returncode == 2 and "ДД.ММ.ГГГГ" in bad_date.stderr
    returned = _decide(
        run, "-m", "SEV", "return", "--deadline", "15.05.2026", "--reason", "нет подписи"
    )
    assert returned.returncode == 0, returned.stderr
    assert "15.05.2026" in returned.stdout
    assert _by_code(_regional(run))["SEV"]["Статус"] == "на доработку"
    letter = _letter(run, "SEV")
    assert "возвращён" in letter["Subject"]
    assert "до 15.05.2026" in _body(letter) and "нет подписи" in _body(letter)
    nowhere = run_cli(
        "decide", "-p", APRIL, "-m", "SEV", "accept", "--out", str(run["root"] / "нет")
    )
    assert nowhere.returncode == 2 and "Сначала запустите сбор" in nowhere.stderr
    assert "Traceback" not in unknown.stderr + silent.stderr + bad_date.stderr + nowhere.stderr


def _type(path: Path, rows: dict[str, dict[str, object]]) -> None:
    """Type into «Решения» as the analyst does (openpyxl stands for Excel)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[D.SHEET]
    for r in range(2, ws.max_row + 1):
        code = ws.cell(r, 1).value
        for key, value in rows.get(str(code), {}).items():
            ws.cell(r, D.column(key) + 1).value = value
    wb.save(path)


def test_decisions_typed_in_the_sheet_are_recorded_once(run: dict) -> None:
    path = _regional(run)
    _type(
        path,
        {
            "SEV": {"new": "принять"},
            "YUG": {
                "new": "вернуть на доработку",
                "new_reason": "нет направления 4",
                "new_deadline": dt.datetime(2026, 5, 20),
            },
            "VOS": {"new": "принять"},  # nothing received: refused, kept, the cell named
        },
    )
    second = _collect(run)
    assert len(second.decisions) == 2
    assert len(second.decision_problems) == 1
    vos_row = 4
    assert f"ячейка {D.letter('new')}{vos_row}" in second.decision_problems[0]
    assert "не получен" in second.decision_problems[0]
    kept = [(m, a, r, d, s) for m, a, r, d, _, _, s in _decisions(run)]
    assert kept == [
        ("SEV", "accept", "", None, "лист «Решения»"),
        ("YUG", "return", "нет направления 4", "2026-05-20", "лист «Решения»"),
    ]
    sheet = _by_code(second.outputs["regional"], D.SHEET)
    assert sheet["SEV"]["Новое решение"] is None  # recorded: the input is empty again
    assert sheet["SEV"]["Решение региона"].startswith("принят регионом")
    assert sheet["VOS"]["Новое решение"] == "принять"  # refused: what was typed is kept
    assert "не получен" in sheet["VOS"]["Не записано: почему"]
    assert "до 20.05.2026" in _body(_letter(run, "YUG"))
    third = _collect(run)  # a rerun records nothing twice
    assert third.decisions == [] and len(_decisions(run)) == 2


def test_bad_typed_decisions_name_their_cells(run: dict, tmp_path: Path) -> None:
    path = _regional(run)
    _type(
        path,
        {
            "SEV": {"new": "принят навсегда"},
            "YUG": {"new": "вернуть на доработку", "new_deadline": "завтра"},
            "VOS": {"new_reason": "причина без решения"},
        },
    )
    given = tmp_path / "Свод с решениями.xlsx"  # a path given: collect --decisions
    given.write_bytes(path.read_bytes())
    path.unlink()
    other = read_decisions(given, "2026-06")  # the sheet of another period: nothing read
    assert not other.rows and "за период 2026-04" in other.problems[0]
    result = _collect(run, decisions=given)
    problems = result.decision_problems
    assert len(problems) == 3 and not result.decisions and not _decisions(run)
    assert f"ячейка {D.letter('new')}2" in problems[0] and "принять" in problems[0]
    assert f"ячейка {D.letter('new_deadline')}3" in problems[1] and "ДД.ММ.ГГГГ" in problems[1]
    assert f"ячейка {D.letter('new')}4" in problems[2]
    assert all("Свод с решениями.xlsx" in p and "«Решения»" in p for p in problems)
    waive = _sheet(result.outputs["regional"], D.SHEET)
    assert [w["Новое решение"] for w in waive[:3]] == [
        "принят навсегда",
        "вернуть на доработку",
        None,
    ]


def _console(run: dict, selection: str, reason: str = "") -> object:
    """The regional console as xlwings' remote engine sees it: settings, the status
    table after a collect, the analyst's selection."""
    xw = pytest.importorskip("xlwings")
    from xlsxwriter.utility import xl_cell_to_rowcol

    from shkmd_xl.forms import console as C

    values = {"period": APRIL, "out": str(run["out"]), "campaign": str(CAMPAIGN_JSON)}
    values["reason"] = reason
    grid = [[""] * 8 for _ in range(20)]
    for s in C.SETTINGS:
        r, c = xl_cell_to_rowcol(s.cell)
        grid[r][0], grid[r][c] = s.label, values.get(s.key, "")
    for i, st in enumerate(run["first"].consolidation.statuses):
        grid[C.STATUS_HEADER_ROW + i][:3] = [st.code, st.name, st.status.ru]
    return xw.Book(
        json={
            "client": "Microsoft Office Scripts",
            "version": xw.__version__,
            "book": {"name": "shkmd_region.xlsm", "active_sheet_index": 0, "selection": selection},
            "names": [],
            "sheets": [{"name": C.CONSOLE_SHEET, "values": grid, "pictures": [], "tables": []}],
        }
    )


def _queued(book: object) -> list[dict]:
    return list(book.json()["actions"])  # type: ignore[attr-defined]


def test_console_buttons_accept_and_return_the_selected_municipality(run: dict) -> None:
    from shkmd_xl.excel import region
    from shkmd_xl.forms import console as C

    first = C.STATUS_HEADER_ROW + 1  # 1-based row of SEV, the first municipality
    book = _console(run, f"B{first}")
    region.accept_selected(book)
    said = [a["values"][0][0] for a in _queued(book) if a["func"] == "setValues"]
    assert any("Записано решение" in str(s) for s in said), said
    assert _decisions(run)[0][:2] == ("SEV", "accept") and _decisions(run)[0][6] == "пульт"
    status = [a for a in _queued(book) if a["func"] == "setValues" and a["start_column"] == 2]
    assert status[0]["values"] == [["принято"]]

    book = _console(run, f"C{first + 1}", reason="нет направления 4")
    region.return_selected(book)
    assert _decisions(run)[1][:3] == ("YUG", "return", "нет направления 4")
    assert "возвращён" in _letter(run, "YUG")["Subject"]

    book = _console(run, "B3")  # not a row of the table: a Russian message, nothing recorded
    region.accept_selected(book)
    said = [a["values"][0][0] for a in _queued(book) if a["func"] == "setValues"]
    assert any("Выделите строку" in str(s) for s in said) and len(_decisions(run)) == 2
