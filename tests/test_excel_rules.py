"""Every formula we write means the same under Excel's rules and LibreOffice's, and
agrees with the check: Контроль, the colours of invalid and missing cells, the «Готово»
text (issue 20). Excel's rules by the `formulas` package (tests/excel_rules.py),
LibreOffice's by headless LibreOffice in en-US and ru-RU (decimal comma)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from shkmd_xl.campaign import Campaign
from shkmd_xl.forms import sheets as F
from shkmd_xl.issues import Severity, beyond_control
from shkmd_xl.pipeline import check
from shkmd_xl.reader.values import BadValue, parse_count, parse_date, parse_number, parse_percent
from shkmd_xl.template.control import READY, RESULT_ROW
from shkmd_xl.template.data_sheets import refused_value

from .breakers import SCENARIOS, scenario_fill
from .excel_rules import calculate, conditional_probes, shown
from .lo import run_jobs

pytestmark = pytest.mark.libreoffice

SAMPLES: list[Any] = [
    5, 95.5, -1, 150, 2.5, 0, 46000, True, "", "95,5", "95,5%", "72 %", "1 234,5",
    "1\u00a0234", "100,0", "36,5", "1.", ".5", "1e3", "+5", "--5", "1e", "abc", "5р.",
    "12:30", "1.2.3", "3000%", "95%%", "9%5", "01.09.2026", "1.9.2026 г.", "1/9/2026",
    "1-9-2026г", "2026-04-15", "31.02.2026", "29.02.2028", "15.04.0026", "15.04.26",
    "001.09.2026",
]  # fmt: skip
KINDS = ("percent", "count", "number", "date")


def _checked(kind: str, value: Any) -> int:
    """1 where the check refuses ``value`` in a field of ``kind`` (reader/typed.py)."""
    if value == "":
        return 0
    try:
        if kind == "percent":
            return int(not 0 <= parse_percent(value) <= 100)
        if kind == "count":
            return int(parse_count(value) < 0)
        if kind == "number":
            return int(parse_number(value) < 0)
        parse_date(value)
        return 0
    except BadValue:
        return 1


def _samples_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("S")
    n = len(SAMPLES)
    for i, v in enumerate(SAMPLES):
        if isinstance(v, str):
            ws.write_string(i, 0, v)
        elif isinstance(v, bool):
            ws.write_boolean(i, 0, v)
        else:
            ws.write_number(i, 0, v)
        for k, kind in enumerate(KINDS):  # one cell, as a conditional format has it
            ws.write_formula(i, 1 + k, f"=(LEN(A{i + 1})>0)*{refused_value(kind, f'A{i + 1}')}")
    for k, kind in enumerate(KINDS):  # a column, as Контроль counts it
        col = f"A1:A{n}"
        ws.write_array_formula(
            n, 1 + k, n, 1 + k, f"{{=SUMPRODUCT((LEN({col})>0)*{refused_value(kind, col)})}}"
        )
    wb.close()
    return path


def test_values_are_read_as_the_check_reads_them(tmp_path: Path) -> None:
    """Numbers and dates typed as text: Excel's rules, LibreOffice (en-US and ru-RU)
    and the check refuse exactly the same values."""
    book = _samples_book(tmp_path / "samples.xlsx")
    n = len(SAMPLES)
    expected = [[str(_checked(kind, v)) for kind in KINDS] for v in SAMPLES]
    expected.append([str(sum(int(row[k]) for row in expected)) for k in range(len(KINDS))])
    excel = calculate(book)["S"]
    by_excel = [[excel[f"{c}{r + 1}"] for c in "BCDE"] for r in range(n + 1)]
    rng = f"B1:E{n + 1}"
    # LibreOffice has no logical type: TRUE in a cell is the number 1 there (and in
    # the file it saves), so it counts a logical as a number where Excel does not
    lo_expected = [row[:] for row in expected]
    t = SAMPLES.index(True)
    lo_expected[t] = ["0", "0", "0", "0"]
    lo_expected[n] = [str(int(v) - int(expected[t][k])) for k, v in enumerate(expected[n])]
    for locale in ("en-US", "ru-RU"):
        (result,) = run_jobs([{"open": str(book), "read": [["S", rng]]}], locale=locale)
        by_lo = result["read"][f"S!{rng}"]
        assert by_lo == lo_expected, [
            (SAMPLES[i] if i < n else "sum", row, lo_expected[i])
            for i, row in enumerate(by_lo)
            if row != lo_expected[i]
        ]
    assert by_excel == expected, [
        (SAMPLES[i] if i < n else "sum", row, expected[i])
        for i, row in enumerate(by_excel)
        if row != expected[i]
    ]


def _control_under_excel(path: Path) -> dict[str, str]:
    return calculate(path)[F.CONTROL.upper()]


@pytest.fixture(scope="module")
def control_by_excel(lo_saved: Path) -> dict[str, dict[str, str]]:
    """Контроль of every LibreOffice-saved scenario recalculated under Excel's rules."""
    with ProcessPoolExecutor(2) as pool:
        found = pool.map(_control_under_excel, [lo_saved / f"{n}.xlsx" for n in SCENARIOS])
        return dict(zip(SCENARIOS, found, strict=True))


