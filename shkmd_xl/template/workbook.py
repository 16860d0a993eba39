"""Campaign + forms -> a municipal workbook (personalised or generic)."""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..atomic import atomic_output
from ..campaign.models import Campaign
from ..forms import sheets as F
from ..printing import setup_xlsxwriter
from .control import write_control
from .data_sheets import CATALOGUE_NAME, protect, write_table, write_title
from .instruction import write_instruction
from .layout import Layout, ref
from .results_sheet import write_results_lists
from .styles import Styles

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
GENERIC_NAME = "Шаблон_общий.xlsx"


def template_name(campaign: Campaign, municipality: str | None) -> str:
    """File name of a municipal template."""
    if municipality is None:
        return GENERIC_NAME
    return f"Шаблон_{municipality}.xlsx"


def meta_values(
    campaign: Campaign, municipality: str | None, generated_at: dt.datetime
) -> dict[str, str]:
    """What identifies a workbook: written to _meta and to custom properties."""
    name = campaign.municipality(municipality).name if municipality else ""
    return {
        "campaign_id": campaign.id,
        "campaign_version": campaign.version,
        "municipality_code": municipality or "",
        "municipality_name": name,
        "template_version": F.TEMPLATE_VERSION,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "kind": "personal" if municipality else "generic",
    }


def _write_lists(wb: Workbook, ws: Worksheet, st: Styles, layout: Layout, c: Campaign) -> None:
    wb.define_name(CATALOGUE_NAME, "=" + layout.list_ref("catalogue"))
    for col, name in enumerate(layout.list_names()):
        ws.write_string(0, col, F.LIST_TITLES[name], st.bold)
        for r, item in enumerate(layout.lists[name], 1):
            ws.write_string(r, col, item)
    pc = layout.periods_col
    for j, label in enumerate(("Период", "Месяц", "Этап", "Номер месяца")):
        ws.write_string(0, pc + j, label, st.bold)
    for r, p in enumerate(c.periods, 1):
        ws.write_string(r, pc, p.name)
        ws.write_string(r, pc + 1, p.slot)
        ws.write_string(r, pc + 2, p.stage)
        ws.write_number(r, pc + 3, p.month_number)
    fc = layout.flags_col
    ws.write_string(0, fc, "Показатель МОУО", st.bold)
    for j, slot in enumerate(c.month_names, 1):
        ws.write_string(0, fc + j, slot, st.bold)
    for r, ind in enumerate(c.moupo_indicators, 1):
        ws.write_string(r, fc, ind.code)
        for j, slot in enumerate(c.month_names, 1):
            ws.write_number(r, fc + j, 1 if slot in ind.slots else 0)
    write_results_lists(ws, st, layout, c)
    ws.hide()
    protect(ws)


def _write_meta(wb: Workbook, ws: Worksheet, meta: dict[str, str]) -> None:
    for r, (key, value) in enumerate(meta.items()):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
        wb.set_custom_property(f"shkmd_{key}", value or "-")
    ws.very_hidden()
    protect(ws)


def _mouo_prefill(c: Campaign) -> tuple[list[dict[str, Any]], set[tuple[int, str]]]:
    rows = [{"code": i.code, "task": i.task, "wording": i.wording} for i in c.moupo_indicators]
    greyed = {
        (k, key(slot))
        for k, i in enumerate(c.moupo_indicators)
        for slot in c.month_names
        if slot not in i.slots
        for key in (F.value_key, F.link_key)
    }
    return rows, greyed


def _school_mon_prefill(
    c: Campaign, schools: list[str], n_rows: int
) -> tuple[list[dict[str, Any]], set[tuple[int, str]]]:
    rows: list[dict[str, Any]] = []
    greyed: set[tuple[int, str]] = set()
    for k in range(n_rows):
        stage = F.STAGES[k % len(F.STAGES)]
        school_i = k // len(F.STAGES)
        row: dict[str, Any] = {"stage": stage}
        if school_i < len(schools):
            row["school"] = schools[school_i]
        rows.append(row)
        greyed |= {(k, i.code) for i in c.school_indicators if stage not in i.stages}
    return rows, greyed


def _passport_prefill(c: Campaign, municipality: str | None) -> list[dict[str, Any]]:
    """Schools of the registry with their mentor school and curator, when the region set
    them (editable: the municipality corrects them)."""
    if not municipality:
        return []
    return [
        {"school": s.short_name, "mentor_school": s.mentor or None, "curator": s.curator or None}
        for s in c.schools_of(municipality)
    ]


