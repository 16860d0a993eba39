"""The regional run: inbox -> archive -> validate -> store -> regional outputs."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import os
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import sweep_leftovers
from .campaign.models import Campaign
from .consolidate.consolidation import (
    MISSING,
    NOT_FEEDBACK,
    Consolidation,
    consolidate,
)
from .consolidate.examine import Examined, examine
from .consolidate.region import deadline_passed, ru_date_time
from .decide import with_sheet
from .expertise import expertise_path, load_expertise
from .feedback.letters import decision_in_force
from .intake.archive import archive, archive_file, archive_hashed, content_hash
from .intake.items import Candidate, Other, Refused
from .intake.unpack import scan
from .isolation import Limits, die_with_parent, failure_issue, run_isolated
from .issues import Severity
from .messages import render
from .store.folder import run_lock, work_paths
from .store.results import save_report
from .store.sqlite import Store, Submission

Progress = Callable[[str, int, int], None]


@dataclass
class CollectResult:
    """What a run did and where its outputs are."""

    period: str
    consolidation: Consolidation | None
    new_files: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    feedback: list[Path] = field(default_factory=list)
    drafts: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    #: the expert workbook read back (seed 004 expertise): its path, marks read, problems
    expertise: Path | None = None
    expertise_marks: int = 0
    expertise_problems: list[str] = field(default_factory=list)
    #: Decisions read from «Решения» (recorded), and typed values refused (why, where).
    decisions: list[str] = field(default_factory=list)
    decision_problems: list[str] = field(default_factory=list)


def _examine_job(args: tuple[str, str, str, str, str], campaign: Campaign) -> Examined:
    path, name, sender, digest, period = args
    return examine(Path(path), name, sender, digest, period, campaign)


Job = tuple[str, str, str, str, str]  # archived path, received name, sender, hash, received at


def _intake(
    inbox: Path,
    period: str,
    store: Store,
    archive_dir: Path,
    dry_run: bool,
    counts: dict[str, float],
) -> Iterator[Job]:
    """Archive every candidate first, then yield it when it is unseen for this period.

    A generator: workers read the first files while later ones are archived.
    With ``dry_run`` the store is in memory and files are examined from temporary copies.
    """
    seen: set[str] = set()
    # items of one listing and content met before in this scan: two identical
    # attachments of one letter are two rows, never one (a rerun counts the same)
    met: Counter[tuple[str, str]] = Counter()
    # what is no report (a letter, a scan) is written to the archive by background
    # threads while the next letters are parsed; the store names a file only once it
    # is on disk (benchmarks/RESULTS.md, mail)
    writes = _Writes(store, archive_dir) if not dry_run else None
    try:
        yield from _scan_inbox(inbox, period, store, archive_dir, writes, counts, seen, met)
        if writes:
            clock = time.perf_counter()
            writes.settle(keep=0)
            counts["seconds"] += time.perf_counter() - clock
    finally:
        if writes:
            writes.close()


class _Writes:
    """Archive writes in background threads; each file's store row after its write."""

    #: files written or waiting at once (each held in memory until written)
    AHEAD = 8

    def __init__(self, store: Store, folder: Path):
        self.store, self.folder = store, folder
        self.threads = ThreadPoolExecutor(2, thread_name_prefix="archive")
        self.pending: deque[tuple[Future[tuple[str, Path, bool]], int, str, str]] = deque()

    def add(self, data: bytes, ext: str, received: str) -> str:
        digest = content_hash(data)
        job = self.threads.submit(archive_hashed, digest, data, ext, self.folder)
        self.pending.append((job, len(data), ext, received))
        self.settle(keep=self.AHEAD)
        return digest

    def settle(self, keep: int | None = None) -> None:
        """Record the finished writes in order, and with ``keep`` wait until no more than
        that many are left (0: all); a failed write raises here, as it would in line."""
        while self.pending and (
            self.pending[0][0].done() or (keep is not None and len(self.pending) > keep)
        ):
            job, size, ext, received = self.pending.popleft()
            digest, path, _ = job.result()
            self.store.add_file(digest, size, ext, str(path), received)

    def close(self) -> None:
        self.threads.shutdown(wait=True)


