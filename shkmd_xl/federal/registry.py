"""The registry of regions of a federal roll-up: a workbook the analyst edits.

Sheet «Регионы», one row per region: code, name, the region's campaign file
(workbook or JSON) and the folder of what the region's municipalities sent.
Relative paths are taken from the registry's folder, so the registry can travel
with the folders beside it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..messages import render
from ..reader.values import clean_text

SHEET = "Регионы"
COLUMNS = {
    "code": "Код региона",
    "name": "Регион",
    "campaign": "Файл кампании",
    "inbox": "Папка входящих",
}
_CODE = re.compile(r"^[0-9A-Za-zА-Яа-яЁё_-]{1,20}$")


@dataclass(frozen=True)
class Region:
    code: str  # also the name of the region's working folder
    name: str
    campaign: Path
    inbox: Path


class RegistryError(ValueError):
    """The registry is refused; ``problems`` are Russian messages naming sheet and row."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def load_registry(path: Path) -> list[Region]:
    """Regions of a registry workbook (.xlsx, .xlsm, .ods, .xls) or JSON list."""
    if path.suffix.lower() == ".json":
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
            rows = [(n + 1, [clean_text(i.get(k)) for k in COLUMNS]) for n, i in enumerate(items)]
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            raise RegistryError(
                [render("federal.registry_json", file=path.name, error=exc)]
            ) from None
        return _regions(path, rows, render("federal.registry_where_file", file=path.name))
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise RegistryError(
            [render("federal.registry_unreadable", file=path.name, error=exc)]
        ) from None
    if SHEET not in book.sheet_names:
        raise RegistryError([render("federal.registry_no_sheet", file=path.name, sheet=SHEET)])
    cells = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    header_at = next(
        (i for i, row in enumerate(cells[:20]) if COLUMNS["code"] in map(clean_text, row)), None
    )
    if header_at is None:
        raise RegistryError(
            [render("federal.registry_no_header", sheet=SHEET, column=COLUMNS["code"])]
        )
    header = [clean_text(v) for v in cells[header_at]]
    missing = [label for label in COLUMNS.values() if label not in header]
    if missing:
        raise RegistryError(
            [
                render("federal.registry_no_column", sheet=SHEET, row=header_at + 1, column=m)
                for m in missing
            ]
        )
    index = [header.index(label) for label in COLUMNS.values()]
    rows = [
        (n + 1, [clean_text(row[i]) if i < len(row) else "" for i in index])
        for n, row in enumerate(cells)
        if n > header_at and any(clean_text(v) for v in row)
    ]
    return _regions(path, rows, render("federal.registry_where_sheet", sheet=SHEET))


def _regions(path: Path, rows: list[tuple[int, list[str]]], where: str) -> list[Region]:
    problems: list[str] = []
    regions: list[Region] = []
    seen: dict[str, int] = {}
    for line, (code, name, campaign, inbox) in rows:
        at = render("federal.registry_at", file=path.name, where=where, row=line)
        for value, key in (
            (code, "code"),
            (name, "name"),
            (campaign, "campaign"),
            (inbox, "inbox"),
        ):
            if not value:
                problems.append(render("federal.registry_empty", at=at, column=COLUMNS[key]))
        if code and not _CODE.match(code):
            problems.append(render("federal.registry_bad_code", at=at, code=code))
        elif code and code.lower() in seen:
            problems.append(
                render("federal.registry_duplicate", at=at, code=code, first=seen[code.lower()])
            )
        if code:
            seen.setdefault(code.lower(), line)
        if code and name and campaign and inbox:
            regions.append(Region(code, name, (path.parent / campaign), (path.parent / inbox)))
    if not rows:
        problems.append(render("federal.registry_empty_list", file=path.name))
    if problems:
        raise RegistryError(problems)
    return regions


def write_registry(regions: list[Region], path: Path) -> Path:
    """A registry workbook (paths written relative to its folder when they can be)."""
    import xlsxwriter

    from ..atomic import atomic_output

    def rel(p: Path) -> str:
        try:
            return str(p.resolve().relative_to(path.parent.resolve()))
        except ValueError:
            return str(p)

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet(SHEET)
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        for c, (label, width) in enumerate(zip(COLUMNS.values(), (14, 40, 40, 40), strict=True)):
            ws.write_string(0, c, label, bold)
            ws.set_column(c, c, width)
        for r, region in enumerate(regions, 1):
            for c, value in enumerate(
                (region.code, region.name, rel(region.campaign), rel(region.inbox))
            ):
                ws.write_string(r, c, value)
        ws.freeze_panes(1, 0)
        wb.close()
    return path
