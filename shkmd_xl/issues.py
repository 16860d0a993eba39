"""Findings: codes, severities, locations, Russian messages and the report."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .messages import data, render
from .names import readable


class Severity(enum.IntEnum):
    """How bad a finding is; the value orders them (errors first)."""

    ERROR = 0
    WARNING = 1
    INFO = 2

    @property
    def ru(self) -> str:
        return ("ошибка", "предупреждение", "сведения")[self.value]


@dataclass(frozen=True)
class CodeInfo:
    """A finding code as the catalogue declares it (``messages/ru.json``, «findings»)."""

    code: str
    severity: Severity
    title: str
    #: why the workbook's own «Контроль» cannot count this error (None: it counts it)
    beyond_control: str | None = None


def _codes() -> dict[str, CodeInfo]:
    return {
        code: CodeInfo(
            code, Severity[entry["severity"].upper()], entry["title"], entry.get("beyond_control")
        )
        for code, entry in data()["findings"].items()
    }


def _beyond() -> dict[str, str]:
    out = {}
    for code, entry in data()["findings"].items():
        if "beyond_control" in entry:
            out[code] = entry["beyond_control"]
        for name, variant in entry.get("variants", {}).items():
            if "beyond_control" in variant:
                out[f"{code}.{name}"] = variant["beyond_control"]
    return out


#: Every code of SPEC §6 (and the few this project added), never renumbered — read from
#: the one catalogue, ``messages/ru.json`` («findings»).
CODES: dict[str, CodeInfo] = _codes()
#: Codes meaning the file could not be read at all (CLI exit code 2).
UNREADABLE = frozenset({"SUB01", "SUB08", "SUB09"})
#: Errors the workbook's own «Контроль» cannot count, and why (the catalogue's
#: ``beyond_control``); a key is a code or «code.variant». Everything else the check
#: calls an error, Контроль counts under Excel's and LibreOffice's rules
#: (tests/test_excel_rules.py; tests/test_catalogue.py fails for a code with neither).
BEYOND_CONTROL: dict[str, str] = _beyond()


def beyond_control(issue: Issue) -> bool:
    """True when «Контроль» does not count this error (BEYOND_CONTROL says why)."""
    return issue.code in BEYOND_CONTROL or f"{issue.code}.{issue.variant}" in BEYOND_CONTROL


@dataclass(frozen=True)
class Location:
    """Where a finding is: file, sheet, A1 cell, row, municipality, school."""

    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    municipality: str = ""
    school: str = ""

    def __post_init__(self) -> None:
        # a name the OS gave as undecodable bytes: shown decoded, storable, valid JSON
        object.__setattr__(self, "file", readable(self.file))

    def describe(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"лист «{self.sheet}»")
        if self.cell:
            parts.append(f"ячейка {self.cell}")
        elif self.row:
            parts.append(f"строка {self.row}")
        if self.school and (not self.cell or self.sheet == ""):
            parts.append(f"ОО «{self.school}»")
        return ", ".join(parts)


@dataclass(frozen=True)
class Issue:
    """One finding. ``variant`` picks a message template ``CODE.variant``."""

    code: str
    location: Location = field(default_factory=Location)
    value: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    variant: str = ""
    severity_override: Severity | None = None

    @property
    def severity(self) -> Severity:
        if self.severity_override is not None:
            return self.severity_override
        return CODES[self.code].severity

    @property
    def template_key(self) -> str:
        return f"{self.code}.{self.variant}" if self.variant else self.code

    @property
    def message(self) -> str:
        body = render(self.template_key, value=_shown(self.value), **self.params)
        where = self.location.describe()
        if not where:
            return body[:1].upper() + body[1:]
        return f"{where[:1].upper()}{where[1:]}: {body}"

    def with_location(self, **changes: Any) -> Issue:
        loc = Location(**{**self.location.__dict__, **changes})
        return Issue(self.code, loc, self.value, self.params, self.variant, self.severity_override)

    def as_dict(self) -> dict[str, Any]:
        """Fixed keys of the JSON and table views."""
        return {
            "code": self.code,
            "severity": self.severity.ru,
            "file": self.location.file,
            "sheet": self.location.sheet,
            "cell": self.location.cell,
            "row": self.location.row,
            "municipality": self.location.municipality,
            "school": self.location.school,
            "value": _jsonable(self.value),
            "message": self.message,
        }


COLUMNS = (
    "code",
    "severity",
    "file",
    "sheet",
    "cell",
    "row",
    "municipality",
    "school",
    "value",
    "message",
)


#: Russian titles of the findings' columns in every table that lists them.
COLUMN_TITLES: dict[str, str] = {
    "code": "Код",
    "severity": "Важность",
    "file": "Файл",
    "sheet": "Лист",
    "cell": "Ячейка",
    "row": "Строка",
    "municipality": "Муниципальное образование",
    "school": "ОО",
    "value": "Значение",
    "message": "Замечание",
}
#: Their widths (characters) in every table that lists them.
COLUMN_WIDTHS: dict[str, float] = {
    "code": 8,
    "severity": 15,
    "file": 28,
    "sheet": 22,
    "cell": 9,
    "row": 8,
    "municipality": 34,
    "school": 24,
    "value": 20,
    "message": 90,
}
#: The columns a municipality reads (the «Замечания» sheet of feedback copies and of the
#: «Проверить» button).
MUNICIPAL_COLUMNS = ("code", "severity", "sheet", "cell", "school", "message")
#: The regional workbook's «Пробелы».
REGIONAL_COLUMNS = ("municipality", *(c for c in COLUMNS if c != "municipality"))


def titles(columns: Iterable[str]) -> list[str]:
    """Russian titles of findings' columns."""
    return [COLUMN_TITLES[c] for c in columns]


def widths(columns: Iterable[str]) -> list[float]:
    """Widths of findings' columns."""
    return [COLUMN_WIDTHS[c] for c in columns]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    from .messages import _shown as shown

    text = str(shown(value))
    return text if len(text) <= 80 else text[:77] + "…"


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@dataclass
class Findings:
    """The findings of one or more files."""

    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    municipality: str = ""
    period: str = ""

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def valid(self) -> bool:
        """No errors (warnings and information allowed)."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def unreadable(self) -> bool:
        return any(i.code in UNREADABLE for i in self.issues)

    @property
    def stats(self) -> dict[str, int]:
        counts = Counter(i.severity.ru for i in self.issues)
        return {s.ru: counts.get(s.ru, 0) for s in Severity}

    @property
    def by_code(self) -> Counter[str]:
        return Counter(i.code for i in self.issues)

    def flatten(self, keys: Iterable[str] = ("code", "cell")) -> list[list[Any]]:
        """Rows of the given keys, e.g. ``[["RM02", ""], ["MN05", "C4"]]`` (for tests)."""
        keys = list(keys)
        return [[i.as_dict()[k] for k in keys] for i in self.sorted()]

    def sorted(self) -> list[Issue]:
        return sorted(
            self.issues,
            key=lambda i: (
                i.location.file,
                i.location.sheet,
                i.location.row or 0,
                i.location.cell,
                i.code,
            ),
        )

    def table(self) -> list[dict[str, Any]]:
        return [i.as_dict() for i in self.sorted()]


def display_path(path: Path | str) -> str:
    return readable(Path(path).name)
