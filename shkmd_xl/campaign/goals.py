"""The region's project targets («Цели проекта») and recommendations («Рекомендации")
as campaign data: what is measured, the comparison and value, when it is judged and the
document it comes from. A region changes a target or a recommendation in its campaign
workbook, not in code.

The computations themselves (how a measure is counted from the reports) are the
figures' (``figures.targets``); a goal names one of ``MEASURES``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: Measures the figures compute -> (label shown in the campaign workbook, unit).
#: «%» measures are shares; «чел.»/«ОО» measures are counts.
MEASURES: dict[str, tuple[str, str]] = {
    "coverage": ("Доля ОО с дорожной картой по всем направлениям", "%"),
    "implemented": ("Доля ОО с реализованной дорожной картой", "%"),
    "effective": ("Доля ОО в эффективном режиме работы", "%"),
    "positive": ("Доля ОО с положительной динамикой", "%"),
    "graduates": ("Доля ОО, где все выпускники преодолели минимальный порог", "%"),
    "expertise": ("Доля строк дорожных карт, прошедших экспертизу документов", "%"),
    "conforming": ("Доля документов, признанных соответствующими (из прошедших экспертизу)", "%"),
    "camps": ("Доля обучающихся в профильных сменах", "%"),
    "support": ("Доля ОО с психолого-педагогическим сопровождением", "%"),
    "scale_schools": ("Число ОО в проекте (реестр)", ""),
    "scale_coordinators": ("Число муниципальных координаторов", ""),
    "scale_mentors": ("Число школ-наставников", ""),
    "scale_curators": ("Число кураторов ОО", ""),
}
MEASURE_BY_LABEL = {label: key for key, (label, _) in MEASURES.items()}

Comparison = Literal["не менее", "не более", "равно", "от … до"]
When = Literal["в каждом периоде", "в последний месяц мониторинга учебного года"]
AT_LEAST: Comparison = "не менее"
AT_MOST: Comparison = "не более"
EQUAL: Comparison = "равно"
BETWEEN: Comparison = "от … до"
COMPARISONS: tuple[str, ...] = (AT_LEAST, AT_MOST, EQUAL, BETWEEN)
EVERY_PERIOD: When = "в каждом периоде"
YEAR_END: When = "в последний месяц мониторинга учебного года"
WHEN: tuple[str, ...] = (EVERY_PERIOD, YEAR_END)
#: The source of a target or a recommendation no project document gives.
REGION_RULE = "правило региона: в документах проекта не задано"
#: A target whose value the region has not set yet.
NOT_SET = "не задано регионом"

_NUMBER = r"\d+(?:[.,]\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*[-–—]\s*({_NUMBER})\s*$")


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _shown(value: float) -> str:
    return f"{value:g}".replace(".", ",")


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Goal(_Data):
    """One target of the project: a measure compared with the region's value."""

    key: str = Field(min_length=1)
    wording: str = Field(min_length=1)
    measure: str = Field(min_length=1)
    comparison: Comparison = AT_LEAST
    #: «75», «62,5», «44–60» (for «от … до»); empty: not set by the region yet
    value: str = ""
    judged: When = EVERY_PERIOD
    #: the document the target comes from; empty: the region's own rule
    source: str = ""

    @field_validator("measure", mode="before")
    @classmethod
    def _measure(cls, value: Any) -> Any:
        text = str(value or "").strip()
        text = MEASURE_BY_LABEL.get(text, text)
        if text and text not in MEASURES:
            allowed = "; ".join(label for label, _ in MEASURES.values())
            raise ValueError(f"показатель «{text}» не вычисляется программой; допустимо: {allowed}")
        return text

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _shown(float(value))
        text = str(value).strip()
        if text and not (re.fullmatch(_NUMBER, text) or _RANGE.match(text)):
            raise ValueError(f"«{text}» — не число и не диапазон вида «44–60»")
        return text

    @property
    def unit(self) -> str:
        return MEASURES[self.measure][1]

    @property
    def is_set(self) -> bool:
        return bool(self.value)

    def bounds(self) -> tuple[float, float] | None:
        """(low, high) the actual figure must lie in; None when the value is not set."""
        if not self.value:
            return None
        both = _RANGE.match(self.value)
        low, high = (_num(both[1]), _num(both[2])) if both else (_num(self.value),) * 2
        if self.comparison == AT_LEAST:
            return low, float("inf")
        if self.comparison == AT_MOST:
            return float("-inf"), high
        return low, high

    def met(self, actual: float) -> bool | None:
        """Whether ``actual`` meets the target (None: the region has not set it)."""
        bounds = self.bounds()
        return None if bounds is None else bounds[0] <= actual <= bounds[1]

    def target_text(self) -> str:
        """«не менее 75 %», «все (100 %)», «от 44 до 60», «не задано регионом»."""
        if not self.value:
            return NOT_SET
        unit = f" {self.unit}" if self.unit else ""
        both = _RANGE.match(self.value)
        if self.comparison == BETWEEN or both:
            low, high = (both[1], both[2]) if both else (self.value, self.value)
            if self.comparison == BETWEEN:
                return f"от {low} до {high}{unit}"
            return f"{self.comparison} {self.value}{unit}"
        if self.comparison == AT_LEAST and self.unit == "%" and _num(self.value) >= 100:
            return "все (100 %)"
        return f"{self.comparison} {self.value}{unit}"

    def source_text(self) -> str:
        return self.source or REGION_RULE


