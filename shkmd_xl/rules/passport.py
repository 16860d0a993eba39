"""Паспорт ДК: registry schools, the roadmap period within one academic year.

Required fields of every sheet: rules/required.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..forms import sheets as F
from ..issues import Issue
from ..messages import fragment
from ..reader.book import Record
from .context import Context, closest, rule


def academic_year_end(start: dt.date) -> dt.date:
    year = start.year if start.month >= 9 else start.year - 1
    return dt.date(year + 1, 8, 31)


def registry_school(ctx: Context, rec: Record, key: str = "school") -> Iterator[Issue]:
    """RM11 when a record names a school that is not in the registry."""
    name = rec.text(key)
    if name and ctx.school(name) is None:
        guess = closest(name, [s.short_name for s in ctx.schools])
        yield ctx.issue(
            "RM11", rec, key, suggestion=fragment("RM11.suggestion", guess=guess) if guess else ""
        )


@rule("RM06", "RM11")
def passport(ctx: Context) -> Iterator[Issue]:
    for rec in ctx.book.rows(F.PASSPORT.key):
        school = rec.text("school")
        yield from registry_school(ctx, rec)
        start, end = rec.get("period_from"), rec.get("period_to")
        if start is None or end is None:
            continue
        shown: dict[str, Any] = {
            "start": f"{start:%d.%m.%Y}",
            "end": f"{end:%d.%m.%Y}",
            "school": school,
        }
        if end < start:
            yield ctx.issue("RM06", rec, "period_to", variant="order", **shown)
        elif end > academic_year_end(start):
            yield ctx.issue("RM06", rec, "period_to", **shown)


RULES = (passport,)
