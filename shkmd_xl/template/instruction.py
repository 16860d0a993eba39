"""Инструкция: how to fill, deadlines, whom to send to, colour legend, catalogue."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import palette as P
from ..campaign.models import Campaign
from ..forms import sheets as F
from .data_sheets import protect
from .styles import (
    GREY_FILL,
    INPUT_FILL,
    INVALID_FILL,
    MISSING_FILL,
    REMARK_ERROR_FILL,
    REMARK_WARNING_FILL,
    Styles,
    text_height,
)

STEPS = (
    "1. Лист «Титул»: выберите отчётный период и проверьте данные координатора.",
    "2. Лист «Паспорт ДК»: для каждой ОО укажите период дорожной карты (в пределах одного "
    "учебного года: с 1 сентября по 31 августа), кем и когда она утверждена, директора.",
    "3. Лист «Дорожные карты»: по строке на мероприятие. У каждой ОО должны быть мероприятия "
    "всех направлений (1–{directions}); в направлении {groups_in} — хотя бы одно мероприятие "
    "для каждой целевой группы из каталога ниже, согласованное с региональным координатором; "
    "в направлении {cuts_in} — начальный, промежуточный и итоговый срезы мониторинга.",
    "4. Лист «Мониторинг МОУО»: для показателей выбранного месяца поставьте «Да» или «Нет» и "
    "дайте ссылку на страницу сайта МОУО. Серые ячейки в этом месяце не заполняются.",
    "5. Лист «Мониторинг ОО»: значения показателей каждой ОО в строке нужного этапа "
    "({stages}). Проценты — числом от 0 до 100.",
    "6. Лист «Результаты обучения» (в отчёте за {results_months}): по строке на ОО × "
    "процедуру × предмет × класс — участников, средний балл (ОГЭ, ВПР: средняя отметка), доли "
    "не преодолевших минимальный порог и высоких результатов (от 0 до 100). Процедуры и "
    "предметы — из списков; у каждой процедуры свои предметы, классы и шкала.",
    "7. Лист «Повышение квалификации»: по строке на педагога (техническое задание и отчёт "
    "о курсах).",
    "8. Лист «Контроль» показывает, что ещё не заполнено. Отправляйте файл, когда там "
    "написано «Готово к отправке». Не переименовывайте листы и заголовки столбцов.",
)


def stages_in_months(c: Campaign) -> str:
    """«I — апрель, II — июнь, III — ноябрь»: the stages of the campaign's months."""
    by_stage: dict[str, list[str]] = {}
    for m in c.months:
        by_stage.setdefault(m.stage, []).append(m.name.lower())
    return ", ".join(f"{stage} — {' и '.join(names)}" for stage, names in by_stage.items())


def write_instruction(
    wb: Workbook, ws: Worksheet, st: Styles, c: Campaign, municipality: str | None
) -> None:
    """Write the Инструкция sheet."""
    wb_format = ws.write_string
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 100)
    text, bold = st.text, st.bold
    ws.write_string(0, 0, f"{c.title}: отчёт муниципального образования", st.title)
    ws.repeat_rows(0)  # the title on every printed page
    r = 2
    if c.demo:
        wb_format(r, 0, "ВНИМАНИЕ: демонстрационная кампания, реестр ОО вымышленный.", bold)
        r += 2
    if municipality:
        wb_format(r, 0, "Муниципальное образование:", bold)
        wb_format(r, 1, c.municipality(municipality).name, text)
        r += 2
    wb_format(r, 0, "Порядок заполнения", bold)
    for step in STEPS:
        cov = F.coverage(c)
        step = step.format(
            stages=stages_in_months(c),
            directions=cov.directions,
            groups_in=cov.groups_in,
            cuts_in=cov.cuts_in,
            results_months=", ".join(m.lower() for m in c.results.rules.months),
        )
        r += 1
        ws.set_row(r, text_height(step, 100))
        wb_format(r, 1, step, text)
    r += 2
    wb_format(r, 0, "Сроки представления", bold)
    for p in c.periods:
        r += 1
        wb_format(r, 0, p.name)
        wb_format(r, 1, f"до {p.deadline:%d.%m.%Y}")
    r += 2
    wb_format(r, 0, "Куда отправлять", bold)
    wb_format(r, 1, f"{c.office} — {c.office_email}".strip(" —"), text)
    r += 2
    wb_format(r, 0, "Цвета ячеек", bold)
    legend = (
        (INPUT_FILL, "", "заполните"),
        (MISSING_FILL, "missing", "обязательная ячейка не заполнена (рамка точками)"),
        (INVALID_FILL, "invalid", "недопустимое значение (рамка «штрих-точка»)"),
        (GREY_FILL, "", "в этом периоде не заполняется"),
        (
            REMARK_ERROR_FILL,
            "error",
            "ошибка, найденная проверкой (кнопка «Проверить» или копия от региона; сплошная рамка)",
        ),
        (REMARK_WARNING_FILL, "warning", "предупреждение проверки (рамка штрихами)"),
    )
    for colour, kind, meaning in legend:
        r += 1
        border, _, frame = P.MARK_LINES[kind] if kind else (1, "", "#000000")
        swatch = {"bg_color": colour, "border": border, "border_color": frame}
        ws.write_blank(r, 0, None, wb.add_format(swatch))
        wb_format(r, 1, meaning)
    r += 2
    wb_format(r, 0, "Каталог мероприятий (направление 5)", bold)
    for e in c.catalogue:
        r += 1
        wb_format(r, 0, e.target_group, text)
        # a limit the region has not set is a default, not its rule: not printed
        cap = f" (лимит участников: {e.capacity})" if e.capacity and e.capacity_set else ""
        line = f"{e.name}{cap} — {e.organisers}"
        ws.set_row(r, max(text_height(e.target_group, 28), text_height(line, 100)))
        wb_format(r, 1, line, text)
    ws.hide_gridlines(2)
    protect(ws)