class Recommendation(_Data):
    """A weak indicator (or a zone of low quality, by its key) -> an event of the catalogue."""

    #: an indicator code («S08») or a zone's key (a subject of the results, e.g. «Математика»)
    weak: str = Field(min_length=1)
    event: str = Field(min_length=1)
    #: the document the recommendation comes from; empty: the region's own rule
    source: str = ""

    def source_text(self) -> str:
        return self.source or REGION_RULE


@cache
def _default_goals_json() -> str:
    return resources.files(__package__).joinpath("data/default_goals.json").read_text("utf-8")


def default_goals() -> list[Goal]:
    """The targets of the project documents (seeds 000, 002, 004); scale targets empty."""
    return [Goal.model_validate(g) for g in json.loads(_default_goals_json())]


#: The goal_* parameters of «Пороги» before «Цели проекта» -> the goal they set.
OLD_THRESHOLDS: dict[str, str] = {
    "goal_roadmap_coverage": "coverage",
    "goal_roadmap_implemented": "implemented",
    "goal_effective_mode": "effective",
    "goal_positive_change": "positive",
    "goal_graduates": "graduates",
    "goal_documents_expertise": "expertise",
    "goal_profile_camps": "camps",
    "goal_psychological_support": "support",
    "goal_scale_schools": "scale_schools",
    "goal_scale_coordinators": "scale_coordinators",
    "goal_scale_mentors": "scale_mentors",
}
#: What the code wrote for the scale before: the Moscow oblast's numbers, not a region's
#: choice — read as «not set».
_OLD_SCALE_DEFAULTS = {"145 (2022–2023)", "44–60", "140–145"}


def goals_from_thresholds(old: dict[str, Any]) -> list[Goal]:
    """The default goals with the values an older campaign set as goal_* thresholds."""
    out = []
    by_key = {OLD_THRESHOLDS[k]: v for k, v in old.items() if k in OLD_THRESHOLDS}
    for goal in default_goals():
        value = by_key.get(goal.key)
        if value is None or str(value).strip() in _OLD_SCALE_DEFAULTS:
            out.append(goal)
            continue
        text = str(value).strip()
        both = re.search(rf"{_NUMBER}\s*[-–—]\s*{_NUMBER}", text)
        one = re.search(_NUMBER, text)
        if isinstance(value, int | float):
            out.append(goal.model_copy(update={"value": _shown(float(value))}))
        elif both:
            update = {"value": both[0].replace(" ", ""), "comparison": BETWEEN}
            out.append(goal.model_copy(update=update))
        elif one:
            out.append(goal.model_copy(update={"value": one[0]}))
        else:
            out.append(goal)
    return out


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


#: How many events of the target group the brief named before «Рекомендации».
_EXAMPLES = 2


def recommendations_from_groups(indicators: list[Any], catalogue: list[Any]) -> list[Any]:
    """Before «Рекомендации»: an indicator's «Целевая группа мероприятий» recommended the
    first events of that group in the catalogue — the region's setting, no document's."""
    out = []
    for ind in indicators:
        group = _get(ind, "target_group")
        if not group:
            continue
        events = [_get(e, "name") for e in catalogue if _get(e, "target_group") == group]
        out += [{"weak": _get(ind, "code"), "event": e} for e in events[:_EXAMPLES]]
    return out


def migrate(data: Any) -> Any:
    """A campaign (as data) written before «Цели проекта»: goal_* thresholds become goals;
    before «Рекомендации»: indicators' target groups become recommendations."""
    if not isinstance(data, dict):
        return data
    if "recommendations" not in data:
        indicators, catalogue = data.get("indicators"), data.get("catalogue")
        if isinstance(indicators, list) and isinstance(catalogue, list):
            data = {**data, "recommendations": recommendations_from_groups(indicators, catalogue)}
    thresholds = data.get("thresholds")
    if isinstance(thresholds, dict) and any(k in OLD_THRESHOLDS for k in thresholds):
        old = {k: thresholds[k] for k in OLD_THRESHOLDS if k in thresholds}
        data = {
            **data,
            "thresholds": {k: v for k, v in thresholds.items() if k not in OLD_THRESHOLDS},
        }
        if "goals" not in data:
            data["goals"] = goals_from_thresholds(old)
    return data


#: Optional indicators of school monitoring (seed 004, разд. V, пп. 1 и 4): collected when
#: the campaign switches them on (``Campaign.support_camps``), so that the targets
#: «обучающиеся в профильных сменах» and «психолого-педагогическое сопровождение» are
#: computed. Counts since the start of the academic year, in every monitoring month.
PUPILS, CAMPS, SUPPORTED = "U01", "U02", "U03"
OPTIONAL_INDICATORS: tuple[tuple[str, str], ...] = (
    (PUPILS, "Численность обучающихся"),
    (CAMPS, "Обучающиеся, участвовавшие в профильных сменах и лагерях с начала учебного года"),
    (SUPPORTED, "Обучающиеся, получающие психолого-педагогическое сопровождение"),
)


def optional_indicators(months: list[str]) -> list[dict[str, Any]]:
    """The optional indicators as campaign data, collected in every monitoring month."""
    return [
        {"code": code, "wording": wording, "level": "ОО", "value_type": "чел.", "slots": months}
        for code, wording in OPTIONAL_INDICATORS
    ]
