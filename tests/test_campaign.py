"""The campaign as data: default campaign, campaign workbook round trip, refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import TARGET_GROUPS, Campaign, CampaignError
from shkmd_xl.forms import sheets as F
from shkmd_xl.reader.campaign_book import read_campaign_workbook
from shkmd_xl.template.campaign_book import write_campaign_workbook
from shkmd_xl.template.workbook import write_municipal_workbook

from .campaign import small_campaign


def test_default_campaign_from_seeds(campaign: Campaign) -> None:
    """The demo campaign is marked as demo and keeps the seeds' shape. Its rows (which
    schools, how many indicators) may change with the demo, so none is written out here;
    tests on specific content use the tests' own campaign (``tests/campaign``)."""
    assert campaign.demo and "демо" in campaign.title
    assert {e.target_group for e in campaign.catalogue} == set(TARGET_GROUPS)
    moupo = [i.code for i in campaign.moupo_indicators]
    school = [i.code for i in campaign.school_indicators]
    assert moupo == [f"M{i:02d}" for i in range(1, len(moupo) + 1)]
    assert school == [f"S{i:02d}" for i in range(1, len(school) + 1)]
    m03 = next(i for i in campaign.indicators if i.code == "M03")
    assert m03.slots == ["Апрель"]  # seed 003: collected in April only
    s10 = next(i for i in campaign.indicators if i.code == "S10")
    assert s10.stages == ["II"]  # the exam results: June, stage II
    assert all(campaign.schools_of(m.code) for m in campaign.municipalities)
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


