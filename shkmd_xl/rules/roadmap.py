"""Дорожные карты: every event row, then every registry school's coverage."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise

from ..campaign.models import TARGET_GROUPS
from ..forms import sheets as F
from ..issues import Issue, Severity
from ..messages import fragment
from ..reader.book import Record
from .context import Context, closest, norm_name, rule
from .passport import registry_school

FIO = re.compile(r"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?:\s+[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?){1,2}$")
AGREED = F.ROADMAP.field("agreed")


@lru_cache(maxsize=4096)
def is_fio(text: str) -> bool:
    """«Фамилия Имя Отчество» (names repeat on every row of a school: matched once)."""
    return FIO.match(text) is not None


def _passport_periods(ctx: Context) -> dict[str, tuple]:
    out = {}
    for rec in ctx.book.rows(F.PASSPORT.key):
        school = ctx.school(rec.text("school"))
        start, end = rec.get("period_from"), rec.get("period_to")
        if school and start and end and start <= end:
            out[school.code] = (start, end)
    return out


def _event_row(ctx: Context, rec: Record, periods: dict[str, tuple]) -> Iterator[Issue]:
    """Findings of one event row beyond empty required cells (rules/required.py)."""
    texts, values = rec.texts, rec.values  # hot loop: plain dict look-ups
    school = ctx.school(texts["school"]) if texts.get("school") else None
    if texts.get("school") and school is None:
        yield from registry_school(ctx, rec)
    responsible = texts.get("responsible")
    if responsible and not is_fio(responsible):
        yield ctx.issue("RM08", rec, "responsible", variant="fio", severity=Severity.WARNING)
    if values.get("direction") == 5:
        yield from _direction5(ctx, rec)
    deadline = values.get("deadline")
    if school and deadline and school.code in periods:
        start, end = periods[school.code]
        if deadline[1] < start or deadline[0] > end:
            yield ctx.issue(
                "RM07", rec, "deadline", start=f"{start:%d.%m.%Y}", end=f"{end:%d.%m.%Y}"
            )


def _direction5(ctx: Context, rec: Record) -> Iterator[Issue]:
    """An event answered «Нет» for agreement; an event missing from its group's list."""
    group = rec.get("target_group")
    if rec.get("agreed") is False and AGREED.required and AGREED.required.holds(rec, ctx):
        yield ctx.issue("RM12", rec, "agreed")
    if group and not rec.blank("event"):
        names = [e.name for e in ctx.campaign.events_for(group)]
        if norm_name(rec.text("event")) not in {norm_name(n) for n in names}:
            guess = closest(rec.text("event"), names)
            yield ctx.issue(
                "RM04",
                rec,
                "event",
                group=group,
                suggestion=fragment("RM04.suggestion", guess=guess) if guess else "",
            )


@rule("RM04", "RM07", "RM08", "RM11", "RM12", "RM14")
def events(ctx: Context) -> Iterator[Issue]:
    periods = _passport_periods(ctx)
    seen: dict[tuple, int] = {}
    for rec in ctx.book.rows(F.ROADMAP.key):
        yield from _event_row(ctx, rec, periods)
        t = rec.texts
        key = (
            norm_name(t.get("school", "")),
            rec.values.get("direction"),
            norm_name(t.get("event", "")),
            norm_name(t.get("deadline", "")),
            norm_name(t.get("target_group", "")),
            norm_name(t.get("cut", "")),
        )
        if key in seen:
            yield ctx.issue("RM14", rec, "event", first=seen[key])
        else:
            seen[key] = rec.row


@rule("RM01", "RM02", "RM03", "RM05")
def coverage(ctx: Context) -> Iterator[Issue]:
    """Each registry school: all six directions, the three target groups, the three cuts."""
    if ctx.municipality is None or F.ROADMAP.key not in ctx.book.sheets:
        return
    by_school: dict[str, list[Record]] = defaultdict(list)
    for rec in ctx.book.rows(F.ROADMAP.key):
        school = ctx.school(rec.text("school"))
        if school:
            by_school[school.code].append(rec)
    sheet = F.ROADMAP.name
    passport: dict[str, Record] = {}
    for rec in ctx.book.rows(F.PASSPORT.key):
        found = ctx.school(rec.text("school"))
        if found:
            passport.setdefault(found.code, rec)
    cov = F.coverage(ctx.campaign)
    for school in ctx.schools:
        rows = by_school.get(school.code, [])
        name = school.short_name
        if not rows:  # anchored at the school's row of «Паспорт ДК» when it has one
            yield ctx.issue("RM01", passport.get(school.code), "school", school=name, value=name)
            continue
        # school-level findings point at the school's first roadmap row
        first = rows[0]
        directions = {r.values.get("direction") for r in rows}  # hot: plain dict look-ups
        for d in cov.numbers:
            if d not in directions:
                yield ctx.issue("RM02", first, "school", sheet=sheet, school=name, direction=d)
        groups = {
            r.values.get("target_group") for r in rows if r.values.get("direction") == cov.groups_in
        }
        for g in TARGET_GROUPS:
            if cov.groups_in in directions and g not in groups:
                yield ctx.issue("RM03", first, "school", sheet=sheet, school=name, group=g)
        cuts = {r.values.get("cut") for r in rows if r.values.get("direction") == cov.cuts_in}
        missing = [c for c in F.MONITORING_CUTS if c not in cuts]
        if cov.cuts_in in directions and missing:
            yield ctx.issue(
                "RM05", first, "school", sheet=sheet, school=name, cuts=", ".join(missing)
            )
        elif cov.cuts_in in directions:
            yield from _cuts_in_order(ctx, rows, name, cov.cuts_in)


_GENITIVE = {"начальный": "начального", "промежуточный": "промежуточного"}


def _cuts_in_order(ctx: Context, rows: list[Record], school: str, cuts_in: int) -> Iterator[Issue]:
    """The three cuts of direction 3 in time order: начальный < промежуточный < итоговый."""
    first_of: dict[str, tuple[Record, tuple]] = {}
    for rec in rows:
        get = rec.values.get
        cut, deadline = get("cut"), get("deadline")
        if (
            get("direction") == cuts_in
            and cut in F.MONITORING_CUTS
            and deadline
            and (cut not in first_of or deadline[0] < first_of[cut][1][0])
        ):
            first_of[cut] = (rec, deadline)
    ordered = [c for c in F.MONITORING_CUTS if c in first_of]
    for earlier, later in pairwise(ordered):
        rec, when = first_of[later]
        before = first_of[earlier][1]
        if when[1] < before[0]:  # wholly before it (a shared month or quarter is no proof)
            yield ctx.issue(
                "RM05",
                rec,
                "deadline",
                variant="order",
                school=school,
                later=later.capitalize(),
                earlier=_GENITIVE[earlier],
                when=rec.text("deadline"),
                before=first_of[earlier][0].text("deadline"),
            )


RULES = (events, coverage)
