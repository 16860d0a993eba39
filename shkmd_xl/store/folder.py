"""A campaign's working folder: where its parts live, and the lock that serialises runs
on it."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def work_paths(out: Path) -> dict[str, Path]:
    """A campaign's working folder: the store, the archive of received files, the
    feedback copies and letters."""
    return {"store": out / "shkmd.sqlite", "archive": out / "Архив", "feedback": out / "Замечания"}


class StoreBusy(RuntimeError):
    """Another run holds the store for longer than the caller waits."""


@contextlib.contextmanager
def run_lock(
    folder: Path, wait_seconds: float = 600.0, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Serialise runs on one working folder (a lock held in its own SQLite file).

    A second run waits up to ``wait_seconds`` (``on_wait`` is called once when it
    starts waiting), then gives up with :class:`StoreBusy`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "run.lock", timeout=0.1, isolation_level=None)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            db.execute("BEGIN EXCLUSIVE")
            break
        except sqlite3.OperationalError:
            if on_wait is not None:
                on_wait()
                on_wait = None
            if time.monotonic() > deadline:
                db.close()
                raise StoreBusy(str(folder)) from None
            time.sleep(0.2)
    try:
        yield
    finally:
        db.execute("ROLLBACK")
        db.close()
