"""The embedded SQLite store (:mod:`.sqlite`: received files, submissions, findings,
records) and the campaign's working folder it lives in (:mod:`.folder`: paths, run lock)."""

from .folder import StoreBusy, run_lock, work_paths
from .sqlite import Store, Submission

__all__ = ["Store", "StoreBusy", "Submission", "run_lock", "work_paths"]
