"""«Аналитическая справка по итогам мониторинга» as a Word document (python-docx).

An official document of the region (ГОСТ Р 7.0.97-2016): A4 portrait, fields 20/10/20/20
mm, Times New Roman 14 (or the campaign's ``document_font``), page numbers at the top,
a title block (region, period, who prepared it, date), numbered headings and captions
made of Word's own styles («Заголовок 1/2», «Название объекта» with SEQ fields), so the
region edits it as an ordinary document. Sections: цель и задачи, методика, охват,
результаты (by direction and indicator, months by name), группы ОО, слабые показатели
мониторинга, результаты обучения (with the zones of low quality by subject), выводы, адресные рекомендации naming municipalities and schools, a signature
block, and an appendix with a one-page card per municipality.

Layout only: the figures come from ``figures.brief_figures`` (computed once, no
prose), the wording from the catalogue («brief.*» in ``messages/ru.json``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from ..atomic import atomic_output
from ..campaign.models import Campaign
from ..consolidate.consolidation import Consolidation
from ..figures.base import share
from ..figures.brief import Attention, BriefFigures, Card, brief_figures
from ..figures.clusters import method_text
from ..figures.results import method_lines
from ..figures.targets import LEARNING
from ..forms import sheets as F
from ..issues import CODES
from ..messages import render
from ..ru import MONTHS_GENITIVE, count, mid_sentence, number
from ..store.sqlite import Store
from .results_outputs import write_results_section

FONT = "Times New Roman"
SIZE = 14.0
#: tables, the page number and the executor's line
SMALL = 12.0
#: A4 and the fields of ГОСТ Р 7.0.97-2016 (left, right, top, bottom), cm
PAGE = (21.0, 29.7)
FIELDS = (2.0, 1.0, 2.0, 2.0)
WIDTH = PAGE[0] - FIELDS[0] - FIELDS[1]
#: a cell's left + right padding and the width of a character of SMALL size, cm: wide
#: enough for Times New Roman and for the wider fonts that replace it where it is missing
#: (DejaVu Serif in LibreOffice on Linux); bold a little wider
PAD = 0.45
CHAR = 0.28
BOLD = 0.32
MINUS = "\u2212"


def _font(value: str) -> tuple[str, float]:
    """The campaign's «Шрифт справки» («Times New Roman, 14»); the defaults if empty."""
    name, _, size = value.partition(",")
    try:
        points = float(size.strip().replace(",", ".")) if size.strip() else SIZE
    except ValueError:
        points = SIZE
    return name.strip() or FONT, points if 10 <= points <= 16 else SIZE


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _element(text: str) -> Any:
    """A WordprocessingML element from its text (the ``w:`` prefix declared)."""
    from docx.oxml import parse_xml

    name = re.match(r"<([\w:]+)", text)
    assert name, text
    tag = name.group(1)
    return parse_xml(f"<{tag} {W}" + text[len(tag) + 1 :])


