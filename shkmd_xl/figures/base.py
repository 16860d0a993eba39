"""Which submissions a figure counts — one rule for every figure — and the means.

The rule: a period's figures count the current version of every municipality's report
that was accepted (with or without remarks). A report returned for rework is shown
apart (its municipality is named with the figures) and never counted; a municipality
without a report is not counted either. The base of each figure says so in words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..campaign.models import Campaign, Period
from ..consolidate.consolidation import ACCEPTED, ACCEPTED_REMARKS, TO_REDO, Consolidation
from ..forms import sheets as F
from ..messages import render
from ..ru import count
from ..store.sqlite import Store, Submission

COUNTED_STATUSES = (ACCEPTED, ACCEPTED_REMARKS)


@dataclass(frozen=True)
class Counted:
    """The submissions a period's figures count, and those shown apart."""

    period: Period
    #: municipality code -> the current version of its accepted report
    submissions: dict[str, Submission]
    #: municipality code -> the current version of a report returned for rework
    returned: dict[str, Submission]

    @property
    def reports(self) -> str:
        """«по 12 принятым отчётам» — the base in words."""
        n = len(self.submissions)
        return render(
            "figures.by_reports",
            reports=count(n, "принятому отчёту", "принятым отчётам", "принятым отчётам"),
        )

    def records(self, store: Store, form: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(municipality code, row) of ``form`` in the counted reports, by municipality."""
        for code, s in sorted(self.submissions.items()):
            for rec in store.records(s.hash, self.period.code, form):
                yield code, rec

    def school_rows(self, store: Store) -> Iterator[tuple[str, dict[str, Any]]]:
        """(municipality code, «Мониторинг ОО» row) of the period's own stage."""
        for code, rec in self.records(store, F.SCHOOL_MON_KEY):
            if rec.get("stage") == self.period.stage and rec.get("school"):
                yield code, rec


def counted(cons: Consolidation) -> Counted:
    """The counted submissions of a consolidation (see the module's rule)."""
    ok = {st.code for st in cons.statuses if st.status in COUNTED_STATUSES}
    redo = {st.code for st in cons.statuses if st.status == TO_REDO}
    return Counted(
        cons.period,
        {code: s for code, s in cons.current.items() if code in ok},
        {code: s for code, s in cons.current.items() if code in redo},
    )


def history(store: Store, c: Campaign, cons: Consolidation) -> list[Counted]:
    """The counted submissions of every period up to ``cons.period``, in order (earlier
    periods are consolidated again: the same rule for every period)."""
    from ..consolidate.consolidation import consolidate

    out = []
    for p in c.periods[: c.periods.index(cons.period)]:
        if store.submissions(p.code):
            out.append(counted(consolidate(store, c, p.code)))
        else:
            out.append(Counted(p, {}, {}))
    return [*out, counted(cons)]


def mean(values: Iterable[Any]) -> float | None:
    """The mean of the numbers among ``values``, rounded to 0.1; None without any."""
    nums = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return round(sum(nums) / len(nums), 1) if nums else None


def school_means(rows: Iterable[dict[str, Any]], codes: Iterable[str]) -> dict[str, float]:
    """The regional mean of each school indicator: the mean over schools (every school
    weighs the same, whatever its municipality), rounded to 0.1."""
    values: dict[str, list[Any]] = defaultdict(list)
    wanted = list(codes)
    for rec in rows:
        for k in wanted:
            values[k].append(rec.get(k))
    return {k: m for k in wanted if (m := mean(values[k])) is not None}


def percent_indicators(c: Campaign, period: Period) -> list[str]:
    """The school indicators in % collected in the period's stage."""
    return [i.code for i in c.school_indicators if period.stage in i.stages and i.value_type == "%"]


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in %, one decimal; None without a base."""
    return round(100 * part / whole, 1) if whole else None
