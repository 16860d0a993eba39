"""Outputs that print (issue 17): every workbook we write renders in LibreOffice on A4,
its smallest type at 8 pt or more, «Стр. N из M» on every page; and no text a user
reads carries an ISO date or a word of the code (library names, method names, rules)."""

from __future__ import annotations

import email
import itertools
import re
import zipfile
from email import policy
from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytestmark = pytest.mark.slow

#: «2026-04-15», and «2026-11-25T22:00:00» (a date and time, ISO 8601)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?![\d-])")
INTERNAL = re.compile(
    r"scikit|sklearn|z-оценк|SHA-?256|pandas|parquet\(|read_parquet|\b[A-Z]{1,3}\d{2}\s*[<>=]=",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def demo_out(demo_run: tuple[Path, str]) -> Path:
    return demo_run[0]


def _outputs(out: Path) -> dict[str, Path]:
    results = out / "Результаты"
    return {
        "regional": results / "Свод_2026-11.xlsx",
        "feedback": next((results / "Замечания" / "2026-11").glob("Замечания_D01_*.xlsx")),
        "template": out / "шаблоны" / "Шаблон_D01.xlsx",
        "generic": out / "шаблоны" / "Шаблон_общий.xlsx",
        "campaign": out / "кампания.xlsx",
        "federal": next((out / "Федерация" / "Свод").glob("Свод_регионов_*.xlsx")),
    }


def _pdf(path: Path, out: Path) -> Any:
    from .lo import render_pdf

    return render_pdf(path, out)


@pytest.fixture(scope="module")
def expertise_book(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The expert workbook of the demo's November (written apart: the demo stays as made)."""
    from shkmd_xl.campaign import default_campaign
    from shkmd_xl.consolidate import consolidate
    from shkmd_xl.expertise import write_expertise
    from shkmd_xl.store import Store
    from shkmd_xl.store.folder import work_paths

    c = default_campaign()
    store = Store(work_paths(demo_out / "Результаты")["store"])
    try:
        path = tmp_path_factory.mktemp("expertise") / "Экспертиза_2026-11.xlsx"
        written, rows = write_expertise(store, c, consolidate(store, c, "2026-11"), path)
    finally:
        store.close()
    assert rows > 0
    return written


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "name", ["regional", "feedback", "template", "generic", "campaign", "federal", "expertise"]
)
def test_every_page_is_a4_readable_and_numbered(
    demo_out: Path, name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    book = (
        request.getfixturevalue("expertise_book")
        if name == "expertise"
        else _outputs(demo_out)[name]
    )
    pdf = _pdf(book, tmp_path)
    assert len(pdf) > 0
    for number, page in enumerate(pdf, 1):
        w, h = sorted((page.rect.width, page.rect.height))
        assert abs(w - 595) <= 2 and abs(h - 842) <= 2, (name, number, page.rect)
        sizes = [
            (span["size"], span["text"])
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
            if span["text"].strip()
        ]
        smallest = min(sizes, default=(99.0, ""))
        assert smallest[0] >= 7.95, (name, number, smallest)
        assert re.search(rf"Стр\. {number} из {len(pdf)}\b", page.get_text()), (name, number)


def _texts(out: Path) -> list[tuple[str, str]]:
    """Every text a user reads: cells of each workbook we write, letters, the справка."""
    found: list[tuple[str, str]] = []
    mine = [p for p in out.rglob("*.xlsx") if "Архив" not in p.parts and ".демо" not in str(p)]
    mine = [p for p in mine if "Входящие" not in p.parts]
    for path in mine:
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for row in ws.iter_rows(values_only=True):
                found += [(f"{path.name}/{ws.title}", str(v)) for v in row if isinstance(v, str)]
    for path in out.rglob("*.eml"):
        if "Входящие" in path.parts:
            continue
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for part in msg.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                found.append((path.name, part.get_content()))
        found.append((path.name, str(msg["Subject"])))
    for path in out.rglob("*.docx"):
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode()
        found.append((path.name, " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))))
    return found


def test_no_iso_dates_or_internal_words(demo_out: Path, expertise_book: Path) -> None:
    bad = [
        (where, text[:120])
        for where, text in [*_texts(demo_out), *_texts(expertise_book.parent)]
        if (ISO_DATE.search(text) or INTERNAL.search(text))
    ]
    assert not bad, bad[:20]


@pytest.mark.parametrize(
    "name", ["regional", "feedback", "template", "generic", "campaign", "federal", "expertise"]
)
def test_every_sheet_repeats_its_header_rows(
    demo_out: Path, name: str, request: pytest.FixtureRequest
) -> None:
    """Print titles (``_xlnm.Print_Titles``) on every visible sheet of every workbook we
    write: a page after the first starts with the sheet's header (or its title)."""
    book = (
        request.getfixturevalue("expertise_book")
        if name == "expertise"
        else _outputs(demo_out)[name]
    )
    wb = openpyxl.load_workbook(book)
    missing = [
        ws.title for ws in wb.worksheets if ws.sheet_state == "visible" and not ws.print_title_rows
    ]
    assert not missing, (name, missing)


@pytest.fixture(scope="module")
def regional_pdf(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _pdf(_outputs(demo_out)["regional"], tmp_path_factory.mktemp("regional-pdf"))


def _lines(page: Any) -> list[str]:
    return [line.strip() for line in page.get_text().splitlines() if line.strip()]


@pytest.mark.libreoffice
def test_every_regional_page_starts_with_its_header_row(demo_out: Path, regional_pdf: Any) -> None:
    """Below the page header (region, period, «Стр. N из M») each printed page of the
    regional workbook starts with a sheet's header row: repeated, not only on its first
    page."""
    wb = openpyxl.load_workbook(_outputs(demo_out)["regional"], read_only=True)
    firsts = {
        str(v).split()[0]
        for ws in wb.worksheets
        for row in ws.iter_rows(max_row=1, values_only=True)
        for v in row
        if v
    }
    wrong = [
        (number, lines[3:5])
        for number, page in enumerate(regional_pdf, 1)
        if (lines := _lines(page))[3].split()[0] not in firsts
    ]
    assert not wrong, wrong


@pytest.mark.libreoffice
def test_summary_charts_and_decision_files_print_whole(demo_out: Path, regional_pdf: Any) -> None:
    """«Сводка»: the status pie and the completeness chart print whole inside the page's
    margins, titles in full; «Решения»: every file name prints whole (issue 17)."""
    from shkmd_xl.printing import SIDE_IN

    def flat(text: str) -> str:
        return re.sub(r"\s+", "", text)

    titles = ("Статусы отчётов: Ноябрь 2026", "Заполненность обязательных ячеек, %")
    pages = [p for p in regional_pdf if all(flat(t) in flat(p.get_text()) for t in titles)]
    assert len(pages) == 1, "both charts' titles whole on one page"
    page = pages[0]
    right = page.rect.width - SIDE_IN * 72 + 1
    beyond = [w[4] for w in page.get_text("words") if w[2] > right]
    beyond += [str(d["rect"]) for d in page.get_drawings() if d["rect"].x1 > right]
    assert not beyond, beyond
    wb = openpyxl.load_workbook(_outputs(demo_out)["regional"], read_only=True)
    rows = list(wb["Решения"].iter_rows(values_only=True))
    column = rows[0].index("Файл")
    files = [r[column] for r in rows[1:] if len(r) > column and r[column]]
    assert files
    printed = "".join(flat(p.get_text()) for p in regional_pdf)
    cut = [f for f in files if flat(str(f)) not in printed]
    assert not cut, cut


def _overprinted(page: Any) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other: text taller than its row, or a cut cell's
    text under its neighbour's."""
    words = sorted(page.get_text("words"), key=lambda w: w[1])
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b[1] >= a[3] - 1:
                break
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx > 1 and dy > 0.3 * min(a[3] - a[1], b[3] - b[1]):
                found.append((a[4], b[4]))
    return found


@pytest.mark.libreoffice
def test_no_text_prints_over_other_text(
    expertise_book: Path, regional_pdf: Any, tmp_path: Path
) -> None:
    """The expert workbook, and «Сводка» and «Решения» of the regional workbook (their
    pages come first; «Не записано: почему» is a column of «Решения» only): rows as tall as their
    wrapped text, nothing printed over anything."""
    expert = _pdf(expertise_book, tmp_path)
    bad = [(n, o[:3]) for n, page in enumerate(expert, 1) if (o := _overprinted(page))]
    assert not bad, ("expertise", bad)
    last = max(n for n, p in enumerate(regional_pdf, 1) if "Не записано: почему" in p.get_text())
    bad = [
        (n, o[:3])
        for n, page in enumerate(regional_pdf, 1)
        if n <= last and (o := _overprinted(page))
    ]
    assert not bad, ("regional", bad)


@pytest.mark.libreoffice
def test_method_notes_print_whole(regional_pdf: Any) -> None:
    """The method lines under «Интегральный показатель» print whole (they ran past the
    page's right edge)."""
    from shkmd_xl.campaign import default_campaign
    from shkmd_xl.figures.results import method_lines

    def flat(text: str) -> str:
        return re.sub(r"\s+", "", text)

    printed = "".join(flat(p.get_text()) for p in regional_pdf)
    cut = [line[:60] for line in method_lines(default_campaign()) if flat(line) not in printed]
    assert not cut, cut


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _column(book: Path, sheet: str, header: str) -> list[str]:
    wb = openpyxl.load_workbook(book, read_only=True)
    rows = list(wb[sheet].iter_rows(values_only=True))
    column = rows[0].index(header)
    return [str(r[column]) for r in rows[1:] if len(r) > column and r[column]]


@pytest.mark.libreoffice
def test_roadmap_events_print_whole(demo_out: Path, regional_pdf: Any) -> None:
    """«Дорожные карты»: every «Мероприятие» wraps in its column and prints whole on one
    page (the long ones ran under the next columns and printed cut)."""
    events = set(_column(_outputs(demo_out)["regional"], "Дорожные карты", "Мероприятие"))
    assert max(map(len, events)) > 100  # the longest catalogue event is there
    pages = [_flat(p.get_text()) for p in regional_pdf]
    cut = [e for e in events if not any(_flat(e) in page for page in pages)]
    assert not cut, cut


@pytest.mark.libreoffice
def test_dynamics_rows_as_tall_as_their_text(regional_pdf: Any) -> None:
    """«Динамика»: its rows, all together, no taller than the lines LibreOffice draws in
    them at Excel's 15 pt a line (the estimate was generous: 1,37 times)."""
    gap = need = 0.0
    for page in regional_pdf:
        if "Название показателя" not in page.get_text():
            continue
        words = page.get_text("words")
        codes = sorted((w[1], w[0]) for w in words if re.fullmatch(r"S\d\d", w[4]))
        if len(codes) < 2:
            continue
        left = min(x for _, x in codes)
        tops = [y for y, x in codes if abs(x - left) < 2]  # a row's indicator code
        size = min(  # the sheet's type as printed: 11 pt at the page's scale
            s["size"]
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for s in line["spans"]
            if s["text"].strip()
        )
        for top, bottom in itertools.pairwise(tops):
            ys = sorted({round(w[1]) for w in words if top - 1 <= w[1] < bottom - 1})
            lines = 1 + sum(1 for a, b in itertools.pairwise(ys) if b - a > 3)
            gap += bottom - top
            need += lines * 15 * size / 11
    assert need > 0
    assert gap <= 1.1 * need, round(gap / need, 3)


@pytest.mark.libreoffice
def test_results_sheets_use_their_pages(demo_out: Path, regional_pdf: Any) -> None:
    """«Средние по годам» prints portrait (it used half a landscape page);
    «Интегральный показатель»'s header in at most three lines, its words whole (it took
    five lines); «Сводка»'s «Муниципалитетов» whole (it broke mid-word)."""
    book = _outputs(demo_out)["regional"]
    wb = openpyxl.load_workbook(book)
    trend = wb["Средние по годам"]
    assert trend.page_setup.orientation == "portrait" and int(trend.page_setup.scale or 100) >= 85
    header = "Муниципальное образование или регион"
    pages = [p for p in regional_pdf if header in p.get_text()]
    assert pages and all(p.rect.width < p.rect.height for p in pages)
    integral = wb["Интегральный показатель"]
    assert (integral.row_dimensions[1].height or 15) <= 45
    words = {w[4] for p in regional_pdf for w in p.get_text("words")}
    labels = [str(c.value) for c in integral[1]]
    broken = [w for label in labels for w in label.split() if w not in words]
    assert not broken, broken
    assert "Муниципалитетов" in words


@pytest.mark.libreoffice
def test_federal_shares_stand_apart(demo_out: Path, tmp_path: Path) -> None:
    """Federal «Регионы»: a count and the share «44,6 % (29 из 65)» after it print apart,
    not as one run (the count right-aligned against the left-aligned share)."""
    pdf = _pdf(_outputs(demo_out)["federal"], tmp_path)
    checked = 0
    for page in pdf[:3]:
        words = page.get_text("words")
        for share in (w for w in words if re.fullmatch(r"\(\d+", w[4])):  # «(29» of «(29 из 65)»
            line = sorted((w for w in words if abs(w[3] - share[3]) < 3), key=lambda w: w[0])
            before = [w for w in line if w[2] <= share[0]]
            assert len(before) >= 3 and before[-1][4] == "%", before
            first, previous = before[-2], before[-3]  # «44,6» of «44,6 %», and the count
            assert first[0] - previous[2] >= 6, (previous[4], first[4])
            checked += 1
    assert checked


@pytest.mark.parametrize("name", ["regional", "federal"])
def test_no_page_width_of_a_narrow_column(demo_out: Path, name: str) -> None:
    """A sheet on several page widths shares its columns among them: every page width
    but the first holds, beside the repeated key columns, at least a third of a page's
    width (a last column printed alone on its own pages was waste)."""
    from openpyxl.utils import get_column_letter

    from shkmd_xl.printing import column_points, page_points

    wb = openpyxl.load_workbook(_outputs(demo_out)[name])
    thin = []
    for ws in wb.worksheets:
        breaks = [b.id for b in ws.col_breaks.brk]
        if not breaks:
            continue
        last = ws.max_column
        widths = [
            (ws.column_dimensions[get_column_letter(c)].width or 8.43) - 0.71
            for c in range(1, last + 1)
        ]
        edges = [*breaks, last]
        for a, b in itertools.pairwise(edges):
            used = sum(column_points(w) for w in widths[a:b])
            if used < page_points() / 3:
                thin.append((ws.title, a, b, round(used)))
    assert not thin, thin


def test_text_lines_against_libreoffice() -> None:
    """The measured estimate of wrapped lines against the lines LibreOffice drew for one
    text in columns 10 to 60 characters wide (Carlito): never fewer (text would be cut),
    at most two more (Excel's hinted type is a little wider)."""
    from shkmd_xl.printing import row_height, text_lines

    text = (
        "Доля педагогов, прошедших диагностику профессиональных компетенций и Обучение "
        "«западающим» компетенциям (по предмету / группе предметов) Методическое "
        "сопровождение внутришкольного контроля"
    )
    drawn = {10: 24, 20: 14, 34: 7, 48: 5, 60: 4}  # LibreOffice 25, Carlito 11 pt
    for width, lines in drawn.items():
        assert lines <= text_lines(text, width) <= lines + 2, width
        assert lines <= text_lines(text, width, bold=True) <= lines + 3, width
    assert row_height("Южный муниципальный район (демо)", 40) == 15  # one line
    assert row_height("", 10) == 15


def test_page_widths_share_the_columns() -> None:
    """A table too wide for a page: page widths of about equal width, each within the
    page beside the repeated key columns; the room left goes to the wrapping columns."""
    from shkmd_xl.printing import column_points, page_breaks, page_points, widen

    widths = [30.0, *([20.0] * 12)]
    breaks = page_breaks(widths, keys=1)
    edges = [1, *breaks, len(widths)]
    used = [sum(column_points(w) for w in widths[a:b]) for a, b in itertools.pairwise(edges)]
    room = page_points() - column_points(30)
    assert len(breaks) == 1 and all(u <= room for u in used)
    assert min(used) >= 0.8 * max(used), used  # not one full page and one narrow one
    assert page_breaks([30.0, 20.0, 20.0], keys=1) == []  # fits: one page width
    wider = list(widths)
    widen(wider, breaks, 1, {3}, [100.0] * len(widths))
    assert wider[3] > widths[3] and wider[:3] == widths[:3]
    first = sum(column_points(w) for w in wider[: breaks[0]])
    assert first <= page_points() + 1
