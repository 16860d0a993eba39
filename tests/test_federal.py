"""Several regions in one run: registry, per-region folders, Parquet tables, summary."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.campaign.goals import MEASURES
from shkmd_xl.collect import work_paths
from shkmd_xl.demo import MISTAKES, build_inbox
from shkmd_xl.federal import (
    FederalResult,
    Region,
    RegistryError,
    collect_regions,
    load_registry,
    write_registry,
)
from shkmd_xl.federal import tables as T
from shkmd_xl.forms import sheets as F
from shkmd_xl.template.campaign_book import write_campaign_workbook

from .clirun import run_cli

PERIOD = "2026-04"


def counts(campaign: Campaign) -> tuple[int, int]:
    """Municipalities of a demo region, and those that send a file in PERIOD."""
    silent = sum(m == "silent" for m in MISTAKES[PERIOD].values())
    return len(campaign.municipalities), len(campaign.municipalities) - silent


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> Path:
    """A registry of four regions: two good (a JSON and a workbook campaign), one
    without its inbox folder, one whose campaign is refused."""
    root = tmp_path_factory.mktemp("federal")
    (root / "50").mkdir()
    (root / "50" / "кампания.json").write_text(campaign.model_dump_json(), encoding="utf-8")
    build_inbox(campaign, root / "50" / "Входящие", PERIOD)
    other = campaign.model_copy(update={"region": "Тверская область"})
    write_campaign_workbook(other, root / "69" / "кампания.xlsx")
    build_inbox(other, root / "69" / "Входящие", PERIOD, seed=7)
    (root / "78").mkdir()
    (root / "78" / "кампания.json").write_text('{"id": "x"}', encoding="utf-8")
    regions = [
        Region(
            "50", "Московская область", root / "50/кампания.json", root / f"50/Входящие/{PERIOD}"
        ),
        Region("69", "Тверская область", root / "69/кампания.xlsx", root / f"69/Входящие/{PERIOD}"),
        Region("77", "Москва", root / "50/кампания.json", root / "77/Входящие"),
        Region("78", "Санкт-Петербург", root / "78/кампания.json", root / f"50/Входящие/{PERIOD}"),
    ]
    write_registry(regions, root / "регионы.xlsx")
    _import_results(campaign, root / "50", root / "РФ" / "50")  # region 69 has none
    return root


def _import_results(campaign: Campaign, root: Path, out: Path) -> None:
    """The demo's two years of the data-processing centre's results, imported into a
    region's results folder (``shkmd-xl results import``) before its collect."""
    from shkmd_xl.demo import build_results_exports
    from shkmd_xl.pipeline import import_results

    for path, period in build_results_exports(campaign, root / "РЦОИ"):
        assert not import_results(path, period, campaign, out).refused


@pytest.fixture(scope="module")
def rolled(federation: Path) -> FederalResult:
    return collect_regions(federation / "регионы.xlsx", PERIOD, federation / "РФ", workers=2)


pytestmark = pytest.mark.slow


def test_registry_round_trip_with_relative_paths(federation: Path) -> None:
    regions = load_registry(federation / "регионы.xlsx")
    assert [r.code for r in regions] == ["50", "69", "77", "78"]
    assert regions[0].campaign == (federation / "50" / "кампания.json").resolve()
    wb = openpyxl.load_workbook(federation / "регионы.xlsx")
    assert wb["Регионы"]["C2"].value == "50/кампания.json"  # travels with its folder


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["50", "А", "к.json", "в"], ["50", "Б", "к.json", "в"]],
            "строка 3: код региона «50» уже есть в строке 2",
        ),
        ([["50", "", "к.json", "в"]], "строка 2: не заполнен столбец «Регион»"),
        ([["../x", "А", "к.json", "в"]], "строка 2: код региона «../x»"),
        ([], "нет ни одного региона"),
    ],
)
def test_registry_refusals_name_the_row(
    tmp_path: Path, rows: list[list[str]], expected: str
) -> None:
    import xlsxwriter

    path = tmp_path / "реестр.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Регионы")
    ws.write_row(0, 0, ["Код региона", "Регион", "Файл кампании", "Папка входящих"])
    for r, row in enumerate(rows, 1):
        ws.write_row(r, 0, row)
    wb.close()
    with pytest.raises(RegistryError) as exc:
        load_registry(path)
    assert any(expected in p for p in exc.value.problems), exc.value.problems
    assert all("Реестр реестр.xlsx" in p for p in exc.value.problems)


def test_registry_without_its_sheet_or_column(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "реестр.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Лист1").write_row(0, 0, ["Код региона", "Регион"])
    wb.close()
    with pytest.raises(RegistryError, match="нет листа «Регионы»"):
        load_registry(path)
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Регионы").write_row(0, 0, ["Код региона", "Регион", "Файл кампании"])
    wb.close()
    with pytest.raises(RegistryError, match="нет столбца «Папка входящих»"):
        load_registry(path)


