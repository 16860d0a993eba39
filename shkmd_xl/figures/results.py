"""Student results: the integral indicator per school (seed 000 §1.5), schools with low
results, zones of low quality by subject (seed 003), «все выпускники преодолели
минимальный порог» (seed 004), effective mode and confirmed positive change by results,
municipal means against the regional (and national) mean across years (seed 001), and
the breakdown by school type — all from the store's results table, by the campaign's
rules. ``method_lines`` says how, in words, for the справка's «Методика»."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..campaign.models import Campaign, School
from ..campaign.results import METHOD_INTEGRAL
from ..consolidate.consolidation import Consolidation
from ..rules.context import norm_name
from ..store.results import ResultRow, rows_of_year, year_of, years
from ..store.sqlite import Store
from .base import Counted, counted

Item = tuple[str, str, int]  # assessment, subject, grade


@dataclass(frozen=True)
class Standing:
    """A school's integral indicator in one year and its standard error (noise)."""

    value: float
    se: float
    items: int  # results that went into it


@dataclass
class SchoolResult:
    """A school's results judged by the campaign's rules."""

    school: School
    municipality: str
    integral: float | None = None
    se: float | None = None
    items: int = 0
    rank: int | None = None
    low: bool = False
    previous: float | None = None
    change: float | None = None
    #: the rise exceeds the campaign's number of standard errors of the change
    confirmed: bool | None = None
    fail_share: float | None = None  # participant-weighted, every result
    all_passed: bool | None = None  # ГИА: nobody below the minimum threshold
    effective: bool | None = None
    zones: list[Zone] = field(default_factory=list)


@dataclass(frozen=True)
class Zone:
    """A subject of a school in the zone of low quality (seed 003)."""

    school: str
    municipality: str
    assessment: str
    subject: str
    grade: int
    mean: float
    regional: float
    fail_share: float | None
    reason: str


@dataclass(frozen=True)
class MeanRow:
    """A municipality's mean of one assessment × subject × grade, with the region's, the
    nation's (when the region entered it) and last year's."""

    assessment: str
    subject: str
    grade: int
    municipality: str
    mean: float
    participants: int
    regional: float
    national: float | None
    previous: float | None
    regional_previous: float | None


@dataclass
class ResultsFigures:
    year: int
    schools: list[SchoolResult]
    zones: list[Zone]
    means: list[MeanRow]
    rows: int  # results counted
    by_type: list[tuple[str, int, float | None, int, int]]  # type, schools, mean, low, zones
    #: (assessment, subject, grade, municipality or «Регион», {year: mean}) over every year
    #: of results in the store up to this one (seed 001: the expected effect's trend)
    trend: list[tuple[str, str, int, str, dict[int, float]]] = field(default_factory=list)

    @property
    def ranked(self) -> list[SchoolResult]:
        return sorted(
            (s for s in self.schools if s.integral is not None),
            key=lambda s: s.rank or 0,
        )

    @property
    def low(self) -> list[SchoolResult]:
        return [s for s in self.ranked if s.low]


def _weighted_mean(pairs: Iterable[tuple[float, int]]) -> float | None:
    pairs = [(m, n) for m, n in pairs if n > 0]
    total = sum(n for _, n in pairs)
    return sum(m * n for m, n in pairs) / total if total else None


def _usable(rows: Iterable[ResultRow]) -> list[ResultRow]:
    return [r for r in rows if r.mean is not None and (r.participants or 0) > 0]


def standings(rows: list[ResultRow], c: Campaign) -> dict[str, Standing]:
    """School -> its integral indicator: each assessment × subject × grade result
    standardised across the schools that have it (z = (mean − M) / S, M and S the
    participant-weighted mean and spread of the school means), then averaged with weights
    «assessment weight × participants». Its standard error comes from the noise of each
    school mean, student spread / √participants, in the same units."""
    by_item: dict[Item, list[ResultRow]] = defaultdict(list)
    for r in _usable(rows):
        a = c.results.assessment(r.assessment)
        if a is not None and a.weight > 0:
            by_item[(r.assessment, r.subject, r.grade)].append(r)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for (code, _, _), items in by_item.items():
        if len(items) < 3:
            continue  # a spread of one or two schools says nothing
        a = c.results.assessment(code)
        assert a is not None
        pairs = [(float(r.mean or 0), int(r.participants or 0)) for r in items]
        total = sum(n for _, n in pairs)
        m = sum(x * n for x, n in pairs) / total
        s = math.sqrt(sum(n * (x - m) ** 2 for x, n in pairs) / total)
        if s <= 0:
            continue
        for r, (x, n) in zip(items, pairs, strict=True):
            w = a.weight * n
            z = (x - m) / s
            var = (a.student_sd**2 / n) / s**2
            acc = sums[r.school]
            acc[0] += w * z
            acc[1] += w
            acc[2] += w * w * var
            acc[3] += 1
    return {
        school: Standing(acc[0] / acc[1], math.sqrt(acc[2]) / acc[1], int(acc[3]))
        for school, acc in sums.items()
        if acc[1] > 0
    }


