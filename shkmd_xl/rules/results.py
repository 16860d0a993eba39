"""«Результаты обучения»: the assessment's subjects, grades and scale, plausible numbers,
duplicates, schools without results in a month that is due (rules RS02–RS07).

Values out of range for their kind (a share above 100, negative participants) are VAL01
of the reader; a school not in the registry is RM11; an empty required cell is RS01."""

from __future__ import annotations

from collections.abc import Iterator

from ..forms.results import RESULTS, results_due
from ..issues import Issue
from ..reader.book import Record
from .context import Context, rule
from .passport import registry_school


def _number(rec: Record, key: str) -> float | None:
    """The typed number, or the number a refused text still is («9.5» as a grade)."""
    value = rec.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(rec.text(key).replace(",", "."))
    except ValueError:
        return None


def _row(ctx: Context, rec: Record) -> Iterator[Issue]:
    """The rules of one row."""
    rules = ctx.campaign.results.rules
    a = ctx.campaign.results.assessment(rec.get("assessment") or "")
    if a is not None:
        subject = rec.get("subject")
        if subject and subject not in a.subjects:
            yield ctx.issue(
                "RS04",
                rec,
                "subject",
                variant="subject",
                assessment=a.code,
                allowed="; ".join(a.subjects),
            )
        grade = rec.get("grade")
        if grade is None and rec.text("grade"):
            grade = _number(rec, "grade")  # a refused number is still not of the assessment
        if grade is not None and grade not in a.grades:
            yield ctx.issue(
                "RS04",
                rec,
                "grade",
                variant="grade",
                assessment=a.code,
                allowed=", ".join(map(str, a.grades)),
            )
        mean = rec.get("mean")
        if mean is not None and not a.scale_min <= mean <= a.scale_max:
            yield ctx.issue(
                "RS03",
                rec,
                "mean",
                assessment=a.code,
                low=f"{a.scale_min:g}",
                high=f"{a.scale_max:g}",
                kind=a.mean_kind,
            )
    fail, high = rec.get("fail_share"), rec.get("high_share")
    if fail is not None and high is not None and fail + high > 100:
        yield ctx.issue("RS05", rec, "high_share", fail=f"{fail:g}", high=f"{high:g}")
    n = rec.get("participants")
    if n is not None and n > rules.max_participants:
        yield ctx.issue("RS07", rec, "participants", limit=rules.max_participants)


@rule("RS02", "RS03", "RS04", "RS05", "RS06", "RS07", "RM11")
def results(ctx: Context) -> Iterator[Issue]:
    if RESULTS.key not in ctx.book.sheets:
        return  # a report of an earlier template; results may come from the region's import
    seen: dict[tuple[str, str, str, int], int] = {}
    with_results: set[str] = set()
    for rec in ctx.book.rows(RESULTS.key):
        yield from registry_school(ctx, rec)
        yield from _row(ctx, rec)
        school = ctx.school(rec.text("school"))
        if school is None:
            continue
        with_results.add(school.code)
        key = (school.code, rec.text("assessment"), rec.text("subject"), rec.get("grade") or 0)
        if all(key[1:3]) and key[3]:
            if key in seen:
                yield ctx.issue("RS06", rec, "school", first=seen[key])
            else:
                seen[key] = rec.row
    if ctx.period is None or ctx.municipality is None:
        return
    if not results_due(ctx.campaign, ctx.period.slot):
        return
    for school in ctx.schools:
        if school.code not in with_results:
            yield ctx.issue(
                "RS02", sheet=RESULTS.name, school=school.short_name, month=ctx.period.slot.lower()
            )


RULES = (results,)
