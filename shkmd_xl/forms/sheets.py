"""The municipal workbook, sheet by sheet (SPEC §3, §3.1).

This is the one description of columns: the template writer, the reader and
the rules all take labels, kinds, lists and required-ness from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..campaign.models import STAGES as CAMPAIGN_STAGES
from ..campaign.models import TARGET_GROUPS, Campaign
from .model import Field, SheetForm
from .required import ROW_USED, Equals, Filled, InList, Numbered, Reached, Reporting, Unidentified
from .results import RESULTS, results_lists

# -- fixed lists ---------------------------------------------------------------
YES_NO = ("Да", "Нет")
MONITORING_CUTS = ("начальный", "промежуточный", "итоговый")
#: Version of the municipal workbook layout written into every template's _meta (the
#: check compares a received file's version with it: SUB02).
TEMPLATE_VERSION = "1.0"
#: An event's status (the dropdown of «Дорожные карты»); DONE and PLANNED by name.
PLANNED, DONE = "Запланировано", "Выполнено"
STATUSES = (PLANNED, DONE, "Выполнено частично", "Не выполнено", "Перенесено")


@dataclass(frozen=True)
class Coverage:
    """What every school's roadmap must cover (seed 003, method): each of the
    campaign's directions; in ``groups_in``, an event for each target group; in
    ``cuts_in``, the three monitoring cuts. The check's rule (rules/roadmap.coverage),
    Контроль's block per school and the instruction derive from this one place."""

    directions: int
    groups_in: int = 5
    cuts_in: int = 3

    @property
    def numbers(self) -> range:
        return range(1, self.directions + 1)


def coverage(campaign: Campaign) -> Coverage:
    """The roadmap coverage of ``campaign`` (its directions)."""
    return Coverage(len(campaign.directions))


EDUCATION = ("высшее", "среднее профессиональное")
ATTESTATION_FORMS = (
    "зачёт",
    "план-конспект",
    "фрагмент открытого занятия",
    "мастер-класс",
    "иное",
)
STAGES = CAMPAIGN_STAGES
COMPETENCES = (
    ("comp_subject", "Предметная компетенция"),
    ("comp_method", "Методическая компетенция"),
    ("comp_psy", "Психолого-педагогическая компетенция"),
    ("comp_comm", "Коммуникативная компетенция"),
)

# -- sheet names -----------------------------------------------------------------
INSTRUCTION = "Инструкция"
CONTROL = "Контроль"
LISTS = "Справочники"
META = "_meta"
#: Hidden, unprotected sheet the «Проверить» button fills (Лист, Ячейка, Важность):
#: conditional formats of the protected sheets colour the cells it lists, so the
#: button never writes into a protected sheet (Excel refuses that: error 1004).
MARKS = "_marks"
MARK_HEADERS = ("Лист", "Ячейка", "Важность")


# -- geometry other modules rely on ----------------------------------------------
@dataclass(frozen=True)
class ControlAnchors:
    """Rows (0-based) of Контроль's cells that other sheets' formulas and the tests read;
    their values are in column B."""

    period: int = 2  # the period chosen on Титул
    slot: int = 3  # its monitoring month
    slot_no: int = 4  # the month's number in the year (1 = the first)
    stage: int = 5  # the stage of school monitoring
    result: int = 7  # «Готово к отправке» / «Не готово: N замечаний» (count in column C)
    schools_header: int = 10  # header of block 1 (roadmaps by school)
    value_col: int = 1


CONTROL_AT = ControlAnchors()
#: Титул: labels in column A, values in column B (0-based).
TITLE_LABEL_COL, TITLE_VALUE_COL = 0, 1

#: Conditions of required-ness (forms/required.py) the sheets share.
DIRECTION_5 = Numbered("direction", 5)
#: A catalogue event of direction 5; «принятие управленческих решений» rows of the same
#: direction are not catalogue events and need no target group or agreement.
CATALOGUE_EVENT = DIRECTION_5 & InList("event", "catalogue")
COURSE_ENDED = ROW_USED & Reached("course_end")