def _fonts(rpr: Any, name: str) -> None:
    """Every script of ``rpr`` in ``name``; theme fonts removed (they win over names)."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _element("<w:rFonts/>")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), name)


class _Doc:
    """A document with numbered headings, tables and figures in official style."""

    def __init__(self, font: str = FONT, size: float = SIZE) -> None:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt, RGBColor

        self.font, self.size = font, size
        self.doc = Document()
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name, normal.font.size = font, Pt(size)
        _fonts(normal.element.get_or_add_rPr(), font)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.0
        for name, level in (("Heading 1", 0), ("Heading 2", 1), ("Heading 3", None)):
            style = styles[name]
            style.font.name, style.font.size, style.font.bold = font, Pt(size), True
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            _fonts(style.element.get_or_add_rPr(), font)
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = Pt(12), Pt(6)
            fmt.keep_with_next = True
            fmt.first_line_indent = Cm(1.25) if level is not None else None
            if name == "Heading 3":
                fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption = styles["Caption"]
        caption.font.name, caption.font.size = font, Pt(SMALL)
        caption.font.bold, caption.font.italic = False, False
        caption.font.color.rgb = RGBColor(0, 0, 0)
        _fonts(caption.element.get_or_add_rPr(), font)
        caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(6), Pt(6)
        bullets = styles["List Bullet"]
        bullets.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        self._number_headings()

        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(PAGE[0]), Cm(PAGE[1])
        left, right, top, bottom = FIELDS
        section.left_margin, section.right_margin = Cm(left), Cm(right)
        section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
        section.header_distance = Cm(1.0)
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._field(header, "PAGE", "1", SMALL)
        self.tables = 0
        self.figures = 0
        #: the number of the table naming the school indicators (0: none yet)
        self.school_table = 0

    def _number_headings(self) -> None:
        """«1.», «1.1.» before «Заголовок 1/2» from a multilevel list of the styles."""
        from docx.oxml.ns import qn

        numbering = self.doc.part.numbering_part.element
        ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        aid = max(ids, default=0) + 1
        levels = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            f'<w:pStyle w:val="Heading{i + 1}"/><w:suff w:val="space"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="0" w:firstLine="709"/></w:pPr></w:lvl>'
            for i, text in enumerate(("%1.", "%1.%2."))
        )
        abstract = _element(
            f'<w:abstractNum w:abstractNumId="{aid}">'
            f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        )
        nums = numbering.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(abstract)
        else:
            numbering.append(abstract)
        num = numbering.add_num(aid)
        for i, name in enumerate(("Heading 1", "Heading 2")):
            ppr = self.doc.styles[name].element.get_or_add_pPr()
            ppr.insert(
                0,
                _element(f'<w:numPr><w:ilvl w:val="{i}"/><w:numId w:val="{num.numId}"/></w:numPr>'),
            )

    @staticmethod
    def _field(paragraph: Any, code: str, shown: str, size: float | None = None) -> None:
        """A Word field (PAGE, SEQ …) with its current result ``shown``."""
        from docx.shared import Pt

        parts = [
            '<w:fldChar w:fldCharType="begin"/>',
            f'<w:instrText xml:space="preserve"> {code} </w:instrText>',
            '<w:fldChar w:fldCharType="separate"/>',
            None,
            '<w:fldChar w:fldCharType="end"/>',
        ]
        for part in parts:
            run = paragraph.add_run(shown if part is None else None)
            if part is not None:
                run._r.append(_element(part))
            if size:
                run.font.size = Pt(size)

    def lines(
        self, texts: list[str], size: float | None = None, bold: bool = False, center: bool = False
    ) -> None:
        """Lines of the title block (no indent, no spacing between them)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        for text in texts:
            p = self.doc.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)

    def space(self) -> None:
        self.doc.add_paragraph()

    def title(self, text: str) -> None:
        self.lines([text], bold=True, center=True)

    def heading(
        self, text: str, level: int = 1, numbered: bool = True, new_page: bool = False
    ) -> None:
        p = self.doc.add_heading(text, level)
        p.paragraph_format.page_break_before = new_page or None
        if not numbered:
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            p.paragraph_format.first_line_indent = None
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p._p.get_or_add_pPr().insert(
                0, _element('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>')
            )

    def text(self, text: str, indent: bool = True) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        p = self.doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            p.paragraph_format.first_line_indent = Cm(1.25)

    def bullet(self, text: str) -> None:
        self.doc.add_paragraph(text, style="List Bullet")

    def _caption(self, word: str, n: int, caption: str) -> Any:
        p = self.doc.add_paragraph(style="Caption")
        p.add_run(f"{word} ")
        self._field(p, f"SEQ {word} \\* ARABIC", str(n))
        p.add_run(f" – {caption}")
        return p

    def table(
        self,
        caption: str,
        headers: list[str],
        rows: list[list[Any]],
        caption_shown: bool = True,
        borders: bool = True,
        group_first: bool = False,
    ) -> None:
        """A numbered table, columns as wide as their content; ``group_first``: equal
        values of the first column in one merged cell (a municipality over its schools)."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        if caption_shown:
            self.tables += 1
            self._caption(
                render("brief.table.word"), self.tables, caption
            ).paragraph_format.keep_with_next = True
        shown = [[_shown(v) for v in row] for row in rows]
        widths, size = _widths(headers, shown)
        table = self.doc.add_table(rows=1 if headers else 0, cols=len(widths))
        if borders:
            table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if headers:
            table.rows[0]._tr.get_or_add_trPr().append(_element("<w:tblHeader/>"))
            for cell, h in zip(table.rows[0].cells, headers, strict=True):
                cell.text = h
                for run in cell.paragraphs[0].runs:
                    run.bold = True
        numeric = [
            all(_is_number(row[i]) for row in rows) and bool(rows) for i in range(len(widths))
        ]
        for row in shown:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
        for row in table.rows:
            row._tr.get_or_add_trPr().append(_element("<w:cantSplit/>"))
            for i, cell in enumerate(row.cells):
                for p in cell.paragraphs:
                    p.paragraph_format.first_line_indent = None
                    p.paragraph_format.space_after = Pt(0)
                    p.alignment = (
                        WD_ALIGN_PARAGRAPH.CENTER if numeric[i] else WD_ALIGN_PARAGRAPH.LEFT
                    )
                    for run in p.runs:
                        run.font.size = Pt(size)
        _grid(table, widths)
        if group_first:
            _merge_first(table, [row[0] for row in shown], 1 if headers else 0)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def figure(self, caption: str, png: bytes) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        self.figures += 1
        self.doc.add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH))
        picture = self.doc.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.first_line_indent = None
        picture.paragraph_format.keep_with_next = True
        p = self._caption(render("brief.figure.word"), self.figures, caption)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def signature(self, position: str, name: str) -> None:
        """«Должность ______ И. О. Фамилия» as a table without borders."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        self.space()
        table = self.doc.add_table(rows=1, cols=3)
        table.autofit = False
        texts = (position, "_______________", name)
        widths = (WIDTH - 8.5, 4.5, 4.0)
        aligns = (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT)
        _grid(table, widths)
        for cell, text, align in zip(table.rows[0].cells, texts, aligns, strict=True):
            p = cell.paragraphs[0]
            p.alignment = align
            p.paragraph_format.first_line_indent = None
            p.paragraph_format.space_after = Pt(0)
            p.add_run(text)
        self.space()


