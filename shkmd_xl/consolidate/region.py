"""The region's checks across files, declared like the per-workbook rules (rules/): each
is a generator of findings over one period's submissions and names the codes it emits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..campaign.addresses import CODE as ADDRESS_CODE
from ..campaign.addresses import address_findings, uses_mail
from ..campaign.models import Campaign, Period
from ..issues import Issue, Location
from ..rules.context import Spec, declares
from ..store.sqlite import Store, Submission


@dataclass
class Region:
    """What the regional checks see: the store and one period's submissions."""

    store: Store
    campaign: Campaign
    period: Period
    subs: list[Submission]  # every submission of the period, outcomes decided
    current: dict[str, Submission]  # municipality code -> its current version
    replaced: dict[str, str]  # hash of a replaced version -> hash of its successor
    receipts: list[dict[str, Any]]
    refused: list[dict[str, Any]]
    #: Statuses of the municipalities, known once the other checks have run (GP01).
    statuses: list[Any] = field(default_factory=list)
    #: Files received after the report the region accepted (set aside, not counted).
    set_aside: set[str] = field(default_factory=set)

    def issue(self, code: str, mun_code: str | None, file: str = "", /, **params: Any) -> Issue:
        name = self.campaign.municipality(mun_code).name if mun_code else ""
        return Issue(code, Location(file=file, municipality=name), params=params)


RegionCheck = Callable[[Region], Iterator[Issue]]
RegionalSpec = Spec[Region]


def regional(*codes: str) -> Callable[[RegionCheck], RegionalSpec]:
    """A regional check emitting these codes (the same declaration as rules/)."""
    return declares(*codes)


def deadline_passed(s: Submission, period: Period) -> bool:
    return dt.datetime.fromisoformat(s.received_at).date() > period.deadline


def ru_date_time(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%d.%m.%Y %H:%M")


@regional("SUB06", "SUB07")
def versions_and_deadline(r: Region) -> Iterator[Issue]:
    """Each current version: the versions it replaced (SUB06), received late (SUB07)."""
    for code, s in r.current.items():
        for o in (o for o in r.subs if r.replaced.get(o.hash) == s.hash):
            old = f"{o.original_name}, {ru_date_time(o.received_at)}"
            yield r.issue("SUB06", code, s.original_name, old=old)
        if deadline_passed(s, r.period):
            yield r.issue(
                "SUB07",
                code,
                s.original_name,
                received=ru_date_time(s.received_at),
                deadline=f"{r.period.deadline:%d.%m.%Y}",
            )


def repeats(receipts: list[dict[str, Any]]) -> list[str | None]:
    """For each receipt, the chain of the first receipt of the same file (by hash) when
    it repeats an earlier one, else None."""
    first: dict[str, str] = {}
    out: list[str | None] = []
    for rec in receipts:
        out.append(first.get(rec["hash"]))
        first.setdefault(rec["hash"], rec["chain"])
    return out


@regional("SUB05")
def duplicates(r: Region) -> Iterator[Issue]:
    """The same file received again (by its hash)."""
    by_hash = {s.hash: s for s in r.subs}
    for rec, first in zip(r.receipts, repeats(r.receipts), strict=True):
        if first is not None:
            sub = by_hash.get(rec["hash"])
            yield r.issue("SUB05", sub.municipality if sub else None, rec["chain"], first=first)


@regional("SUB09")
def refused_files(r: Region) -> Iterator[Issue]:
    """Files refused before they could be read (with the reason)."""
    from .examine import refused_issue

    for ref in r.refused:
        yield refused_issue(ref["chain"], ref["reason"])


@regional("GP01")
def missing_reports(r: Region) -> Iterator[Issue]:
    """Municipalities that sent nothing for the period (runs after the statuses)."""
    from .consolidation import MISSING

    for st in r.statuses:
        if st.status == MISSING:
            yield r.issue("GP01", st.code, municipality=st.name, period=r.period.name)


@regional("DEC01")
def after_acceptance(r: Region) -> Iterator[Issue]:
    """A file received after the region accepted the municipality's report: kept in the
    archive and in «Источники», never counted instead of the accepted one."""
    for s in r.subs:
        if s.hash in r.set_aside and s.municipality:
            accepted = r.current[s.municipality]
            yield r.issue(
                "DEC01",
                s.municipality,
                s.original_name,
                received=ru_date_time(s.received_at),
                accepted=f"{accepted.original_name}, {ru_date_time(accepted.received_at)}",
            )


@regional(ADDRESS_CODE)
def coordinator_addresses(r: Region) -> Iterator[Issue]:
    """Municipalities no letter can reach: no coordinator's address in the campaign, or
    one a mail server would refuse (campaign/addresses.py). The region's own data, not
    the municipality's report: it runs after the statuses and never changes them, and
    it is not in the municipality's feedback. Only in a campaign that uses e-mail."""
    if not uses_mail(r.campaign):
        return
    for m in r.campaign.municipalities:
        yield from address_findings(m)
