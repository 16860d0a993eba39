"""Свод_регионов: the summary workbook of a federal roll-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..consolidate.consolidation import TO_REDO
from ..messages import render
from ..statuses import STATUSES
from .results import DONE, FederalResult, RegionResult
from .tables import SPECS


def tables_rows(result: FederalResult) -> list[list[Any]]:
    folder = result.tables.name if result.tables else ""
    return [
        [f"{folder}/{spec.file}", result.rows.get(spec.file, 0), spec.title]
        for spec in SPECS.values()
    ]


def _summary_row(r: RegionResult) -> list[Any]:
    """A region's row of «Регионы»: figures only for a region that was processed."""
    head = [r.region.code, r.region.name, r.status, r.municipalities or None]
    if r.status != DONE:
        return [*head, *([None] * 12), r.problem]
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
        round(r.seconds, 1),
        r.problem,
    ]


def write_summary(result: FederalResult, path: Path) -> Path:
    """Свод_регионов: one row per region, the gaps, and where the detailed tables are."""
    import xlsxwriter

    from ..atomic import atomic_output
    from ..printing import period_title
    from ..regional import OPTIONS, Writer
    from ..regional.writer import page_setup

    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
        w = Writer(wb)
        headers = [
            "Код региона",
            "Регион",
            "Обработка",
            "МО в реестре",
            "Представили",
            "Доля представивших, %",
            *(s.ru for s in STATUSES),
            "Получено файлов",
            "Новых файлов",
            "Ошибок",
            "Предупреждений",
            "Средняя заполненность, %",
            "Время, с",
            "Что не так",
        ]
        rows = [_summary_row(r) for r in result.regions]
        done = [r for r in result.regions if r.status == DONE]
        total = sum(r.municipalities for r in done)
        rows.append(
            [
                "Итого",
                f"регионов: {len(result.regions)}, обработано: {len(done)}",
                None,
                total,
                sum(r.submitted for r in done),
                round(100 * sum(r.submitted for r in done) / total, 1) if total else None,
                *(sum(r.statuses[s] for r in done) for s in STATUSES),
                sum(r.received for r in done),
                sum(r.new_files for r in done),
                sum(r.errors for r in done),
                sum(r.warnings for r in done),
                None,
                None,
                None,
            ]
        )
        widths = (12, 36, 14, 10, 12, 12, 10, 12, 12, 12, 10, 10, 9, 12, 14, 9, 60)
        ws, _ = w.table("Регионы", headers, rows, widths)
        ws.freeze_panes(1, 2)  # code and name stay in view, and repeat on every printed page
        for i, r in enumerate(result.regions, 1):
            if r.status != DONE:
                ws.write_string(i, 2, r.status, w.status[TO_REDO])
        gaps = ([r.region.code, r.region.name, *gap] for r in done for gap in r.gaps)
        w.table(
            "Пробелы",
            ["Код региона", "Регион", "Код МО", "Муниципальное образование", "Статус", "Ошибок"],
            gaps,
            (12, 30, 10, 40, 18, 9),
        )
        ws, _ = w.table(
            "Таблицы", ["Файл", "Строк", "Что в нём"], tables_rows(result), (44, 12, 60)
        )
        ws.set_row(len(SPECS) + 2, 90)
        ws.merge_range(len(SPECS) + 2, 0, len(SPECS) + 2, 2, render("federal.tables_note"), w.wrap)
        page_setup(wb, "Свод по регионам", period_title(result.period))
        wb.close()
    return path