def test_each_region_in_its_folder_and_bad_regions_do_not_stop_the_run(
    rolled: FederalResult, federation: Path, campaign: Campaign
) -> None:
    by = {r.region.code: r for r in rolled.regions}
    assert [by[c].status for c in ("50", "69")] == ["обработан", "обработан"]
    assert by["77"].status == "не обработан" and "нет папки входящих" in by["77"].problem
    assert (
        by["78"].status == "не обработан"
        and "кампания кампания.json не принята" in by["78"].problem
    )
    for code in ("50", "69"):
        store = work_paths(federation / "РФ" / code)["store"]
        db = sqlite3.connect(store)
        receipts = db.execute("SELECT COUNT(*) FROM receipts").fetchone()[0]
        assert receipts == by[code].received > 10
        db.close()
        assert (by[code].municipalities, by[code].submitted) == counts(campaign)
    assert not (federation / "РФ" / "77").exists()  # nothing created for a region not run


def test_parquet_tables_hold_every_row_of_the_stores(
    rolled: FederalResult, federation: Path, campaign: Campaign
) -> None:
    assert rolled.tables == federation / "РФ" / f"Таблицы_{PERIOD}"
    roadmap = pd.read_parquet(rolled.tables / "дорожные_карты.parquet")
    stored = 0
    for code in ("50", "69"):
        db = sqlite3.connect(work_paths(federation / "РФ" / code)["store"])
        stored += db.execute(
            "SELECT COUNT(*) FROM records r JOIN submissions s USING (hash, period) "
            "WHERE r.form = 'roadmap' AND s.outcome = 'accepted'"
        ).fetchone()[0]
        db.close()
    assert len(roadmap) == stored == rolled.rows["дорожные_карты.parquet"] > 500
    assert set(roadmap["Код региона"]) == {"50", "69"}
    assert list(roadmap.columns[:5]) == ["Код региона", "Регион", "Код МО", "МО", "Строка файла"]
    assert list(roadmap.columns[5:]) == F.ROADMAP.labels
    # «Строка файла» is the row number Excel shows for the record in the sent file
    first = roadmap.groupby(["Код региона", "Код МО"])["Строка файла"].min()
    assert set(first) == {F.ROADMAP.first_data_row + 1}
    training = pd.read_parquet(rolled.tables / "повышение_квалификации.parquet")
    assert str(training["Возраст"].dtype) == "float64"
    assert training["Дата выдачи диплома"].notna().any()
    statuses = pd.read_parquet(rolled.tables / "статусы.parquet")
    assert len(statuses) == 2 * counts(campaign)[0] and set(statuses["Статус"]) >= {
        "принято",
        "не представлено",
    }
    monitoring = pd.read_parquet(rolled.tables / "мониторинг.parquet")
    assert set(monitoring["Уровень"]) == {"МОУО", "ОО"}
    assert monitoring.loc[monitoring["Уровень"] == "ОО", "Число"].notna().all()
    findings = pd.read_parquet(rolled.tables / "замечания.parquet")
    assert {"GP01"} <= set(findings["Код замечания"])