def _cached(path: Path, sheet: str) -> dict[str, str]:
    """What LibreOffice computed and saved, as calamine reads it."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    out = {}
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            out[f"{openpyxl.utils.get_column_letter(c + 1)}{r + 1}"] = shown(v)
    return out


@pytest.mark.parametrize("name", SCENARIOS)
def test_control_is_the_same_under_excel_rules(
    name: str,
    lo_saved: Path,
    control_by_excel: dict[str, dict[str, str]],
    campaign: Campaign,
) -> None:
    """Every cell of Контроль under Excel's rules equals what LibreOffice computed; the
    verdict is «Готово» exactly when the check finds no error Контроль can see, and
    its count equals the number of those errors."""
    path = lo_saved / f"{name}.xlsx"
    by_lo = _cached(path, F.CONTROL)
    by_excel = control_by_excel[name]
    differ = {a: (v, by_lo.get(a, "")) for a, v in by_excel.items() if v != by_lo.get(a, "")}
    assert not differ, differ
    _, period, _ = scenario_fill(campaign, name)
    explicit = None if name == "title_period" else period
    errors = [
        i
        for i in check(path, campaign, explicit)
        if i.severity is Severity.ERROR and not beyond_control(i)
    ]
    verdict = by_excel[f"B{RESULT_ROW + 1}"]
    assert by_excel[f"C{RESULT_ROW + 1}"] == str(len(errors)), [
        (i.code, i.location.cell) for i in errors
    ]
    assert (verdict == READY) == (not errors), verdict


#: Valid values of every kind typed as text, and invalid ones: the colours' two sides.
CF_SCENARIOS = ["messy_values", "school_percent_garbage"]
#: Data rows probed per sheet: the breakers edit the first rows; every rule's formula is
#: the same down its column (CI time: each probe is a formula compiled by the engine).
CF_ROWS = 12


def _used_rows(campaign: Campaign, name: str) -> dict[str, int]:
    fill, _, _ = scenario_fill(campaign, name)
    rows: dict[str, int] = {}
    for sheet, addr, _, _ in fill.cells:
        r = int("".join(ch for ch in addr if ch.isdigit()))
        rows[sheet] = max(rows.get(sheet, 0), r)
    return {sheet: min(r + 1, CF_ROWS) for sheet, r in rows.items()}  # and an empty row


@pytest.mark.parametrize("name", CF_SCENARIOS)
def test_colours_are_the_same_under_excel_rules(
    name: str, lo_saved: Path, templates: dict[str, Path], campaign: Campaign, tmp_path: Path
) -> None:
    """Each conditional format of the template (required, invalid, marks, Контроль's
    own), evaluated for every cell it covers in the rows in use: the same truth under
    Excel's rules as in LibreOffice."""
    probes = conditional_probes(templates["SOLN"], _used_rows(campaign, name))
    assert len(probes) > 300
    wb = openpyxl.load_workbook(lo_saved / f"{name}.xlsx")
    ws = wb.create_sheet("probe")
    for i, (_, _, _, formula) in enumerate(probes):
        ws.cell(i + 1, 1, formula)
    book = tmp_path / "probe.xlsx"
    wb.save(book)
    (result,) = run_jobs(
        [{"open": str(book), "read": [["probe", f"A1:A{len(probes)}"]]}], locale="ru-RU"
    )
    by_lo = [row[0] for row in result["read"][f"probe!A1:A{len(probes)}"]]
    excel = calculate(book)["PROBE"]

    def truth(v: str) -> bool:
        return v not in ("", "0", "FALSE") and not v.startswith("#")

    differ = [
        (probe[:3], by_lo[i], excel[f"A{i + 1}"])
        for i, probe in enumerate(probes)
        if truth(by_lo[i]) != truth(excel[f"A{i + 1}"])
    ]
    assert not differ, differ[:20]


