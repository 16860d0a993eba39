"""Титул and the table sheets: headers, input cells, dropdowns, highlighting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..forms import sheets as F
from ..forms.model import Field, SheetForm
from ..forms.required import ExcelRow, missing_formula
from ..issues import Severity
from .cell_values import refused_date, refused_number
from .layout import Layout, ref
from .styles import Styles, text_height

#: Cells of Контроль that other sheets' highlighting depends on.
SLOT_NO_CELL = ref(F.CONTROL, F.CONTROL_AT.slot_no, F.CONTROL_AT.value_col)
#: Workbook name of the catalogue of regional events (Справочники), for formulas.
CATALOGUE_NAME = "shkmd_catalogue"

_VALIDATION_ERRORS: dict[str, tuple[str, str]] = {
    "choice": ("Значение не из списка", "Выберите значение из раскрывающегося списка."),
    "percent": ("Неверный процент", "Введите число от 0 до 100 (без знака %)."),
    "count": ("Неверное количество", "Введите целое неотрицательное число."),
    "number": ("Неверное число", "Введите неотрицательное число."),
    "date": ("Неверная дата", "Введите дату в формате ДД.ММ.ГГГГ, например 15.04.2026."),
}
MAX_MESSAGE = 255
MAX_TITLE = 32


def _checked(text: str, limit: int) -> str:
    if len(text) > limit:
        raise ValueError(f"Excel limit of {limit} characters exceeded: {text!r}")
    return text


def protect(ws: Worksheet) -> None:
    """Protect a sheet without password; unlocked cells stay editable."""
    ws.protect(
        "",
        {
            "select_locked_cells": True,
            "select_unlocked_cells": True,
            "format_columns": True,
            "format_rows": True,
            "autofilter": True,
        },
    )


def print_setup(ws: Worksheet, repeat_row: int | None = 0) -> None:
    """The sheet's repeated header row; A4, scale and orientation come from
    :func:`shkmd_xl.template.workbook.build` (the readable-scale rule of
    :mod:`shkmd_xl.printing`)."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)


def add_validation(ws: Worksheet, fld: Field, r0: int, r1: int, c: int, layout: Layout) -> None:
    """Dropdown or range check of a field over rows r0..r1 of column c."""
    opts: dict[str, Any]
    if fld.suggestions:  # a dropdown that does not refuse other text
        opts = {
            "validate": "list",
            "source": "=" + layout.list_ref(fld.suggestions),
            "show_error": False,
        }
        kind = ""
    elif fld.choices:
        opts = {"validate": "list", "source": "=" + layout.list_ref(fld.choices)}
        kind = "choice"
    elif fld.kind == "percent":
        opts = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100}
        kind = "percent"
    elif fld.kind == "count":
        opts = {"validate": "integer", "criteria": ">=", "value": 0}
        kind = "count"
    elif fld.kind == "number":
        opts = {"validate": "decimal", "criteria": ">=", "value": 0}
        kind = "number"
    elif fld.kind == "date":
        opts = {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1950, 1, 1),
            "maximum": dt.date(2100, 12, 31),
        }
        kind = "date"
    else:
        kind = ""
        opts = {"validate": "any"}
    if kind:
        title, message = _VALIDATION_ERRORS[kind]
        opts.update(
            error_title=_checked(title, MAX_TITLE),
            error_message=_checked(message, MAX_MESSAGE),
            error_type="stop",
        )
    if fld.help:
        opts.update(
            input_title=_checked(fld.label[:MAX_TITLE], MAX_TITLE),
            input_message=_checked(fld.help, MAX_MESSAGE),
        )
    if opts["validate"] == "any" and "input_message" not in opts:
        return
    ws.data_validation(r0, c, r1, c, opts)


#: What a valid number of each kind is: (maximum or None, whole numbers only). Numbers
#: are never negative. The one description behind the colours of invalid cells and
#: Контроль's count of invalid values (template.control.invalid_count).
NUMBER_KINDS: dict[str, tuple[float | None, bool]] = {
    "percent": (100, False),
    "count": (None, True),
    "number": (None, False),
}
LINK_START = "http"


def refused_value(kind: str, cell: str) -> str | None:
    """Excel: 1 where the filled ``cell`` (or column of cells, array-entered) holds a
    value the check refuses for a field of ``kind``, else 0; None for kinds not checked
    here (lists are matched by the caller)."""
    if kind in NUMBER_KINDS:
        high, whole = NUMBER_KINDS[kind]
        return refused_number(cell, high, whole, percent=kind == "percent")
    if kind == "date":
        return refused_date(cell)
    if kind == "link":
        return f'(LEFT(LOWER(TRIM({cell})),{len(LINK_START)})<>"{LINK_START}")*1'
    return None


def _invalid_formula(fld: Field, cell: str) -> str | None:
    """A formula true (non-zero) when the value of ``cell`` is not valid for the field."""
    bad = refused_value(fld.kind, cell)
    return None if bad is None else f"(LEN({cell})>0)*{bad}"


