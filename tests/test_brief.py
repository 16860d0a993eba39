"""The справка as an official document: built from a collect run of the demo inbox, read
back with python-docx and rendered by LibreOffice (A4, fonts, page numbers, no ISO dates,
no internal words, sections, recommendations naming schools)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.issues import CODES
from shkmd_xl.messages import render

pytestmark = pytest.mark.slow

PERIOD = "2026-11"
SECTIONS = (
    "brief.goal",
    "brief.method",
    "brief.participation",
    "brief.results",
    "brief.learning",
    "brief.clusters",
    "brief.zones",
    "brief.conclusions",
    "brief.attention",
)
RESULTS = ("brief.roadmaps", "brief.mouo", "brief.school", "brief.training", "brief.targets")
#: «Результаты обучения» of the demo (its results imported): the subsections
LEARNING = (
    "brief.learning.low",
    "brief.learning.zones",
    "brief.learning.means",
    "brief.learning.types",
)
#: words of the program, of statistics or of the code a reader must never meet
INTERNAL = (
    "scikit",
    "sklearn",
    "z-оцен",
    "z-score",
    "генератор",
    "SHA-256",
    "KMeans",
    "silhouette",
    ">=",
    "<=",
    "Сейчас",
    "None",
    "nan",
    "True",
    "False",
    "SOLN",
)
PREFIXES = sorted({code.rstrip("0123456789") for code in CODES})
RULE = re.compile(rf"\b(?:{'|'.join(PREFIXES)})\d\d\b")


@pytest.fixture(scope="module")
def brief(demo_run: tuple[Path, str]) -> Path:
    """The справка the demo wrote (both demo periods collected, then the brief)."""
    path = demo_run[0] / "Результаты" / f"Справка_{PERIOD}.docx"
    assert path.is_file()
    return path


@pytest.fixture(scope="module")
def pdf(brief: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from .lo import render_pdf

    return render_pdf(brief, tmp_path_factory.mktemp("brief-pdf"))


def _text(pdf: Any) -> str:
    return "\n".join(page.get_text() for page in pdf)


def test_word_styles_and_page(brief: Path, campaign: Campaign) -> None:
    """A4 portrait, fields 20/10/20/20 mm, Times New Roman 14, numbered heading styles,
    captions in Word's caption style, a card per municipality in the appendix."""
    import docx

    doc = docx.Document(str(brief))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    fields = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    assert [round(f.cm, 1) for f in fields] == [2.0, 1.0, 2.0, 2.0]
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size is not None and normal.size.pt == 14
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    h1 = [t for s, t in styled if s == "Heading 1"]
    assert h1[: len(SECTIONS)] == [render(k) for k in SECTIONS]
    assert h1[len(SECTIONS)] == render("brief.appendix")  # not numbered
    assert [t for s, t in styled if s == "Heading 2"] == [render(k) for k in (*RESULTS, *LEARNING)]
    assert [t for s, t in styled if s == "Heading 3"] == [m.name for m in campaign.municipalities]
    captions = [t for s, t in styled if s == "Caption"]
    tables = [t for t in captions if t.startswith("Таблица ")]
    assert [t.split(" – ")[0] for t in tables] == [
        f"Таблица {n}" for n in range(1, len(tables) + 1)
    ]
    assert any(t.startswith("Рисунок 2 – ") for t in captions)
    assert len(doc.inline_shapes) == 2
    assert "SEQ Таблица" in doc.element.xml and "PAGE" in doc.sections[0].header._element.xml


def test_recommendations_name_municipalities_and_schools(brief: Path, campaign: Campaign) -> None:
    import docx

    doc = docx.Document(str(brief))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index(render("brief.attention"))
    advice = texts[start + 1 : texts.index(render("brief.appendix"))]
    schools = {s.name for s in campaign.schools} | {s.short_name for s in campaign.schools}
    assert any(
        "рекомендуется включить" in t and any(f"«{s}»" in t for s in schools) for t in advice
    )
    missing = campaign.municipality("D10").name
    assert any(t.startswith(f"{missing}: отчёт за ноябрь 2026 не представлен") for t in advice)
    for t in advice:  # a rule code always comes with its words
        for m in RULE.finditer(t):
            assert t[m.end() : m.end() + 3] == " — ", t


def test_rendered_a4_fonts_numbers(pdf: Any) -> None:
    """LibreOffice's render: every page A4 (595×842 pt ±1), no text under 10 pt, each page
    numbered at the top."""
    smallest = 99.0
    for n, page in enumerate(pdf, 1):
        assert abs(page.rect.width - 595.3) <= 1 and abs(page.rect.height - 841.9) <= 1, n
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if span["text"].strip():
                        smallest = min(smallest, span["size"])
        top = [w[4] for w in page.get_text("words") if w[3] < 2.0 / 2.54 * 72]  # above the field
        assert top == [str(n)], (n, top)
    assert smallest >= 10, smallest
    assert len(pdf) >= 10


def test_rendered_text_reads_as_a_document(pdf: Any, campaign: Campaign) -> None:
    """Numbered sections as the reader sees them; no ISO dates; no internal words; names of
    municipalities, not codes."""
    text = _text(pdf)
    flat = re.sub(r"\s+", " ", text)
    for n, key in enumerate(SECTIONS, 1):
        assert f"{n}. {render(key)}" in flat, key
    for n, key in enumerate(RESULTS, 1):
        assert f"4.{n}. {render(key)}" in flat, key
    for n, key in enumerate(LEARNING, 1):
        assert f"5.{n}. {render(key)}" in flat, key
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
    for word in INTERNAL:
        assert word not in text, word
    assert not re.search(r"\bD\d\d\b", text)
    assert not re.search(r"(?<!\w)-\d", flat)  # a negative number has «−»
    for m in campaign.municipalities:
        assert m.name in flat
    for m in RULE.finditer(flat):
        assert flat[m.end() : m.end() + 3] == " — ", flat[m.start() - 40 : m.end() + 40]


def test_distinct_groups_are_named_by_profile(
    brief: Path, campaign: Campaign, tmp_path: Path
) -> None:
    """With a bound the demo's schools reach, the groups are shown with their profile in
    words (the demo's own grouping is not distinct: no groups shown)."""
    import docx

    from shkmd_xl.consolidate import consolidate
    from shkmd_xl.regional.brief import write_brief
    from shkmd_xl.store import Store, work_paths

    assert render("brief.clusters.table") not in [
        p.text.split(" – ")[-1] for p in docx.Document(str(brief)).paragraphs
    ]
    lenient = campaign.model_copy(
        update={
            "thresholds": campaign.thresholds.model_copy(update={"cluster_min_silhouette": 0.0})
        }
    )
    store = Store(work_paths(brief.parent)["store"])
    try:
        path = write_brief(
            store, lenient, consolidate(store, lenient, PERIOD), tmp_path / "distinct.docx"
        )
    finally:
        store.close()
    doc = docx.Document(str(path))
    assert any(p.text.endswith(render("brief.clusters.table")) for p in doc.paragraphs)
    groups = next(t for t in doc.tables if t.rows[0].cells[0].text == "Группа")
    profiles = [row.cells[2].text for row in groups.rows[1:]]
    assert profiles and all(re.search("(?i)среднего|среднему", p) for p in profiles)
