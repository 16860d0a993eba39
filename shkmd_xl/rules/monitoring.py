"""Мониторинг МОУО and Мониторинг ОО for the reporting period."""

from __future__ import annotations

from collections.abc import Iterator

from ..forms import sheets as F
from ..issues import Issue
from ..reader.book import Record
from .context import Context, rule
from .passport import registry_school


def _is_link(text: str) -> bool:
    t = text.strip().lower()
    return t.startswith(("http://", "https://")) and len(t) > len("https://x.")


@rule("MN01", "MN02", "MN03")
def mouo(ctx: Context) -> Iterator[Issue]:
    if F.MOUO_KEY not in ctx.book.sheets:
        return
    rows = {rec.text("code"): rec for rec in ctx.book.rows(F.MOUO_KEY)}
    slot = ctx.period.slot if ctx.period else None
    for ind in ctx.campaign.moupo_indicators:
        rec = rows.get(ind.code)
        if rec is None:
            if slot in ind.slots:
                yield ctx.issue("MN01", sheet=F.MOUO_NAME, code=ind.code, slot=slot)
            continue
        for s in ctx.campaign.month_names:
            value_key, link_key = F.value_key(s), F.link_key(s)
            if s not in ind.slots:
                for key in (value_key, link_key):
                    if key in rec.cells and not rec.blank(key):
                        yield ctx.issue("MN03", rec, key, code=ind.code, slot=s)
                continue
            if s != slot:
                continue
            if rec.blank(value_key):
                yield ctx.issue("MN01", rec, value_key, code=ind.code, slot=s)
            elif rec.get(value_key) is True and not _is_link(rec.text(link_key)):
                yield ctx.issue("MN02", rec, link_key, code=ind.code)


@rule("MN04", "RM11")
def schools(ctx: Context) -> Iterator[Issue]:
    key = F.SCHOOL_MON_KEY
    if key not in ctx.book.sheets:
        return
    rows: dict[tuple[str, str], Record] = {}
    for rec in ctx.book.rows(key):
        yield from registry_school(ctx, rec)
        school = ctx.school(rec.text("school"))
        if school and rec.get("stage"):
            rows[(school.code, rec.get("stage"))] = rec
    if ctx.period is None or ctx.municipality is None:
        return
    stage = ctx.period.stage
    sheet = F.SCHOOL_MON_NAME
    due = [ind for ind in ctx.campaign.school_indicators if stage in ind.stages]
    for school in ctx.schools:
        found = rows.get((school.code, stage))
        for ind in due:
            if found is None:  # at the school's row of another stage, if there is one
                other = next((r for (code, _), r in rows.items() if code == school.code), None)
                yield ctx.issue(
                    "MN04",
                    other,
                    "school",
                    sheet=sheet,
                    school=school.short_name,
                    code=ind.code,
                    stage=stage,
                )
            elif ind.code in found.cells and found.blank(ind.code):
                yield ctx.issue(
                    "MN04", found, ind.code, school=school.short_name, code=ind.code, stage=stage
                )


RULES = (mouo, schools)
