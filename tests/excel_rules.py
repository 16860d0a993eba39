"""Our formulas evaluated under Excel's rules, by the `formulas` package.

No Excel runs here. `formulas` evaluates a workbook with Excel's semantics (a logical
above every number, ``=FALSE>0`` TRUE; text never equal to a number), which differ from
LibreOffice's. One correction to it, to Excel's documented rule: its ISNUMBER takes text
that looks like a number («95,5» aside, «1e3», «100.0») for a number; Excel's ISNUMBER
is TRUE for numbers only («ISNUMBER("19")» is FALSE in Microsoft's own example).
Known and avoided, not corrected: it takes ``--x`` for ``x`` (``--TRUE`` stays TRUE,
``--"5"`` stays text, where Excel gives 1 and 5), so our formulas coerce with ``*1``;
a test below keeps ``--`` out of every formula we write.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import formulas
import formulas.cell
import formulas.functions
import numpy as np
from formulas.functions import FUNCTIONS, wrap_ranges_func
from formulas.functions.info import FalseArray, iserror
from formulas.tokens.operand import XlError
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter, range_boundaries
from xlsxwriter.utility import quote_sheetname


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float | np.number) and not isinstance(x, bool | np.bool_)


FUNCTIONS["ISNUMBER"] = wrap_ranges_func(
    functools.partial(iserror, check=_is_number, array=FalseArray)
)
_KEY = re.compile(r"^'?\[[^\]]+\](.+?)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


def shown(value: Any) -> str:
    """A value as LibreOffice's driver (tests/lo) and calamine show it."""
    if isinstance(value, np.ndarray):
        value = value.ravel()[0] if value.size else ""
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if _is_number(value):
        f = float(value)
        return str(int(f)) if f.is_integer() else repr(round(f, 9))
    if value is None or str(value) in ("", "empty"):
        return ""
    return str(value)


_PARSED: dict[tuple[str, str], Any] = {}


class _SharedParser(formulas.Parser):
    """The cell formula parser, parsing each formula once per process for a cell of a
    book of the same name: the scenario files share Контроль's ~300 formulas, and
    parsing them was the largest part of loading a book (CI time). A parse depends
    only on the formula text and its context (book, sheet, cell), both in the key;
    compiling a cell does not change what the parse returned."""

    def ast(self, expression: str, context: Any = None) -> Any:
        key = (expression, repr(sorted((context or {}).items())))
        found = _PARSED.get(key)
        if found is None:
            found = _PARSED[key] = super().ast(expression, context)
        return found


formulas.cell.Cell.parser = _SharedParser(True)
_COMPILED: dict[tuple[Any, ...], Any] = {}


def _compile(self: formulas.cell.Cell, references: Any = None, context: Any = None) -> Any:
    """`Cell.compile` with each compiled formula kept per process, for a cell of a book of
    the same name (CI time: the ~300 formulas of Контроль were compiled again for each
    scenario file, half of loading it). The key holds all the compile depends on: the
    shared parse (above), the cell, the defined names and the context; a compiled formula
    keeps no state between calls (each call starts a new solution)."""
    if not self.func and self.builder:
        key = (id(self.builder), self.output, frozenset(references or ()), repr(context))
        func = _COMPILED.get(key)
        if func is None:
            func = _COMPILED[key] = self.builder.compile(
                references=references, context=context, **{formulas.cell.CELL: self.range}
            )
        self.func = formulas.cell.wrap_cell_func(func, self._args)
        self.update_inputs(references=references)
        self.builder = None
    return self


formulas.cell.Cell.compile = _compile  # type: ignore[method-assign]


def _first_error(*vals: Any) -> Any:
    """`formulas`' get_error (the first Excel error among a function's arguments), the
    same answer without flattening every scalar argument through a generator: it ran
    for each element of every range a formula reads, 40 % of the evaluation (CI time)."""
    for v in vals:
        if isinstance(v, XlError):  # an error is a str
            return v
        if not isinstance(v, str | int | float):
            for w in flatten(v, None, True):  # noqa: F821  (formulas.functions' global)
                if isinstance(w, XlError):
                    return w
    return None


# the functions hold get_error itself (a default argument): its code is replaced, and
# runs among formulas.functions' globals (flatten, XlError)
formulas.functions.get_error.__code__ = _first_error.__code__
_NOTHING = formulas.cell.Cell(None, None)


class _Model(formulas.ExcelModel):
    """`formulas`' model without the work for empty cells: a cell with neither value
    nor formula (LibreOffice writes one for every formatted empty cell) adds nothing
    to the model (Cell.add), but building it costs a reference parse each."""

    def compile_cell(self, cell: Any, context: Any, references: Any, formula_refs: Any) -> Any:
        if cell.value is None:
            return _NOTHING
        return super().compile_cell(cell, context, references, formula_refs)