TITLE = SheetForm(
    key="title",
    name="Титул",
    title="Титульный лист отчёта",
    header_row=2,  # labels start on row 3 (0-based 2); label in A, value in B
    missing="TL01",
    fields=(
        Field(
            "municipality",
            "Муниципальное образование",
            "choice",
            required=Unidentified(),  # else known from the template's own data
            choices="municipalities",
            width=60,
            prefilled=True,
        ),
        Field(
            "period",
            "Отчётный период",
            "choice",
            choices="periods",
            help="Выберите отчётный период из списка.",
            missing="TL01.period",
        ),
        Field(
            "coordinator",
            "Координатор (ФИО)",
            "fio",
            help="Фамилия Имя Отчество муниципального координатора.",
        ),
        Field("position", "Должность", "text"),
        Field("phone", "Телефон", "phone"),
        Field("email", "Электронная почта", "email"),
        Field("filled_on", "Дата заполнения", "date", help="Дата в формате ДД.ММ.ГГГГ."),
    ),
)

PASSPORT = SheetForm(
    key="passport",
    name="Паспорт ДК",
    missing="PS01",
    fields=(
        Field("school", "ОО", "school", choices="schools", width=45, prefilled=True),
        Field(
            "period_from",
            "Период ДК с",
            "date",
            width=14,
            help="Начало периода дорожной карты (в пределах одного учебного года).",
        ),
        Field(
            "period_to",
            "Период ДК по",
            "date",
            width=14,
            help="Окончание периода дорожной карты (не позже 31 августа).",
        ),
        Field("approved_by", "Утверждено (ФИО руководителя МОУО)", "fio", width=34),
        Field("approved_on", "Дата утверждения", "date", width=14),
        Field("director", "Директор ОО (ФИО)", "fio", width=30),
        Field(
            "mentor_school",
            "Школа-наставник",
            "text",
            required=None,
            width=30,
            help="ОО-наставник («зелёная» школа), если она назначена (региональная дорожная "
            "карта проекта ШКМД).",
            added_later=True,
        ),
        Field(
            "curator",
            "Куратор ОО (ФИО)",
            "fio",
            required=None,
            width=30,
            help="Куратор (наставник) ОО от региона или муниципалитета, если назначен.",
            added_later=True,
        ),
    ),
)

ROADMAP = SheetForm(
    key="roadmap",
    name="Дорожные карты",
    missing="RM15",
    fields=(
        Field("school", "ОО", "school", choices="schools", width=32),
        Field("direction", "Направление", "direction", choices="directions", width=34),
        Field(
            "event",
            "Мероприятие",
            "text",
            width=48,
            help="Для направления 5 выберите мероприятие из каталога в списке (или впишите "
            "управленческое решение); для других направлений впишите своё.",
            suggestions="catalogue",
        ),
        Field(
            "target_group",
            "Целевая группа",
            "choice",
            required=CATALOGUE_EVENT,
            choices="target_groups",
            width=26,
        ),
        Field(
            "cut",
            "Срез мониторинга",
            "choice",
            required=Numbered("direction", 3),
            choices="cuts",
            width=16,
        ),
        Field(
            "deadline",
            "Плановый срок",
            "deadline",
            width=16,
            help="Дата (15.04.2026), месяц (апрель 2026) или квартал (II квартал 2026).",
        ),
        Field("responsible", "Ответственный (ФИО)", "fio", width=28, missing="RM08"),
        Field(
            "responsible_position",
            "Должность ответственного",
            "text",
            width=24,
            missing="RM08.position",
        ),
        Field("expected", "Ожидаемый результат", "text", width=36),
        Field(
            "agreed",
            "Согласовано с региональным координатором",
            "yesno",
            required=DIRECTION_5 & (InList("event", "catalogue") | Filled("target_group")),
            choices="yesno",
            width=18,
            missing="RM12",
        ),
        Field(
            "status",
            "Статус выполнения",
            "choice",
            required=ROW_USED & Reporting(),
            choices="statuses",
            width=20,
            missing="RM09",
        ),
        Field(
            "evidence",
            "Подтверждающий документ",
            "text",
            required=Equals("status", DONE),
            width=30,
            help="Ссылка или наименование документа; обязательно при статусе «Выполнено».",
            missing="RM10",
        ),
        Field(
            "planned_indicator",
            "Плановый показатель достижения",
            "text",
            required=None,
            width=30,
            help="Показатель, по которому видно достижение результата, и его плановое "
            "значение, например «S03 — не ниже 75 %» (методика, п. 1.3 и 2.1).",
            added_later=True,
        ),
    ),
)

