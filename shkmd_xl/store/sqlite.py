"""The embedded SQLite store: received files, submissions, findings, records."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    hash TEXT PRIMARY KEY, size INTEGER NOT NULL, ext TEXT NOT NULL,
    archive_path TEXT NOT NULL, first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS receipts (
    hash TEXT NOT NULL, original_name TEXT NOT NULL, chain TEXT NOT NULL,
    sender TEXT NOT NULL, received_at TEXT NOT NULL, period TEXT NOT NULL,
    PRIMARY KEY (hash, chain, period)
);
CREATE TABLE IF NOT EXISTS refused (
    chain TEXT NOT NULL, name TEXT NOT NULL, sender TEXT NOT NULL, received_at TEXT NOT NULL,
    period TEXT NOT NULL, reason TEXT NOT NULL, hash TEXT NOT NULL DEFAULT '',
    occurrence INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (chain, period, hash, occurrence)
);
CREATE TABLE IF NOT EXISTS others (
    hash TEXT NOT NULL, chain TEXT NOT NULL, name TEXT NOT NULL, sender TEXT NOT NULL,
    received_at TEXT NOT NULL, period TEXT NOT NULL, outcome TEXT NOT NULL,
    occurrence INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (chain, period, hash, occurrence)
);
CREATE TABLE IF NOT EXISTS submissions (
    hash TEXT NOT NULL, period TEXT NOT NULL, municipality TEXT,
    received_at TEXT NOT NULL, sender TEXT NOT NULL, original_name TEXT NOT NULL,
    template_version TEXT NOT NULL, outcome TEXT NOT NULL,
    errors INTEGER NOT NULL, warnings INTEGER NOT NULL, infos INTEGER NOT NULL,
    completeness REAL, replaced_by TEXT,
    PRIMARY KEY (hash, period)
);
CREATE TABLE IF NOT EXISTS findings (
    hash TEXT NOT NULL, period TEXT NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL,
    file TEXT, sheet TEXT, cell TEXT, row INTEGER, municipality TEXT, school TEXT,
    value TEXT, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_by_file ON findings (hash, period);
CREATE TABLE IF NOT EXISTS records (
    hash TEXT NOT NULL, period TEXT NOT NULL, form TEXT NOT NULL, row INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_file ON records (hash, period, form);
CREATE TABLE IF NOT EXISTS expertise (
    period TEXT NOT NULL, hash TEXT NOT NULL, row INTEGER NOT NULL,
    mark TEXT NOT NULL, comment TEXT NOT NULL, expert TEXT NOT NULL, file TEXT NOT NULL,
    PRIMARY KEY (period, hash, row)
);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, period TEXT NOT NULL, municipality TEXT NOT NULL,
    action TEXT NOT NULL, hash TEXT NOT NULL, reason TEXT NOT NULL, deadline TEXT,
    waived TEXT NOT NULL, who TEXT NOT NULL, made_at TEXT NOT NULL, source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_period ON decisions (period, municipality);
"""


def _dicts(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    """Rows of a query as dicts keyed by column name."""
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur]


@dataclass(frozen=True)
class Submission:
    hash: str
    period: str
    municipality: str | None
    received_at: str
    sender: str
    original_name: str
    template_version: str
    outcome: str  # accepted / rejected / duplicate / replaced
    errors: int
    warnings: int
    infos: int
    completeness: float | None
    replaced_by: str | None