#: The name every book is calculated under, so that the parses are shared (above).
BOOK_NAME = "book.xlsx"


def calculate(path: Path) -> dict[str, dict[str, str]]:
    """Every formula cell of the workbook under Excel's rules: sheet (upper case, as
    `formulas` names it) -> A1 address -> value as shown."""
    with tempfile.TemporaryDirectory(prefix="excel-rules-") as tmp:
        book = Path(tmp) / BOOK_NAME  # a copy under the shared name
        shutil.copyfile(path, book)
        model = _Model().loads(str(book)).finish()
        solution = model.calculate()
    out: dict[str, dict[str, str]] = {}
    for key, ranges in solution.items():
        m = _KEY.match(key)
        if not m:
            continue
        sheet, col, row, col2, row2 = m.groups()
        if col2 and (col2, row2) != (col, row):
            continue  # an input range, not a formula cell
        out.setdefault(sheet.upper(), {})[f"{col}{row}"] = shown(ranges.value)
    return out


_WHOLE_COLUMN = re.compile(r"^(.*!)?\$?([A-Z]+):\$?([A-Z]+)$")
#: Rows a whole-column reference («_marks»!$A:$A) is cut to in a probe: the `formulas`
#: engine materialises a column of 1 048 576 cells for each probe otherwise; the probes
#: run on files whose «_marks» is empty or short, so the truth is the same.
PROBE_ROWS = 300


def _qualified(formula: str, sheet: str) -> str:
    """``formula`` of a conditional format on ``sheet`` with its bare references
    qualified by that sheet (to be evaluated in a cell of another sheet)."""
    tok = Tokenizer(formula)
    out = ["="]
    for t in tok.items:
        value = t.value
        if t.type == Token.OPERAND and t.subtype == Token.RANGE:
            whole = _WHOLE_COLUMN.match(value)
            if whole:
                prefix, c0, c1 = whole.groups()
                value = f"{prefix or ''}${c0}$1:${c1}${PROBE_ROWS}"
            if "!" not in value:
                value = f"{quote_sheetname(sheet)}!{value}"
        out.append(value)
    return "".join(out)


def conditional_probes(template: Path, rows: dict[str, int]) -> list[tuple[str, str, int, str]]:
    """Every formula-type conditional format of ``template`` (and every «cell value»
    one, as a formula), expanded to each cell of its range up to ``rows[sheet]`` data
    rows: (sheet, cell, rule index, formula for a cell on another sheet)."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    probes: list[tuple[str, str, int, str]] = []
    for ws in wb.worksheets:
        for cf in ws.conditional_formatting:
            for k, rule in enumerate(cf.rules):
                if rule.type == "expression":
                    base = "=" + rule.formula[0]
                elif rule.type == "cellIs" and rule.operator in _OPS:
                    base = f"=A1{_OPS[rule.operator]}{rule.formula[0]}"
                else:
                    continue
                for rng in str(cf.sqref).split():
                    c0, r0, c1, r1 = range_boundaries(rng)
                    anchor = f"{get_column_letter(c0)}{r0}"
                    base_here = base.replace("A1", anchor, 1) if rule.type == "cellIs" else base
                    last = min(r1, r0 + rows.get(ws.title, 0))
                    if "_marks" in base:  # the same formula in every cell: a few rows do
                        last = min(last, r0 + 4)
                    for r in range(r0, last + 1):
                        for c in range(c0, c1 + 1):
                            cell = f"{get_column_letter(c)}{r}"
                            moved = Translator(base_here, origin=anchor).translate_formula(cell)
                            moved = moved.replace("ROW()", str(r)).replace("COLUMN()", str(c))
                            probes.append((ws.title, cell, k, _qualified(moved, ws.title)))
    return probes


_OPS = {"equal": "=", "greaterThan": ">", "lessThan": "<", "notEqual": "<>"}


def evaluate_formula(formula: str, cells: dict[str, Any]) -> Any:
    """One formula (no «=») under Excel's rules, on a sheet holding ``cells`` (A1 ->
    value; None: empty): TRUE/FALSE as bool, else the value as shown."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for addr, value in cells.items():
        if value is not None:
            ws[addr] = value
    ws["Z1"] = f"={formula}"
    with tempfile.TemporaryDirectory(prefix="excel-formula-") as tmp:
        path = Path(tmp) / "formula.xlsx"
        wb.save(path)
        value = calculate(path)[ws.title.upper()]["Z1"]
    return {"TRUE": True, "FALSE": False}.get(value, value)
