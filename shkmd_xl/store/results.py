"""The results table of the store: student results by school × assessment × subject ×
grade and year, from municipal reports («Результаты обучения») and from the region's
imports (``shkmd-xl results import``). Both paths write here; the figures read here."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from .sqlite import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    year INTEGER NOT NULL, period TEXT NOT NULL, source TEXT NOT NULL,
    municipality TEXT NOT NULL, school TEXT NOT NULL, assessment TEXT NOT NULL,
    subject TEXT NOT NULL, grade INTEGER NOT NULL, participants INTEGER,
    mean REAL, fail_share REAL, high_share REAL, origin TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS results_by_year ON results (year, source);
"""
#: The source of imported rows starts so; a report's rows carry its file hash.
IMPORTED = "import:"
FORM = "results"


@dataclass(frozen=True)
class ResultRow:
    """One result: a school's assessment × subject × grade in a year."""

    year: int
    period: str
    source: str
    municipality: str
    school: str  # the registry's short name (a report's text when not in the registry)
    assessment: str
    subject: str
    grade: int
    participants: int | None
    mean: float | None
    fail_share: float | None
    high_share: float | None
    origin: str  # file and row, for the reader of a figure

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.school, self.assessment, self.subject, self.grade)


def ensure(db: sqlite3.Connection) -> None:
    db.executescript(SCHEMA)


def year_of(period: str) -> int:
    return int(period[:4])


def replace_source(store: Store, source: str, period: str, rows: Iterable[ResultRow]) -> int:
    """Replace every row of ``source`` in ``period`` by ``rows`` in one transaction (a file
    imported again, a report received again); returns the number of rows written."""
    ensure(store.db)
    values = [tuple(asdict(r).values()) for r in rows]
    with store.transaction() as db:
        db.execute("DELETE FROM results WHERE source = ? AND period = ?", (source, period))
        db.executemany(f"INSERT INTO results VALUES ({', '.join('?' * 13)})", values)
    return len(values)


def save_report(
    store: Store, hash_: str, period: str, municipality: str | None, records: Iterable[Any]
) -> int:
    """The «Результаты обучения» rows of a received report (records as the worker encoded
    them: (form, row, JSON or dict)); rows without their keys are left to the findings."""
    if not municipality:
        return 0
    rows = []
    for form, row, data in records:
        if form != FORM:
            continue
        v = json.loads(data) if isinstance(data, str) else data
        if not (v.get("school") and v.get("assessment") and v.get("subject") and v.get("grade")):
            continue
        rows.append(
            ResultRow(
                year_of(period),
                period,
                hash_,
                municipality,
                v["school"],
                v["assessment"],
                v["subject"],
                int(v["grade"]),
                v.get("participants"),
                v.get("mean"),
                v.get("fail_share"),
                v.get("high_share"),
                f"строка {row}",
            )
        )
    return replace_source(store, hash_, period, rows)


def rows_of_year(store: Store, year: int, reports: set[str] | None = None) -> list[ResultRow]:
    """Results of ``year``: imported rows, and rows of the reports in ``reports`` (the
    counted submissions; None: every report accepted and current). An imported row
    (the data-processing centre's) wins over a report's row of the same school ×
    assessment × subject × grade."""
    ensure(store.db)
    cur = store.db.execute("SELECT * FROM results WHERE year = ? ORDER BY rowid", (year,))
    all_rows = [ResultRow(*r) for r in cur]
    if reports is None:
        accepted = {
            r[0]
            for r in store.db.execute(
                "SELECT hash FROM submissions WHERE outcome = 'accepted' AND period LIKE ?",
                (f"{year}-%",),
            )
        }
    else:
        accepted = reports
    imported = [r for r in all_rows if r.source.startswith(IMPORTED)]
    keys = {r.key for r in imported}
    out = list(imported)
    for r in all_rows:
        if r.source in accepted and r.key not in keys:
            keys.add(r.key)
            out.append(r)
    return out


def years(store: Store) -> list[int]:
    ensure(store.db)
    return [r[0] for r in store.db.execute("SELECT DISTINCT year FROM results ORDER BY year")]


def replace_imported(store: Store, period: str, rows: list[ResultRow]) -> int:
    """Imported rows of ``period`` for the same school × assessment × subject × grade are
    replaced by ``rows`` (a corrected export replaces the earlier one), in one transaction."""
    ensure(store.db)
    values = [tuple(asdict(r).values()) for r in rows]
    with store.transaction() as db:
        db.executemany(
            "DELETE FROM results WHERE period = ? AND source LIKE ? AND school = ?"
            " AND assessment = ? AND subject = ? AND grade = ?",
            [(period, IMPORTED + "%", r.school, r.assessment, r.subject, r.grade) for r in rows],
        )
        db.executemany(f"INSERT INTO results VALUES ({', '.join('?' * 13)})", values)
    return len(values)
