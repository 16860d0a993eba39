"""Project targets of the source documents against what the submissions show.

Every row says how it is computed and from which document the target comes; a
target the forms do not collect says so instead of showing another quantity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..campaign.goals import CAMPS, PUPILS, SUPPORTED, YEAR_END, Goal
from ..campaign.models import Campaign, Period
from ..consolidate.consolidation import Consolidation
from ..forms import sheets as F
from ..messages import render
from ..ru import MONTHS
from ..rules.context import norm_name
from ..store.sqlite import Store
from .base import Counted, history, share
from .results import (
    ResultsFigures,
    SchoolResult,
    Survey,
    graduate_assessments,
    results_of,
    target_counts,
)

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
    #: the document the target comes from, or «правило региона: …» («Цели проекта»)
    source: str = ""
    #: the goal's key on «Цели проекта»
    key: str = ""


@dataclass(frozen=True)
class Measured:
    """A measure of ``campaign.goals.MEASURES`` computed from the reports: a share
    (``part`` of ``whole``), a count, or not collected (``collected`` False)."""

    note: str
    base: str = ""
    part: int = 0
    whole: int = 0
    count: int | None = None
    collected: bool = True
    #: what «Факт» says when not collected (empty: «не собирается»)
    absent: str = ""


def shown(m: Measured) -> str:
    """A measure as «Факт» prints it: «47,4 % (27 из 57)», a count, or why there is none."""
    if not m.collected:
        return m.absent or NOT_COLLECTED
    if m.count is not None:
        return str(m.count)
    value = share(m.part, m.whole)
    if value is None:
        return render("target.no_data")
    return render("target.share", share=value, part=m.part, whole=m.whole)


def _judged(goal: Goal, m: Measured, period: Period, over: bool) -> Target:
    """A goal of the campaign against its measure: the figure, the verdict, the source."""
    name, wanted, source = goal.wording, goal.target_text(), goal.source_text()
    actual = shown(m)
    if not m.collected:
        return Target(name, wanted, actual, "—", m.note, m.base, None, source, goal.key)
    value = float(m.count) if m.count is not None else share(m.part, m.whole)
    met = goal.met(value) if value is not None else None
    status = "—" if met is None else render("target.yes" if met else "target.no")
    if goal.judged == YEAR_END and not over and value is not None:
        status = render("target.not_yet", year=period.roadmap_year)
    return Target(name, wanted, actual, status, m.note, m.base, value, source, goal.key)


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


def targets(
    store: Store, c: Campaign, cons: Consolidation, learning: ResultsFigures | None = None
) -> list[Target]:
    """Targets of the project documents, computed from the counted reports (figures.base)."""
    return targets_of(store, c, history(store, c, cons), learning)


#: The goals the student results decide (figures.results.target_counts).
LEARNING = ("effective", "positive", "graduates")


def learning_measures(
    store: Store,
    c: Campaign,
    now_counted: Counted,
    learning: ResultsFigures | None = None,
    values: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Measured]:
    """Effective mode, confirmed positive change and «все выпускники преодолели
    минимальный порог», judged by the campaign's «Правила результатов» over the results
    table of the period's year (and, when ``effective_survey`` is on, the survey
    condition of «Пороги» over the counted reports' ``values``). The regional workbook,
    the справка and the federal summary all print these."""
    figs = learning if learning is not None else results_of(store, c, now_counted)
    year = figs.year
    if not figs.rows:
        absent = render("target.results.absent", year=year)
        return {
            key: Measured(
                render(f"target.{key}.results", **_rule_params(c)), collected=False, absent=absent
            )
            for key in LEARNING
        }
    params = _rule_params(c)
    survey = survey_condition(store, c, now_counted, values)
    if survey is not None:
        rule = _rule_words(c.thresholds.effective_conditions())
        params["survey"] = render("target.effective.survey", rule=rule)
    counts = target_counts(figs, survey)
    integral = sum(1 for s in figs.schools if s.integral is not None)
    graduates = ", ".join(sorted(graduate_assessments(c)))
    bases = {
        "effective": render(
            "target.base.results", schools=counts["effective"][1], year=year, rows=figs.rows
        ),
        "positive": render(
            "target.base.results_compared",
            schools=counts["positive"][1],
            before=year - 1,
            year=year,
            now=integral,
        ),
        "graduates": render(
            "target.base.results_graduates",
            schools=counts["graduates"][1],
            year=year,
            assessments=graduates,
        ),
    }
    return {
        key: Measured(render(f"target.{key}.results", **params), bases[key], *counts[key])
        for key in LEARNING
    }


def survey_condition(
    store: Store,
    c: Campaign,
    now_counted: Counted,
    values: Mapping[str, Mapping[str, Any]] | None = None,
) -> Survey | None:
    """The survey condition of «Пороги» a school must meet too when the campaign's
    ``effective_survey`` is on (None: off); the school's values of the counted reports."""
    if not c.results.rules.effective_survey:
        return None
    rule = c.thresholds.effective_conditions()
    if values is None:
        values = _school_values(now_counted, store)
    by_school = {
        (key.split("\t", 1)[0], norm_name(str(rec.get("school") or ""))): rec
        for key, rec in values.items()
    }

    def condition(s: SchoolResult) -> bool | None:
        code = s.school.municipality
        rec = by_school.get((code, norm_name(s.school.short_name))) or by_school.get(
            (code, norm_name(s.school.name))
        )
        if rec is None or not all(isinstance(rec.get(k), int | float) for k, _ in rule):
            return None
        return all(rec[k] >= low for k, low in rule)

    return condition


