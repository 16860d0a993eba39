"""E-mail drafts (.eml, not sent) to a municipality's coordinator: the letter on a
checked report and the reminder of a missing one."""

from __future__ import annotations

import datetime as dt
import email.policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from ..campaign.addresses import coordinator_addresses
from ..campaign.models import Campaign, Municipality, Period
from ..issues import Severity
from ..messages import render
from ..ru import count, date, mid_sentence
from ..statuses import Decision, Status
from .annotated import SHEET

#: Headers of a draft saying what it answers, for «shkmd-xl mail send»: the
#: municipality's code, the kind of letter and the state of its report when the letter
#: was made (a letter whose state is no longer current is made again, not sent stale).
MUNICIPALITY_HEADER, KIND_HEADER, STATE_HEADER = (
    "X-Shkmd-Municipality",
    "X-Shkmd-Kind",
    "X-Shkmd-State",
)
FEEDBACK, REMINDER = "feedback", "reminder"


def letter_state(status: Status, submission_hash: str | None, decision: int = 0) -> str:
    """The state a letter answers: the municipality's status, its current file (the
    start of its hash: the header stays on one line) and the region's decision in force
    on that file (its number), since a decision changes the letter, not always the
    status («принято» accepted by the region)."""
    state = f"{status.value}:{(submission_hash or '')[:16]}"
    return f"{state}:{decision}" if decision else state


def decision_in_force(st: Any) -> int:
    """The number of the region's decision that accepts or returns the file counted now
    (0: none, or the latest one reopened the report)."""
    d = st.decision if st.decided else None
    return int(d["id"]) if d and d["action"] != Decision.REOPEN else 0


def state_of(st: Any) -> str:
    """``letter_state`` of a municipality's status row (consolidation)."""
    s = st.submission
    return letter_state(st.status, s.hash if s else None, decision_in_force(st))


#: Headers on one line up to SMTP's limit: Python's default folding of a long Cyrillic
#: subject into several encoded words puts the space between them outside the words,
#: where mail programs drop it («принят с замечаниями» arrived as «принятс замечаниями»).
LETTER_POLICY = email.policy.default.clone(max_line_length=998)

XLSX_MIME = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _summary_lines(findings: list[dict[str, Any]]) -> list[str]:
    errors = sum(1 for f in findings if f["severity"] == Severity.ERROR.ru)
    warnings = sum(1 for f in findings if f["severity"] == Severity.WARNING.ru)
    parts = []
    if errors:
        parts.append(count(errors, "ошибка", "ошибки", "ошибок"))
    if warnings:
        parts.append(count(warnings, "предупреждение", "предупреждения", "предупреждений"))
    lines = [render("letter.found", parts=render("letter.and").join(parts)) if parts else ""]
    for f in findings[:15]:
        lines.append(f"— {f['message']}")
    if len(findings) > 15:
        rest = count(len(findings) - 15, "замечание", "замечания", "замечаний")
        lines.append(render("letter.more", rest=rest, sheet=SHEET))
    return [line for line in lines if line]


def salutation(person: str) -> str:
    """«Уважаемая Мария Петровна!» from «Иванова Мария Петровна»; «Уважаемые коллеги!»."""
    words = person.split()
    if len(words) < 2:
        return render("letter.dear_all")
    given = words[1:3] if len(words) >= 3 else words[1:]
    patronymic = given[-1].lower() if len(given) == 2 else ""
    female = patronymic.endswith(("вна", "чна", "кызы")) or (
        not patronymic and words[0].lower().endswith(("ова", "ева", "ина", "ая"))
    )
    return render("letter.dear_she" if female else "letter.dear_he", name=" ".join(given))


def _signature(campaign: Campaign) -> list[str]:
    return ["", render("letter.regards"), campaign.office or render("letter.office")]


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        days -= day.weekday() < 5
    return day


def _addresses(person: str, m: Municipality) -> list[str]:
    """«Name <address>» of each address a letter can go to (a Cyrillic domain in its
    IDNA form); the others are the region's finding ML01 (campaign.addresses)."""
    return [formataddr((person, a)) for a in coordinator_addresses(m)[0]]