CHART_WIDTH = 17.0


def _is_number(value: Any) -> bool:
    """A number, a change («+0,2», «−1,7») or no value: centred in its column."""
    if isinstance(value, str):
        return re.fullmatch(r"[+\u2212]?\d[\d ]*(,\d+)?", value) is not None
    return value is None or (isinstance(value, float | int) and not isinstance(value, bool))


def _widths(headers: list[str], rows: list[list[str]]) -> tuple[list[float], float]:
    """Column widths (cm) by content and the text size (pt): no column narrower than its
    longest word (names are never cut), the rest of the line shared by how much text
    each column holds; a table whose longest words do not fit in SMALL is set smaller
    (down to 10 pt)."""
    columns = len(headers) if headers else len(rows[0])
    for size in (SMALL, 11.0, 10.0):
        scale = size / SMALL
        least, wanted = [], []
        for i in range(columns):
            texts = [row[i] for row in rows]
            head = headers[i] if headers else ""
            word = max(
                [len(w) * CHAR * scale for t in texts for w in t.split()]
                + [len(w) * BOLD * scale for w in head.split()]
            )
            line = max([len(t) * CHAR * scale for t in texts], default=len(head) * BOLD * scale)
            least.append(word + PAD)
            wanted.append(max(line, word) + PAD)  # a title may wrap between its words
        if sum(least) <= WIDTH:
            break
    if sum(wanted) <= WIDTH:
        extra = WIDTH - sum(wanted)
        return [w + extra * w / sum(wanted) for w in wanted], size
    room = WIDTH - sum(least)
    if room <= 0:
        return [w * WIDTH / sum(least) for w in least], size
    more = [w - m for w, m in zip(wanted, least, strict=True)]
    return [m + room * x / sum(more) for m, x in zip(least, more, strict=True)], size


