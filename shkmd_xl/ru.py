"""Russian wording shared by every output: plurals, dates, numbers."""

from __future__ import annotations

import datetime as dt


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun after ``n``: 1 замечание, 2 замечания, 5 замечаний, 21 замечание."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """``n`` with its noun: «1 замечание», «3 ошибки», «11 файлов»."""
    return f"{number(n)} {plural(n, one, few, many)}"


def number(value: float | int, digits: int = 1) -> str:
    """A number as Russian text: decimal comma, a space between thousands."""
    if isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",")


def date(value: dt.date | dt.datetime | str) -> str:
    """dd.mm.yyyy (and hh:mm for a moment); ISO text is parsed first."""
    if isinstance(value, str):
        try:
            return date(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if value.hour or value.minute:
            return f"{value:%d.%m.%Y %H:%M}"
        return f"{value:%d.%m.%Y}"
    return f"{value:%d.%m.%Y}"


#: Months in the genitive, for «22 июня 2026 г.»; lower case mid-sentence.
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


def span(first: dt.date | str, last: dt.date | str) -> str:
    """A deadline given as a period, as people write it: «октябрь 2026», «II квартал
    2026», else «01.10.2026–15.10.2026» (never ISO dates)."""
    import calendar

    a = first if isinstance(first, dt.date) else dt.date.fromisoformat(str(first)[:10])
    b = last if isinstance(last, dt.date) else dt.date.fromisoformat(str(last)[:10])
    if a == b:
        return date(a)
    month_end = calendar.monthrange(b.year, b.month)[1]
    if a.day == 1 and b.day == month_end and a.year == b.year:
        if a.month == b.month:
            return f"{MONTHS[a.month - 1]} {a.year}"
        if a.month % 3 == 1 and b.month == a.month + 2:
            return f"{('I', 'II', 'III', 'IV')[a.month // 3]} квартал {a.year}"
    return f"{date(a)}–{date(b)}"


def mid_sentence(name: str) -> str:
    """A period name inside a sentence: «Июнь 2026» → «июнь 2026» (months are lower case)."""
    first = name.split(" ", 1)[0]
    if first.lower() in MONTHS:
        return name[:1].lower() + name[1:]
    return name
