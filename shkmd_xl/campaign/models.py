"""Pydantic models of a campaign: registry, catalogues, indicators, periods, thresholds."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: The three monitoring slots of a year (seed 003): April, June, November.
SLOTS: tuple[str, ...] = ("Апрель", "Июнь", "Ноябрь")
#: Stage of school monitoring for each slot (I April, II June, III November).
STAGE_OF_SLOT: dict[str, str] = {"Апрель": "I", "Июнь": "II", "Ноябрь": "III"}
SLOT_OF_STAGE: dict[str, str] = {v: k for k, v in STAGE_OF_SLOT.items()}

SCHOOL_TYPES: tuple[str, ...] = (
    "городская депривированная",
    "сельская депривированная",
    "сельская малокомплектная",
    "иная",
)
TARGET_GROUPS: tuple[str, ...] = (
    "Руководители и заместители руководителей ОО",
    "Учителя",
    "Обучающиеся",
)

Slot = Literal["Апрель", "Июнь", "Ноябрь"]
Level = Literal["МОУО", "ОО"]
ValueType = Literal["да/нет", "%", "чел."]


_INDEXES: dict[int, tuple[list[School], dict[str, list[School]]]] = {}


def _index(schools: list[School]) -> dict[str, list[School]]:
    """Schools by municipality code, cached per list object (a federal registry is large)."""
    cached = _INDEXES.get(id(schools))
    if cached is None or cached[0] is not schools:
        index: dict[str, list[School]] = {}
        for s in schools:
            index.setdefault(s.municipality, []).append(s)
        if len(_INDEXES) > 16:
            _INDEXES.clear()
        _INDEXES[id(schools)] = cached = (schools, index)
    return cached[1]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Municipality(_Model):
    """A municipal education authority (МОУО) and its coordinator."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    coordinator: str = ""
    position: str = ""
    emails: list[str] = Field(default_factory=list)
    phone: str = ""


class School(_Model):
    """A project school (ОО)."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    municipality: str = Field(min_length=1, description="municipality code")
    type: str = "иная"
    mentor: str = ""
    curator: str = ""


class CatalogueEvent(_Model):
    """A regional event of seed 000 Table 1 (roadmap direction 5)."""

    target_group: str
    name: str = Field(min_length=1)
    organisers: str = ""
    capacity: int | None = Field(default=None, ge=0)


class Indicator(_Model):
    """A monitoring indicator of the municipality (МОУО) or of a school (ОО)."""

    code: str = Field(min_length=1)
    task: int | None = None
    wording: str = Field(min_length=1)
    level: Level
    value_type: ValueType
    slots: list[Slot] = Field(default_factory=list)

    @property
    def stages(self) -> list[str]:
        """Stages (I/II/III) in which a school indicator is collected."""
        return [STAGE_OF_SLOT[s] for s in self.slots]


class Period(_Model):
    """A reporting period with its submission deadline."""

    code: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    name: str
    slot: Slot
    deadline: dt.date
    roadmap_year: str = Field(
        pattern=r"^\d{4}/\d{4}$", description="academic year of the roadmaps, e.g. 2025/2026"
    )

    @property
    def stage(self) -> str:
        return STAGE_OF_SLOT[self.slot]


class Thresholds(_Model):
    """Numbers used by the rules; a region may change them."""

    diagnostic_pass_mark: float = 60.0
    sufficient_level: float = 95.0
    min_course_hours: float = 16.0
    outlier_jump_pp: float = 25.0
    teacher_min_age: int = 18
    teacher_max_age: int = 80
    #: «Положительная динамика» of a school (АСОУ roadmap: ≥ 60 % of schools): the mean
    #: change of these indicators since the previous cut exceeds ``positive_change_pp``.
    positive_change_indicators: str = "S03, S05, S09"
    positive_change_pp: float = 0.0
    #: «Эффективный режим работы» (model 500+: ≥ 75 % of schools): every condition holds
    #: in the school's latest cut, e.g. "S03 >= 70; S09 >= 60".
    effective_mode_rule: str = "S03 >= 70; S09 >= 60"

    @field_validator("effective_mode_rule")
    @classmethod
    def _rule(cls, value: str) -> str:
        for part in filter(str.strip, value.split(";")):
            if not re.fullmatch(r"\s*[A-ZА-Я]+\d+\s*>=\s*\d+(?:[.,]\d+)?\s*", part):
                raise ValueError(
                    f"условие «{part.strip()}» не понято: пишите «код >= число», "
                    "условия — через «;», например «S03 >= 70; S09 >= 60»"
                )
        return value

    def positive_indicators(self) -> list[str]:
        return [c.strip() for c in self.positive_change_indicators.split(",") if c.strip()]

    def effective_conditions(self) -> list[tuple[str, float]]:
        """(indicator, minimum) pairs of ``effective_mode_rule``."""
        out = []
        for part in self.effective_mode_rule.split(";"):
            code, _, value = part.partition(">=")
            if code.strip() and value.strip():
                out.append((code.strip(), float(value.strip().replace(",", "."))))
        return out


class Campaign(_Model):
    """Everything a region may change, as data."""

    id: str
    title: str
    region: str
    version: str
    demo: bool = False
    office: str = ""
    office_email: str = ""
    municipalities: list[Municipality]
    schools: list[School]
    catalogue: list[CatalogueEvent]
    indicators: list[Indicator]
    periods: list[Period]
    thresholds: Thresholds = Field(default_factory=Thresholds)
    directions: list[str] = Field(min_length=6, max_length=6)

    # -- lookups -----------------------------------------------------------
    def municipality(self, code: str) -> Municipality:
        for m in self.municipalities:
            if m.code == code:
                return m
        raise KeyError(code)

    def schools_of(self, municipality_code: str) -> list[School]:
        """Schools of a municipality in registry order (indexed once per schools list)."""
        return list(_index(self.schools).get(municipality_code, ()))

    def period(self, code: str) -> Period:
        for p in self.periods:
            if p.code == code:
                return p
        raise KeyError(code)

    @property
    def moupo_indicators(self) -> list[Indicator]:
        return [i for i in self.indicators if i.level == "МОУО"]

    @property
    def school_indicators(self) -> list[Indicator]:
        return [i for i in self.indicators if i.level == "ОО"]

    def events_for(self, target_group: str) -> list[CatalogueEvent]:
        return [e for e in self.catalogue if e.target_group == target_group]
