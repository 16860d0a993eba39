"""Project targets of the source documents against what the submissions show.

Every row says how it is computed and from which document the target comes; a
target the forms do not collect says so instead of showing another quantity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..campaign.models import METHOD, MODEL_500, ROADMAP_ASOU, Campaign, Period, Thresholds
from ..consolidate.consolidation import Consolidation
from ..forms import sheets as F
from ..messages import render
from ..ru import MONTHS, mid_sentence
from ..store.sqlite import Store
from .base import Counted, history, share

NOT_COLLECTED = render("target.not_collected")


@dataclass(frozen=True)
class Target:
    """A goal of the project documents against the counted reports."""

    name: str
    target: str
    #: the figure as printed («47,4 % (27 из 57)»), or why there is none
    actual: str
    #: «да» / «нет» / «срок не наступил…» / «—»
    status: str
    #: how it is computed and which document sets the goal
    note: str
    #: the base in words («из 57 ОО, у которых заполнены S03, S09, по 12 принятым отчётам»)
    base: str
    #: the figure as a number (None: not collected or no data)
    value: float | None = None


def _at_least(goal: float) -> str:
    return render("target.all") if goal >= 100 else render("target.at_least", goal=goal)


def _row(key: str, goal: float, part: int, whole: int, base: str, **note: Any) -> Target:
    """A share of schools against its goal, with its base in words."""
    name, text = render(f"target.{key}.name"), render(f"target.{key}.note", **note)
    actual = share(part, whole)
    if actual is None:
        return Target(name, _at_least(goal), render("target.no_data"), "—", text, base)
    done = render("target.yes" if actual >= goal else "target.no")
    shown = render("target.share", share=actual, part=part, whole=whole)
    return Target(name, _at_least(goal), shown, done, text, base, actual)


def _not_yet(row: Target, year: str) -> Target:
    """Before the roadmap year ends, no verdict: the share so far is progress."""
    return Target(
        row.name,
        row.target,
        row.actual,
        render("target.not_yet", year=year),
        row.note,
        row.base,
        row.value,
    )


def _out_of_scope(key: str, goal: str) -> Target:
    note = render(f"target.{key}.note", roadmap=ROADMAP_ASOU)
    return Target(render(f"target.{key}.name"), goal, NOT_COLLECTED, "—", note, "")


def _scale(key: str, goal: str, actual: int) -> Target:
    note = render(f"target.{key}.note", roadmap=ROADMAP_ASOU)
    base = render(f"target.{key}.base")
    return Target(render(f"target.{key}.name"), goal, str(actual), "—", note, base, actual)


def implemented_share(events: Mapping[str, list[str | None]]) -> float | None:
    """% of schools whose every roadmap event is «Выполнено» (schools, not events)."""
    return share(*implemented_count(events))


def effective_share(
    values: Mapping[str, Mapping[str, Any]], rule: list[tuple[str, float]]
) -> float | None:
    """% of schools (with every value the rule needs) meeting all its conditions."""
    return share(*effective_count(values, rule)) if rule else None


def positive_share(
    now: Mapping[str, Mapping[str, Any]],
    before: Mapping[str, Mapping[str, Any]],
    indicators: list[str],
    min_pp: float,
) -> float | None:
    """% of schools whose listed indicators rose on average by more than ``min_pp``
    since the previous cut (schools with values in both cuts)."""
    return share(*positive_count(now, before, indicators, min_pp))


def implemented_count(events: Mapping[str, list[str | None]]) -> tuple[int, int]:
    """(schools whose every event is «Выполнено», schools with events)."""
    with_events = [statuses for statuses in events.values() if statuses]
    done = sum(1 for statuses in with_events if all(s == F.DONE for s in statuses))
    return done, len(with_events)


def effective_count(
    values: Mapping[str, Mapping[str, Any]], rule: list[tuple[str, float]]
) -> tuple[int, int]:
    """(schools meeting every condition, schools with every value the rule needs)."""
    judged = [
        v for v in values.values() if all(isinstance(v.get(code), int | float) for code, _ in rule)
    ]
    return sum(1 for v in judged if all(v[code] >= low for code, low in rule)), len(judged)


def positive_count(
    now: Mapping[str, Mapping[str, Any]],
    before: Mapping[str, Mapping[str, Any]],
    indicators: list[str],
    min_pp: float,
) -> tuple[int, int]:
    """(schools whose indicators rose on average by more than ``min_pp``, schools with
    values in both cuts)."""
    rose = judged = 0
    for school, values in now.items():
        old = before.get(school, {})
        deltas = [
            values[k] - old[k]
            for k in indicators
            if isinstance(values.get(k), int | float) and isinstance(old.get(k), int | float)
        ]
        if deltas:
            judged += 1
            rose += sum(deltas) / len(deltas) > min_pp
    return rose, judged


def _school_values(counted: Counted, store: Store) -> dict[str, dict[str, Any]]:
    """«municipality\tschool» -> indicator values of the period's own stage (counted)."""
    return {f"{code}\t{rec['school']}": rec for code, rec in counted.school_rows(store)}


