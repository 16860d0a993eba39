"""The campaign as data: default campaign, campaign workbook round trip, refusals."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign, CampaignError
from shkmd_xl.forms import sheets as F
from shkmd_xl.reader.campaign_book import read_campaign_workbook
from shkmd_xl.template.campaign_book import write_campaign_workbook
from shkmd_xl.template.workbook import write_municipal_workbook


def test_default_campaign_from_seeds(campaign: Campaign) -> None:
    assert campaign.demo and "демо" in campaign.title
    assert len(campaign.catalogue) == 14
    groups = {e.target_group for e in campaign.catalogue}
    assert len(groups) == 3
    assert [i.code for i in campaign.moupo_indicators] == [f"M{i:02d}" for i in range(1, 15)]
    assert [i.code for i in campaign.school_indicators] == [f"S{i:02d}" for i in range(1, 14)]
    m03 = next(i for i in campaign.indicators if i.code == "M03")
    assert m03.slots == ["Апрель"]
    s10 = next(i for i in campaign.indicators if i.code == "S10")
    assert s10.stages == ["II"]
    soln = [s.short_name for s in campaign.schools_of("SOLN")]
    assert "Кутузовская СОШ" in soln and len(soln) == 7
    assert all("демо" in m.name for m in campaign.municipalities)


def test_campaign_workbook_round_trip(tmp_path: Path, campaign: Campaign) -> None:
    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    assert read_campaign_workbook(path) == campaign


def _edit(path: Path, sheet: str, rows: list[list[object]]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for row in rows:
        ws.append(row)
    wb.save(path)


def _set(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


@pytest.mark.parametrize(
    ("sheet", "row", "expect"),
    [
        (
            "ОО",
            ["SOLN-01", "Дубль", "Дубль", "SOLN", "иная"],
            ["«ОО», строка 67", "SOLN-01", "строке 2"],
        ),
        ("ОО", ["X-1", "Школа", "Школа", "NOPE", "иная"], ["«ОО», строка 67", "NOPE"]),
        (
            "Показатели",
            ["S99", None, "Новый показатель", "ОО", "%"],
            ["«Показатели», строка 29", "S99", "месяц"],
        ),
        ("Муниципалитеты", ["D01", "Дубль"], ["«Муниципалитеты», строка 17", "D01"]),
        (
            "Каталог мероприятий",
            ["Родители", "Собрание"],
            ["«Каталог мероприятий», строка 16", "Родители"],
        ),
        ("Периоды", ["2026-13", "Бред", "Декабрь", "завтра", "2026/2027"], ["«Периоды», строка 5"]),
    ],
    ids=[
        "duplicate-school",
        "unknown-municipality",
        "indicator-without-period",
        "duplicate-municipality",
        "unknown-target-group",
        "bad-period",
    ],
)
def test_invalid_campaign_refused_with_sheet_and_row(
    tmp_path: Path, campaign: Campaign, sheet: str, row: list[object], expect: list[str]
) -> None:
    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    _edit(path, sheet, [row])
    with pytest.raises(CampaignError) as exc:
        read_campaign_workbook(path)
    text = "\n".join(exc.value.problems)
    for fragment in expect:
        assert fragment in text, text


def test_not_a_workbook_refused(tmp_path: Path) -> None:
    bad = tmp_path / "c.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(CampaignError) as exc:
        read_campaign_workbook(bad)
    assert "c.xlsx" in exc.value.problems[0]


def test_edited_campaign_reaches_the_templates(tmp_path: Path, campaign: Campaign) -> None:
    """init -> edit in Excel (indicator, event, school) -> templates -> new items everywhere."""
    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    _edit(
        path,
        "Показатели",
        [
            ["S14", None, "Доля обучающихся в профильных лагерях", "ОО", "%", "Да", None, "Да"],
            ["M15", 6, "Публичный отчёт о реализации проекта", "МОУО", "да/нет", None, None, "Да"],
        ],
    )
    _edit(path, "Каталог мероприятий", [["Учителя", "Школа молодого учителя", "ИРО", 10]])
    _edit(path, "ОО", [["SOLN-08", "МБОУ Лесная СОШ", "Лесная СОШ", "SOLN", "иная"]])
    edited = read_campaign_workbook(path)
    out = write_municipal_workbook(edited, "SOLN", tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out)
    lists = wb[F.LISTS]
    values = {c.value for row in lists.iter_rows() for c in row if c.value is not None}
    assert {"Школа молодого учителя", "Лесная СОШ"} <= values
    mon = [c.value for c in wb["Мониторинг ОО"][1]]
    assert mon[-1].startswith("S14 Доля обучающихся в профильных лагерях")
    assert "Лесная СОШ" in [c.value for c in wb["Паспорт ДК"]["A"]]
    mouo = [c.value for c in wb["Мониторинг МОУО"]["A"]]
    assert mouo[-1] == "M15"
    control = [c.value for row in wb[F.CONTROL].iter_rows() for c in row if c.value]
    assert any(isinstance(v, str) and v.startswith("S14 ") for v in control)
    assert "M15" in control
    instruction = [c.value for c in wb[F.INSTRUCTION]["B"] if c.value]
    assert any("Школа молодого учителя" in v for v in instruction)


def test_a_json_campaign_with_wrong_fields_is_refused_in_russian(tmp_path: Path) -> None:
    from shkmd_xl.reader.campaign_book import load_campaign

    for body, expected in (
        ('{"id": "x"}', "поле «title»: значение обязательно"),
        ("{не json", "файл не является правильным JSON"),
    ):
        path = tmp_path / "кампания.json"
        path.write_text(body, encoding="utf-8")
        with pytest.raises(CampaignError) as exc:
            load_campaign(path)
        assert any(expected in p for p in exc.value.problems), exc.value.problems
        assert all(p.startswith("кампания.json") for p in exc.value.problems)


def test_invented_numbers_are_marked_as_defaults_to_set(tmp_path: Path, campaign: Campaign) -> None:
    """Numbers the project documents do not give carry a note in the campaign workbook."""
    from shkmd_xl.forms import campaign_book as CB

    wb = openpyxl.load_workbook(write_campaign_workbook(campaign, tmp_path / "c.xlsx"))
    catalogue = wb[CB.CATALOGUE.name]
    header = {c.value: c for c in catalogue[1]}
    assert "лимитов нет" in header["Лимит участников (ОО)"].comment.text
    thresholds = {r[0]: r[1] for r in wb[CB.THRESHOLDS.name].iter_rows(min_row=2, values_only=True)}
    for key in (
        "diagnostic_pass_mark",
        "min_course_hours",
        "outlier_jump_pp",
        "effective_mode_rule",
    ):
        assert "задайте своё" in thresholds[key], key
    assert "задайте своё" not in thresholds["sufficient_level"]  # 95–100 % is in the seeds


def _threshold(path: Path, key: str, value: object) -> None:
    """Set a parameter on «Пороги» by its key, as a region edits it in Excel."""
    from shkmd_xl.forms import campaign_book as CB

    wb = openpyxl.load_workbook(path)
    ws = wb[CB.THRESHOLDS.name]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == key)
    row[2].value = value
    wb.save(path)


def test_a_target_is_a_campaign_edit(tmp_path: Path, campaign: Campaign) -> None:
    """A project goal (effective mode 75 → 80 %) is changed on «Пороги», not in code:
    the targets of the regional outputs print the region's goal."""
    from shkmd_xl.consolidate import consolidate
    from shkmd_xl.figures.targets import targets
    from shkmd_xl.store import Store

    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    _threshold(path, "goal_effective_mode", 80)
    _threshold(path, "goal_scale_schools", "200 (2026–2027)")
    _threshold(path, "graduate_indicators", "S10, S11")
    edited = read_campaign_workbook(path)
    store = Store(tmp_path / "s.sqlite")
    try:
        rows = {t.name: t for t in targets(store, edited, consolidate(store, edited, "2026-11"))}
    finally:
        store.close()
    assert rows["ОО в эффективном режиме работы"].target == "не менее 80 %"
    assert rows["Масштаб: ОО в проекте"].target == "200 (2026–2027)"
    assert rows["ОО, где все выпускники преодолели минимальный порог"].note.startswith("S10, S11 =")


