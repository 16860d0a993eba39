"""Cleaning of cell values at the boundary (SPEC §3.1 "messy values").

Every parser returns a value or raises :class:`BadValue`; the caller turns that
into a finding at the cell. Nothing here touches files.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..ru import span

EXCEL_EPOCH = dt.date(1899, 12, 30)
MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_INVISIBLE = str.maketrans({"\u200b": " ", "\ufeff": " ", "\u2060": " "})
YES = {"да", "д", "yes", "y", "true", "истина", "1", "+"}
NO = {"нет", "н", "no", "n", "false", "ложь", "0", "-"}
#: A date typed as text, once «г.» is gone: Д.М.ГГГГ
_DATE_TEXT = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", re.ASCII)
#: A number typed as text, once spaces are gone and «,» is «.»: digits with at most one
#: point, no sign (what the template's formulas admit: template.cell_values)
_NUMBER_TEXT = re.compile(r"\d+\.?\d*|\.\d+", re.ASCII)


class BadValue(ValueError):
    """A value that cannot be understood; ``expected`` is the Russian hint."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


def clean_text(value: Any) -> str:
    """Text with non-breaking and repeated spaces collapsed; numbers without «.0»."""
    if value.__class__ is str:  # the common case first
        if not value:
            return ""
        if "\u200b" in value or "\ufeff" in value or "\u2060" in value:
            value = value.translate(_INVISIBLE)
        return " ".join(value.split())  # str.split() knows NBSP and the other spaces
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Да" if value else "Нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y" if value.time() == dt.time() else "%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def deadline_shown(value: Any) -> Any:
    """A deadline stored as (first day, last day), as people read it: one date, or the
    month, quarter or «dd.mm.yyyy–dd.mm.yyyy» (ru.span)."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0] if value[0] == value[1] else span(value[0], value[1])
    return value


def is_blank(value: Any) -> bool:
    return clean_text(value) == ""


def parse_date(value: Any) -> dt.date:
    """Excel dates and serials, and dates typed as text «Д.М.ГГГГ» («15.04.2026»,
    «1/9/2026», «1-9-2026 г.»): what the template's colours and Контроль accept too
    (template.cell_values.refused_date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadValue("дата в формате ДД.ММ.ГГГГ")
    text = " ".join(clean_text(value).replace("г.", "").replace("г", "").split())
    m = _DATE_TEXT.fullmatch(text)
    if not m:
        raise BadValue("дата в формате ДД.ММ.ГГГГ")
    return _existing(*(int(g) for g in reversed(m.groups())))


def _existing(y: int, mo: int, d: int) -> dt.date:
    try:
        if y < 1900:  # as in Excel, whose DATE() takes a year before 1900 for 19xx
            raise ValueError
        return dt.date(y, mo, d)
    except ValueError:
        raise BadValue("существующая дата в формате ДД.ММ.ГГГГ") from None


def _deadline_day(text: str) -> dt.date | None:
    """A deadline's day in the forms a date cell does not take: «15.04.26», «2026-04-15»."""
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2})", text, re.ASCII)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return _existing(2000 + y, mo, d)
    m = re.fullmatch(r"(\d{4})[./-](\d{1,2})[./-](\d{1,2})", text, re.ASCII)
    if m:
        return _existing(*(int(g) for g in m.groups()))
    return None


def month_of(word: str) -> int | None:
    w = word.lower()
    for stem, n in MONTHS.items():
        if w.startswith(stem) and (stem != "ма" or w in ("май", "мая", "маю")):
            return n
    return None


def parse_deadline(value: Any) -> tuple[dt.date, dt.date]:
    """A deadline as the (first, last) day it may mean: date, month or quarter."""
    try:
        d = parse_date(value)
        return d, d
    except BadValue:
        pass
    text = clean_text(value).lower().replace("года", "").replace("г.", "").strip()
    day = _deadline_day(text)
    if day is not None:
        return day, day
    m = re.fullmatch(r"([ivx1-4]+)\s*(?:-?й)?\s*(?:квартал|кв\.?)\s*(\d{4})", text)
    if m and m.group(1) in ROMAN:
        q, y = ROMAN[m.group(1)], int(m.group(2))
        first = dt.date(y, 3 * q - 2, 1)
        return first, _month_end(y, 3 * q)
    m = re.fullmatch(r"([а-яё]+)\s*(\d{4})", text)
    if m and (mo := month_of(m.group(1))):
        y = int(m.group(2))
        return dt.date(y, mo, 1), _month_end(y, mo)
    m = re.fullmatch(r"(\d{1,2})[./](\d{4})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        y, mo = int(m.group(2)), int(m.group(1))
        return dt.date(y, mo, 1), _month_end(y, mo)
    raise BadValue("дата (15.04.2026), месяц (апрель 2026) или квартал (II квартал 2026)")


def _month_end(y: int, mo: int) -> dt.date:
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_number(value: Any) -> float:
    """A number, also typed as text with a comma or spaces («1 234,5»)."""
    if isinstance(value, bool):
        raise BadValue("число")
    if isinstance(value, int | float):
        return float(value)
    text = clean_text(value).replace(" ", "").replace(",", ".")
    if not _NUMBER_TEXT.fullmatch(text):
        raise BadValue("число")
    try:
        return float(text)
    except ValueError:
        raise BadValue("число") from None


def parse_percent(value: Any, percent_format: bool = False) -> float:
    """95, «95%», «95,5», or 0.95 in a percent-formatted cell -> 95.0."""
    if isinstance(value, str) and clean_text(value).endswith("%"):
        return parse_number(clean_text(value)[:-1])
    try:
        number = parse_number(value)
    except BadValue:
        raise BadValue("процент — число от 0 до 100") from None
    return number * 100 if percent_format else number


def parse_count(value: Any) -> int:
    number = parse_number(value)
    if not number.is_integer():
        raise BadValue("целое неотрицательное число")
    return int(number)


def parse_yes_no(value: Any) -> bool:
    text = clean_text(value).lower().rstrip(".")
    if text in YES:
        return True
    if text in NO:
        return False
    raise BadValue("«Да» или «Нет»")