def graduate_assessments(c: Campaign) -> set[str]:
    """The assessments of the state final attestation («Процедуры ГИА»)."""
    return {x.strip() for x in c.results.rules.graduate_assessments.split(",") if x.strip()}


def _school_of(c: Campaign) -> dict[str, School]:
    index = {}
    for s in c.schools:
        index[norm_name(s.short_name)] = s
        index[norm_name(s.name)] = s
        index[norm_name(s.code)] = s
    return index


def _canonical(rows: list[ResultRow], c: Campaign) -> list[ResultRow]:
    """Rows of registry schools, named by their short name (a report's text may differ in
    case or quotes); others are left to the check (RM11)."""
    index = _school_of(c)
    out = []
    for r in rows:
        s = index.get(norm_name(r.school))
        if s is not None:
            out.append(r if r.school == s.short_name else _renamed(r, s.short_name))
    return out


def _renamed(r: ResultRow, name: str) -> ResultRow:
    from dataclasses import replace

    return replace(r, school=name)


def _zones(rows: list[ResultRow], c: Campaign, names: dict[str, str]) -> list[Zone]:
    rules = c.results.rules
    by_item: dict[Item, list[ResultRow]] = defaultdict(list)
    for r in _usable(rows):
        by_item[(r.assessment, r.subject, r.grade)].append(r)
    out = []
    for (code, subject, grade), items in sorted(by_item.items()):
        a = c.results.assessment(code)
        regional = _weighted_mean((float(r.mean or 0), int(r.participants or 0)) for r in items)
        if a is None or regional is None:
            continue
        bound = regional - rules.zone_margin / 100 * a.span
        for r in items:
            reasons = []
            if (r.mean or 0) < bound:
                reasons.append(
                    f"средний {_n(r.mean)} ниже регионального {_n(regional)} более чем на "
                    f"{_n(rules.zone_margin)} % шкалы"
                )
            if r.fail_share is not None and r.fail_share > rules.zone_fail_share:
                reasons.append(
                    f"не преодолели порог {_n(r.fail_share)} % (больше {_n(rules.zone_fail_share)} %)"
                )
            if reasons:
                out.append(
                    Zone(
                        r.school,
                        names.get(r.municipality, r.municipality),
                        code,
                        subject,
                        grade,
                        float(r.mean or 0),
                        regional,
                        r.fail_share,
                        "; ".join(reasons),
                    )
                )
    return out


