"""The command line as a user runs it (a real subprocess)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign

from .clirun import run_cli


def test_help_is_russian() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "Использование:" in result.stdout and "Показать эту справку" in result.stdout
    assert "Usage:" not in result.stdout and "Show this message" not in result.stdout
    sub = run_cli("templates", "--help")
    assert "Папка для шаблонов" in sub.stdout


def test_usage_errors_are_russian() -> None:
    """A mistyped command line gets Russian words, not typer's English f-strings."""
    cases = {
        ("check", "--bogus", "x.xlsx"): "Нет такого параметра: --bogus",
        ("check",): "Не указан аргумент «files»",
        ("decide", "--help-me"): "возможно, имелось в виду: --help",
    }
    for args, expected in cases.items():
        result = run_cli(*args)
        assert result.returncode == 2, result
        err = " ".join(result.stderr.split())  # rich wraps its error box
        assert expected in err, err
        assert "No such option" not in err and "Missing argument" not in err


@pytest.mark.slow  # the whole demo: two periods collected, the справка, a federal roll-up
def test_demo_builds_campaign_and_templates(demo_run: tuple[Path, str], campaign: Campaign) -> None:
    out, printed = demo_run
    assert str(out) in printed.replace("\n", "")
    made = sorted(p.name for p in (out / "шаблоны").iterdir())
    # one personalised template per municipality of the demo campaign, and the generic one
    assert made == sorted(
        ["Шаблон_общий.xlsx", *(f"Шаблон_{m.code}.xlsx" for m in campaign.municipalities)]
    )
    assert (out / "кампания.xlsx").exists()
    federal = out / "Федерация" / "Свод"
    assert "Свод регионов за 2026-11. Регионов: 2, обработано: 2" in printed
    assert (federal / "Свод_регионов_2026-11.xlsx").exists()
    assert (federal / "Таблицы_2026-11" / "дорожные_карты.parquet").stat().st_size > 0


def test_campaign_init_then_templates_from_it(tmp_path: Path) -> None:
    path = tmp_path / "кампания.xlsx"
    assert run_cli("campaign", "init", str(path)).returncode == 0
    wb = openpyxl.load_workbook(path)
    wb["ОО"]["D2"] = "NOPE"
    wb.save(path)
    bad = run_cli("templates", "--campaign", str(path), "--out", str(tmp_path / "t"))
    assert bad.returncode == 2
    assert "строка 2" in bad.stderr and "NOPE" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = run_cli("templates", "--campaign", str(tmp_path / "нет.xlsx"))
    assert missing.returncode == 2 and "не найден" in missing.stderr
