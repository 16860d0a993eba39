"""Rows of the campaign workbook's results sheets (assessments, rules over results)."""

from __future__ import annotations

from typing import Any

from ..campaign.models import Campaign
from ..campaign.results import RULE_DESCRIPTIONS, RULE_NAMES
from ..forms import campaign_book as CB


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def results_rows(c: Campaign, sheet: CB.CampaignSheet) -> list[list[Any]]:
    """«Оценочные процедуры» or «Правила результатов» of ``c``."""
    if sheet is CB.ASSESSMENTS:
        return [
            [
                a.code,
                a.name,
                "; ".join(a.subjects),
                ", ".join(str(g) for g in a.grades),
                a.mean_kind,
                _number(a.scale_min),
                _number(a.scale_max),
                a.min_threshold,
                a.high_threshold,
                _number(a.weight),
                _number(a.student_sd),
            ]
            for a in c.results.assessments
        ]
    rows: list[list[Any]] = []
    for key, value in c.results.rules.model_dump().items():
        if isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(value, bool):
            value = "да" if value else "нет"
        elif isinstance(value, float):
            value = _number(value)
        rows.append([RULE_NAMES[key], RULE_DESCRIPTIONS[key], value, key])
    return rows