def _n(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _means(
    rows: list[ResultRow], before: list[ResultRow], c: Campaign, names: dict[str, str]
) -> list[MeanRow]:
    national = c.results.rules.national()

    def table(
        rs: list[ResultRow],
    ) -> tuple[dict[tuple[Item, str], tuple[float, int]], dict[Item, float]]:
        mun: dict[tuple[Item, str], list[tuple[float, int]]] = defaultdict(list)
        reg: dict[Item, list[tuple[float, int]]] = defaultdict(list)
        for r in _usable(rs):
            item = (r.assessment, r.subject, r.grade)
            pair = (float(r.mean or 0), int(r.participants or 0))
            mun[(item, r.municipality)].append(pair)
            reg[item].append(pair)
        m = {k: (_weighted_mean(v) or 0.0, sum(n for _, n in v)) for k, v in mun.items()}
        g = {k: _weighted_mean(v) or 0.0 for k, v in reg.items()}
        return m, g

    now_m, now_r = table(rows)
    old_m, old_r = table(before)
    out = []
    for (item, mun), (mean, n) in sorted(
        now_m.items(), key=lambda kv: (kv[0][0], names.get(kv[0][1], ""))
    ):
        prev = old_m.get((item, mun))
        out.append(
            MeanRow(
                *item,
                names.get(mun, mun),
                mean,
                n,
                now_r[item],
                national.get(item),
                prev[0] if prev else None,
                old_r.get(item),
            )
        )
    return out


def _low(ranked: list[SchoolResult], c: Campaign) -> None:
    rules = c.results.rules
    if rules.low_integral is not None:
        for s in ranked:
            s.low = (s.integral or 0) < rules.low_integral
        return
    k = math.ceil(len(ranked) * rules.low_share / 100)
    for s in ranked[len(ranked) - k :] if k else []:
        s.low = True


def results_figures(store: Store, c: Campaign, cons: Consolidation) -> ResultsFigures:
    """The period's year of results (imported rows and the counted reports' rows) judged
    against the previous year."""
    return results_of(store, c, counted(cons))


def results_of(store: Store, c: Campaign, now_counted: Counted) -> ResultsFigures:
    """:func:`results_figures` of the counted reports of a period."""
    year = year_of(now_counted.period.code)
    reports = set(s.hash for s in now_counted.submissions.values())
    now = _canonical(rows_of_year(store, year, reports), c)
    figs = figures_of(now, _canonical(rows_of_year(store, year - 1), c), c, year)
    by_year = {y: _canonical(rows_of_year(store, y), c) for y in years(store) if y < year}
    figs.trend = trend({**by_year, year: now}, c)
    return figs


REGION = "Регион"


def trend(
    by_year: dict[int, list[ResultRow]], c: Campaign
) -> list[tuple[str, str, int, str, dict[int, float]]]:
    """Participant-weighted means per year: the region's and each municipality's."""
    names = {m.code: m.name for m in c.municipalities}
    series: dict[tuple[str, str, int, str], dict[int, list[tuple[float, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for y, rows in by_year.items():
        for r in _usable(rows):
            pair = (float(r.mean or 0), int(r.participants or 0))
            series[(r.assessment, r.subject, r.grade, REGION)][y].append(pair)
            series[(r.assessment, r.subject, r.grade, names.get(r.municipality, r.municipality))][
                y
            ].append(pair)
    out = []
    for key in sorted(series, key=lambda k: (k[0], k[1], k[2], k[3] != REGION, k[3])):
        means = {y: _weighted_mean(v) for y, v in sorted(series[key].items())}
        out.append((*key, {y: m for y, m in means.items() if m is not None}))
    return out


def _judge(
    school: School,
    rs: list[ResultRow],
    st: Standing | None,
    before: Standing | None,
    c: Campaign,
    zones: list[Zone],
    names: dict[str, str],
) -> SchoolResult:
    """One school's figures by the campaign's rules."""
    rules = c.results.rules
    out = SchoolResult(school, names.get(school.municipality, school.municipality))
    if st is not None:
        out.integral, out.se, out.items = st.value, st.se, st.items
    fails = [(float(r.fail_share), r.participants or 0) for r in rs if r.fail_share is not None]
    out.fail_share = _weighted_mean(fails)
    gia = [r for r in rs if r.assessment in graduate_assessments(c) and r.fail_share is not None]
    out.all_passed = all(r.fail_share == 0 for r in gia) if gia else None
    if st is not None and before is not None:
        out.previous, out.change = before.value, st.value - before.value
        out.confirmed = out.change > rules.confirm_z * math.sqrt(st.se**2 + before.se**2)
    if out.integral is not None:
        out.effective = out.integral >= rules.effective_min_integral and (
            out.fail_share is None or out.fail_share <= rules.effective_max_fail
        )
    out.zones = [z for z in zones if z.school == school.short_name]
    return out


def figures_of(
    rows: list[ResultRow], before: list[ResultRow], c: Campaign, year: int
) -> ResultsFigures:
    """The figures of one year's rows against the previous year's (pure: tests call it)."""
    names = {m.code: m.name for m in c.municipalities}
    by_name = {s.short_name: s for s in c.schools}
    now, prev = standings(rows, c), standings(before, c)
    per_school: dict[str, list[ResultRow]] = defaultdict(list)
    for r in rows:
        per_school[r.school].append(r)
    zones = _zones(rows, c, names)
    schools = [
        _judge(by_name[name], rs, now.get(name), prev.get(name), c, zones, names)
        for name, rs in per_school.items()
    ]
    ranked = sorted(
        (s for s in schools if s.integral is not None), key=lambda s: -(s.integral or 0)
    )
    for i, one in enumerate(ranked, 1):
        one.rank = i
    _low(ranked, c)
    schools.sort(key=lambda s: (s.municipality, s.school.short_name))
    by_type = []
    for t in sorted({s.school.type for s in schools}):
        of_type = [s for s in schools if s.school.type == t]
        values = [s.integral for s in of_type if s.integral is not None]
        by_type.append(
            (
                t,
                len(of_type),
                sum(values) / len(values) if values else None,
                sum(1 for s in of_type if s.low),
                sum(len(s.zones) for s in of_type),
            )
        )
    return ResultsFigures(year, schools, zones, _means(rows, before, c, names), len(rows), by_type)


def method_lines(c: Campaign) -> list[str]:
    """How the results figures are computed, in words (the справка's «Методика»)."""
    r = c.results
    rules = r.rules
    weights = ", ".join(f"{a.code} — {_n(a.weight)}" for a in r.assessments)
    low = (
        f"интегральный показатель ниже {_n(rules.low_integral)}"
        if rules.low_integral is not None
        else f"{_n(rules.low_share)} % ОО проекта с наименьшим интегральным показателем"
    )
    return [
        f"Интегральный показатель образовательного результата ({METHOD_INTEGRAL}). Каждый "
        "результат ОО (процедура × предмет × класс) приводится к сопоставимому виду: из "
        "среднего ОО вычитается среднее по ОО региона и разность делится на разброс средних "
        "ОО (стандартное отклонение); среднее и разброс взвешены числом участников, "
        "результаты, которые есть меньше чем у трёх ОО, не учитываются. Показатель ОО — "
        "среднее этих значений с весами «вес процедуры × число участников». 0 — средний "
        "уровень региона, −1 — на один разброс ниже.",
        f"Веса процедур (лист «Оценочные процедуры» файла кампании): {weights}.",
        f"ОО с низкими результатами: {low} ({rules.source('low')}).",
        f"Зона низкого качества (по предмету ОО): средний результат ниже регионального более "
        f"чем на {_n(rules.zone_margin)} % шкалы процедуры или доля не преодолевших "
        f"минимальный порог больше {_n(rules.zone_fail_share)} % ({rules.source('zone')}).",
        f"Эффективный режим по результатам: интегральный показатель не ниже "
        f"{_n(rules.effective_min_integral)} и не преодолели порог не более "
        f"{_n(rules.effective_max_fail)} % участников ({rules.source('effective')}).",
        "Подтверждённая положительная динамика: рост интегрального показателя за год больше "
        f"{_n(rules.confirm_z)} его стандартной ошибки ({rules.source('positive')}). Ошибка "
        "считается по случайному разбросу среднего ОО: разброс результата ученика (лист "
        "«Оценочные процедуры») делённый на корень из числа участников, — чем меньше "
        "участников, тем больший рост нужен, чтобы он не был случайным.",
        "«Все выпускники преодолели минимальный порог»: у ОО по всем предметам "
        f"{', '.join(sorted(graduate_assessments(c)))} доля не преодолевших порог равна 0.",
    ]


Survey = Callable[["SchoolResult"], bool | None]


def effective(s: SchoolResult, survey: Survey | None = None) -> bool | None:
    """A school in effective mode by the results and, when the campaign asks
    (``survey``), the survey condition too (None: not judged)."""
    if s.effective is None or survey is None:
        return s.effective
    also = survey(s)
    return None if also is None else s.effective and also


def target_counts(figs: ResultsFigures, survey: Survey | None = None) -> dict[str, tuple[int, int]]:
    """(schools meeting, schools judged) of the project's goals the results decide:
    ``effective`` (model 500+: ≥ 75 %), ``positive`` (confirmed positive change, АСОУ
    roadmap: ≥ 60 %), ``graduates`` (all graduates over the minimum, АСОУ roadmap: 100 %);
    for «Показатели проекта» and «Цели проекта» to read. ``survey`` (the campaign's
    ``effective_survey``): a school's survey condition too (None: no survey values — the
    school is not judged)."""

    judged = {
        "effective": [e for s in figs.schools if (e := effective(s, survey)) is not None],
        "positive": [s.confirmed for s in figs.schools if s.confirmed is not None],
        "graduates": [s.all_passed for s in figs.schools if s.all_passed is not None],
    }
    return {k: (sum(1 for v in vs if v), len(vs)) for k, vs in judged.items()}
