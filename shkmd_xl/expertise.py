"""Expertise of the roadmaps' documents (seed 004, разд. I, п. 9: «не менее 70 %
экспертизы документов»): the expert workbook and its reading back.

``shkmd-xl expertise --period P`` writes «Экспертиза_P.xlsx» in the results folder: one
row per roadmap row of the counted reports that names a supporting document (the link or
the document's name), with the school, the event and its status. Experts choose
«соответствует» or «не соответствует» and may comment. ``collect`` reads the workbook
back (from the results folder or the path given) into the store, and the targets
«Экспертиза подтверждающих документов» and «Документы, признанные соответствующими» are
computed from it. A mark that is neither is reported naming its cell; the row is left
unexamined, nothing else is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
import xlsxwriter

from .atomic import atomic_output
from .campaign.models import Campaign
from .consolidate.consolidation import Consolidation
from .figures.base import counted
from .forms import sheets as F
from .messages import render
from .printing import setup_xlsxwriter
from .reader.opening import reason_ru
from .store.sqlite import Store
from .template.styles import text_height

SHEET = "Экспертиза"
CONFORMS, FAILS = "соответствует", "не соответствует"
MARKS = (CONFORMS, FAILS)
#: (key, header, width); «key» is the hidden machine column matching a row to the report
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("n", "№", 6),
    ("municipality", "Муниципальное образование", 30),
    ("school", "ОО", 24),
    ("direction", "Направление", 40),
    ("event", "Мероприятие", 34),
    ("status", "Статус выполнения", 16),
    ("evidence", "Подтверждающий документ", 36),
    ("mark", "Заключение эксперта", 20),
    ("comment", "Комментарий эксперта", 34),
    ("expert", "Эксперт (ФИО)", 24),
    ("key", "Ключ строки (служебный, не меняйте)", 20),
)
HEADERS = {key: label for key, label, _ in COLUMNS}
#: The first column of the second printed page width: the event's status, its document
#: and the expert's columns (the first: what the event is).
SECOND_PAGE = "status"
_URL = re.compile(r"^(https?|ftp)://\S+$", re.IGNORECASE)


def expertise_path(out: Path, period: str) -> Path:
    """Where ``expertise`` writes the period's expert workbook and ``collect`` looks."""
    return out / f"Экспертиза_{period}.xlsx"


@dataclass(frozen=True)
class Mark:
    hash: str
    row: int
    mark: str
    comment: str
    expert: str


@dataclass
class Read:
    """Marks read back from an expert workbook, and what could not be read, in Russian."""

    marks: list[Mark] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: rows listed (marked or not)
    rows: int = 0


