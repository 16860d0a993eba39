"""The municipal workbook, sheet by sheet (SPEC §3, §3.1).

This is the one description of columns: the template writer, the reader and
the rules all take labels, kinds, lists and required-ness from here.
"""

from __future__ import annotations

from ..campaign.models import SLOTS, TARGET_GROUPS, Campaign
from .model import Field, SheetForm

# -- fixed lists ---------------------------------------------------------------
YES_NO = ("Да", "Нет")
MONITORING_CUTS = ("начальный", "промежуточный", "итоговый")
STATUSES = ("Запланировано", "Выполнено", "Выполнено частично", "Не выполнено", "Перенесено")
EDUCATION = ("высшее", "среднее профессиональное")
ATTESTATION_FORMS = (
    "зачёт",
    "план-конспект",
    "фрагмент открытого занятия",
    "мастер-класс",
    "иное",
)
STAGES = ("I", "II", "III")
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

TITLE = SheetForm(
    key="title",
    name="Титул",
    title="Титульный лист отчёта",
    header_row=2,  # labels start on row 3 (0-based 2); label in A, value in B
    fields=(
        Field(
            "municipality",
            "Муниципальное образование",
            "choice",
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
            required="never",
            width=30,
            help="ОО-наставник («зелёная» школа), если она назначена (региональная дорожная "
            "карта проекта ШКМД).",
            added_later=True,
        ),
        Field(
            "curator",
            "Куратор ОО (ФИО)",
            "fio",
            required="never",
            width=30,
            help="Куратор (наставник) ОО от региона или муниципалитета, если назначен.",
            added_later=True,
        ),
    ),
)

ROADMAP = SheetForm(
    key="roadmap",
    name="Дорожные карты",
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
            required="dir5",
            choices="target_groups",
            width=26,
        ),
        Field("cut", "Срез мониторинга", "choice", required="dir3", choices="cuts", width=16),
        Field(
            "deadline",
            "Плановый срок",
            "deadline",
            width=16,
            help="Дата (15.04.2026), месяц (апрель 2026) или квартал (II квартал 2026).",
        ),
        Field("responsible", "Ответственный (ФИО)", "fio", width=28),
        Field("responsible_position", "Должность ответственного", "text", width=24),
        Field("expected", "Ожидаемый результат", "text", width=36),
        Field(
            "agreed",
            "Согласовано с региональным координатором",
            "yesno",
            required="dir5",
            choices="yesno",
            width=18,
        ),
        Field(
            "status", "Статус выполнения", "choice", required="report", choices="statuses", width=20
        ),
        Field(
            "evidence",
            "Подтверждающий документ",
            "text",
            required="done",
            width=30,
            help="Ссылка или наименование документа; обязательно при статусе «Выполнено».",
        ),
        Field(
            "planned_indicator",
            "Плановый показатель достижения",
            "text",
            required="never",
            width=30,
            help="Показатель, по которому видно достижение результата, и его плановое "
            "значение, например «S03 — не ниже 75 %» (методика, п. 1.3 и 2.1).",
            added_later=True,
        ),
    ),
)

MOUO = SheetForm(
    key="mouo",
    name="Мониторинг МОУО",
    fields=(
        Field("code", "Код", "code", width=7, prefilled=True),
        Field("task", "Задача", "count", required="never", width=8, prefilled=True),
        Field("wording", "Показатель", "text", width=60, prefilled=True),
        *(
            f
            for slot in SLOTS
            for f in (
                Field(
                    f"value_{slot}",
                    f"{slot}: значение",
                    "yesno",
                    required="never",
                    choices="yesno",
                    width=12,
                ),
                Field(
                    f"link_{slot}",
                    f"{slot}: ссылка",
                    "link",
                    required="never",
                    width=30,
                    help="Адрес страницы сайта МОУО (http:// или https://).",
                ),
            )
        ),
    ),
)


SCHOOL_MON_NAME = "Мониторинг ОО"


def school_monitoring_form(campaign: Campaign) -> SheetForm:
    """Мониторинг ОО: school, stage, then one column per school indicator."""
    return SheetForm(
        key="school_mon",
        name=SCHOOL_MON_NAME,
        fields=(
            Field("school", "ОО", "school", choices="schools", width=32, prefilled=True),
            Field("stage", "Этап", "stage", choices="stages", width=7, prefilled=True),
            *(
                Field(
                    ind.code,
                    f"{ind.code} {ind.wording}" + (", %" if ind.value_type == "%" else ", чел."),
                    "percent" if ind.value_type == "%" else "count",
                    required="never",  # depends on the stage: see Indicator.stages
                    width=14,
                )
                for ind in campaign.school_indicators
            ),
        ),
    )


TRAINING = SheetForm(
    key="training",
    name="Повышение квалификации",
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
        Field("course_start", "Начало курсов", "date", required="never", width=13),
        Field("course_end", "Окончание курсов", "date", required="never", width=13),
        Field("hours", "Объём, часов", "number", required="course_ended", width=9),
        Field("entry_diag", "Входная диагностика, %", "percent", required="course_ended", width=12),
        Field("repeat_diag", "Повторная диагностика, %", "percent", required="never", width=12),
        Field("internship", "Стажировка (место, часы)", "text", required="never", width=24),
        Field(
            "attestation",
            "Форма итоговой аттестации",
            "choice",
            required="course_ended",
            choices="attestation",
            width=22,
        ),
        Field(
            "improved", "Усовершенствованные компетенции", "text", required="course_ended", width=26
        ),
        Field("certificate", "Номер удостоверения", "text", required="never", width=16),
        Field(
            "recommendation",
            "Рекомендация аттестационной комиссии",
            "yesno",
            required="course_ended",
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
}

DATA_FORMS: tuple[SheetForm, ...] = (PASSPORT, ROADMAP, MOUO, TRAINING)


def all_forms(campaign: Campaign) -> list[SheetForm]:
    """Every data sheet of the municipal workbook, in workbook order."""
    return [TITLE, PASSPORT, ROADMAP, MOUO, school_monitoring_form(campaign), TRAINING]


#: The sheets of a municipal workbook in their order (the writer creates them so;
#: outputs that list sheets follow it).
SHEET_ORDER: tuple[str, ...] = (
    INSTRUCTION,
    TITLE.name,
    PASSPORT.name,
    ROADMAP.name,
    MOUO.name,
    SCHOOL_MON_NAME,
    TRAINING.name,
    CONTROL,
    LISTS,
    MARKS,
    META,
)
