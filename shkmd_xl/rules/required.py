"""The one required-field rule: every form's fields by their conditions (forms/required.py).

The template colours the same cells and Контроль counts them from the same condition
objects; completeness (consolidation) counts the cells this module walks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any

from ..forms import sheets as F
from ..forms.model import Field, SheetForm
from ..forms.required import Test, When
from ..issues import Issue
from ..messages import fragment, placeholders
from ..reader.book import Record
from .context import Context, rule

TEXTS = attrgetter("texts")


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


Due = tuple[Test, tuple[Field, ...], Callable[[dict[str, str]], tuple[str, ...]]]


def _due(form: SheetForm, columns: dict[str, int], ctx: Context) -> list[Due]:
    """(test of the row, its fields present in the file, getter of their texts) of a sheet
    for this file; a column of a later template version may be absent, and is not
    required then."""
    out: list[Due] = []
    for cond, fields in _groups(form.fields):
        present = tuple(f for f in fields if f.key in columns)
        test = cond.test(ctx)
        if present and test is not False:
            keys = [f.key for f in present]
            # itemgetter of two or more keys returns a tuple (hence the repeated key)
            out.append((test, present, itemgetter(*keys, keys[0])))
    return out


Getter = Callable[[dict[str, str]], tuple[str, ...]]


def required_rows(
    ctx: Context,
) -> Iterator[tuple[SheetForm, list[tuple[tuple[Field, ...], Getter, list[Record]]]]]:
    """Per sheet: (fields sharing a condition, getter of their texts, the rows that must
    have them filled); the condition is tested by C loops (filter) over the rows."""
    for form in F.all_forms(ctx.campaign):
        records = _records(ctx, form) if _groups(form.fields) else []
        if records:
            due = _due(form, records[0].columns, ctx)  # a sheet's rows share their columns
            yield (
                form,
                [
                    (fields, getter, records if test is True else list(filter(test, records)))  # type: ignore[arg-type]
                    for test, fields, getter in due
                ],
            )


def tally(ctx: Context) -> tuple[int, int]:
    """(required cells, of them empty) in this file: completeness counts these."""
    total = empty = 0
    for _form, groups in required_rows(ctx):
        for fields, getter, rows in groups:
            total += len(fields) * len(rows)
            empty += sum(getter(rec.texts)[: len(fields)].count("") for rec in rows)
    return total, empty


def declared_codes() -> frozenset[str]:
    """Codes the fixed forms give their required fields (the monitoring sheets, built per
    campaign, have none: their indicators are due by month and stage, MN01 and MN04)."""
    out = set()
    for form in F.FIXED_FORMS:
        for fld in form.fields:
            if fld.required is not None:
                out.add(form.missing_code(fld)[0])
    return frozenset(out)


def _issue(ctx: Context, form: SheetForm, fld: Field, rec: Record) -> Issue:
    code, variant = form.missing_code(fld)
    params: dict[str, Any] = {"field": fld.label}
    wanted = _wanted(fld.missing or form.missing)
    if "teacher" in wanted:
        params["teacher"] = rec.text("teacher") or fragment("teacher_row", row=rec.row)
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
    """A finding for each required cell left empty, with the code its form declares; in
    the order a user reads a sheet (row by row)."""
    for form, groups in required_rows(ctx):
        empty: list[tuple[int, int, Field, Record]] = []
        for fields, texts_of, rows in groups:
            for rec, texts in zip(rows, map(texts_of, map(TEXTS, rows)), strict=True):
                if "" in texts:  # the usual case, all filled, decided at C speed
                    empty += [(rec.row, i, f, rec) for i, f in enumerate(fields) if not texts[i]]
        order = {f.key: n for n, f in enumerate(form.fields)}
        for _row, _i, fld, rec in sorted(empty, key=lambda e: (e[0], order[e[2].key])):
            yield _issue(ctx, form, fld, rec)


RULES = (required_fields,)
