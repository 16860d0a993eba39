"""The generated municipal workbook: labels, dropdowns, protection, _meta."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from shkmd_xl import TEMPLATE_VERSION
from shkmd_xl.campaign import Campaign
from shkmd_xl.forms import sheets as F
from shkmd_xl.template.workbook import write_municipal_workbook

SPEC_LABELS = {
    "Титул": [
        "Муниципальное образование",
        "Отчётный период",
        "Координатор (ФИО)",
        "Должность",
        "Телефон",
        "Электронная почта",
        "Дата заполнения",
    ],
    "Паспорт ДК": [
        "ОО",
        "Период ДК с",
        "Период ДК по",
        "Утверждено (ФИО руководителя МОУО)",
        "Дата утверждения",
        "Директор ОО (ФИО)",
    ],
    "Дорожные карты": [
        "ОО",
        "Направление",
        "Мероприятие",
        "Целевая группа",
        "Срез мониторинга",
        "Плановый срок",
        "Ответственный (ФИО)",
        "Должность ответственного",
        "Ожидаемый результат",
        "Согласовано с региональным координатором",
        "Статус выполнения",
        "Подтверждающий документ",
    ],
    "Мониторинг МОУО": [
        "Код",
        "Задача",
        "Показатель",
        "Апрель: значение",
        "Апрель: ссылка",
        "Июнь: значение",
        "Июнь: ссылка",
        "Ноябрь: значение",
        "Ноябрь: ссылка",
    ],
    "Повышение квалификации": [
        "ФИО учителя",
        "ОО",
        "Должность",
        "Образование",
        "Номер диплома",
        "Дата выдачи диплома",
        "Специальность по диплому",
        "Стаж в должности, лет",
        "Возраст",
        "Программа ДПО",
        "Предметная компетенция",
        "Методическая компетенция",
        "Психолого-педагогическая компетенция",
        "Коммуникативная компетенция",
        "Направления затруднений",
        "Начало курсов",
        "Окончание курсов",
        "Объём, часов",
        "Входная диагностика, %",
        "Повторная диагностика, %",
        "Стажировка (место, часы)",
        "Форма итоговой аттестации",
        "Усовершенствованные компетенции",
        "Номер удостоверения",
        "Рекомендация аттестационной комиссии",
    ],
}
SHEETS = [
    "Инструкция",
    "Титул",
    "Паспорт ДК",
    "Дорожные карты",
    "Мониторинг МОУО",
    "Мониторинг ОО",
    "Результаты обучения",
    "Повышение квалификации",
    "Контроль",
    "Справочники",
    "_marks",
    "_meta",
]


@pytest.fixture(scope="module")
def book(templates: dict[str, Path]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(templates["SOLN"])


def header(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[1] if c.value is not None]


def test_all_nine_sheets_and_meta(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == SHEETS
    assert book["Справочники"].sheet_state == "hidden"
    assert book["_meta"].sheet_state == "veryHidden"
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_every_spec_label_present(book: openpyxl.Workbook, campaign: Campaign) -> None:
    title = [book["Титул"].cell(r, 1).value for r in range(1, 20)]
    assert all(label in title for label in SPEC_LABELS["Титул"])
    later = {f.label for form in F.all_forms(campaign) for f in form.fields if f.added_later}
    for sheet, labels in SPEC_LABELS.items():
        if sheet != "Титул":  # the spec's columns, then those the seeds added (mentor…)
            got = header(book[sheet])
            assert got[: len(labels)] == labels, sheet
            assert set(got[len(labels) :]) <= later, sheet
    mon = header(book["Мониторинг ОО"])
    assert mon[:2] == ["ОО", "Этап"]
    assert [h.split()[0] for h in mon[2:]] == [i.code for i in campaign.school_indicators]


def _list_values(book: openpyxl.Workbook, formula: str) -> list[str]:
    m = re.fullmatch(r"'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert m, formula
    ws = book[m.group(1)]
    cells = ws[f"{m.group(2)}{m.group(3)}:{m.group(4)}{m.group(5)}"]
    return [row[0].value for row in cells if row[0].value is not None]


def _validation_at(ws: Worksheet, cell: str):  # type: ignore[no-untyped-def]
    for dv in ws.data_validations.dataValidation:
        if cell in dv.sqref:
            return dv
    return None


@pytest.mark.parametrize("key", ["title", "passport", "roadmap", "mouo", "training"])
def test_each_dropdown_offers_its_list(
    book: openpyxl.Workbook, campaign: Campaign, key: str
) -> None:
    form = next(f for f in F.all_forms(campaign) if f.key == key)
    lists = F.lists_for(campaign, "SOLN")
    ws = book[form.name]
    for i, fld in enumerate(form.fields):
        if not fld.choices or fld.prefilled:
            continue
        if form is F.TITLE:
            cell = f"B{form.header_row + i + 1}"
        else:
            cell = f"{openpyxl.utils.get_column_letter(i + 1)}{form.first_data_row + 1}"
        dv = _validation_at(ws, cell)
        assert dv is not None and dv.type == "list", (form.name, fld.label)
        assert _list_values(book, dv.formula1) == lists[fld.choices], fld.label
        assert dv.errorStyle in (None, "stop") and dv.error


def test_dropdown_lists_content(campaign: Campaign) -> None:
    lists = F.lists_for(campaign, "SOLN")
    assert lists["schools"] == [s.short_name for s in campaign.schools_of("SOLN")]
    assert lists["directions"][4].startswith("5. ")
    assert lists["periods"] == [p.name for p in campaign.periods]


def locked(ws: Worksheet, addr: str) -> bool:
    """Whether Excel treats the cell as locked: its own style, else its column's."""
    cell = ws[addr]
    if cell.has_style:
        return cell.protection.locked is not False
    col = cell.column
    for dim in ws.column_dimensions.values():
        if (dim.min or 0) <= col <= (dim.max or 0) and dim.has_style:
            return dim.protection.locked is not False
    return True