def _rule_params(c: Campaign) -> dict[str, Any]:
    rules = c.results.rules
    return {
        "min": _n(rules.effective_min_integral),
        "fail": _n(rules.effective_max_fail),
        "z": _n(rules.confirm_z),
        "effective_source": rules.source("effective"),
        "positive_source": rules.source("positive"),
        "assessments": ", ".join(sorted(graduate_assessments(c))),
        "survey": "",
    }


def _n(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def targets_of(
    store: Store, c: Campaign, periods: list[Counted], learning: ResultsFigures | None = None
) -> list[Target]:
    """Targets of the last of ``periods``; ``learning``: the student results of its year
    when the caller has them already (computed once, printed by every output)."""
    now_counted = periods[-1]
    period = now_counted.period
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
    now = _school_values(now_counted, store)
    coordinators = sum(1 for m in c.municipalities if m.coordinator)
    passports = list(now_counted.records(store, F.PASSPORT.key))
    done, with_events = implemented_count(events)
    measured: dict[str, Measured] = {
        "coverage": Measured(
            render("target.coverage.note", directions=len(c.directions)),
            render("target.base.registry", schools=registry, reports=reports),
            len(with_roadmap),
            registry,
        ),
        "implemented": Measured(
            render("target.implemented.note", done=F.DONE),
            render("target.base.with_events", schools=with_events, reports=reports),
            done,
            with_events,
        ),
        **learning_measures(store, c, now_counted, learning, now),
        **_expertise(store, now_counted),
        "camps": _camps(c, now, reports),
        "support": _support(c, now, reports),
        "scale_schools": _count("scale_schools", registry),
        "scale_coordinators": _count("scale_coordinators", coordinators),
        "scale_mentors": _people(
            "scale_mentors",
            [s.mentor for s in c.schools],
            [rec.get("mentor_school") for _, rec in passports],
            reports,
        ),
        "scale_curators": _people(
            "scale_curators",
            [s.curator for s in c.schools],
            [rec.get("curator") for _, rec in passports],
            reports,
        ),
    }
    over = _roadmap_year_over(c, period)
    return [_judged(g, measured[g.measure], period, over) for g in c.goals]


def _expertise(store: Store, now: Counted) -> dict[str, Measured]:
    """Expertise of documents (the expert workbook read back by collect): roadmap rows of
    the counted reports naming a document, examined (a mark) and found conforming."""
    marks = store.expertise(now.period.code)
    if not marks:
        note = render("target.expertise.note", period=now.period.code)
        absent = render("target.expertise.not_done")
        return {
            "expertise": Measured(note, collected=False, absent=absent),
            "conforming": Measured(note, collected=False, absent=absent),
        }
    documents = [
        (s.hash, row)
        for _, s in sorted(now.submissions.items())
        for row, rec in store.numbered_records(s.hash, now.period.code, F.ROADMAP.key)
        if str(rec.get("evidence") or "").strip() and rec.get("school")
    ]
    examined = [marks[d]["mark"] for d in documents if d in marks]
    conforming = sum(1 for m in examined if m == render("target.expertise.conforms"))
    files = ", ".join(sorted({v["file"] for v in marks.values()}))
    return {
        "expertise": Measured(
            render("target.expertise.counted", files=files),
            render("target.base.documents", documents=len(documents), reports=now.reports),
            len(examined),
            len(documents),
        ),
        "conforming": Measured(
            render("target.conforming.counted", files=files),
            render("target.base.examined", documents=len(examined)),
            conforming,
            len(examined),
        ),
    }


def _number(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else None


def _camps(c: Campaign, now: Mapping[str, Mapping[str, Any]], reports: str) -> Measured:
    """Students in profile camps: Σ U02 / Σ U01 over schools with both (the optional
    indicators of seed 004, on when the campaign collects them)."""
    codes = {i.code for i in c.school_indicators}
    if not {PUPILS, CAMPS} <= codes:
        return Measured(render("target.camps.note"), collected=False)
    pupils = camps = schools = 0
    for rec in now.values():
        total, went = _number(rec.get(PUPILS)), _number(rec.get(CAMPS))
        if total is not None and went is not None:
            pupils += int(total)
            camps += int(went)
            schools += 1
    return Measured(
        render("target.camps.counted", camps=CAMPS, pupils=PUPILS),
        render("target.base.pupils", pupils=pupils, schools=schools, reports=reports),
        camps,
        pupils,
    )


def _support(c: Campaign, now: Mapping[str, Mapping[str, Any]], reports: str) -> Measured:
    """Schools with psychological support: U03 > 0, of the schools with U03 filled."""
    if SUPPORTED not in {i.code for i in c.school_indicators}:
        return Measured(render("target.support.note"), collected=False)
    values = [v for v in (_number(r.get(SUPPORTED)) for r in now.values()) if v is not None]
    return Measured(
        render("target.support.counted", supported=SUPPORTED),
        render("target.base.support", schools=len(values), code=SUPPORTED, reports=reports),
        sum(1 for v in values if v > 0),
        len(values),
    )


def _people(key: str, registry: list[str], passports: list[Any], reports: str) -> Measured:
    """Distinct mentors (curators) of the registry and of the counted reports' Паспорт ДК:
    one name once, however written (case, spaces, «ё»)."""

    def norm(name: Any) -> str:
        return " ".join(str(name or "").replace("ё", "е").replace("Ё", "Е").split()).casefold()

    named = {norm(n) for n in registry} - {""}
    written = {norm(n) for n in passports} - {""}
    total = len(named | written)
    base = render(
        f"target.{key}.base",
        registry=len(named),
        passports=len(written),
        reports=reports,
        total=total,
    )
    return Measured(render(f"target.{key}.note"), base, count=total)


def _count(key: str, actual: int) -> Measured:
    return Measured(render(f"target.{key}.note"), render(f"target.{key}.base"), count=actual)


def _rule_words(rule: list[tuple[str, float]]) -> str:
    """«S03 не ниже 70 и S09 не ниже 60»."""
    return render("target.rule_and").join(
        render("target.rule_part", code=code, low=low) for code, low in rule
    )
