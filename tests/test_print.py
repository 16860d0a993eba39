"""Outputs that print (issue 17): every workbook we write renders in LibreOffice on A4,
its smallest type at 8 pt or more, «Стр. N из M» on every page; and no text a user
reads carries an ISO date or a word of the code (library names, method names, rules)."""

from __future__ import annotations

import email
import re
import zipfile
from email import policy
from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytestmark = pytest.mark.slow

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
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