def list_name_ref(layout: Layout) -> Callable[[str], str]:
    """A list's cells for formulas; the catalogue by its workbook name (conditional
    formats of Excel may refer to another sheet through a defined name only)."""
    return lambda name: CATALOGUE_NAME if name == "catalogue" else layout.list_ref(name)


def row_refs(form: SheetForm, row: int, layout: Layout) -> ExcelRow:
    """Conditions of required-ness over one row (0-based) of a table sheet."""
    r = row + 1
    last = xl_col_to_name(len(form.fields) - 1)
    return ExcelRow(
        ref=lambda key: f"${xl_col_to_name(form.col(key))}{r}",
        used=f"(COUNTA($A{r}:${last}{r})>0)",
        reporting=f"({SLOT_NO_CELL}>1)",
        list_ref=list_name_ref(layout),
    )


def title_refs(layout: Layout, elsewhere: bool = False) -> ExcelRow:
    """Conditions of required-ness on Титул (label in A, value in B; always in use),
    for a formula on Титул or, ``elsewhere``, on another sheet."""
    form, c = F.TITLE, F.TITLE_VALUE_COL
    return ExcelRow(
        ref=lambda key: (
            ref(form.name, form.header_row + form.col(key), c)
            if elsewhere
            else xl_rowcol_to_cell(form.header_row + form.col(key), c, True, True)
        ),
        used="1",
        reporting=f"({SLOT_NO_CELL}>1)",
        list_ref=list_name_ref(layout),
    )


def remark_marks(ws: Worksheet, sheet: str, r0: int, c0: int, r1: int, c1: int, st: Styles) -> None:
    """Cells listed on the hidden «_marks» sheet turn red (error) or yellow (warning).

    Added before every other conditional format of the sheet, so they come first
    (priority 1 and 2, stop if true) in Excel and in LibreOffice.
    """
    marks = quote_sheetname(F.MARKS)
    here = f'{marks}!$A:$A,"{sheet}",{marks}!$B:$B,ADDRESS(ROW(),COLUMN(),4)'
    for severity, fmt in (
        (Severity.ERROR.ru, st.remark_error),
        (Severity.WARNING.ru, st.remark_warning),
    ):
        ws.conditional_format(
            r0,
            c0,
            r1,
            c1,
            {
                "type": "formula",
                "criteria": f'=COUNTIFS({here},{marks}!$C:$C,"{severity}")>0',
                "format": fmt,
                "stop_if_true": True,
            },
        )


def highlight(
    ws: Worksheet, form: SheetForm, fld: Field, r0: int, r1: int, st: Styles, layout: Layout
) -> None:
    """Conditional formats: required-and-empty (the field's condition), invalid value."""
    c = form.col(fld.key)
    cell = xl_rowcol_to_cell(r0, c)
    if fld.required is not None and not fld.prefilled:
        missing = missing_formula(fld.required, row_refs(form, r0, layout), fld.key)
        ws.conditional_format(
            r0, c, r1, c, {"type": "formula", "criteria": "=" + missing, "format": st.missing}
        )
    bad = _invalid_formula(fld, cell)
    if bad:
        ws.conditional_format(
            r0, c, r1, c, {"type": "formula", "criteria": "=" + bad, "format": st.invalid}
        )


def cell_format(fld: Field, st: Styles, locked: bool) -> Any:
    if locked:
        return st.locked_wrap if fld.width >= 30 else st.locked
    if fld.kind == "date":
        return st.input_date
    return st.input_wrap if fld.width >= 30 else st.input


def _runs(n: int, skip: set[int]) -> list[tuple[int, int]]:
    """Maximal runs [a, b] of 0..n-1 that avoid ``skip``."""
    runs: list[tuple[int, int]] = []
    start = None
    for i in range(n + 1):
        if i < n and i not in skip:
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def column_format(fld: Field, st: Styles) -> Any:
    """Format of a whole input column: unlocked, dates as ДД.ММ.ГГГГ."""
    if fld.kind == "date":
        return st.col_input_date
    return st.col_input_wrap if fld.width >= 30 else st.col_input


