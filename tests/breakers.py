"""Fills that break exactly one rule, with the exact findings they must give.

Each breaker takes a good fill and edits cells as a user would; it returns the
expected findings as (code, cell) pairs (cell "" for findings without a cell).
Only cell edits here, so the same breakers run through openpyxl and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from shkmd_xl.campaign import Campaign
from shkmd_xl.forms import sheets as F

from .fills import Fill, good_fill

Expected = list[tuple[str, str]]
EVENTS_PER_SCHOOL = 10
# event index inside a school's block (see fills.good_fill)
DIR1, DIR2, CUT_START, CUT_MID, CUT_END, DIR4, LEADERS, TEACHERS, STUDENTS, DIR6 = range(10)
RM = F.ROADMAP
TR = F.TRAINING


def ev(school: int, k: int) -> int:
    return school * EVENTS_PER_SCHOOL + k


def title_field(f: Fill) -> Expected:
    f.drop(F.TITLE.name, "B5")
    f.cells.append((F.TITLE.name, "B5", "", "clear"))  # prefilled from the registry
    return [("TL01", "B5")]


def title_period(f: Fill) -> Expected:
    f.drop(F.TITLE.name, "B4")
    return [("TL01", "B4")]


def passport_field(f: Fill) -> Expected:
    return [("PS01", f.set(F.PASSPORT, 0, "director", None))]


def passport_garbage_date(f: Fill) -> Expected:
    return [("VAL01", f.set(F.PASSPORT, 1, "approved_on", "скоро"))]


def passport_two_years(f: Fill) -> Expected:
    start = dt.date.fromisoformat(f.row_values(F.PASSPORT, 0)["period_from"][0])
    return [("RM06", f.set(F.PASSPORT, 0, "period_to", start.replace(year=start.year + 2)))]


def no_roadmap(f: Fill) -> Expected:
    for k in range(EVENTS_PER_SCHOOL):
        f.drop_row(RM, ev(6, k))
    return [("RM01", f.addr(F.PASSPORT, 6, "school"))]  # the school's row of Паспорт ДК


def no_direction(f: Fill) -> Expected:
    f.drop_row(RM, ev(2, DIR4))
    return [("RM02", f.addr(RM, ev(2, 0), "school"))]  # the school's first event


def no_target_group(f: Fill) -> Expected:
    f.drop_row(RM, ev(0, STUDENTS))
    return [("RM03", f.addr(RM, ev(0, 0), "school"))]


def not_in_catalogue(f: Fill) -> Expected:
    return [("RM04", f.set(RM, ev(0, LEADERS), "event", "Программа Сильный директорр"))]


def no_final_cut(f: Fill) -> Expected:
    f.drop_row(RM, ev(1, CUT_END))
    return [("RM05", f.addr(RM, ev(1, 0), "school"))]


def cuts_out_of_order(f: Fill) -> Expected:
    # the final cut before the intermediate one (October of the same academic year)
    year = f.campaign.period(f.period_code).roadmap_year[:4]
    return [("RM05", f.set(RM, ev(1, CUT_END), "deadline", f"ноябрь {year}"))]


def management_decision(f: Fill) -> Expected:
    """Direction 5 also holds «принятие управленческих решений»: free wording, no
    target group, no agreement — and no finding (it sent files back before)."""
    row = len(f.campaign.schools_of(f.municipality)) * EVENTS_PER_SCHOOL  # after the plan
    f.put(RM, row, "school", f.campaign.schools_of(f.municipality)[0].short_name)
    f.put(RM, row, "direction", F.direction_items(f.campaign)[4])
    f.put(RM, row, "event", "Решение педсовета о мерах по итогам анализа результатов")
    f.put(RM, row, "deadline", f"декабрь {f.campaign.period(f.period_code).roadmap_year[:4]}")
    f.put(RM, row, "responsible", "Кузнецова Ирина Сергеевна")
    f.put(RM, row, "responsible_position", "заместитель директора")
    f.put(RM, row, "expected", "Меры по итогам анализа приняты")
    f.put(RM, row, "status", "Запланировано")
    return []


def seed_wording(f: Fill) -> Expected:
    """An event typed as Table 1 of the method words it is no RM04."""
    f.set(RM, ev(0, LEADERS), "event", "Обучение административ. команд «Управление по результату»")
    return []


def messy_values(f: Fill) -> Expected:
    """Numbers and dates typed as text, as SPEC §3.1 accepts them: no finding, and
    Контроль (under Excel's rules and LibreOffice's) accepts them too."""
    sm = F.school_monitoring_form(f.campaign)
    stage_row = F.STAGES.index(f.period.stage)
    percent = [
        i.code
        for i in f.campaign.school_indicators
        if f.period.stage in i.stages and i.value_type == "%"
    ]
    f.set(sm, stage_row, percent[0], "95,5")
    f.set(sm, stage_row + 3, percent[0], "72 %")
    f.set(sm, stage_row + 6, percent[1], "1\u00a0,5")
    f.set(F.PASSPORT, 0, "approved_on", "1.9.2026 г.")
    f.set(F.PASSPORT, 1, "approved_on", "01/09/2026")
    f.set(TR, 0, "entry_diag", "72 %")
    f.set(TR, 0, "age", "38")
    f.set(TR, 1, "hours", "36,0")
    return []


def formula_looking_text(f: Fill) -> Expected:
    """Text that looks like a formula or a sign stays text: no finding."""
    f.set(RM, ev(0, DIR1), "expected", "=ВПР выше 60 %")
    f.set(RM, ev(1, DIR1), "expected", "+15 % участников")
    f.set(RM, ev(2, DIR1), "expected", "-доля «2» ниже 5 %")
    f.set(RM, ev(3, DIR1), "expected", "@отчёт на сайте")
    return []


def quarter_deadlines(f: Fill) -> Expected:
    """Deadlines typed as quarters («II квартал 2027»): no finding."""
    from shkmd_xl.reader.values import parse_deadline

    roman = ("I", "II", "III", "IV")
    cells = f.as_dict()
    for school in range(3):
        for k in (DIR1, DIR2, DIR4, DIR6):
            value, _ = cells[(RM.name, f.addr(RM, ev(school, k), "deadline"))]
            first, _ = parse_deadline(value)
            quarter = f"{roman[(first.month - 1) // 3]} квартал {first.year}"
            f.set(RM, ev(school, k), "deadline", quarter)
    return []


def deadline_outside(f: Fill) -> Expected:
    return [("RM07", f.set(RM, ev(0, DIR1), "deadline", "май 2030"))]


def deadline_garbage(f: Fill) -> Expected:
    return [("VAL01", f.set(RM, ev(0, DIR2), "deadline", "скоро"))]


def no_responsible(f: Fill) -> Expected:
    return [("RM08", f.set(RM, ev(0, DIR2), "responsible", None))]


def bad_fio(f: Fill) -> Expected:
    return [("RM08", f.set(RM, ev(0, DIR2), "responsible", "иванов"))]


def no_status(f: Fill) -> Expected:
    return [("RM09", f.set(RM, ev(0, DIR6), "status", None))]


def done_without_evidence(f: Fill) -> Expected:
    f.set(RM, ev(0, DIR6), "status", "Выполнено")
    return [("RM10", f.addr(RM, ev(0, DIR6), "evidence"))]


def school_typo(c: Campaign, municipality: str) -> tuple[str, str]:
    """A registry school of ``municipality`` and the same name with one letter lost (as a
    user mistypes it), taken from the campaign, not written out here."""
    name = c.schools_of(municipality)[0].short_name
    cut = len(name) // 2
    return name, name[:cut] + name[cut + 1 :]


def unknown_school(f: Fill) -> Expected:
    _, typo = school_typo(f.campaign, f.municipality)
    return [("RM11", f.set(TR, 0, "school", typo))]


def not_agreed(f: Fill) -> Expected:
    return [("RM12", f.set(RM, ev(3, TEACHERS), "agreed", "Нет"))]


def duplicate_event(f: Fill) -> Expected:
    f.copy_row(RM, ev(0, DIR1), f.roadmap_next)
    return [("RM14", f.addr(RM, f.roadmap_next, "event"))]


def no_expected_result(f: Fill) -> Expected:
    return [("RM15", f.set(RM, ev(4, DIR2), "expected", None))]


def mouo_no_value(f: Fill) -> Expected:
    slot = f.period.slot
    return [("MN01", f.set(F.mouo_form(f.campaign), 0, F.value_key(slot), None))]


def mouo_yes_without_link(f: Fill) -> Expected:
    slot = f.period.slot
    return [("MN02", f.set(F.mouo_form(f.campaign), 1, F.link_key(slot), "сайт управления"))]


def mouo_value_not_collected(f: Fill) -> Expected:
    # M10 is collected in June and November only
    return [("MN03", f.set(F.mouo_form(f.campaign), 9, F.value_key("Апрель"), "Да"))]


def school_value_missing(f: Fill) -> Expected:
    sm = F.school_monitoring_form(f.campaign)
    row = F.STAGES.index(f.period.stage)
    code = next(i.code for i in f.campaign.school_indicators if f.period.stage in i.stages)
    return [("MN04", f.set(sm, row, code, None))]


def school_percent_garbage(f: Fill) -> Expected:
    sm = F.school_monitoring_form(f.campaign)
    row = F.STAGES.index(f.period.stage) + 3
    codes = [
        i.code
        for i in f.campaign.school_indicators
        if f.period.stage in i.stages and i.value_type == "%"
    ]
    return [
        ("MN05", f.set(sm, row, codes[0], 250)),
        ("MN05", f.set(sm, row, codes[1], "сто процентов")),
    ]


def teacher_field(f: Fill) -> Expected:
    return [("TR01", f.set(TR, 0, "position", None))]


def no_competence(f: Fill) -> Expected:
    f.set(TR, 1, "comp_subject", "Нет")
    return [("TR02", f.addr(TR, 1, "comp_subject"))]


def teacher_percent(f: Fill) -> Expected:
    return [("TR03", f.set(TR, 0, "repeat_diag", "250%"))]


def no_repeat_diagnostic(f: Fill) -> Expected:
    f.set(TR, 0, "entry_diag", 40)
    f.set(TR, 0, "certificate", None)
    return [("TR04", f.addr(TR, 0, "repeat_diag"))]


def certificate_without_pass(f: Fill) -> Expected:
    f.set(TR, 0, "entry_diag", 40)
    f.set(TR, 0, "repeat_diag", 50)
    return [("TR05", f.addr(TR, 0, "certificate"))]


def recommendation_without_grounds(f: Fill) -> Expected:
    return [("TR06", f.set(TR, 1, "recommendation", "Да"))]


def implausible_age(f: Fill) -> Expected:
    return [("TR07", f.set(TR, 0, "age", 90))]


def course_end_before_start(f: Fill) -> Expected:
    start = dt.date.fromisoformat(f.row_values(TR, 0)["course_start"][0])
    return [("TR08", f.set(TR, 0, "course_end", start - dt.timedelta(days=3)))]


def short_course(f: Fill) -> Expected:
    return [("TR08", f.set(TR, 1, "hours", 8))]


def diploma_after_course(f: Fill) -> Expected:
    start = dt.date.fromisoformat(f.row_values(TR, 0)["course_start"][0])
    return [("TR09", f.set(TR, 0, "diploma_date", start + dt.timedelta(days=1)))]


def duplicate_teacher(f: Fill) -> Expected:
    f.copy_row(TR, 0, 2)
    return [("TR10", f.addr(TR, 2, "teacher"))]


RS = F.RESULTS
#: rows of a good fill's «Результаты обучения»: a school's ЕГЭ, ОГЭ and ВПР rows
EGE, OGE, VPR = 0, 1, 2
RESULT_ROWS_PER_SCHOOL = 3


def results_field(f: Fill) -> Expected:
    return [("RS01", f.set(RS, OGE, "participants", None))]


def results_mean_out_of_scale(f: Fill) -> Expected:
    return [("RS03", f.set(RS, OGE, "mean", 7))]  # ОГЭ: a mark, 2–5


def results_subject_not_of_assessment(f: Fill) -> Expected:
    return [("RS04", f.set(RS, OGE, "subject", "Окружающий мир"))]  # ВПР only


def results_grade_not_of_assessment(f: Fill) -> Expected:
    return [("RS04", f.set(RS, EGE, "grade", 9))]


def results_shares_over_100(f: Fill) -> Expected:
    f.set(RS, VPR, "fail_share", 60)
    return [("RS05", f.set(RS, VPR, "high_share", 50))]


def results_text_numbers(f: Fill) -> Expected:
    """Numbers typed as text, as SPEC §3.1 accepts them: valid ones pass, and the rules
    over numbers (and Контроль with them) read the text ones as numbers — a mean «7,5»
    out of ОГЭ's scale, a grade «9» ЕГЭ does not have, shares «60 %» + «50 %»."""
    f.set(RS, RESULT_ROWS_PER_SCHOOL + OGE, "mean", "3,8")  # valid: no finding
    f.set(RS, RESULT_ROWS_PER_SCHOOL + OGE, "participants", "25")
    f.set(RS, RESULT_ROWS_PER_SCHOOL + VPR, "fail_share", "4 %")
    f.set(RS, RESULT_ROWS_PER_SCHOOL + EGE, "grade", "11")
    f.set(RS, VPR, "fail_share", "60 %")
    return [
        ("RS03", f.set(RS, OGE, "mean", "7,5")),
        ("RS04", f.set(RS, EGE, "grade", "9")),
        ("RS05", f.set(RS, VPR, "high_share", "50 %")),
    ]


