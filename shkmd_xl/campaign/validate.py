"""Consistency checks of a campaign, with Russian messages naming sheet and row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..messages import render
from .models import TARGET_GROUPS, Campaign

# Sheet names of the campaign workbook (shared with its writer and reader).
SHEET_MUNICIPALITIES = "Муниципалитеты"
SHEET_SCHOOLS = "ОО"
SHEET_CATALOGUE = "Каталог мероприятий"
SHEET_INDICATORS = "Показатели"
SHEET_PERIODS = "Периоды"
SHEET_THRESHOLDS = "Пороги"
SHEET_GENERAL = "Кампания"
SHEET_MONTHS = "Месяцы мониторинга"
SHEET_GOALS = "Цели проекта"
SHEET_RECOMMENDATIONS = "Рекомендации"
SHEET_ASSESSMENTS = "Оценочные процедуры"
SHEET_RESULTS_RULES = "Правила результатов"


class CampaignError(ValueError):
    """The campaign data is refused; ``problems`` are Russian messages."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


RowMap = Mapping[str, list[int]]


def _row(rows: RowMap | None, sheet: str, index: int) -> int:
    if rows and sheet in rows and index < len(rows[sheet]):
        return rows[sheet][index]
    return index + 2  # header on row 1


def _duplicates(sheet: str, codes: Iterable[str], rows: RowMap | None) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, code in enumerate(codes):
        row = _row(rows, sheet, i)
        if code in seen:
            out.append(
                render(
                    "campaign.duplicate_code", sheet=sheet, row=row, code=code, first_row=seen[code]
                )
            )
        else:
            seen[code] = row
    return out


def problems(c: Campaign, rows: RowMap | None = None) -> list[str]:
    """Every inconsistency of ``c``; ``rows`` maps sheet -> workbook row of each item."""
    out: list[str] = []
    out += _duplicates(SHEET_MUNICIPALITIES, (m.code for m in c.municipalities), rows)
    out += _duplicates(SHEET_SCHOOLS, (s.code for s in c.schools), rows)
    out += _duplicates(SHEET_INDICATORS, (i.code for i in c.indicators), rows)
    out += _duplicates(SHEET_PERIODS, (p.code for p in c.periods), rows)
    out += _duplicates(SHEET_CATALOGUE, (e.name for e in c.catalogue), rows)
    out += _duplicates(SHEET_MONTHS, (m.name for m in c.months), rows)
    out += _duplicates(SHEET_GOALS, (g.key for g in c.goals), rows)
    events = {e.name for e in c.catalogue}
    for i, r in enumerate(c.recommendations):
        if r.event not in events:
            out.append(
                render(
                    "campaign.unknown_event",
                    sheet=SHEET_RECOMMENDATIONS,
                    row=_row(rows, SHEET_RECOMMENDATIONS, i),
                    value=r.event,
                    catalogue=SHEET_CATALOGUE,
                )
            )
    months = c.month_names
    allowed = ", ".join(months)
    named = [(SHEET_PERIODS, i, [p.slot]) for i, p in enumerate(c.periods)]
    named += [(SHEET_INDICATORS, i, ind.slots) for i, ind in enumerate(c.indicators)]
    named.append((SHEET_RESULTS_RULES, 0, c.results.rules.months))
    for sheet, i, slots in named:
        for slot in slots:
            if slot not in months:
                out.append(
                    render(
                        "campaign.unknown_month",
                        sheet=sheet,
                        row=_row(rows, sheet, i) if sheet != SHEET_RESULTS_RULES else "—",
                        value=slot,
                        allowed=allowed,
                    )
                )
    known = {m.code for m in c.municipalities}
    for i, s in enumerate(c.schools):
        if s.municipality not in known:
            out.append(
                render(
                    "campaign.unknown_municipality",
                    sheet=SHEET_SCHOOLS,
                    row=_row(rows, SHEET_SCHOOLS, i),
                    school=s.short_name,
                    code=s.municipality,
                )
            )
    groups: list[tuple[str, int, str | None]] = [
        (SHEET_CATALOGUE, i, e.target_group) for i, e in enumerate(c.catalogue)
    ]
    groups += [(SHEET_INDICATORS, i, ind.target_group) for i, ind in enumerate(c.indicators)]
    for sheet, i, group in groups:
        if group is not None and group not in TARGET_GROUPS:
            out.append(
                render(
                    "campaign.unknown_target_group",
                    sheet=sheet,
                    row=_row(rows, sheet, i),
                    value=group,
                    allowed="; ".join(TARGET_GROUPS),
                )
            )
    percent = [i.code for i in c.school_indicators if i.value_type == "%"]
    for key, codes in c.thresholds.named_indicators().items():
        for code in codes:
            if code not in percent:
                out.append(
                    render(
                        "campaign.unknown_indicator",
                        sheet=SHEET_THRESHOLDS,
                        parameter=key,
                        code=code,
                        allowed=", ".join(percent),
                    )
                )
    for i, ind in enumerate(c.indicators):
        if not ind.slots:
            out.append(
                render(
                    "campaign.no_period",
                    sheet=SHEET_INDICATORS,
                    row=_row(rows, SHEET_INDICATORS, i),
                    code=ind.code,
                    months=allowed,
                )
            )
    return out


def check(c: Campaign, rows: RowMap | None = None) -> Campaign:
    """Return ``c`` unchanged or raise :class:`CampaignError`."""
    found = problems(c, rows)
    if found:
        raise CampaignError(found)
    return c
