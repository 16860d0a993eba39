"""Command line «shkmd-xl» (the only module that prints for people)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

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
        err.print(f"[red]Файл кампании не найден: {path}[/red]")
        raise typer.Exit(2)
    try:
        return load_campaign(path)
    except CampaignError as exc:
        err.print(f"[red]Файл кампании {path} не принят:[/red]")
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
    console.print(f"Время: {time.perf_counter() - started:.1f} с", style="dim")


@app.command("check")
def check_cmd(
    files: Annotated[list[Path], typer.Argument(help="Файлы отчётов (.xlsx, .xlsm, .xls, .ods).")],
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
    from .pipeline import check
    from .report_text import print_json, print_report

    c = _campaign(campaign)
    if period is not None and period not in {p.code for p in c.periods}:
        err.print(
            render("cli.bad_period", period=period, allowed=", ".join(p.code for p in c.periods))
        )
        raise typer.Exit(2)
    reports = []
    worst = 0
    for path in files:
        if not path.is_file():
            err.print(render("cli.no_file", file=path))
            worst = 2
            continue
        report = check(path, c, period)
        reports.append(report)
        worst = max(worst, 2 if report.unreadable else (0 if report.valid else 1))
    if as_json:
        print_json(reports)
    else:
        for report in reports:
            print_report(console, report)
    raise typer.Exit(worst)


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


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Папка демонстрации.")] = Path("demo"),
) -> None:
    """Демонстрация на встроенных данных: файл кампании и шаблоны всех муниципалитетов."""
    from .campaign import default_campaign
    from .template.campaign_book import write_campaign_workbook
    from .template.workbook import write_templates

    c = default_campaign()
    campaign_path = write_campaign_workbook(c, out / "кампания.xlsx")
    console.print(render("cli.campaign_written", path=campaign_path.resolve()))
    paths = write_templates(c, out / "шаблоны")
    console.print(
        render("cli.templates_done", count=len(paths) - 1, out=(out / "шаблоны").resolve())
    )
    console.print(render("cli.demo_done", out=out.resolve()))


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