def _norm(text: Any) -> str:
    return " ".join(str(text or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()


def _short(text: str, limit: int = 64) -> str:
    """A direction's number and its first words (the full names run to 400 characters:
    a row of the expert's table would print 17 lines tall)."""
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(" ,;:") + "…"


def document_rows(store: Store, c: Campaign, cons: Consolidation) -> list[dict[str, Any]]:
    """The roadmap rows of the counted reports naming a supporting document, in order."""
    directions = F.direction_items(c)
    out = []
    for code, s in sorted(counted(cons).submissions.items()):
        name = c.municipality(code).name
        for row, rec in store.numbered_records(s.hash, cons.period.code, F.ROADMAP.key):
            evidence = str(rec.get("evidence") or "").strip()
            if not evidence or not rec.get("school"):
                continue
            d = rec.get("direction")
            out.append(
                {
                    "municipality": name,
                    "school": rec["school"],
                    "direction": _short(directions[d - 1])
                    if isinstance(d, int) and 0 < d <= len(directions)
                    else str(d or ""),
                    "event": str(rec.get("event") or ""),
                    "status": str(rec.get("status") or ""),
                    "evidence": evidence,
                    "key": f"{s.hash}:{row}",
                }
            )
    return out


def write_expertise(store: Store, c: Campaign, cons: Consolidation, path: Path) -> tuple[Path, int]:
    """Write the expert workbook; marks already in it (or stored by collect) are kept."""
    kept: dict[str, Mark] = {
        f"{h}:{row}": Mark(h, row, v["mark"], v["comment"], v["expert"])
        for (h, row), v in store.expertise(cons.period.code).items()
    }
    if path.exists():  # experts' work in the file wins over the store's older copy
        kept |= {f"{m.hash}:{m.row}": m for m in read_expertise(path).marks}
    rows = document_rows(store, c, cons)
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_urls": False})
        header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "border": 1, "valign": "top"}
        )
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        top = wb.add_format({"valign": "top"})
        link = wb.add_format({"font_color": "blue", "underline": 1, "valign": "top"})
        ws = wb.add_worksheet(SHEET)
        ws.set_row(0, max(text_height(label, width, bold=True) for _, label, width in COLUMNS))
        for col, (key, label, width) in enumerate(COLUMNS):
            ws.set_column(col, col, width, None, {"hidden": key == "key"})
            ws.write_string(0, col, label, header)
        mark_col = [k for k, _, _ in COLUMNS].index("mark")
        ws.write_comment(0, mark_col, render("expertise.mark_help"), {"x_scale": 2})
        for r, row in enumerate(rows, 1):
            old = kept.get(row["key"])
            values = {
                **row,
                "n": r,
                "mark": old.mark if old else "",
                "comment": old.comment if old else "",
                "expert": old.expert if old else "",
            }
            # LibreOffice keeps a row's height as written: the wrapped text's height
            heights = [text_height(str(values[k]), w) for k, _, w in COLUMNS if k != "key"]
            ws.set_row(r, max([15.0, *heights]))
            for col, (key, _, _) in enumerate(COLUMNS):
                value = values[key]
                if key == "n":
                    ws.write_number(r, col, value, top)
                elif key == "evidence" and _URL.match(value) and len(value) <= 2000:
                    ws.write_url(r, col, value, link, value)
                elif value:
                    ws.write_string(r, col, str(value), wrap)
        last = max(len(rows), 1) + 200
        ws.data_validation(
            1,
            mark_col,
            last,
            mark_col,
            {
                "validate": "list",
                "source": list(MARKS),
                "error_title": render("expertise.bad_mark_title"),
                "error_message": render("expertise.mark_help"),
            },
        )
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 2)
        ws.set_v_pagebreaks([[k for k, _, _ in COLUMNS].index(SECOND_PAGE)])
        setup_xlsxwriter(ws, c.region, render("expertise.title", period=cons.period.name))
        wb.set_properties(
            {
                "title": render("expertise.title", period=cons.period.name),
                "author": "shkmd_xl",
                "created": dt.datetime(2026, 1, 1),
            }
        )
        wb.close()
    return path, len(rows)


def _cell(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return str(xl_rowcol_to_cell(row, col))


def read_expertise(path: Path) -> Read:
    """The marks of a filled expert workbook (as the expert left it, from Excel or
    LibreOffice); a bad mark, a row without its key: a Russian message naming the cell."""
    out = Read()
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types
        out.problems.append(render("expertise.unreadable", file=path.name, reason=reason_ru(exc)))
        return out
    if SHEET not in book.sheet_names:
        out.problems.append(render("expertise.no_sheet", file=path.name, sheet=SHEET))
        return out
    data = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    header = [_norm(v) for v in (data[0] if data else [])]
    cols: dict[str, int] = {}
    for key in ("mark", "comment", "expert", "key"):
        label = _norm(HEADERS[key])
        if label in header:
            cols[key] = header.index(label)
        else:
            out.problems.append(
                render("expertise.no_column", file=path.name, sheet=SHEET, column=HEADERS[key])
            )
    if len(cols) < 4:
        return out
    allowed = {_norm(m): m for m in MARKS}
    for i, raw in enumerate(data[1:], 1):

        def value(key: str, raw: list[Any] = raw) -> str:
            c = cols[key]
            v = raw[c] if c < len(raw) else ""
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            return str(v if v is not None else "").strip()

        key, mark = value("key"), value("mark")
        if not key and not any(str(v or "").strip() for v in raw):
            continue
        out.rows += 1
        if not mark:
            continue
        where = {"file": path.name, "sheet": SHEET}
        found = re.fullmatch(r"([0-9a-f]+):(\d+)", key)
        if not found:
            out.problems.append(
                render("expertise.no_key", **where, cell=_cell(i, cols["key"]), mark=mark)
            )
            continue
        canonical = allowed.get(_norm(mark))
        if canonical is None:
            out.problems.append(
                render(
                    "expertise.bad_mark",
                    **where,
                    cell=_cell(i, cols["mark"]),
                    value=mark,
                    allowed=" / ".join(f"«{m}»" for m in MARKS),
                )
            )
            continue
        out.marks.append(
            Mark(found[1], int(found[2]), canonical, value("comment"), value("expert"))
        )
    return out


def load_expertise(store: Store, period: str, path: Path) -> Read:
    """Read an expert workbook into the store (the period's marks replaced by the file's)."""
    got = read_expertise(path)
    if not got.problems or got.marks:
        store.save_expertise(
            period,
            ((m.hash, m.row, m.mark, m.comment, m.expert) for m in got.marks),
            path.name,
        )
    return got