MOUO_KEY, MOUO_NAME = "mouo", "Мониторинг МОУО"
SCHOOL_MON_KEY, SCHOOL_MON_NAME = "school_mon", "Мониторинг ОО"


def value_key(month: str) -> str:
    """Key of the МОУО value column of a monitoring month."""
    return f"value_{month}"


def link_key(month: str) -> str:
    """Key of the МОУО link column of a monitoring month."""
    return f"link_{month}"


def mouo_form(campaign: Campaign) -> SheetForm:
    """Мониторинг МОУО: the indicator, then a value and a link per monitoring month of the
    campaign (seed 003: April, June, November; a region may set its own months)."""
    return SheetForm(
        key=MOUO_KEY,
        name=MOUO_NAME,
        fields=(
            # the indicator's row: written by the generator and locked
            Field("code", "Код", "code", required=None, width=7, prefilled=True),
            Field("task", "Задача", "count", required=None, width=8, prefilled=True),
            Field("wording", "Показатель", "text", required=None, width=60, prefilled=True),
            *(
                f
                for month in campaign.month_names
                for f in (
                    Field(
                        value_key(month),
                        f"{month}: значение",
                        "yesno",
                        required=None,  # due by month: see Indicator.slots (rule MN01)
                        choices="yesno",
                        width=12,
                    ),
                    Field(
                        link_key(month),
                        f"{month}: ссылка",
                        "link",
                        required=None,
                        width=30,
                        help="Адрес страницы сайта МОУО (http:// или https://).",
                    ),
                )
            ),
        ),
    )


def school_monitoring_form(campaign: Campaign) -> SheetForm:
    """Мониторинг ОО: school, stage, then one column per school indicator."""
    return SheetForm(
        key=SCHOOL_MON_KEY,
        name=SCHOOL_MON_NAME,
        fields=(
            # the school's row of a stage: written by the generator and locked
            Field(
                "school", "ОО", "school", required=None, choices="schools", width=32, prefilled=True
            ),
            Field(
                "stage", "Этап", "stage", required=None, choices="stages", width=7, prefilled=True
            ),
            *(
                Field(
                    ind.code,
                    f"{ind.code} {ind.wording}" + (", %" if ind.value_type == "%" else ", чел."),
                    "percent" if ind.value_type == "%" else "count",
                    required=None,  # depends on the stage: see Indicator.stages
                    width=14,
                )
                for ind in campaign.school_indicators
            ),
        ),
    )


