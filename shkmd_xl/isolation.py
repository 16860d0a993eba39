"""Run a function over received files in worker processes with a time and memory limit.

A file that makes its worker exceed the limits (or crash) does not stop the
batch: its worker is killed and replaced, and the caller gets a failure result
for that file. Workers are reused between files, so the cost is one process
start per worker, not per file.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .issues import Issue

#: Defaults of SPEC/issue «hostile input»: 512 MB and 10 s per file.
DEFAULT_MEMORY_MB = 512
DEFAULT_SECONDS = 10.0


@dataclass(frozen=True)
class Limits:
    memory_mb: int = DEFAULT_MEMORY_MB
    seconds: float = DEFAULT_SECONDS


def _vm_bytes() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _cap_memory(memory_mb: int) -> None:
    """Allow this process ``memory_mb`` more address space than it uses now (POSIX)."""
    try:
        import resource
    except ImportError:  # Windows: the time limit still applies
        return
    current = _vm_bytes()
    if current is None:
        return
    limit = current + memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _quiet() -> None:
    """A reader dying on a hostile file prints Rust panics and allocation failures to
    stderr; the user gets a finding for the file instead, so the worker's stderr is muted."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process


def _parent_gone(ppid: int) -> bool:
    parent = mp.parent_process()
    if parent is not None and os.name == "nt":
        return not parent.is_alive()
    return os.getppid() != ppid  # POSIX: an orphan is adopted by another process


def die_with_parent() -> None:
    """Make this worker end when the process that started it dies (killed, closed
    console, OOM killer): no orphan keeps its memory. Linux is told directly
    (PR_SET_PDEATHSIG); elsewhere, and as a second line, a thread watches the parent."""
    ppid = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if _parent_gone(ppid):  # died before the line above
        os._exit(1)

    def watch() -> None:
        while not _parent_gone(ppid):
            time.sleep(1.0)
        os._exit(1)

    import threading

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker(
    conn: Connection, fn: Callable[[Any], Any], memory_mb: int, parent_end: Connection
) -> None:
    parent_end.close()  # fork copied the parent's end: without it no EOF when it dies
    die_with_parent()
    _quiet()
    _cap_memory(memory_mb)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        index, job = message
        try:
            conn.send((index, True, fn(job)))
        except MemoryError:
            conn.send((index, False, "memory"))
        except Exception as exc:  # reported as a failure of this file only
            conn.send((index, False, f"{type(exc).__name__}: {exc}"[:200]))


class _Slot:
    def __init__(self, ctx: Any, fn: Callable[[Any], Any], limits: Limits):
        self.parent, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker, args=(child, fn, limits.memory_mb, self.parent), daemon=True
        )
        self.process.start()
        child.close()
        self.tasks: deque[tuple[int, Any]] = deque()  # sent, unanswered; the first is running
        self.started = 0.0  # when the first of ``tasks`` started

    def send(self, index: int, job: Any) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append((index, job))
        with contextlib.suppress(BrokenPipeError, OSError):  # a dead worker is seen by wait()
            self.parent.send((index, job))

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.parent.close()


#: Jobs queued per worker: the next file is already in its pipe when it finishes
#: one, so workers do not wait for the parent (which archives and stores meanwhile).
DEPTH = 2
_END = object()


def run_isolated(
    fn: Callable[[Any], Any],
    jobs: Iterable[Any],
    workers: int,
    limits: Limits,
) -> Iterator[tuple[int, bool, Any]]:
    """Yield (index, ok, result-or-reason) for every job, in completion order.

    ``jobs`` may be a generator: jobs are taken as workers have room, so the
    caller can produce them (e.g. archive received files) while workers read.
    The time limit counts from when a job starts, not from when it was queued.
    ``reason`` is "timeout", "memory", "crash" or an exception text.
    """
    source = iter(jobs)
    workers = max(workers, 1)
    ctx = mp.get_context("fork" if os.name == "posix" else "spawn")
    slots: list[_Slot] = []
    issued = done = 0

    def take() -> Any:
        return next(source, _END)

    def restart(i: int) -> None:
        """Replace a dead or stuck worker; the jobs queued behind its first go to the new one."""
        waiting = list(slots[i].tasks)[1:]
        slots[i] = _replace(slots[i], ctx, fn, limits)
        for index, job in waiting:
            slots[i].send(index, job)

    exhausted = False
    try:
        while True:
            for i in range(workers):
                while not exhausted and (i >= len(slots) or len(slots[i].tasks) < DEPTH):
                    job = take()
                    if job is _END:
                        exhausted = True
                        break
                    if i == len(slots):  # workers start with the first jobs, not before
                        slots.append(_Slot(ctx, fn, limits))
                    slots[i].send(issued, job)
                    issued += 1
            if exhausted and done == issued:
                return
            busy = [s.parent for s in slots if s.tasks]
            ready = wait(busy, timeout=0.05)
            for i, slot in enumerate(slots):
                if not slot.tasks:
                    continue
                if slot.parent in ready:
                    try:
                        index, ok, result = slot.parent.recv()
                    except (EOFError, OSError):
                        index, ok, result = slot.tasks[0][0], False, _death_reason(slot)
                        restart(i)
                    else:
                        slot.tasks.popleft()
                        slot.started = time.monotonic()  # the next queued job starts now
                    done += 1
                    yield index, ok, result
                elif time.monotonic() - slot.started > limits.seconds:
                    index = slot.tasks[0][0]
                    restart(i)
                    done += 1
                    yield index, False, "timeout"
    finally:
        for slot in slots:
            with contextlib.suppress(BrokenPipeError, OSError):
                slot.parent.send(None)
            slot.process.join(timeout=2)
            slot.kill()


def failure_issue(file: str, reason: str, limits: Limits) -> Issue:
    """The finding of a file whose worker broke a limit or crashed (SUB09, «limit»)."""
    from .issues import Issue, Location

    params = {"reason": failure_ru(reason, limits)}
    return Issue("SUB09", Location(file=file), params=params, variant="limit")


def failure_ru(reason: str, limits: Limits) -> str:
    """A worker's failure («timeout», «memory», «crash», an exception text) in Russian."""
    from .messages import fragment

    if reason == "timeout":
        return fragment("SUB09.timeout", seconds=limits.seconds)
    if reason == "memory":
        return fragment("SUB09.memory", megabytes=limits.memory_mb)
    if reason == "crash":
        return fragment("SUB09.crash")
    return fragment("SUB09.worker_failed")


def _death_reason(slot: _Slot) -> str:
    slot.process.join(timeout=2)
    # killed for memory (-9), or aborted by the reader's allocator when the memory cap
    # refused an allocation (Rust prints «memory allocation failed» and aborts: -6)
    return "memory" if slot.process.exitcode in (-9, 137, -6, 134) else "crash"


def _replace(slot: _Slot, ctx: Any, fn: Callable[[Any], Any], limits: Limits) -> _Slot:
    slot.kill()
    return _Slot(ctx, fn, limits)
