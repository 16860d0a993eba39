"""Buttons of the regional console («Пульт»)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from .. import palette as P
from ..forms import console as C
from ..issues import Severity
from ..messages import render
from ..palette import rgb
from ..ru import date as ru_date
from ..ru import mid_sentence
from ._book import UserError, folder, guarded, label, say, settings

STATUS_COLOURS = {status: rgb(colour) for status, colour in P.STATUS.items()}


def _campaign(values: dict[str, str]) -> Any:
    from ..reader.campaign_book import load_campaign

    path = Path(values["campaign"]) if values["campaign"] else None
    if path is not None and not path.exists():
        raise UserError(render("excel.path_missing", label=label("campaign"), path=path))
    return load_campaign(path)


def _period(values: dict[str, str], campaign: Any) -> str:
    chosen = values["period"]
    for p in campaign.periods:
        if chosen in (p.code, p.name):
            return str(p.code)
    raise UserError(render("excel.period_missing"))


#: How long the console's «Собрать» waits for another run on the same folder.
BUSY_WAIT_SECONDS = 5.0


@guarded
def collect_and_check(book: Any) -> None:
    """«Собрать и проверить»: collect the inbox, fill the status table and the summary."""
    from ..collect import collect
    from ..store.folder import StoreBusy
    from ..terminal import collect_summary

    values = settings(book)
    inbox = folder(values["inbox"], "inbox")
    out = folder(values["out"], "out", must_exist=False)
    campaign = _campaign(values)
    period = _period(values, campaign)
    try:  # Excel waits for the button: a short wait, then a clear message
        result = collect(inbox, period, campaign, out, wait_seconds=BUSY_WAIT_SECONDS)
    except StoreBusy:
        raise UserError(
            render("cli.store_busy", out=out, seconds=f"{BUSY_WAIT_SECONDS:g}")
        ) from None
    cons = result.consolidation
    assert cons is not None
    sheet = book.sheets[C.CONSOLE_SHEET]
    counts = collect_summary(result)
    sheet[C.SUMMARY_CELL].value = (
        render("cli.collect_header", period=mid_sentence(cons.period.name), **counts)
        + " "
        + render("cli.collect_statuses", **counts)
    )
    feedback = {p.name.split("_")[1]: p for p in result.feedback}
    rows = [
        [
            st.code,
            st.name,
            st.status.ru,
            ru_date(st.submission.received_at) if st.submission else "",
            st.errors,
            st.warnings,
            str(feedback[st.code]) if st.code in feedback else "",
        ]
        for st in cons.statuses
    ]
    first = C.STATUS_HEADER_ROW + 1
    sheet[f"A{first}"].value = rows
    for i, st in enumerate(cons.statuses):
        sheet[f"C{first + i}"].color = STATUS_COLOURS[st.status]
        if st.code in feedback:
            sheet[f"G{first + i}"].add_hyperlink(feedback[st.code].as_uri(), feedback[st.code].name)
    say(book, render("excel.collect_done", report=result.outputs["regional"]), ok=True)


@guarded
def check_one_file(book: Any) -> None:
    """«Проверить один файл»: the findings of one workbook on a «Замечания» sheet."""
    from ..pipeline import check
    from .municipal import write_remarks

    values = settings(book)
    path = folder(values["file"], "file")
    campaign = _campaign(values)
    period = _period(values, campaign) if values["period"] else None
    report = check(path, campaign, period)
    write_remarks(book, report.table(), mark_cells=False)
    say(
        book,
        render(
            "excel.check_done",
            file=path.name,
            errors=report.stats[Severity.ERROR.ru],
            warnings=report.stats[Severity.WARNING.ru],
        ),
        ok=report.valid,
    )


@guarded
def make_templates(book: Any) -> None:
    """«Создать шаблоны»: personalised templates into the results folder."""
    from ..template.workbook import write_templates

    values = settings(book)
    out = folder(values["out"], "out", must_exist=False) / "Шаблоны"
    paths = write_templates(_campaign(values), out)
    say(book, render("cli.templates_done", count=len(paths) - 1, out=out), ok=True)


def _open(path: Path) -> None:
    if sys.platform.startswith("win"):
        os.startfile(path)  # type: ignore[attr-defined]
    else:
        import webbrowser

        webbrowser.open(path.as_uri())


@guarded
def open_report(book: Any) -> None:
    """«Открыть сводный отчёт» of the chosen period."""
    values = settings(book)
    out = folder(values["out"], "out")
    period = _period(values, _campaign(values))
    report = out / f"Свод_{period}.xlsx"
    if not report.exists():
        raise UserError(render("excel.no_report", path=report))
    _open(report)
    say(book, render("excel.opened", path=report), ok=True)


@guarded
def make_brief(book: Any) -> None:
    """«Аналитическая справка»: the .docx of the chosen period from the collected results."""
    from ..regional.brief import make_brief as write

    values = settings(book)
    out = folder(values["out"], "out")
    campaign = _campaign(values)
    period = _period(values, campaign)
    try:
        path = write(out, period, campaign, wait_seconds=5)
    except FileNotFoundError:
        raise UserError(render("cli.no_results", out=out)) from None
    say(book, render("cli.brief_written", path=path), ok=True)


@guarded
def open_feedback_folder(book: Any) -> None:
    """«Открыть папку замечаний» of the chosen period."""
    values = settings(book)
    out = folder(values["out"], "out")
    period = _period(values, _campaign(values))
    target = out / "Замечания" / period
    if not target.exists():
        raise UserError(render("excel.no_report", path=target))
    _open(target)
    say(book, render("excel.opened", path=target), ok=True)


def _decide_selected(book: Any, action: str) -> None:
    """Record the region's decision on the municipality of the selected row of the
    status table, remake the outputs, show the new status in that row."""
    from ..collect import refresh
    from ..consolidate.decisions import DecisionError, Proposed, find_municipality, record
    from ..decide import recorded_message
    from ..statuses import Decision
    from ..store.folder import StoreBusy, work_paths

    values = settings(book)
    out = folder(values["out"], "out")
    campaign = _campaign(values)
    period = _period(values, campaign)
    if not work_paths(out)["store"].is_file():
        raise UserError(render("cli.no_results", out=out))
    sheet = book.sheets[C.CONSOLE_SHEET]
    selected = book.selection
    row = selected.row if selected is not None else 0
    code = sheet[f"A{row}"].value if row > C.STATUS_HEADER_ROW else None
    if not code:
        raise UserError(render("excel.select_municipality", row=C.STATUS_HEADER_ROW + 1))
    proposed = Proposed(str(code), Decision(action), values["reason"], source="пульт")
    try:
        result, done = refresh(
            out,
            period,
            campaign,
            wait_seconds=BUSY_WAIT_SECONDS,
            decide=lambda store, cons: record(store, campaign, cons, proposed),
        )
    except DecisionError as exc:
        raise UserError(str(exc)) from None
    except StoreBusy:
        raise UserError(
            render("cli.store_busy", out=out, seconds=f"{BUSY_WAIT_SECONDS:g}")
        ) from None
    cons = result.consolidation
    assert cons is not None
    st = next(s for s in cons.statuses if s.code == find_municipality(campaign, str(code)))
    sheet[f"C{row}"].value = st.status.ru
    sheet[f"C{row}"].color = STATUS_COLOURS[st.status]
    name = cons.period.name
    text = recorded_message(done, name) if done else render("decide.repeated", name=st.name)
    say(book, text, ok=True)


@guarded
def accept_selected(book: Any) -> None:
    """«Принять»: the selected municipality's report is accepted (and locked)."""
    _decide_selected(book, "accept")