Row = Callable[[Campaign], list[object]]
Expect = Callable[[Campaign], list[str]]
#: A row appended to a sheet of the tests' campaign workbook, and what the refusal names
#: (the row number follows from the campaign: header on row 1, then its items).
REFUSALS: dict[str, tuple[str, Row, Expect]] = {
    "duplicate-school": (
        "ОО",
        lambda c: [c.schools[0].code, "Дубль", "Дубль", c.schools[0].municipality, "иная"],
        lambda c: [f"«ОО», строка {len(c.schools) + 2}", c.schools[0].code, "строке 2"],
    ),
    "unknown-municipality": (
        "ОО",
        lambda c: ["X-1", "Школа", "Школа", "NOPE", "иная"],
        lambda c: [f"«ОО», строка {len(c.schools) + 2}", "NOPE"],
    ),
    "indicator-without-period": (
        "Показатели",
        lambda c: ["S99", None, "Новый показатель", "ОО", "%"],
        lambda c: [f"«Показатели», строка {len(c.indicators) + 2}", "S99", "месяц"],
    ),
    "duplicate-municipality": (
        "Муниципалитеты",
        lambda c: [c.municipalities[0].code, "Дубль"],
        lambda c: [
            f"«Муниципалитеты», строка {len(c.municipalities) + 2}",
            c.municipalities[0].code,
        ],
    ),
    "unknown-target-group": (
        "Каталог мероприятий",
        lambda c: ["Родители", "Собрание"],
        lambda c: [f"«Каталог мероприятий», строка {len(c.catalogue) + 2}", "Родители"],
    ),
    "bad-period": (
        "Периоды",
        lambda c: ["2026-13", "Бред", "Декабрь", "завтра", "2026/2027"],
        lambda c: [f"«Периоды», строка {len(c.periods) + 2}"],
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_invalid_campaign_refused_with_sheet_and_row(tmp_path: Path, case: str) -> None:
    c = small_campaign()
    sheet, row, expect = REFUSALS[case]
    path = write_campaign_workbook(c, tmp_path / "c.xlsx")
    _edit(path, sheet, [row(c)])
    with pytest.raises(CampaignError) as exc:
        read_campaign_workbook(path)
    text = "\n".join(exc.value.problems)
    for fragment in expect(c):
        assert fragment in text, text


def test_not_a_workbook_refused(tmp_path: Path) -> None:
    bad = tmp_path / "c.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(CampaignError) as exc:
        read_campaign_workbook(bad)
    assert "c.xlsx" in exc.value.problems[0]


def test_edited_campaign_reaches_the_templates(tmp_path: Path) -> None:
    """init -> edit in Excel (indicator, event, school) -> templates -> new items everywhere."""
    campaign = small_campaign()
    assert not {"S14", "M15"} & {i.code for i in campaign.indicators}
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
    _edit(path, "ОО", [["SEV-9", "МБОУ Лесная СОШ", "Лесная СОШ", "SEV", "иная"]])
    edited = read_campaign_workbook(path)
    out = write_municipal_workbook(edited, "SEV", tmp_path / "t.xlsx")
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
    thresholds = {r[3]: r[1] for r in wb[CB.THRESHOLDS.name].iter_rows(min_row=2, values_only=True)}
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
    row = next(r for r in ws.iter_rows(min_row=2) if r[3].value == key)
    row[2].value = value
    wb.save(path)


def _goal(path: Path, key: str, **cells: object) -> None:
    """Set cells of a goal's row on «Цели проекта» by its key, as a region edits it."""
    from shkmd_xl.forms import campaign_book as CB

    wb = openpyxl.load_workbook(path)
    ws = wb[CB.GOALS.name]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == key)
    columns = [c.key for c in CB.GOALS.columns]
    for name, value in cells.items():
        row[columns.index(name)].value = value
    wb.save(path)


def test_a_target_is_a_campaign_edit(tmp_path: Path, campaign: Campaign) -> None:
    """A project goal (effective mode 75 → 80 %, a scale the region sets) is changed on
    «Цели проекта», a rule on «Правила результатов», not in code: the targets of the
    regional outputs print the region's goal."""
    from shkmd_xl.consolidate import consolidate
    from shkmd_xl.figures.targets import targets
    from shkmd_xl.forms import campaign_book as CB
    from shkmd_xl.store import Store

    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    _goal(path, "effective", value=80)
    _goal(path, "scale_schools", value="200", comparison="не менее")
    wb = openpyxl.load_workbook(path)  # a rule of the results on «Правила результатов»
    for row in wb[CB.RESULTS_RULES.name].iter_rows(min_row=2):
        if row[3].value == "graduate_assessments":
            row[2].value = "ЕГЭ"
    wb.save(path)
    edited = read_campaign_workbook(path)
    store = Store(tmp_path / "s.sqlite")
    try:
        rows = {t.name: t for t in targets(store, edited, consolidate(store, edited, "2026-11"))}
    finally:
        store.close()
    assert rows["ОО в эффективном режиме работы"].target == "не менее 80 %"
    assert rows["Масштаб: ОО в проекте"].target == "не менее 200"
    assert rows["Масштаб: ОО в проекте"].status == "нет"  # the registry has fewer
    graduates = rows["ОО, где все выпускники преодолели минимальный порог"].note
    assert "по всем предметам ЕГЭ доля" in graduates


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


def test_thresholds_read_in_russian(tmp_path: Path, campaign: Campaign) -> None:
    """«Пороги» names each parameter in Russian (the machine key in a hidden column); a
    bad value is reported by that name; an older workbook with keys in «Параметр» reads."""
    from shkmd_xl.forms import campaign_book as CB

    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[CB.THRESHOLDS.name]
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "Проходной балл входной диагностики, %" in names
    assert not any("_" in str(n) for n in names)  # no machine keys in sight
    assert ws.column_dimensions["D"].hidden
    _threshold(path, "teacher_max_age", "много")
    with pytest.raises(CampaignError) as exc:
        read_campaign_workbook(path)
    assert any(
        "параметр «Максимальный возраст педагога, лет»: нужно целое число" in p
        for p in exc.value.problems
    ), exc.value.problems
    older = write_campaign_workbook(campaign, tmp_path / "old.xlsx")
    wb = openpyxl.load_workbook(older)
    ws = wb[CB.THRESHOLDS.name]
    for row in ws.iter_rows(min_row=2):
        row[0].value = row[3].value  # the key where the name is, as before
        if row[3].value == "teacher_max_age":
            row[2].value = 70
    ws.delete_cols(4)
    wb.save(older)
    assert read_campaign_workbook(older).thresholds.teacher_max_age == 70


def test_campaign_workbook_opens_with_its_instruction(tmp_path: Path, campaign: Campaign) -> None:
    """«Инструкция» first: every sheet of the workbook named with what it holds and what
    the region changes; the workbook still reads back the same."""
    from shkmd_xl.forms import campaign_book as CB

    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == CB.INSTRUCTION
    described = [r[0] for r in wb[CB.INSTRUCTION].iter_rows(min_row=5, values_only=True) if r[1]]
    assert described == [s.name for s in CB.sheets_for(campaign.month_names)]
    assert read_campaign_workbook(path).model_dump() == campaign.model_dump()
