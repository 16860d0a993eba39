"""The run of a federal roll-up: one regional collect per region, each region's
consolidation and table rows in a table process while the next region is read."""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import shutil
import tempfile
import time
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..atomic import public_mode
from ..campaign.models import Campaign
from ..collect import Progress
from ..consolidate.consolidation import MISSING, TO_REDO, Consolidation, consolidate
from ..forms import sheets as F
from ..isolation import Limits
from ..messages import render
from ..reader.opening import reason_ru
from ..store.folder import StoreBusy, run_lock
from ..store.sqlite import Store
from .registry import Region, load_registry
from .results import DONE, FederalResult, RegionResult
from .summary import write_summary
from .tables import FORMS, Tables, number, place, text, typed


def collect_regions(
    registry: Path | list[Region],
    period: str,
    out: Path,
    *,
    workers: int | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
    regional_outputs: bool = False,
    wait_seconds: float = 600.0,
) -> FederalResult:
    """Collect ``period`` for every region of ``registry`` into ``out``.

    Raises :class:`RegistryError` for an unusable registry (nothing is written);
    a region that cannot be processed is reported in its row and the run goes on.
    """
    regions = load_registry(registry) if isinstance(registry, Path) else registry
    result = FederalResult(period, [])
    with run_lock(out, wait_seconds):
        folder = out / f"Таблицы_{period}"
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out))
        public_mode(tmp, folder=True)
        # A region's consolidation and table rows run in a second process while the
        # next region's files are read (the parent would leave a core idle meanwhile);
        # the Parquet writers live there, and at most one region waits for it.
        tail = ProcessPoolExecutor(
            1,
            mp_context=mp.get_context("fork" if os.name == "posix" else "spawn"),
            initializer=_open_tables,
            initargs=(folder, tmp),
        )
        try:
            started = time.perf_counter()
            pending: tuple[RegionResult, Future[dict[str, Any]]] | None = None
            for region in regions:
                res, job = _region(
                    region,
                    period,
                    out,
                    workers=workers,
                    limits=limits,
                    progress=progress,
                    regional_outputs=regional_outputs,
                    wait_seconds=wait_seconds,
                )
                result.regions.append(res)
                if pending is not None:
                    _apply(pending[0], pending[1].result())
                pending = (res, tail.submit(_finish_job, *job)) if job else None
            if pending is not None:
                _apply(pending[0], pending[1].result())
            result.rows = tail.submit(_close_tables).result()
            result.timings["regions"] = time.perf_counter() - started
            result.timings["regions: intake + archive + validate + store"] = sum(
                r.collect_seconds for r in result.regions
            )
            started = time.perf_counter()
            place(tmp, folder)
        finally:
            tail.shutdown(cancel_futures=True)
            shutil.rmtree(tmp, ignore_errors=True)  # left only when the run failed
        result.tables = folder
        result.summary = write_summary(result, out / f"Свод_регионов_{period}.xlsx")
        result.timings["tables + summary"] = time.perf_counter() - started
    return result


_TABLES: Tables | None = None  # in the table process


def _open_tables(folder: Path, tmp: Path) -> None:
    global _TABLES
    _TABLES = Tables(folder, tmp)


def _close_tables() -> dict[str, int]:
    assert _TABLES is not None
    return _TABLES.close()


def _finish_job(region: Region, campaign: Campaign, period: str, folder: Path) -> dict[str, Any]:
    """In the table process: consolidate one region and write its table rows."""
    from ..store.folder import work_paths

    assert _TABLES is not None
    clock = time.perf_counter()
    store = Store(work_paths(folder)["store"])
    try:
        cons = consolidate(store, campaign, period)
        _rows(_TABLES, region, campaign, cons, store)
        learning = _results(_TABLES, region, campaign, cons, store)
    except Exception as exc:
        logging.getLogger("shkmd_xl").exception("region %s failed", region.code)
        return {"problem": render("federal.failed", error=type(exc).__name__)}
    finally:
        store.close()
    filled = [s.completeness for s in cons.current.values()]
    return {
        "status": DONE,
        "statuses": Counter(st.status for st in cons.statuses),
        "received": cons.summary.get("received", 0),
        "errors": sum(st.errors for st in cons.statuses),
        "warnings": sum(st.warnings for st in cons.statuses),
        "completeness": round(sum(f or 0 for f in filled) / len(filled), 1) if filled else None,
        "gaps": [
            (st.code, st.name, st.status.ru, st.errors, _what_is_wrong(cons, st))
            for st in cons.statuses
            if st.status in (TO_REDO, MISSING)
        ],
        **learning,
        "seconds": time.perf_counter() - clock,
    }


