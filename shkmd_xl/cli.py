"""Command line «shkmd-xl» (the only module that prints for people)."""

from __future__ import annotations

import contextlib
import enum
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from . import cli_ru
from .campaign import Campaign, CampaignError
from .messages import render

cli_ru.install()

app = typer.Typer(
    help="Шаблоны, проверка и свод отчётности проекта «Школы, которым можно доверять» / «500+».",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
campaign_app = typer.Typer(
    help="Файл кампании: реестр, каталоги, показатели, сроки.", no_args_is_help=True
)
app.add_typer(campaign_app, name="campaign")
console = Console()
err = Console(stderr=True)

#: The reporting period of a command that works on one period's collection.
PeriodOpt = Annotated[str, typer.Option("--period", "-p", help="Отчётный период ГГГГ-ММ.")]
#: The work folder of collect (archive, store shkmd.sqlite, regional outputs): one
#: default for every command that reads or writes it.
WORK_DIR = Path("Результаты")
WorkOpt = Annotated[
    Path,
    typer.Option("--out", "-o", help="Рабочая папка сбора: архив, база shkmd.sqlite, отчёты."),
]
CampaignOpt = Annotated[
    Path | None,
    typer.Option(
        "--campaign",
        "-c",
        help="Файл кампании (.xlsx). По умолчанию — демо-кампания.",
        dir_okay=False,
    ),
]


def _known_period(c: Campaign, period: str) -> None:
    """Stop with the campaign's periods when ``period`` is not one of them."""
    if period not in {p.code for p in c.periods}:
        allowed = ", ".join(p.code for p in c.periods)
        err.print(render("cli.bad_period", period=period, allowed=allowed))
        raise typer.Exit(2)


def _campaign(path: Path | None) -> Campaign:
    from .reader.campaign_book import load_campaign

    if path is not None and not path.exists():
        err.print(render("cli.campaign_missing", path=path), style="red")
        raise typer.Exit(2)
    try:
        return load_campaign(path)
    except CampaignError as exc:
        err.print(render("cli.campaign_refused", path=path), style="red")
        for problem in exc.problems:
            err.print(f"  • {problem}", markup=False)
        raise typer.Exit(2) from None


@campaign_app.command("init")
def campaign_init(
    path: Annotated[Path, typer.Argument(help="Куда записать файл кампании (.xlsx).")],
) -> None:
    """Записать файл кампании по умолчанию (демо-реестр) для редактирования в Excel."""
    from .campaign import default_campaign
    from .template.campaign_book import write_campaign_workbook

    write_campaign_workbook(default_campaign(), path)
    console.print(render("cli.campaign_written", path=path))


@app.command("templates")
def templates(
    out: Annotated[Path, typer.Option("--out", "-o", help="Папка для шаблонов.")] = Path("шаблоны"),
    campaign: CampaignOpt = None,
) -> None:
    """Создать персональные шаблоны всех муниципалитетов и общий шаблон."""
    from .template.workbook import write_templates

    c = _campaign(campaign)
    started = time.perf_counter()
    paths = write_templates(c, out)
    console.print(render("cli.templates_done", count=len(paths) - 1, out=out.resolve()))
    console.print(
        render("cli.elapsed", seconds=f"{time.perf_counter() - started:.1f}"), style="dim"
    )


@app.command("check")
def check_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Файлы отчётов (.xlsx, .xlsm, .xls, .ods). Двоичные .xlsb не принимаются: "
            "сохраните их как «Книга Excel (.xlsx)»."
        ),
    ],
    campaign: CampaignOpt = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", "-p", help="Отчётный период ГГГГ-ММ. По умолчанию — с листа «Титул»."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Вывести замечания в формате JSON.")
    ] = False,
) -> None:
    """Проверить заполненные книги: что не так и в какой ячейке.

    Код выхода: 0 — ошибок нет, 1 — есть ошибки, 2 — файл не удалось прочитать.
    """
    from .pipeline import check_files
    from .terminal import print_findings, print_json

    c = _campaign(campaign)
    if period is not None:
        _known_period(c, period)
    worst = 0
    present = []
    for path in files:
        if path.is_file():
            present.append(path)
        elif path.is_dir():
            err.print(render("cli.is_folder", file=path))
            worst = 2
        else:
            err.print(render("cli.no_file", file=path))
            worst = 2
    reports = check_files(present, c, period)
    for report in reports:
        worst = max(worst, 2 if report.unreadable else (0 if report.valid else 1))
    if as_json:
        print_json(reports)
    else:
        for report in reports:
            print_findings(console, report)
    raise typer.Exit(worst)


