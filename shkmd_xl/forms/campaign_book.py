"""Columns of the editable campaign workbook (one description for writer and reader)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..campaign import validate as V
from ..campaign.goals import COMPARISONS, MEASURES, REGION_RULE, WHEN
from ..campaign.models import STAGES, TARGET_GROUPS


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float = 20
    choices: tuple[str, ...] = ()
    help: str = ""
    #: a column added after campaign workbooks were made: a workbook without it is read
    optional: bool = False
    #: a machine column the region does not edit (hidden in the workbook)
    hidden: bool = False


@dataclass(frozen=True)
class CampaignSheet:
    name: str
    columns: tuple[Column, ...]

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]


YES = "Да"

GENERAL = CampaignSheet(
    V.SHEET_GENERAL,
    (
        Column("key", "Параметр", 28),
        Column("value", "Значение", 70),
    ),
)
#: Rows of the Кампания sheet: key -> Russian label shown in column A.
GENERAL_ROWS: dict[str, str] = {
    "id": "Идентификатор кампании",
    "title": "Название",
    "region": "Регион",
    "version": "Версия",
    "demo": "Демонстрационные данные (Да/Нет)",
    "office": "Региональный координатор",
    "office_email": "Электронная почта регионального координатора",
    "signer_position": "Справку подписывает: должность",
    "signer_name": "Справку подписывает: И. О. Фамилия",
    "document_font": "Шрифт справки (название, размер)",
    "support_camps": "Собирать показатели сопровождения и профильных смен (Да/Нет)",
}
DIRECTION_LABEL = "Направление ДК {n}"

MUNICIPALITIES = CampaignSheet(
    V.SHEET_MUNICIPALITIES,
    (
        Column("code", "Код", 10),
        Column("name", "Наименование", 45),
        Column("coordinator", "Координатор (ФИО)", 30),
        Column("position", "Должность", 30),
        Column("emails", "Электронная почта", 36, help="Несколько адресов — через «;»."),
        Column("phone", "Телефон", 20),
    ),
)
SCHOOLS = CampaignSheet(
    V.SHEET_SCHOOLS,
    (
        Column("code", "Код ОО", 14),
        Column("name", "Полное наименование", 50),
        Column("short_name", "Краткое наименование", 30),
        Column("municipality", "Код муниципалитета", 12),
        Column(
            "type",
            "Тип ОО",
            26,
            choices=(
                "городская депривированная",
                "сельская депривированная",
                "сельская малокомплектная",
                "иная",
            ),
        ),
        Column("mentor", "Школа-наставник", 30),
        Column("curator", "Куратор", 24),
    ),
)
CATALOGUE = CampaignSheet(
    V.SHEET_CATALOGUE,
    (
        Column(
            "target_group",
            "Целевая группа",
            36,
            choices=("Руководители и заместители руководителей ОО", "Учителя", "Обучающиеся"),
        ),
        Column("name", "Мероприятие", 60),
        Column("organisers", "Организаторы", 60),
        Column(
            "capacity",
            "Лимит участников (ОО)",
            12,
            help="Значения по умолчанию демо-кампании: в региональной методике лимитов нет. "
            "Задайте свои по согласованию с организаторами мероприятий.",
        ),
        Column(
            "capacity_set",
            "Лимит задан регионом",
            12,
            choices=(YES, "Нет"),
            help="«Да» — лимит утверждён регионом: шаблоны печатают его как правило. "
            "Пусто или «Нет» — лимит по умолчанию (в документах проекта его нет): шаблоны "
            "его не печатают, сводка предупреждает о превышении со ссылкой на это.",
            optional=True,
        ),
    ),
)
MONTHS = CampaignSheet(
    V.SHEET_MONTHS,
    (
        Column(
            "name",
            "Месяц мониторинга",
            22,
            help="Месяцы мониторинга в году по порядку (методика: апрель, июнь, ноябрь; "
            "регион может проводить мониторинг ежеквартально или в сентябре). По ним строятся "
            "столбцы листа «Мониторинг МОУО» и отметки листа «Показатели».",
        ),
        Column(
            "stage",
            "Этап мониторинга ОО",
            14,
            choices=STAGES,
            help="Этап мониторинга ОО (I, II, III), показатели которого собираются в этом месяце.",
        ),
    ),
)


def indicators_sheet(months: Sequence[str]) -> CampaignSheet:
    """Показатели: one «Да» column per monitoring month of the campaign."""
    return CampaignSheet(
        V.SHEET_INDICATORS,
        (
            Column("code", "Код", 8),
            Column("task", "Задача", 8),
            Column("wording", "Показатель", 70),
            Column("level", "Уровень", 10, choices=("МОУО", "ОО")),
            Column("value_type", "Тип значения", 12, choices=("да/нет", "%", "чел.")),
            *(
                Column(
                    month,
                    month,
                    10,
                    choices=(YES,),
                    help="«Да», если показатель собирается в этом месяце.",
                )
                for month in months
            ),
            Column(
                "target_group",
                "Целевая группа мероприятий",
                24,
                choices=TARGET_GROUPS,
                help="Прежний способ задать рекомендации: читается, только если в файле "
                "кампании нет листа «Рекомендации» (тогда рекомендуются первые два "
                "мероприятия этой целевой группы каталога). Рекомендации задавайте на "
                "листе «Рекомендации».",
                optional=True,
            ),
        ),
    )


def periods_sheet(months: Sequence[str]) -> CampaignSheet:
    return CampaignSheet(
        V.SHEET_PERIODS,
        (
            Column("code", "Код (ГГГГ-ММ)", 12),
            Column("name", "Наименование", 20),
            Column("slot", "Месяц мониторинга", 14, choices=tuple(months)),
            Column("deadline", "Срок представления", 14),
            Column("roadmap_year", "Учебный год ДК", 14),
        ),
    )


#: The first sheet of a campaign workbook: what each sheet is (not read back).
INSTRUCTION = "Инструкция"

THRESHOLDS = CampaignSheet(
    V.SHEET_THRESHOLDS,
    (
        Column("name", "Параметр", 40),
        Column("description", "Описание", 60),
        Column("value", "Значение", 16),
        # the parameter's machine name; workbooks made before the Russian names held it
        # in «Параметр»
        Column("key", "Ключ (служебный, не меняйте)", 26, optional=True, hidden=True),
    ),
)
#: The parameters of «Пороги» by name, as the region reads them.
THRESHOLD_NAMES: dict[str, str] = {
    "diagnostic_pass_mark": "Проходной балл входной диагностики, %",
    "sufficient_level": "Достаточный уровень компетенций, %",
    "min_course_hours": "Минимальный объём курсов, ч",
    "outlier_jump_pp": "Резкое изменение показателя, п. п.",
    "teacher_min_age": "Минимальный возраст педагога, лет",
    "teacher_max_age": "Максимальный возраст педагога, лет",
    "positive_change_indicators": "Показатели положительной динамики",
    "positive_change_pp": "Рост для положительной динамики, п. п.",
    "effective_mode_rule": "Условия эффективного режима ОО",
    "graduate_indicators": "Показатели итогов ГИА (этап II)",
    "cluster_min_silhouette": "Порог различимости групп ОО",
    "rework_working_days": "Рабочих дней на исправленный отчёт",
}
#: Numbers not given by the source documents are defaults the region sets itself.
DEFAULT_TO_SET = " (значение по умолчанию: в документах проекта его нет — задайте своё)"
THRESHOLD_DESCRIPTIONS: dict[str, str] = {
    "diagnostic_pass_mark": "Проходной балл входной диагностики педагога, %" + DEFAULT_TO_SET,
    "sufficient_level": "Достаточный уровень предметных компетенций, % (95–100 % — "
    "Липецкая модель методического сопровождения)",
    "min_course_hours": "Минимальный объём курсов, часов" + DEFAULT_TO_SET,
    "outlier_jump_pp": "Скачок показателя между периодами, п. п. (выброс)" + DEFAULT_TO_SET,
    "teacher_min_age": "Минимальный возраст педагога, лет",
    "teacher_max_age": "Максимальный возраст педагога, лет",
    "positive_change_indicators": "Не используется: положительная динамика считается по "
    "результатам обучения (лист «Правила результатов»); строка оставлена для файлов "
    "прежних версий",
    "positive_change_pp": "Не используется: подтверждённая динамика — лист «Правила "
    "результатов»; строка оставлена для файлов прежних версий",
    "effective_mode_rule": "Условие показателей мониторинга ОО для эффективного режима: "
    "учитывается, только если на листе «Правила результатов» «Эффективный режим: "
    "учитывать также условие анкет» = «да»; условия через «;», например "
    "«S03 не ниже 70; S09 не ниже 60»" + DEFAULT_TO_SET,
    "rework_working_days": "Рабочих дней на исправленный отчёт, со дня письма о возврате "
    "на доработку" + DEFAULT_TO_SET,
    "cluster_min_silhouette": "Кластеры ОО: ниже этого среднего силуэта (мера разделённости "
    "групп от −1 до 1) справка пишет, что ОО не образуют различимых групп" + DEFAULT_TO_SET,
    "graduate_indicators": "Не используется: «все выпускники преодолели минимальный "
    "порог» считается по результатам ГИА (лист «Правила результатов», «Процедуры ГИА»); "
    "строка оставлена для файлов прежних версий",
}


GOALS = CampaignSheet(
    V.SHEET_GOALS,
    (
        Column(
            "key", "Ключ цели", 16, help="Короткий уникальный код цели (латиница или кириллица)."
        ),
        Column("wording", "Цель (формулировка)", 48),
        Column(
            "measure",
            "Что измеряется",
            44,
            choices=tuple(label for label, _ in MEASURES.values()),
            help="Показатель, который программа вычисляет по отчётам, реестру и экспертизе.",
        ),
        Column("comparison", "Сравнение", 12, choices=COMPARISONS),
        Column(
            "value",
            "Значение",
            12,
            help="Число (75) или диапазон (44–60) для сравнения «от … до». Пусто — цель не "
            "задана регионом: показатель вычисляется, вывода о выполнении нет.",
        ),
        Column(
            "judged",
            "Когда оценивается",
            30,
            choices=WHEN,
            help="«В последний месяц мониторинга учебного года»: до него справка пишет "
            "«срок не наступил» и показывает долю как ход работы.",
        ),
        Column(
            "source",
            "Источник (документ)",
            60,
            help=f"Документ, из которого взята цель. Пусто — «{REGION_RULE}».",
        ),
    ),
)
RECOMMENDATIONS = CampaignSheet(
    V.SHEET_RECOMMENDATIONS,
    (
        Column(
            "weak",
            "Показатель или зона",
            20,
            help="Код показателя мониторинга ОО (S08), слабого у ОО, или предмет результатов "
            "обучения в зоне низкого качества, для которых рекомендуется мероприятие.",
        ),
        Column(
            "event", "Мероприятие каталога", 60, help="Наименование с листа «Каталог мероприятий»."
        ),
        Column(
            "source",
            "Источник (документ)",
            50,
            help=f"Документ, из которого взята рекомендация. Пусто — «{REGION_RULE}».",
        ),
    ),
)
#: «Оценочные процедуры»: the assessments whose results the form collects (campaign/results.py).
ASSESSMENTS = CampaignSheet(
    V.SHEET_ASSESSMENTS,
    (
        Column("code", "Процедура", 10, help="Краткое название: ЕГЭ, ОГЭ, ВПР, РДР…"),
        Column("name", "Полное название", 36),
        Column("subjects", "Предметы (через «;»)", 60),
        Column("grades", "Классы (через запятую)", 16),
        Column("mean_kind", "Что в столбце «Средний»", 22),
        Column("scale_min", "Шкала: от", 10),
        Column("scale_max", "Шкала: до", 10),
        Column("min_threshold", "Не преодолели минимальный порог — это", 34),
        Column("high_threshold", "Высокий результат — это", 26),
        Column(
            "weight",
            "Вес в интегральном показателе",
            14,
            help="Методика, п. 1.5: интегральный показатель строится по ЕГЭ, ОГЭ и РДР "
            "(ВПР — для оценки достоверности, вес 0). Равные веса — значение по умолчанию: "
            "в документах проекта их нет — задайте свои.",
        ),
        Column(
            "student_sd",
            "Разброс результата ученика (ст. откл.)",
            16,
            help="Стандартное отклонение результата одного ученика на шкале процедуры: "
            "по нему и числу участников оценивается случайный разброс среднего ОО "
            "(подтверждённая динамика). Значение по умолчанию: в документах проекта его нет "
            "— задайте своё по данным РЦОИ.",
        ),
    ),
)
#: «Правила результатов»: when results are due and how the figures judge them.
RESULTS_RULES = CampaignSheet(
    V.SHEET_RESULTS_RULES,
    (
        Column("name", "Параметр", 44),
        Column("description", "Описание", 60),
        Column("value", "Значение", 16),
        Column("key", "Ключ (служебный, не меняйте)", 26, hidden=True),
    ),
)


def sheets_for(months: Sequence[str]) -> tuple[CampaignSheet, ...]:
    """The sheets of a campaign workbook with these monitoring months, in order."""
    return (
        GENERAL,
        MUNICIPALITIES,
        SCHOOLS,
        CATALOGUE,
        MONTHS,
        indicators_sheet(months),
        periods_sheet(months),
        THRESHOLDS,
        GOALS,
        RECOMMENDATIONS,
        ASSESSMENTS,
        RESULTS_RULES,
    )