def test_summary_workbook(rolled: FederalResult, campaign: Campaign) -> None:
    assert rolled.summary is not None
    municipalities, submitted = counts(campaign)
    wb = openpyxl.load_workbook(rolled.summary)
    assert wb.sheetnames[:3] == ["Регионы", "Пробелы", "Таблицы"]
    # the detail fits Excel's sheets here: each table is a sheet too, with the same rows
    assert "Дорожные карты" in wb.sheetnames
    detail = wb["Дорожные карты"].max_row - 1
    assert detail == rolled.rows["дорожные_карты.parquet"]
    rows = list(wb["Регионы"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["50", "69", "77", "78", "Итого"]
    headers = [c.value for c in wb["Регионы"][1]]
    assert "Время, с" not in headers and "Обработка" not in headers  # for people only
    assert rows[0][2:4] == (municipalities, submitted)
    assert rows[2][-1].startswith("регион не обработан: нет папки входящих")
    assert "на доработку: " in rows[0][-1] and " МО" in rows[0][-1]  # what is wrong, in words
    assert rows[-1][2:4] == (2 * municipalities, 2 * submitted)  # regions 50 and 69
    gaps = list(wb["Пробелы"].iter_rows(min_row=2, values_only=True))
    assert {g[0] for g in gaps} == {"50", "69"} and all(g[4] for g in gaps)
    said = {g[-1] for g in gaps}
    assert "отчёт не представлен" in said
    assert any(s.startswith("возвращён на доработку: ") and " — " in s for s in said), said
    listed = {r[0]: r[1] for r in wb["Таблицы"].iter_rows(min_row=2, max_row=8, values_only=True)}
    assert (
        listed[f"Таблицы_{PERIOD}/дорожные_карты.parquet"] == rolled.rows["дорожные_карты.parquet"]
    )
    with zipfile.ZipFile(rolled.summary) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_results_in_the_tables_and_the_summary(rolled: FederalResult, campaign: Campaign) -> None:
    """Student results per school and per municipality in Parquet; on «Регионы» the
    counts and the targets the results decide; a region without results says so."""
    assert rolled.tables is not None and rolled.summary is not None
    schools = pd.read_parquet(rolled.tables / "результаты_ОО.parquet")
    municipalities = pd.read_parquet(rolled.tables / "результаты_МО.parquet")
    assert set(schools["Код региона"]) == set(municipalities["Код региона"]) == {"50"}
    assert set(schools["Год результатов"]) == {2026}
    judged = schools[schools["Интегральный показатель"].notna()]
    assert len(judged) == len(campaign.schools)  # the demo's exports cover every school
    assert sorted(judged["Место в регионе"]) == list(range(1, len(judged) + 1))
    low = judged[judged["Низкие результаты"] == "Да"]
    assert 0 < len(low) < len(judged)
    assert low["Интегральный показатель"].max() < judged["Интегральный показатель"].median()
    # a municipality's row sums its schools'
    by_mun = judged.groupby("Код МО")
    mun = municipalities.set_index("Код МО")
    assert (mun["ОО с интегральным показателем"] == by_mun.size()).all()
    assert (
        mun["ОО с низкими результатами"]
        == low.groupby("Код МО").size().reindex(mun.index, fill_value=0)
    ).all()
    assert mun["Средний интегральный показатель"].to_dict() == pytest.approx(
        by_mun["Интегральный показатель"].mean().round(3).to_dict(), abs=0.002
    )
    assert mun["ОО в эффективном режиме"].sum() == (schools["Эффективный режим"] == "Да").sum()
    wb = openpyxl.load_workbook(rolled.summary, read_only=True)
    rows = list(wb["Регионы"].iter_rows(values_only=True))
    by = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by["50"]["ОО с интегральным показателем (результаты обучения)"] == len(judged)
    assert by["50"]["ОО с низкими результатами"] == len(low)
    confirmed = (schools["Рост подтверждён"] == "Да").sum()
    compared = schools["Рост подтверждён"].notna().sum()
    positive = by["50"]["Доля ОО с положительной динамикой (по результатам обучения)"]
    assert positive.endswith(f"({confirmed} из {compared})")
    absent = by["69"]["Доля ОО в эффективном режиме работы (по результатам обучения)"]
    assert absent.startswith("нет результатов обучения за 2026 год")
    assert by["Итого"]["ОО с низкими результатами"] == len(low)
    assert "Результаты ОО" in wb.sheetnames and "Результаты МО" in wb.sheetnames


def test_rerun_is_idempotent(rolled: FederalResult, federation: Path) -> None:
    before = pd.read_parquet(rolled.tables / "замечания.parquet")
    again = collect_regions(federation / "регионы.xlsx", PERIOD, federation / "РФ", workers=2)
    assert all(r.new_files == 0 for r in again.regions)
    assert again.rows == rolled.rows
    after = pd.read_parquet(again.tables / "замечания.parquet")
    pd.testing.assert_frame_equal(before, after)
    assert not [p for p in (federation / "РФ").iterdir() if p.name.startswith(".tmp-")]


def test_regional_outputs_agree_with_the_tables(federation: Path, tmp_path: Path) -> None:
    """With --regional each region also gets its Свод; its rows equal the Parquet rows."""
    regions = load_registry(federation / "регионы.xlsx")[:1]
    campaign = Campaign.model_validate_json(regions[0].campaign.read_text(encoding="utf-8"))
    _import_results(campaign, tmp_path, tmp_path / "РФ" / "50")
    result = collect_regions(regions, PERIOD, tmp_path / "РФ", regional_outputs=True, workers=2)
    regional = openpyxl.load_workbook(
        tmp_path / "РФ" / "50" / f"Свод_{PERIOD}.xlsx", read_only=True
    )
    in_workbook = sum(1 for _ in regional[F.ROADMAP.name].iter_rows(min_row=2))
    assert in_workbook == result.rows["дорожные_карты.parquet"]
    assert (tmp_path / "РФ" / "50" / "Замечания" / PERIOD).is_dir()
    # the federal summary prints the figures of the region's own workbook (issue 17):
    # statuses, errors, warnings, mean completeness from «Сводка»; those who sent a file
    # counted independently from the region's store
    summary = pd.DataFrame(
        list(regional["Сводка"].iter_rows(min_row=2, values_only=True)),
    )
    header = next(regional["Сводка"].iter_rows(max_row=1, values_only=True))
    summary = summary.iloc[:, : len(header)]
    summary.columns = list(header)
    summary = summary[summary["Код"].astype(str).str.fullmatch(r"[A-Z]\w{1,3}")]
    assert result.summary is not None
    fed = openpyxl.load_workbook(result.summary, read_only=True)["Регионы"]
    names = next(fed.iter_rows(max_row=1, values_only=True))
    row = dict(zip(names, next(fed.iter_rows(min_row=2, max_row=2, values_only=True)), strict=True))
    assert row["Код региона"] == "50" and row["МО в реестре"] == len(summary)
    for status, n in summary["Статус"].value_counts().items():
        assert row[status] == n, status
    assert row["Ошибок"] == summary["Ошибок"].sum()
    assert row["Предупреждений"] == summary["Предупреждений"].sum()
    db = sqlite3.connect(work_paths(tmp_path / "РФ" / "50")["store"])
    sent = db.execute(
        "SELECT count(DISTINCT municipality) FROM submissions WHERE period = ?", (PERIOD,)
    ).fetchone()[0]
    assert row["Представили"] == sent
    assert row["Доля представивших, %"] == round(100 * sent / len(summary), 1)
    filled = summary["Заполнено, %"].dropna()  # reports read: no figure for the others
    assert len(filled) < sent  # the demo's unreadable file has none either
    mean = row["Средняя заполненность прочитанных отчётов, %"]
    assert mean == pytest.approx(filled.mean(), abs=0.051)
    # the targets the student results decide: «Факт» of the region's «Показатели проекта»
    # is the federal summary's figure, character for character (one computation)
    targets = {
        r[0]: r[2] for r in regional["Показатели проекта"].iter_rows(min_row=2, values_only=True)
    }
    for key in ("effective", "positive", "graduates"):
        goal = next(g for g in campaign.goals if g.key == key)
        fact = row[f"{MEASURES[key][0]} (по результатам обучения)"]
        assert fact == targets[goal.wording] and " из " in fact, key


def test_tables_are_written_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows go to disk every BATCH rows: memory holds one batch, not the federation."""
    monkeypatch.setattr(T, "BATCH", 100)
    tables = T.Tables(tmp_path / "Таблицы")
    for i in range(1050):
        tables.add("statuses", ["50", "Р", f"M{i}", "МО", "принято", None, None, 0, 0, 0, 99.5])
        assert len(tables.pending["statuses"]) < 100
    rows = tables.commit()
    assert rows["статусы.parquet"] == 1050
    meta = pq.ParquetFile(tmp_path / "Таблицы" / "статусы.parquet").metadata
    assert meta.num_rows == 1050 and meta.num_row_groups == 11


def test_cli_registry(federation: Path, tmp_path: Path) -> None:
    done = run_cli(
        "collect", "-r", str(federation / "регионы.xlsx"), "-p", PERIOD, "-o", str(tmp_path / "РФ")
    )
    assert done.returncode == 1, done.stderr  # two regions could not be processed
    assert "Свод регионов за 2026-04. Регионов: 4, обработано: 2" in done.stdout
    assert "нет папки входящих" in done.stdout and "Traceback" not in done.stderr
    done = run_cli(
        "collect",
        "-r",
        str(federation / "регионы.xlsx"),
        "-p",
        PERIOD,
        "-o",
        str(tmp_path / "РФ"),
        "--json",
    )
    payload = json.loads(done.stdout)
    assert [r["status"] for r in payload["regions"]] == [
        "обработан",
        "обработан",
        "не обработан",
        "не обработан",
    ]
    done = run_cli("collect", str(tmp_path), "-r", str(federation / "регионы.xlsx"), "-p", PERIOD)
    assert done.returncode == 2 and "либо папку входящих" in done.stderr
    done = run_cli("registry", "init", str(tmp_path / "новый.xlsx"))
    assert done.returncode == 0 and load_registry(tmp_path / "новый.xlsx")[0].code == "50"


def test_an_unexpected_failure_stops_one_region_only(
    federation: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shkmd_xl.collect as collect_module

    real = collect_module.collect

    def failing(inbox: Path, *args: object, **kwargs: object) -> object:
        if "69" in inbox.parts:
            raise PermissionError(13, "Отказано в доступе", str(inbox))
        return real(inbox, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(collect_module, "collect", failing)
    regions = load_registry(federation / "регионы.xlsx")[:2]
    result = collect_regions(regions, PERIOD, tmp_path / "РФ", workers=1)
    assert [r.status for r in result.regions] == ["обработан", "не обработан"]
    assert "PermissionError" in result.regions[1].problem
    assert set(pd.read_parquet(result.tables / "статусы.parquet")["Код региона"]) == {"50"}
