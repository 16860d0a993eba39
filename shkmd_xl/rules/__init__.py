"""Rules: pure functions over what the reader produced, yielding findings."""

from __future__ import annotations

from ..campaign.models import Campaign, Period
from ..issues import Issue
from ..reader.book import Book
from . import monitoring, passport, required, results, roadmap, teachers
from .context import Context, RuleSpec
from .submission import identify, template_version

#: Every per-workbook rule, in the order findings are produced.
RULES: tuple[RuleSpec, ...] = (
    *required.RULES,
    *passport.RULES,
    *roadmap.RULES,
    *monitoring.RULES,
    *teachers.RULES,
    *results.RULES,
)


def emitted_codes() -> set[str]:
    """Codes the per-workbook rules and the reader can emit."""
    from ..reader.book import EMITS as READER
    from .submission import EMITS as SUBMISSION

    return set(READER | SUBMISSION) | {c for r in RULES for c in r.codes}


def period_of(book: Book, campaign: Campaign, period: str | None) -> Period | None:
    """The explicit period, else the one chosen on Титул."""
    code = period or (book.title.get("period") if book.title else None)
    if not code:
        return None
    try:
        return campaign.period(code)
    except KeyError:
        return None


def validate(
    book: Book, campaign: Campaign, period: str | None = None, sender: str = ""
) -> tuple[list[Issue], Context | None]:
    """All findings of one workbook, and the context the rules ran in."""
    issues = list(book.issues)
    if not book.readable:
        return issues, None
    municipality, found = identify(book, campaign, sender, book.path.name)
    issues += found + template_version(book)
    ctx = Context(campaign, book, municipality, period_of(book, campaign, period))
    for spec in RULES:
        issues.extend(spec.fn(ctx))
    name = ctx.municipality_name()
    if name:
        issues = [
            i if i.location.municipality else i.with_location(municipality=name) for i in issues
        ]
    return issues, ctx


__all__ = ["RULES", "Context", "emitted_codes", "validate"]
