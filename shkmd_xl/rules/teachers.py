"""Повышение квалификации: the teacher's assignment and course report (seed 003)."""

from __future__ import annotations

from collections.abc import Iterator

from ..forms import sheets as F
from ..issues import Issue, Severity
from ..messages import fragment
from ..reader.book import Record
from .context import Context, norm_name, rule
from .passport import registry_school

OPEN_LESSON = "фрагмент открытого занятия"
COMPETENCE_KEYS = tuple(k for k, _ in F.COMPETENCES)


def _diagnostics(ctx: Context, rec: Record, teacher: str) -> Iterator[Issue]:
    t = ctx.campaign.thresholds
    get = rec.values.get  # hot: plain dict look-ups
    entry, repeat = get("entry_diag"), get("repeat_diag")
    attestation = get("attestation")
    if (
        entry is not None
        and entry < t.diagnostic_pass_mark
        and repeat is None
        and F.COURSE_ENDED.holds(rec, ctx)  # the same «course ended» as the required fields
    ):
        yield ctx.issue(
            "TR04",
            rec,
            "repeat_diag",
            value=entry,
            teacher=teacher,
            mark=_num(t.diagnostic_pass_mark),
        )
    if not rec.blank("certificate"):
        passed = any(v is not None and v >= t.diagnostic_pass_mark for v in (entry, repeat))
        if not passed:
            reason = fragment("TR05.no_pass")
            yield ctx.issue("TR05", rec, "certificate", teacher=teacher, reason=reason)
        elif attestation is None:
            reason = fragment("TR05.no_attestation")
            yield ctx.issue("TR05", rec, "certificate", teacher=teacher, reason=reason)
    if get("recommendation") is True:
        reasons = []
        if entry is None or entry < t.sufficient_level:
            reasons.append(
                fragment("TR06.entry", value=_num(entry))
                if entry is not None
                else fragment("TR06.entry_missing")
            )
        if attestation != OPEN_LESSON:
            reasons.append(
                fragment("TR06.attestation", form=attestation)
                if attestation
                else fragment("TR06.attestation_missing")
            )
        if reasons:
            yield ctx.issue(
                "TR06",
                rec,
                "recommendation",
                teacher=teacher,
                level=_num(t.sufficient_level),
                reason=", ".join(reasons),
            )


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def _plausibility(ctx: Context, rec: Record) -> Iterator[Issue]:
    t = ctx.campaign.thresholds
    get = rec.values.get  # hot: plain dict look-ups
    age, years = get("age"), get("years")
    if age is not None and not t.teacher_min_age <= age <= t.teacher_max_age:
        yield ctx.issue(
            "TR07", rec, "age", variant="age", min=t.teacher_min_age, max=t.teacher_max_age
        )
    elif age is not None and years is not None and years > age - 16:
        yield ctx.issue("TR07", rec, "years", variant="years", age=age)
    start, end = get("course_start"), get("course_end")
    if start and end and end < start:
        yield ctx.issue(
            "TR08",
            rec,
            "course_end",
            variant="order",
            start=f"{start:%d.%m.%Y}",
            end=f"{end:%d.%m.%Y}",
        )
    hours = get("hours")
    if hours is not None and hours < t.min_course_hours:
        yield ctx.issue(
            "TR08",
            rec,
            "hours",
            variant="hours",
            severity=Severity.WARNING,
            min=_num(t.min_course_hours),
        )
    diploma = get("diploma_date")
    if diploma and start and diploma > start:
        yield ctx.issue(
            "TR09", rec, "diploma_date", value=f"{diploma:%d.%m.%Y}", start=f"{start:%d.%m.%Y}"
        )


@rule("TR02", "TR04", "TR05", "TR06", "TR07", "TR08", "TR09", "TR10", "RM11")
def teachers(ctx: Context) -> Iterator[Issue]:
    seen: dict[tuple[str, str], int] = {}
    for rec in ctx.book.rows(F.TRAINING.key):
        teacher = rec.text("teacher") or fragment("teacher_row", row=rec.row)
        yield from registry_school(ctx, rec)
        values, texts = rec.values, rec.texts  # hot loop: plain dict look-ups
        answered = any(texts.get(k) for k in COMPETENCE_KEYS)
        if answered and not any(values.get(k) is True for k in COMPETENCE_KEYS):
            yield ctx.issue("TR02", rec, COMPETENCE_KEYS[0], teacher=teacher)
        yield from _diagnostics(ctx, rec, teacher)
        yield from _plausibility(ctx, rec)
        key = (norm_name(rec.text("teacher")), norm_name(rec.text("programme")))
        if all(key):
            if key in seen:
                yield ctx.issue("TR10", rec, "teacher", teacher=teacher, first=seen[key])
            else:
                seen[key] = rec.row


RULES = (teachers,)
