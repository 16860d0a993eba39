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


#: A condition made ready for one file: a constant, or a test of a row.
Test = bool | Callable[[Row], bool]


class When:
    """A condition on a row under which a field must be filled."""

    def test(self, env: Env) -> Test:
        """The condition for the rows of one file: a constant where the file decides it
        (a report after the first month, an identified municipality), else a function of
        the row. The check runs it for every row, so it is built once per file."""
        raise NotImplementedError

    def holds(self, row: Row, env: Env) -> bool:
        t = self.test(env)
        return t if isinstance(t, bool) else t(row)

    def excel(self, x: ExcelRow) -> str:
        raise NotImplementedError

    def __and__(self, other: When) -> When:
        return All((self, other))

    def __or__(self, other: When) -> When:
        return AnyOf((self, other))


@dataclass(frozen=True)
class Used(When):
    """The row is in use (has any value): every row the reader gives is."""

    def test(self, env: Env) -> Test:
        return True

    def excel(self, x: ExcelRow) -> str:
        return x.used


@dataclass(frozen=True)
class Numbered(When):
    """The field holds item ``number`` of a numbered list («5. Участие в …»)."""

    key: str
    number: int

    def test(self, env: Env) -> Test:
        key, number = self.key, self.number
        return lambda row: bool(row.values.get(key) == number)

    def excel(self, x: ExcelRow) -> str:
        n = str(self.number)
        return f'(LEFT({x.ref(self.key)},{len(n)})="{n}")'


@dataclass(frozen=True)
class Equals(When):
    """The field holds exactly ``value`` (an item of its list)."""

    key: str
    value: str

    def test(self, env: Env) -> Test:
        key, value = self.key, self.value
        return lambda row: bool(row.values.get(key) == value)

    def excel(self, x: ExcelRow) -> str:
        return f'({x.ref(self.key)}="{self.value}")'


@dataclass(frozen=True)
class Filled(When):
    """The field is not empty."""

    key: str

    def test(self, env: Env) -> Test:
        key = self.key
        return lambda row: bool(row.texts.get(key))

    def excel(self, x: ExcelRow) -> str:
        return f"(LEN({x.ref(self.key)})>0)"


@dataclass(frozen=True)
class InList(When):
    """The field names an item of list ``name`` (the catalogue of events)."""

    key: str
    name: str

    def test(self, env: Env) -> Test:
        key, name = self.key, self.name
        return lambda row: env.in_list(name, row.texts.get(key, ""))

    def excel(self, x: ExcelRow) -> str:
        return f"ISNUMBER(MATCH({x.ref(self.key)},{x.list_ref(self.name)},0))"


@dataclass(frozen=True)
class Reached(When):
    """The field's date has come: by the period's deadline (check), by today (Excel)."""

    key: str

    def test(self, env: Env) -> Test:
        key, as_of = self.key, env.as_of

        def reached(row: Row) -> bool:
            value = row.values.get(key)
            return isinstance(value, dt.date) and value <= as_of

        return reached

    def excel(self, x: ExcelRow) -> str:
        r = x.ref(self.key)
        return f"ISNUMBER({r})*({r}<=TODAY())"


@dataclass(frozen=True)
class Reporting(When):
    """A report after the year's first monitoring month (statuses are due)."""

    def test(self, env: Env) -> Test:
        return env.reporting

    def excel(self, x: ExcelRow) -> str:
        return x.reporting


@dataclass(frozen=True)
class Unidentified(When):
    """The file's municipality is not known from the template itself."""

    def test(self, env: Env) -> Test:
        return not env.identified

    def excel(self, x: ExcelRow) -> str:
        return "1"  # a generic template shows the cell as required; a municipal one locks it


def _combined(tests: list[Test], decisive: bool) -> Test:
    """Tests joined by «and» (``decisive`` False: one False decides) or by «or» (True)."""
    if decisive in tests:
        return decisive
    funcs = [t for t in tests if not isinstance(t, bool)]
    if not funcs:
        return not decisive
    if len(funcs) == 1:
        return funcs[0]
    first, second, *rest = funcs
    if not rest and decisive:  # the usual cases, without a generator per row
        return lambda row: first(row) or second(row)
    if not rest:
        return lambda row: first(row) and second(row)
    if decisive:
        return lambda row: any(f(row) for f in funcs)
    return lambda row: all(f(row) for f in funcs)


@dataclass(frozen=True)
class All(When):
    parts: tuple[When, ...]

    def test(self, env: Env) -> Test:
        return _combined([p.test(env) for p in self.parts], decisive=False)

    def excel(self, x: ExcelRow) -> str:
        return "*".join(p.excel(x) for p in self.parts)

    def __and__(self, other: When) -> When:
        return All((*self.parts, other))


@dataclass(frozen=True)
class AnyOf(When):
    parts: tuple[When, ...]

    def test(self, env: Env) -> Test:
        return _combined([p.test(env) for p in self.parts], decisive=True)

    def excel(self, x: ExcelRow) -> str:
        return "((" + ")+(".join(p.excel(x) for p in self.parts) + ")>0)"


#: Whenever the row is in use.
ROW_USED: When = Used()


def missing_formula(cond: When, x: ExcelRow, key: str) -> str:
    """Excel: 1 where ``key`` must be filled and is empty (SUMPRODUCT it over columns)."""
    return f"{cond.excel(x)}*(LEN({x.ref(key)})=0)"
