"""Consolidation -> the regional workbook (xlsxwriter, constant memory, text stays text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from .. import palette as P
from ..atomic import atomic_output
from ..campaign.models import Campaign
from ..consolidate.consolidation import Consolidation
from ..consolidate.decisions import describe
from ..figures.base import counted, history, school_means
from ..figures.brief import sufficient
from ..figures.results import ResultsFigures, results_figures
from ..figures.targets import targets
from ..forms import sheets as F
from ..issues import COLUMN_WIDTHS, REGIONAL_COLUMNS, titles, widths
from ..messages import render
from ..printing import A4_PT, LINE_PT, TOP_IN, row_height
from ..reader.values import deadline_shown
from ..ru import date as ru_date
from ..statuses import STATUSES
from ..store.mail import FAILED, NO_ADDRESS, SENT, TEMPORARY, MailLog
from ..store.sqlite import Store
from .decisions import decisions_sheet
from .results_outputs import write_results_sheets
from .writer import OPTIONS, Writer, page_setup

if TYPE_CHECKING:
    from ..figures.clusters import Clustering

#: The municipality's column of every regional table (as on «Пробелы»).
MUNICIPALITY_WIDTH = COLUMN_WIDTHS["municipality"]
#: «Сводка»: column widths, and the first column of its second printed page width.
SUMMARY_WIDTHS = (7, 30, 18, 12, 40, 22, 11, 9, 17, 10, 26)
SUMMARY_SECOND_PAGE = 6
#: «Динамика»: the least height (points) of the region's chart under its table.
CHART_LEAST_PT = 240


def _records(store: Store, cons: Consolidation, form: str) -> Iterable[tuple[str, dict]]:
    for code, s in sorted(cons.current.items()):
        for rec in store.records(s.hash, cons.period.code, form):
            yield code, rec


def _date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _summary(w: Writer, c: Campaign, cons: Consolidation) -> None:
    headers = [
        "Код",
        "Муниципальное образование",
        "Статус",
        "Получен",
        "Файл",
        "Отправитель",
        "Заполнено, %",
        "Ошибок",
        "Предупреждений",
        "Сведений",
        "Решение региона",
    ]
    ws = w.wb.add_worksheet("Сводка")
    ws.set_row(0, 30)  # two lines: «Заполнено, %» wraps whole
    for col, h in enumerate(headers):
        ws.write_string(0, col, h, w.header)
    # two printed page widths (A4 landscape at the charts' 80 %): «Код … Отправитель», then
    # the municipality again with the figures and the decision; long text wraps
    widths = SUMMARY_WIDTHS
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    wrap = w.wb.add_format({"text_wrap": True, "valign": "top"})
    status = {
        k: w.wb.add_format({"bg_color": v, "text_wrap": True, "valign": "top"})
        for k, v in P.STATUS.items()
    }
    top = w.wb.add_format({"valign": "top"})
    wrapped = {1, 2, 3, 4, 5, 10}
    for r, st in enumerate(cons.statuses, 1):
        s = st.submission
        row = [
            st.code,
            st.name,
            st.status.ru,
            ru_date(s.received_at) if s else "",
            s.original_name if s else "",
            s.sender if s else "",
            s.completeness if s else None,  # no report: no figure (not 0 %)
            st.errors,
            st.warnings,
            st.infos,
            describe(st.decision, st.decided),
        ]
        # LibreOffice keeps a row's height as written: the wrapped text's height
        lines = [row_height(str(v), widths[c]) for c, v in enumerate(row) if c in wrapped and v]
        ws.set_row(r, max([15.0, *lines]))
        for col, value in enumerate(row):
            fmt = status[st.status] if col == 2 else wrap if col in wrapped else top
            w.cell(ws, r, col, value, fmt)
    n = len(cons.statuses)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, n, len(headers) - 1)
    ws.set_v_pagebreaks([SUMMARY_SECOND_PAGE])
    base = n + 3
    # the status counts and the charts print on their own page, under the table's first
    # page width: whole, not cut at the page's right edge (issue 17)
    ws.set_h_pagebreaks([base])
    ws.print_across()  # the table's two page widths first, then the charts
    ws.write_string(base, 1, "Статус", w.header)  # column B: wide enough for every status
    ws.write_string(base, 2, "Муниципалитетов", w.header)
    for i, status_ in enumerate(STATUSES, 1):
        ws.write_string(base + i, 1, status_.ru, w.status[status_])
        ws.write_number(base + i, 2, sum(1 for st in cons.statuses if st.status == status_))
    pie = w.wb.add_chart({"type": "pie"})
    pie.add_series(
        {
            "name": "Статусы",
            "categories": ["Сводка", base + 1, 1, base + len(STATUSES), 1],
            "values": ["Сводка", base + 1, 2, base + len(STATUSES), 2],
            "data_labels": {"value": True},
            "points": [{"fill": {"color": P.STATUS[s]}} for s in STATUSES],
        }
    )
    pie.set_title({"name": f"Статусы отчётов: {cons.period.name}"})
    pie.set_size({"width": 400, "height": 260})
    ws.insert_chart(base, 3, pie, {"x_offset": 10})
    bar = w.wb.add_chart({"type": "bar"})
    bar.add_series(
        {
            "name": "Заполнено, %",
            "categories": ["Сводка", 1, 1, n, 1],
            "values": ["Сводка", 1, 6, n, 6],
        }
    )
    bar.set_title({"name": "Заполненность обязательных ячеек, %"})
    bar.set_x_axis({"min": 0, "max": 100})
    bar.set_y_axis({"reverse": True})  # municipalities top to bottom, as in the table
    bar.set_size({"width": 640, "height": 18 * max(n, 8) + 90})
    bar.set_legend({"none": True})
    ws.insert_chart(base + 15, 1, bar)


def _gaps(w: Writer, cons: Consolidation) -> None:
    headers = titles(REGIONAL_COLUMNS)
    rows = ([f[k] for k in REGIONAL_COLUMNS] for f in cons.findings)
    text = ("municipality", "file", "sheet", "school", "value", "message")  # wraps: whole
    wrap = [i for i, c in enumerate(REGIONAL_COLUMNS) if c in text]
    w.table("Пробелы", headers, rows, widths(REGIONAL_COLUMNS), wrap=wrap)


#: «Дорожные карты»: the municipality's width and those of the form's columns where they
#: differ from the template's — each printed page width (A4 landscape at its smallest
#: readable scale) holds its columns, text wraps in them — and the first column of the
#: second page width.
ROADMAP_MUNICIPALITY_WIDTH = 26
ROADMAP_WIDTHS = {
    "school": 26,
    "event": 60,
    "responsible": 20,
    "responsible_position": 18,
    "expected": 28,
    "evidence": 22,
    "planned_indicator": 24,
}
ROADMAP_SECOND_PAGE = "responsible"


def _roadmaps(w: Writer, store: Store, c: Campaign, cons: Consolidation) -> None:
    """Each event of the roadmaps, on two printed page widths, each with the municipality
    and the school: the event and its dates, then who answers for it and what came of it.
    Text wraps in its column (the event ran into the next columns and printed cut)."""
    fields = F.ROADMAP.fields
    keys = [f.key for f in fields]
    rows = (
        [c.municipality(code).name, *[_date(_cell(rec.get(k))) for k in keys]]
        for code, rec in _records(store, cons, F.ROADMAP.key)
    )
    wrapped = [
        0,
        *(i for i, f in enumerate(fields, 1) if f.kind in ("school", "text", "fio", "choice")),
    ]
    w.table(
        F.ROADMAP.name,
        ["Муниципальное образование", *F.ROADMAP.labels],
        rows,
        (ROADMAP_MUNICIPALITY_WIDTH, *(ROADMAP_WIDTHS.get(f.key, f.width) for f in fields)),
        wrap=wrapped,
        centre=[keys.index("direction") + 1],
        keys=2,  # the municipality and the school on each page width
        breaks=[keys.index(ROADMAP_SECOND_PAGE) + 1],
    )


def _passports(w: Writer, store: Store, c: Campaign, cons: Consolidation) -> None:
    """Паспорта дорожных карт: periods, approval, director, mentor school and curator."""
    keys = [f.key for f in F.PASSPORT.fields]
    rows = (
        [c.municipality(code).name, *[_date(rec.get(k)) for k in keys]]
        for code, rec in _records(store, cons, F.PASSPORT.key)
    )
    w.table(
        "Паспорта ДК",
        ["Муниципальное образование", *F.PASSPORT.labels],
        rows,
        (MUNICIPALITY_WIDTH, *(f.width for f in F.PASSPORT.fields)),
        keys=2,  # the municipality and the school on each page width
    )


def _cell(value: Any) -> Any:
    return deadline_shown(value) if isinstance(value, list) else value


def _mouo(w: Writer, store: Store, c: Campaign, cons: Consolidation) -> None:
    slot = cons.period.slot
    indicators = [i for i in c.moupo_indicators if slot in i.slots]
    values = {
        code: {
            rec.get("code"): rec.get(F.value_key(slot))
            for rec in store.records(s.hash, cons.period.code, F.MOUO_KEY)
        }
        for code, s in cons.current.items()
    }
    headers = [
        "Муниципальное образование",
        *(f"{i.code}. {i.wording}" for i in indicators),
        "Доля «Да», %",
    ]
    rows: list[list[Any]] = []
    for m in c.municipalities:
        if m.code not in values:  # its status says why: not sent, or unreadable
            status = next(st.status for st in cons.statuses if st.code == m.code)
            rows.append([m.name, *(status.ru for _ in indicators), None])
            continue
        got = [values[m.code].get(i.code) for i in indicators]
        yes = sum(1 for v in got if v is True)
        rows.append([m.name, *got, round(100 * yes / max(len(indicators), 1), 1)])
    w.table("Мониторинг МОУО", headers, rows, (40, *([18] * len(indicators)), 12), 150)


def _school_mon(w: Writer, store: Store, c: Campaign, cons: Consolidation) -> None:
    codes = [i.code for i in c.school_indicators if cons.period.stage in i.stages]
    rows = (
        [
            c.municipality(code).name,
            rec.get("school"),
            rec.get("stage"),
            *(rec.get(k) for k in codes),
        ]
        for code, rec in _records(store, cons, F.SCHOOL_MON_KEY)
        if rec.get("stage") == cons.period.stage
    )
    wording = {i.code: i.wording for i in c.school_indicators}
    w.table(
        F.SCHOOL_MON_NAME,
        ["Муниципальное образование", "ОО", "Этап", *(f"{k}. {wording[k]}" for k in codes)],
        rows,
        (34, 28, 6, *([16] * len(codes))),
        150,  # the indicators' wording, wrapped
        keys=3,  # the municipality, the school and the stage on each page width
    )


def _training(
    w: Writer, store: Store, c: Campaign, cons: Consolidation, only_sufficient: bool
) -> None:
    keys = [f.key for f in F.TRAINING.fields]
    listed = (
        sufficient(c, store, counted(cons))  # the справка counts the same rows
        if only_sufficient
        else _records(store, cons, F.TRAINING.key)
    )
    rows = ([c.municipality(code).name, *(_date(rec.get(k)) for k in keys)] for code, rec in listed)
    name = "Педагоги 95–100%" if only_sufficient else F.TRAINING.name
    w.table(
        name,
        ["Муниципальное образование", *F.TRAINING.labels],
        rows,
        (MUNICIPALITY_WIDTH, *(f.width for f in F.TRAINING.fields)),
        keys=2,  # the municipality and the teacher on each page width
    )


def _dynamics(w: Writer, store: Store, c: Campaign, cons: Consolidation) -> None:
    """Each school indicator per municipality over the periods so far (mean over the
    municipality's schools), and the region's mean over schools — the справка's value."""
    periods = history(store, c, cons)
    series: dict[tuple[str, str], dict[str, float]] = {}
    regional: dict[str, dict[str, float]] = {}
    codes = [i.code for i in c.school_indicators]
    for p in periods:
        rows_of: dict[str, list[dict[str, Any]]] = {}
        for code, rec in p.school_rows(store):
            rows_of.setdefault(code, []).append(rec)
        for m, recs in rows_of.items():
            for k, value in school_means(recs, codes).items():
                series.setdefault((m, k), {})[p.period.code] = value
        for k, value in school_means((r for rs in rows_of.values() for r in rs), codes).items():
            regional.setdefault(k, {})[p.period.code] = value
    wording = {i.code: i.wording for i in c.school_indicators}
    percent = [i.code for i in c.school_indicators if i.value_type == "%"]
    names = [p.period.name for p in periods]
    headers = ["Муниципальное образование", "Показатель", "Название показателя", *names]
    rows = [
        [c.municipality(m).name, k, wording.get(k, ""), *(vals.get(p.period.code) for p in periods)]
        for (m, k), vals in sorted(series.items())
    ]
    # municipality and wording wrap in their columns (they ran under the period columns
    # and printed cut: «…профессиональных компетен», «Восточный … (демо»)
    ws, n = w.table("Динамика", headers, rows, (42, 10, 62, *([14] * len(periods))), wrap=(0, 2))
    first = 3  # the first period's column
    # the region: periods with data only (a month that does not collect these indicators
    # would break the chart's lines), percentages only (counts have another scale)
    shown = [p.period for p in periods if any(p.period.code in v for v in regional.values())]
    region = [[k, *(regional[k].get(p.code) for p in shown)] for k in percent if k in regional]
    base = n + 3
    # the region's table and its chart on their own page, inside the table's page width
    # (the chart stood right of the table and printed cut at the page's right edge)
    ws.set_h_pagebreaks([base])
    ws.set_row(base, 30)  # a period's name wraps: «Апрель» / «2026»
    ws.write_string(base, 0, "Регион, среднее по ОО, %", w.header)
    for j, period in enumerate(shown):
        ws.write_string(base, first + j, period.name, w.header)
    for i, row in enumerate(region, 1):
        ws.write_string(base + i, 1, str(row[0]))
        ws.write_string(base + i, 2, f"{row[0]} {wording.get(str(row[0]), '')}"[:80])
        for j, v in enumerate(row[1:]):
            w.cell(ws, base + i, first + j, v)
    values = [v for row in region for v in row[1:] if isinstance(v, int | float)]
    if region and len(shown) > 1 and values:
        chart = w.wb.add_chart({"type": "line"})
        for i in range(1, len(region) + 1):
            chart.add_series(
                {
                    "name": ["Динамика", base + i, 2],  # code and wording of the indicator
                    "categories": ["Динамика", base, first, base, first - 1 + len(shown)],
                    "values": ["Динамика", base + i, first, base + i, first - 1 + len(shown)],
                    "marker": {"type": "circle"},
                }
            )
        chart.set_title({"name": "Показатели ОО по периодам, % (среднее по ОО региона)"})
        low = max(0, 5 * int(min(values) // 5) - 5)  # the axis fits the data: a drop shows
        high = min(100, 5 * int(max(values) // 5) + 10)
        chart.set_y_axis({"min": low, "max": high, "name": "%"})
        chart.show_blanks_as("span")
        chart.set_legend({"position": "bottom"})  # the plot keeps the chart's width
        # the chart under the region's table on the same page (A4 landscape at 100 %, the
        # largest scale: its legend ran onto a page of its own), or on the next page
        # when the table leaves too little room
        below = base + len(region) + 2
        page = A4_PT[0] - 2 * TOP_IN * 72 - 3 * LINE_PT  # the repeated header row above
        room = page - 30 - LINE_PT * (len(region) + 2)
        if room < CHART_LEAST_PT:
            ws.set_h_pagebreaks([base, below])
            room = page
        chart.set_size({"width": 760, "height": min(420, int(room / 0.75))})
        ws.insert_chart(below, 0, chart)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _clusters(
    w: Writer, c: Campaign, learning: ResultsFigures, clustering: tuple[Clustering | str, list[str]]
) -> list[Any]:
    """«Кластеры ОО»: schools grouped by indicator profile (when they form distinct
    groups), their weak monitoring indicators (not the results' zones of low quality), the grouping's quality and method in words."""
    from ..figures.clusters import method_text

    result, indicators = clustering
    # the regional cluster model (seed 000): results described per group of schools
    integral = {(r.municipality, r.school.short_name): r.integral for r in learning.schools}
    headers = [
        "Муниципальное образование",
        "ОО",
        "Группа (кластер)",
        "Слабые показатели мониторинга",
        *indicators,
        "Интегральный показатель (результаты)",
    ]
    if isinstance(result, str):
        ws, n = w.table("Кластеры ОО", headers, [], (34, 28, 9, 30))
        ws.write_string(n + 2, 0, render("clusters.not_built", reason=result), w.wrap)
        return []
    rows = (
        [
            s.municipality,
            s.name,
            s.cluster if result.distinct else "—",
            ", ".join(s.zones),
            *(s.values[k] for k in indicators),
            _rounded(integral.get((s.municipality, s.name))),
        ]
        for s in sorted(result.schools, key=lambda s: (s.cluster, s.municipality, s.name))
    )
    # two printed page widths, each with the municipality and the school: the group, its
    # zones and the first half of the indicators, then the rest (the last column printed
    # alone on three pages)
    second = 4 + (len(indicators) + 1) // 2
    ws, n = w.table(
        "Кластеры ОО",
        headers,
        rows,
        (34, 28, 12, 30, *([8] * len(indicators)), 14),
        keys=2,
        breaks=[second],
    )

    def note(row: int, text: str) -> None:
        # wrapped over the first page width right of the repeated columns (a note
        # under them would print cut on the second page width)
        ws.merge_range(row, 2, row, second - 1, text, w.wrap)
        ws.set_row(row, row_height(text, sum(w.widths["Кластеры ОО"][2:second])))

    base = n + 2
    note(base, result.quality())
    after = base + 1
    if result.distinct:
        for j, label in enumerate(["Группа", "ОО", "Профиль группы"], 1):
            ws.write_string(base + 1, j, label, w.header)
        for j, k in enumerate(indicators, 4):
            ws.write_string(base + 1, j, f"{k}, среднее", w.header)
        last = 4 + len(indicators)
        ws.write_string(base + 1, last, "Интегральный показатель, среднее", w.header)
        for i, cl in enumerate(result.clusters, base + 2):
            ws.write_number(i, 1, cl.number)
            ws.write_number(i, 2, cl.size)
            ws.write_string(i, 3, cl.profile, w.wrap)
            for j, k in enumerate(indicators, 4):
                ws.write_number(i, j, cl.means[k])
            values = [
                v
                for s in result.schools
                if s.cluster == cl.number
                and (v := integral.get((s.municipality, s.name))) is not None
            ]
            if values:
                ws.write_number(i, last, round(sum(values) / len(values), 2))
        after = base + 3 + len(result.clusters)
    for i, text in enumerate(method_text(indicators)):
        note(after + i, text)
    return [s for s in result.schools if s.zones]


def _recommendations(w: Writer, c: Campaign, zones: list[Any]) -> None:
    """«Рекомендации»: each school's indicators in the zone of low quality with the
    catalogue's events the campaign recommends for them and the recommendation's source
    (the campaign's «Рекомендации»)."""
    from ..figures.brief import recommended

    events_of = recommended(c)
    wording = {i.code: i.wording for i in c.school_indicators}
    rows = []
    for s in sorted(zones, key=lambda s: (s.municipality, s.name)):
        for code in s.zones:
            recs = events_of.get(code, [])
            rows.append(
                [
                    s.municipality,
                    s.name,
                    code,
                    wording.get(code, code),
                    "; ".join(r.event for r in recs) or render("figures.recommendation.none"),
                    "; ".join(sorted({r.source_text() for r in recs})) or "—",
                ]
            )
    w.table(
        "Рекомендации",
        [
            "Муниципальное образование",
            "ОО",
            "Показатель в зоне низкого качества",
            "Формулировка",
            "Рекомендуемые мероприятия каталога",
            "Источник рекомендации",
        ],
        rows,
        (34, 28, 12, 50, 60, 40),
        wrap=(0, 1, 3, 4, 5),
        keys=2,
    )


def _targets(
    w: Writer, store: Store, c: Campaign, cons: Consolidation, learning: ResultsFigures
) -> None:
    rows = [
        [t.name, t.target, t.actual, t.status, t.base, t.note, t.source]
        for t in targets(store, c, cons, learning)
    ]
    w.table(
        "Показатели проекта",
        ["Показатель", "Цель", "Факт", "Выполнено", "База", "Как считается", "Источник цели"],
        rows,
        (50, 14, 18, 24, 40, 70, 60),
        wrap=(0, 1, 2, 3, 4, 5, 6),  # long text whole (it ran onto a page width of its own)
    )


def _sources(w: Writer, store: Store, cons: Consolidation) -> None:
    replies = _replies(store)
    headers = [
        "Получен",
        "Откуда (письмо › архив › файл)",
        "Отправитель",
        "Муниципальное образование",
        "Исход",
        "Версия шаблона",
        "Контрольная сумма",
    ]
    rows = (
        [
            ru_date(s["received_at"]),
            s["chain"],
            s["sender"],
            s["municipality"],
            s["outcome"],
            s["template_version"],
            s["hash"],
            *([replies.get(s["chain"].split(" › ")[0], "")] if replies else []),
        ]
        for s in cons.sources
    )
    if replies:  # the mailbox is used: which of our letters a reply answers
        headers.append("Ответ на письмо")
    w.table("Источники", headers, rows, (17, 60, 28, 34, 30, 10, 66, 60), wrap=(1, 2, 3, 4))


def _replies(store: Store) -> dict[str, str]:
    """Fetched messages that answer a letter we sent (In-Reply-To / References): the
    message's file name in the inbox -> «subject (sent dd.mm.yyyy)» of that letter."""
    log = MailLog(store)
    sent = log.sent_by_id()
    if not sent:
        return {}
    out = {}
    for f in log.fetched():
        for mid in f["answers"].split():
            if mid in sent:
                letter = sent[mid]
                out[Path(f["file"]).name] = f"{letter['subject']} ({ru_date(letter['at'])})"
                break
    return out


def _letters(w: Writer, store: Store, c: Campaign, period: str) -> None:
    """«Письма»: each letter of the period sent over the mailbox, with its outcome (a
    permanent refusal says the server's reply). Only when letters were sent."""
    rows = MailLog(store).letters(period)
    if not rows:
        return
    names = {m.code: m.name for m in c.municipalities}
    status = {k: render(f"mail.outcome.{k}") for k in (SENT, FAILED, TEMPORARY, NO_ADDRESS)}
    w.table(
        "Письма",
        ["Муниципалитет", "Тема", "Кому", "Итог", "Когда", "Ответ сервера"],
        (
            [
                names.get(r["municipality"], r["municipality"]),
                r["subject"],
                r["recipient"],
                status.get(r["status"], r["status"]),
                ru_date(r["at"]),
                r["reply"],
            ]
            for r in rows
        ),
        (24, 60, 30, 30, 17, 60),
        wrap=(0, 1, 2, 3, 5),
        breaks=[4],  # the letter, then when and the server's reply
    )


def write_regional_workbook(
    store: Store,
    c: Campaign,
    cons: Consolidation,
    path: Path,
    clustering: Callable[[], tuple[Clustering | str, list[str]]] | None = None,
) -> Path:
    """Write the regional workbook atomically (temp file, then rename). ``clustering``:
    the period's clustering already started (``figures.clusters.period_clustering`` in
    collect's process pool, beside the other sheets); by default computed here."""
    from ..figures.clusters import period_clustering

    clustering = clustering or period_clustering(store, c, cons)
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {**OPTIONS, "tmpdir": str(path.parent)})
        w = Writer(wb)
        _summary(w, c, cons)
        decisions_sheet(w, cons)
        _gaps(w, cons)
        _passports(w, store, c, cons)
        _roadmaps(w, store, c, cons)
        _mouo(w, store, c, cons)
        _school_mon(w, store, c, cons)
        _training(w, store, c, cons, only_sufficient=False)
        _training(w, store, c, cons, only_sufficient=True)
        _dynamics(w, store, c, cons)
        learning = results_figures(store, c, cons)  # once: every sheet prints these
        zones = _clusters(w, c, learning, clustering())
        write_results_sheets(w, learning, c)
        _targets(w, store, c, cons, learning)
        _recommendations(w, c, zones)
        _sources(w, store, cons)
        _letters(w, store, c, cons.period.code)
        page_setup(wb, c.region, cons.period.name)
        wb.set_properties(
            {
                "title": f"{c.title}: свод за {cons.period.name}",
                "author": "shkmd_xl",
                "created": dt.datetime(2026, 1, 1),
            }
        )
        wb.close()
    return path


__all__ = ["write_regional_workbook"]
