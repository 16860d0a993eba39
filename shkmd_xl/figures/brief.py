"""The figures of the analytical brief, computed from the store — no layout, no prose.

:func:`brief_figures` reads the current submissions of a consolidation once and returns
plain data; ``brief.py`` lays it out in Word with the catalogue's wording («brief.*»).
The targets are the regional workbook's own (``targets.targets``), so both print the
same values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..campaign.goals import Recommendation
from ..campaign.models import Campaign, Period
from ..consolidate.consolidation import ACCEPTED, ACCEPTED_REMARKS, MISSING, TO_REDO, Consolidation
from ..forms import sheets as F
from ..issues import Severity
from ..statuses import STATUSES, Status
from ..store.sqlite import Store
from .base import Counted, history, percent_indicators, school_means, share
from .clusters import Clustering, School, cluster_schools, period_schools
from .results import ResultsFigures, results_of
from .targets import Target, targets_of


@dataclass(frozen=True)
class Direction:
    """Roadmap events of one direction in the current submissions."""

    number: int
    name: str
    events: int
    done: int

    @property
    def done_share(self) -> float | None:
        return share(self.done, self.events)


@dataclass(frozen=True)
class MouoAnswer:
    """A municipal indicator: how many municipalities answered, how many «Да»."""

    code: str
    wording: str
    answered: int
    yes: int

    @property
    def yes_share(self) -> float | None:
        return share(self.yes, self.answered)


@dataclass(frozen=True)
class SchoolMean:
    """A school indicator's regional mean now and in the earlier cut compared with."""

    code: str
    wording: str
    now: float | None
    before: float | None

    @property
    def change(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return round(self.now - self.before, 1)


@dataclass(frozen=True)
class Training:
    """Teachers in personalised training (the level is the campaign's)."""

    level: float
    teachers: int = 0
    entry: int = 0
    repeat: int = 0
    certified: int = 0
    #: at the level at the entry or the repeat diagnostic (the rows of «Педагоги 95–100%»)
    either: int = 0


@dataclass(frozen=True)
class Attention:
    """Why a municipality needs attention; ``kind`` picks the catalogue's wording
    («brief.attention.<kind>»), ``params`` fill it."""

    municipality: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Card:
    """A municipality on one page of the appendix: its report and its schools."""

    code: str
    name: str
    coordinator: str
    status: Status
    #: schools of the campaign's registry / with a row in the counted report
    registry: int
    reported: int
    #: % of required cells filled (None: no readable report)
    completeness: float | None
    events: int
    done: int
    #: the municipality's mean over its schools of each school indicator in %
    means: dict[str, float]

    @property
    def done_share(self) -> float | None:
        return share(self.done, self.events)


@dataclass(frozen=True)
class BriefFigures:
    period: Period
    #: the reports the figures count (and those returned for rework, shown apart)
    counted: Counted
    #: the earlier period the school means are compared with (None: no earlier data)
    before: Period | None
    statuses: dict[Status, int]
    municipalities: int
    late: int
    rejected: int
    directions: list[Direction]
    mouo: list[MouoAnswer]
    school: list[SchoolMean]
    training: Training
    targets: list[Target]
    attention: list[Attention]
    #: (municipality code, % of required cells filled) in the order of «Сводка»
    completeness: list[tuple[str, float | None]]
    #: the groups of schools, or why there are none (Russian)
    clustering: Clustering | str = ""
    #: schools with a zone of low quality (empty when there are too few to tell)
    zones: list[School] = field(default_factory=list)
    #: schools in the campaign's registry
    registry: int = 0
    #: one card per municipality, in the order of «Сводка»
    cards: list[Card] = field(default_factory=list)
    #: student results of the period's year (figures/results.py)
    learning: ResultsFigures | None = None

    @property
    def submitted(self) -> int:
        return self.municipalities - self.statuses.get(MISSING, 0)

    @property
    def reported(self) -> int:
        """Schools with a row in the counted reports."""
        return sum(card.reported for card in self.cards)

    @property
    def counted_municipalities(self) -> int:
        return len(self.counted.submissions)


def brief_figures(store: Store, c: Campaign, cons: Consolidation) -> BriefFigures:
    """Every figure of the справка for ``cons.period`` (counted reports: figures.base)."""
    periods = history(store, c, cons)
    now = periods[-1]
    before, school = _school_means(c, store, periods)
    clustering, zones = schools_clustered(store, c, cons)
    learning = results_of(store, c, now)  # once: the targets and the section print these
    return BriefFigures(
        period=cons.period,
        counted=now,
        before=before,
        statuses={s: sum(1 for st in cons.statuses if st.status == s) for s in STATUSES},
        municipalities=len(cons.statuses),
        late=cons.summary.get("late", 0),
        rejected=cons.summary.get("rejected", 0),
        directions=_directions(store, c, now),
        mouo=_mouo(store, c, now),
        school=school,
        training=training(store, c, now),
        targets=targets_of(store, c, periods, learning),
        attention=attention(store, c, cons, zones),
        completeness=[
            (
                st.code,
                st.submission.completeness if st.code in cons.current and st.submission else 0,
            )
            for st in cons.statuses
        ],
        clustering=clustering,
        zones=[s for s in zones if s.zones],
        registry=len(c.schools),
        cards=_cards(store, c, cons, now),
        learning=learning,
    )


def schools_clustered(
    store: Store, c: Campaign, cons: Consolidation
) -> tuple[Clustering | str, list[School]]:
    """The groups of the period's schools (or why there are none) and the schools with
    their zones of low quality (none when there are too few schools to tell)."""
    schools, indicators = period_schools(store, c, cons)
    wording = {i.code: i.wording for i in c.school_indicators}
    clustering = cluster_schools(schools, indicators, wording, c.thresholds.cluster_min_silhouette)
    if isinstance(clustering, str):
        return clustering, []
    return clustering, clustering.schools


def _cards(store: Store, c: Campaign, cons: Consolidation, now: Counted) -> list[Card]:
    codes = percent_indicators(c, now.period)
    schools: dict[str, list[dict[str, Any]]] = {}
    for code, rec in now.school_rows(store):
        schools.setdefault(code, []).append(rec)
    events: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for code, rec in now.records(store, F.ROADMAP.key):
        events[code] += 1
        done[code] += rec.get("status") == F.DONE
    out = []
    for st in cons.statuses:
        rows = schools.get(st.code, [])
        sub = st.submission if st.code in cons.current else None
        out.append(
            Card(
                st.code,
                st.name,
                c.municipality(st.code).coordinator,
                st.status,
                len(c.schools_of(st.code)),
                len({str(r["school"]) for r in rows}),
                sub.completeness if sub else None,
                events[st.code],
                done[st.code],
                school_means(rows, codes),
            )
        )
    return out


def _directions(store: Store, c: Campaign, now: Counted) -> list[Direction]:
    events: Counter[int] = Counter()
    done: Counter[int] = Counter()
    for _, rec in now.records(store, F.ROADMAP.key):
        direction = rec.get("direction")
        if isinstance(direction, int):
            events[direction] += 1
            done[direction] += rec.get("status") == F.DONE
    return [Direction(k, c.directions[k - 1], events[k], done[k]) for k in F.coverage(c).numbers]


def _mouo(store: Store, c: Campaign, now: Counted) -> list[MouoAnswer]:
    slot = now.period.slot
    yes: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for _, rec in now.records(store, F.MOUO_KEY):
        value, code = rec.get(F.value_key(slot)), str(rec.get("code") or "")
        if value is not None:
            answered[code] += 1
            yes[code] += value is True
    return [
        MouoAnswer(i.code, i.wording, answered[i.code], yes[i.code])
        for i in c.moupo_indicators
        if slot in i.slots
    ]


def _school_means(
    c: Campaign, store: Store, periods: list[Counted]
) -> tuple[Period | None, list[SchoolMean]]:
    """Regional means (over schools) of the period's school indicators in %, and of the
    latest earlier period with data (of the same stage if there is one)."""
    now = periods[-1]
    codes = percent_indicators(c, now.period)
    means = school_means((rec for _, rec in now.school_rows(store)), codes)
    earlier = [p for p in periods[:-1] if p.period.stage == now.period.stage] or periods[:-1]
    before: dict[str, float] = {}
    compared = None
    for p in reversed(earlier):
        before = school_means((rec for _, rec in p.school_rows(store)), codes)
        if before:
            compared = p.period
            break
    wording = {i.code: i.wording for i in c.school_indicators}
    return compared, [SchoolMean(k, wording[k], means.get(k), before.get(k)) for k in codes]


def sufficient(c: Campaign, store: Store, now: Counted) -> list[tuple[str, dict[str, Any]]]:
    """Teachers at the sufficient level (campaign: 95 %) at the entry or the repeat
    diagnostic, in counted reports — «Педагоги 95–100%» lists them, the справка counts
    them."""
    level = c.thresholds.sufficient_level
    return [
        (code, rec)
        for code, rec in now.records(store, F.TRAINING.key)
        if any(
            isinstance(rec.get(k), int | float) and rec[k] >= level
            for k in ("entry_diag", "repeat_diag")
        )
    ]


def training(store: Store, c: Campaign, now: Counted) -> Training:
    level = c.thresholds.sufficient_level
    teachers = entry = repeat = certified = 0
    for _, rec in now.records(store, F.TRAINING.key):
        teachers += 1
        entry += isinstance(rec.get("entry_diag"), int | float) and rec["entry_diag"] >= level
        repeat += isinstance(rec.get("repeat_diag"), int | float) and rec["repeat_diag"] >= level
        certified += bool(rec.get("certificate"))
    return Training(level, teachers, entry, repeat, certified, len(sufficient(c, store, now)))


def recommended(c: Campaign) -> dict[str, list[Recommendation]]:
    """Weak indicator (or zone key) -> the campaign's recommendations («Рекомендации»)."""
    out: dict[str, list[Recommendation]] = {}
    for r in c.recommendations:
        out.setdefault(r.weak, []).append(r)
    return out


def attention(
    store: Store, c: Campaign, cons: Consolidation, zones: list[School] | None = None
) -> list[Attention]:
    """The items of the municipalities needing attention, made from their data: status
    and errors, and — one item per indicator — the schools in its zone of low quality
    (see «Кластеры ОО»), named."""
    if zones is None:
        zones = schools_clustered(store, c, cons)[1]
    wording = {i.code: i.wording for i in c.school_indicators}
    events_of = recommended(c)
    group_of = {e.name: e.target_group for e in c.catalogue}
    out = []
    for st in cons.statuses:
        if st.status == MISSING:
            out.append(Attention(st.name, "missing"))
            continue
        if st.status == TO_REDO and st.code not in cons.current:  # only a rejected file
            out.append(Attention(st.name, "unreadable"))
            continue
        if st.status == TO_REDO:
            errors = [f for f in cons.findings_of(st.name) if f["severity"] == Severity.ERROR.ru]
            top = [code for code, _ in Counter(f["code"] for f in errors).most_common(3)]
            out.append(Attention(st.name, "to_redo", {"errors": len(errors), "codes": top}))
        if st.status not in (ACCEPTED, ACCEPTED_REMARKS) or st.code not in cons.current:
            continue
        weak: dict[str, list[str]] = {}
        for s in zones:
            if s.municipality == st.name:
                for code in s.zones:
                    weak.setdefault(code, []).append(s.name)
        for code, schools in sorted(weak.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            recs = events_of.get(code, [])
            group = group_of.get(recs[0].event) if recs else None
            kind = "zone" if group else "zone_no_group"
            params = {
                "code": code,
                "wording": wording.get(code, code),
                "schools": schools,
                "group": group,
                "events": [r.event for r in recs],
                "sources": sorted({r.source_text() for r in recs}),
            }
            out.append(Attention(st.name, kind, params))
    return out
