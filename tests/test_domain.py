"""Forms as the source documents define them (issue «Domain fidelity», the parts done)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect
from shkmd_xl.forms import sheets as F
from shkmd_xl.pipeline import check

from .fills import fill_with_openpyxl, good_fill


def test_a_file_of_an_earlier_template_lacks_the_new_columns_without_findings(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    """Mentor school, curator and planned indicator came later: no SUB13 for their absence."""
    path = fill_with_openpyxl(
        templates["SOLN"], good_fill(campaign, "SOLN", "2026-06"), tmp_path / "f.xlsx"
    )
    wb = openpyxl.load_workbook(path)
    for form in (F.PASSPORT, F.ROADMAP):
        later = [i for i, f in enumerate(form.fields, 1) if f.added_later]
        for col in reversed(later):
            wb[form.name].delete_cols(col)
    wb.save(path)
    assert [i.code for i in check(path, campaign, "2026-06")] == []


def test_mentor_school_and_curator_travel_to_the_region(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    first = campaign.schools_of("SOLN")[0]
    assert first.mentor and first.curator  # set in the demo registry
    book = openpyxl.load_workbook(templates["SOLN"])
    passport = book[F.PASSPORT.name]
    row = {c.value: i for i, c in enumerate(passport[1])}
    assert passport.cell(2, row["Школа-наставник"] + 1).value == first.mentor
    assert passport.cell(2, row["Куратор ОО (ФИО)"] + 1).value == first.curator
    fill = good_fill(campaign, "SOLN", "2026-06", teachers=3)
    fill.set(F.TRAINING, 0, "entry_diag", 96)  # sufficient at entry
    fill.set(F.TRAINING, 1, "repeat_diag", 97)  # sufficient at the repeat diagnostic
    fill.set(F.TRAINING, 2, "entry_diag", 50)  # below the level at both diagnostics
    fill.set(F.TRAINING, 2, "repeat_diag", 60)
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill_with_openpyxl(templates["SOLN"], fill, inbox / "Отчёт.xlsx")
    result = collect(inbox, "2026-06", campaign, tmp_path / "out", workers=1, feedback=False)
    regional = openpyxl.load_workbook(result.outputs["regional"], read_only=True)
    passports = list(regional["Паспорта ДК"].iter_rows(values_only=True))
    assert first.mentor in passports[1] and first.curator in passports[1]
    sufficient = list(regional["Педагоги 95–100%"].iter_rows(min_row=2, values_only=True))
    # the sheet lists what the справка counts (figures.brief.sufficient): accepted reports
    assert len({r[1] for r in sufficient}) == len(sufficient) == 2, sufficient


def test_the_event_column_offers_the_catalogue_without_refusing_other_text(
    templates: dict[str, Path], campaign: Campaign
) -> None:
    from xlsxwriter.utility import xl_col_to_name

    ws = openpyxl.load_workbook(templates["SOLN"])[F.ROADMAP.name]
    col = xl_col_to_name(F.ROADMAP.col("event"))
    (dv,) = [d for d in ws.data_validations.dataValidation if f"{col}2" in d.sqref]
    assert dv.type == "list" and not dv.showErrorMessage  # free text stays allowed
    sheet, cells = dv.formula1.split("!")
    lists = openpyxl.load_workbook(templates["SOLN"])[sheet.strip("'")]
    offered = [c.value for row in lists[cells.replace("$", "")] for c in row]
    assert offered == [e.name for e in campaign.catalogue]