@app.command("build-workbooks")
def build_workbooks_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Куда записать книги .xlsm.")] = Path(
        "workbooks-xlsm"
    ),
) -> None:
    """Собрать пульт регионального координатора и шаблон с кнопками (.xlsm) на этом компьютере.

    В книги входит VBA-модуль xlwings из установленного пакета xlwings.
    """
    from .pipeline import build_excel_workbooks
    from .template.vba import BuildError

    try:
        paths = build_excel_workbooks(out)
    except BuildError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    for path in paths:
        console.print(str(path.resolve()))


@app.command("workbooks")
def workbooks(
    out: Annotated[Path, typer.Option("--out", "-o", help="Папка workbooks/ проекта.")] = Path(
        "workbooks"
    ),
) -> None:
    """Пересобрать книги в папке workbooks/ (общий шаблон и файл кампании по умолчанию)."""
    from .pipeline import build_workbooks

    for path in build_workbooks(out):
        console.print(str(path))


@app.command("collect")
def collect_cmd(
    inbox: Annotated[
        Path | None,
        typer.Argument(help="Папка входящих: файлы, архивы .zip, письма .eml/.msg."),
    ] = None,
    period: PeriodOpt = "",
    campaign: CampaignOpt = None,
    out: WorkOpt = WORK_DIR,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            "-r",
            help="Реестр регионов (.xlsx, лист «Регионы»): собрать сразу несколько регионов.",
            dir_okay=False,
        ),
    ] = None,
    regional: Annotated[
        bool,
        typer.Option("--regional", help="С реестром: также свод и замечания каждого региона."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Ничего не записывать, только итог.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Итог и замечания в формате JSON.")
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", help="Сколько секунд ждать, если папка занята другим запуском сбора."
        ),
    ] = 600.0,
    expertise: Annotated[
        Path | None,
        typer.Option(
            "--expertise",
            help="Заполненная книга экспертизы документов (по умолчанию — "
            "Экспертиза_ГГГГ-ММ.xlsx в рабочей папке, если она есть).",
            dir_okay=False,
        ),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            help="Свод с заполненным листом «Решения» (по умолчанию — прежний свод в --out).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Собрать и проверить отчёты муниципалитетов за период: свод, пробелы, замечания."""
    from .collect import collect
    from .terminal import print_collect_json, print_collect_summary

    if not period:
        err.print(render("cli.no_period"))
        raise typer.Exit(2)
    if (inbox is None) == (registry is None):
        err.print(render("cli.inbox_or_registry"))
        raise typer.Exit(2)
    if registry is not None:
        _collect_regions(registry, period, out, regional, as_json, wait)
        return
    assert inbox is not None
    c = _campaign(campaign)
    _known_period(c, period)
    if not inbox.is_dir():
        err.print(render("cli.no_inbox", inbox=inbox))
        raise typer.Exit(2)
    if expertise is not None and not expertise.is_file():
        err.print(render("cli.no_expertise", path=expertise))
        raise typer.Exit(2)
    if decisions is not None and not decisions.is_file():
        err.print(render("cli.no_file", file=decisions))
        raise typer.Exit(2)
    result = _run_collect(
        collect,
        inbox,
        period,
        c,
        out,
        dry_run,
        quiet=as_json,
        wait=wait,
        expertise=expertise,
        decisions=decisions,
    )
    if as_json:
        print_collect_json(result)
    else:
        print_collect_summary(console, result, dry_run)


def _collect_regions(
    registry: Path, period: str, out: Path, regional: bool, as_json: bool, wait: float
) -> None:
    from .federal.registry import RegistryError
    from .federal.run import collect_regions
    from .store.folder import StoreBusy
    from .terminal import print_federal_json, print_federal_summary

    if not registry.is_file():
        err.print(render("cli.no_registry", path=registry))
        raise typer.Exit(2)
    try:
        with _progress_bar("Регионы", disable=as_json) as progress:
            result = collect_regions(
                registry,
                period,
                out,
                progress=progress,
                regional_outputs=regional,
                wait_seconds=wait,
            )
    except RegistryError as exc:
        err.print(render("cli.registry_refused", path=registry), style="red")
        for problem in exc.problems:
            err.print(f"  • {problem}", markup=False)
        raise typer.Exit(2) from None
    except StoreBusy:
        err.print(render("cli.store_busy", out=out, seconds=f"{wait:g}"))
        raise typer.Exit(2) from None
    if as_json:
        print_federal_json(result)
    else:
        print_federal_summary(console, result)
    if any(r.problem for r in result.regions):
        raise typer.Exit(1)  # the others are done; scripts see that some region was not


results_app = typer.Typer(
    help="Результаты обучения (ЕГЭ, ОГЭ, ВПР, РДР): импорт выгрузки РЦОИ.", no_args_is_help=True
)
app.add_typer(results_app, name="results")


@results_app.command("import")
def results_import_cmd(
    file: Annotated[Path, typer.Argument(help="Выгрузка РЦОИ: .xlsx, .xls, .ods или .csv.")],
    period: Annotated[
        str, typer.Option("--period", "-p", help="Год и месяц результатов ГГГГ-ММ.")
    ] = "",
    campaign: CampaignOpt = None,
    out: WorkOpt = WORK_DIR,
) -> None:
    """Импортировать результаты из выгрузки РЦОИ в базу (всё или ничего)."""
    import re

    from .pipeline import import_results

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        err.print(render("results.bad_period", period=period))
        raise typer.Exit(2)
    if not file.is_file():
        err.print(render("results.no_file", path=file))
        raise typer.Exit(2)
    from .store.folder import StoreBusy

    c = _campaign(campaign)
    try:
        report = import_results(file, period, c, out)
    except StoreBusy:
        err.print(render("cli.store_busy", out=out, seconds="600"))
        raise typer.Exit(2) from None
    for line in report.lines():
        (err if report.refused else console).print(line, markup=False)
    if report.refused:
        raise typer.Exit(2)


registry_app = typer.Typer(help="Реестр регионов для федерального свода.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")


@registry_app.command("init")
def registry_init(
    path: Annotated[Path, typer.Argument(help="Куда записать реестр регионов (.xlsx).")],
) -> None:
    """Записать реестр регионов для заполнения в Excel (пример одной строки)."""
    from .federal.registry import Region, write_registry

    example = Region(
        "50",
        "Московская область",
        path.parent / "50" / "кампания.xlsx",
        path.parent / "50" / "Входящие",
    )
    write_registry([example], path)
    console.print(render("cli.registry_written", path=path))


@contextlib.contextmanager
def _progress_bar(label: str, disable: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A transient progress bar on stderr; yields the callback collect expects."""
    from rich.progress import Progress

    with Progress(console=err, transient=True, disable=disable) as bar:
        task = bar.add_task(label, total=None)

        def progress(name: str, i: int, n: int) -> None:
            bar.update(task, total=n, completed=i, description=f"{label}: {name[:50]}")

        yield progress


def _run_collect(
    collect: Any,
    inbox: Path,
    period: str,
    c: Campaign,
    out: Path,
    dry_run: bool,
    quiet: bool,
    wait: float = 600.0,
    expertise: Path | None = None,
    decisions: Path | None = None,
) -> Any:
    from .store.folder import StoreBusy

    try:
        with _progress_bar("Проверка", disable=quiet) as progress:
            return collect(
                inbox,
                period,
                c,
                out,
                dry_run=dry_run,
                progress=progress,
                wait_seconds=wait,
                expertise=expertise,
                decisions=decisions,
            )
    except StoreBusy:
        err.print(render("cli.store_busy", out=out, seconds=f"{wait:g}"))
        raise typer.Exit(2) from None


@app.command("report")
def report_cmd(
    period: PeriodOpt,
    out: WorkOpt = WORK_DIR,
    campaign: CampaignOpt = None,
) -> None:
    """Аналитическая справка по итогам мониторинга (.docx) по результатам сбора за период."""
    from .regional.brief import make_brief

    c = _campaign(campaign)
    _known_period(c, period)
    try:
        path = make_brief(out, period, c)
    except FileNotFoundError:
        err.print(render("cli.no_results", out=out))
        raise typer.Exit(2) from None
    console.print(render("cli.brief_written", path=path.resolve()))


@app.command("expertise")
def expertise_cmd(
    period: PeriodOpt,
    out: WorkOpt = WORK_DIR,
    campaign: CampaignOpt = None,
) -> None:
    """Книга экспертизы подтверждающих документов: строки дорожных карт со ссылками на
    документы; эксперты отмечают «соответствует» / «не соответствует», сбор читает книгу."""
    from .consolidate import consolidate
    from .expertise import expertise_path, write_expertise
    from .store import Store
    from .store.folder import work_paths

    c = _campaign(campaign)
    _known_period(c, period)
    db = work_paths(out)["store"]
    if not db.is_file():
        err.print(render("cli.no_results", out=out))
        raise typer.Exit(2)
    store = Store(db)
    try:
        path, rows = write_expertise(
            store, c, consolidate(store, c, period), expertise_path(out, period)
        )
    except OSError as exc:
        err.print(render("cli.expertise_not_written", path=expertise_path(out, period), reason=exc))
        raise typer.Exit(2) from None
    finally:
        store.close()
    console.print(render("cli.expertise_written", path=path.resolve(), rows=rows))


mail_app = typer.Typer(
    help="Почтовый ящик: получить отчёты (IMAP) и отправить подготовленные письма (SMTP).",
    no_args_is_help=True,
)
app.add_typer(mail_app, name="mail")

SettingsOpt = Annotated[
    Path | None,
    typer.Option(
        "--settings",
        "-s",
        help="Файл настроек почты (.toml). По умолчанию — «почта.toml» рядом с файлом кампании.",
        dir_okay=False,
    ),
]
CafileOpt = Annotated[
    Path | None,
    typer.Option(
        "--cafile",
        help="Корневой сертификат (.pem) вашей организации, если сервер подписан им.",
        dir_okay=False,
    ),
]


def _mail_fault(exc: Exception) -> typer.Exit:
    """A mail fault told in Russian (plain text: settings keys look like markup), exit 2."""
    err.print(str(exc), style="red", markup=False)
    return typer.Exit(2)


@mail_app.command("init")
def mail_init(
    path: Annotated[Path, typer.Argument(help="Куда записать образец настроек.")] = Path(
        "почта.toml"
    ),
) -> None:
    """Записать образец файла настроек почты (без пароля) для заполнения."""
    from .mail.settings import EXAMPLE

    if path.exists():
        err.print(render("mail.settings_exists", path=path))
        raise typer.Exit(2)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(EXAMPLE, encoding="utf-8")
    console.print(render("mail.settings_written", path=path))


@mail_app.command("fetch")
def mail_fetch(
    period: PeriodOpt,
    campaign: CampaignOpt = None,
    settings: SettingsOpt = None,
    inbox: Annotated[
        Path | None,
        typer.Option("--inbox", help="Папка входящих периода. По умолчанию — Входящие/ГГГГ-ММ."),
    ] = None,
    out: WorkOpt = WORK_DIR,
    cafile: CafileOpt = None,
    no_collect: Annotated[
        bool, typer.Option("--no-collect", help="Только скачать письма, без сбора.")
    ] = False,
) -> None:
    """Получить новые письма из почтового ящика в папку входящих периода и собрать отчёты."""
    from .collect import collect
    from .mail import MailError
    from .mail.imap import fetch
    from .mail.settings import load_settings, password, settings_path
    from .store.folder import work_paths
    from .terminal import print_collect_summary

    c = _campaign(campaign)
    _known_period(c, period)
    folder = inbox or Path("Входящие") / period
    try:
        s = load_settings(settings_path(campaign, settings))
        with _progress_bar("Почта", disable=False) as progress:
            result = fetch(
                s,
                password(s.imap),
                period,
                folder,
                work_paths(out)["store"],
                cafile=cafile or s.cafile,
                progress=progress,
            )
    except MailError as exc:
        raise _mail_fault(exc) from None
    console.print(
        render("mail.fetch_done", fetched=len(result.fetched), known=result.known, inbox=folder)
    )
    if result.moved:
        console.print(render("mail.moved", folder=s.processed_folder, moved=result.moved))
    for key in result.notes:
        err.print(render(key), style="yellow")
    if no_collect:
        return
    summary = _run_collect(collect, folder, period, c, out, False, quiet=False)
    print_collect_summary(console, summary, False)


@mail_app.command("send")
def mail_send(
    period: PeriodOpt,
    campaign: CampaignOpt = None,
    settings: SettingsOpt = None,
    out: WorkOpt = WORK_DIR,
    cafile: CafileOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Только показать, кому какое письмо уйдёт.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Не спрашивать подтверждения.")] = False,
) -> None:
    """Отправить письма, подготовленные сбором (замечания и напоминания), координаторам
    муниципалитетов. Каждое письмо уходит один раз; повторный запуск отправит только новые
    и неотправленные.

    Код выхода: 0 — всё отправлено, 1 — часть писем не ушла, 2 — отправка невозможна.
    """
    from .mail import MailError
    from .mail.settings import load_settings, password, settings_path
    from .mail.smtp import plan, rewrite_regional, send

    c = _campaign(campaign)
    _known_period(c, period)
    try:
        s = load_settings(settings_path(campaign, settings))
        planned = plan(out, period, c, remake=not dry_run)
    except MailError as exc:
        raise _mail_fault(exc) from None
    if planned.remade:
        console.print(render("mail.remade"))
    letters = planned.letters
    if not letters:
        console.print(render("mail.no_letters", folder=out / "Замечания" / period))
        return
    console.print(render("mail.plan_header", count=len(letters)))
    for x in letters:
        names = ", ".join(a for a in x.attachments if a)
        console.print(
            "  "
            + render(
                "mail.plan_line",
                action=render(f"mail.action.{x.action}"),
                municipality=x.name,
                to=", ".join(x.recipients) or "—",
                subject=x.subject,
                attachments=render("mail.attachments", names=names) if names else "",
            ),
            markup=False,
        )
    for x in letters:  # ML01: a coordinator no letter (or not every letter) can reach
        for issue in x.findings:
            err.print(
                render(
                    "mail.finding",
                    code=issue.code,
                    severity=issue.severity.ru,
                    message=issue.message,
                ),
                style="yellow",
                markup=False,
            )
    todo = sum(1 for x in letters if x.action in ("send", "resend"))
    if dry_run:
        return
    if todo and not yes and not typer.confirm(render("mail.confirm", count=todo)):
        console.print(render("mail.cancelled"))
        return
    try:
        with _progress_bar("Отправка", disable=False) as progress:
            result = send(
                s,
                password(s.smtp, smtp=True) if s.smtp else "",
                c,
                period,
                out,
                cafile=cafile,
                progress=progress,
                planned=planned,
            )
    except MailError as exc:
        raise _mail_fault(exc) from None
    if todo == 0:
        console.print(render("mail.nothing", already=result.already))
    else:
        console.print(render("mail.sent", sent=result.sent))
    for letter, reply in result.failed:
        key = "mail.failed" if reply[:1] == "5" else "mail.temporary"
        to = ", ".join(letter.recipients)
        err.print(render(key, municipality=letter.name, to=to, reply=reply), markup=False)
    for letter in result.no_address:
        bad = render("mail.bad_addresses", addresses=", ".join(letter.invalid))
        err.print(
            render("mail.no_address", municipality=letter.name, bad=bad if letter.invalid else ""),
            markup=False,
        )
    if result.sent or result.failed or result.no_address:
        rewrite_regional(out, period, c)
    if result.failed or result.no_address:
        raise typer.Exit(1)


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Папка демонстрации.")] = Path("demo"),
    seed: Annotated[int, typer.Option("--seed", help="Зерно генератора демо-данных.")] = 2026,
) -> None:
    """Демонстрация на встроенных данных: шаблоны, входящие письма за два периода, свод."""
    from .campaign import default_campaign
    from .collect import collect
    from .demo import DEMO_PERIODS, build_inbox
    from .template.campaign_book import write_campaign_workbook
    from .template.workbook import write_templates
    from .terminal import print_collect_summary

    c = default_campaign()
    campaign_path = write_campaign_workbook(c, out / "кампания.xlsx")
    console.print(render("cli.campaign_written", path=campaign_path.resolve()))
    paths = write_templates(c, out / "шаблоны")
    console.print(
        render("cli.templates_done", count=len(paths) - 1, out=(out / "шаблоны").resolve())
    )
    _demo_results(c, out, seed)
    history = None
    for period in DEMO_PERIODS:
        history = build_inbox(c, out / "Входящие", period, seed, history)
        result = _run_collect(
            collect, out / "Входящие" / period, period, c, out / "Результаты", False, quiet=False
        )
        print_collect_summary(console, result, False)
    from .regional.brief import make_brief

    brief = make_brief(out / "Результаты", DEMO_PERIODS[-1], c)
    console.print(render("cli.brief_written", path=brief.resolve()))
    _demo_federation(c, out / "Федерация", DEMO_PERIODS[-1], seed)
    console.print(render("cli.demo_done", out=out.resolve()))


def _demo_results(c: Campaign, out: Path, seed: int) -> None:
    """Two years of results from the data-processing centre's exports, imported."""
    from .demo import build_results_exports
    from .pipeline import import_results

    for path, period in build_results_exports(c, out / "Выгрузки РЦОИ", seed):
        report = import_results(path, period, c, out / "Результаты")
        console.print(report.lines()[-1], markup=False)


def _demo_federation(c: Campaign, root: Path, period: str, seed: int) -> None:
    """Two demo regions through a registry: the federal summary and Parquet tables (each
    region's results of the data-processing centre imported into its folder first)."""
    from .demo import build_inbox, build_results_exports
    from .federal.registry import Region, write_registry
    from .federal.run import collect_regions
    from .pipeline import import_results
    from .terminal import print_federal_summary

    regions = []
    for n, (code, name) in enumerate((("50", "Демо-область"), ("69", "Демо-край"))):
        other = c.model_copy(update={"region": name})
        (root / code).mkdir(parents=True, exist_ok=True)
        (root / code / "кампания.json").write_text(other.model_dump_json(), encoding="utf-8")
        build_inbox(other, root / code / "Входящие", period, seed + n)
        for path, year in build_results_exports(other, root / code / "Выгрузки РЦОИ", seed + n):
            import_results(path, year, other, root / "Свод" / code)
        regions.append(
            Region(code, name, root / code / "кампания.json", root / code / "Входящие" / period)
        )
    registry = write_registry(regions, root / "регионы.xlsx")
    console.print(render("cli.demo_federation", registry=registry.resolve()))
    print_federal_summary(console, collect_regions(registry, period, root / "Свод"))


class _Action(enum.StrEnum):
    accept = "accept"
    reject = "return"
    reopen = "reopen"


@app.command("decide")
def decide_cmd(
    action: Annotated[
        _Action,
        typer.Argument(
            help="accept — принять отчёт, return — вернуть на доработку, "
            "reopen — открыть принятый или возвращённый отчёт заново.",
            case_sensitive=False,
        ),
    ],
    period: PeriodOpt = "",
    municipality: Annotated[
        str, typer.Option("--municipality", "-m", help="Код или название муниципалитета.")
    ] = "",
    waive: Annotated[
        list[str] | None,
        typer.Option(
            "--waive",
            help="С accept: снять замечание — КОД или КОД@ЯЧЕЙКА (RM02@Дорожные карты!B5); "
            "можно несколько раз.",
        ),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Причина решения.")] = "",
    deadline: Annotated[
        str, typer.Option("--deadline", help="С return: срок доработки ДД.ММ.ГГГГ.")
    ] = "",
    who: Annotated[
        str, typer.Option("--who", help="Кто принял решение (по умолчанию — пользователь ОС).")
    ] = "",
    out: WorkOpt = WORK_DIR,
    campaign: CampaignOpt = None,
    wait: Annotated[
        float, typer.Option("--wait", help="Сколько секунд ждать, если папка занята сбором.")
    ] = 600.0,
) -> None:
    """Записать решение региона по отчёту муниципалитета: принять (можно снять замечания),
    вернуть на доработку (со сроком) или открыть заново. Свод и письма обновятся."""
    from .collect import refresh
    from .consolidate.decisions import DecisionError, Proposed, record
    from .decide import recorded_message
    from .reader.values import BadValue, parse_date
    from .statuses import Decision
    from .store.folder import StoreBusy, work_paths

    c = _campaign(campaign)
    if not period:
        err.print(render("cli.no_period"))
        raise typer.Exit(2)
    _known_period(c, period)
    if not municipality.strip():
        err.print(render("decide.no_municipality"))
        raise typer.Exit(2)
    if not work_paths(out)["store"].is_file():
        err.print(render("decide.no_store", out=out))
        raise typer.Exit(2)
    try:
        until = parse_date(deadline) if deadline else None
    except BadValue:
        err.print(render("decide.bad_deadline", value=deadline))
        raise typer.Exit(2) from None
    proposed = Proposed(
        municipality, Decision(action.value), reason, until, tuple(waive or ()), who=who
    )
    try:
        result, done = refresh(
            out,
            period,
            c,
            wait_seconds=wait,
            decide=lambda store, cons: record(store, c, cons, proposed),
        )
    except DecisionError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    except StoreBusy:
        err.print(render("cli.store_busy", out=out, seconds=f"{wait:g}"))
        raise typer.Exit(2) from None
    for line in result.decisions:
        console.print(line, markup=False)
    for line in result.decision_problems:
        err.print(line, markup=False)
    name = c.period(period).name
    if done is None:
        console.print(render("decide.repeated", name=municipality), markup=False)
    else:
        console.print(recorded_message(done, name), markup=False)
    console.print(render("decide.outputs", regional=result.outputs["regional"].resolve()))


def crash_log() -> Path:
    """Where the technical details of an unexpected error are written."""
    import tempfile

    return Path(tempfile.gettempdir()) / "shkmd-xl-error.log"


def main() -> None:
    """Entry point of the console script: no Python traceback ever reaches a user. An
    unexpected error is told in Russian, its details go to a log file, exit code 2."""
    try:
        app()  # typer/click handle usage errors and exit codes themselves
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print(render("cli.interrupted"))
        raise SystemExit(130) from None
    except Exception as exc:  # the last line of defence: a message, a log, exit 2
        import traceback

        log = crash_log()
        details = "".join(traceback.format_exception(exc))
        try:
            with log.open("a", encoding="utf-8") as fh:
                fh.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n{details}\n")
            where = str(log)
        except OSError:
            where = ""
        err.print(render("cli.crashed", error=f"{type(exc).__name__}: {exc}", log=where))
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
