"""``shkmd-xl results import``: an export of the data-processing centre with renamed and
extra columns and schools not in the registry imports with a clear Russian report; a bad
value refuses the whole file (nothing half-imported)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from shkmd_xl.campaign import Campaign
from shkmd_xl.store.results import rows_of_year
from shkmd_xl.store.sqlite import Store

from .clirun import run_cli

HEADER = [
    "Код ОО",  # a name the campaign knows for the school column
    "Муниципалитет",  # extra: not mapped
    "Экзамен",  # «процедура» renamed
    "Учебный предмет",
    "Параллель",
    "Кол-во участников",
    "Средний тестовый балл",
    "Доля не преодолевших минимальный порог",
    "Доля высоких результатов, %",
    "Примечание РЦОИ",  # extra
]


def _export(campaign: Campaign) -> list[list[object]]:
    schools = campaign.schools_of("SOLN")[:3]
    rows: list[list[object]] = [
        [s.code, "Солнечногорск", "ЕГЭ", "Русский язык", 11, 20 + i, 60.5 + i, 2.5, 10, ""]
        for i, s in enumerate(schools)
    ]
    rows.append([schools[0].code, "", "ОГЭ", "Математика", 9, 40, "3,4", "8,5 %", 12, ""])
    rows.append(["СОШ № 999 (не проект)", "", "ЕГЭ", "Русский язык", 11, 30, 70, 0, 20, ""])
    rows.append([schools[1].short_name[:-1], "", "ЕГЭ", "Физика", 11, 5, 55, 0, 0, "опечатка"])
    return rows


def test_renamed_and_extra_columns_and_unknown_schools(tmp_path: Path, campaign: Campaign) -> None:
    path = tmp_path / "РЦОИ_2026.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Результаты ГИА-2026, выгрузка РЦОИ"])  # a title above the header
    ws.append(HEADER)
    for row in _export(campaign):
        ws.append(row)
    wb.save(path)
    out = tmp_path / "work"
    done = run_cli("results", "import", str(path), "--period", "2026-06", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Импортировано строк: 4" in text and "пропущено строк ОО не из реестра: 2" in text
    assert "«Муниципалитет»" in text and "«Примечание РЦОИ»" in text  # unmapped, named
    assert "строка 7" in text and "СОШ № 999" in text  # the unknown school by row
    assert "возможно" in text  # the typo gets a suggestion
    store = Store(out / "shkmd.sqlite")
    rows = rows_of_year(store, 2026)
    assert len(rows) == 4 and {r.assessment for r in rows} == {"ЕГЭ", "ОГЭ"}
    oge = next(r for r in rows if r.assessment == "ОГЭ")
    assert oge.mean == 3.4 and oge.fail_share == 8.5
    # imported again: replaced, not doubled
    run_cli("results", "import", str(path), "--period", "2026-06", "--out", str(out))
    assert len(rows_of_year(store, 2026)) == 4
    store.close()


def test_a_bad_value_refuses_the_whole_file(tmp_path: Path, campaign: Campaign) -> None:
    path = tmp_path / "РЦОИ.csv"
    rows = _export(campaign)[:4]
    rows[1][6] = 140  # ЕГЭ mean above 100
    rows[2][3] = "Окружающий мир"  # not an ЕГЭ subject
    with path.open("w", encoding="cp1251", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    out = tmp_path / "work"
    done = run_cli("results", "import", str(path), "--period", "2025-06", "--out", str(out))
    assert done.returncode == 2
    assert "строка 3, столбец «Средний тестовый балл»" in done.stderr
    assert "строка 4, столбец «Учебный предмет»" in done.stderr
    assert "ничего не записано" in done.stderr and "Traceback" not in done.stderr
    assert not (out / "shkmd.sqlite").exists() or not rows_of_year(
        Store(out / "shkmd.sqlite"), 2025
    )


def test_a_missing_column_is_named_with_the_names_looked_for(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("Школа;Предмет;Средний балл\nX;Русский язык;60\n", encoding="utf-8")
    done = run_cli("results", "import", str(path), "--period", "2026-06", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "не найден столбец «процедура»" in done.stderr and "«Экзамен»" in done.stderr
