"""Entry points of the buttons through xlwings' remote engine (no Excel needed).

Reads after writes return the original snapshot, so the tests assert on the
queued actions of ``book.json()["actions"]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from xlsxwriter.utility import xl_cell_to_rowcol

from shkmd_xl.campaign import Campaign
from shkmd_xl.demo import MISTAKES, build_inbox
from shkmd_xl.excel import municipal, region
from shkmd_xl.forms import console as C
from shkmd_xl.forms import sheets as F

from .breakers import BREAKERS
from .fills import fill_with_openpyxl, good_fill

xw = pytest.importorskip("xlwings")


def console_book(**values: str) -> Any:
    grid = [[""] * 7 for _ in range(20)]
    for s in C.SETTINGS:
        r, c = xl_cell_to_rowcol(s.cell)
        grid[r][0] = s.label
        grid[r][c] = values.get(s.key, "")
    payload = {
        "client": "Microsoft Office Scripts",
        "version": xw.__version__,
        "book": {"name": "shkmd_region.xlsm", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [
            {"name": C.CONSOLE_SHEET, "values": grid, "pictures": [], "tables": []},
            {
                "name": C.CONF_SHEET,
                "values": [["INTERPRETER_WIN", ""]],
                "pictures": [],
                "tables": [],
            },
        ],
    }
    return xw.Book(json=payload)


def actions(book: Any, func: str) -> list[dict[str, Any]]:
    return [a for a in book.json()["actions"] if a["func"] == func]


def at(action: dict[str, Any]) -> tuple[int, int]:
    return action["start_row"], action["start_column"]


def message(book: Any) -> tuple[str, str]:
    r, c = xl_cell_to_rowcol(C.MESSAGE_CELL)
    text = next(a["values"][0][0] for a in actions(book, "setValues") if at(a) == (r, c))
    colour = next(a["args"][0] for a in actions(book, "setRangeColor") if at(a) == (r, c))
    return text, colour


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> Path:
    root = tmp_path_factory.mktemp("xlw")
    build_inbox(campaign, root / "in", "2026-04")
    return root / "in" / "2026-04"


def test_collect_and_check_fills_the_status_table(
    inbox: Path, tmp_path: Path, campaign: Campaign
) -> None:
    book = console_book(inbox=str(inbox), period="2026-04", out=str(tmp_path / "res"))
    region.collect_and_check(book)
    first = C.STATUS_HEADER_ROW  # 0-based row of the first status line
    (table,) = [a for a in actions(book, "setValues") if at(a) == (first, 0)]
    rows = table["values"]
    assert [r[0] for r in rows] == [m.code for m in campaign.municipalities]
    status = {r[0]: r[2] for r in rows}
    assert status["D01"] == "на доработку" and status["D10"] == "не представлено"
    colours = {
        a["start_row"] - first: a["args"][0]
        for a in actions(book, "setRangeColor")
        if a["start_column"] == 2 and a["start_row"] >= first
    }
    codes = [r[0] for r in rows]
    assert colours[codes.index("D01")] == "#ffc7ce" and colours[codes.index("SOLN")] == "#c6efce"
    links = actions(book, "addHyperlink")
    assert any(a["args"][1] == "Замечания_D01_2026-04.xlsx" for a in links)
    text, colour = message(book)
    assert text.startswith("Готово.") and colour == "#c6efce"
    summary_row, _ = xl_cell_to_rowcol(C.SUMMARY_CELL)
    summary = next(
        a["values"][0][0] for a in actions(book, "setValues") if at(a) == (summary_row, 1)
    )
    silent = sum(m == "silent" for m in MISTAKES["2026-04"].values())  # the demo's April
    sent = len(campaign.municipalities) - silent
    assert f"Получено файлов: {sent}" in summary and f"не представлено: {silent}" in summary


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"period": "2026-04", "out": "/tmp/x"}, "Папка входящих"),
        ({"inbox": "/нет/такой/папки", "period": "2026-04", "out": "/tmp/x"}, "не найден"),
        ({"inbox": "/tmp", "out": "/tmp/x"}, "отчётный период"),
    ],
)
def test_user_errors_are_russian_messages(values: dict[str, str], expected: str) -> None:
    book = console_book(**values)
    region.collect_and_check(book)
    text, colour = message(book)
    assert expected in text and colour == "#ffc7ce"
    assert "Traceback" not in text


def test_open_report_before_any_run(tmp_path: Path) -> None:
    book = console_book(out=str(tmp_path), period="2026-04")
    region.open_report(book)
    text, _ = message(book)
    assert "Собрать и проверить" in text


def test_check_one_file_writes_remarks(
    templates: dict[str, Path], campaign: Campaign, tmp_path: Path
) -> None:
    fill = good_fill(campaign, "SOLN", "2026-06")
    BREAKERS["no_status"][1](fill)
    path = fill_with_openpyxl(templates["SOLN"], fill, tmp_path / "f.xlsx")
    book = console_book(file=str(path), period="2026-06")
    region.check_one_file(book)
    (added,) = actions(book, "addSheet")
    assert added["args"] == [0, C.REMARKS_SHEET]
    table = next(a["values"] for a in actions(book, "setValues") if at(a) == (0, 0))
    assert table[0][:4] == ["Код", "Важность", "Лист", "Ячейка"]
    assert [row[0] for row in table[1:]] == ["RM09"]
    text, colour = message(book)
    assert "ошибок: 1" in text and colour == "#ffc7ce"


def municipal_book(path: Path, extra: list[dict[str, Any]] | None = None) -> Any:
    names = [
        F.TITLE.name,
        F.PASSPORT.name,
        F.ROADMAP.name,
        F.MOUO_NAME,
        F.SCHOOL_MON_NAME,
        F.TRAINING.name,
        F.CONTROL,
    ]
    extra = extra or []
    sheets = [
        *(e for e in extra if e["name"] != F.MARKS),
        *({"name": n, "values": [[""]], "pictures": [], "tables": []} for n in names),
        next(
            (e for e in extra if e["name"] == F.MARKS),
            {"name": F.MARKS, "values": [list(F.MARK_HEADERS)], "pictures": [], "tables": []},
        ),
    ]
    return xw.Book(
        json={
            "client": "Microsoft Office Scripts",
            "version": xw.__version__,
            "book": {"name": str(path), "active_sheet_index": 0, "selection": "A1"},
            "names": [],
            "sheets": sheets,
        }
    )


def test_municipal_check_marks_cells_and_jumps(
    templates: dict[str, Path], campaign: Campaign, tmp_path: Path
) -> None:
    fill = good_fill(campaign, "SOLN", "2026-06")
    BREAKERS["no_responsible"][1](fill)
    BREAKERS["mouo_no_value"][1](fill)
    path = fill_with_openpyxl(templates["SOLN"], fill, tmp_path / "mo.xlsx")
    book = municipal_book(path)
    municipal.check_workbook(book)
    assert actions(book, "addSheet")[0]["args"] == [0, C.REMARKS_SHEET]
    # nothing is written into the protected form sheets (Excel refuses it: 1004): the
    # cells go to «_marks», whose conditional formats colour them (see test_libreoffice)
    marks_position = 1 + 7  # «Замечания» inserted first, then the 7 form sheets
    assert not [a for a in actions(book, "setRangeColor") if a["sheet_position"] != 0]
    (listed,) = [a for a in actions(book, "setValues") if a["sheet_position"] == marks_position]
    assert at(listed) == (1, 0)  # A2, under the headers
    assert [F.ROADMAP.name, "G3", "ошибка"] in listed["values"]  # responsible, 2nd event
    assert [F.MOUO_NAME, "F2", "ошибка"] in listed["values"]  # June value of M01
    positions = {F.ROADMAP.name: 3, F.MOUO_NAME: 4}
    select = actions(book, "rangeSelect")[-1]
    assert select["sheet_position"] in positions.values()


def test_clear_removes_exactly_what_check_added(tmp_path: Path) -> None:
    path = tmp_path / "mo.xlsx"
    path.write_bytes(b"")
    remarks = {
        "name": C.REMARKS_SHEET,
        "pictures": [],
        "tables": [],
        "values": [
            ["Код", "Важность", "Лист", "Ячейка", "ОО", "Замечание"],
            ["RM08", "ошибка", F.ROADMAP.name, "G4", "", "…"],
            ["MN01", "ошибка", F.MOUO_NAME, "F2", "", "…"],
            ["SUB03", "ошибка", "", "", "", "…"],
        ],
    }
    marks = {
        "name": F.MARKS,
        "pictures": [],
        "tables": [],
        "values": [
            list(F.MARK_HEADERS),
            [F.ROADMAP.name, "G4", "ошибка"],
            [F.MOUO_NAME, "F2", "ошибка"],
        ],
    }
    book = municipal_book(path, [remarks, marks])
    municipal.clear_remarks(book)
    assert not actions(book, "setRangeColor")  # the protected sheets are not touched
    (cleared,) = actions(book, "rangeClearContents")
    assert cleared["sheet_position"] == 8 and at(cleared) == (1, 0)  # «_marks»!A2:C3
    assert cleared["row_count"] == 2 and cleared["column_count"] == 3
    (deleted,) = actions(book, "sheetDelete")
    assert deleted["sheet_position"] == 0


def test_unsaved_workbook_asks_to_save(tmp_path: Path) -> None:
    book = municipal_book(tmp_path / "не_сохранён.xlsx")
    municipal.check_workbook(book)
    values = [a["values"][0][0] for a in actions(book, "setValues")]
    assert any("Сохраните книгу" in v for v in values)


def test_brief_button_writes_the_docx(inbox: Path, tmp_path: Path, campaign: Campaign) -> None:
    """The button writes the справка of the console's period: read back, it names the
    period, has its sections, tables and figures, and counts every municipality."""
    import docx

    out = tmp_path / "res"
    book = console_book(inbox=str(inbox), period="2026-04", out=str(out))
    region.collect_and_check(book)
    book = console_book(inbox=str(inbox), period="2026-04", out=str(out))
    region.make_brief(book)
    text, colour = message(book)
    assert "Аналитическая справка записана" in text and colour == "#c6efce"
    doc = docx.Document(str(out / "Справка_2026-04.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == campaign.region and texts[2] == "АНАЛИТИЧЕСКАЯ СПРАВКА"
    assert "за апрель 2026" in texts[3] and campaign.title in texts[3]
    assert any(t.startswith("Отчёты за апрель 2026 представили ") for t in texts)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 10  # nine numbered sections (Word numbers them) and the appendix
    assert any(t.startswith("Таблица 1 – ") for t in texts)
    assert any(t.startswith("Рисунок 1 – ") for t in texts) and len(doc.inline_shapes) >= 1
    statuses = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert statuses[0] == ["Статус", "Муниципальных образований", "Доля, %"]
    assert sum(int(r[1]) for r in statuses[1:]) == len(campaign.municipalities)
    empty = console_book(period="2026-04", out=str(tmp_path))
    region.make_brief(empty)
    text, colour = message(empty)
    assert "нет результатов сбора" in text and colour == "#ffc7ce"
