"""File-level findings (SUB*), messy values, CLI exit codes and JSON."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.forms import sheets as F
from shkmd_xl.issues import COLUMNS
from shkmd_xl.pipeline import check

from .clirun import run_cli
from .fills import fill_with_openpyxl, good_fill


@pytest.fixture()
def good(templates: dict[str, Path], campaign: Campaign, tmp_path: Path) -> Path:
    return fill_with_openpyxl(
        templates["SOLN"], good_fill(campaign, "SOLN", "2026-06"), tmp_path / "good.xlsx"
    )


def codes(path: Path, campaign: Campaign, period: str | None = "2026-06") -> list[tuple[str, str]]:
    return sorted((i.code, i.location.cell) for i in check(path, campaign, period))


def test_not_a_campaign_workbook(tmp_path: Path, campaign: Campaign) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Бюджет на 2026 год"
    wb.save(tmp_path / "budget.xlsx")
    report = check(tmp_path / "budget.xlsx", campaign)
    assert [i.code for i in report] == ["SUB01"] and report.unreadable


@pytest.mark.parametrize(
    ("name", "content", "variant"),
    [
        ("empty.xlsx", b"", "empty"),
        ("text.xlsx", "просто текст".encode(), ""),
        ("truncated.xlsx", None, ""),
    ],
)
def test_corrupt_files(
    tmp_path: Path, good: Path, campaign: Campaign, name: str, content: bytes | None, variant: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content if content is not None else good.read_bytes()[:5000])
    report = check(path, campaign)
    assert [(i.code, i.variant) for i in report] == [("SUB09", variant)]
    assert report.unreadable


def test_encrypted_file(tmp_path: Path, good: Path, campaign: Campaign) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with good.open("rb") as src, (tmp_path / "secret.xlsx").open("wb") as dst:
        OOXMLFile(src).encrypt("пароль", dst)
    report = check(tmp_path / "secret.xlsx", campaign)
    assert [i.code for i in report] == ["SUB08"] and report.unreadable


def test_zip_bomb_member_refused(tmp_path: Path, campaign: Campaign) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert [i.code for i in check(path, campaign)] == ["SUB09"]


def _edit(path: Path, fn) -> Path:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def test_older_template_version(good: Path, campaign: Campaign) -> None:
    """SUB02: another major version cannot be read (an error, the file goes back); the
    same major with another minor is read, with a warning to use the fresh template."""
    major = F.TEMPLATE_VERSION.split(".")[0]
    _edit(good, lambda wb: wb[F.META].__setitem__("B5", "0.9"))
    report = check(good, campaign, "2026-06")
    (issue,) = report
    assert issue.code == "SUB02" and issue.variant == "unreadable"  # major 0 ≠ 1
    assert issue.severity.ru == "ошибка"
    assert "версии 0.9" in issue.message and F.TEMPLATE_VERSION in issue.message
    assert "Перенесите данные в свежий шаблон" in issue.message
    newer = f"{major}.0.0-beta"
    _edit(good, lambda wb: wb[F.META].__setitem__("B5", newer))
    report = check(good, campaign, "2026-06")
    (issue,) = report  # read: no other finding of the (good) content
    assert issue.code == "SUB02" and issue.variant == ""
    assert issue.severity.ru == "предупреждение" and not report.unreadable
    assert f"версии {newer}" in issue.message and "Файл прочитан" in issue.message
    _edit(good, lambda wb: wb[F.META].__setitem__("B5", F.TEMPLATE_VERSION))
    assert list(check(good, campaign, "2026-06")) == []  # the current version: nothing


def test_municipality_unknown_and_conflicting(
    good: Path, tmp_path: Path, campaign: Campaign
) -> None:
    other = shutil.copy(good, tmp_path / "other.xlsx")

    def forget(wb: openpyxl.Workbook) -> None:
        wb[F.META]["B3"] = ""
        wb[F.TITLE.name]["B3"] = "Неизвестный район"

    wb = openpyxl.load_workbook(good)
    for prop in list(wb.custom_doc_props.props):
        if prop.name == "shkmd_municipality_code":
            wb.custom_doc_props.props.remove(prop)
    forget(wb)
    wb.save(good)
    assert [i.code for i in check(good, campaign, "2026-06")] == ["SUB03"]
    _edit(
        Path(other),
        lambda wb: wb[F.TITLE.name].__setitem__("B3", campaign.municipality("D01").name),
    )
    (issue,) = check(Path(other), campaign, "2026-06")
    assert issue.code == "SUB04" and "Солнечногорск" in issue.message


def test_macros_renamed_sheet_missing_column(
    good: Path, tmp_path: Path, campaign: Campaign
) -> None:
    macro = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"fake vba project")
    assert codes(macro, campaign) == [("SUB11", "")]

    renamed = shutil.copy(good, tmp_path / "renamed.xlsx")
    _edit(Path(renamed), lambda wb: setattr(wb[F.ROADMAP.name], "title", "ДК школ"))
    report = check(Path(renamed), campaign, "2026-06")
    assert [(i.code, i.location.sheet) for i in report] == [("SUB12", "ДК школ")]

    moved = shutil.copy(good, tmp_path / "moved.xlsx")
    _edit(Path(moved), lambda wb: wb[F.ROADMAP.name].move_range("A1:A200", cols=12))
    assert codes(Path(moved), campaign) == [("SUB12", "")]

    dropped = shutil.copy(good, tmp_path / "dropped.xlsx")
    _edit(Path(dropped), lambda wb: wb[F.ROADMAP.name].delete_cols(12))
    report = check(Path(dropped), campaign, "2026-06")
    assert [(i.code, i.params.get("column")) for i in report] == [
        ("SUB13", "Подтверждающий документ")
    ]


def test_messy_values_are_accepted(
    templates: dict[str, Path], campaign: Campaign, tmp_path: Path
) -> None:
    fill = good_fill(campaign, "SOLN", "2026-11")
    fill.set(F.PASSPORT, 0, "period_from", "01.09.2026")
    fill.set(F.PASSPORT, 0, "approved_on", "1.9.2026 г.")
    fill.set(F.ROADMAP, 0, "deadline", "IV квартал 2026")
    fill.set(F.ROADMAP, 1, "deadline", "15.10.2026")
    fill.set(F.ROADMAP, 2, "deadline", "Октябрь 2026 г.")
    fill.set(F.ROADMAP, 6, "agreed", "ДА ")
    fill.set(F.ROADMAP, 7, "agreed", "да")
    fill.set(F.ROADMAP, 3, "responsible", "Кузнецова\u00a0Ирина  Сергеевна")
    fill.set(F.ROADMAP, 4, "status", "запланировано")
    fill.set(F.ROADMAP, 6, "target_group", "Руководители")
    sm = F.school_monitoring_form(campaign)
    fill.set(sm, 2, "S02", "95%")
    fill.set(sm, 2, "S03", "95,5")
    fill.set(sm, 2, "S01", "40")
    fill.set(F.TRAINING, 0, "entry_diag", "72 %")
    fill.set(F.TRAINING, 0, "age", "38")
    fill.set(F.TRAINING, 1, "hours", "36,0")
    path = fill_with_openpyxl(templates["SOLN"], fill, tmp_path / "messy.xlsx")
    report = check(path, campaign)
    assert report.issues == [], [i.message for i in report]


def test_fractions_in_percent_cells(
    templates: dict[str, Path], campaign: Campaign, tmp_path: Path
) -> None:
    """0.95 typed in a percent-formatted cell is read as 95 %."""
    fill = good_fill(campaign, "SOLN", "2026-04")
    path = fill_with_openpyxl(templates["SOLN"], fill, tmp_path / "fractions.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[F.school_monitoring_form(campaign).name]
    for row in ws.iter_rows(min_row=2, min_col=4):
        for cell in row:
            if isinstance(cell.value, int | float):
                cell.value = cell.value / 100
                cell.number_format = "0%"
    wb.save(path)
    assert check(path, campaign).issues == []
    from shkmd_xl.reader.book import read_book

    book = read_book(path, campaign)
    assert book.rows("school_mon")[0].get("S02") == pytest.approx(71)


def test_cli_exit_codes_and_json(good: Path, tmp_path: Path, campaign: Campaign) -> None:
    ok = run_cli("check", str(good))
    assert ok.returncode == 0 and "замечаний нет" in ok.stdout
    bad = tmp_path / "bad.xlsx"
    fill_with_openpyxl(good, good_fill(campaign, "SOLN", "2026-06"), bad)
    _edit(bad, lambda wb: wb[F.ROADMAP.name].__setitem__("I2", None))
    result = run_cli("check", str(bad), "--json")
    assert result.returncode == 1
    rows = json.loads(result.stdout)
    assert [(r["code"], r["cell"], r["sheet"]) for r in rows] == [("RM15", "I2", "Дорожные карты")]
    assert tuple(rows[0]) == COLUMNS
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    broken = run_cli("check", str(empty))
    assert broken.returncode == 2 and "Traceback" not in broken.stderr + broken.stdout
    assert "SUB09" in broken.stdout
    assert run_cli("check", str(good), "--period", "2030-01").returncode == 2
    assert run_cli("check", str(tmp_path / "нет.xlsx")).returncode == 2
