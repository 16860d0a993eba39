"""Command line «shkmd-xl» (the only module that prints for people)."""

from __future__ import annotations

import contextlib
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

CampaignOpt = Annotated[
    Path | None,
    typer.Option(
        "--campaign",
        "-c",
        help="Файл кампании (.xlsx). По умолчанию — демо-кампания.",
        dir_okay=False,
    ),
]


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
    if period is not None and period not in {p.code for p in c.periods}:
        err.print(
            render("cli.bad_period", period=period, allowed=", ".join(p.code for p in c.periods))
        )
        raise typer.Exit(2)
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
    period: Annotated[str, typer.Option("--period", "-p", help="Отчётный период ГГГГ-ММ.")] = "",
    campaign: CampaignOpt = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Рабочая папка: архив, база, отчёты.")
    ] = Path("результаты"),
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
    if period not in {p.code for p in c.periods}:
        err.print(
            render("cli.bad_period", period=period, allowed=", ".join(p.code for p in c.periods))
        )
        raise typer.Exit(2)
    if not inbox.is_dir():
        err.print(render("cli.no_inbox", inbox=inbox))
        raise typer.Exit(2)
    result = _run_collect(collect, inbox, period, c, out, dry_run, quiet=as_json, wait=wait)
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
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Рабочая папка сбора (где shkmd.sqlite).")
    ] = Path("результаты"),
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
) -> Any:
    from .store.folder import StoreBusy

    try:
        with _progress_bar("Проверка", disable=quiet) as progress:
            return collect(
                inbox, period, c, out, dry_run=dry_run, progress=progress, wait_seconds=wait
            )
    except StoreBusy:
        err.print(render("cli.store_busy", out=out, seconds=f"{wait:g}"))
        raise typer.Exit(2) from None


@app.command("report")
def report_cmd(
    period: Annotated[str, typer.Option("--period", "-p", help="Отчётный период ГГГГ-ММ.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Папка результатов сбора (где shkmd.sqlite).")
    ] = Path("Результаты"),
    campaign: CampaignOpt = None,
) -> None:
    """Аналитическая справка по итогам мониторинга (.docx) по результатам сбора за период."""
    from .regional.brief import make_brief

    c = _campaign(campaign)
    if period not in {p.code for p in c.periods}:
        err.print(
            render("cli.bad_period", period=period, allowed=", ".join(p.code for p in c.periods))
        )
        raise typer.Exit(2)
    try:
        path = make_brief(out, period, c)
    except FileNotFoundError:
        err.print(render("cli.no_results", out=out))
        raise typer.Exit(2) from None
    console.print(render("cli.brief_written", path=path.resolve()))


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
    """Two demo regions through a registry: the federal summary and Parquet tables."""
    from .demo import build_inbox
    from .federal.registry import Region, write_registry
    from .federal.run import collect_regions
    from .terminal import print_federal_summary

    regions = []
    for n, (code, name) in enumerate((("50", "Демо-область"), ("69", "Демо-край"))):
        other = c.model_copy(update={"region": name})
        (root / code).mkdir(parents=True, exist_ok=True)
        (root / code / "кампания.json").write_text(other.model_dump_json(), encoding="utf-8")
        build_inbox(other, root / code / "Входящие", period, seed + n)
        regions.append(
            Region(code, name, root / code / "кампания.json", root / code / "Входящие" / period)
        )
    registry = write_registry(regions, root / "регионы.xlsx")
    console.print(render("cli.demo_federation", registry=registry.resolve()))
    print_federal_summary(console, collect_regions(registry, period, root / "Свод"))


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
