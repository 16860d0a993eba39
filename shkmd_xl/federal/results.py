"""What a federal roll-up did per region and in all (shared by the run and its summary)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..consolidate.consolidation import MISSING
from .registry import Region

DONE, FAILED = "обработан", "не обработан"


@dataclass
class RegionResult:
    region: Region
    status: str = FAILED
    problem: str = ""
    municipalities: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    received: int = 0
    new_files: int = 0
    errors: int = 0
    warnings: int = 0
    completeness: float | None = None
    seconds: float = 0.0  # collect + consolidation + table rows
    collect_seconds: float = 0.0  # intake + archive + validate + store
    gaps: list[tuple[str, str, str, int]] = field(default_factory=list)  # to redo / missing
    #: the region's student results: schools with the integral indicator, with low results
    results_schools: int = 0
    low_schools: int = 0
    #: the targets the results decide, as «Показатели проекта» prints them («66,7 % (4 из
    #: 6)» or why there is none), by goal key (figures.targets.learning_measures)
    learning: dict[str, str] = field(default_factory=dict)

    @property
    def submitted(self) -> int:
        return self.municipalities - self.statuses[MISSING]


@dataclass
class FederalResult:
    period: str
    regions: list[RegionResult]
    summary: Path | None = None
    tables: Path | None = None
    rows: dict[str, int] = field(default_factory=dict)  # Parquet file -> rows
    timings: dict[str, float] = field(default_factory=dict)