def _roadmap_year_over(c: Campaign, period: Period) -> bool:
    """The period is in the last monitoring month of the academic year (September to
    August): only then is «дорожная карта реализована» judged; before, the share is
    progress («срок не наступил»)."""
    academic = [(MONTHS.index(m.lower()) + 4) % 12 for m in c.month_names if m.lower() in MONTHS]
    month = int(period.code[5:7])
    return bool(academic) and (month + 3) % 12 == max(academic)


def targets(store: Store, c: Campaign, cons: Consolidation) -> list[Target]:
    """Targets of the project documents, computed from the counted reports (figures.base)."""
    return targets_of(store, c, history(store, c, cons))


def targets_of(store: Store, c: Campaign, periods: list[Counted]) -> list[Target]:
    """Targets of the last of ``periods`` (earlier ones: the cut compared with)."""
    now_counted = periods[-1]
    period = now_counted.period
    t: Thresholds = c.thresholds
    reports = now_counted.reports
    registry = len(c.schools)
    with_roadmap: set[tuple[str, str]] = set()
    events: dict[str, list[str | None]] = {}
    per_school: dict[tuple[str, str], set[int]] = {}
    for code, rec in now_counted.records(store, F.ROADMAP.key):
        school = rec.get("school")
        if not school:
            continue
        if isinstance(rec.get("direction"), int):
            per_school.setdefault((code, school), set()).add(rec["direction"])
        events.setdefault(f"{code}\t{school}", []).append(rec.get("status"))
    with_roadmap = {k for k, d in per_school.items() if len(d) == len(c.directions)}
    graduates = t.graduates()
    all_graduates = graduate_schools = 0
    for _, rec in now_counted.records(store, F.SCHOOL_MON_KEY):
        nums = [v for v in (rec.get(k) for k in graduates) if isinstance(v, int | float)]
        if rec.get("stage") == "II" and nums:
            graduate_schools += 1
            all_graduates += all(v >= 100 for v in nums)
    now = _school_values(now_counted, store)
    indicators = t.positive_indicators()
    earlier = next(
        (
            p
            for p in reversed(periods[:-1])
            if p.submissions
            and any(p.period.stage in i.stages for i in c.school_indicators if i.code in indicators)
        ),
        None,
    )
    before = _school_values(earlier, store) if earlier else {}
    rule = t.effective_conditions()
    coordinators = sum(1 for m in c.municipalities if m.coordinator)
    mentors = len({s.curator for s in c.schools if s.curator})
    done, with_events = implemented_count(events)
    meets, judged = effective_count(now, rule)
    rose, compared = positive_count(now, before, indicators, t.positive_change_pp)
    implemented = _row(
        "implemented",
        t.goal_roadmap_implemented,
        done,
        with_events,
        render("target.base.with_events", schools=with_events, reports=reports),
        done=F.DONE,
        method=METHOD,
    )
    if not _roadmap_year_over(c, period):
        implemented = _not_yet(implemented, period.roadmap_year)
    return [
        _row(
            "coverage",
            t.goal_roadmap_coverage,
            len(with_roadmap),
            registry,
            render("target.base.registry", schools=registry, reports=reports),
            directions=len(c.directions),
            method=METHOD,
        ),
        implemented,
        _row(
            "effective",
            t.goal_effective_mode,
            meets,
            judged,
            render(
                "target.base.with_values",
                schools=judged,
                codes=", ".join(code for code, _ in rule),
                reports=reports,
            ),
            rule=_rule_words(rule),
            model=MODEL_500,
        ),
        _row(
            "positive",
            t.goal_positive_change,
            rose,
            compared,
            render(
                "target.base.compared",
                schools=compared,
                before=mid_sentence(earlier.period.name) if earlier else "—",
                now=mid_sentence(period.name),
            ),
            indicators=", ".join(indicators),
            pp=t.positive_change_pp,
            roadmap=ROADMAP_ASOU,
        ),
        _row(
            "graduates",
            t.goal_graduates,
            all_graduates,
            graduate_schools,
            render("target.base.stage_two", schools=graduate_schools, reports=reports),
            indicators=", ".join(graduates),
            roadmap=ROADMAP_ASOU,
        ),
        _out_of_scope("expertise", _at_least(t.goal_documents_expertise)),
        _out_of_scope("camps", _at_least(t.goal_profile_camps)),
        _out_of_scope("support", _at_least(t.goal_psychological_support)),
        _scale("scale_schools", t.goal_scale_schools, registry),
        _scale("scale_coordinators", t.goal_scale_coordinators, coordinators),
        _scale("scale_mentors", t.goal_scale_mentors, mentors),
    ]


def _rule_words(rule: list[tuple[str, float]]) -> str:
    """«S03 не ниже 70 и S09 не ниже 60»."""
    return render("target.rule_and").join(
        render("target.rule_part", code=code, low=low) for code, low in rule
    )
