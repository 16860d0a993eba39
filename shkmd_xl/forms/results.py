"""«Результаты обучения»: one row per school × assessment × subject × grade (seed 003:
stage II, the results of the state exams; the assessments are the campaign's)."""

from __future__ import annotations

from ..campaign.models import Campaign
from .model import Field, SheetForm

RESULTS_KEY, RESULTS_NAME = "results", "Результаты обучения"

RESULTS = SheetForm(
    key=RESULTS_KEY,
    name=RESULTS_NAME,
    missing="RS01",
    fields=(
        Field("school", "ОО", "school", choices="schools", width=32),
        Field(
            "assessment",
            "Процедура",
            "choice",
            choices="assessments",
            width=11,
            help="ЕГЭ, ОГЭ, ВПР, РДР — список процедур кампании.",
        ),
        Field(
            "subject",
            "Предмет",
            "choice",
            choices="subjects",
            width=26,
            help="Предмет из списка; у каждой процедуры свои предметы (лист «Справочники»).",
        ),
        Field("grade", "Класс", "count", width=7, help="Класс участников: 4–11."),
        Field("participants", "Участников, чел.", "count", width=11),
        Field(
            "mean",
            "Средний балл (ОГЭ, ВПР: средняя отметка)",
            "number",
            width=14,
            help="ЕГЭ: средний тестовый балл; ОГЭ и ВПР: средняя отметка (2–5); РДР: средний "
            "процент выполнения. Шкала каждой процедуры — в файле кампании.",
        ),
        Field(
            "fail_share",
            "Не преодолели минимальный порог (ВПР, ОГЭ: «2»), %",
            "percent",
            width=16,
            help="Доля участников ниже минимального порога (ОГЭ, ВПР: получивших «2»), "
            "от 0 до 100.",
        ),
        Field(
            "high_share",
            "Высокие результаты, %",
            "percent",
            width=13,
            help="Доля участников с высоким результатом (ЕГЭ: 81–100 баллов; ОГЭ, ВПР: «5»), "
            "от 0 до 100.",
        ),
    ),
)


def results_lists(campaign: Campaign) -> dict[str, list[str]]:
    """The dropdowns of the sheet: assessments and every subject."""
    return {
        "assessments": [a.code for a in campaign.results.assessments],
        "subjects": campaign.results.subjects,
    }


def results_due(campaign: Campaign, month: str) -> bool:
    """Whether a report of ``month`` carries the school's results."""
    return month in campaign.results.rules.months
