"""The region's decisions on reports (as DHIS2's data approval): which one counts, what
it locks, which findings it waives — and recording a new one after checking it."""

from __future__ import annotations

import datetime as dt
import difflib
import getpass
import re
from dataclasses import dataclass
from typing import Any

from ..campaign.models import Campaign
from ..issues import CODES
from ..messages import render
from ..statuses import Decision
from ..store.sqlite import Store

#: The severity a waived finding shows instead of its own (it counts no more).
WAIVED = "снято регионом"


class DecisionError(ValueError):
    """A decision that cannot be recorded; the message says why and what to do.
    ``field``: the input of «Решения» it concerns."""

    def __init__(self, message: str, field: str = "new"):
        super().__init__(message)
        self.field = field


def latest(decisions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The decision that counts for each municipality: its latest one."""
    out: dict[str, dict[str, Any]] = {}
    for d in decisions:  # oldest first
        out[d["municipality"]] = d
    return out


def locked(decisions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Municipality -> the accepting decision that locks its report."""
    return {m: d for m, d in latest(decisions).items() if d["action"] == Decision.ACCEPT}


_WAIVER = re.compile(r"^\s*([A-Za-zА-Яа-я]{2,4}\d{2})\s*(?:@\s*(.+?))?\s*$")


def parse_waiver(text: str) -> tuple[str, str]:
    """«RM02@Дорожные карты!B5» -> ("RM02", "Дорожные карты!B5"); «SUB07» -> ("SUB07", "").
    Raises DecisionError for an unknown code (with the nearest known one)."""
    m = _WAIVER.match(text)
    code = m.group(1).upper() if m else text.strip()
    if not m or code not in CODES:
        near = difflib.get_close_matches(code.upper(), list(CODES), n=1)
        hint = render("decide.did_you_mean", name=near[0]) if near else ""
        raise DecisionError(
            render("decide.bad_waiver", waiver=text.strip(), hint=hint), "new_waived"
        )
    return code, (m.group(2) or "").strip()


def waives(spec: str, finding: dict[str, Any]) -> bool:
    """Whether a waiver («CODE» or «CODE@CELL», the cell with or without its sheet)
    names this finding."""
    code, cell = parse_waiver(spec)
    if finding["code"] != code:
        return False
    if not cell:
        return True
    here = (finding.get("cell") or "").upper()
    sheet = finding.get("sheet") or ""
    wanted = cell.replace("'", "").upper()
    return bool(here) and wanted in (here, f"{sheet}!{here}".upper())


def apply_waivers(
    findings: list[dict[str, Any]], accepted: dict[str, dict[str, Any]], names: dict[str, str]
) -> list[dict[str, Any]]:
    """Findings with those an accepting decision waived marked «снято регионом» and
    carrying the reason (``waived``); they count against the municipality no more."""
    by_name = {names[code]: d for code, d in accepted.items() if d["waived"]}
    out = []
    for f in findings:
        d = by_name.get(f["municipality"])
        if d and any(waives(w, f) for w in d["waived"]):
            note = render("decide.waived_note", reason=d["reason"])
            f = {
                **f,
                "severity": WAIVED,
                "message": f"{f['message']} {note}",
                "waived": d["reason"],
            }
        out.append(f)
    return out


@dataclass
class Proposed:
    """A decision to record, as typed on the command line or in «Решения»."""

    municipality: str  # a code or a name, as typed
    action: Decision
    reason: str = ""
    deadline: dt.date | None = None
    waived: tuple[str, ...] = ()
    hash: str = ""  # the file the analyst saw (the sheet); else the current one
    who: str = ""
    source: str = "командная строка"


def find_municipality(campaign: Campaign, typed: str) -> str:
    """Code of the municipality typed as its code or name; DecisionError with «did you
    mean» otherwise."""
    text = " ".join(typed.split())
    for m in campaign.municipalities:
        if text.upper() == m.code.upper() or text.lower() == m.name.lower():
            return m.code
    known = [m.code for m in campaign.municipalities] + [m.name for m in campaign.municipalities]
    near = difflib.get_close_matches(text, known, n=1, cutoff=0.5)
    hint = render("decide.did_you_mean", name=near[0]) if near else ""
    raise DecisionError(render("decide.unknown_municipality", name=typed, hint=hint))


def default_deadline(campaign: Campaign, today: dt.date) -> dt.date:
    """The campaign's rework period counted in working days from ``today``."""
    day, days = today, campaign.thresholds.rework_working_days
    while days > 0:
        day += dt.timedelta(days=1)
        days -= day.weekday() < 5
    return day


def record(
    store: Store, campaign: Campaign, cons: Any, p: Proposed, now: dt.datetime | None = None
) -> dict[str, Any] | None:
    """Check a proposed decision against the period's consolidation (``cons``) and
    append it to the store; None when it repeats the latest decision word for word
    (a rerun). Raises DecisionError with a Russian message."""
    code = find_municipality(campaign, p.municipality)
    name = campaign.municipality(code).name
    period = cons.period
    st = next(s for s in cons.statuses if s.code == code)
    sub = st.submission
    if p.hash:
        sub = store.submission(p.hash, period.code)
        if sub is None or sub.municipality != code:
            raise DecisionError(render("decide.file_gone", municipality=name))
    if sub is None:
        raise DecisionError(
            render("decide.nothing_received", municipality=name, period=period.name)
        )
    previous = latest(store.decisions(period.code)).get(code)
    _check(p, sub, previous, name, cons.findings_of(name))
    now = now or dt.datetime.now()
    deadline = p.deadline
    if p.action == Decision.RETURN and deadline is None:
        deadline = default_deadline(campaign, now.date())
    row = {
        "action": p.action.value,
        "hash": sub.hash,
        "reason": p.reason.strip(),
        "deadline": deadline.isoformat() if deadline else None,
        "waived": list(p.waived),
    }
    if previous and all(previous[k] == v for k, v in row.items()):
        return None
    store.add_decision(
        period.code,
        code,
        p.action.value,
        sub.hash,
        reason=row["reason"],
        deadline=row["deadline"],
        waived=row["waived"],
        who=p.who or getpass.getuser(),
        made_at=now.isoformat(timespec="seconds"),
        source=p.source,
    )
    return {**row, "municipality": code, "name": name, "file": sub.original_name}


def _check(
    p: Proposed,
    sub: Any,
    previous: dict[str, Any] | None,
    name: str,
    findings: list[dict[str, Any]],
) -> None:
    if p.action == Decision.ACCEPT and sub.outcome == "rejected":
        raise DecisionError(render("decide.unreadable", municipality=name))
    if p.action == Decision.REOPEN:
        if not p.reason.strip():
            raise DecisionError(render("decide.reopen_reason"), "new_reason")
        if previous is None or previous["action"] == Decision.REOPEN:
            raise DecisionError(render("decide.nothing_to_reopen", municipality=name))
    if p.waived and p.action != Decision.ACCEPT:
        raise DecisionError(render("decide.waive_only_accept"))
    if p.waived and not p.reason.strip():
        raise DecisionError(render("decide.waive_reason"), "new_reason")
    for w in p.waived:
        parse_waiver(w)
        if not any(waives(w, f) for f in findings):
            codes = sorted({f["code"] for f in findings if f.get("severity") != WAIVED})
            raise DecisionError(
                render(
                    "decide.waiver_not_found",
                    waiver=w,
                    municipality=name,
                    codes=", ".join(codes) or "—",
                ),
                "new_waived",
            )


def describe(d: dict[str, Any] | None, applies: bool) -> str:
    """«принят регионом 01.12.2026», «возвращён на доработку до 15.12.2026»; a decision
    on a version since replaced says so."""
    from ..ru import date

    if d is None:
        return ""
    action = Decision(d["action"])
    text = f"{action.done} {date(d['made_at'][:10])}"
    if action == Decision.RETURN and d["deadline"]:
        text += render("decide.deadline_set", deadline=date(d["deadline"]))
    if not applies and action != Decision.REOPEN:
        text += render("decide.earlier_version")
    return text