@guarded
def return_selected(book: Any) -> None:
    """«Вернуть на доработку»: the selected municipality's report goes back, with the
    campaign's rework period as the deadline and the reason typed on «Пульт»."""
    _decide_selected(book, "return")


def _mail_settings(values: dict[str, str]) -> Any:
    """The mailbox settings: «почта.toml» beside the campaign file, else in the results
    folder; the password from the environment or the OS keyring (never from the book)."""
    from ..mail import MailError
    from ..mail.settings import FILE_NAME, load_settings

    if values["campaign"]:
        path = Path(values["campaign"]).expanduser().parent / FILE_NAME
    else:
        path = folder(values["out"], "out", must_exist=False) / FILE_NAME
    try:
        return load_settings(path)
    except MailError as exc:
        raise UserError(str(exc)) from None


@guarded
def fetch_mail(book: Any) -> None:
    """«Получить почту»: new messages of the mailbox into the inbox folder, then
    «Собрать и проверить»."""
    from ..mail import MailError
    from ..mail.imap import fetch
    from ..mail.settings import password
    from ..store.folder import work_paths

    values = settings(book)
    inbox = folder(values["inbox"], "inbox", must_exist=False)
    out = folder(values["out"], "out", must_exist=False)
    campaign = _campaign(values)
    period = _period(values, campaign)
    s = _mail_settings(values)
    try:
        result = fetch(
            s, password(s.imap), period, inbox, work_paths(out)["store"], cafile=s.cafile
        )
    except MailError as exc:
        raise UserError(str(exc)) from None
    fetched = render(
        "mail.fetch_done", fetched=len(result.fetched), known=result.known, inbox=inbox
    )
    collect_and_check(book)
    cell = book.sheets[C.CONSOLE_SHEET][C.MESSAGE_CELL]
    notes = " ".join(render(k) for k in result.notes)
    cell.value = " ".join(x for x in (fetched, notes, str(cell.value or "")) if x)


@guarded
def send_letters(book: Any) -> None:
    """«Отправить письма»: the letters collect prepared for the chosen period (each once;
    the button is the confirmation)."""
    from ..mail import MailError
    from ..mail.settings import password
    from ..mail.smtp import rewrite_regional, send

    values = settings(book)
    out = folder(values["out"], "out")
    campaign = _campaign(values)
    period = _period(values, campaign)
    s = _mail_settings(values)
    try:
        smtp_password = password(s.smtp, smtp=True) if s.smtp else ""
        result = send(s, smtp_password, campaign, period, out, cafile=s.cafile)
    except MailError as exc:
        raise UserError(str(exc)) from None
    parts = [render("mail.sent", sent=result.sent)]
    for letter, reply in result.failed:
        key = "mail.failed" if reply[:1] == "5" else "mail.temporary"
        parts.append(
            render(key, municipality=letter.name, to=", ".join(letter.recipients), reply=reply)
        )
    for letter in result.no_address:
        bad = render("mail.bad_addresses", addresses=", ".join(letter.invalid))
        parts.append(
            render("mail.no_address", municipality=letter.name, bad=bad if letter.invalid else "")
        )
    if result.sent or result.failed or result.no_address:
        rewrite_regional(out, period, campaign)
    say(book, " ".join(parts), ok=not (result.failed or result.no_address))