def _scan_inbox(
    inbox: Path,
    period: str,
    store: Store,
    archive_dir: Path,
    writes: _Writes | None,
    counts: dict[str, float],
    seen: set[str],
    met: Counter[tuple[str, str]],
) -> Iterator[Job]:
    dry_run = writes is None
    clock = time.perf_counter()
    for item in scan(inbox):
        received = item.received_at.isoformat(timespec="seconds")
        if isinstance(item, Refused | Other):
            digest = ""
            if item.data is not None:  # kept as evidence, like every received file
                ext = _ext_of(item.name)
                digest = (
                    content_hash(item.data)
                    if writes is None
                    else writes.add(item.data, ext, received)
                )
            elif isinstance(item, Refused) and item.source is not None and not dry_run:
                digest, path, _ = archive_file(item.source, _ext_of(item.name), archive_dir)
                store.add_file(
                    digest, item.source.stat().st_size, _ext_of(item.name), str(path), received
                )
            met[(item.chain, digest)] += 1
            n = met[(item.chain, digest)]
            if isinstance(item, Refused):
                store.add_refused(
                    item.chain, item.name, item.sender, received, period, item.reason, digest, n
                )
            else:
                store.add_other(
                    digest, item.chain, item.name, item.sender, received, period, item.outcome, n
                )
            continue
        assert isinstance(item, Candidate)
        ext = item.ext or Path(item.name).suffix.lower()  # a workbook by content
        if dry_run:
            digest, path = content_hash(item.data), _scratch(item.data, ext)
        else:
            digest, path, _ = archive(item.data, ext, archive_dir)
        counts["new"] += store.add_file(digest, len(item.data), ext, str(path), received)
        store.add_receipt(digest, item.name, item.chain, item.sender, received, period)
        if store.submission(digest, period) is None and digest not in seen:
            seen.add(digest)
            counts["seconds"] += time.perf_counter() - clock
            yield (str(path), item.name, item.sender, digest, received)
            clock = time.perf_counter()
        if writes:
            writes.settle()
    counts["seconds"] += time.perf_counter() - clock


def _ext_of(name: str) -> str:
    """A safe extension for the archive copy (or none)."""
    ext = Path(name).suffix.lower()
    return ext if ext[1:].isalnum() and len(ext) <= 10 else ""


def _failed(digest: str, name: str, period: str, reason: str, limits: Limits) -> Examined:
    """A file whose worker broke a limit or crashed: one SUB09 finding, the batch goes on."""
    issue = failure_issue(name, reason, limits)
    return Examined(
        hash=digest,
        period=period,
        municipality=None,
        template_version="",
        readable=False,
        findings=[issue.as_dict()],
        counts={Severity.ERROR.ru: 1},
    )