def build(wb: Workbook, c: Campaign, municipality: str | None, generated_at: dt.datetime) -> None:
    """Lay out every sheet of a municipal workbook into ``wb``."""
    st = Styles.create(wb)
    layout = Layout.for_workbook(c, municipality)
    schools = layout.lists["schools"] if municipality else []
    sheets = {name: wb.add_worksheet(name) for name in F.SHEET_ORDER}
    write_instruction(wb, sheets[F.INSTRUCTION], st, c, municipality)
    title: dict[str, str] = {}
    if municipality:
        m = c.municipality(municipality)
        title = {
            "municipality": m.name,
            "coordinator": m.coordinator,
            "position": m.position,
            "phone": m.phone,
            "email": "; ".join(m.emails),
        }
        title = {k: v for k, v in title.items() if v}
    write_title(sheets[F.TITLE.name], st, layout, title)
    write_table(
        sheets[F.PASSPORT.name],
        F.PASSPORT,
        layout.passport_rows,
        st,
        layout,
        _passport_prefill(c, municipality),
    )
    write_table(sheets[F.ROADMAP.name], F.ROADMAP, layout.roadmap_rows, st, layout)
    rows, greyed = _mouo_prefill(c)
    slot = ref(F.CONTROL, F.CONTROL_AT.slot, F.CONTROL_AT.value_col)  # month of «Титул»'s period
    other_month = {  # another month's column: kept from its report, not due now
        key(s): f'AND(LEN({slot})>0,{slot}<>"{s}")'
        for s in c.month_names
        for key in (F.value_key, F.link_key)
    }
    mouo = F.mouo_form(c)
    write_table(
        sheets[F.MOUO_NAME], mouo, len(rows), st, layout, rows, greyed, grey_when=other_month
    )
    sm = F.school_monitoring_form(c)
    rows, greyed = _school_mon_prefill(c, schools, layout.school_mon_rows)
    stage = f"${xl_col_to_name(sm.col('stage'))}{sm.first_data_row + 1}"
    now = ref(F.CONTROL, F.CONTROL_AT.stage, F.CONTROL_AT.value_col)  # stage of the period
    collected = {
        i.code: "OR(" + ",".join(f'{stage}="{s}"' for s in i.stages) + ")"
        for i in c.school_indicators
    }
    tint = {k: f"AND({v},OR(LEN({now})=0,{stage}={now}))" for k, v in collected.items()}
    other_stage = {k: f"AND({v},LEN({now})>0,{stage}<>{now})" for k, v in collected.items()}
    write_table(
        sheets[sm.name], sm, layout.school_mon_rows, st, layout, rows, greyed, tint, other_stage
    )
    write_table(sheets[F.RESULTS.name], F.RESULTS, layout.results_rows, st, layout)
    write_table(sheets[F.TRAINING.name], F.TRAINING, layout.training_rows, st, layout)
    write_control(sheets[F.CONTROL], st, layout, c, generic=municipality is None)
    _write_lists(wb, sheets[F.LISTS], st, layout, c)
    _write_meta(wb, sheets[F.META], meta_values(c, municipality, generated_at))
    marks = sheets[F.MARKS]  # filled by «Проверить»; unprotected on purpose
    for col, label in enumerate(F.MARK_HEADERS):
        marks.write_string(0, col, label, st.bold)
    marks.hide()
    sheets[F.TITLE.name].activate()
    who = c.municipality(municipality).name if municipality else "общий шаблон"
    for ws in wb.worksheets():
        panes = getattr(ws, "panes", None) or [0, 0]
        setup_xlsxwriter(
            ws,
            f"{c.region}, {who}",
            c.title,
            header_rows=0,  # each sheet's own header row (set by print_setup)
            key_columns=max(int(panes[1]), 1),
        )
    wb.set_properties(
        {
            "title": f"{c.title}: отчёт муниципалитета",
            "author": "shkmd_xl",
            "company": c.region,
            "created": generated_at,
            "comments": "Создано shkmd_xl; не меняйте структуру листов.",
        }
    )


def write_municipal_workbook(
    c: Campaign, municipality: str | None, path: Path, generated_at: dt.datetime | None = None
) -> Path:
    """Write one template atomically (temp file, then rename) and return its path."""
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        build(wb, c, municipality, generated_at)
        wb.close()
    return path


def _write_many(
    c: Campaign, codes: list[str | None], out: Path, generated_at: dt.datetime
) -> list[Path]:
    return [
        write_municipal_workbook(c, code, out / template_name(c, code), generated_at)
        for code in codes
    ]


def write_templates(
    c: Campaign,
    out: Path,
    generated_at: dt.datetime | None = None,
    municipalities: list[str] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Personalised templates of every (or the given) municipality plus the generic one.

    With many municipalities the work is split over ``workers`` processes
    (default: the number of CPUs).
    """
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    codes: list[str | None] = list(
        municipalities if municipalities is not None else [m.code for m in c.municipalities]
    )
    codes.append(None)
    workers = min(workers or os.cpu_count() or 1, max(len(codes) // 8, 1))
    if workers <= 1:
        return _write_many(c, codes, out, generated_at)
    chunks = [codes[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        done = list(
            pool.map(_write_many, [c] * workers, chunks, [out] * workers, [generated_at] * workers)
        )
    by_code = {
        code: path
        for chunk, paths in zip(chunks, done, strict=True)
        for code, path in zip(chunk, paths, strict=True)
    }
    return [by_code[code] for code in codes]
