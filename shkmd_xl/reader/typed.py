"""Typing of cell values per field kind; what cannot be understood becomes a finding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..campaign.models import DIRECTIONS, TARGET_GROUPS, Campaign
from ..cells import cell_ref as xl_rowcol_to_cell
from ..forms import sheets as F
from ..forms.model import Field, SheetForm
from ..forms.results import results_lists
from ..issues import Issue, Location
from .values import (
    BadValue,
    clean_text,
    parse_count,
    parse_date,
    parse_deadline,
    parse_number,
    parse_percent,
    parse_yes_no,
)

_MISSING = object()
TEXT_KINDS = frozenset({"text", "fio", "phone", "email", "link", "code", "school"})
_STAGES = {"i": "I", "ii": "II", "iii": "III", "1": "I", "2": "II", "3": "III"}
_DIRECTION = re.compile(
    rf"^\s*(?:направление\s*)?([1-{DIRECTIONS}])(?:\s*[.)\-–—:]|\s|$)", re.IGNORECASE
)


def _row_of(cell: str) -> int | None:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else None


class Parser:
    """Parses values of one file, appending findings to ``issues``."""

    def __init__(self, campaign: Campaign, issues: list[Issue], file: str):
        self.campaign = campaign
        self.issues = issues
        self.file = file
        self.lists: dict[str, Sequence[str]] = {  # the fixed lists (no registry needed)
            "target_groups": TARGET_GROUPS,
            "cuts": F.MONITORING_CUTS,
            "statuses": F.STATUSES,
            "education": F.EDUCATION,
            "attestation": F.ATTESTATION_FORMS,
            **results_lists(campaign),
        }
        self._memo: dict[tuple[Any, ...], Any] = {}
        self.periods = {clean_text(p.name).casefold(): p.code for p in campaign.periods}
        self.periods.update({p.code: p.code for p in campaign.periods})

    def _bad(
        self,
        code: str,
        fld: Field,
        value: Any,
        sheet: str,
        cell: str,
        expected: str,
        indicator: str,
    ) -> None:
        params: dict[str, Any] = {"field": fld.label, "expected": expected}
        if code == "MN05":
            params = {"code": indicator, "expected": expected}
        self.issues.append(
            Issue(
                code,
                Location(file=self.file, sheet=sheet, cell=cell, row=_row_of(cell)),
                value=clean_text(value),
                params=params,
                # a deadline is a date, a month or a quarter: «Контроль» cannot tell them
                # from other text (issues.BEYOND_CONTROL)
                variant="deadline" if code == "VAL01" and fld.kind == "deadline" else "",
            )
        )

    def fraction_columns(
        self, form: SheetForm, rows: list[list[Any]], cols: dict[str, int]
    ) -> set[str]:
        """Percent columns typed as fractions (0.95 in a percent-formatted cell)."""
        out = set()
        for fld in form.fields:
            if fld.kind != "percent" or fld.key not in cols:
                continue
            c = cols[fld.key]
            numbers = [
                row[c]
                for row in rows
                if c < len(row) and isinstance(row[c], float) and not isinstance(row[c], bool)
            ]
            if numbers and all(0 <= v <= 1 for v in numbers) and any(0 < v < 1 for v in numbers):
                out.add(fld.key)
        return out

    def parse(
        self,
        form: SheetForm,
        fld: Field,
        value: Any,
        sheet: str,
        cell: str | tuple[int, int],
        fraction: bool = False,
        indicator: str = "",
        text: str | None = None,
    ) -> Any:
        """Typed value, or None when blank or not understood (then a finding is added).

        ``indicator`` names the indicator of a МОУО row (for MN05 messages);
        ``text`` is the value's cleaned text when the caller already has it.
        """
        if text is None:
            text = clean_text(value)
        if not text:
            return None
        if fld.kind in TEXT_KINDS:
            return text
        try:
            if value.__class__ is str:  # typed text repeats a lot: parse each once
                memo_key = (fld.kind, fld.choices, text, fraction)
                found = self._memo.get(memo_key, _MISSING)
                if found is _MISSING:
                    try:
                        found = self._typed(fld, value, fraction)
                    except BadValue as exc:
                        found = exc
                    self._memo[memo_key] = found
                if isinstance(found, BadValue):
                    raise found
                return found
            return self._typed(fld, value, fraction)
        except BadValue as exc:
            code = "VAL01"
            if form.key == F.SCHOOL_MON_KEY:
                code, indicator = "MN05", fld.key
            elif form.key == F.MOUO_KEY and fld.kind == "yesno":
                code = "MN05"
            elif form is F.TRAINING and fld.kind == "percent":
                code = "TR03"
            address = cell if isinstance(cell, str) else xl_rowcol_to_cell(*cell)
            self._bad(code, fld, value, sheet, address, exc.expected, indicator)
            return None

    def _typed(self, fld: Field, value: Any, fraction: bool) -> Any:
        kind = fld.kind
        if kind == "date":
            return parse_date(value)
        if kind == "deadline":
            return parse_deadline(value)
        if kind == "yesno":
            return parse_yes_no(value)
        if kind == "percent":
            number = parse_percent(value, percent_format=fraction)
            if not 0 <= number <= 100:
                raise BadValue("процент — число от 0 до 100")
            return number
        if kind == "count":
            try:
                number = parse_count(value)
            except BadValue:
                raise BadValue("целое неотрицательное число") from None
            if number < 0:
                raise BadValue("целое неотрицательное число")
            return number
        if kind == "number":
            number = parse_number(value)
            if number < 0:
                raise BadValue("неотрицательное число")
            return number
        if kind == "direction":
            m = _DIRECTION.match(clean_text(value))
            if not m:
                raise BadValue(f"номер направления 1–{DIRECTIONS} из списка")
            return int(m.group(1))
        if kind == "stage":
            stage = _STAGES.get(clean_text(value).casefold())
            if stage is None:
                raise BadValue("этап I, II или III")
            return stage
        if kind == "choice" and fld.choices in self.lists:
            return self._choice(value, self.lists[fld.choices])
        if kind == "choice" and fld.choices == "periods":
            code = self.periods.get(clean_text(value).casefold())
            if code is None:
                raise BadValue(
                    "период из списка: " + ", ".join(p.name for p in self.campaign.periods)
                )
            return code
        return clean_text(value)

    @staticmethod
    def _choice(value: Any, allowed: Sequence[str]) -> str:
        text = clean_text(value).casefold().replace("ё", "е")
        for item in allowed:
            if item.casefold().replace("ё", "е") == text:
                return item
        for item in allowed:  # «Руководители» for «Руководители и заместители …»
            if text and item.casefold().replace("ё", "е").startswith(text):
                return item
        raise BadValue("значение из списка: " + "; ".join(allowed))
