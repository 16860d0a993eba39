"""Pydantic models of a campaign: registry, catalogues, indicators, periods, thresholds."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .goals import Goal, Recommendation, default_goals, migrate, optional_indicators
from .results import ResultsSettings

#: One condition of the effective-mode rule: «S03 не ниже 70» (as a methodologist
#: writes it; «S03 >= 70» is read too).
_CONDITION = re.compile(
    r"\s*(?P<code>[A-ZА-Я]+\d+)\s*(?:>=|(?i:не\s+ниже))\s*(?P<value>\d+(?:[.,]\d+)?)\s*",
)

#: Stages of school monitoring (seed 003: I, II, III).
STAGES: tuple[str, ...] = ("I", "II", "III")
#: Monitoring months of a campaign that does not name its own (seed 003: April, June,
#: November, stages I–III). A campaign sets its own in ``Campaign.months``.
DEFAULT_MONTHS: tuple[tuple[str, str], ...] = (("Апрель", "I"), ("Июнь", "II"), ("Ноябрь", "III"))
_DEFAULT_STAGE = dict(DEFAULT_MONTHS)

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

#: The documents the project's goals come from, by title (as users know them).
METHOD = "Региональная методика работы с ОО Московской области (проект ШКМД)"
MODEL_500 = "Модель реализации проекта «500+» (Оренбургская область)"
ROADMAP_ASOU = "Региональная дорожная карта проекта ШКМД на 2022–2023 гг. (АСОУ)"

#: Directions of a school's roadmap (regional method, п. 2.1: six); their names are
#: the campaign's (``Campaign.directions``).
DIRECTIONS = 6

Slot = str  # the name of one of the campaign's monitoring months
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
    #: The region set (approved) the limit: only then do the templates print it as its
    #: rule; otherwise ``capacity`` is a default to set (no project document gives one).
    capacity_set: bool = False


class Indicator(_Model):
    """A monitoring indicator of the municipality (МОУО) or of a school (ОО)."""

    code: str = Field(min_length=1)
    task: int | None = None
    wording: str = Field(min_length=1)
    level: Level
    value_type: ValueType
    slots: list[Slot] = Field(default_factory=list)
    #: The catalogue's target group whose events help a school weak on this indicator
    #: (the analytical brief's recommendations); the region's setting.
    target_group: str | None = None
    _stages: list[str] | None = PrivateAttr(default=None)  # set by the campaign

    @property
    def stages(self) -> list[str]:
        """Stages (I/II/III) in which a school indicator is collected (its months' stages)."""
        if self._stages is not None:
            return self._stages
        return [_DEFAULT_STAGE[s] for s in self.slots if s in _DEFAULT_STAGE]


class MonitoringMonth(_Model):
    """A monitoring month of the year (seed 003: April, June, November; a region may
    monitor quarterly or in September) and the stage of school monitoring it holds."""

    name: str = Field(min_length=1, max_length=24)
    stage: Literal["I", "II", "III"]


def default_months() -> list[MonitoringMonth]:
    return [MonitoringMonth(name=n, stage=s) for n, s in DEFAULT_MONTHS]  # type: ignore[arg-type]


class Period(_Model):
    """A reporting period with its submission deadline."""

    code: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    name: str
    slot: Slot = Field(min_length=1, description="its monitoring month (Campaign.months)")
    deadline: dt.date
    roadmap_year: str = Field(
        pattern=r"^\d{4}/\d{4}$", description="academic year of the roadmaps, e.g. 2025/2026"
    )
    _stage: str = PrivateAttr(default="")  # set by the campaign from its months
    _number: int = PrivateAttr(default=0)

    @property
    def stage(self) -> str:
        """Stage of school monitoring (I/II/III) of the period's month."""
        return self._stage or _DEFAULT_STAGE.get(self.slot, "")

    @property
    def month_number(self) -> int:
        """1 for the year's first monitoring month, 2 for the next… (0: unknown month)."""
        if self._number:
            return self._number
        names = [n for n, _ in DEFAULT_MONTHS]
        return names.index(self.slot) + 1 if self.slot in names else 0

    @property
    def first_of_year(self) -> bool:
        """The year's first monitoring month: roadmap statuses are not due yet."""
        return self.month_number <= 1


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


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
    #: in the school's latest cut, e.g. "S03 не ниже 70; S09 не ниже 60" (">=" is read too).
    effective_mode_rule: str = "S03 не ниже 70; S09 не ниже 60"
    #: School indicators whose 100 % means every graduate passed the minimum threshold
    #: (stage II, the results of the state exams).
    graduate_indicators: str = "S10, S11, S12, S13"
    #: The mean silhouette below which schools are said not to form distinct clusters
    #: (0,25: the usual bound of «no substantial structure»; no project document gives one).
    cluster_min_silhouette: float = 0.25
    #: Working days a municipality has to send a corrected report, counted from the day
    #: the letter returning it is made.
    rework_working_days: int = Field(default=5, ge=1)

    @field_validator("effective_mode_rule")
    @classmethod
    def _rule(cls, value: str) -> str:
        for part in filter(str.strip, value.split(";")):
            if not _CONDITION.fullmatch(part):
                raise ValueError(
                    f"условие «{part.strip()}» не понято: пишите «код не ниже число», "
                    "условия — через «;», например «S03 не ниже 70; S09 не ниже 60»"
                )
        return value

    def positive_indicators(self) -> list[str]:
        return _codes(self.positive_change_indicators)

    def graduates(self) -> list[str]:
        return _codes(self.graduate_indicators)

    def named_indicators(self) -> dict[str, list[str]]:
        """Parameter -> the indicator codes it names (each must be a school % indicator)."""
        return {
            "positive_change_indicators": self.positive_indicators(),
            "effective_mode_rule": [code for code, _ in self.effective_conditions()],
            "graduate_indicators": self.graduates(),
        }

    def effective_conditions(self) -> list[tuple[str, float]]:
        """(indicator, minimum) pairs of ``effective_mode_rule``."""
        out = []
        for part in self.effective_mode_rule.split(";"):
            found = _CONDITION.fullmatch(part)
            if found:
                out.append((found["code"], float(found["value"].replace(",", "."))))
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
    #: who signs the справка (empty: the office, and «И. О. Фамилия» for the name)
    signer_position: str = ""
    signer_name: str = ""
    #: the region's document style for the справка, «Times New Roman, 14» (empty: that)
    document_font: str = ""
    municipalities: list[Municipality]
    schools: list[School]
    catalogue: list[CatalogueEvent]
    indicators: list[Indicator]
    periods: list[Period]
    thresholds: Thresholds = Field(default_factory=Thresholds)
    directions: list[str] = Field(min_length=DIRECTIONS, max_length=DIRECTIONS)
    #: Monitoring months of the year in order, each with its stage (seed 003 by default).
    months: list[MonitoringMonth] = Field(default_factory=default_months, min_length=1)
    #: The project's targets («Цели проекта»): the region's data (campaign.goals).
    goals: list[Goal] = Field(default_factory=default_goals)
    #: Weak indicator or zone -> catalogue event («Рекомендации»; campaign.goals).
    recommendations: list[Recommendation] = Field(default_factory=list)
    #: Collect the optional indicators of seed 004 (psychological support, profile camps:
    #: campaign.goals.OPTIONAL_INDICATORS) in school monitoring.
    support_camps: bool = False

    @model_validator(mode="before")
    @classmethod
    def _older(cls, data: object) -> object:
        """A campaign written before «Цели проекта»: its goal_* thresholds are goals."""
        return migrate(data)

    #: Assessments (ЕГЭ, ОГЭ, ВПР, РДР) and the rules over their results (campaign/results.py).
    results: ResultsSettings = Field(default_factory=ResultsSettings)

    @model_validator(mode="after")
    def _months(self) -> Campaign:
        """Periods and indicators learn their stages from the campaign's months (unknown
        month names are reported by campaign.validate, naming the sheet and row)."""
        stage = {m.name: m.stage for m in self.months}
        names = [m.name for m in self.months]
        for p in self.periods:
            p._stage = stage.get(p.slot, "")
            p._number = names.index(p.slot) + 1 if p.slot in stage else 0
        if self.support_camps:  # the switch adds the indicators the campaign lacks
            have = {i.code for i in self.indicators}
            self.indicators += [
                Indicator.model_validate(d)
                for d in optional_indicators(names)
                if d["code"] not in have
            ]
        for i in self.indicators:
            i._stages = [stage[s] for s in i.slots if s in stage]
        return self

    @property
    def month_names(self) -> list[str]:
        return [m.name for m in self.months]

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