def test_a_correct_report_is_ready_in_both(
    control_by_excel: dict[str, dict[str, str]], lo_saved: Path
) -> None:
    """The valid files (each month, text-typed numbers and dates, formula-looking text,
    a management decision, quarter deadlines) say «Готово к отправке» in both engines."""
    valid = ["good-2026-04", "good-2026-06", "good-2026-11", "messy_values",
             "formula_looking_text", "management_decision", "quarter_deadlines", "seed_wording"]  # fmt: skip
    for name in valid:
        assert control_by_excel[name][f"B{RESULT_ROW + 1}"] == READY, name
        assert _cached(lo_saved / f"{name}.xlsx", F.CONTROL)[f"B{RESULT_ROW + 1}"] == READY, name


def test_the_demo_reports_are_judged_alike(tmp_path: Path, campaign: Campaign) -> None:
    """The demo's reports as municipalities send them (typed with openpyxl, no cached
    values: the spreadsheet recalculates on opening): a clean report is «Готово к
    отправке» under Excel's rules and LibreOffice's; a report with a missing direction
    is not ready in either (issue 20's acceptance: the demo's valid reports)."""
    import random

    from shkmd_xl.demo import Filler, _mistake, school_values
    from shkmd_xl.template.workbook import write_municipal_workbook

    period = "2026-11"
    cases = {"D09": "", "D01": "no_direction"}
    paths = {}
    for code, mistake in cases.items():
        rnd = random.Random(f"test-{code}")
        template = write_municipal_workbook(campaign, code, tmp_path / f"t-{code}.xlsx")
        filler = Filler(campaign, code, period, rnd).good(school_values(campaign, code, rnd))
        _mistake(filler, mistake, campaign)
        paths[code] = tmp_path / f"{code}.xlsx"
        paths[code].write_bytes(filler.save(template))
    cell = f"B{RESULT_ROW + 1}"
    by_lo = run_jobs([{"open": str(p), "read": [[F.CONTROL, cell]]} for p in paths.values()])
    with ProcessPoolExecutor(2) as pool:
        by_excel = list(pool.map(_control_under_excel, paths.values()))
    for (code, mistake), path, lo, ex in zip(
        cases.items(), paths.values(), by_lo, by_excel, strict=True
    ):
        excel = ex[cell]
        libre = lo["read"][f"{F.CONTROL}!{cell}"][0][0]
        errors = [i for i in check(path, campaign, period) if i.severity is Severity.ERROR]
        assert (excel == READY) == (not mistake) == (libre == READY) == (not errors), (
            code,
            excel,
            libre,
            [i.code for i in errors],
        )


