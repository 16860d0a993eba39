"""Regional checks across files: history (MN06, MN07) and the region (RM13)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..campaign.models import Campaign, Period
from ..forms import sheets as F
from ..issues import Issue, Location
from ..store.sqlite import Store, Submission
from .region import Region, regional

SCHOOL_MON = F.SCHOOL_MON_KEY


def _previous(
    store: Store, campaign: Campaign, period: Period, municipality: str
) -> list[tuple[Period, Submission]]:
    """Earlier periods (latest first) with a current submission of the municipality."""
    out = []
    for p in reversed(campaign.periods[: campaign.periods.index(period)]):
        for s in store.submissions(p.code):
            if s.municipality == municipality and s.outcome == "accepted":
                out.append((p, s))
    return out


def _values(store: Store, s: Submission, period: str, stage: str) -> dict[str, dict[str, Any]]:
    """school name -> indicator values of the stage (and "_row": its row on the sheet)."""
    out = {}
    for row, rec in store.numbered_records(s.hash, period, SCHOOL_MON):
        if rec.get("stage") == stage and rec.get("school"):
            out[rec["school"]] = {"_row": row} | {
                k: v
                for k, v in rec.items()
                if k.startswith("S") and v is not None and not isinstance(v, str)
            }
    return out


@regional("MN06", "MN07")
def history(r: Region) -> Iterator[Issue]:
    """MN06 (jump beyond the threshold) and MN07 (copied from the previous period)."""
    store, campaign, period, current = r.store, r.campaign, r.period, r.current
    jump = campaign.thresholds.outlier_jump_pp
    percent = {i.code for i in campaign.school_indicators if i.value_type == "%"}
    for code, s in current.items():
        now = _values(store, s, period.code, period.stage)
        if not now:
            continue
        name = campaign.municipality(code).name
        for prev_period, prev in _previous(store, campaign, period, code):
            before = _values(store, prev, prev_period.code, prev_period.stage)
            if not before:
                continue
            for school, values in now.items():
                old = before.get(school, {})
                row = values["_row"]
                shared = [k for k in values if k in old and k != "_row"]
                if len(shared) >= 3 and all(values[k] == old[k] for k in shared):
                    yield (
                        Issue(
                            "MN07",
                            Location(
                                file=s.original_name,
                                sheet=F.SCHOOL_MON_NAME,
                                cell=_cell(campaign, row, "school"),
                                row=row,
                                municipality=name,
                                school=school,
                            ),
                            params={"school": school},
                        )
                    )
                    continue
                for k in shared:
                    delta = values[k] - old[k]
                    if k in percent and abs(delta) > jump:
                        yield (
                            Issue(
                                "MN06",
                                Location(
                                    file=s.original_name,
                                    sheet=F.SCHOOL_MON_NAME,
                                    cell=_cell(campaign, row, k),
                                    row=row,
                                    municipality=name,
                                    school=school,
                                ),
                                value=_n(values[k]),
                                params={
                                    "code": k,
                                    "prev": _n(old[k]),
                                    "delta": f"{delta:+.1f}".replace(".", ","),
                                },
                            )
                        )
            break  # compare with the latest earlier period only


def _cell(campaign: Campaign, row: int, key: str) -> str:
    """The cell of ``key`` on a school-monitoring row, in the template's columns."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row - 1, F.school_monitoring_form(campaign).col(key))


def _n(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}".replace(".", ",")


@regional("RM13")
def capacity(r: Region) -> Iterator[Issue]:
    """RM13: a catalogue event chosen by more schools than its capacity."""
    store, campaign, period, current = r.store, r.campaign, r.period, r.current
    limited = {e.name.casefold(): e for e in campaign.catalogue if e.capacity}
    chosen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for code, s in current.items():
        for rec in store.records(s.hash, period.code, F.ROADMAP.key):
            name = str(rec.get("event") or "").casefold()
            if rec.get("direction") == 5 and name in limited and rec.get("school"):
                chosen[name].add((code, rec["school"]))
    for name, schools in sorted(chosen.items()):
        event = limited[name]
        if event.capacity is not None and len(schools) > event.capacity:
            yield (
                Issue(
                    "RM13",
                    Location(sheet=F.ROADMAP.name),
                    params={
                        "event": event.name,
                        "count": len(schools),
                        "capacity": event.capacity,
                    },
                    variant="" if event.capacity_set else "default",
                )
            )
