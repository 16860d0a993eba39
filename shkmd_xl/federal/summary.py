"""Свод_регионов: the summary workbook of a federal roll-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..campaign.goals import MEASURES
from ..consolidate.consolidation import MISSING, TO_REDO
from ..figures.targets import LEARNING
from ..messages import render
from ..statuses import STATUSES
from .results import DONE, FederalResult, RegionResult
from .tables import RECEIVED, SPECS


def tables_rows(result: FederalResult) -> list[list[Any]]:
    folder = result.tables.name if result.tables else ""
    return [
        [f"{folder}/{spec.file}", result.rows.get(spec.file, 0), spec.title]
        for spec in SPECS.values()
    ]


def _summary_row(r: RegionResult) -> list[Any]:
    """A region's row of «Регионы»: figures only for a region that was processed."""
    head = [r.region.code, r.region.name, r.municipalities or None]
    if r.status != DONE:
        blank = [None] * (11 + len(RESULTS_HEADERS))
        return [*head, *blank, render("federal.not_processed", problem=r.problem)]
    share = round(100 * r.submitted / r.municipalities, 1) if r.municipalities else None
    return [
        *head,
        r.submitted,
        share,
        *(r.statuses[s] for s in STATUSES),
        r.received,
        r.new_files,
        r.errors,
        r.warnings,
        r.completeness,
        r.results_schools,
        r.low_schools,
        *(r.learning.get(key) for key in LEARNING),
        _region_gaps(r),
    ]


def _region_gaps(r: RegionResult) -> str:
    """What is wrong in a processed region, in words («на доработку: 2 МО; …»)."""
    parts = [
        render("federal.region_gap", status=s.ru, count=r.statuses[s])
        for s in STATUSES
        if s in (TO_REDO, MISSING) and r.statuses[s]
    ]
    return "; ".join(parts) or r.problem


#: The region's student results on «Регионы»: counts, then the targets the results decide
#: as the region's «Показатели проекта» prints them (the same computation).
RESULTS_HEADERS = [
    "ОО с интегральным показателем (результаты обучения)",
    "ОО с низкими результатами",
    *(MEASURES[key][0] + " (по результатам обучения)" for key in LEARNING),
]

#: Parquet column names an analyst keeps, said in words on the sheets.
SHEET_HEADERS = {"SHA-256": "Контрольная сумма"}
#: Parquet columns holding a moment (ISO 8601, for programs), shown «дд.мм.гггг чч:мм».
WHEN_COLUMNS = {RECEIVED}


def _when(value: Any) -> Any:
    """A moment as the region's workbook shows it; anything else as it is."""
    from ..consolidate.region import ru_date_time

    try:
        return ru_date_time(value) if isinstance(value, str) and value else value
    except ValueError:
        return value


#: The widest column of a detail sheet (characters): longer text wraps in it.
DETAIL_WIDTH = 40
#: Data rows a sheet holds below its header row.
SHEET_ROWS = 1_048_575


def _detail_sheets(w: Any, folder: Path) -> None:
    """Each Parquet table as a sheet too, when every one fits a sheet (an analyst keeps
    the Parquet files; a ministry official opens the workbook)."""
    import pyarrow.parquet as pq

    for spec in SPECS.values():
        path = folder / spec.file
        if not path.exists():
            continue
        table = pq.read_table(path)
        stem = Path(spec.file).stem.replace("_", " ")  # «дорожные_карты» → «Дорожные карты»
        name = stem[:1].upper() + stem[1:31]
        shown = [_when if n in WHEN_COLUMNS else None for n in table.column_names]
        rows = (
            [f(v) if f else v for f, v in zip(shown, r.values(), strict=True)]
            for r in table.to_pylist()
        )
        headers = [SHEET_HEADERS.get(n, n) for n in table.column_names]
        # columns as wide as their values (text longer than DETAIL_WIDTH wraps), on page
        # widths that share them evenly, the region and the municipality on each
        keys = headers.index("МО") + 1 if "МО" in headers[:4] else 2
        widths = [DETAIL_WIDTH] * table.num_columns
        w.table(name, headers, rows, widths, keys=keys, wrap_long=True)


def write_summary(result: FederalResult, path: Path) -> Path:
    """Свод_регионов: one row per region, the gaps, and where the detailed tables are."""
    import xlsxwriter

    from ..atomic import atomic_output
    from ..printing import period_title, row_height
    from ..regional import OPTIONS, Writer
    from ..regional.writer import page_setup

    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
        w = Writer(wb)
        headers = [
            "Код региона",
            "Регион",
            "МО в реестре",
            "Представили",
            "Доля представивших, %",
            *(s.ru for s in STATUSES),
            "Получено файлов",
            "Новых файлов",
            "Ошибок",
            "Предупреждений",
            "Средняя заполненность прочитанных отчётов, %",
            *RESULTS_HEADERS,
            "Что не так",
        ]
        rows = [_summary_row(r) for r in result.regions]
        done = [r for r in result.regions if r.status == DONE]
        total = sum(r.municipalities for r in done)
        rows.append(
            [
                "Итого",
                f"регионов: {len(result.regions)}, обработано: {len(done)}",
                total,
                sum(r.submitted for r in done),
                round(100 * sum(r.submitted for r in done) / total, 1) if total else None,
                *(sum(r.statuses[s] for r in done) for s in STATUSES),
                sum(r.received for r in done),
                sum(r.new_files for r in done),
                sum(r.errors for r in done),
                sum(r.warnings for r in done),
                None,
                sum(r.results_schools for r in done),
                sum(r.low_schools for r in done),
                *([None] * len(LEARNING)),
                None,
            ]
        )
        widths = (12, 36, 10, 12, 12, 10, 12, 12, 12, 10, 10, 9, 12, 14, 14, 14, 22, 22, 22, 60)
        # the shares «44,6 % (29 из 65)» centred: right of a right-aligned count and left
        # of «Что не так» they read as one run with them
        first = headers.index(RESULTS_HEADERS[2])
        shares = range(first, first + len(LEARNING))
        ws, _ = w.table("Регионы", headers, rows, widths, centre=shares, keys=2, wrap_long=True)
        ws.freeze_panes(1, 2)  # code and name stay in view, and repeat on every printed page
        for i, r in enumerate(result.regions, 1):
            if r.status != DONE:  # what is wrong, coloured as «на доработку»
                ws.write_string(i, len(headers) - 1, rows[i - 1][-1], w.status[TO_REDO])
        gaps = ([r.region.code, r.region.name, *gap] for r in done for gap in r.gaps)
        w.table(
            "Пробелы",
            [
                "Код региона",
                "Регион",
                "Код МО",
                "Муниципальное образование",
                "Статус",
                "Ошибок",
                "Что не так",
            ],
            gaps,
            (12, 30, 10, 40, 18, 9, 70),
            keys=2,
            wrap_long=True,
        )
        ws, _ = w.table(
            "Таблицы",
            ["Файл", "Строк", "Что в нём"],
            tables_rows(result),
            (44, 12, 60),
            wrap_long=True,
        )
        fits = bool(result.tables) and all(n < SHEET_ROWS for n in result.rows.values())
        note = render("federal.tables_sheets" if fits else "federal.tables_note")
        ws.set_row(len(SPECS) + 2, row_height(note, sum(w.widths["Таблицы"])))
        ws.merge_range(len(SPECS) + 2, 0, len(SPECS) + 2, 2, note, w.wrap)
        if fits and result.tables is not None:
            _detail_sheets(w, result.tables)
        page_setup(wb, "Свод по регионам", period_title(result.period))
        wb.close()
    return path
