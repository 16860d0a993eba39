"""Project targets of the seeds against the values the submissions show."""

from __future__ import annotations

from dataclasses import dataclass

from ..campaign.models import Campaign
from ..consolidate import Consolidation
from ..store import Store


@dataclass(frozen=True)
class Target:
    name: str
    target: str
    actual: str
    status: str
    note: str


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _row(name: str, goal: float, actual: float | None, note: str) -> Target:
    if actual is None:
        return Target(name, f"≥ {goal:g} %", "нет данных", "—", note)
    done = "да" if actual >= goal else "нет"
    return Target(name, f"≥ {goal:g} %", f"{actual:g} %", done, note)


def targets(store: Store, c: Campaign, cons: Consolidation) -> list[Target]:
    """Seed 000/002/004 targets, computed from the current submissions."""
    period = cons.period
    schools_total = len(c.schools)
    with_roadmap, all_graduates, graduate_schools, done, events = set(), 0, 0, 0, 0
    for code, s in cons.current.items():
        per_school: dict[str, set[int]] = {}
        for rec in store.records(s.hash, period.code, "roadmap"):
            if rec.get("school") and isinstance(rec.get("direction"), int):
                per_school.setdefault(rec["school"], set()).add(rec["direction"])
            events += 1
            done += rec.get("status") == "Выполнено"
        with_roadmap |= {(code, school) for school, d in per_school.items() if len(d) == 6}
        for rec in store.records(s.hash, period.code, "school_mon"):
            values = [rec.get(k) for k in ("S10", "S11", "S12", "S13")]
            nums = [v for v in values if isinstance(v, int | float)]
            if rec.get("stage") == "II" and nums:
                graduate_schools += 1
                all_graduates += all(v >= 100 for v in nums)
    accepted = sum(1 for st in cons.statuses if st.code in cons.current)
    checked = _pct(accepted, len(c.municipalities))
    return [
        _row(
            "ОО с дорожной картой по всем шести направлениям",
            100,
            _pct(len(with_roadmap), schools_total),
            "ОО реестра, у которых в принятом отчёте есть мероприятия направлений 1–6 (seed 000)",
        ),
        _row(
            "Мероприятия дорожных карт со статусом «Выполнено»",
            100,
            _pct(done, events),
            "ожидаемый результат методики: дорожные карты реализованы в 100 % школ (seed 000)",
        ),
        _row(
            "Отчёты муниципалитетов проверены",
            70,
            checked,
            "доля муниципалитетов, чьи отчёты получены и проверены (seed 004: ≥ 70 % экспертизы)",
        ),
        _row(
            "ОО, где все выпускники преодолели минимальный порог",
            100,
            _pct(all_graduates, graduate_schools),
            "S10–S13 = 100 % в отчёте за июнь (seed 004); вне июня — нет данных",
        ),
        Target(
            "ОО, перешедшие в эффективный режим работы",
            "≥ 75 %",
            "нет данных",
            "—",
            "форма не собирает признак эффективного режима (seed 002); оценивается отдельно",
        ),
        Target(
            "ОО с подтверждённой положительной динамикой",
            "≥ 60 %",
            "см. «Динамика»",
            "—",
            "сравнение S03 и S09 с прошлым периодом — на листе «Динамика» (seed 004)",
        ),
    ]
