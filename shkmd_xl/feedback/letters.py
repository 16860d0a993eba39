"""E-mail drafts (.eml, not sent) to a municipality's coordinator: the letter on a
checked report and the reminder of a missing one."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from ..campaign.models import Campaign, Period
from ..issues import Severity
from ..ru import count, date, mid_sentence
from .annotated import SHEET

XLSX_MIME = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _summary_lines(findings: list[dict[str, Any]]) -> list[str]:
    errors = sum(1 for f in findings if f["severity"] == Severity.ERROR.ru)
    warnings = sum(1 for f in findings if f["severity"] == Severity.WARNING.ru)
    parts = []
    if errors:
        parts.append(count(errors, "ошибка", "ошибки", "ошибок"))
    if warnings:
        parts.append(count(warnings, "предупреждение", "предупреждения", "предупреждений"))
    lines = [f"Найдено: {' и '.join(parts)}." if parts else ""]
    for f in findings[:15]:
        lines.append(f"— {f['message']}")
    if len(findings) > 15:
        rest = len(findings) - 15
        lines.append(
            f"… и ещё {count(rest, 'замечание', 'замечания', 'замечаний')} "
            f"(см. лист «{SHEET}» во вложении)."
        )
    return [line for line in lines if line]


def salutation(person: str) -> str:
    """«Уважаемая Мария Петровна!» from «Иванова Мария Петровна»; «Уважаемые коллеги!»."""
    words = person.split()
    if len(words) < 2:
        return "Уважаемые коллеги!"
    given = words[1:3] if len(words) >= 3 else words[1:]
    patronymic = given[-1].lower() if len(given) == 2 else ""
    female = patronymic.endswith(("вна", "чна", "кызы")) or (
        not patronymic and words[0].lower().endswith(("ова", "ева", "ина", "ая"))
    )
    return f"{'Уважаемая' if female else 'Уважаемый'} {' '.join(given)}!"


def _signature(campaign: Campaign) -> list[str]:
    return ["", "С уважением,", campaign.office or "Региональный координатор проекта"]


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
    *,
    accepted: bool = False,
    rejected_file: str = "",
) -> Path:
    """The letter on a checked report: accepted with remarks (nothing to resend),
    returned for corrections, or a file that could not be read at all (the reason)."""
    m = campaign.municipality(municipality)
    when = mid_sentence(period.name)
    if rejected_file:
        reasons = [f["message"] for f in findings if f["severity"] == Severity.ERROR.ru][:5]
        text = [
            f"Файл «{rejected_file}» с отчётом «{m.name}» за {when} получен, но не принят: "
            "прочитать его как отчёт по шаблону не удалось.",
            "",
            "Причина:" if len(reasons) == 1 else "Причины:",
            *(f"— {r}" for r in reasons),
            "",
            f"Пришлите, пожалуйста, отчёт повторно до {date(period.deadline)} "
            "(если срок прошёл — как можно скорее).",
        ]
        subject = f"Отчёт за {when} не принят: {m.name}"
    elif accepted:
        text = [
            f"Отчёт «{m.name}» за {when} принят. Есть замечания для сведения — исправлять "
            "и присылать файл повторно не нужно; учтите их, пожалуйста, в следующем отчёте.",
            f"Во вложении — копия вашего файла: ячейки с замечаниями выделены цветом и "
            f"снабжены примечаниями, список — на листе «{SHEET}».",
            "",
            *_summary_lines(findings),
        ]
        subject = f"Отчёт за {when} принят, есть замечания для сведения: {m.name}"
    else:
        text = [
            f"Отчёт «{m.name}» за {when} проверен и возвращён на доработку. Во вложении — "
            f"копия вашего файла: ячейки с замечаниями выделены цветом и снабжены "
            f"примечаниями, список — на листе «{SHEET}».",
            "",
            *_summary_lines(findings),
            "",
            "Исправьте, пожалуйста, ошибки в своём файле и пришлите его повторно "
            f"до {date(period.deadline)}.",
        ]
        subject = f"Отчёт за {when} возвращён на доработку: {m.name}"
    body = "\n".join([salutation(m.coordinator), "", *text, *_signature(campaign)])
    return draft(campaign, municipality, period, subject, body, attachment, out)


def reminder_draft(
    campaign: Campaign, municipality: str, period: Period, template: Path, out: Path
) -> Path:
    m = campaign.municipality(municipality)
    when = mid_sentence(period.name)
    body = "\n".join(
        [
            salutation(m.coordinator),
            "",
            f"Отчёт «{m.name}» за {when} не поступил (срок — {date(period.deadline)}).",
            "Во вложении — ваш персональный шаблон. Заполните его и пришлите, пожалуйста, "
            "в ответ на это письмо.",
            *_signature(campaign),
        ]
    )
    subject = f"Напоминание: отчёт за {when} — {m.name}"
    return draft(campaign, municipality, period, subject, body, template, out)
