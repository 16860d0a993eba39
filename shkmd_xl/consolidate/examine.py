"""One received workbook -> its submission row, findings and records (runs in a worker)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..campaign.models import Campaign
from ..forms import sheets as F
from ..issues import UNREADABLE, Issue, Location, Severity
from ..reader.book import Book, read_book
from ..reader.opening import renamed_issue
from ..rules import validate
from ..rules.context import Context
from ..rules.required import tally
from ..rules.submission import identify

#: Findings of an indicator due in the period and not given (the other required cells
#: are counted from the forms' conditions: rules/required.py).
MONITORING_MISSING = {"MN01", "MN04"}
#: Cells a school without any roadmap row is missing at least (10 events × 7 fields).
EMPTY_ROADMAP_CELLS = 70
RECORD_FORMS = (
    F.PASSPORT.key,
    F.ROADMAP.key,
    F.MOUO_KEY,
    F.SCHOOL_MON_KEY,
    F.TRAINING.key,
    F.RESULTS.key,
)


@dataclass
class Examined:
    """What a worker sends back: small and picklable."""

    hash: str
    period: str
    municipality: str | None
    template_version: str
    readable: bool
    findings: list[dict[str, Any]]
    # (form, row, JSON of the values): encoded in the worker, stored as is by the parent
    records: list[tuple[str, int, str]] = field(default_factory=list)
    completeness: float | None = None
    counts: dict[str, int] = field(default_factory=dict)


_PLAIN = (str, int, float, bool, type(None))


def jsonable(value: Any) -> Any:
    if value.__class__ in _PLAIN:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [jsonable(v) for v in value]
    return value


def completeness(ctx: Context, issues: list[Issue]) -> float:
    """Share of required cells filled, in %.

    The cells are those the one required-field rule walks (forms' conditions), the
    МОУО indicators due in the month and the school indicators due at the stage; a
    school without any roadmap counts as 70 empty cells.
    """
    total, missing = tally(ctx)
    c = ctx.campaign
    slot = ctx.period.slot if ctx.period else c.month_names[0]
    stage = ctx.period.stage if ctx.period else c.months[0].stage
    total += sum(1 for i in c.moupo_indicators if slot in i.slots)
    total += len(ctx.schools) * sum(1 for i in c.school_indicators if stage in i.stages)
    missing += sum(1 for i in issues if i.code in MONITORING_MISSING)
    empty_roadmaps = sum(1 for i in issues if i.code == "RM01")
    total += EMPTY_ROADMAP_CELLS * empty_roadmaps
    missing += EMPTY_ROADMAP_CELLS * empty_roadmaps
    if total <= 0:
        return 0.0
    return round(100.0 * max(total - missing, 0) / total, 1)


def _records(book: Book) -> list[tuple[str, int, str]]:
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    out = []
    for form in RECORD_FORMS:
        for rec in book.rows(form):
            out.append((form, rec.row, encode({k: jsonable(v) for k, v in rec.values.items()})))
    if book.title is not None:
        out.append((F.TITLE.key, 0, encode({k: jsonable(v) for k, v in book.title.values.items()})))
    return out


def examine(
    path: Path, name: str, sender: str, digest: str, period: str, campaign: Campaign
) -> Examined:
    """Read and validate one archived file as received under ``name``."""
    book = read_book(path, campaign, guard_extent=False)  # runs in an isolated worker
    book.path = Path(name)  # findings name the file as the municipality sent it
    book.issues = [i.with_location(file=name) for i in book.issues]
    kind = path.suffix.lower().lstrip(".")  # archived under what it is by content
    opened = not any(i.code in UNREADABLE for i in book.issues)
    renamed = renamed_issue(name, kind) if opened else None
    if renamed is not None:
        book.issues.append(renamed)
    issues, ctx = validate(book, campaign, period, sender)
    municipality = ctx.municipality if ctx else None
    if ctx is None:
        municipality, _ = identify(Book(Path(name)), campaign, sender, name)
        mname = campaign.municipality(municipality).name if municipality else ""
        issues = [i.with_location(municipality=mname) for i in issues]
    counts = {s.ru: sum(1 for i in issues if i.severity is s) for s in Severity}
    return Examined(
        hash=digest,
        period=period,
        municipality=municipality,
        template_version=book.meta.get("template_version", ""),
        readable=ctx is not None,
        findings=[i.as_dict() for i in issues],
        records=_records(book) if ctx is not None else [],
        completeness=completeness(ctx, issues) if ctx is not None else None,
        counts=counts,
    )


def refused_issue(chain: str, reason: str, municipality: str = "") -> Issue:
    return Issue(
        "SUB09", Location(file=chain, municipality=municipality), params={"reason": reason}
    )