def _fill_probes(template: Path, cells: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(cell, fill colour, formula) of every formula-type conditional format covering
    each (sheet, cell) of ``cells`` in ``template``, ready for a cell of another sheet."""
    from openpyxl.formula.translate import Translator
    from openpyxl.utils.cell import range_boundaries

    wb = openpyxl.load_workbook(template)
    out = []
    for sheet, cell in cells:
        col, row = openpyxl.utils.cell.coordinate_from_string(cell)
        c = openpyxl.utils.column_index_from_string(col)
        for cf in wb[sheet].conditional_formatting:
            for rng in str(cf.sqref).split():
                c0, r0, c1, r1 = range_boundaries(rng)
                if not (c0 <= c <= c1 and r0 <= row <= r1):
                    continue
                anchor = f"{openpyxl.utils.get_column_letter(c0)}{r0}"
                for rule in cf.rules:
                    fill = rule.dxf.fill if rule.dxf is not None else None
                    if rule.type != "expression" or fill is None or "_marks" in rule.formula[0]:
                        continue
                    colour = (fill.bgColor.rgb or "")[-6:]
                    moved = Translator("=" + rule.formula[0], origin=anchor).translate_formula(cell)
                    out.append((f"{sheet}!{cell}", colour, _qualified_for(moved, sheet)))
    return out


def _qualified_for(formula: str, sheet: str) -> str:
    from .excel_rules import _qualified

    return _qualified(formula, sheet)


def test_cells_not_due_in_the_period_are_grey(
    templates: dict[str, Path], campaign: Campaign, tmp_path: Path
) -> None:
    """A November report: «Мониторинг МОУО»'s April and June columns and «Мониторинг
    ОО»'s rows of stages I and II are grey «в этом периоде не заполняется», not the
    input tint; November's column and the stage III rows keep the tint — the same under
    Excel's rules and in LibreOffice."""
    from shkmd_xl.palette import GREY, INPUT

    mouo, sm = F.mouo_form(campaign), F.school_monitoring_form(campaign)
    first_mouo = mouo.first_data_row + 1  # M01: collected in every month
    col = openpyxl.utils.get_column_letter

    def mouo_cell(month: str) -> str:
        return f"{col(mouo.col(F.value_key(month)) + 1)}{first_mouo}"

    stages = {F.STAGES[k]: sm.first_data_row + 1 + k for k in range(len(F.STAGES))}
    s01 = col(sm.col("S01") + 1)  # stages I and III
    expected = {  # cell -> (grey, tint)
        f"{F.MOUO_NAME}!{mouo_cell('Апрель')}": (True, None),
        f"{F.MOUO_NAME}!{mouo_cell('Июнь')}": (True, None),
        f"{F.MOUO_NAME}!{mouo_cell('Ноябрь')}": (False, None),
        f"{sm.name}!{s01}{stages['I']}": (True, False),
        f"{sm.name}!{s01}{stages['III']}": (False, True),
    }
    cells = [tuple(k.split("!")) for k in expected]
    probes = _fill_probes(templates["SOLN"], cells)  # type: ignore[arg-type]
    fill, _, _ = scenario_fill(campaign, "good-2026-11")
    typed = tmp_path / "typed.xlsx"
    cells_typed = [list(c) for c in fill.cells]
    run_jobs(
        [{"open": str(templates["SOLN"]), "cells": cells_typed, "save": [[str(typed), "xlsx"]]}]
    )
    wb = openpyxl.load_workbook(typed)
    ws = wb.create_sheet("probe")
    for i, (_, _, formula) in enumerate(probes):
        ws.cell(i + 1, 1, formula)
    book = tmp_path / "probe.xlsx"
    wb.save(book)
    (result,) = run_jobs([{"open": str(book), "read": [["probe", f"A1:A{len(probes)}"]]}])
    by_lo = [row[0] for row in result["read"][f"probe!A1:A{len(probes)}"]]
    excel = calculate(book)["PROBE"]
    truth = {"TRUE": True, "FALSE": False, "1": True, "0": False}
    for i, (where, colour, _) in enumerate(probes):
        want_grey, want_tint = expected[where]
        want = {GREY[1:]: want_grey, INPUT[1:]: want_tint}.get(colour)
        if want is None:
            continue
        assert truth[excel[f"A{i + 1}"]] == want, (where, colour, "Excel")
        assert truth[by_lo[i]] == want, (where, colour, "LibreOffice")
    colours = {(w, c) for w, c, _ in probes}
    assert all((w, GREY[1:]) in colours for w in expected), colours
