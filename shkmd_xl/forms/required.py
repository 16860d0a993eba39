"""When a field must be filled: condition objects.

One condition gives both the Excel expression (the template's «required and empty»
colour, Контроль's count) and the Python test (the check's one required-field rule,
completeness), so the three can never disagree. Excel expressions are products of
0/1 terms, valid in a conditional format (one row) and inside SUMPRODUCT (whole
columns) alike, in Excel and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


class Row(Protocol):
    """A data row as the reader gives it: typed values and cleaned texts by field key."""

    values: dict[str, Any]
    texts: dict[str, str]


class Env(Protocol):
    """What a condition may ask about the file beyond its row (rules.Context has it)."""

    @property
    def as_of(self) -> dt.date: ...

    @property
    def reporting(self) -> bool: ...

    @property
    def identified(self) -> bool: ...

    def in_list(self, name: str, text: str) -> bool: ...


@dataclass(frozen=True)
class ExcelRow:
    """How a condition refers to its row's cells in a formula.

    ``ref`` gives a field's cell (one row) or its column of data cells (SUMPRODUCT);
    ``used`` is 1 where the row holds anything; ``reporting`` is 1 in a report after
    the year's first monitoring month; ``list_ref`` names a list's cells.
    """

    ref: Callable[[str], str]
    used: str
    reporting: str
    list_ref: Callable[[str], str]


class When:
    """A condition on a row under which a field must be filled."""

    def holds(self, row: Row, env: Env) -> bool:
        raise NotImplementedError

    def excel(self, x: ExcelRow) -> str:
        raise NotImplementedError

    def __and__(self, other: When) -> When:
        return All((self, other))

    def __or__(self, other: When) -> When:
        return AnyOf((self, other))


@dataclass(frozen=True)
class Used(When):
    """The row is in use (has any value): every row the reader gives is."""

    def holds(self, row: Row, env: Env) -> bool:
        return True

    def excel(self, x: ExcelRow) -> str:
        return x.used


@dataclass(frozen=True)
class Numbered(When):
    """The field holds item ``number`` of a numbered list («5. Участие в …»)."""

    key: str
    number: int

    def holds(self, row: Row, env: Env) -> bool:
        return bool(row.values.get(self.key) == self.number)

    def excel(self, x: ExcelRow) -> str:
        n = str(self.number)
        return f'(LEFT({x.ref(self.key)},{len(n)})="{n}")'


@dataclass(frozen=True)
class Equals(When):
    """The field holds exactly ``value`` (an item of its list)."""

    key: str
    value: str

    def holds(self, row: Row, env: Env) -> bool:
        return bool(row.values.get(self.key) == self.value)

    def excel(self, x: ExcelRow) -> str:
        return f'({x.ref(self.key)}="{self.value}")'


@dataclass(frozen=True)
class Filled(When):
    """The field is not empty."""

    key: str

    def holds(self, row: Row, env: Env) -> bool:
        return bool(row.texts.get(self.key))

    def excel(self, x: ExcelRow) -> str:
        return f"(LEN({x.ref(self.key)})>0)"


@dataclass(frozen=True)
class InList(When):
    """The field names an item of list ``name`` (the catalogue of events)."""

    key: str
    name: str

    def holds(self, row: Row, env: Env) -> bool:
        return env.in_list(self.name, row.texts.get(self.key, ""))

    def excel(self, x: ExcelRow) -> str:
        return f"ISNUMBER(MATCH({x.ref(self.key)},{x.list_ref(self.name)},0))"


@dataclass(frozen=True)
class Reached(When):
    """The field's date has come: by the period's deadline (check), by today (Excel)."""

    key: str

    def holds(self, row: Row, env: Env) -> bool:
        value = row.values.get(self.key)
        return isinstance(value, dt.date) and value <= env.as_of

    def excel(self, x: ExcelRow) -> str:
        r = x.ref(self.key)
        return f"ISNUMBER({r})*({r}<=TODAY())"


@dataclass(frozen=True)
class Reporting(When):
    """A report after the year's first monitoring month (statuses are due)."""

    def holds(self, row: Row, env: Env) -> bool:
        return env.reporting

    def excel(self, x: ExcelRow) -> str:
        return x.reporting


@dataclass(frozen=True)
class Unidentified(When):
    """The file's municipality is not known from the template itself."""

    def holds(self, row: Row, env: Env) -> bool:
        return not env.identified

    def excel(self, x: ExcelRow) -> str:
        return "1"  # a generic template shows the cell as required; a municipal one locks it


@dataclass(frozen=True)
class All(When):
    parts: tuple[When, ...]

    def holds(self, row: Row, env: Env) -> bool:
        return all(p.holds(row, env) for p in self.parts)

    def excel(self, x: ExcelRow) -> str:
        return "*".join(p.excel(x) for p in self.parts)

    def __and__(self, other: When) -> When:
        return All((*self.parts, other))


@dataclass(frozen=True)
class AnyOf(When):
    parts: tuple[When, ...]

    def holds(self, row: Row, env: Env) -> bool:
        return any(p.holds(row, env) for p in self.parts)

    def excel(self, x: ExcelRow) -> str:
        return "((" + ")+(".join(p.excel(x) for p in self.parts) + ")>0)"


#: Whenever the row is in use.
ROW_USED: When = Used()


def missing_formula(cond: When, x: ExcelRow, key: str) -> str:
    """Excel: 1 where ``key`` must be filled and is empty (SUMPRODUCT it over columns)."""
    return f"{cond.excel(x)}*(LEN({x.ref(key)})=0)"
