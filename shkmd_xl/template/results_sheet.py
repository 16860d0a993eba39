"""«Результаты обучения» in the municipal workbook: the assessments' own lists on
Справочники and Контроль's counts of the results rules (rules/results.py)."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..campaign.models import Campaign
from ..forms import sheets as F
from .cell_values import read_number
from .layout import Layout, col_ref
from .styles import Styles


def write_results_lists(ws: Worksheet, st: Styles, layout: Layout, c: Campaign) -> None:
    """Code, scale from, scale to of each assessment; then its subjects and its grades."""
    rc = layout.results_col
    for j, label in enumerate(("Процедура", "Шкала от", "Шкала до")):
        ws.write_string(0, rc + j, label, st.bold)
    for i, a in enumerate(c.results.assessments):
        ws.write_string(1 + i, rc, a.code)
        ws.write_number(1 + i, rc + 1, a.scale_min)
        ws.write_number(1 + i, rc + 2, a.scale_max)
        col = rc + 4 + 2 * i
        ws.write_string(0, col, f"{a.code}: предметы", st.bold)
        ws.write_string(0, col + 1, f"{a.code}: классы", st.bold)
        for r, subject in enumerate(a.subjects, 1):
            ws.write_string(r, col, subject)
        for r, grade in enumerate(a.grades, 1):
            ws.write_number(r, col + 1, grade)


def results_control_rows(layout: Layout, c: Campaign) -> list[tuple[str, str, str]]:
    """(sheet, what, count formula) of the errors the results rules find: a mean outside
    the assessment's scale (RS03), a subject or a grade the assessment does not have
    (RS04), shares adding up to more than 100 % (RS05). Numbers are read as the check
    reads them: typed, or typed as text («7,5», «9», «60 %»; ``read_number``); anything
    else is no number and left to the invalid-value counts (block 4)."""
    form, n = F.RESULTS, layout.results_rows
    assess, subject = col_ref(form, "assessment", n), col_ref(form, "subject", n)
    grade = read_number(col_ref(form, "grade", n))
    mean = read_number(col_ref(form, "mean", n))
    fail = read_number(col_ref(form, "fail_share", n), percent=True)
    high = read_number(col_ref(form, "high_share", n), percent=True)
    subjects = layout.list_ref("subjects")
    rows: list[tuple[str, str, str]] = []
    for i, a in enumerate(c.results.assessments):
        code = layout.scale_ref(i, 0)
        low, top = layout.scale_ref(i, 1), layout.scale_ref(i, 2)
        rows.append(
            (
                form.name,
                f"{a.code}: средний вне шкалы {a.scale_min:g}–{a.scale_max:g}",
                f"SUMPRODUCT(IFERROR(({assess}={code})*((({mean}<{low})+({mean}>{top}))>0),0))",
            )
        )
        rows.append(
            (
                form.name,
                f"{a.code}: предмет не этой процедуры",
                f"SUMPRODUCT(({assess}={code})*ISNUMBER(MATCH({subject},{subjects},0))"
                f"*ISNA(MATCH({subject},{layout.assessment_list_ref(i, False)},0)))",
            )
        )
        rows.append(
            (
                form.name,
                f"{a.code}: класс не этой процедуры",
                f"SUMPRODUCT(IFERROR(({assess}={code})*ISNUMBER({grade})"
                f"*ISNA(MATCH({grade},{layout.assessment_list_ref(i, True)},0)),0))",
            )
        )
    rows.append(
        (
            form.name,
            "Доли «не преодолели порог» и «высокие» вместе больше 100 %",
            # shares out of 0–100 are invalid values (block 4), as the check refuses them
            f"SUMPRODUCT(IFERROR(({fail}+{high}>100)"
            f"*({fail}>=0)*({fail}<=100)*({high}>=0)*({high}<=100),0))",
        )
    )
    return rows
