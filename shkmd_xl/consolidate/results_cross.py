"""The region's check of results across years: a school's mean that moved by more than
the campaign's share of the scale since the previous year (RS08: check the numbers)."""

from __future__ import annotations

from collections.abc import Iterator

from xlsxwriter.utility import xl_rowcol_to_cell

from ..forms.results import RESULTS
from ..issues import Issue, Location
from ..store.results import ResultRow, rows_of_year, year_of
from .region import Region, regional


def _n(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def jumps(
    rows: list[ResultRow], before: list[ResultRow], r: Region
) -> Iterator[tuple[ResultRow, ResultRow, float]]:
    """(this year's row, last year's, the limit in scale units) of each jump."""
    results = r.campaign.results
    old = {row.key: row for row in before}
    for row in rows:
        prev = old.get(row.key)
        a = results.assessment(row.assessment)
        if prev is None or a is None or row.mean is None or prev.mean is None:
            continue
        limit = results.rules.jump / 100 * a.span
        if abs(row.mean - prev.mean) > limit:
            yield row, prev, limit


@regional("RS08")
def results_jump(r: Region) -> Iterator[Issue]:
    hashes = {s.hash: s for s in r.current.values()}
    if not hashes:
        return
    year = year_of(r.period.code)
    now = [x for x in rows_of_year(r.store, year, set(hashes)) if x.source in hashes]
    before = rows_of_year(r.store, year - 1)
    mean_col = RESULTS.col("mean")
    for row, prev, _ in jumps(now, before, r):
        s = hashes[row.source]
        number = int(row.origin.split()[-1]) if row.origin.split()[-1].isdigit() else None
        yield Issue(
            "RS08",
            Location(
                file=s.original_name,
                sheet=RESULTS.name,
                cell=xl_rowcol_to_cell(number - 1, mean_col) if number else "",
                row=number,
                municipality=r.campaign.municipality(row.municipality).name,
                school=row.school,
            ),
            value=_n(row.mean or 0),
            params={
                "school": row.school,
                "assessment": row.assessment,
                "subject": row.subject,
                "grade": row.grade,
                "prev": _n(prev.mean or 0),
                "limit": _n(r.campaign.results.rules.jump),
            },
        )