def draft(
    campaign: Campaign,
    municipality: str,
    subject: str,
    body: str,
    attachment: Path | None,
    out: Path,
    made: dt.datetime | None = None,
    kind: str = FEEDBACK,
    state: str = "",
) -> Path:
    """An .eml draft to the municipality's coordinator (not sent), dated when made."""
    m = campaign.municipality(municipality)
    msg = EmailMessage(policy=LETTER_POLICY)
    msg["From"] = formataddr(
        (
            campaign.office or render("letter.from"),
            campaign.office_email or "noreply@example.invalid",
        )
    )
    msg["To"] = ", ".join(_addresses(m.coordinator, m)) or m.name
    msg["Subject"] = subject
    msg["Date"] = format_datetime((made or dt.datetime.now()).astimezone())
    msg["X-Unsent"] = "1"  # Outlook opens it as a draft to send
    msg[MUNICIPALITY_HEADER] = m.code
    msg[KIND_HEADER] = kind
    if state:
        msg[STATE_HEADER] = state
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
    status: Status,
    rejected_file: str = "",
    late: str = "",
    made: dt.datetime | None = None,
    state: str = "",
) -> Path:
    """The letter on a checked report; the subject says the municipality's status as
    «Сводка» does. A file that could not be read: the reason, and ``attachment`` is the
    personal template. ``late``: when a late report was received. The deadline for a
    corrected file is counted from the day the letter is made (campaign:
    ``rework_working_days``), never the period's deadline that has passed."""
    m = campaign.municipality(municipality)
    made = made or dt.datetime.now()
    when = mid_sentence(period.name)
    days = campaign.thresholds.rework_working_days
    until = date(working_days_after(made.date(), days))
    names = {"municipality": m.name, "when": when}
    late_line = (
        [render("letter.late", received=late, deadline=date(period.deadline)), ""] if late else []
    )
    if rejected_file:
        reasons = [f["message"] for f in findings if f["severity"] == Severity.ERROR.ru][:5]
        shown = rejected_file.rsplit(" › ", 1)[-1]  # the file's own name, not the letter's
        text = [
            render("letter.rejected", file=shown, **names),
            "",
            render("letter.reason" if len(reasons) == 1 else "letter.reasons"),
            *(f"— {r}" for r in reasons),
            "",
            render("letter.rejected.resend", until=until, days=days),
        ]
        subject = render("letter.rejected.subject", **names)
    elif status == Status.ACCEPTED:
        text = [
            *late_line,
            render("letter.accepted", sheet=SHEET, **names),
            "",
            *_summary_lines(findings),
        ]
        subject = render("letter.accepted.subject", **names)
    elif status == Status.ACCEPTED_REMARKS:
        text = [
            *late_line,
            render("letter.remarks", **names),
            render("letter.remarks.attached", sheet=SHEET),
            "",
            *_summary_lines(findings),
        ]
        subject = render("letter.remarks.subject", **names)
    else:
        text = [
            *late_line,
            render("letter.redo", sheet=SHEET, **names),
            "",
            *_summary_lines(findings),
            "",
            render("letter.redo.resend", until=until, days=days),
        ]
        subject = render("letter.redo.subject", **names)
    body = "\n".join([salutation(m.coordinator), "", *text, *_signature(campaign)])
    return draft(campaign, municipality, subject, body, attachment, out, made, FEEDBACK, state)


def reminder_draft(
    campaign: Campaign,
    municipality: str,
    period: Period,
    template: Path,
    out: Path,
    state: str = "",
) -> Path:
    m = campaign.municipality(municipality)
    names = {"municipality": m.name, "when": mid_sentence(period.name)}
    body = "\n".join(
        [
            salutation(m.coordinator),
            "",
            render("letter.reminder", deadline=date(period.deadline), **names),
            render("letter.reminder.attached"),
            *_signature(campaign),
        ]
    )
    subject = render("letter.reminder.subject", **names)
    return draft(campaign, municipality, subject, body, template, out, None, REMINDER, state)


def decision_draft(
    campaign: Campaign,
    municipality: str,
    period: Period,
    findings: list[dict[str, Any]],
    attachment: Path | None,
    out: Path,
    *,
    decision: dict[str, Any],
    waived: list[dict[str, Any]],
    made: dt.datetime | None = None,
    template: bool = False,
    state: str = "",
) -> Path:
    """The letter on the region's decision: accepted («принят», the findings waived and
    why; the copy with remarks attached when some remain) or returned (the reason and
    the deadline the decision gave). ``template``: the file could not be read and the
    attachment is the municipality's personal template."""
    m = campaign.municipality(municipality)
    names = {"municipality": m.name, "when": mid_sentence(period.name)}
    if decision["action"] == Decision.RETURN:
        text = [render("letter.decision.returned", **names)]
        if decision["reason"]:
            text.append(render("letter.decision.reason", reason=decision["reason"]))
        if template:  # the file could not be read: its personal template instead
            text += ["", render("letter.reminder.attached")]
        elif attachment is not None:
            text += ["", render("letter.decision.attached", sheet=SHEET)]
        text += ["", *_summary_lines(findings), ""]
        text.append(render("letter.decision.resend", until=date(decision["deadline"])))
        subject = render("letter.redo.subject", **names)
    else:
        when = date(decision["made_at"][:10])
        text = [render("letter.decision.accepted", date=when, **names)]
        if findings and attachment is not None:
            text += ["", render("letter.decision.remarks", sheet=SHEET), *_summary_lines(findings)]
        if waived:
            text += ["", render("letter.decision.waived")]
            text += [f"— {_where(f)}: {f['waived']}" for f in waived]
        key = "letter.remarks.subject" if findings else "letter.accepted.subject"
        subject = render(key, **names)
    body = "\n".join([salutation(m.coordinator), "", *text, *_signature(campaign)])
    return draft(campaign, municipality, subject, body, attachment, out, made, FEEDBACK, state)


def _where(finding: dict[str, Any]) -> str:
    """«RM02 (лист «Дорожные карты», ячейка A12)»; the code alone when it has no cell."""
    if finding.get("sheet") and finding.get("cell"):
        return render(
            "letter.decision.where",
            code=finding["code"],
            sheet=finding["sheet"],
            cell=finding["cell"],
        )
    return str(finding["code"])
