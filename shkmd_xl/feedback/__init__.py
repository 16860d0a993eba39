"""A municipality's submission + its findings -> annotated copy and e-mail drafts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from ..atomic import atomic_output
from ..campaign.models import Campaign, Period
from ..forms.sheets import CONTROL

PROBLEM_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
SHEET = "Замечания"
HEADERS = ("Код", "Важность", "Лист", "Ячейка", "ОО", "Замечание")
XLSX_MIME = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _atomic_save(wb: openpyxl.Workbook, path: Path) -> None:
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _remarks_sheet(
    wb: openpyxl.Workbook, findings: list[dict[str, Any]], linkable: set[str]
) -> None:
    ws = wb.create_sheet(SHEET, 0)
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for f in findings:
        ws.append(
            [
                f["code"],
                f["severity"],
                f["sheet"] or "",
                f["cell"] or "",
                f["school"] or "",
                f["message"],
            ]
        )
        if f["sheet"] in linkable and f["cell"]:
            link = ws.cell(ws.max_row, 4)
            link.hyperlink = f"#'{f['sheet']}'!{f['cell']}"
            link.font = Font(color="0563C1", underline="single")
    for col, width in zip("ABCDEF", (8, 15, 22, 9, 24, 100), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{max(ws.max_row, 1)}"
    wb.active = 0


def _formulas_to_values(wb: openpyxl.Workbook, source: Path) -> None:
    """Formulas someone typed into data cells leave as the values the reader saw.

    Only «Контроль» keeps its formulas (the template's self-check); anything else
    that computes (=WEBSERVICE, =HYPERLINK, links to other files) must not travel
    back in a file we send.
    """
    found = [
        (ws.title, cell.coordinate)
        for ws in wb.worksheets
        if ws.title != CONTROL
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    if not found:
        return
    cached = openpyxl.load_workbook(source, data_only=True, keep_links=False)
    for sheet, addr in found:
        cell = wb[sheet][addr]
        value = cached[sheet][addr].value
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text, even when it starts with "="


def annotate(source: Path, findings: list[dict[str, Any]], out: Path) -> Path:
    """Copy of the municipality's file: problem cells coloured and commented, «Замечания» first.

    Files openpyxl cannot open (.xls, .ods, damaged) get a workbook with the
    «Замечания» sheet only. Macros are never copied (saved as .xlsx).
    """
    try:
        wb = openpyxl.load_workbook(source, keep_vba=False, keep_links=False)
        _formulas_to_values(wb, source)
    except Exception:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        if f["sheet"] in wb.sheetnames and f["cell"]:
            by_cell[(f["sheet"], f["cell"])].append(f)
    for (sheet, addr), items in by_cell.items():
        cell = wb[sheet][addr]
        error = any(i["severity"] == "ошибка" for i in items)
        cell.fill = PROBLEM_FILL if error else WARNING_FILL
        text = "\n".join(f"{i['code']}: {i['message'].split(': ', 1)[-1]}" for i in items)
        cell.comment = Comment(text[:30000], "shkmd_xl", width=420, height=160)
    _remarks_sheet(wb, findings, set(wb.sheetnames))
    wb.calculation.fullCalcOnLoad = True  # openpyxl dropped cached formula results
    _atomic_save(wb, out)
    return out


def _summary_lines(findings: list[dict[str, Any]]) -> list[str]:
    errors = sum(1 for f in findings if f["severity"] == "ошибка")
    warnings = sum(1 for f in findings if f["severity"] == "предупреждение")
    lines = [f"Ошибок: {errors}, предупреждений: {warnings}."]
    for f in findings[:15]:
        lines.append(f"— {f['message']}")
    if len(findings) > 15:
        lines.append(f"… и ещё {len(findings) - 15} (см. лист «{SHEET}» во вложении).")
    return lines


def draft(
    campaign: Campaign,
    municipality: str,
    period: Period,
    subject: str,
    body: str,
    attachment: Path | None,
    out: Path,
) -> Path:
    """An .eml draft to the municipality's coordinator (not sent)."""
    m = campaign.municipality(municipality)
    msg = EmailMessage()
    msg["From"] = formataddr(
        (
            campaign.office or "Региональный координатор",
            campaign.office_email or "noreply@example.invalid",
        )
    )
    msg["To"] = ", ".join(formataddr((m.coordinator, e)) for e in m.emails) or m.name
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime.combine(period.deadline, dt.time(9, 0)).astimezone())
    msg["X-Unsent"] = "1"  # Outlook opens it as a draft to send
    msg.set_content(body)
    if attachment is not None:
        msg.add_attachment(
            attachment.read_bytes(),
            maintype=XLSX_MIME[0],
            subtype=XLSX_MIME[1],
            filename=attachment.name,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(bytes(msg))
    return out


def feedback_draft(
    campaign: Campaign,
    municipality: str,
    period: Period,
    findings: list[dict[str, Any]],
    attachment: Path,
    out: Path,
) -> Path:
    m = campaign.municipality(municipality)
    body = "\n".join(
        [
            f"Уважаемый(ая) {m.coordinator or 'коллега'}!",
            "",
            f"Отчёт «{m.name}» за {period.name} проверен. Во вложении — копия вашего файла: "
            f"ячейки с замечаниями выделены цветом и снабжены примечаниями, список — на листе "
            f"«{SHEET}».",
            "",
            *_summary_lines(findings),
            "",
            "Исправьте, пожалуйста, замечания и пришлите файл повторно.",
            "",
            campaign.office or "Региональный координатор проекта",
        ]
    )
    subject = f"Замечания к отчёту за {period.name}: {m.name}"
    return draft(campaign, municipality, period, subject, body, attachment, out)


def reminder_draft(
    campaign: Campaign, municipality: str, period: Period, template: Path, out: Path
) -> Path:
    m = campaign.municipality(municipality)
    body = "\n".join(
        [
            f"Уважаемый(ая) {m.coordinator or 'коллега'}!",
            "",
            f"Отчёт «{m.name}» за {period.name} не поступил (срок — {period.deadline:%d.%m.%Y}).",
            "Во вложении — ваш персональный шаблон. Заполните его и пришлите, пожалуйста, в ответ "
            "на это письмо.",
            "",
            campaign.office or "Региональный координатор проекта",
        ]
    )
    subject = f"Напоминание: отчёт за {period.name} — {m.name}"
    return draft(campaign, municipality, period, subject, body, template, out)
