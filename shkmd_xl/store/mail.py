"""The mailbox's part of the store: what was fetched over IMAP and what was sent over SMTP.

Additive tables of the same SQLite file (``Store`` creates them): a message is fetched
once (its mailbox, UIDVALIDITY and UID, with its Message-ID and content hash to know it
again after the mailbox was rebuilt); a letter is sent once per state of the report it
answers (``state``), every attempt's last reply kept. No password is ever stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .sqlite import Store, _dicts

MAIL_SCHEMA = """
CREATE TABLE IF NOT EXISTS mail_fetched (
    account TEXT NOT NULL, folder TEXT NOT NULL, uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL, message_id TEXT NOT NULL, size INTEGER NOT NULL,
    sha256 TEXT NOT NULL, period TEXT NOT NULL, file TEXT NOT NULL,
    answers TEXT NOT NULL, fetched_at TEXT NOT NULL,
    PRIMARY KEY (account, folder, uidvalidity, uid)
);
CREATE INDEX IF NOT EXISTS mail_fetched_by_id ON mail_fetched (account, folder, message_id);
CREATE TABLE IF NOT EXISTS mail_sent (
    period TEXT NOT NULL, municipality TEXT NOT NULL, kind TEXT NOT NULL,
    state TEXT NOT NULL, draft TEXT NOT NULL, message_id TEXT NOT NULL,
    recipient TEXT NOT NULL, subject TEXT NOT NULL, status TEXT NOT NULL,
    at TEXT NOT NULL, reply TEXT NOT NULL, attempts INTEGER NOT NULL,
    PRIMARY KEY (period, municipality, kind, state)
);
"""

#: Statuses of a letter in ``mail_sent``.
SENT, FAILED, TEMPORARY, NO_ADDRESS = "sent", "failed", "temporary", "no_address"


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Fetched:
    account: str
    folder: str
    uidvalidity: int
    uid: int
    message_id: str
    size: int
    sha256: str
    period: str
    file: str
    answers: str  # In-Reply-To and References: the Message-IDs this message answers


class MailLog:
    """Reads and writes the mail tables of one store."""

    def __init__(self, store: Store):
        self.db = store.db

    # -- fetched -------------------------------------------------------------------
    def known_uids(self, account: str, folder: str, uidvalidity: int) -> set[int]:
        cur = self.db.execute(
            "SELECT uid FROM mail_fetched WHERE account = ? AND folder = ? AND uidvalidity = ?",
            (account, folder, uidvalidity),
        )
        return {r[0] for r in cur}

    def other_validities(self, account: str, folder: str, uidvalidity: int) -> bool:
        """Was this folder fetched under another UIDVALIDITY (the mailbox was rebuilt)?"""
        row = self.db.execute(
            "SELECT 1 FROM mail_fetched WHERE account = ? AND folder = ? AND uidvalidity != ?"
            " LIMIT 1",
            (account, folder, uidvalidity),
        ).fetchone()
        return row is not None

    def fetched_by_id(self, account: str, folder: str, message_id: str, size: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM mail_fetched WHERE account = ? AND folder = ? AND message_id = ?"
            " AND size = ? LIMIT 1",
            (account, folder, message_id, size),
        ).fetchone()
        return row is not None

    def fetched_by_hash(self, account: str, folder: str, sha256: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM mail_fetched WHERE account = ? AND folder = ? AND sha256 = ? LIMIT 1",
            (account, folder, sha256),
        ).fetchone()
        return row is not None

    def add_fetched(self, f: Fetched) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO mail_fetched VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*f.__dict__.values(), now()),
        )

    def fetched(self, period: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM mail_fetched"
        cur = (
            self.db.execute(sql + " WHERE period = ? ORDER BY file", (period,))
            if period
            else self.db.execute(sql + " ORDER BY file")
        )
        return _dicts(cur)

    # -- sent ----------------------------------------------------------------------
    def letter(
        self, period: str, municipality: str, kind: str, state: str
    ) -> dict[str, Any] | None:
        rows = _dicts(
            self.db.execute(
                "SELECT * FROM mail_sent WHERE period = ? AND municipality = ? AND kind = ?"
                " AND state = ?",
                (period, municipality, kind, state),
            )
        )
        return rows[0] if rows else None

    def record_letter(self, row: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO mail_sent VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tuple(
                row[k]
                for k in (
                    "period",
                    "municipality",
                    "kind",
                    "state",
                    "draft",
                    "message_id",
                    "recipient",
                    "subject",
                    "status",
                    "at",
                    "reply",
                    "attempts",
                )
            ),
        )

    def letters(self, period: str) -> list[dict[str, Any]]:
        """The period's letters, the latest attempt of each, oldest first."""
        return _dicts(
            self.db.execute(
                "SELECT * FROM mail_sent WHERE period = ? ORDER BY at, municipality, kind",
                (period,),
            )
        )

    def sent_by_id(self) -> dict[str, dict[str, Any]]:
        """Every letter sent, by its Message-ID (to link the replies to it)."""
        cur = self.db.execute("SELECT * FROM mail_sent WHERE message_id != ''")
        return {r["message_id"]: r for r in _dicts(cur)}
