"""What every rule sees: the campaign, the book read, the period and the municipality."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Generic, TypeVar

from ..campaign.models import Campaign, Period, School
from ..issues import Issue, Location, Severity
from ..reader.book import Book, Record

_QUOTES = re.compile(r"[«»\"'“”„]")


@lru_cache(maxsize=8192)
def norm_name(text: str) -> str:
    """Comparable form of a name: case, ё, quotes and spaces do not matter."""
    text = _QUOTES.sub("", text.casefold().replace("ё", "е"))
    return " ".join(text.split())


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate a misspelled name most likely meant, if any."""
    by_norm = {norm_name(c): c for c in candidates}
    found = difflib.get_close_matches(norm_name(name), list(by_norm), n=1, cutoff=0.6)
    return by_norm[found[0]] if found else None


@dataclass
class Context:
    """Inputs of the rules of one workbook (pure data, no I/O)."""

    campaign: Campaign
    book: Book
    municipality: str | None = None  # code, once identified
    period: Period | None = None
    history: dict[str, Any] = field(default_factory=dict)  # previous periods (collect)

    @property
    def file(self) -> str:
        return self.book.path.name

    @cached_property
    def as_of(self) -> dt.date:
        """Reference date: courses ended by the period's deadline must be reported."""
        return self.period.deadline if self.period else dt.date.today()

    @cached_property
    def schools(self) -> list[School]:
        if self.municipality:
            return self.campaign.schools_of(self.municipality)
        return list(self.campaign.schools)

    @cached_property
    def _school_index(self) -> dict[str, School]:
        index: dict[str, School] = {}
        for s in self.schools:
            index[norm_name(s.short_name)] = s
            index[norm_name(s.name)] = s
            index[norm_name(s.code)] = s
        return index

    def school(self, name: str) -> School | None:
        """The registry school a typed name means (memoised: names repeat on every row)."""
        memo = self._school_memo
        if name not in memo:
            memo[name] = self._school_index.get(norm_name(name))
        return memo[name]

    @cached_property
    def _school_memo(self) -> dict[str, School | None]:
        return {}

    @cached_property
    def catalogue_names(self) -> set[str]:
        """Comparable names of the catalogue's events (direction 5), once per file."""
        return {norm_name(e.name) for e in self.campaign.catalogue}

    # -- what required-field conditions ask (forms/required.Env) ----------------
    @cached_property
    def reporting(self) -> bool:
        """A report after the year's first monitoring month: statuses are due."""
        return self.period is not None and not self.period.first_of_year

    @cached_property
    def identified(self) -> bool:
        return self.municipality is not None

    def in_list(self, name: str, text: str) -> bool:
        if name != "catalogue":
            raise KeyError(name)
        return norm_name(text) in self.catalogue_names

    def municipality_name(self) -> str:
        return self.campaign.municipality(self.municipality).name if self.municipality else ""

    def at(self, rec: Record | None, key: str = "", **extra: Any) -> Location:
        """Location of a record's cell (or of its row when key is empty)."""
        base: dict[str, Any] = {"file": self.file, "municipality": self.municipality_name()}
        if rec is not None:
            base.update(sheet=rec.sheet, row=rec.row or None, cell=rec.cell(key) if key else "")
            school = rec.text("school")
            if school:
                base["school"] = school
        base.update(extra)
        return Location(**base)

    def issue(
        self,
        finding: str,
        rec: Record | None = None,
        key: str = "",
        /,
        *,
        value: Any = None,
        variant: str = "",
        severity: Severity | None = None,
        sheet: str = "",
        school: str = "",
        **params: Any,
    ) -> Issue:
        extra: dict[str, Any] = {}
        if sheet:
            extra["sheet"] = sheet
        if school:
            extra["school"] = school
            params.setdefault("school", school)
        if value is None and rec is not None and key:
            value = rec.text(key) or None
        return Issue(finding, self.at(rec, key, **extra), value, params, variant, severity)


C = TypeVar("C")


@dataclass(frozen=True)
class Spec(Generic[C]):
    """A check over ``C`` (one file's Context, or the region) and the codes it can emit
    (frictionless-style)."""

    fn: Callable[[C], Iterator[Issue]]
    codes: frozenset[str]

    @property
    def name(self) -> str:
        return self.fn.__name__


def declares(*codes: str) -> Callable[[Callable[[C], Iterator[Issue]]], Spec[C]]:
    """Decorator: the check emits these codes."""

    def wrap(fn: Callable[[C], Iterator[Issue]]) -> Spec[C]:
        return Spec(fn, frozenset(codes))

    return wrap


Rule = Callable[[Context], Iterator[Issue]]
RuleSpec = Spec[Context]


def rule(*codes: str) -> Callable[[Rule], RuleSpec]:
    """A per-workbook rule emitting these codes."""
    return declares(*codes)