def _merge_first(table: Any, values: list[str], skip: int) -> None:
    """Runs of equal values in the first column become one cell (its text once)."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1:
                for j in range(start + 1, i):
                    cell = table.cell(skip + j, 0)
                    cell.paragraphs[0].runs[0].text = ""
                table.cell(skip + start, 0).merge(table.cell(skip + i - 1, 0))
            start = i


def _grid(table: Any, widths: list[float] | tuple[float, ...]) -> None:
    """The table's grid and every cell in ``widths`` (cm): Word and LibreOffice keep them."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    grid = table._tbl.find(qn("w:tblGrid"))
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(round(width / 2.54 * 1440)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _number(value)
    return str(value)


def _number(value: float | int) -> str:
    """A number as printed: decimal comma, a true minus sign."""
    return number(value).replace("-", MINUS)


def _percent(value: float | None) -> str:
    """«38 %» kept on one line; «—» without a value."""
    return "—" if value is None else f"{_number(value)}\u00a0%"


def _signed(value: float) -> str:
    """A change: «+2,5», «−1,3», «0»."""
    return ("+" if value > 0 else "") + _number(value)


def _chart(
    labels: list[str],
    series: dict[str, list[float | None]],
    xlabel: str,
    limit: float | None = None,
) -> bytes:
    """Horizontal bars (long names read on the axis), values at the bars' ends, the legend
    below the plot (never over the bars), the decimal comma and the true minus."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    plt.rcParams.update({"font.family": "serif", "font.size": 10, "axes.unicode_minus": True})
    plt.rcParams["font.serif"] = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]
    n = len(series)
    height = 1.0 + len(labels) * (0.22 + 0.18 * n) + (0.35 if n > 1 else 0)
    fig, ax = plt.subplots(figsize=(CHART_WIDTH / 2.54, height), dpi=200, layout="constrained")
    bar = 0.8 / max(n, 1)
    top = 0.0
    for i, (name, values) in enumerate(series.items()):
        ys = [j + (i - (n - 1) / 2) * bar for j in range(len(labels))]
        xs = [v or 0 for v in values]
        top = max([top, *xs])
        bars = ax.barh(ys, xs, height=bar * 0.9, label=name)
        ax.bar_label(bars, labels=[_shown(v) for v in values], padding=2, fontsize=10)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, (limit or top or 1) * 1.12)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(round(v, 1))))
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if n > 1:
        fig.legend(loc="outside lower center", ncols=n, frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _columns(key: str, **params: Any) -> list[str]:
    """A table's column titles from the catalogue («Код|Показатель|…»)."""
    return render(key, **params).split("|")


def _date(day: dt.date) -> str:
    """«1 декабря 2026 г.»"""
    return render("brief.date", day=day.day, month=MONTHS_GENITIVE[day.month - 1], year=day.year)


def _code(code: str) -> str:
    """A rule's code with its words: «RM02 — нет мероприятий направления»."""
    info = CODES.get(code)
    return f"{code} — {info.title}" if info else code


def write_brief(store: Store, c: Campaign, cons: Consolidation, path: Path) -> Path:
    """Write the справка for ``cons.period`` to ``path`` (atomically)."""
    f = brief_figures(store, c, cons)
    _write(f, c, path)
    return path


def _write(f: BriefFigures, c: Campaign, path: Path, today: dt.date | None = None) -> None:
    """Lay out the figures in Word: each section from its figures, wording from the
    catalogue («brief.*»)."""
    when = mid_sentence(f.period.name)
    d = _Doc(*_font(c.document_font))
    _title_block(d, f, c, today or dt.date.today())

    d.heading(render("brief.goal"))
    d.text(render("brief.goal.text", title=c.title, when=when))
    d.text(render("brief.goal.tasks"))
    for task in ("collect", "roadmaps", "indicators", "targets", "groups", "advice"):
        d.bullet(render(f"brief.goal.task.{task}"))

    d.heading(render("brief.method"))
    d.text(render("brief.method.source"))
    d.text(_counted(f, c))
    d.text(render("brief.method.figures"))
    compare = render("brief.method.compare", before=f.before.name) if f.before else ""
    for part, params in (
        ("coverage", {}),
        ("roadmaps", {"done": F.DONE}),
        ("mouo", {}),
        ("school", {"now": when, "compare": compare}),
        ("training", {"level": f.training.level}),
        ("targets", {}),
        ("clusters", {}),
    ):
        d.bullet(render(f"brief.method.{part}", **params))
    if f.learning is not None and f.learning.schools:
        for line in method_lines(c):
            d.bullet(line)

    _coverage(d, f, c, when)
    _results(d, f, c)
    write_results_section(d, f.learning, c)
    _clusters(d, f)
    _zones(d, f)

    d.heading(render("brief.conclusions"))
    for line in _conclusions(f, c, when):
        d.bullet(line)

    d.heading(render("brief.attention"))
    lines = _advice(f.attention, c, when)
    if not lines:
        d.text(render("brief.attention.none"))
    for line in lines:
        d.bullet(line)
    examples = _examples(f.attention)
    if examples:
        d.text(render("brief.attention.catalogue"))
        for line in examples:
            d.bullet(line)

    d.signature(
        c.signer_position or c.office or render("brief.sign.position"),
        c.signer_name or render("brief.sign.name"),
    )
    if c.office:
        d.lines([render("brief.sign.executor", office=c.office, email=c.office_email)], SMALL)

    _appendix(d, f, c, when)
    with atomic_output(path) as tmp:
        d.doc.save(str(tmp))


def _title_block(d: _Doc, f: BriefFigures, c: Campaign, today: dt.date) -> None:
    d.lines([c.region], bold=True, center=True)
    d.space()
    d.title(render("brief.title"))
    d.title(render("brief.subtitle", title=c.title, when=mid_sentence(f.period.name)))
    d.space()
    head = [
        render("brief.head.period", period=f.period.name),
        render("brief.head.date", date=_date(today)),
    ]
    if c.office:
        head.insert(1, render("brief.head.prepared", office=c.office))
    if c.office_email:
        head.insert(2, render("brief.head.email", email=c.office_email))
    d.lines(head)
    d.lines([render("brief.head.as_of")])
    d.space()


def _counted(f: BriefFigures, c: Campaign) -> str:
    returned = sorted(c.municipality(code).name for code in f.counted.returned)
    return render(
        "brief.counted",
        reports=f.counted.reports,
        returned=render("brief.counted.returned", names=", ".join(returned), n=len(returned))
        if returned
        else render("brief.counted.none_returned"),
    )


def _municipalities(n: int) -> str:
    return count(
        n, "муниципального образования", "муниципальных образований", "муниципальных образований"
    )


def _schools(n: int) -> str:
    return count(n, "ОО", "ОО", "ОО").replace(" ", "\u00a0")  # «2 ОО» on one line


def _coverage(d: _Doc, f: BriefFigures, c: Campaign, when: str) -> None:
    d.heading(render("brief.participation"))
    d.text(
        render(
            "brief.participation.text",
            when=when,
            submitted=f.submitted,
            total=_municipalities(f.municipalities),
            deadline=f.period.deadline,
            late=f.late,
            rejected=f.rejected,
        )
    )
    d.text(
        render(
            "brief.coverage.schools",
            reported=f.reported,
            registry=f.registry,
            share=share(f.reported, f.registry) or 0.0,
        )
    )
    d.table(
        render("brief.participation.table"),
        _columns("brief.participation.columns"),
        [[s.ru, n, share(n, f.municipalities)] for s, n in f.statuses.items()],
    )
    d.table(
        render("brief.coverage.table"),
        _columns("brief.coverage.columns"),
        [[k.name, k.status.ru, k.registry, k.reported, k.completeness] for k in f.cards],
    )
    if f.cards:
        d.figure(
            render("brief.completeness.figure"),
            _chart(
                [k.name for k in f.cards],
                {render("brief.completeness.series"): [k.completeness for k in f.cards]},
                render("brief.chart.percent"),
                limit=100.0,
            ),
        )


def _results(d: _Doc, f: BriefFigures, c: Campaign) -> None:
    d.heading(render("brief.results"))
    d.heading(render("brief.roadmaps"), 2)
    d.table(
        render("brief.roadmaps.table"),
        _columns("brief.roadmaps.columns"),
        [[f"{r.number}. {r.name}", r.events, r.done, r.done_share] for r in f.directions],
    )

    d.heading(render("brief.mouo"), 2)
    d.table(
        render("brief.mouo.table"),
        _columns("brief.mouo.columns"),
        [[m.code, m.wording, m.answered, m.yes_share] for m in f.mouo],
    )

    d.heading(render("brief.school"), 2)
    d.school_table = d.tables + 1
    if f.before is not None:
        d.table(
            render("brief.school.table"),
            _columns("brief.school.columns", now=f.period.name, before=f.before.name),
            [
                [
                    m.code,
                    m.wording,
                    m.now,
                    m.before,
                    None if m.change is None else _signed(m.change),
                ]
                for m in f.school
            ],
        )
    else:
        d.text(render("brief.school.none"))
        d.table(
            render("brief.school.table"),
            _columns("brief.school.single", now=f.period.name),
            [[m.code, m.wording, m.now] for m in f.school],
        )
    if any(m.now is not None for m in f.school):
        series: dict[str, list[float | None]] = {f.period.name: [m.now for m in f.school]}
        if f.before is not None:
            series[f.before.name] = [m.before for m in f.school]
        d.figure(
            render("brief.school.figure"),
            _chart([m.code for m in f.school], series, render("brief.chart.percent"), 100.0),
        )

    d.heading(render("brief.training"), 2)
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

    d.heading(render("brief.targets"), 2)
    d.table(
        render("brief.targets.table"),
        _columns("brief.targets.columns"),
        [[g.name, g.target, g.actual, g.status, g.base or "—", g.source] for g in f.targets],
    )
    for g in f.targets:  # how the results decide them, and whose rule it is
        if g.key in LEARNING and g.value is not None:
            d.text(render("brief.targets.how", name=g.name, note=g.note))


def _clusters(d: _Doc, f: BriefFigures) -> None:
    d.heading(render("brief.clusters"))
    k = f.clustering
    if isinstance(k, str):
        d.text(render("clusters.not_built", reason=k))
        return
    d.text(method_text(k.indicators)[0])  # the zones' definition: in «Зоны низкого качества»
    d.text(k.quality())
    if k.distinct:
        d.table(
            render("brief.clusters.table"),
            _columns("brief.clusters.columns"),
            [
                [render("brief.clusters.group", n=g.number), g.size, _sentences(g.profile)]
                for g in k.clusters
            ],
        )


def _zones(d: _Doc, f: BriefFigures) -> None:
    d.heading(render("brief.zones"))
    if isinstance(f.clustering, str):
        d.text(render("brief.zones.unknown", reason=f.clustering))
        return
    if not f.zones:
        d.text(render("brief.zones.none"))
        return
    d.text(render("clusters.zones"))
    places = {s.municipality for s in f.zones}
    d.text(
        render(
            "brief.zones.text",
            schools=_schools(len(f.zones)),
            municipalities=_municipalities(len(places)),
        )
    )
    means = {m.code: m.now for m in f.school}
    order = {k.name: i for i, k in enumerate(f.cards)}
    if d.school_table:
        d.text(render("brief.zones.legend", n=d.school_table))
    d.table(
        render("brief.zones.table"),
        _columns("brief.zones.columns"),
        [
            [
                s.municipality,
                s.name,
                "; ".join(
                    render(
                        "brief.zones.item",
                        code=code,
                        value=_percent(s.values[code]),
                        mean=_percent(means.get(code)),
                    )
                    for code in s.zones
                ),
            ]
            for s in sorted(f.zones, key=lambda s: (order.get(s.municipality, 0), s.name))
        ],
        group_first=True,
    )


def _sentences(text: str) -> str:
    """«выше среднего: …. ниже среднего: …» → each sentence from a capital letter."""
    return ". ".join(part[:1].upper() + part[1:] for part in text.split(". "))


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _conclusions(f: BriefFigures, c: Campaign, when: str) -> list[str]:
    """The conclusions, each from a figure of the sections above."""
    out = [
        render(
            "brief.conclusions.coverage",
            when=when,
            submitted=f.submitted,
            total=_municipalities(f.municipalities),
            counted=count(
                f.counted_municipalities, "принятый отчёт", "принятых отчёта", "принятых отчётов"
            ),
            reported=f.reported,
            registry=f.registry,
        )
    ]
    absent = [k.name for k in f.cards if k.code not in f.counted.submissions]
    if absent:
        out.append(render("brief.conclusions.missing", names=", ".join(absent)))
    events = sum(r.events for r in f.directions)
    if events:
        low = min(
            (r for r in f.directions if r.events), key=lambda r: (r.done_share or 0.0, r.number)
        )
        out.append(
            render(
                "brief.conclusions.roadmaps",
                share=share(sum(r.done for r in f.directions), events) or 0.0,
                done=sum(r.done for r in f.directions),
                events=events,
                number=low.number,
                low=low.done_share or 0.0,
            )
        )
    else:
        out.append(render("brief.conclusions.roadmaps_none"))
    changes = [m for m in f.school if m.change is not None]
    if f.before is not None and changes:
        rise = max(changes, key=lambda m: m.change or 0.0)
        fall = min(changes, key=lambda m: m.change or 0.0)
        for m, key in ((rise, "rise"), (fall, "fall")):
            if (m.change or 0.0) > 0 if key == "rise" else (m.change or 0.0) < 0:
                out.append(
                    render(
                        f"brief.conclusions.{key}",
                        before=f.before.name,
                        code=m.code,
                        wording=_lower(m.wording),
                        change=_signed(m.change or 0.0),
                    )
                )
    met = [g.name for g in f.targets if g.status == render("target.yes")]
    missed = [g.name for g in f.targets if g.status == render("target.no")]
    if met:
        out.append(render("brief.conclusions.targets_met", names="; ".join(_lower(n) for n in met)))
    if missed:
        out.append(
            render("brief.conclusions.targets_missed", names="; ".join(_lower(n) for n in missed))
        )
    if not isinstance(f.clustering, str):
        out.append(f.clustering.quality())
    if f.zones:
        out.append(
            render(
                "brief.conclusions.zones",
                schools=_schools(len(f.zones)),
                municipalities=_municipalities(len({s.municipality for s in f.zones})),
            )
        )
    return out


def _advice(items: list[Attention], c: Campaign, when: str) -> list[str]:
    """The recommendations in the order of «Сводка»: a municipality's report, then — in
    one paragraph — the target groups whose events its schools need, naming each school
    and its indicators in the zone of low quality."""
    out: list[str] = []
    zones: dict[str, list[Attention]] = {}
    for a in items:
        if a.kind in ("zone", "zone_no_group"):
            if a.municipality not in zones:
                zones[a.municipality] = []
                out.append(a.municipality)  # the paragraph's place, written below
            zones[a.municipality].append(a)
        else:
            out.append(_attention(a, c, when))
    return [_zones_advice(x, zones[x], c) if x in zones else x for x in out]


def _zones_advice(municipality: str, items: list[Attention], c: Campaign) -> str:
    """«Лесной …: … для целевых групп: «Учителя» — в 2 ОО: «СОШ № 31» (показатели S03), …»."""
    groups: dict[str, dict[str, list[str]]] = {}  # group ("" unknown) -> school -> codes
    for a in items:
        for school in a.params["schools"]:
            codes = groups.setdefault(a.params["group"] or "", {}).setdefault(school, [])
            codes.append(a.params["code"])
    parts = []
    for group, schools in sorted(groups.items(), key=lambda g: (not g[0], g[0])):
        named = ", ".join(
            render(
                "brief.attention.school" if len(codes) > 1 else "brief.attention.school_one",
                school=school,
                codes=", ".join(sorted(codes)),
            )
            for school, codes in sorted(schools.items())
        )
        shown = f"{_schools(len(schools))}: {named}"
        parts.append(
            render("brief.attention.group", group=group, schools=shown)
            if group
            else render("brief.attention.no_group", schools=shown)
        )
    return render(
        "brief.attention.zones",
        municipality=municipality,
        direction=F.coverage(c).groups_in,
        groups="; ".join(parts),
    )


def _examples(items: list[Attention]) -> list[str]:
    """The catalogue's events the campaign recommends («Рекомендации») for each weak
    indicator named above, with the recommendation's source."""
    seen: dict[str, tuple[list[str], list[str]]] = {}
    for a in items:
        if a.kind == "zone" and a.params["events"]:
            seen.setdefault(a.params["code"], (a.params["events"], a.params["sources"]))
    return [
        render(
            "brief.attention.examples",
            code=code,
            events=", ".join(f"«{e}»" for e in events),
            source="; ".join(sources),
        )
        for code, (events, sources) in sorted(seen.items())
    ]


def _attention(a: Attention, c: Campaign, when: str) -> str:
    """A recommendation about a municipality's report, in words."""
    p = a.params
    key = f"brief.attention.{a.kind}"
    if a.kind in ("missing", "unreadable"):
        return render(key, municipality=a.municipality, when=when)
    return render(
        key,
        municipality=a.municipality,
        errors=count(p["errors"], "ошибка", "ошибки", "ошибок"),
        codes="; ".join(_code(code) for code in p["codes"])
        or render("brief.attention.to_redo_unread"),
    )


def _appendix(d: _Doc, f: BriefFigures, c: Campaign, when: str) -> None:
    """One page per municipality: its report, its schools against the region, its zones
    and the recommendations addressed to it."""
    region = {m.code: m.now for m in f.school}
    wording = {m.code: m.wording for m in f.school}
    for i, k in enumerate(f.cards):
        if i == 0:
            d.heading(render("brief.appendix"), numbered=False, new_page=True)
            d.title(render("brief.appendix.title"))
        d.heading(k.name, 3, new_page=i > 0)
        _card(d, k, f, c, when, region, wording)


def _card(
    d: _Doc,
    k: Card,
    f: BriefFigures,
    c: Campaign,
    when: str,
    region: dict[str, float | None],
    wording: dict[str, str],
) -> None:
    lines = [
        render("brief.card.coordinator", name=k.coordinator or "—"),
        render("brief.card.status", when=when, status=mid_sentence(k.status.ru.lower())),
        render("brief.card.schools", registry=k.registry, reported=k.reported),
    ]
    if k.completeness is not None:
        lines.append(render("brief.card.completeness", share=k.completeness))
    counted = k.code in f.counted.submissions
    if counted:
        lines.append(
            render("brief.card.roadmaps", events=k.events, done=k.done, share=k.done_share or 0.0)
        )
    d.lines(lines)
    d.space()
    if counted and k.means:
        d.table(
            render("brief.card.table", name=k.name),
            _columns("brief.card.columns"),
            [[code, wording[code], k.means.get(code), region.get(code)] for code in wording],
        )
    else:
        d.text(render("brief.card.no_report"), indent=False)
    zones = [s.name for s in f.zones if s.municipality == k.name]
    d.text(
        render("brief.card.zones", names=", ".join(f"«{s}»" for s in zones))
        if zones
        else render("brief.card.no_zones"),
        indent=False,
    )
    own = [a for a in f.attention if a.municipality == k.name]
    d.text(render("brief.card.advice") if own else render("brief.card.no_advice"), indent=False)
    for line in _advice(own, c, when):
        d.bullet(line)


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
