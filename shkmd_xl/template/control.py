"""Контроль: the self-check sheet, formulas only (Excel 2010+, LibreOffice, R7)."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..campaign.models import TARGET_GROUPS, Campaign
from ..forms import sheets as F
from ..forms.model import Field, SheetForm
from ..forms.required import ExcelRow, missing_formula
from .data_sheets import (
    SLOT_NO_CELL,
    list_name_ref,
    print_setup,
    protect,
    refused_value,
    title_refs,
)
from .layout import Layout, col_ref, ref
from .results_sheet import results_control_rows
from .styles import Styles, text_height

_AT = F.CONTROL_AT
PERIOD_ROW, SLOT_ROW, SLOT_NO_ROW, STAGE_ROW = _AT.period, _AT.slot, _AT.slot_no, _AT.stage
RESULT_ROW, SCHOOLS_HEADER_ROW = _AT.result, _AT.schools_header
TG_SHORT = ("руководители", "учителя", "обучающиеся")
READY = "Готово к отправке"
#: The cached result written with every formula. Excel recalculates on opening
#: (fullCalcOnLoad); LibreOffice by default keeps cached results of .xlsx files,
#: except where there is none: an empty result makes it compute the cell on opening.
UNCACHED = ""


def _cell(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


def _used(form: SheetForm, n: int) -> str:
    """Array expression: 1 where a data row has any value."""
    parts = "&".join(col_ref(form, f.key, n) for f in form.fields)
    return f"(LEN({parts})>0)"


def _empty(form: SheetForm, key: str, n: int) -> str:
    return f"(LEN({col_ref(form, key, n)})=0)"


def column_refs(form: SheetForm, n: int, layout: Layout) -> ExcelRow:
    """Conditions of required-ness over the ``n`` data rows of a sheet (SUMPRODUCT)."""
    return ExcelRow(
        ref=lambda key: col_ref(form, key, n),
        used=_used(form, n),
        reporting=f"({SLOT_NO_CELL}>1)",
        list_ref=list_name_ref(layout),
    )


def required_count(form: SheetForm, fld: Field, n: int, layout: Layout) -> str | None:
    """Formula counting the empty cells of ``fld`` that must be filled."""
    if fld.required is None:
        return None
    return f"SUMPRODUCT({missing_formula(fld.required, column_refs(form, n, layout), fld.key)})"


def _header(ws: Worksheet, row: int, labels: list[str], st: Styles) -> None:
    for c, label in enumerate(labels):
        ws.write_string(row, c, label, st.header)


def _period_block(ws: Worksheet, st: Styles, layout: Layout, c: Campaign) -> None:
    period = ref(F.TITLE.name, F.TITLE.header_row + F.TITLE.col("period"), F.TITLE_VALUE_COL)
    labels = [
        "Отчётный период (лист «Титул»)",
        "Месяц мониторинга",
        "Номер месяца ("
        + ", ".join(f"{n} — {m.lower()}" for n, m in enumerate(c.month_names, 1))
        + ")",
        "Этап мониторинга ОО",
    ]
    p = _cell(PERIOD_ROW, 1)
    formulas = [
        f'=IF(LEN({period})=0,"",{period})',
        f'=IFERROR(INDEX({layout.periods_ref(1)},MATCH({p},{layout.periods_ref(0)},0)),"")',
        f"=IFERROR(INDEX({layout.periods_ref(3)},MATCH({p},{layout.periods_ref(0)},0)),0)",
        f'=IFERROR(INDEX({layout.periods_ref(2)},MATCH({p},{layout.periods_ref(0)},0)),"")',
    ]
    for i, (label, formula) in enumerate(zip(labels, formulas, strict=True)):
        ws.write_string(PERIOD_ROW + i, 0, label, st.label)
        ws.write_formula(PERIOD_ROW + i, 1, formula, st.formula, UNCACHED)


@dataclass(frozen=True)
class _Columns:
    """Columns of Контроль's block per school, laid out from the roadmap coverage:
    school, events, one per direction, missing directions, one per target group,
    missing groups, one per cut, missing cuts, remarks."""

    cov: F.Coverage
    groups: int = len(TG_SHORT)
    cuts: int = len(F.MONITORING_CUTS)

    @property
    def dirs(self) -> range:
        return range(2, 2 + self.cov.directions)

    @property
    def tgs(self) -> range:
        start = self.dirs.stop + 1
        return range(start, start + self.groups)

    @property
    def cut_cols(self) -> range:
        start = self.tgs.stop + 1
        return range(start, start + self.cuts)

    @property
    def remarks(self) -> int:
        return self.cut_cols.stop + 1


def _schools_block(ws: Worksheet, st: Styles, layout: Layout, c: Campaign) -> tuple[int, str]:
    """Per-school roadmap coverage; returns the next free row and the sum of remarks."""
    cov = F.coverage(c)
    cols = _Columns(cov)
    ws.write_string(SCHOOLS_HEADER_ROW - 1, 0, "1. Дорожные карты по ОО", st.bold)
    labels = (
        ["ОО", "Всего мероприятий"]
        + [f"Напр. {i}" for i in cov.numbers]
        + ["Нет направлений"]
        + [g.capitalize() for g in TG_SHORT]
        + [f"Нет целевых групп (напр. {cov.groups_in})"]
        + [c.capitalize() for c in F.MONITORING_CUTS]
        + [f"Нет срезов (напр. {cov.cuts_in})", "Замечаний"]
    )
    _header(ws, SCHOOLS_HEADER_ROW, labels, st)
    # whole words in every header: columns as wide as their longest word, rows as tall
    # as the wrapped label needs
    widths = [34, 40] + [max(12, max(len(w) for w in lb.split()) + 2) for lb in labels[2:]]
    for col, width in enumerate(widths):
        if col >= 2:
            ws.set_column(col, col, width)
    ws.set_row(
        SCHOOLS_HEADER_ROW,
        max(text_height(lb, w, bold=True) for lb, w in zip(labels, widths, strict=True)),
    )
    rm, n = F.ROADMAP, layout.roadmap_rows
    school, direction = col_ref(rm, "school", n), col_ref(rm, "direction", n)
    tg, cut = col_ref(rm, "target_group", n), col_ref(rm, "cut", n)
    dirs = [layout.list_item_ref("directions", i) for i in range(cov.directions)]
    groups_dir, cuts_dir = dirs[cov.groups_in - 1], dirs[cov.cuts_in - 1]
    first = SCHOOLS_HEADER_ROW + 1
    for i in range(layout.passport_rows):
        r = first + i
        a = f"$A{r + 1}"
        src = ref(F.PASSPORT.name, F.PASSPORT.first_data_row + i, 0)
        row: list[str] = [f'=IF(LEN({src})=0,"",{src})', f'=IF({a}="","",COUNTIFS({school},{a}))']
        row += [f'=IF({a}="","",COUNTIFS({school},{a},{direction},{d}))' for d in dirs]
        row.append(_missing(a, [(xl(r, col), str(k)) for k, col in enumerate(cols.dirs, 1)]))
        row += [
            f'=IF({a}="","",COUNTIFS({school},{a},{direction},{groups_dir},{tg},'
            f"{layout.list_item_ref('target_groups', k)}))"
            for k in range(cols.groups)
        ]
        row.append(_missing(a, [(xl(r, col), TG_SHORT[k]) for k, col in enumerate(cols.tgs)]))
        row += [
            f'=IF({a}="","",COUNTIFS({school},{a},{direction},{cuts_dir},{cut},'
            f"{layout.list_item_ref('cuts', k)}))"
            for k in range(cols.cuts)
        ]
        row.append(
            _missing(a, [(xl(r, col), F.MONITORING_CUTS[k]) for k, col in enumerate(cols.cut_cols)])
        )
        # as the check counts (rules/roadmap.coverage): no event at all is one remark
        # (RM01); else one per missing direction (RM02), one per missing target group
        # when the groups' direction is there (RM03), one for the missing cuts when the
        # cuts' direction is there (RM05)
        has_groups = xl(r, cols.dirs[cov.groups_in - 1])
        has_cuts = xl(r, cols.dirs[cov.cuts_in - 1])
        cuts_missing = f"COUNTIF({_span(r, cols.cut_cols)},0)"
        row.append(
            f'=IF({a}="",0,IF({xl(r, 1)}=0,1,COUNTIF({_span(r, cols.dirs)},0)'
            f"+IF({has_groups}>0,COUNTIF({_span(r, cols.tgs)},0),0)"
            f"+IF(AND({has_cuts}>0,{cuts_missing}>0),1,0)))"
        )
        for col, formula in enumerate(row):
            ws.write_formula(r, col, formula, st.formula, UNCACHED)
    last = first + layout.passport_rows - 1
    ws.conditional_format(
        first,
        2,
        last,
        cols.remarks - 2,
        {"type": "cell", "criteria": "==", "value": 0, "format": st.missing},
    )
    total = f"SUM({xl(first, cols.remarks)}:{xl(last, cols.remarks)})"
    return last + 2, total


def _span(row: int, cols: range) -> str:
    """The cells of ``row`` in columns ``cols``, as «C14:H14»."""
    return f"{xl(row, cols.start)}:{xl(row, cols.stop - 1)}"


def xl(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col)


def _missing(a: str, parts: list[tuple[str, str]]) -> str:
    joined = "&".join(f'IF({cell}=0,"{name} ","")' for cell, name in parts)
    return f'=IF({a}="","",TRIM({joined}))'


def _required_block(
    ws: Worksheet, st: Styles, layout: Layout, c: Campaign, start: int, generic: bool
) -> tuple[int, str]:
    """Empty required cells per sheet and field."""
    ws.write_string(start, 0, "2. Незаполненные обязательные ячейки", st.bold)
    _header(ws, start + 1, ["Лист", "Поле", "Пустых ячеек"], st)
    rows: list[tuple[str, str, str]] = []
    title = title_refs(layout, elsewhere=True)
    for fld in F.TITLE.fields:
        if (fld.prefilled and not generic) or fld.required is None:
            continue
        rows.append((F.TITLE.name, fld.label, missing_formula(fld.required, title, fld.key)))
    for form in F.all_forms(c)[1:]:  # the table sheets, in workbook order
        n = layout.rows(form)
        for fld in form.fields:
            if fld.prefilled and not generic:
                continue
            formula = required_count(form, fld, n, layout)
            if formula:
                rows.append((form.name, fld.label, formula))
    sm = F.school_monitoring_form(c)
    n = layout.school_mon_rows
    stage = _cell(STAGE_ROW, 1)
    for ind in c.school_indicators:
        cond = ",".join(f'{stage}="{s}"' for s in ind.stages)
        rows.append(
            (
                sm.name,
                sm.field(ind.code).label,
                f"IF(OR({cond}),SUMPRODUCT(({col_ref(sm, 'stage', n)}={stage})*"
                f"(LEN({col_ref(sm, 'school', n)})>0)*{_empty(sm, ind.code, n)}),0)",
            )
        )
    return _count_rows(ws, st, start + 2, rows)


def _count_rows(
    ws: Worksheet, st: Styles, first: int, rows: list[tuple[str, str, str]]
) -> tuple[int, str]:
    """(sheet, field, count formula) rows from ``first``; the next free row and their sum."""
    for i, (sheet, label, formula) in enumerate(rows):
        ws.write_string(first + i, 0, sheet, st.locked)
        ws.write_string(first + i, 1, label, st.locked_wrap)
        ws.write_array_formula(
            first + i, 2, first + i, 2, "{=" + formula + "}", st.formula, UNCACHED
        )
    last = first + len(rows) - 1
    ws.conditional_format(
        first, 2, last, 2, {"type": "cell", "criteria": ">", "value": 0, "format": st.missing}
    )
    return last + 2, f"SUM({xl(first, 2)}:{xl(last, 2)})"


def _mouo_block(
    ws: Worksheet, st: Styles, layout: Layout, c: Campaign, start: int
) -> tuple[int, str]:
    """МОУО indicators required in the chosen month: value and link present."""
    ws.write_string(start, 0, "3. Показатели МОУО за выбранный месяц", st.bold)
    _header(
        ws, start + 1, ["Код", "Показатель", "Требуется", "Значение", "Ссылка", "Замечание"], st
    )
    slot_no = _cell(SLOT_NO_ROW, 1)
    first = start + 2
    mouo = F.mouo_form(c)
    v0 = mouo.col(F.value_key(c.month_names[0]))
    for k, ind in enumerate(c.moupo_indicators):
        r = first + k
        src_row = mouo.first_data_row + k
        block = ref(mouo.name, src_row, v0, src_row, v0 + 2 * len(c.months) - 1)
        ws.write_string(r, 0, ind.code, st.locked)
        ws.write_string(r, 1, ind.wording, st.locked_wrap)
        formulas = [
            f'=IF({slot_no}=0,"",IF(INDEX({layout.flags_ref(k)},1,{slot_no})=1,"Да","Нет"))',
            f'=IF({slot_no}=0,"",INDEX({block},1,2*{slot_no}-1)&"")',
            f'=IF({slot_no}=0,"",INDEX({block},1,2*{slot_no})&"")',
            f'=IF({xl(r, 2)}="Да",IF(LEN({xl(r, 3)})=0,"нет значения",IF(AND({xl(r, 3)}="Да",'
            f'LEFT(LOWER(TRIM({xl(r, 4)})),4)<>"http"),"нет ссылки на сайт","")),"")',
        ]
        for j, formula in enumerate(formulas):
            ws.write_formula(r, 2 + j, formula, st.formula, UNCACHED)
    last = first + len(c.moupo_indicators) - 1
    ws.conditional_format(
        first,
        5,
        last,
        5,
        {"type": "formula", "criteria": f"=LEN({xl(first, 5)})>0", "format": st.missing},
    )
    return last + 2, f"SUMPRODUCT((LEN({xl(first, 5)}:{xl(last, 5)})>0)*1)"


def _plural(n: str) -> str:
    """Formula: «замечание», «замечания» or «замечаний» after the number in ``n``."""
    return (
        f'IF(AND(MOD({n},10)=1,MOD({n},100)<>11),"замечание",'
        f"IF(AND(MOD({n},10)>=2,MOD({n},10)<=4,OR(MOD({n},100)<12,MOD({n},100)>14)),"
        '"замечания","замечаний"))'
    )


def invalid_count(form: SheetForm, fld: Field, n: int, layout: Layout) -> str | None:
    """Formula counting the cells of ``fld`` whose value the check refuses: not a number
    or out of range, not a date, not a link, not an item of its list (school, direction…).
    Array expressions; the count cells are array-entered (Excel 2010 evaluates IF and
    IFERROR over a column only in an array formula), so nobody presses Ctrl+Shift+Enter."""
    r = col_ref(form, fld.key, n)
    filled = f"(LEN({r})>0)"
    if fld.choices:
        return f"SUMPRODUCT({filled}*ISNA(MATCH({r},{layout.list_ref(fld.choices)},0)))"
    bad = refused_value(fld.kind, r)
    return None if bad is None else f"SUMPRODUCT({filled}*{bad})"


def _invalid_block(
    ws: Worksheet, st: Styles, layout: Layout, c: Campaign, start: int
) -> tuple[int, str]:
    """Values the check refuses, per sheet and field (typed or pasted past the dropdowns)."""
    ws.write_string(start, 0, "4. Недопустимые значения", st.bold)
    _header(ws, start + 1, ["Лист", "Поле", "Ячеек"], st)
    rows: list[tuple[str, str, str]] = []
    forms = (F.PASSPORT, F.ROADMAP, F.school_monitoring_form(c), F.RESULTS, F.TRAINING)
    for form in forms:
        n = layout.rows(form)
        for fld in form.fields:
            if fld.prefilled:
                continue
            formula = invalid_count(form, fld, n, layout)
            if formula:
                rows.append((form.name, fld.label, formula))
    return _count_rows(ws, st, start + 2, rows + results_control_rows(layout, c))


def write_control(ws: Worksheet, st: Styles, layout: Layout, c: Campaign, generic: bool) -> None:
    """The whole Контроль sheet."""
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 17, 12)
    ws.write_string(0, 0, "Самопроверка перед отправкой (пересчитывается автоматически)", st.title)
    _period_block(ws, st, layout, c)
    nxt, schools_total = _schools_block(ws, st, layout, c)
    nxt, required_total = _required_block(ws, st, layout, c, nxt, generic)
    nxt, mouo_total = _mouo_block(ws, st, layout, c, nxt)
    _, invalid_total = _invalid_block(ws, st, layout, c, nxt)
    count = xl(RESULT_ROW, 2)
    ws.write_string(RESULT_ROW, 0, "Итог", st.label)
    ws.write_formula(
        RESULT_ROW,
        1,
        f'=IF({count}=0,"{READY}","Не готово: "&{count}&" "&{_plural(count)})',
        st.formula_bold,
        UNCACHED,
    )
    ws.write_formula(
        RESULT_ROW,
        2,
        # an empty period is one of the required cells (block 2), counted once
        f"={schools_total}+{required_total}+{mouo_total}+{invalid_total}",
        st.formula_bold,
        UNCACHED,
    )
    ws.conditional_format(
        RESULT_ROW,
        1,
        RESULT_ROW,
        1,
        {"type": "formula", "criteria": f"={count}=0", "format": st.ok},
    )
    ws.conditional_format(
        RESULT_ROW,
        1,
        RESULT_ROW,
        1,
        {"type": "formula", "criteria": f"={count}>0", "format": st.invalid},
    )
    ws.freeze_panes(SCHOOLS_HEADER_ROW + 1, 1)
    print_setup(ws, 0)  # its title on every printed page
    protect(ws)


__all__ = ["READY", "TARGET_GROUPS", "write_control"]