class Store:
    """One SQLite file in the campaign's working folder."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        from .mail import MAIL_SCHEMA  # the mailbox's tables (fetched, sent)

        self.db.executescript(MAIL_SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(refused)")}
        if "hash" not in columns:  # a store written before refused items were archived
            self.db.execute("ALTER TABLE refused ADD COLUMN hash TEXT NOT NULL DEFAULT ''")
        for table in ("refused", "others"):
            self._keyed_by_occurrence(table)

    def _keyed_by_occurrence(self, table: str) -> None:
        """A store written when items were keyed by their listing alone (two different
        items that cleaned to one name kept one row): rekey, keeping every row."""
        columns = [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")]
        if "occurrence" in columns:
            return
        with self.transaction() as db:
            db.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
            db.executescript(SCHEMA)
            names = ", ".join(columns)
            db.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {table}_old")
            db.execute(f"DROP TABLE {table}_old")

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- files -------------------------------------------------------------
    def add_file(self, hash_: str, size: int, ext: str, archive_path: str, seen: str) -> bool:
        """Record an archived file; False when it was already known."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO files VALUES (?, ?, ?, ?, ?)",
            (hash_, size, ext, archive_path, seen),
        )
        return cur.rowcount == 1

    def add_receipt(
        self, hash_: str, name: str, chain: str, sender: str, received: str, period: str
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO receipts VALUES (?, ?, ?, ?, ?, ?)",
            (hash_, name, chain, sender, received, period),
        )

    def receipts(self, period: str) -> list[dict[str, Any]]:
        cur = self.db.execute(
            "SELECT r.hash, r.original_name, r.chain, r.sender, r.received_at, f.archive_path"
            " FROM receipts r JOIN files f USING (hash) WHERE r.period = ?"
            " ORDER BY r.received_at, r.chain",
            (period,),
        )
        return _dicts(cur)

    def add_refused(
        self,
        chain: str,
        name: str,
        sender: str,
        received: str,
        period: str,
        reason: str,
        hash_: str = "",
        occurrence: int = 1,
    ) -> None:
        """An item not processed; ``occurrence`` counts items of one listing and content
        met before in the same scan (a rerun writes the same rows again)."""
        self.db.execute(
            "INSERT OR IGNORE INTO refused VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (chain, name, sender, received, period, reason, hash_, occurrence),
        )

    def add_other(
        self,
        hash_: str,
        chain: str,
        name: str,
        sender: str,
        received: str,
        period: str,
        outcome: str,
        occurrence: int = 1,
    ) -> None:
        """A received item kept as evidence that is no report (an e-mail, a PDF…)."""
        self.db.execute(
            "INSERT OR IGNORE INTO others VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (hash_, chain, name, sender, received, period, outcome, occurrence),
        )

    def others(self, period: str) -> list[dict[str, Any]]:
        cur = self.db.execute(
            "SELECT o.*, f.archive_path FROM others o LEFT JOIN files f USING (hash)"
            " WHERE o.period = ? ORDER BY o.received_at, o.chain, o.occurrence",
            (period,),
        )
        return _dicts(cur)

    def refused(self, period: str) -> list[dict[str, Any]]:
        cur = self.db.execute(
            "SELECT * FROM refused WHERE period = ? ORDER BY chain, occurrence", (period,)
        )
        return _dicts(cur)

    # -- submissions ---------------------------------------------------------
    def submission(self, hash_: str, period: str) -> Submission | None:
        row = self.db.execute(
            "SELECT * FROM submissions WHERE hash = ? AND period = ?", (hash_, period)
        ).fetchone()
        return Submission(*row) if row else None

    def submissions(self, period: str) -> list[Submission]:
        rows = self.db.execute(
            "SELECT * FROM submissions WHERE period = ? ORDER BY received_at, hash", (period,)
        ).fetchall()
        return [Submission(*r) for r in rows]

    def save_submission(
        self,
        s: Submission,
        findings: Iterable[dict[str, Any]],
        records: Iterable[tuple[str, int, dict[str, Any] | str]],
    ) -> None:
        """Replace what is stored for (hash, period) by this result, atomically.

        A record's values are a dict or their JSON already encoded (by a worker)."""
        with self.transaction() as db:
            db.execute("DELETE FROM findings WHERE hash = ? AND period = ?", (s.hash, s.period))
            db.execute("DELETE FROM records WHERE hash = ? AND period = ?", (s.hash, s.period))
            db.execute(
                "INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tuple(s.__dict__.values()),
            )
            db.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        s.hash,
                        s.period,
                        f["code"],
                        f["severity"],
                        f["file"],
                        f["sheet"],
                        f["cell"],
                        f["row"],
                        f["municipality"],
                        f["school"],
                        None if f["value"] is None else str(f["value"]),
                        f["message"],
                    )
                    for f in findings
                ],
            )
            db.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        s.hash,
                        s.period,
                        form,
                        row,
                        data
                        if isinstance(data, str)
                        else json.dumps(data, ensure_ascii=False, default=str),
                    )
                    for form, row, data in records
                ],
            )

    def set_outcome(
        self, hash_: str, period: str, outcome: str, replaced_by: str | None = None
    ) -> None:
        self.db.execute(
            "UPDATE submissions SET outcome = ?, replaced_by = ? WHERE hash = ? AND period = ?",
            (outcome, replaced_by, hash_, period),
        )

    def findings(self, period: str, hashes: Iterable[str] | None = None) -> list[dict[str, Any]]:
        cur = self.db.execute(
            "SELECT * FROM findings WHERE period = ? ORDER BY municipality,"
            " file, sheet, row, cell, code",
            (period,),
        )
        rows = _dicts(cur)
        if hashes is not None:
            wanted = set(hashes)
            rows = [r for r in rows if r["hash"] in wanted]
        return rows

    def records(self, hash_: str, period: str, form: str) -> list[dict[str, Any]]:
        return [data for _, data in self.numbered_records(hash_, period, form)]

    def numbered_records(
        self, hash_: str, period: str, form: str
    ) -> list[tuple[int, dict[str, Any]]]:
        """(row of the sheet as Excel numbers it, values) of one form of one file."""
        cur = self.db.execute(
            "SELECT row, data FROM records WHERE hash = ? AND period = ? AND form = ? ORDER BY row",
            (hash_, period, form),
        )
        return [(r[0], json.loads(r[1])) for r in cur]

    # -- expertise of documents (the expert workbook, read back by collect) ---------
    def save_expertise(
        self, period: str, marks: Iterable[tuple[str, int, str, str, str]], file: str
    ) -> None:
        """Replace the period's marks: (submission hash, roadmap row, mark, comment, expert)."""
        with self.transaction() as db:
            db.execute("DELETE FROM expertise WHERE period = ?", (period,))
            db.executemany(
                "INSERT OR REPLACE INTO expertise VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (period, h, row, mark, comment, expert, file)
                    for h, row, mark, comment, expert in marks
                ],
            )

    def expertise(self, period: str) -> dict[tuple[str, int], dict[str, Any]]:
        """(submission hash, roadmap row) -> {mark, comment, expert, file} of the period."""
        cur = self.db.execute(
            "SELECT hash, row, mark, comment, expert, file FROM expertise WHERE period = ?",
            (period,),
        )
        return {
            (r[0], r[1]): {"mark": r[2], "comment": r[3], "expert": r[4], "file": r[5]} for r in cur
        }

    # -- decisions (append-only: the history is kept, the latest one counts) ---------
    def add_decision(
        self,
        period: str,
        municipality: str,
        action: str,
        hash_: str,
        *,
        reason: str = "",
        deadline: str | None = None,
        waived: Iterable[str] = (),
        who: str,
        made_at: str,
        source: str,
    ) -> int:
        """Record the region's decision on a municipality's report (``hash_``: the file
        decided on); returns its number. Decisions are never changed or deleted."""
        cur = self.db.execute(
            "INSERT INTO decisions (period, municipality, action, hash, reason, deadline,"
            " waived, who, made_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                period,
                municipality,
                action,
                hash_,
                reason,
                deadline,
                json.dumps(list(waived), ensure_ascii=False),
                who,
                made_at,
                source,
            ),
        )
        return int(cur.lastrowid or 0)

    def decisions(self, period: str) -> list[dict[str, Any]]:
        """Every decision of the period, oldest first (``waived`` as a list)."""
        cur = self.db.execute("SELECT * FROM decisions WHERE period = ? ORDER BY id", (period,))
        rows = _dicts(cur)
        for r in rows:
            r["waived"] = json.loads(r["waived"])
        return rows