def _yes(value: bool | None) -> str | None:
    return None if value is None else "Да" if value else "Нет"


def _results(
    tables: Tables, region: Region, campaign: Campaign, cons: Consolidation, store: Store
) -> dict[str, Any]:
    """The region's student results (figures.results, the campaign's rules): a row per
    school and per municipality, and the targets they decide as the region's own
    «Показатели проекта» prints them (one computation: figures.targets)."""
    from ..figures.base import counted
    from ..figures.results import effective, results_of
    from ..figures.targets import LEARNING, learning_measures, shown, survey_condition

    now = counted(cons)
    figs = results_of(store, campaign, now)
    survey = survey_condition(store, campaign, now)
    measures = learning_measures(store, campaign, now, figs)
    where = [region.code, region.name]
    per_mun: dict[str, list[Any]] = {}
    for s in figs.schools:
        code = s.school.municipality
        verdict = effective(s, survey)
        tables.add(
            "results_schools",
            [
                *where,
                code,
                s.municipality,
                s.school.short_name,
                s.school.type or None,
                figs.year,
                _round(s.integral),
                _round(s.se),
                s.rank,
                _yes(s.low) if s.integral is not None else None,
                _round(s.change),
                _yes(s.confirmed),
                _yes(verdict),
                _yes(s.all_passed),
                len(s.zones),
            ],
        )
        acc = per_mun.setdefault(code, [s.municipality, [], 0, 0, 0, 0, 0, 0, 0, 0])
        if s.integral is not None:
            acc[1].append(s.integral)
        acc[2] += bool(s.low)
        acc[3] += verdict is True
        acc[4] += verdict is not None
        acc[5] += s.confirmed is True
        acc[6] += s.confirmed is not None
        acc[7] += s.all_passed is True
        acc[8] += s.all_passed is not None
        acc[9] += len(s.zones)
    for code, (name, values, *rest) in sorted(per_mun.items()):
        mean = sum(values) / len(values) if values else None
        tables.add(
            "results_municipalities",
            [*where, code, name, figs.year, len(values), _round(mean), *rest],
        )
    return {
        "results_schools": sum(1 for s in figs.schools if s.integral is not None),
        "low_schools": len(figs.low),
        "learning": {key: shown(measures[key]) for key in LEARNING},
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _what_is_wrong(cons: Any, st: Any) -> str:
    """A municipality's gap in words: not sent, or its most frequent errors by title."""
    from ..issues import CODES, Severity

    if st.status == MISSING:
        return render("federal.gap.missing")
    errors = Counter(
        f["code"] for f in cons.findings_of(st.name) if f["severity"] == Severity.ERROR.ru
    )
    top = "; ".join(
        render("federal.gap.code", code=code, title=CODES[code].title, count=n)
        for code, n in errors.most_common(3)
    )
    return render("federal.gap.redo", errors=top or render("federal.gap.unread"))


def _apply(res: RegionResult, stats: dict[str, Any]) -> None:
    seconds = stats.pop("seconds", 0.0)
    for key, value in stats.items():
        setattr(res, key, value)
    res.seconds += seconds


def _region(
    region: Region,
    period: str,
    out: Path,
    *,
    workers: int | None,
    limits: Limits | None,
    progress: Progress | None,
    regional_outputs: bool,
    wait_seconds: float,
) -> tuple[RegionResult, tuple[Region, Campaign, str, Path] | None]:
    """Collect one region; returns its result and the arguments of the step that
    completes it (consolidation, table rows), or None when it could not be collected."""
    from ..campaign.validate import CampaignError
    from ..collect import collect
    from ..reader.campaign_book import load_campaign

    res = RegionResult(region)
    started = time.perf_counter()
    if not region.campaign.is_file():
        res.problem = render("federal.no_campaign", path=region.campaign)
        return res, None
    try:
        campaign = load_campaign(region.campaign)
    except CampaignError as exc:
        res.problem = render(
            "federal.bad_campaign", path=region.campaign.name, problem=exc.problems[0]
        )
        return res, None
    except Exception as exc:  # an unreadable file of any kind: this region only
        res.problem = render(
            "federal.bad_campaign", path=region.campaign.name, problem=reason_ru(exc)
        )
        return res, None
    res.municipalities = len(campaign.municipalities)
    if period not in {p.code for p in campaign.periods}:
        res.problem = render("federal.no_period", period=period, path=region.campaign.name)
        return res, None
    if not region.inbox.is_dir():
        res.problem = render("federal.no_inbox", path=region.inbox)
        return res, None

    def step(name: str, i: int, n: int) -> None:
        if progress:
            progress(f"{region.code}: {name}", i, n)

    folder = out / region.code
    try:
        done = collect(
            region.inbox,
            period,
            campaign,
            folder,
            workers=workers,
            limits=limits,
            progress=step,
            feedback=regional_outputs,
            outputs=regional_outputs,
            wait_seconds=wait_seconds,
        )
    except StoreBusy:
        res.problem = render("cli.store_busy", out=folder, seconds=f"{wait_seconds:g}")
        return res, None
    except Exception as exc:  # this region only; the others go on
        logging.getLogger("shkmd_xl").exception("region %s failed", region.code)
        res.problem = render("federal.failed", error=type(exc).__name__)
        return res, None
    res.new_files = done.new_files
    res.seconds = res.collect_seconds = time.perf_counter() - started
    return res, (region, campaign, period, folder)


def _rows(
    tables: Tables, region: Region, campaign: Campaign, cons: Consolidation, store: Store
) -> None:
    """One region's rows of every table (records of the current submissions only)."""
    where = [region.code, region.name]
    for st in cons.statuses:
        s = st.submission
        tables.add(
            "statuses",
            [
                *where,
                st.code,
                st.name,
                st.status.ru,
                s.original_name if s else None,
                s.received_at if s else None,
                st.errors,
                st.warnings,
                st.infos,
                s.completeness if s else None,
            ],
        )
    for src in cons.sources:
        tables.add(
            "files",
            [
                *where,
                src["municipality"] or None,
                src["original_name"],
                src["chain"],
                src["sender"],
                src["received_at"],
                src["outcome"],
                src["template_version"] or None,
                src["hash"] or None,
            ],
        )
    for f in cons.findings:
        tables.add(
            "findings",
            [
                *where,
                f["code"],
                f["severity"],
                f["file"] or None,
                f["sheet"] or None,
                f["cell"] or None,
                f["row"],
                f["municipality"] or None,
                f["school"] or None,
                text(f["value"]),
                f["message"],
            ],
        )
    p = cons.period
    for code, s in sorted(cons.current.items()):
        mun = [*where, code, campaign.municipality(code).name]
        for key, form in FORMS.items():
            for row, rec in store.numbered_records(s.hash, p.code, key):
                tables.add(key, [*mun, row, *typed(form, rec)])
        for _, rec in store.numbered_records(s.hash, p.code, F.MOUO_KEY):
            value = rec.get(F.value_key(p.slot))
            link = rec.get(F.link_key(p.slot))
            if value is not None or link:
                tables.add(
                    "monitoring",
                    [*mun, "МОУО", None, None, rec.get("code"), text(value), None, text(link)],
                )
        codes = [i.code for i in campaign.school_indicators if p.stage in i.stages]
        for _, rec in store.numbered_records(s.hash, p.code, F.SCHOOL_MON_KEY):
            if rec.get("stage") != p.stage:
                continue
            for ind in codes:
                v = rec.get(ind)
                if v is not None and v != "":
                    tables.add(
                        "monitoring",
                        [*mun, "ОО", rec.get("school"), p.stage, ind, text(v), number(v), None],
                    )
