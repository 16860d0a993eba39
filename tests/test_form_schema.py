"""forms/ is the one description: a required field added there alone is coloured by the
template, counted by Контроль (LibreOffice recalculates) and found by the check."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.utility import xl_col_to_name

from shkmd_xl.campaign import Campaign
from shkmd_xl.forms import sheets as F
from shkmd_xl.forms.model import Field
from shkmd_xl.forms.required import ROW_USED
from shkmd_xl.rules.required import declared_codes
from shkmd_xl.template.control import RESULT_ROW
from shkmd_xl.template.workbook import write_municipal_workbook

from .conftest import GENERATED_AT
from .fills import good_fill
from .lo import run_jobs


def test_every_form_with_required_fields_names_its_finding(campaign: Campaign) -> None:
    from shkmd_xl.issues import CODES
    from shkmd_xl.messages import catalogue

    for form in F.all_forms(campaign):
        for fld in form.fields:
            if fld.required is None:
                continue
            code, _variant = form.missing_code(fld)
            assert code in CODES, (form.name, fld.key)
            assert (fld.missing or form.missing) in catalogue(), (form.name, fld.key)
    assert declared_codes() == {
        "TL01",
        "PS01",
        "RM08",
        "RM09",
        "RM10",
        "RM12",
        "RM15",
        "TR01",
        "RS01",
    }


@pytest.mark.libreoffice
def test_a_required_field_added_in_forms_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, campaign: Campaign
) -> None:
    from shkmd_xl.pipeline import check

    added = Field("remark", "Отзыв руководителя ОО", "text", required=ROW_USED, width=20)
    training = dataclasses.replace(F.TRAINING, fields=(*F.TRAINING.fields, added))
    monkeypatch.setattr(F, "TRAINING", training)  # the one line a developer would add

    template = write_municipal_workbook(campaign, "SOLN", tmp_path / "t.xlsx", GENERATED_AT)
    col = xl_col_to_name(training.col("remark"))
    first = training.first_data_row + 1

    # the template colours the new column where a row is in use and the cell is empty
    ws = openpyxl.load_workbook(template)[training.name]
    criteria = [
        formula
        for cf in ws.conditional_formatting
        if str(cf.sqref).startswith(f"{col}{first}:")
        for rule in cf.rules
        for formula in rule.formula
    ]
    assert any(f"(LEN(${col}{first})=0)" in f and "COUNTA(" in f for f in criteria), criteria

    # Контроль counts it after LibreOffice recalculates what a user typed
    fill = good_fill(campaign, "SOLN", "2026-11")
    teachers = {addr[1:] for sheet, addr, *_ in fill.cells if sheet == training.name}
    saved = tmp_path / "filled.xlsx"
    job = {
        "open": str(template),
        "cells": [list(c) for c in fill.cells],
        "read": [[F.CONTROL, "A1:C200"]],
        "save": [[str(saved), "xlsx"]],
    }
    (result,) = run_jobs([job])
    assert result["errors"] == []
    control = result["read"][f"{F.CONTROL}!A1:C200"]
    row = next(r for r in control if r[0] == training.name and r[1] == added.label)
    assert row[2] == str(len(teachers)) and len(teachers) >= 2

    # the check finds exactly those cells, and Контроль's verdict equals its error count
    report = check(saved, campaign, "2026-11")
    found = sorted(i.location.cell for i in report if i.code == "TR01")
    assert found == sorted(f"{col}{r}" for r in teachers)
    errors = [i for i in report if i.severity.ru == "ошибка"]
    assert control[RESULT_ROW][2] == str(len(errors)), [i.message for i in errors]
    assert all("Отзыв руководителя ОО" in i.message for i in errors)
