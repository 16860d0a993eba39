"""Submissions of many municipalities -> current versions, regional findings, statuses:
one period of a region consolidated."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..campaign.models import Campaign, Period
from ..issues import Severity
from ..statuses import Decision, Status
from ..store.sqlite import Store, Submission
from .cross import capacity, history
from .decisions import apply_waivers, latest, locked
from .region import (
    Region,
    RegionalSpec,
    after_acceptance,
    coordinator_addresses,
    deadline_passed,
    duplicates,
    missing_reports,
    refused_files,
    repeats,
    versions_and_deadline,
)
from .results_cross import results_jump

ACCEPTED, ACCEPTED_REMARKS, TO_REDO, MISSING = (
    Status.ACCEPTED,
    Status.ACCEPTED_REMARKS,
    Status.TO_REDO,
    Status.MISSING,
)
#: A file's outcome in words. A current version and an unreadable file also carry the
#: municipality's status («текущая версия: на доработку»), so «Источники» says what
#: «Сводка» says (one vocabulary: statuses.Status).
OUTCOME_RU = {
    "accepted": "текущая версия",
    "replaced": "заменён новой версией",
    "rejected": "не прочитан",
    "duplicate": "повтор, пропущен",
    "after_accept": "получен после принятия, в свод не входит",
}


#: The region's checks across files (consolidate/region.py, cross.py), in output order.
CHECKS: tuple[RegionalSpec, ...] = (
    versions_and_deadline,
    duplicates,
    refused_files,
    history,
    capacity,
    after_acceptance,
    results_jump,
)
#: Checks that need the municipalities' statuses (computed from all other findings), and
#: the campaign's own addresses, which never change a status.
AFTER_STATUSES: tuple[RegionalSpec, ...] = (missing_reports, coordinator_addresses)
#: Findings about the region's data, never told to the municipality in its feedback.
NOT_FEEDBACK = frozenset({"GP01", "GP02", "ML01"})


def regional_codes() -> set[str]:
    """Codes the regional checks can emit."""
    return {c for spec in (*CHECKS, *AFTER_STATUSES) for c in spec.codes}


@dataclass
class MunicipalityStatus:
    code: str
    name: str
    status: Status
    submission: Submission | None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    #: The region's latest decision on its report (store row), if any; ``decided``: it
    #: concerns the file counted now (a decision on a replaced version no longer does).
    decision: dict[str, Any] | None = None
    decided: bool = False


@dataclass
class Consolidation:
    """Everything the regional outputs show for one period."""

    period: Period
    statuses: list[MunicipalityStatus]
    current: dict[str, Submission]
    findings: list[dict[str, Any]]  # stored findings of current and rejected files + regional
    sources: list[dict[str, Any]]
    summary: dict[str, int] = field(default_factory=dict)
    #: Municipality code -> what the analyst typed in «Решения» that could not be
    #: recorded, and why (shown again in the next «Решения», never lost).
    unrecorded: dict[str, dict[str, Any]] = field(default_factory=dict)

    def findings_of(self, municipality_name: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["municipality"] == municipality_name]


def _choose_current(
    subs: list[Submission], lock: dict[str, str]
) -> tuple[dict[str, Submission], dict[str, str], set[str]]:
    """Latest readable submission per municipality; the others are replaced by it. A
    municipality whose report the region accepted (``lock``: code -> hash) keeps it:
    files received after it are set aside (third result), never counted."""
    by_mun: dict[str, list[Submission]] = defaultdict(list)
    for s in subs:
        if s.outcome != "rejected" and s.municipality:
            by_mun[s.municipality].append(s)
    current, replaced, set_aside = {}, {}, set()
    for code, items in by_mun.items():
        items.sort(key=lambda s: (s.received_at, s.hash))
        kept = next((s for s in items if s.hash == lock.get(code)), items[-1])
        current[code] = kept
        for other in items:
            if other.hash == kept.hash:
                continue
            if kept.hash == lock.get(code) and (other.received_at, other.hash) > (
                kept.received_at,
                kept.hash,
            ):
                set_aside.add(other.hash)
            else:
                replaced[other.hash] = kept.hash
    for s in subs:  # an unreadable file after the accepted one counts no more either
        ok = current.get(s.municipality or "")
        if (
            s.outcome == "rejected"
            and ok is not None
            and ok.hash == lock.get(ok.municipality or "")
            and s.received_at > ok.received_at
        ):
            set_aside.add(s.hash)
    return current, replaced, set_aside


def consolidate(store: Store, campaign: Campaign, period_code: str) -> Consolidation:
    """Decide current submissions, write their outcomes, derive the regional findings."""
    period = campaign.period(period_code)
    subs = store.submissions(period_code)
    decisions = store.decisions(period_code)
    accepted = locked(decisions)
    current, replaced, set_aside = _choose_current(
        subs, {code: d["hash"] for code, d in accepted.items()}
    )
    for s in subs:
        if s.outcome == "rejected":
            continue
        outcome = "replaced" if s.hash in replaced else "accepted"
        outcome = "after_accept" if s.hash in set_aside else outcome
        store.set_outcome(s.hash, period_code, outcome, replaced.get(s.hash))
    subs = store.submissions(period_code)
    current = {code: store.submission(s.hash, period_code) or s for code, s in current.items()}
    by_hash = {s.hash: s for s in subs}
    wanted = {s.hash for s in current.values()} | {
        s.hash for s in subs if s.outcome == "rejected" and s.hash not in set_aside
    }
    findings = store.findings(period_code, wanted)
    receipts = store.receipts(period_code)
    refused = store.refused(period_code)
    region = Region(store, campaign, period, subs, current, replaced, receipts, refused)
    region.set_aside = set_aside
    issues = [i for spec in CHECKS for i in spec.fn(region)]
    sources = []
    for r, first in zip(receipts, repeats(receipts), strict=True):
        sub = by_hash.get(r["hash"])
        outcome = "duplicate" if first is not None else (sub.outcome if sub else "rejected")
        outcome = "after_accept" if r["hash"] in set_aside and first is None else outcome
        sources.append(
            {
                **r,
                "outcome": OUTCOME_RU[outcome],
                "municipality": campaign.municipality(sub.municipality).name
                if sub and sub.municipality
                else "",
                "template_version": sub.template_version if sub else "",
            }
        )
    for ref in refused:
        sources.append(
            {
                "hash": ref["hash"],
                "original_name": ref["name"],
                "chain": ref["chain"],
                "sender": ref["sender"],
                "received_at": ref["received_at"],
                "archive_path": "",
                "outcome": "не принят: " + ref["reason"],
                "municipality": "",
                "template_version": "",
            }
        )
    for other in store.others(period_code):
        sources.append(
            {
                "hash": other["hash"],
                "original_name": other["name"],
                "chain": other["chain"],
                "sender": other["sender"],
                "received_at": other["received_at"],
                "archive_path": other["archive_path"] or "",
                "outcome": other["outcome"],
                "municipality": "",
                "template_version": "",
            }
        )
    sources.sort(key=lambda x: (x["received_at"], x["chain"]))
    rejected = {
        s.municipality: s
        for s in sorted(subs, key=lambda s: s.received_at)
        if s.outcome == "rejected" and s.municipality and s.hash not in set_aside
    }
    regional = [i.as_dict() for i in issues]  # stored findings are rows already
    names = {m.code: m.name for m in campaign.municipalities}
    findings = apply_waivers(findings, accepted, names)
    regional = apply_waivers(regional, accepted, names)
    region.statuses = statuses = _statuses(
        campaign, current, rejected, findings + regional, latest(decisions)
    )
    regional += [i.as_dict() for spec in AFTER_STATUSES for i in spec.fn(region)]
    status_of = {st.name: st.status for st in statuses}
    for x in sources:
        if x["outcome"] in (OUTCOME_RU["accepted"], OUTCOME_RU["rejected"]):
            status = status_of.get(x["municipality"])
            if status is not None:
                x["outcome"] = f"{x['outcome']}: {status.ru}"
    summary: dict[str, int] = {
        "received": len(receipts),
        "files": len(subs),
        "duplicates": sum(1 for x in sources if x["outcome"] == OUTCOME_RU["duplicate"]),
        "replaced": len(replaced),
        "rejected": sum(1 for s in subs if s.outcome == "rejected") + len(refused),
        "late": sum(1 for s in current.values() if deadline_passed(s, period)),
        **Counter(st.status.value for st in statuses),  # by identifier: «missing»…
    }
    return Consolidation(period, statuses, current, findings + regional, sources, summary)


def _statuses(
    campaign: Campaign,
    current: dict[str, Submission],
    rejected: dict[str, Submission],
    findings: list[dict[str, Any]],
    decided: dict[str, dict[str, Any]],
) -> list[MunicipalityStatus]:
    """Status of every municipality. One whose only files were rejected (unreadable) is
    «на доработку» with its latest rejected file: it sent something and must hear why it
    was not accepted, not that nothing came. The region's latest decision on the file
    counted now overrides the findings: accepted — «принято» («с замечаниями» while
    findings not waived remain), returned — «на доработку»."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        counts[f["municipality"]][f["severity"]] += 1
    out = []
    for m in campaign.municipalities:
        s = current.get(m.code)
        c = counts[m.name]
        errors, warnings = c[Severity.ERROR.ru], c[Severity.WARNING.ru]
        if s is None and m.code in rejected:
            s, status = rejected[m.code], TO_REDO
        elif s is None:
            status = MISSING
        elif errors:
            status = TO_REDO
        elif warnings:
            status = ACCEPTED_REMARKS
        else:
            status = ACCEPTED
        d = decided.get(m.code)
        applies = bool(d and s is not None and d["hash"] == s.hash)
        if applies and d and d["action"] == Decision.ACCEPT:
            status = ACCEPTED_REMARKS if errors or warnings else ACCEPTED
        elif applies and d and d["action"] == Decision.RETURN:
            status = TO_REDO
        out.append(
            MunicipalityStatus(
                m.code, m.name, status, s, errors, warnings, c[Severity.INFO.ru], d, applies
            )
        )
    return out
