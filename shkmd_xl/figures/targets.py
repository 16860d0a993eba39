"""Project targets of the source documents against what the submissions show.

Every row says how it is computed and from which document the target comes; a
target the forms do not collect says so instead of showing another quantity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..campaign.models import METHOD, MODEL_500, ROADMAP_ASOU, Campaign, Period, Thresholds
from ..consolidate import Consolidation
from ..forms import sheets as F
from ..messages import render
from ..store import Store
from .schools import stage_records

NOT_COLLECTED = "не собирается"


NOT_COLLECTED = render("target.not_collected")


@dataclass(frozen=True)
class Target:
    name: str
    target: str
    actual: str
    status: str
    note: str


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _at_least(goal: float) -> str:
    return render("target.all") if goal >= 100 else render("target.at_least", goal=goal)


def _row(key: str, goal: float, actual: float | None, **note: Any) -> Target:
    name, text = render(f"target.{key}.name"), render(f"target.{key}.note", **note)
    if actual is None:
        return Target(name, _at_least(goal), render("target.no_data"), "—", text)
    done = render("target.yes" if actual >= goal else "target.no")
    return Target(name, _at_least(goal), f"{actual:g} %".replace(".", ","), done, text)


def _out_of_scope(key: str, goal: str) -> Target:
    note = render(f"target.{key}.note", roadmap=ROADMAP_ASOU)
    return Target(render(f"target.{key}.name"), goal, NOT_COLLECTED, "—", note)


def _scale(key: str, goal: str, actual: int) -> Target:
    note = render(f"target.{key}.note", roadmap=ROADMAP_ASOU)
    return Target(render(f"target.{key}.name"), goal, str(actual), "—", note)


def implemented_share(events: Mapping[str, list[str | None]]) -> float | None:
    """% of schools whose every roadmap event is «Выполнено» (schools, not events)."""
    with_events = [statuses for statuses in events.values() if statuses]
    done = sum(1 for statuses in with_events if all(s == F.DONE for s in statuses))
    return _pct(done, len(with_events))


def effective_share(
    values: Mapping[str, Mapping[str, Any]], rule: list[tuple[str, float]]
) -> float | None:
    """% of schools (with every value the rule needs) meeting all its conditions."""
    if not rule:
        return None
    judged = [
        v for v in values.values() if all(isinstance(v.get(code), int | float) for code, _ in rule)
    ]
    meets = sum(1 for v in judged if all(v[code] >= low for code, low in rule))
    return _pct(meets, len(judged))


def positive_share(
    now: Mapping[str, Mapping[str, Any]],
    before: Mapping[str, Mapping[str, Any]],
    indicators: list[str],
    min_pp: float,
) -> float | None:
    """% of schools whose listed indicators rose on average by more than ``min_pp``
    since the previous cut (schools with values in both cuts)."""
    shares = 0
    judged = 0
    for school, values in now.items():
        old = before.get(school, {})
        deltas = [
            values[k] - old[k]
            for k in indicators
            if isinstance(values.get(k), int | float) and isinstance(old.get(k), int | float)
        ]
        if not deltas:
            continue
        judged += 1
        shares += sum(deltas) / len(deltas) > min_pp
    return _pct(shares, judged)


def _school_values(store: Store, subs: Iterable[Any], period: Period) -> dict[str, dict[str, Any]]:
    """(municipality, school) -> indicator values of the period's own stage."""
    return {
        f"{s.municipality}\t{rec['school']}": rec
        for s, rec in stage_records(store, subs, period)
        if rec.get("school")
    }


def _previous_values(
    store: Store, c: Campaign, period: Period, indicators: set[str]
) -> dict[str, dict[str, Any]]:
    """Values of the latest earlier period that collected these indicators."""
    earlier = c.periods[: c.periods.index(period)]
    for p in reversed(earlier):
        if not any(p.stage in i.stages for i in c.school_indicators if i.code in indicators):
            continue
        subs = [s for s in store.submissions(p.code) if s.outcome == "accepted"]
        if subs:
            return _school_values(store, subs, p)
    return {}


def targets(store: Store, c: Campaign, cons: Consolidation) -> list[Target]:
    """Targets of the project documents, computed from the current submissions."""
    period = cons.period
    t: Thresholds = c.thresholds
    schools_total = len(c.schools)
    with_roadmap: set[tuple[str, str]] = set()
    events: dict[str, list[str | None]] = {}
    all_graduates = graduate_schools = 0
    for code, s in cons.current.items():
        per_school: dict[str, set[int]] = {}
        for rec in store.records(s.hash, period.code, F.ROADMAP.key):
            school = rec.get("school")
            if not school:
                continue
            if isinstance(rec.get("direction"), int):
                per_school.setdefault(school, set()).add(rec["direction"])
            events.setdefault(f"{code}\t{school}", []).append(rec.get("status"))
        with_roadmap |= {
            (code, school) for school, d in per_school.items() if len(d) == len(c.directions)
        }
        for rec in store.records(s.hash, period.code, F.SCHOOL_MON_KEY):
            values = [rec.get(k) for k in t.graduates()]
            nums = [v for v in values if isinstance(v, int | float)]
            if rec.get("stage") == "II" and nums:
                graduate_schools += 1
                all_graduates += all(v >= 100 for v in nums)
    now = _school_values(store, cons.current.values(), period)
    indicators = t.positive_indicators()
    before = _previous_values(store, c, period, set(indicators))
    coordinators = sum(1 for m in c.municipalities if m.coordinator)
    return [
        _row(
            "coverage",
            t.goal_roadmap_coverage,
            _pct(len(with_roadmap), schools_total),
            directions=len(c.directions),
            method=METHOD,
        ),
        _row(
            "implemented",
            t.goal_roadmap_implemented,
            implemented_share(events),
            done=F.DONE,
            method=METHOD,
        ),
        _row(
            "effective",
            t.goal_effective_mode,
            effective_share(now, t.effective_conditions()),
            rule=t.effective_mode_rule,
            model=MODEL_500,
        ),
        _row(
            "positive",
            t.goal_positive_change,
            positive_share(now, before, indicators, t.positive_change_pp),
            indicators=", ".join(indicators),
            pp=t.positive_change_pp,
            roadmap=ROADMAP_ASOU,
        ),
        _row(
            "graduates",
            t.goal_graduates,
            _pct(all_graduates, graduate_schools),
            indicators=", ".join(t.graduates()),
            roadmap=ROADMAP_ASOU,
        ),
        _out_of_scope("expertise", _at_least(t.goal_documents_expertise)),
        _out_of_scope("camps", _at_least(t.goal_profile_camps)),
        _out_of_scope("support", _at_least(t.goal_psychological_support)),
        _scale("scale_schools", t.goal_scale_schools, schools_total),
        _scale("scale_coordinators", t.goal_scale_coordinators, coordinators),
        _out_of_scope("scale_mentors", t.goal_scale_mentors),
    ]