def test_protection_and_unlocked_inputs(book: openpyxl.Workbook, campaign: Campaign) -> None:
    for name in SHEETS:  # all but «_marks», which the «Проверить» button fills
        assert bool(book[name].protection.sheet) == (name != "_marks"), name
    assert book["_marks"].sheet_state == "hidden"
    rm = book["Дорожные карты"]
    assert not any(locked(rm, f"{col}2") for col in "ABCDEFGHIJKL")
    assert not locked(rm, "C300")
    assert locked(rm, "A1")  # header
    passport = book["Паспорт ДК"]
    assert passport["A2"].value == campaign.schools_of("SOLN")[0].short_name
    assert locked(passport, "A2")  # prefilled school
    assert not locked(passport, "B2")
    title = book["Титул"]
    assert title["B3"].value == "Городской округ Солнечногорск (демо)"
    assert locked(title, "B3")
    assert not locked(title, "B4")
    assert locked(book["Контроль"], "B8")


def test_periods_not_collected_are_grey_and_locked(
    book: openpyxl.Workbook, campaign: Campaign
) -> None:
    ws = book["Мониторинг МОУО"]
    assert ws["A4"].value == "M03"  # April only
    assert not locked(ws, "D4")  # Апрель: значение
    for col in "FGHI":
        assert locked(ws, f"{col}4")
        assert ws[f"{col}4"].fill.fgColor.rgb.endswith("D9D9D9")
    mon = book["Мониторинг ОО"]
    assert [mon.cell(r, 2).value for r in range(2, 5)] == ["I", "II", "III"]
    # S01 (column C): stages I and III
    assert not locked(mon, "C2")
    assert locked(mon, "C3")
    schools = len(campaign.schools_of("SOLN"))  # one row per school and stage
    assert len([r for r in range(2, mon.max_row + 1) if mon.cell(r, 1).value]) == schools * 3


def test_meta_and_custom_properties(templates: dict[str, Path], campaign: Campaign) -> None:
    wb = openpyxl.load_workbook(templates["D01"])
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows()}
    assert meta["municipality_code"] == "D01"
    assert meta["campaign_id"] == campaign.id
    assert meta["template_version"] == TEMPLATE_VERSION
    assert meta["generated_at"] == "2026-03-01T09:00:00"
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["shkmd_municipality_code"] == "D01"
    generic = openpyxl.load_workbook(templates["generic"])
    gmeta = {r[0].value: r[1].value for r in generic["_meta"].iter_rows()}
    assert gmeta["kind"] == "generic" and not gmeta["municipality_code"]
    assert generic["Титул"]["B3"].protection.locked is False


def test_frozen_headers_and_print_setup(book: openpyxl.Workbook) -> None:
    ws = book["Дорожные карты"]
    assert ws.freeze_panes == "B2"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    passport = book["Паспорт ДК"]
    dates = [d for d in passport.column_dimensions.values() if d.min == 2]
    assert dates[0].number_format == "dd.mm.yyyy"


def test_user_text_never_becomes_formula(tmp_path: Path, campaign: Campaign) -> None:
    hostile = campaign.model_copy(deep=True)
    hostile.schools[0].short_name = '=HYPERLINK("http://evil.example","x")'
    hostile.municipalities[0].coordinator = "+7 http://example.ru"
    path = write_municipal_workbook(hostile, "SOLN", tmp_path / "h.xlsx")
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode()
                assert "HYPERLINK" not in xml
        assert not any("hyperlink" in n.lower() for n in z.namelist())
    wb = openpyxl.load_workbook(path)
    assert wb["Паспорт ДК"]["A2"].value.startswith("=HYPERLINK")
    assert wb["Паспорт ДК"]["A2"].data_type == "s"


def test_no_double_negation_in_any_formula(templates: dict[str, Path]) -> None:
    """Formulas coerce with ``*1``, never ``--``: the Excel-rules engine of the tests
    (`formulas`) takes ``--TRUE`` for TRUE, so a ``--`` would go unchecked."""
    import openpyxl

    found = []
    for key in ("SOLN", "generic"):
        wb = openpyxl.load_workbook(templates[key])
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    text = cell.value.text if hasattr(cell.value, "text") else cell.value
                    if isinstance(text, str) and text.startswith("=") and "--" in text:
                        found.append((ws.title, cell.coordinate))
            for cf in ws.conditional_formatting:
                for rule in cf.rules:
                    found += [(ws.title, str(cf.sqref)) for f in rule.formula or [] if "--" in f]
    assert not found, found[:10]
