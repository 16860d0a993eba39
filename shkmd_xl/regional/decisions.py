"""The regional workbook's «Решения»: each municipality's status and the region's
current decision, with input columns the analyst types a new decision into (collect
reads them back)."""

from __future__ import annotations

from typing import Any

from .. import palette as P
from ..consolidate.consolidation import Consolidation
from ..consolidate.decisions import describe
from ..forms import decisions as D
from ..messages import render
from ..ru import date as ru_date
from ..statuses import Decision
from ..template.styles import text_height
from .writer import Writer


def _row(st: Any, cons: Consolidation) -> dict[str, Any]:
    s, d = st.submission, st.decision
    shown = d if d and (st.decided or d["action"] == Decision.REOPEN) else None
    return {
        "code": st.code,
        "municipality": st.name,
        "status": st.status.ru,
        "file": s.original_name if s else "",
        "received": ru_date(s.received_at) if s else "",
        "decision": describe(d, st.decided),
        "by": f"{d['who']}, {ru_date(d['made_at'])}" if d else "",
        "reason": d["reason"] if d else "",
        "deadline": ru_date(d["deadline"]) if shown and shown["deadline"] else "",
        "waived": ", ".join(shown["waived"]) if shown else "",
        "hash": s.hash if s else "",
        **cons.unrecorded.get(st.code, {}),  # typed values refused last time, kept
    }


def decisions_sheet(w: Writer, cons: Consolidation) -> None:
    """«Решения» (input cells tinted; the decision chosen from a list)."""
    ws = w.wb.add_worksheet(D.SHEET)
    ws.set_row(0, 45)
    given = w.wb.add_format({"bg_color": P.INPUT, "border": 1, "text_wrap": True})
    problem = w.wb.add_format({"font_color": "#9C0006", "text_wrap": True})
    colour = {d: w.wb.add_format({"bg_color": c}) for d, c in P.DECISION.items()}
    wrap = w.wb.add_format({"text_wrap": True, "valign": "top"})  # a long name breaks
    for c, (_, label, width) in enumerate(D.COLUMNS):
        ws.write_string(0, c, label, w.header)
        ws.set_column(c, c, width)
    n = len(cons.statuses)
    for r, st in enumerate(cons.statuses, 1):
        values = _row(st, cons)
        # LibreOffice keeps a row's height as written: the wrapped text's height
        wrapped = [
            text_height(str(values[k]), width)
            for k, _, width in D.COLUMNS
            if k in ("file", "hash", "problem") and values.get(k)
        ]
        ws.set_row(r, max([15.0, *wrapped]))
        for c, key in enumerate(D.KEYS):
            value = values.get(key, "")
            fmt = given if key in D.INPUTS else problem if key == "problem" else None
            if key in ("file", "hash"):
                fmt = wrap
            if key == "status":
                fmt = w.status[st.status]
            if key == "decision" and st.decision:
                fmt = colour[Decision(st.decision["action"])]
            if key in D.INPUTS and (value is None or value == ""):
                ws.write_blank(r, c, None, given)
            else:
                w.cell(ws, r, c, value, fmt)
    col = D.column("new")
    ws.data_validation(
        1,
        col,
        max(n, 1),
        col,
        {
            "validate": "list",
            "source": list(D.WORDS),
            "error_title": "Решение",
            "error_message": "Выберите решение из списка: " + ", ".join(D.WORDS) + ".",
        },
    )
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(n, 1), len(D.COLUMNS) - 1)
    ws.set_v_pagebreaks([D.column(key) for key in D.PAGE_BREAKS])  # logical page widths
    last = D.column("decision")  # the help stays on the first printed page's columns
    help_text = render("decide.sheet_help")
    ws.set_row(n + 2, text_height(help_text, sum(width for _, _, width in D.COLUMNS[: last + 1])))
    ws.merge_range(n + 2, 0, n + 2, last, help_text, w.wrap)
    ws.write_string(n + 3, 0, D.PERIOD_LABEL, w.header)
    ws.write_string(n + 3, 1, cons.period.code)
