"""«Аналитическая справка по итогам мониторинга» as a Word document (python-docx).

Sections follow what the project documents ask of the region (models 500+ and of
methodological support, the АСОУ roadmap): participation and timeliness, roadmaps by
direction, МОУО and school indicators with their dynamics, teacher training, targets,
and the municipalities needing attention with recommendations made from the data.
Tables and figures are numbered; charts are drawn by matplotlib as images.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

from ..atomic import atomic_output
from ..campaign.models import Campaign
from ..consolidate import ACCEPTED, ACCEPTED_REMARKS, MISSING, STATUSES, TO_REDO, Consolidation
from ..forms import sheets as F
from ..issues import Severity
from ..ru import count, mid_sentence, number
from ..store import Store
from .schools import indicator_means, stage_records
from .targets import targets

FONT = "Times New Roman"


class _Doc:
    """A document with numbered tables and figures in official style."""

    def __init__(self) -> None:
        from docx import Document
        from docx.shared import Cm, Pt

        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(14)
        style.paragraph_format.space_after = Pt(6)
        for section in self.doc.sections:
            section.left_margin, section.right_margin = Cm(3), Cm(1.5)
            section.top_margin = section.bottom_margin = Cm(2)
        self.tables = 0
        self.figures = 0

    def title(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.bold = True

    def text(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        p = self.doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Cm(1.25)

    def bullet(self, text: str) -> None:
        self.doc.add_paragraph(text, style="List Bullet")

    def table(self, caption: str, headers: list[str], rows: list[list[Any]]) -> None:
        from docx.shared import Pt

        self.tables += 1
        self.doc.add_paragraph(f"Таблица {self.tables} – {caption}")
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, h in zip(table.rows[0].cells, headers, strict=True):
            cell.text = h
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = _shown(value)
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(11)

    def figure(self, caption: str, png: bytes) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        self.figures += 1
        self.doc.add_picture(io.BytesIO(png), width=Cm(16))
        p = self.doc.add_paragraph(f"Рисунок {self.figures} – {caption}")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number(value)
    return str(value)


def _bar_chart(labels: list[str], series: dict[str, list[float | None]], ylabel: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4), dpi=120)
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        xs = [j + i * width for j in range(len(labels))]
        ax.bar(xs, [v or 0 for v in values], width=width, label=name)
    ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(len(labels))])
    ax.set_xticklabels(labels, rotation=0 if len(labels) < 10 else 45, ha="center")
    ax.set_ylabel(ylabel)
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _means(store: Store, subs: Any, period: Any) -> dict[str, float]:
    return indicator_means(rec for _, rec in stage_records(store, subs, period))


def write_brief(store: Store, c: Campaign, cons: Consolidation, path: Path) -> Path:
    """Write the справка for ``cons.period`` to ``path`` (atomically)."""
    period = cons.period
    when = mid_sentence(period.name)
    d = _Doc()
    d.title("АНАЛИТИЧЕСКАЯ СПРАВКА")
    d.title(f"по итогам мониторинга реализации проекта «{c.title}» за {when}")
    d.text(
        f"{c.region}. Составлена {dt.date.today():%d.%m.%Y} по отчётам, поступившим к этой дате."
    )

    # 1. participation and timeliness
    status = Counter(st.status for st in cons.statuses)
    n = len(cons.statuses)
    d.heading("1. Участие муниципальных образований и своевременность отчётов")
    submitted = n - status[MISSING]
    d.text(
        f"Отчёты за {when} представили {submitted} из {count(n, 'муниципального образования', 'муниципальных образований', 'муниципальных образований')} "
        f"(срок — {period.deadline:%d.%m.%Y}); с опозданием — {cons.summary.get('late', 0)}; "
        f"отклонено файлов — {cons.summary.get('rejected', 0)}."
    )
    d.table(
        "Статусы отчётов муниципальных образований",
        ["Статус", "Муниципальных образований", "Доля, %"],
        [[s.ru, status[s], round(100 * status[s] / n, 1) if n else None] for s in STATUSES],
    )

    # 2. roadmaps by direction
    d.heading("2. Дорожные карты ОО по направлениям")
    events: Counter[int] = Counter()
    done: Counter[int] = Counter()
    for s in cons.current.values():
        for rec in store.records(s.hash, period.code, F.ROADMAP.key):
            direction = rec.get("direction")
            if isinstance(direction, int):
                events[direction] += 1
                done[direction] += rec.get("status") == F.DONE
    d.table(
        "Мероприятия дорожных карт по направлениям",
        ["Направление", "Мероприятий", "Выполнено", "Доля выполненных, %"],
        [
            [
                f"{k}. {c.directions[k - 1][:90]}",
                events[k],
                done[k],
                round(100 * done[k] / events[k], 1) if events[k] else None,
            ]
            for k in F.coverage(c).numbers
        ],
    )

    # 3. МОУО indicators
    d.heading("3. Показатели муниципального уровня")
    slot = period.slot
    yes: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for s in cons.current.values():
        for rec in store.records(s.hash, period.code, F.MOUO_KEY):
            value, code = rec.get(F.value_key(slot)), str(rec.get("code") or "")
            if value is not None:
                answered[code] += 1
                yes[code] += value is True
    indicators = [i for i in c.moupo_indicators if slot in i.slots]
    d.table(
        "Показатели МОУО: доля муниципальных образований с ответом «Да»",
        ["Код", "Показатель", "Ответили", "«Да», %"],
        [
            [
                i.code,
                i.wording,
                answered[i.code],
                round(100 * yes[i.code] / answered[i.code], 1) if answered[i.code] else None,
            ]
            for i in indicators
        ],
    )

    # 4. school indicators and their dynamics
    d.heading("4. Показатели ОО и их динамика")
    now = _means(store, cons.current.values(), period)
    earlier = [
        p for p in c.periods[: c.periods.index(period)] if p.stage == period.stage
    ] or c.periods[: c.periods.index(period)]
    before: dict[str, float] = {}
    for p in reversed(earlier):
        subs = [s for s in store.submissions(p.code) if s.outcome == "accepted"]
        before = _means(store, subs, p)
        if before:
            break
    school = [i for i in c.school_indicators if period.stage in i.stages and i.value_type == "%"]
    d.table(
        "Средние значения показателей ОО по региону",
        ["Код", "Показатель", "Сейчас, %", "Прошлый срез, %", "Изменение, п. п."],
        [
            [
                i.code,
                i.wording,
                now.get(i.code),
                before.get(i.code),
                round(now[i.code] - before[i.code], 1)
                if i.code in now and i.code in before
                else None,
            ]
            for i in school
        ],
    )
    if school and now:
        series: dict[str, list[float | None]] = {f"{when}": [now.get(i.code) for i in school]}
        if before:
            series["прошлый срез"] = [before.get(i.code) for i in school]
        d.figure(
            "Средние значения показателей ОО, %",
            _bar_chart([i.code for i in school], series, "%"),
        )

    # 5. teacher training
    d.heading("5. Повышение квалификации педагогов")
    level = c.thresholds.sufficient_level
    teachers = entry = repeat = certified = 0
    for s in cons.current.values():
        for rec in store.records(s.hash, period.code, F.TRAINING.key):
            teachers += 1
            entry += isinstance(rec.get("entry_diag"), int | float) and rec["entry_diag"] >= level
            repeat += (
                isinstance(rec.get("repeat_diag"), int | float) and rec["repeat_diag"] >= level
            )
            certified += bool(rec.get("certificate"))
    d.table(
        "Педагоги в персонифицированном повышении квалификации",
        ["Показатель", "Педагогов"],
        [
            ["Всего в отчётах", teachers],
            [f"Входная диагностика {level:g}–100 %", entry],
            [f"Повторная диагностика {level:g}–100 %", repeat],
            ["Получили удостоверение", certified],
        ],
    )

    # 6. targets
    d.heading("6. Целевые показатели проекта")
    d.table(
        "Целевые показатели: цель и факт",
        ["Показатель", "Цель", "Факт", "Выполнено"],
        [[t.name, t.target, t.actual, t.status] for t in targets(store, c, cons)],
    )

    # 7. attention and recommendations
    d.heading("7. Муниципальные образования, требующие внимания, и адресные рекомендации")
    lines = _recommendations(store, c, cons)
    if not lines:
        d.text("Муниципальных образований, требующих особого внимания, нет.")
    for line in lines:
        d.bullet(line)
    if cons.statuses:
        filled = [
            (
                st.code,
                st.submission.completeness if st.code in cons.current and st.submission else 0,
            )
            for st in cons.statuses
        ]
        d.figure(
            "Заполненность обязательных ячеек по муниципальным образованиям, %",
            _bar_chart([code for code, _ in filled], {"заполнено": [v for _, v in filled]}, "%"),
        )
    with atomic_output(path) as tmp:
        d.doc.save(str(tmp))
    return path


def make_brief(out: Path, period: str, c: Campaign, wait_seconds: float = 600.0) -> Path:
    """The справка from the store of a collect run in ``out`` (``Справка_<period>.docx``)."""
    from ..consolidate import consolidate
    from ..store import run_lock, work_paths

    c.period(period)  # KeyError for an unknown period
    store_path = work_paths(out)["store"]
    if not store_path.exists():
        raise FileNotFoundError(store_path)
    with run_lock(out, wait_seconds):
        store = Store(store_path)
        try:
            cons = consolidate(store, c, period)
            return write_brief(store, c, cons, out / f"Справка_{period}.docx")
        finally:
            store.close()


def _recommendations(store: Store, c: Campaign, cons: Consolidation) -> list[str]:
    """One recommendation per municipality needing attention, made from its data: its
    status and errors, and its schools' zones of low quality (see «Кластеры ОО»)."""
    from .clusters import cluster_schools, period_schools

    period = cons.period
    zones, indicators = period_schools(store, c, cons)
    if isinstance(cluster_schools(zones, indicators), str):
        zones = []  # too few schools to tell a zone from the region's spread
    helps = {i.code: i.target_group for i in c.school_indicators if i.target_group}
    out = []
    for st in cons.statuses:
        findings = [f for f in cons.findings_of(st.name) if f["severity"] == Severity.ERROR.ru]
        if st.status == MISSING:
            out.append(
                f"{st.name}: отчёт за {mid_sentence(period.name)} не представлен. Рекомендуется "
                f"направить координатору напоминание с персональным шаблоном и согласовать срок."
            )
            continue
        if st.status == TO_REDO and st.code not in cons.current:  # only a rejected file
            out.append(
                f"{st.name}: присланный файл не удалось прочитать как отчёт (причина — в "
                "письме муниципалитету). Рекомендуется заполнить персональный шаблон и "
                "представить отчёт заново."
            )
            continue
        if st.status == TO_REDO:
            codes = ", ".join(
                code for code, _ in Counter(f["code"] for f in findings).most_common(3)
            )
            out.append(
                f"{st.name}: отчёт возвращён на доработку ({count(len(findings), 'ошибка', 'ошибки', 'ошибок')}; "
                f"чаще всего — {codes or 'файл не прочитан'}). Рекомендуется исправить замечания по "
                "копии файла с пометками и представить отчёт повторно."
            )
        if st.status not in (ACCEPTED, ACCEPTED_REMARKS) or st.code not in cons.current:
            continue
        weak: Counter[str] = Counter(
            code for s in zones if s.municipality == st.name for code in s.zones
        )
        if weak:
            code, schools = weak.most_common(1)[0]
            group = helps.get(code)
            if group is None:  # the campaign names no target group for this indicator
                out.append(
                    f"{st.name}: показатель {code} — зона низкого качества (ниже среднего по "
                    f"региону больше чем на одно стандартное отклонение) в "
                    f"{count(schools, 'ОО', 'ОО', 'ОО')}. Целевая группа мероприятий для "
                    "этого показателя в кампании не указана (лист «Показатели», столбец "
                    "«Целевая группа мероприятий»): мероприятия подберите по профилю ОО."
                )
                continue
            events = [e.name for e in c.events_for(group)][:2]
            out.append(
                f"{st.name}: показатель {code} — зона низкого качества (ниже среднего по "
                f"региону больше чем на одно стандартное отклонение) в "
                f"{count(schools, 'ОО', 'ОО', 'ОО')}. "
                f"Рекомендуется включить в дорожные карты этих ОО (направление 5) мероприятия "
                f"для целевой группы «{group}»"
                + (
                    f": «{events[0]}»" + (f" или «{events[1]}»" if len(events) > 1 else "")
                    if events
                    else ""
                )
                + "."
            )
    return out
