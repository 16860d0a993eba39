"""Findings: codes, severities, locations, Russian messages and the report."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .messages import catalogue, render
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
    code: str
    severity: Severity
    title: str


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

#: Every code of SPEC §6 (and the few this project added), never renumbered.
CODES: dict[str, CodeInfo] = {
    c.code: c
    for c in (
        CodeInfo("SUB01", E, "файл не является книгой этой кампании"),
        CodeInfo("SUB02", W, "устаревшая версия шаблона"),
        CodeInfo("SUB03", E, "муниципалитет не определён"),
        CodeInfo("SUB04", W, "муниципалитет определён по-разному"),
        CodeInfo("SUB05", I, "повторно получен тот же файл"),
        CodeInfo("SUB06", I, "новая версия заменила прежнюю"),
        CodeInfo("SUB07", W, "получено после срока"),
        CodeInfo("SUB08", E, "файл защищён паролем"),
        CodeInfo("SUB09", E, "файл повреждён или не читается"),
        CodeInfo("SUB10", I, "файл в формате .xls или .ods"),
        CodeInfo("SUB11", W, "файл содержит макросы"),
        CodeInfo("SUB12", W, "лист или столбцы найдены не на своём месте"),
        CodeInfo("SUB13", E, "нет листа или столбца шаблона"),
        CodeInfo("SUB14", W, "книга под чужим расширением"),
        CodeInfo("TL01", E, "не заполнено поле титульного листа"),
        CodeInfo("PS01", E, "не заполнен паспорт дорожной карты"),
        CodeInfo("VAL01", E, "значение не распознано"),
        CodeInfo("RM01", E, "у ОО нет дорожной карты"),
        CodeInfo("RM02", E, "нет мероприятий направления"),
        CodeInfo("RM03", E, "нет мероприятия для целевой группы"),
        CodeInfo("RM04", W, "мероприятие не из регионального каталога"),
        CodeInfo("RM05", E, "не все срезы мониторинга"),
        CodeInfo("RM06", E, "период ДК вне одного учебного года"),
        CodeInfo("RM07", W, "срок мероприятия вне периода ДК"),
        CodeInfo("RM08", E, "ответственный не указан"),
        CodeInfo("RM09", E, "не указан статус выполнения"),
        CodeInfo("RM10", E, "«Выполнено» без подтверждения"),
        CodeInfo("RM11", E, "ОО нет в реестре"),
        CodeInfo("RM12", W, "мероприятие не согласовано"),
        CodeInfo("RM13", W, "превышен лимит участников мероприятия"),
        CodeInfo("RM14", W, "повторяющееся мероприятие"),
        CodeInfo("RM15", E, "не заполнено поле мероприятия"),
        CodeInfo("MN01", E, "нет значения показателя МОУО"),
        CodeInfo("MN02", E, "«Да» без ссылки"),
        CodeInfo("MN03", W, "значение в периоде, когда показатель не собирается"),
        CodeInfo("MN04", E, "нет значения показателя ОО"),
        CodeInfo("MN05", E, "недопустимое значение показателя"),
        CodeInfo("MN06", W, "резкое изменение показателя"),
        CodeInfo("MN07", W, "значения совпадают с прошлым периодом"),
        CodeInfo("TR01", E, "не заполнено поле педагога"),
        CodeInfo("TR02", E, "не отмечена ни одна компетенция"),
        CodeInfo("TR03", E, "процент вне 0–100"),
        CodeInfo("TR04", E, "нет повторной диагностики"),
        CodeInfo("TR05", E, "удостоверение без оснований"),
        CodeInfo("TR06", E, "рекомендация без оснований"),
        CodeInfo("TR07", E, "неправдоподобный возраст или стаж"),
        CodeInfo("TR08", E, "ошибка в сроках или объёме курсов"),
        CodeInfo("TR09", E, "диплом выдан после начала курсов"),
        CodeInfo("TR10", W, "педагог повторяется в программе"),
        CodeInfo("GP01", E, "муниципалитет не представил отчёт"),
        CodeInfo("GP02", I, "итог по муниципалитету"),
    )
}
#: Codes meaning the file could not be read at all (CLI exit code 2).
UNREADABLE = frozenset({"SUB01", "SUB08", "SUB09"})
#: Error codes the workbook's own «Контроль» cannot count, and why: everything else
#: the check calls an error, Контроль counts under Excel's and LibreOffice's rules
#: (tests/test_excel_rules.py).
#: A key is a code or «code.variant». Until each has its formula twin (issue «one
#: declaration per concept»), the check alone reports them.
BEYOND_CONTROL: dict[str, str] = {
    "SUB01": "файл не по шаблону кампании: «Контроля» в нём нет",
    "SUB03": "муниципалитет сверяется с реестром кампании и адресом отправителя — "
    "этого в книге нет",
    "SUB08": "файл защищён паролем: книгу, а с ней и «Контроль», не открыть",
    "SUB09": "файл повреждён или не является книгой: «Контроля» в нём нет",
    "SUB13": "удалён лист или столбец шаблона: формулы «Контроля» ссылаются на него и ломаются",
    "VAL01.deadline": "срок бывает датой, месяцем или кварталом («II квартал 2026»): "
    "формулами его не отличить от другого текста, срок разбирает проверка",
    "RM05.order": "сроки срезов бывают месяцами и кварталами («II квартал 2026»): "
    "их порядок формулами не сравнить, его сверяет проверка",
    "RM06": "период ДК сверяется с учебным годом отчётного периода кампании; "
    "в «Контроле» пока нет этой сверки",
    "TR02": "сверка полей строки педагога между собой; в «Контроле» её пока нет",
    "TR04": "сверка полей строки педагога между собой; в «Контроле» её пока нет",
    "TR05": "сверка полей строки педагога между собой; в «Контроле» её пока нет",
    "TR06": "сверка полей строки педагога между собой; в «Контроле» её пока нет",
    "TR07": "границы правдоподобия возраста и стажа — настройка кампании; "
    "в «Контроле» этой сверки пока нет",
    "TR08": "сроки и объём курсов сверяются между собой и с порогами кампании; "
    "в «Контроле» этой сверки пока нет",
    "TR09": "дата диплома сверяется с началом курсов; в «Контроле» этой сверки пока нет",
}


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
#: The columns a municipality reads (the «Замечания» sheet of feedback copies and of the
#: «Проверить» button).
MUNICIPAL_COLUMNS = ("code", "severity", "sheet", "cell", "school", "message")
#: The regional workbook's «Пробелы».
REGIONAL_COLUMNS = ("municipality", *(c for c in COLUMNS if c != "municipality"))


def titles(columns: Iterable[str]) -> list[str]:
    """Russian titles of findings' columns."""
    return [COLUMN_TITLES[c] for c in columns]


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


def template_keys() -> list[str]:
    """Every finding template of the catalogue (keys starting with a code)."""
    return [k for k in catalogue() if k.split(".")[0] in CODES]


def display_path(path: Path | str) -> str:
    return readable(Path(path).name)
