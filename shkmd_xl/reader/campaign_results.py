"""The campaign workbook's results sheets -> :class:`ResultsSettings` (absent: defaults)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..campaign.results import RULE_NAMES, Assessment, ResultsRules, ResultsSettings
from ..forms import campaign_book as CB
from ..messages import render
from .values import clean_text

Rows = Callable[[CB.CampaignSheet, list[str]], list[tuple[int, dict[str, Any]]]]
Model = Callable[..., Any]


def _grades(text: str) -> list[Any]:
    out: list[Any] = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        try:
            out.append(int(float(part)))
        except ValueError:
            out.append(part)  # pydantic names the column
    return out


def _number(v: Any) -> Any:
    text = clean_text(v)
    if text == "":
        return None
    return text.replace(",", ".") if isinstance(v, str) else v


def read_results(
    names: list[str], rows: Rows, model: Model, problems: list[str]
) -> ResultsSettings:
    """The results settings of a campaign workbook with sheets ``names``; a workbook made
    before these sheets existed gets the defaults."""
    settings = ResultsSettings()
    if CB.ASSESSMENTS.name in names:
        found = []
        for n, r in rows(CB.ASSESSMENTS, problems):
            data = {
                "code": clean_text(r.get("code")),
                "name": clean_text(r.get("name")),
                "subjects": [
                    s.strip() for s in clean_text(r.get("subjects")).split(";") if s.strip()
                ],
                "grades": _grades(clean_text(r.get("grades"))),
                "mean_kind": clean_text(r.get("mean_kind")) or "средний балл",
                "min_threshold": clean_text(r.get("min_threshold")),
                "high_threshold": clean_text(r.get("high_threshold")),
            }
            for key in ("scale_min", "scale_max", "weight", "student_sd"):
                value = _number(r.get(key))
                if value is not None:
                    data[key] = value
            a = model(Assessment, data, CB.ASSESSMENTS, n, problems)
            if a is not None:
                found.append(a)
        codes = [a.code for a in found]
        for code in {c for c in codes if codes.count(c) > 1}:
            problems.append(
                render(
                    "campaign.duplicate_code",
                    sheet=CB.ASSESSMENTS.name,
                    row="—",
                    code=code,
                    first_row="—",
                )
            )
        for a in found:
            if a.scale_max <= a.scale_min:
                problems.append(
                    render(
                        "campaign.bad_value",
                        sheet=CB.ASSESSMENTS.name,
                        row="—",
                        column="Шкала: до",
                        problem=f"у «{a.code}» верх шкалы не больше низа",
                    )
                )
        if found:
            settings = settings.model_copy(update={"assessments": found})
    if CB.RESULTS_RULES.name in names:
        by_name = {name: key for key, name in RULE_NAMES.items()}
        values: dict[str, Any] = {}
        for _, r in rows(CB.RESULTS_RULES, problems):
            key = clean_text(r.get("key")) or by_name.get(clean_text(r.get("name")), "")
            value = r.get("value")
            if key == "months":
                values[key] = [m.strip() for m in clean_text(value).split(",") if m.strip()]
            elif key in (
                "effective_source",
                "positive_source",
                "national_means",
                "graduate_assessments",
                "effective_survey",
            ) or key.startswith("import_"):
                values[key] = clean_text(value)
            elif key:
                number = _number(value)
                if number is not None:
                    values[key] = number
        rules = model(ResultsRules, values, CB.RESULTS_RULES, 0, problems)
        if rules is not None:
            settings = settings.model_copy(update={"rules": rules})
    return settings