def results_share_out_of_range(f: Fill) -> Expected:
    return [("VAL01", f.set(RS, EGE, "fail_share", 120))]


def results_unknown_school(f: Fill) -> Expected:
    _, typo = school_typo(f.campaign, f.municipality)
    return [("RM11", f.set(RS, OGE, "school", typo))]


def results_duplicate(f: Fill) -> Expected:
    last = len(f.campaign.schools_of(f.municipality)) * RESULT_ROWS_PER_SCHOOL
    f.copy_row(RS, EGE, last)
    return [("RS06", f.addr(RS, last, "school"))]


def results_too_many(f: Fill) -> Expected:
    return [("RS07", f.set(RS, VPR, "participants", 5000))]


def results_school_missing(f: Fill) -> Expected:
    school = 1
    for k in range(RESULT_ROWS_PER_SCHOOL):
        f.drop_row(RS, school * RESULT_ROWS_PER_SCHOOL + k)
    return [("RS02", "")]


#: name -> (period, breaker)
BREAKERS: dict[str, tuple[str, Callable[[Fill], Expected]]] = {
    fn.__name__: (period, fn)
    for period, fn in [
        ("2026-06", title_field),
        ("2026-06", title_period),
        ("2026-06", passport_field),
        ("2026-06", passport_garbage_date),
        ("2026-06", passport_two_years),
        ("2026-06", no_roadmap),
        ("2026-06", no_direction),
        ("2026-06", no_target_group),
        ("2026-06", not_in_catalogue),
        ("2026-06", no_final_cut),
        ("2026-06", cuts_out_of_order),
        ("2026-06", management_decision),
        ("2026-06", seed_wording),
        ("2026-11", messy_values),
        ("2026-06", formula_looking_text),
        ("2026-06", quarter_deadlines),
        ("2026-06", deadline_outside),
        ("2026-06", deadline_garbage),
        ("2026-06", no_responsible),
        ("2026-06", bad_fio),
        ("2026-06", no_status),
        ("2026-06", done_without_evidence),
        ("2026-06", unknown_school),
        ("2026-06", not_agreed),
        ("2026-06", duplicate_event),
        ("2026-06", no_expected_result),
        ("2026-06", mouo_no_value),
        ("2026-06", mouo_yes_without_link),
        ("2026-06", mouo_value_not_collected),
        ("2026-06", school_value_missing),
        ("2026-04", school_percent_garbage),
        ("2026-11", teacher_field),
        ("2026-11", no_competence),
        ("2026-11", teacher_percent),
        ("2026-11", no_repeat_diagnostic),
        ("2026-11", certificate_without_pass),
        ("2026-11", recommendation_without_grounds),
        ("2026-11", implausible_age),
        ("2026-11", course_end_before_start),
        ("2026-11", short_course),
        ("2026-11", diploma_after_course),
        ("2026-11", duplicate_teacher),
        ("2026-06", results_field),
        ("2026-06", results_mean_out_of_scale),
        ("2026-06", results_subject_not_of_assessment),
        ("2026-06", results_grade_not_of_assessment),
        ("2026-06", results_shares_over_100),
        ("2026-06", results_text_numbers),
        ("2026-06", results_share_out_of_range),
        ("2026-06", results_unknown_school),
        ("2026-06", results_duplicate),
        ("2026-06", results_too_many),
        ("2026-06", results_school_missing),
    ]
}

#: Good fills of each month and every breaker: the files typed through LibreOffice.
SCENARIOS = ["good-2026-04", "good-2026-06", "good-2026-11", *BREAKERS]


def scenario_fill(campaign: Campaign, name: str) -> tuple[Fill, str, Expected]:
    """The fill of a scenario, its period and the findings it must give."""
    if name.startswith("good-"):
        return good_fill(campaign, "SOLN", name[5:]), name[5:], []
    period, breaker = BREAKERS[name]
    fill = good_fill(campaign, "SOLN", period)
    return fill, period, breaker(fill)
