"""The «Решения» sheet of a regional workbook read back: the decisions the analyst
typed, each with its cells, or a message naming the cell that is wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from ..forms import decisions as D
from ..messages import render
from ..statuses import DECISIONS, Decision
from .opening import reason_ru
from .values import BadValue, clean_text, parse_date


@dataclass
class TypedDecision:
    """One row of «Решения» with something typed in its input columns."""

    row: int  # as Excel numbers it
    code: str
    municipality: str
    hash: str
    typed: dict[str, Any]  # the input columns as typed (kept when the row is refused)
    action: Decision | None = None
    reason: str = ""
    deadline: dt.date | None = None
    waived: list[str] = field(default_factory=list)
    problem: str = ""  # why it cannot be recorded (names the cell)

    def cell(self, key: str) -> str:
        return f"{D.letter(key)}{self.row}"


@dataclass
class SheetRead:
    """What the sheet held: typed rows, and problems of the sheet as a whole."""

    rows: list[TypedDecision] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _word(value: Any) -> Decision | None:
    text = clean_text(value).casefold().replace("ё", "е")
    for d in DECISIONS:
        if text in (d.ru, d.value, d.done.replace("ё", "е")):
            return d
    return None


def read_decisions(path: Path, period: str) -> SheetRead:
    """The typed decisions of ``path``'s «Решения» (nothing when the sheet is absent or
    is of another period than ``period``)."""
    out = SheetRead()
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        if D.SHEET not in book.sheet_names:
            return out
        data = book.get_sheet_by_name(D.SHEET).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types
        out.problems.append(
            render("decide.sheet_unreadable", file=path.name, reason=reason_ru(exc))
        )
        return out
    header = [clean_text(v) for v in (data[0] if data else [])]
    for key, label, _ in D.COLUMNS:
        if key != "problem" and (D.column(key) >= len(header) or header[D.column(key)] != label):
            out.problems.append(render("decide.sheet_header", file=path.name, column=label))
            return out
    for raw in data[1:]:
        if raw and clean_text(raw[0]) == D.PERIOD_LABEL:
            found = clean_text(raw[1]) if len(raw) > 1 else ""
            if found != period:
                out.problems.append(
                    render("decide.sheet_other_period", file=path.name, found=found, period=period)
                )
                return out
    for i, raw in enumerate(data[1:], 2):
        if raw and clean_text(raw[0]) == D.PERIOD_LABEL:
            continue
        values = {k: raw[D.column(k)] if D.column(k) < len(raw) else None for k in D.KEYS}
        typed = {k: values[k] for k in D.INPUTS if clean_text(values[k]) != ""}
        if not typed:
            continue
        row = TypedDecision(
            i,
            clean_text(values["code"]),
            clean_text(values["municipality"]),
            clean_text(values["hash"]),
            typed,
        )
        wrong = _parse(row)
        if wrong:
            row.problem = render(
                "decide.sheet_cell", file=path.name, cell=wrong[0], problem=wrong[1]
            )
        out.rows.append(row)
    return out


def _parse(row: TypedDecision) -> tuple[str, str] | None:
    """Fill the row's decision from its typed values; (cell, problem) when wrong."""
    t = row.typed
    if not row.code:
        return (row.cell("code"), render("decide.sheet_no_municipality"))
    if "new" not in t:
        label = D.COLUMNS[D.column("new")][1]
        return (row.cell("new"), render("decide.sheet_no_word", column=label))
    action = _word(t["new"])
    if action is None:
        allowed = ", ".join(D.WORDS)
        value = clean_text(t["new"])
        return (row.cell("new"), render("decide.sheet_bad_word", value=value, allowed=allowed))
    row.action = action
    row.reason = clean_text(t.get("new_reason", ""))
    if "new_deadline" in t:
        try:
            row.deadline = parse_date(t["new_deadline"])
        except BadValue:
            value = clean_text(t["new_deadline"])
            return (row.cell("new_deadline"), render("decide.bad_deadline", value=value))
    row.waived = D.split_waivers(clean_text(t.get("new_waived", "")))
    return None
