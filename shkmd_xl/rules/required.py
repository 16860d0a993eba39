"""The one required-field rule: every form's fields by their conditions (forms/required.py).

The template colours the same cells and Контроль counts them from the same condition
objects; completeness (consolidation) counts the cells this module walks.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from ..campaign.models import Campaign
from ..forms import sheets as F
from ..forms.model import Field, SheetForm
from ..forms.required import When
from ..issues import Issue
from ..messages import placeholders
from ..reader.book import Record
from .context import Context, rule


def forms(campaign: Campaign) -> list[SheetForm]:
    """Forms whose fields can be required (every form of the workbook)."""
    return F.all_forms(campaign)


@cache
def _groups(fields: tuple[Field, ...]) -> tuple[tuple[When, tuple[Field, ...]], ...]:
    """Required fields grouped by condition: each condition is tested once per row."""
    by: dict[When, list[Field]] = {}
    for fld in fields:
        if fld.required is not None:
            by.setdefault(fld.required, []).append(fld)
    return tuple((cond, tuple(fields)) for cond, fields in by.items())


def _records(ctx: Context, form: SheetForm) -> list[Record]:
    if form.key == F.TITLE.key:
        return [ctx.book.title] if ctx.book.title is not None else []
    return ctx.book.rows(form.key)


def required_cells(ctx: Context) -> Iterator[tuple[SheetForm, Field, Record, bool]]:
    """Every cell that must be filled in this file: (form, field, row, is it empty)."""
    for form in forms(ctx.campaign):
        groups = _groups(form.fields)
        if not groups:
            continue
        for rec in _records(ctx, form):
            texts, columns = rec.texts, rec.columns
            for cond, fields in groups:
                if not cond.holds(rec, ctx):
                    continue
                for fld in fields:
                    if fld.key in columns:  # a column of a later template version may be absent
                        yield form, fld, rec, not texts.get(fld.key)


def declared_codes() -> frozenset[str]:
    """Codes the fixed forms give their required fields (Мониторинг ОО, built per
    campaign, has none: its indicators are due by stage, rule MN04)."""
    out = set()
    for form in (F.TITLE, *F.DATA_FORMS):
        for fld in form.fields:
            if fld.required is not None:
                out.add(form.missing_code(fld)[0])
    return frozenset(out)


def _issue(ctx: Context, form: SheetForm, fld: Field, rec: Record) -> Issue:
    code, variant = form.missing_code(fld)
    params: dict[str, Any] = {"field": fld.label}
    wanted = _wanted(fld.missing or form.missing)
    if "teacher" in wanted:
        params["teacher"] = rec.text("teacher") or f"строка {rec.row}"
    if "school" in wanted:
        return ctx.issue(
            code, rec, fld.key, variant=variant, school=rec.text("school") or "—", **params
        )
    return ctx.issue(code, rec, fld.key, variant=variant, **params)


@cache
def _wanted(key: str) -> frozenset[str]:
    return frozenset(placeholders(key))


@rule(*declared_codes())
def required_fields(ctx: Context) -> Iterator[Issue]:
    """A finding for each required cell left empty, with the code its form declares."""
    for form, fld, rec, empty in required_cells(ctx):
        if empty:
            yield _issue(ctx, form, fld, rec)


RULES = (required_fields,)
