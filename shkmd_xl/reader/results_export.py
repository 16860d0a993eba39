"""An export of the data-processing centre (.xlsx, .xls, .ods or .csv; one row per school ×
assessment × subject [× grade]) -> result rows, with every problem named in Russian
(file, row, column). Columns are found by the header names the campaign configures."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from ..campaign.models import Campaign, School
from ..messages import render
from ..rules.context import closest, norm_name
from .opening import reason_ru
from .values import BadValue, clean_text, parse_count, parse_number, parse_percent

#: Fields an export must have; grade may be absent when the assessment has one grade.
REQUIRED = ("school", "assessment", "subject", "participants", "mean")
LABELS = {
    "school": "ОО",
    "assessment": "процедура",
    "subject": "предмет",
    "grade": "класс",
    "participants": "участников",
    "mean": "средний результат",
    "fail_share": "не преодолели порог, %",
    "high_share": "высокие результаты, %",
}
HEADER_SCAN = 15


@dataclass
class Parsed:
    """What an export holds: good rows, rows of schools not in the registry, problems."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[tuple[int, str, str]] = field(default_factory=list)  # row, name, guess
    unmapped: list[str] = field(default_factory=list)  # columns not taken
    columns: dict[str, str] = field(default_factory=dict)  # field -> header found
    errors: list[str] = field(default_factory=list)  # refuse the whole import


def _grid(path: Path) -> list[list[Any]]:
    if path.suffix.lower() in (".csv", ".txt"):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "cp1251"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        return [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_name(book.sheet_names[0])
    data = sheet.to_python(skip_empty_area=True)
    r0, c0 = sheet.start or (0, 0)
    return [[] for _ in range(r0)] + [[None] * c0 + list(r) for r in data]


def _norm(text: Any) -> str:
    return " ".join(clean_text(text).casefold().replace("ё", "е").split())


def _header(grid: list[list[Any]], names: dict[str, list[str]]) -> tuple[int, dict[str, int]]:
    """The header row (the one naming most fields) and the column of each field."""
    wanted = {_norm(n): key for key, ns in names.items() for n in ns}
    best: tuple[int, dict[str, int]] = (-1, {})
    for r, row in enumerate(grid[:HEADER_SCAN]):
        cols: dict[str, int] = {}
        for c, v in enumerate(row):
            key = wanted.get(_norm(v))
            if key and key not in cols:
                cols[key] = c
        if len(cols) > len(best[1]):
            best = (r, cols)
    return best


class _Schools:
    def __init__(self, campaign: Campaign):
        self.index: dict[str, School] = {}
        for s in campaign.schools:
            for name in (s.code, s.name, s.short_name):
                self.index[norm_name(name)] = s
        self.names = [s.short_name for s in campaign.schools]

    def find(self, text: str) -> School | None:
        return self.index.get(norm_name(text))


def read_export(path: Path, campaign: Campaign) -> Parsed:
    """Rows of an export; problems in ``Parsed.errors`` mean nothing may be imported."""
    out = Parsed()
    name = path.name
    try:
        grid = _grid(path)
    except Exception as exc:  # calamine and csv raise many types: the user gets a reason
        out.errors.append(render("results.unreadable", file=name, reason=reason_ru(exc)))
        return out
    names = campaign.results.rules.import_headers()
    r0, cols = _header(grid, names)
    header = grid[r0] if r0 >= 0 else []
    out.columns = {k: clean_text(header[c]) for k, c in cols.items()}
    out.unmapped = [
        clean_text(v) for c, v in enumerate(header) if clean_text(v) and c not in cols.values()
    ]
    missing = [k for k in REQUIRED if k not in cols]
    if missing:
        for key in missing:
            out.errors.append(
                render(
                    "results.no_column",
                    file=name,
                    column=LABELS[key],
                    names="; ".join(f"«{n}»" for n in names[key]),
                )
            )
        return out
    schools = _Schools(campaign)
    for r in range(r0 + 1, len(grid)):
        raw = grid[r]
        cells = {k: raw[c] if c < len(raw) else None for k, c in cols.items()}
        if all(clean_text(v) == "" for v in cells.values()):
            continue
        _row(out, name, r + 1, cells, header, cols, campaign, schools)
    return out


def _row(
    out: Parsed,
    file: str,
    number: int,
    cells: dict[str, Any],
    header: list[Any],
    cols: dict[str, int],
    campaign: Campaign,
    schools: _Schools,
) -> None:
    def bad(key: str, expected: str) -> None:
        out.errors.append(
            render(
                "results.bad_value",
                file=file,
                row=number,
                column=clean_text(header[cols[key]]),
                value=clean_text(cells[key]),
                expected=expected,
            )
        )

    text = clean_text(cells["school"])
    school = schools.find(text)
    if school is None:
        guess = closest(text, schools.names) or ""
        out.unknown.append((number, text, guess))
        return
    results = campaign.results
    a = results.assessment(clean_text(cells["assessment"]).upper().replace("Ё", "Е")) or next(
        (x for x in results.assessments if _norm(x.code) == _norm(cells["assessment"])), None
    )
    if a is None:
        bad("assessment", "процедура кампании: " + ", ".join(x.code for x in results.assessments))
        return
    subject = next((s for s in a.subjects if _norm(s) == _norm(cells["subject"])), None)
    if subject is None:
        bad("subject", f"предмет процедуры {a.code}: " + "; ".join(a.subjects))
        return
    row: dict[str, Any] = {"school": school, "assessment": a.code, "subject": subject}
    if "grade" in cells and clean_text(cells["grade"]):
        try:
            row["grade"] = parse_count(cells["grade"])
        except BadValue:
            bad("grade", "номер класса")
            return
    elif len(a.grades) == 1:
        row["grade"] = a.grades[0]
    else:
        bad("grade" if "grade" in cells else "assessment", "класс (у процедуры их несколько)")
        return
    if row["grade"] not in a.grades:
        bad("grade", f"класс процедуры {a.code}: " + ", ".join(map(str, a.grades)))
        return
    try:
        n = parse_count(cells["participants"])
        if n < 0:
            raise BadValue("")
        row["participants"] = n
    except BadValue:
        bad("participants", "целое неотрицательное число")
        return
    try:
        mean = parse_number(cells["mean"])
    except BadValue:
        bad("mean", f"число от {a.scale_min:g} до {a.scale_max:g}")
        return
    if not a.scale_min <= mean <= a.scale_max:
        bad("mean", f"число от {a.scale_min:g} до {a.scale_max:g} ({a.mean_kind})")
        return
    row["mean"] = mean
    for key in ("fail_share", "high_share"):
        row[key] = None
        if key in cells and clean_text(cells[key]):
            try:
                value = parse_percent(cells[key])
            except BadValue:
                value = -1.0
            if not 0 <= value <= 100:
                bad(key, "процент от 0 до 100")
                return
            row[key] = value
    row["line"] = number
    out.rows.append(row)