def test_an_indicator_the_thresholds_name_must_exist(tmp_path: Path, campaign: Campaign) -> None:
    """Codes named on «Пороги» are school indicators in % — else refused, saying which."""
    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    _threshold(path, "effective_mode_rule", "S03 >= 70; S99 >= 60")
    _threshold(path, "positive_change_indicators", "S03, S01")  # S01 is a head count
    with pytest.raises(CampaignError) as exc:
        read_campaign_workbook(path)
    text = "\n".join(exc.value.problems)
    assert "«Пороги», параметр «effective_mode_rule»: показателя «S99» нет" in text
    assert "параметр «positive_change_indicators»: показателя «S01» нет" in text


def test_an_indicator_names_the_target_group_that_helps(tmp_path: Path, campaign: Campaign) -> None:
    """The brief recommends events of the target group the campaign gives the indicator
    (column «Целевая группа мероприятий»); an unknown group is refused, an older
    campaign workbook without the column is read."""
    from shkmd_xl.forms import campaign_book as CB

    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    assert read_campaign_workbook(path).school_indicators == campaign.school_indicators
    wb = openpyxl.load_workbook(path)
    ws = wb[CB.indicators_sheet(campaign.month_names).name]
    header = [c.value for c in ws[1]]
    col = header.index("Целевая группа мероприятий")
    ws.cell(
        row=2 + [i.code for i in campaign.indicators].index("S03"), column=col + 1
    ).value = "Родители"
    wb.save(path)
    with pytest.raises(CampaignError) as exc:
        read_campaign_workbook(path)
    assert any("целевая группа «Родители» неизвестна" in p for p in exc.value.problems)
    ws.delete_cols(col + 1)
    wb.save(path)
    older = read_campaign_workbook(path)
    assert all(i.target_group is None for i in older.indicators)
