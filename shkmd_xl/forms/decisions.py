"""The «Решения» sheet of the regional workbook: one layout for the writer (regional/)
and the reader (reader/decisions.py). The analyst types into the input columns; collect
reads them back and records the decisions."""

from __future__ import annotations

import re

from ..statuses import DECISIONS

SHEET = "Решения"

#: (key, header, width) in column order; ``INPUTS`` are typed by the analyst.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("code", "Код", 8),
    ("municipality", "Муниципальное образование", 34),
    ("status", "Статус", 20),
    ("file", "Файл", 40),
    ("received", "Получен", 16),
    ("decision", "Решение региона", 22),
    ("by", "Кто и когда", 24),
    ("reason", "Причина", 30),
    ("deadline", "Срок доработки", 12),
    ("waived", "Снятые замечания", 22),
    ("new", "Новое решение", 22),
    ("new_reason", "Причина нового решения", 30),
    ("new_deadline", "Новый срок доработки", 14),
    ("new_waived", "Снять замечания (коды)", 26),
    ("problem", "Не записано: почему", 50),
    ("hash", "Контрольная сумма файла", 36),
)
KEYS = tuple(c[0] for c in COLUMNS)
#: The first column of each printed page width after the first: the current decision,
#: its author and reason, the analyst's new decision, what was not recorded.
PAGE_BREAKS = ("by", "new", "problem")
INPUTS = ("new", "new_reason", "new_deadline", "new_waived")
#: Below the table: this label in column A, the period's code in column B (collect reads
#: back only a sheet of the period it collects).
PERIOD_LABEL = "Период"
#: The dropdown of «Новое решение».
WORDS = tuple(d.ru for d in DECISIONS)


def column(key: str) -> int:
    """0-based column of a field."""
    return KEYS.index(key)


def letter(key: str) -> str:
    """Excel's column letter of a field (A…Z)."""
    return chr(ord("A") + column(key))


def split_waivers(text: str) -> list[str]:
    """Waivers typed in one cell or option: separated by commas, semicolons or line
    breaks («RM02@Дорожные карты!B5, SUB07»)."""
    return [p.strip() for p in re.split(r"[,;\n]+", text) if p.strip()]