def write_table(
    ws: Worksheet,
    form: SheetForm,
    n_rows: int,
    st: Styles,
    layout: Layout,
    prefill: Sequence[Mapping[str, Any]] = (),
    greyed: set[tuple[int, str]] | None = None,
    tint_when: Mapping[str, str] | None = None,
    grey_when: Mapping[str, str] | None = None,
) -> None:
    """Header, ``n_rows`` input rows (some prefilled and locked), checks and setup.

    ``tint_when`` maps a field to an Excel condition for its first data row
    telling which cells are inputs (the others are greyed): one conditional
    format instead of one per run of input cells. ``grey_when`` maps a field to
    the condition under which its input cells are not due in the period chosen
    on «Титул» (grey «в этом периоде не заполняется» instead of the input tint).

    Input columns are unlocked through their column format and tinted by a
    conditional format over the data rows: only prefilled and greyed cells are
    written one by one (this keeps generation of 60 workbooks fast).
    """
    greyed = greyed or set()
    h = form.header_row
    r0 = form.first_data_row
    r1 = r0 + max(n_rows, 1) - 1
    ws.set_row(h, max(45, *(text_height(f.label, f.width, bold=True) for f in form.fields)))
    fully_prefilled = {
        fld.key
        for fld in form.fields
        if fld.prefilled
        and len(prefill) >= n_rows
        and all(p.get(fld.key) is not None for p in prefill[:n_rows])
    }
    for c, fld in enumerate(form.fields):
        locked_column = fld.key in fully_prefilled
        ws.set_column(c, c, fld.width, None if locked_column else column_format(fld, st))
        ws.write_string(h, c, fld.label, st.header)
    for i, values in enumerate(prefill[:n_rows]):
        heights = [  # prefilled wrapped text: the row shows it whole in every program
            text_height(v, fld.width)
            for fld in form.fields
            if fld.width >= 30 and isinstance(v := values.get(fld.key), str)
        ]
        if heights and max(heights) > 19:
            ws.set_row(r0 + i, max(heights))
        for c, fld in enumerate(form.fields):
            value = values.get(fld.key)
            if (i, fld.key) in greyed:
                ws.write_blank(r0 + i, c, None, st.grey)
            elif value is not None:
                fmt = cell_format(fld, st, locked=fld.prefilled)
                if isinstance(value, str):
                    ws.write_string(r0 + i, c, value, fmt)
                else:
                    ws.write(r0 + i, c, value, fmt)
    remark_marks(ws, form.name, r0, 0, r1, len(form.fields) - 1, st)
    for c, fld in enumerate(form.fields):
        if fld.key in fully_prefilled:
            continue
        add_validation(ws, fld, r0, r1, c, layout)
        highlight(ws, form, fld, r0, r1, st, layout)
    for c, fld in enumerate(form.fields):  # lowest priority: missing / invalid colours win
        if fld.key in fully_prefilled:
            continue
        if tint_when and fld.key in tint_when:
            if grey_when and fld.key in grey_when:
                ws.conditional_format(
                    r0,
                    c,
                    r1,
                    c,
                    {"type": "formula", "format": st.grey_cf, "criteria": "=" + grey_when[fld.key]},
                )
            ws.conditional_format(
                r0,
                c,
                r1,
                c,
                {"type": "formula", "format": st.tint, "criteria": "=" + tint_when[fld.key]},
            )
            continue
        skip = {i for i in range(n_rows) if (i, fld.key) in greyed}
        not_due = (grey_when or {}).get(fld.key)
        for a, b in _runs(n_rows, skip):
            if not_due:  # lower priority than the marks and missing/invalid colours
                ws.conditional_format(
                    r0 + a,
                    c,
                    r0 + b,
                    c,
                    {"type": "formula", "format": st.grey_cf, "criteria": "=" + not_due},
                )
            ws.conditional_format(r0 + a, c, r0 + b, c, {"type": "no_errors", "format": st.tint})
    ws.freeze_panes(r0, 1)
    ws.autofilter(h, 0, r1, len(form.fields) - 1)
    print_setup(ws, h)
    protect(ws)


def write_title(ws: Worksheet, st: Styles, layout: Layout, values: Mapping[str, str]) -> None:
    """Титул: labels in column A, values in column B."""
    form = F.TITLE
    label_col, c = F.TITLE_LABEL_COL, F.TITLE_VALUE_COL
    ws.set_column(label_col, label_col, 34)
    ws.set_column(c, c, 60)
    ws.write_string(0, 0, form.title, st.title)
    first = form.header_row
    remark_marks(ws, form.name, first, c, first + len(form.fields) - 1, c, st)
    for i, fld in enumerate(form.fields):
        r = form.header_row + i
        ws.write_string(r, label_col, fld.label, st.label)
        value = values.get(fld.key)
        locked = fld.prefilled and value is not None
        fmt = cell_format(fld, st, locked)
        if value is None:
            ws.write_blank(r, c, None, fmt)
        else:
            ws.write_string(r, c, value, fmt)
        if not locked:
            add_validation(ws, fld, r, r, c, layout)
            if fld.required is not None:
                missing = missing_formula(fld.required, title_refs(layout), fld.key)
                ws.conditional_format(
                    r, c, r, c, {"type": "formula", "criteria": "=" + missing, "format": st.missing}
                )
            bad = _invalid_formula(fld, xl_rowcol_to_cell(r, c))
            if bad:
                ws.conditional_format(
                    r, c, r, c, {"type": "formula", "criteria": "=" + bad, "format": st.invalid}
                )
    print_setup(ws, 0)  # its title on every printed page
    protect(ws)
