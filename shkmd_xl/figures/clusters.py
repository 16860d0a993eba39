"""«Кластерный анализ деятельности ОО» (АСОУ roadmap, III.4) and «слабые показатели
мониторинга» (survey indicators far below the region's; the zones of low quality by
subject are the results', figures/results.py, seed 003).

Method, stated in the workbook and the справка in plain words (catalogue «clusters.*»):
the percentage indicators of the period's stage are standardised (z-scores over the
region's schools); k-means (scikit-learn) groups the schools for every k from 2 to 6,
and the k with the highest mean silhouette is kept; the seed is fixed, so a rerun gives
the same clusters. Below the campaign's silhouette bound (``cluster_min_silhouette``)
the schools are said not to form distinct groups. A cluster is named by its profile in
words (the indicators it is above or below the mean on), so clusters of two periods
compare by name, not by number. A school's «слабый показатель мониторинга» is one more
than one standard deviation below the regional mean. scikit-learn is imported here
only: ``check`` never loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..messages import render

SEED = 2026
K_RANGE = range(2, 7)
LOW_Z = -1.0  # a weak indicator: more than one standard deviation below the mean
MARKED_Z = 0.5  # a cluster is «выше/ниже среднего» on an indicator beyond this


@dataclass
class School:
    municipality: str
    name: str
    values: dict[str, float]
    cluster: int = 0
    zones: list[str] = field(default_factory=list)


@dataclass
class Cluster:
    number: int
    size: int
    means: dict[str, float]
    profile: str


@dataclass
class Clustering:
    indicators: list[str]
    schools: list[School]
    clusters: list[Cluster]
    k: int
    silhouette: float
    #: the campaign's bound: below it the schools do not form distinct groups
    bound: float = 0.0

    @property
    def distinct(self) -> bool:
        return self.silhouette >= self.bound

    def quality(self) -> str:
        """The grouping's quality in words."""
        key = "clusters.quality.distinct" if self.distinct else "clusters.quality.weak"
        return render(key, k=self.k, silhouette=self.silhouette, bound=self.bound)


def period_schools(store: Any, c: Any, cons: Any) -> tuple[list[School], list[str]]:
    """The schools of the counted reports (figures.base) with the percentage indicators
    of the period's stage, and those indicators."""
    from .base import counted, percent_indicators

    indicators = percent_indicators(c, cons.period)
    schools = []
    for code, rec in counted(cons).school_rows(store):
        values = {k: float(rec[k]) for k in indicators if isinstance(rec.get(k), int | float)}
        schools.append(School(c.municipality(code).name, str(rec["school"]), values))
    return schools, indicators


def period_clustering(
    store: Any, c: Any, cons: Any, pool: Any = None
) -> Callable[[], tuple[Clustering | str, list[str]]]:
    """The period's clustering and its indicators, computed once. With a process pool it
    starts there at once — scikit-learn's import alone takes 2–3 s — while the caller
    writes the other sheets; calling the returned function waits for it."""
    schools, indicators = period_schools(store, c, cons)
    wording = {i.code: i.wording for i in c.school_indicators}
    args = (schools, indicators, wording, c.thresholds.cluster_min_silhouette)
    if pool is None:
        return lambda: (cluster_schools(*args), indicators)
    future = pool.submit(cluster_schools, *args)
    return lambda: (future.result(), indicators)


def method_text(indicators: list[str]) -> list[str]:
    """The method in plain words (no program or statistical jargon)."""
    return [
        render("clusters.method", indicators=", ".join(indicators)),
        render("clusters.zones"),
    ]


def cluster_schools(
    schools: list[School],
    indicators: list[str],
    wording: dict[str, str] | None = None,
    bound: float = 0.0,
) -> Clustering | str:
    """Clusters of ``schools`` on ``indicators``, or why there are none (Russian);
    profiles name the indicators by ``wording``; ``bound``: the campaign's silhouette
    below which the groups are not distinct."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from threadpoolctl import threadpool_limits

    complete = [s for s in schools if all(k in s.values for k in indicators)]
    if len(complete) < 4 or not indicators:
        return render("clusters.too_few")
    raw = np.array([[s.values[k] for k in indicators] for s in complete], dtype=float)
    spread = raw.std(axis=0)
    usable = spread > 0
    if not usable.any():
        return render("clusters.all_equal")
    z = np.zeros_like(raw)
    z[:, usable] = (raw[:, usable] - raw[:, usable].mean(axis=0)) / spread[usable]
    best: tuple[float, int, Any] | None = None
    for k in K_RANGE:
        if k >= len(complete):
            break
        # One thread: a few hundred schools take milliseconds, while OpenMP's threads
        # spin on busy cores (five fits: 27 s with the default threads, 1.2 s with one,
        # measured on the shared 2-core machine); the result is the same
        with threadpool_limits(limits=1):
            labels = KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(z)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(z, labels))
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    if best is None:
        return render("clusters.too_close")
    score, k, labels = best
    # clusters numbered by size (1 = largest), so that the numbering is stable
    order = sorted(set(labels), key=lambda c: (-int((labels == c).sum()), c))
    number = {c: i for i, c in enumerate(order, 1)}
    for s, row, label in zip(complete, z, labels, strict=True):
        s.cluster = number[label]
        s.zones = [k_ for k_, v in zip(indicators, row, strict=True) if v < LOW_Z]
    clusters = []
    for c in order:
        members = labels == c
        means = raw[members].mean(axis=0)
        zmeans = z[members].mean(axis=0)
        above = [k_ for k_, v in zip(indicators, zmeans, strict=True) if v >= MARKED_Z]
        below = [k_ for k_, v in zip(indicators, zmeans, strict=True) if v <= -MARKED_Z]
        named = wording or {}
        parts = []
        if above:
            words = "; ".join(_lower(named.get(k_, k_)) for k_ in above)
            parts.append(render("clusters.above", indicators=words))
        if below:
            words = "; ".join(_lower(named.get(k_, k_)) for k_ in below)
            parts.append(render("clusters.below", indicators=words))
        clusters.append(
            Cluster(
                number[c],
                int(members.sum()),
                {k_: round(float(m), 1) for k_, m in zip(indicators, means, strict=True)},
                ". ".join(parts) or render("clusters.near_mean"),
            )
        )
    return Clustering(indicators, complete, clusters, k, round(score, 2), bound)


def _lower(text: str) -> str:
    """An indicator's wording inside a sentence («Удовлетворённость …» → «удовлетворённость …»)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