TRAINING = SheetForm(
    key="training",
    name="Повышение квалификации",
    missing="TR01",
    fields=(
        Field("teacher", "ФИО учителя", "fio", width=30),
        Field("school", "ОО", "school", choices="schools", width=28),
        Field("position", "Должность", "text", width=18),
        Field("education", "Образование", "choice", choices="education", width=18),
        Field("diploma_no", "Номер диплома", "text", width=16),
        Field("diploma_date", "Дата выдачи диплома", "date", width=14),
        Field("specialty", "Специальность по диплому", "text", width=24),
        Field("years", "Стаж в должности, лет", "number", width=10),
        Field("age", "Возраст", "count", width=9),
        Field("programme", "Программа ДПО", "text", width=30),
        *(Field(k, label, "yesno", choices="yesno", width=14) for k, label in COMPETENCES),
        Field("difficulties", "Направления затруднений", "text", width=30),
        Field("course_start", "Начало курсов", "date", required=None, width=13),
        Field("course_end", "Окончание курсов", "date", required=None, width=13),
        Field("hours", "Объём, часов", "number", required=COURSE_ENDED, width=9),
        Field("entry_diag", "Входная диагностика, %", "percent", required=COURSE_ENDED, width=12),
        Field("repeat_diag", "Повторная диагностика, %", "percent", required=None, width=12),
        Field("internship", "Стажировка (место, часы)", "text", required=None, width=24),
        Field(
            "attestation",
            "Форма итоговой аттестации",
            "choice",
            required=COURSE_ENDED,
            choices="attestation",
            width=22,
        ),
        Field(
            "improved", "Усовершенствованные компетенции", "text", required=COURSE_ENDED, width=26
        ),
        Field("certificate", "Номер удостоверения", "text", required=None, width=16),
        Field(
            "recommendation",
            "Рекомендация аттестационной комиссии",
            "yesno",
            required=COURSE_ENDED,
            choices="yesno",
            width=16,
        ),
    ),
)


def direction_items(campaign: Campaign) -> list[str]:
    """Dropdown items of roadmap directions: «1. Обоснование целей …»."""
    return [f"{i}. {name}" for i, name in enumerate(campaign.directions, 1)]


def lists_for(campaign: Campaign, municipality_code: str | None) -> dict[str, list[str]]:
    """Every dropdown list of a municipal workbook, by list name."""
    if municipality_code is None:
        schools = [s.short_name for s in campaign.schools]
        muns = [m.name for m in campaign.municipalities]
    else:
        schools = [s.short_name for s in campaign.schools_of(municipality_code)]
        muns = [campaign.municipality(municipality_code).name]
    return {
        "yesno": list(YES_NO),
        "directions": direction_items(campaign),
        "target_groups": list(TARGET_GROUPS),
        "cuts": list(MONITORING_CUTS),
        "statuses": list(STATUSES),
        "education": list(EDUCATION),
        "attestation": list(ATTESTATION_FORMS),
        "stages": list(STAGES),
        "schools": schools,
        "municipalities": muns,
        "periods": [p.name for p in campaign.periods],
        "catalogue": [e.name for e in campaign.catalogue],
        **results_lists(campaign),
    }


#: Titles of the lists as shown in the header of Справочники.
LIST_TITLES: dict[str, str] = {
    "yesno": "Да/Нет",
    "directions": "Направления ДК",
    "target_groups": "Целевые группы",
    "cuts": "Срезы мониторинга",
    "statuses": "Статусы выполнения",
    "education": "Образование",
    "attestation": "Формы итоговой аттестации",
    "stages": "Этапы",
    "schools": "ОО",
    "municipalities": "Муниципальные образования",
    "periods": "Отчётные периоды",
    "catalogue": "Каталог мероприятий",
    "assessments": "Оценочные процедуры",
    "subjects": "Предметы",
}

#: The forms that do not depend on the campaign (the monitoring sheets do).
FIXED_FORMS: tuple[SheetForm, ...] = (TITLE, PASSPORT, ROADMAP, TRAINING, RESULTS)


def all_forms(campaign: Campaign) -> list[SheetForm]:
    """Every data sheet of the municipal workbook, in workbook order."""
    return [
        TITLE,
        PASSPORT,
        ROADMAP,
        mouo_form(campaign),
        school_monitoring_form(campaign),
        RESULTS,
        TRAINING,
    ]


#: The sheets of a municipal workbook in their order (the writer creates them so;
#: outputs that list sheets follow it).
SHEET_ORDER: tuple[str, ...] = (
    INSTRUCTION,
    TITLE.name,
    PASSPORT.name,
    ROADMAP.name,
    MOUO_NAME,
    SCHOOL_MON_NAME,
    RESULTS.name,
    TRAINING.name,
    CONTROL,
    LISTS,
    MARKS,
    META,
)