def _scratch(data: bytes, ext: str) -> Path:
    """A temporary copy for --dry-run (removed at exit of the process)."""
    fd, name = tempfile.mkstemp(suffix=ext, prefix="shkmd-dry-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    import atexit

    atexit.register(lambda: Path(name).unlink(missing_ok=True))
    return Path(name)


def _save(store: Store, ex: Examined, received: str, sender: str, name: str) -> None:
    counts = ex.counts
    store.save_submission(
        Submission(
            hash=ex.hash,
            period=ex.period,
            municipality=ex.municipality,
            received_at=received,
            sender=sender,
            original_name=name,
            template_version=ex.template_version,
            outcome="accepted" if ex.readable and ex.municipality else "rejected",
            errors=counts.get(Severity.ERROR.ru, 0),
            warnings=counts.get(Severity.WARNING.ru, 0),
            infos=counts.get(Severity.INFO.ru, 0),
            completeness=ex.completeness,
            replaced_by=None,
        ),
        ex.findings,
        ex.records,
    )
    save_report(store, ex.hash, ex.period, ex.municipality, ex.records)


@dataclass
class _Pools:
    """The outputs' process pools: one process for the clustering of schools, the
    others for the feedback copies. Started before the intake, so that what their jobs
    import (scikit-learn alone takes 2–3 s) is imported while this process takes in
    the inbox (benchmarks/RESULTS.md, mail)."""

    clusters: ProcessPoolExecutor
    feedback: ProcessPoolExecutor

    @classmethod
    def start(cls, workers: int) -> _Pools | None:
        if workers <= 1:
            return None
        pools = cls(
            ProcessPoolExecutor(1, initializer=_ready, initargs=("clusters",)),
            ProcessPoolExecutor(workers, initializer=_ready, initargs=("feedback",)),
        )
        for pool, n in ((pools.clusters, 1), (pools.feedback, workers)):
            for _ in range(n):  # a pool starts its processes with its first jobs
                pool.submit(int)
        return pools

    def shutdown(self) -> None:
        self.clusters.shutdown()
        self.feedback.shutdown()


def _ready(work: str) -> None:
    """A pool process's start: end with the parent; import what its jobs need."""
    die_with_parent()
    if work == "clusters":
        for module in ("sklearn.cluster", "sklearn.metrics"):  # figures.clusters
            importlib.import_module(module)
    else:
        from .feedback import annotated  # noqa: F401  (openpyxl)


def collect(
    inbox: Path,
    period: str,
    campaign: Campaign,
    out: Path,
    *,
    dry_run: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    feedback: bool = True,
    limits: Limits | None = None,
    outputs: bool = True,
    wait_seconds: float = 600.0,
    expertise: Path | None = None,
    decisions: Path | None = None,
) -> CollectResult:
    """Collect one period's submissions from ``inbox`` into ``out`` (idempotent).

    The decisions typed in «Решения» of the previous regional workbook in ``out`` (or
    of ``decisions``) are recorded before the outputs are made.

    ``outputs=False`` stops after the store (intake, archive, validation): for
    federal-scale runs whose tables do not fit a workbook. A second run on the
    same ``out`` waits for the first up to ``wait_seconds``, then raises StoreBusy.
    ``expertise``: the filled expert workbook (default: «Экспертиза_P.xlsx» in ``out``,
    read when it is there).
    """
    campaign.period(period)  # KeyError for an unknown period, before anything is written
    paths = work_paths(out)
    workers = workers or min(os.cpu_count() or 1, 4)

    def waiting() -> None:
        if progress:
            progress(render("cli.waiting"), 0, 0)

    lock = run_lock(out, wait_seconds, waiting)
    with contextlib.nullcontext() if dry_run else lock:
        if not dry_run:  # what a killed run left half-written (this run holds the lock)
            sweep_leftovers(out)
        store = Store(paths["store"]) if not dry_run else Store(Path(":memory:"))
        try:
            clock = time.perf_counter()
            counts = {"new": 0.0, "seconds": 0.0}
            todo: list[Job] = []

            def jobs() -> Iterator[tuple[str, str, str, str, str]]:
                for entry in _intake(inbox, period, store, paths["archive"], dry_run, counts):
                    todo.append(entry)
                    path, name, sender, digest, _ = entry
                    yield (path, name, sender, digest, period)

            # started before the intake: see _Pools
            pools = _Pools.start(workers) if feedback and not dry_run and outputs else None
            try:
                # the campaign goes to each worker once, not with every file
                job = functools.partial(_examine_job, campaign=campaign)
                examined = run_isolated(job, jobs(), workers, limits or Limits())
                for i, (index, ok, outcome) in enumerate(examined, 1):
                    item = todo[index]
                    ex = (
                        outcome
                        if ok
                        else _failed(item[3], item[1], period, str(outcome), limits or Limits())
                    )
                    _save(store, ex, item[4], item[2], item[1])
                    if progress:
                        progress(item[1], i, len(todo))
                new_files = int(counts["new"])
                timings = {
                    "intake + archive": counts["seconds"],
                    "read + validate + store": time.perf_counter() - clock - counts["seconds"],
                }
                if not outputs:
                    return CollectResult(period, None, new_files, timings=timings)
                expert_book = expertise or expertise_path(out, period)
                read = load_expertise(store, period, expert_book) if expert_book.is_file() else None
                clock = time.perf_counter()
                cons = consolidate(store, campaign, period)
                sheet = None
                if not dry_run:
                    cons, sheet = with_sheet(
                        store, campaign, cons, decisions or regional_path(out, period)
                    )
                timings["consolidate"] = time.perf_counter() - clock
                result = CollectResult(period, cons, new_files, timings=timings)
                if read is not None:
                    result.expertise = expert_book
                    result.expertise_marks = len(read.marks)
                    result.expertise_problems = read.problems
                if sheet is not None:
                    result.decisions, result.decision_problems = sheet.recorded, sheet.problems
                if not dry_run:
                    _outputs(
                        store, campaign, cons, out, result, pools if feedback else None, feedback
                    )
            finally:
                if pools:
                    pools.shutdown()
        finally:
            store.close()
    return result


def regional_path(out: Path, period: str) -> Path:
    """The period's regional workbook in the working folder."""
    return out / f"Свод_{period}.xlsx"


def refresh(
    out: Path,
    period: str,
    campaign: Campaign,
    *,
    wait_seconds: float = 600.0,
    decide: Callable[[Store, Consolidation], Any] | None = None,
) -> tuple[CollectResult, Any]:
    """Remake the period's outputs from the store (no intake): after a decision. The
    decisions typed in «Решения» are recorded first, then ``decide`` (a decision from
    the command line; its result is returned with the run's)."""
    paths = work_paths(out)
    with run_lock(out, wait_seconds):
        store = Store(paths["store"])
        try:
            cons = consolidate(store, campaign, period)
            cons, sheet = with_sheet(store, campaign, cons, regional_path(out, period))
            done = decide(store, cons) if decide else None
            unrecorded = cons.unrecorded
            cons = consolidate(store, campaign, period)
            cons.unrecorded = unrecorded
            result = CollectResult(period, cons, 0)
            result.decisions, result.decision_problems = sheet.recorded, sheet.problems
            pools = _Pools.start(min(os.cpu_count() or 1, 4))
            try:
                _outputs(store, campaign, cons, out, result, pools, True)
            finally:
                if pools:
                    pools.shutdown()
        finally:
            store.close()
    return result, done


def _decided(st: Any) -> bool:
    """The region's latest decision accepts or returns the file counted now."""
    return decision_in_force(st) > 0


def letters_again(out: Path, period: str, campaign: Campaign) -> CollectResult:
    """Make the period's regional workbook, feedback copies and letters again from the
    store (``mail send`` before sending letters whose municipality's state changed since
    they were made): the decisions typed in «Решения» are recorded first (``refresh``)."""
    return refresh(out, period, campaign)[0]


def _feedback_job(args: tuple[str, list[dict], str, str, str]) -> str:
    from .feedback.annotated import annotate

    source, findings, target, region, period = args
    return str(annotate(Path(source), findings, Path(target), region=region, period=period))


@dataclass
class _FeedbackPlan:
    """Who gets which letter: annotated copies to make (``jobs`` for the pool, their
    ``owners``), municipalities whose file was unreadable (a template instead), and
    those the region accepted with nothing left to mark (a letter alone)."""

    jobs: list[tuple[str, list[dict[str, Any]], str, str, str]] = field(default_factory=list)
    owners: list[tuple[Any, list[dict[str, Any]]]] = field(default_factory=list)
    unreadable: list[tuple[Any, list[dict[str, Any]]]] = field(default_factory=list)
    plain: list[tuple[Any, list[dict[str, Any]], None]] = field(default_factory=list)


def _feedback_plan(
    store: Store, campaign: Campaign, cons: Consolidation, folder: Path
) -> _FeedbackPlan:
    period = cons.period
    archive_of = {r["hash"]: r["archive_path"] for r in store.receipts(period.code)}
    plan = _FeedbackPlan()
    for st in cons.statuses:
        listed = [f for f in cons.findings_of(st.name) if f["code"] not in NOT_FEEDBACK]
        findings = [f for f in listed if not f.get("waived")]
        if st.submission is None or not (findings or _decided(st)):
            continue
        if st.submission.outcome == "rejected":  # nothing to annotate: the template instead
            plan.unreadable.append((st, findings))
            continue
        if not findings:  # accepted by the region, nothing left to mark: no copy
            plan.plain.append((st, findings, None))
            continue
        target = folder / f"Замечания_{st.code}_{period.code}.xlsx"
        heading = f"{campaign.region}, {st.name}"  # each printed page's header
        plan.jobs.append(
            (archive_of[st.submission.hash], findings, str(target), heading, period.name)
        )
        plan.owners.append((st, findings))
    return plan


def _outputs(
    store: Store,
    campaign: Campaign,
    cons: Consolidation,
    out: Path,
    result: CollectResult,
    pools: _Pools | None,
    feedback: bool,
) -> None:
    from .feedback.letters import (
        decision_draft,
        feedback_draft,
        letter_state,
        reminder_draft,
        state_of,
    )
    from .figures.clusters import period_clustering
    from .regional import write_regional_workbook

    period = cons.period
    clock = time.perf_counter()
    # the pool's work first — the clustering of schools (the workbook waits for it at
    # «Кластеры ОО»), then the feedback copies — so it runs while this process writes
    # the regional workbook (benchmarks/RESULTS.md, mail)
    clustering = period_clustering(store, campaign, cons, pools.clusters if pools else None)
    folder = work_paths(out)["feedback"] / period.code
    from .template.workbook import template_name, write_municipal_workbook

    def personal_template(code: str) -> Path:
        return write_municipal_workbook(
            campaign,
            code,
            folder / "Шаблоны" / template_name(campaign, code),
            dt.datetime.combine(period.deadline, dt.time()),
        )

    made = dt.datetime.now()
    plan = _feedback_plan(store, campaign, cons, folder) if feedback else _FeedbackPlan()
    jobs, owners, unreadable, plain = plan.jobs, plan.owners, plan.unreadable, plan.plain
    started = [pools.feedback.submit(_feedback_job, job) for job in jobs] if pools else []
    result.outputs["regional"] = write_regional_workbook(
        store, campaign, cons, regional_path(out, period.code), clustering
    )
    result.timings["regional workbook"] = time.perf_counter() - clock
    if not feedback:
        return
    clock = time.perf_counter()
    done = [future.result() for future in started] if pools else list(map(_feedback_job, jobs))
    annotated = [(st, f, Path(path)) for (st, f), path in zip(owners, done, strict=True)]
    result.feedback += [path for _, _, path in annotated]
    letters: list[tuple[Any, list[dict[str, Any]], Path | None]] = [
        *annotated,
        *plain,
        *((st, f, personal_template(st.code)) for st, f in unreadable),
    ]
    for st, findings, attachment in letters:
        target = folder / f"Письмо_{st.code}_{period.code}.eml"
        if _decided(st):
            waived = [f for f in cons.findings_of(st.name) if f.get("waived")]
            result.drafts.append(
                decision_draft(
                    campaign,
                    st.code,
                    period,
                    findings,
                    attachment,
                    target,
                    decision=st.decision,
                    waived=waived,
                    made=made,
                    template=st.submission is not None and st.submission.outcome == "rejected",
                    state=state_of(st),
                )
            )
            continue
        s = st.submission
        assert s is not None and attachment is not None
        rejected = s.outcome == "rejected"
        late = not rejected and deadline_passed(s, period)
        result.drafts.append(
            feedback_draft(
                campaign,
                st.code,
                period,
                findings,
                attachment,
                target,
                status=st.status,
                rejected_file=s.original_name if rejected else "",
                late=ru_date_time(s.received_at) if late else "",
                made=made,
                state=state_of(st),
            )
        )
    missing = [st.code for st in cons.statuses if st.status == MISSING]
    if missing:
        for code in missing:
            template = personal_template(code)
            result.drafts.append(
                reminder_draft(
                    campaign,
                    code,
                    period,
                    template,
                    folder / f"Напоминание_{code}_{period.code}.eml",
                    state=letter_state(MISSING, None),
                )
            )
    result.timings["feedback + drafts"] = time.perf_counter() - clock
