"""The regional console and the municipal .xlsm variant: sheets and buttons (xlsxwriter).

The VBA project is added afterwards by :mod:`shkmd_xl.template.vba`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..atomic import atomic_output
from ..campaign.models import Campaign
from ..forms import console as C
from ..forms import sheets as F
from .styles import Styles
from .workbook import WORKBOOK_OPTIONS, build

BUTTON_SIZE = {"width": 190, "height": 34}


def _buttons(ws: Worksheet, buttons: tuple[C.Button, ...]) -> None:
    for b in buttons:
        ws.insert_button(b.cell, {"macro": b.macro, "caption": b.caption, **BUTTON_SIZE})


def interpreter_win() -> str | None:
    """pythonw.exe of the environment building the workbook (Windows), else None."""
    import os
    import sys
    from pathlib import Path

    if os.name != "nt":
        return None
    pythonw = Path(sys.executable).with_name("pythonw.exe")
    return str(pythonw) if pythonw.exists() else None


def _conf_sheet(wb: Workbook, st: Styles) -> None:
    ws = wb.add_worksheet(C.CONF_SHEET)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 50)
    ws.set_column(3, 3, 90)
    keys = list(C.CONF_KEYS)
    interpreter = interpreter_win()
    if interpreter:  # never an empty key: it would hide the user's own xlwings.conf
        keys.insert(0, ("INTERPRETER_WIN", interpreter, C.INTERPRETER_HELP))
    for r, (key, value, help_text) in enumerate(keys):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value, st.input)
        ws.write_string(r, 3, help_text, st.text)
    ws.write_string(
        len(keys) + 1,
        3,
        "Ключи в столбце A, значения в столбце B (так их "
        "читает xlwings). Подробнее — README, раздел Windows.",
        st.text,
    )


def _console(wb: Workbook, c: Campaign) -> None:
    st = Styles.create(wb)
    ws = wb.add_worksheet(C.CONSOLE_SHEET)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 3)
    ws.set_column(3, 6, 16)
    ws.write_string(0, 0, f"{c.title}: пульт регионального координатора", st.title)
    for s in C.SETTINGS:
        row = int(s.cell[1:]) - 1
        ws.write_string(row, 0, s.label, st.label)
        ws.write_blank(row, 1, None, st.input)
        wb.define_name(s.name, f"={C.CONSOLE_SHEET}!$B${row + 1}")
        opts: dict[str, object] = {
            "validate": "any",
            "input_title": s.label[:32],
            "input_message": s.help[:255],
        }
        if s.key == "period":
            opts = {
                "validate": "list",
                "source": [p.code for p in c.periods],
                "error_title": "Период не из списка",
                "error_message": "Выберите отчётный период из списка.",
                "input_title": s.label,
                "input_message": s.help,
            }
        ws.data_validation(row, 1, row, 1, opts)
    for label, cell in (("Сообщение", C.MESSAGE_CELL), ("Итог последнего сбора", C.SUMMARY_CELL)):
        row = int(cell[1:]) - 1
        ws.write_string(row, 0, label, st.label)
        ws.write_blank(row, 1, None, st.text)
    header = C.STATUS_HEADER_ROW - 1
    for col, label in enumerate(C.STATUS_COLUMNS):
        ws.write_string(header, col, label, st.header)
    _buttons(ws, C.REGION_BUTTONS)
    ws.freeze_panes(C.STATUS_HEADER_ROW, 0)
    ws.activate()
    _conf_sheet(wb, st)


def write_console(c: Campaign, path: Path, created: dt.datetime) -> Path:
    """Sheets and buttons of ``shkmd_region.xlsm`` (no VBA yet)."""
    with atomic_output(path, ".xlsm") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        _console(wb, c)
        wb.set_properties(
            {"title": "Пульт регионального координатора", "author": "shkmd_xl", "created": created}
        )
        wb.close()
    return path


def write_municipal_xlsm(c: Campaign, path: Path, created: dt.datetime) -> Path:
    """The generic municipal template with «Проверить» / «Очистить замечания» on Титул."""
    with atomic_output(path, ".xlsm") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        build(wb, c, None, created)
        title = wb.get_worksheet_by_name(F.TITLE.name)
        assert title is not None
        title.write_string(1, 3, "Для тех, у кого установлен Python и shkmd_xl:")
        title.write_string(
            8, 3, "Какой Python запускают кнопки — лист «xlwings.conf» (INTERPRETER_WIN)."
        )
        _buttons(title, C.MUNICIPAL_BUTTONS)
        _conf_sheet(wb, Styles.create(wb))
        wb.close()
    return path
