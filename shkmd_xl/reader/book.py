"""A municipal workbook -> typed records that remember their cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..campaign.models import Campaign
from ..cells import cell_ref as xl_rowcol_to_cell
from ..forms import sheets as F
from ..forms.model import Field, SheetForm
from ..issues import Issue, Location
from .opening import Opened, open_workbook, reason_ru, too_big
from .typed import TEXT_KINDS, Parser
from .values import clean_text

HEADER_SCAN_ROWS = 12
#: Codes the reader emits (opening the file, locating sheets and columns, typing values).
EMITS = frozenset(
    {
        "SUB01",
        "SUB08",
        "SUB09",
        "SUB10",
        "SUB11",
        "SUB12",
        "SUB13",
        "SUB14",
        "VAL01",
        "MN05",
        "TR03",
    }
)
SERVICE_SHEETS = {F.INSTRUCTION, F.CONTROL, F.LISTS, F.META, F.MARKS}


@dataclass
class Record:
    """One data row: typed values (None when blank or not understood) and texts.

    ``texts`` holds the cleaned text of every raw value; cell addresses are
    computed on demand from the row and the shared column map.
    """

    sheet: str
    row: int  # 1-based Excel row
    values: dict[str, Any]
    texts: dict[str, str]
    columns: dict[str, int]  # field key -> 0-based column (shared by the rows of a sheet)

    def cell(self, key: str) -> str:
        col = self.columns.get(key)
        if col is None:
            return ""
        if self.row == 0:  # Титул: packed row * 1000 + column of the value cell
            return xl_rowcol_to_cell(*divmod(col, 1000))
        return xl_rowcol_to_cell(self.row - 1, col)

    @property
    def cells(self) -> dict[str, int]:
        """Keys that have a column (``key in rec.cells``)."""
        return self.columns

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def blank(self, key: str) -> bool:
        return not self.texts.get(key)


@dataclass
class Book:
    """What was read from one file."""

    path: Path
    meta: dict[str, str] = field(default_factory=dict)
    title: Record | None = None
    tables: dict[str, list[Record]] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)  # form key -> sheet name found
    issues: list[Issue] = field(default_factory=list)
    readable: bool = True
    kind: str = ""

    def rows(self, form_key: str) -> list[Record]:
        return self.tables.get(form_key, [])


def _norm(text: Any) -> str:
    return clean_text(text).casefold().replace("ё", "е")


def _grid(book: Any, name: str) -> list[list[Any]]:
    """All cells of a sheet from A1 (calamine may start at the first used cell)."""
    sheet = book.get_sheet_by_name(name)
    data = sheet.to_python(skip_empty_area=True)
    r0, c0 = sheet.start or (0, 0)
    if r0 or c0:
        data = [[None] * c0 + list(row) for row in data]
        data = [[] for _ in range(r0)] + data
    return data


def _header_keys(form: SheetForm) -> dict[str, str]:
    """Normalised header text -> field key (Мониторинг ОО: by indicator code)."""
    if form.key == F.SCHOOL_MON_KEY:
        return {
            _norm(f.label.split()[0]) if f.key[:1] == "S" else _norm(f.label): f.key
            for f in form.fields
        }
    return {_norm(f.label): f.key for f in form.fields}


def _find_header(grid: list[list[Any]], form: SheetForm) -> tuple[int, dict[str, int]]:
    """Best header row among the first rows and the column of each found field."""
    wanted = _header_keys(form)
    by_code = form.key == F.SCHOOL_MON_KEY
    best: tuple[int, dict[str, int]] = (-1, {})
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            h = _norm(value)
            if not h:
                continue
            key = wanted.get(h)
            if key is None and by_code:
                key = wanted.get(h.split(" ")[0])
            if key is not None and key not in found:
                found[key] = c
        if len(found) > len(best[1]):
            best = (r, found)
            if len(found) == len(wanted):
                break  # a complete header: no need to look further
    return best


class BookReader:
    """Reads the forms of one opened workbook."""

    def __init__(self, opened: Opened, campaign: Campaign):
        self.opened = opened
        self.campaign = campaign
        self.book = Book(opened.path, issues=list(opened.issues), kind=opened.kind)
        self.file = opened.path.name
        self.names = list(opened.book.sheet_names)
        self._grids: dict[str, list[list[Any]]] = {}
        self.parser = Parser(campaign, self.book.issues, self.file)

    def grid(self, name: str) -> list[list[Any]]:
        if name not in self._grids:
            try:
                grid = _grid(self.opened.book, name)
            except Exception:
                grid = []
            # the same rule as before reading (opening.too_big), on the rows really there
            reason = too_big(len(grid), max((len(row) for row in grid[:1]), default=0))
            if reason:
                raise SheetTooBig(name, reason)
            self._grids[name] = grid
        return self._grids[name]

    def issue(self, code: str, sheet: str = "", variant: str = "", **params: Any) -> None:
        self.book.issues.append(
            Issue(code, Location(file=self.file, sheet=sheet), params=params, variant=variant)
        )

    def locate(self, form: SheetForm, taken: set[str]) -> tuple[str, int, dict[str, int]] | None:
        """Sheet, header row and columns of a form: by name, else by its labels."""
        by_name = {_norm(n): n for n in self.names}
        name = by_name.get(_norm(form.name))
        if name is not None:
            r, cols = self._header(name, form)
            return name, r, cols
        candidates = []
        for n in self.names:
            if (
                n in taken
                or n in SERVICE_SHEETS
                or _norm(n) in {_norm(f.name) for f in F.all_forms(self.campaign)}
            ):
                continue
            r, cols = self._header(n, form)
            if len(cols) >= max(2, (len(form.fields) + 1) // 2):
                candidates.append((len(cols), n, r, cols))
        if not candidates:
            return None
        _, n, r, cols = max(candidates)
        self.issue("SUB12", n, "sheet", expected=form.name)
        return n, r, cols

    def _header(self, name: str, form: SheetForm) -> tuple[int, dict[str, int]]:
        if form is F.TITLE:
            return self._title_labels(name)
        return _find_header(self.grid(name), form)

    def _title_labels(self, name: str) -> tuple[int, dict[str, int]]:
        found: dict[str, int] = {}
        labels = {_norm(f.label): f.key for f in F.TITLE.fields}
        for r, row in enumerate(self.grid(name)[:40]):
            for c, v in enumerate(row[:4]):
                key = labels.get(_norm(v)) if v else None
                if key is not None and key not in found:
                    found[key] = r * 1000 + c  # row and label column packed
        return 0, found

    def read_title(self, name: str, found: dict[str, int]) -> Record:
        grid = self.grid(name)
        values, texts, columns = {}, {}, {}
        for fld in F.TITLE.fields:
            if fld.key not in found:
                self.issue("SUB13", name, "column", column=fld.label)
                continue
            r, c = divmod(found[fld.key], 1000)
            c += F.TITLE_VALUE_COL - F.TITLE_LABEL_COL  # the value beside its label
            row = grid[r]
            value = row[c] if c < len(row) else None
            columns[fld.key] = r * 1000 + c
            texts[fld.key] = clean_text(value)
            values[fld.key] = self.parser.parse(F.TITLE, fld, value, name, xl_rowcol_to_cell(r, c))
        return Record(name, 0, values, texts, columns)

    def read_table(
        self, form: SheetForm, name: str, header: int, cols: dict[str, int]
    ) -> list[Record]:
        missing = [f.label for f in form.fields if f.key not in cols and not f.added_later]
        for label in missing:
            self.issue("SUB13", name, "column", column=label)
        order = [cols[f.key] for f in form.fields if f.key in cols]
        if order != sorted(order):
            self.issue("SUB12", name, "columns")
        grid = self.grid(name)
        records = []
        fractions = self.parser.fraction_columns(form, grid[header + 1 :], cols)
        # (key, field, column, a text kind, (text, typed value) by raw value of the column)
        fields: list[tuple[str, Field, int, bool, dict[Any, tuple[str, Any]]]] = [
            (k, form.field(k), c, form.field(k).kind in TEXT_KINDS, {}) for k, c in cols.items()
        ]
        parse = self.parser.parse
        is_mouo = form.key == F.MOUO_KEY
        text_of: dict[str, str] = {}  # typed text repeats (lists, schools): clean each once
        for r in range(header + 1, len(grid)):
            row = grid[r]
            width = len(row)
            if row.count("") + row.count(None) == width:
                continue  # an empty row (formatted rows LibreOffice keeps): nothing to read
            texts: dict[str, str] = {}
            values: dict[str, Any] = {}
            used = False
            for k, fld, c, is_text, memo in fields:
                v = row[c] if c < width else None
                if v is None or v == "":
                    texts[k] = ""
                    values[k] = None
                    continue
                cls = v.__class__
                # values repeat down a column: the text and typed value of each raw value
                # once (True == 1.0: bools apart)
                known = memo.get(v) if cls is not bool else None
                if known is not None:
                    texts[k], values[k] = known
                    if known[0]:
                        used = True
                    continue
                if cls is str:
                    t = text_of.get(v)
                    if t is None:  # the common case without clean_text's work
                        plain = v.isprintable() and "  " not in v
                        t = text_of[v] = v.strip() if plain else clean_text(v)
                elif cls is float:
                    t = str(int(v)) if v.is_integer() else repr(v)
                elif cls is dt.date:
                    t = f"{v.day:02d}.{v.month:02d}.{v.year:04d}"
                else:
                    t = clean_text(v)
                texts[k] = t
                if not t:
                    typed = None
                elif is_text:
                    typed = t
                else:
                    indicator = texts.get("code", "") if is_mouo else ""
                    typed = parse(form, fld, v, name, (r, c), k in fractions, indicator, t)
                    if typed is None:  # not understood: a finding at every such cell,
                        values[k] = None  # so never memoised
                        used = True
                        continue
                values[k] = typed
                if t:
                    used = True
                if cls is not bool:
                    memo[v] = (t, typed)
            if used:
                records.append(Record(name, r + 1, values, texts, cols))
        return records

    def read_meta(self) -> dict[str, str]:
        meta = {k: v for k, v in self.opened.custom.items() if v != "-"}
        if F.META in self.names:
            for row in self.grid(F.META):
                if len(row) >= 2 and clean_text(row[0]):
                    meta[clean_text(row[0])] = clean_text(row[1])
        return meta

    def read(self) -> Book:
        book = self.book
        book.meta = self.read_meta()
        taken: set[str] = set()
        for form in F.all_forms(self.campaign):
            located = self.locate(form, taken)
            if located is None:
                continue
            name, header, cols = located
            taken.add(name)
            book.sheets[form.key] = name
            if form is F.TITLE:
                book.title = self.read_title(name, cols)
            else:
                book.tables[form.key] = self.read_table(form, name, header, cols)
        if not book.sheets:
            book.readable = False
            book.issues.append(Issue("SUB01", Location(file=self.file)))
        return book


class SheetTooBig(Exception):
    """A sheet read has more rows than a report can have."""

    def __init__(self, sheet: str, reason: str):
        super().__init__(reason)
        self.sheet, self.reason = sheet, reason


def read_book(path: Path, campaign: Campaign, guard_extent: bool = True) -> Book:
    """Read a municipal workbook; never raises on a user's file.

    calamine's Rust panics arrive as ``PanicException``, a ``BaseException``:
    they become a finding too (only interrupts and exits pass).
    """
    try:
        opened = open_workbook(path, guard_extent)
        if not opened.ok:
            return Book(path, issues=opened.issues, readable=False, kind=opened.kind)
        return BookReader(opened, campaign).read()
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except SheetTooBig as exc:
        issue = Issue(
            "SUB09",
            Location(file=path.name, sheet=exc.sheet),
            params={"reason": exc.reason},
            variant="limit",
        )
        return Book(path, issues=[issue], readable=False)
    except BaseException as exc:  # a last guard: a user's file never crashes the batch
        issue = Issue("SUB09", Location(file=path.name), params={"reason": reason_ru(exc)})
        return Book(path, issues=[issue], readable=False)
