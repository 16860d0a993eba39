"""«Аналитическая справка по итогам мониторинга» as a Word document (python-docx).

Sections follow what the project documents ask of the region (models 500+ and of
methodological support, the АСОУ roadmap): participation and timeliness, roadmaps by
direction, МОУО and school indicators with their dynamics, teacher training, targets,
and the municipalities needing attention with recommendations made from the data.
Tables and figures are numbered; charts are drawn by matplotlib as images.

Layout only: the figures come from ``figures.brief_figures`` (computed once, no
prose), the wording from the catalogue («brief.*» in ``messages/ru.json``).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ..atomic import atomic_output
from ..campaign.models import Campaign
from ..consolidate.consolidation import Consolidation
from ..figures.base import share
from ..figures.brief import Attention, BriefFigures, brief_figures
from ..forms import sheets as F
from ..messages import render
from ..ru import count, mid_sentence, number
from ..store.sqlite import Store

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


def _columns(key: str, **params: Any) -> list[str]:
    """A table's column titles from the catalogue («Код|Показатель|…»)."""
    return render(key, **params).split("|")


def write_brief(store: Store, c: Campaign, cons: Consolidation, path: Path) -> Path:
    """Write the справка for ``cons.period`` to ``path`` (atomically)."""
    f = brief_figures(store, c, cons)
    _write(f, c, path)
    return path


def _write(f: BriefFigures, c: Campaign, path: Path) -> None:
    """Lay out the figures in Word: each section from its figures, wording from the
    catalogue («brief.*»)."""
    when = mid_sentence(f.period.name)
    d = _Doc()
    d.title(render("brief.title"))
    d.title(render("brief.subtitle", title=c.title, when=when))
    d.text(render("brief.made", region=c.region, date=dt.date.today()))

    d.heading(render("brief.participation"))
    total = count(
        f.municipalities,
        "муниципального образования",
        "муниципальных образований",
        "муниципальных образований",
    )
    d.text(
        render(
            "brief.participation.text",
            when=when,
            submitted=f.submitted,
            total=total,
            deadline=f.period.deadline,
            late=f.late,
            rejected=f.rejected,
        )
    )
    returned = sorted(c.municipality(code).name for code in f.counted.returned)
    d.text(
        render(
            "brief.counted",
            reports=f.counted.reports,
            returned=render("brief.counted.returned", names=", ".join(returned), n=len(returned))
            if returned
            else render("brief.counted.none_returned"),
        )
    )
    d.table(
        render("brief.participation.table"),
        _columns("brief.participation.columns"),
        [[s.ru, n, share(n, f.municipalities)] for s, n in f.statuses.items()],
    )

    d.heading(render("brief.roadmaps"))
    d.table(
        render("brief.roadmaps.table"),
        _columns("brief.roadmaps.columns"),
        [[f"{r.number}. {r.name[:90]}", r.events, r.done, r.done_share] for r in f.directions],
    )

    d.heading(render("brief.mouo"))
    d.table(
        render("brief.mouo.table"),
        _columns("brief.mouo.columns"),
        [[m.code, m.wording, m.answered, m.yes_share] for m in f.mouo],
    )

    d.heading(render("brief.school"))
    d.table(
        render("brief.school.table"),
        _columns(
            "brief.school.columns",
            now=f.period.name,
            before=f.before.name if f.before else render("brief.school.before"),
        ),
        [[m.code, m.wording, m.now, m.before, m.change] for m in f.school],
    )
    if any(m.now is not None for m in f.school):
        series: dict[str, list[float | None]] = {f.period.name: [m.now for m in f.school]}
        if f.before is not None:
            series[f.before.name] = [m.before for m in f.school]
        d.figure(render("brief.school.figure"), _bar_chart([m.code for m in f.school], series, "%"))

    d.heading(render("brief.training"))
    t = f.training
    d.table(
        render("brief.training.table"),
        _columns("brief.training.columns"),
        [
            [render("brief.training.all"), t.teachers],
            [render("brief.training.entry", level=t.level), t.entry],
            [render("brief.training.repeat", level=t.level), t.repeat],
            [render("brief.training.either", level=t.level), t.either],
            [render("brief.training.certified"), t.certified],
        ],
    )

    d.heading(render("brief.targets"))
    d.table(
        render("brief.targets.table"),
        _columns("brief.targets.columns"),
        [[g.name, g.target, g.actual, g.status, g.base] for g in f.targets],
    )

    d.heading(render("brief.attention"))
    lines = [_attention(a, c, when) for a in f.attention]
    if not lines:
        d.text(render("brief.attention.none"))
    for line in lines:
        d.bullet(line)
    if f.completeness:
        d.figure(
            render("brief.completeness.figure"),
            _bar_chart(
                [code for code, _ in f.completeness],
                {render("brief.completeness.series"): [v for _, v in f.completeness]},
                "%",
            ),
        )
    with atomic_output(path) as tmp:
        d.doc.save(str(tmp))


def _attention(a: Attention, c: Campaign, when: str) -> str:
    """A recommendation in words."""
    p = a.params
    key = f"brief.attention.{a.kind}"
    if a.kind in ("missing", "unreadable"):
        return render(key, municipality=a.municipality, when=when)
    if a.kind == "to_redo":
        return render(
            key,
            municipality=a.municipality,
            errors=count(p["errors"], "ошибка", "ошибки", "ошибок"),
            codes=", ".join(p["codes"]) or render("brief.attention.to_redo_unread"),
        )
    events = p["events"]
    shown = ""
    if len(events) == 1:
        shown = render("brief.attention.event_one", first=events[0])
    elif len(events) > 1:
        shown = render("brief.attention.event_two", first=events[0], second=events[1])
    return render(
        key,
        municipality=a.municipality,
        code=p["code"],
        schools=count(p["schools"], "ОО", "ОО", "ОО"),
        direction=F.coverage(c).groups_in,
        group=p["group"],
        events=shown,
    )


def make_brief(out: Path, period: str, c: Campaign, wait_seconds: float = 600.0) -> Path:
    """The справка from the store of a collect run in ``out`` (``Справка_<period>.docx``)."""
    from ..consolidate.consolidation import consolidate
    from ..store.folder import run_lock, work_paths

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
