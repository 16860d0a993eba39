"""School indicators of submissions, as every analytical output reads them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from ..campaign.models import Period
from ..forms import sheets as F
from ..store import Store, Submission


def stage_records(
    store: Store, subs: Iterable[Submission], period: Period
) -> Iterator[tuple[Submission, dict[str, Any]]]:
    """(submission, «Мониторинг ОО» row) for the rows of the period's own stage."""
    for s in subs:
        for rec in store.records(s.hash, period.code, F.SCHOOL_MON_KEY):
            if rec.get("stage") == period.stage:
                yield s, rec


def indicator_means(records: Iterable[dict[str, Any]]) -> dict[str, float]:
    """Mean of every school indicator (S…) over ``records``, rounded to 0.1."""
    sums: dict[str, list[float]] = defaultdict(list)
    for rec in records:
        for k, v in rec.items():
            if k.startswith("S") and isinstance(v, int | float):
                sums[k].append(float(v))
    return {k: round(sum(v) / len(v), 1) for k, v in sums.items()}
