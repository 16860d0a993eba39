"""Golden files: outputs read back as values and structure (not bytes), compared with
JSON stored under ``tests/golden/``.

``read_xlsx`` and ``read_docx`` turn a workbook / a .docx into plain JSON-able data;
``normalise`` blanks what changes from run to run (the run date, SHA-256 hashes);
``assert_golden`` compares with the stored file and fails with a line diff, or
rewrites the file when ``SHKMD_UPDATE_GOLDEN=1`` is set.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).with_name("golden")
UPDATE_ENV = "SHKMD_UPDATE_GOLDEN"


def _value(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.isoformat() if v.time() != dt.time() else v.date().isoformat()
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v, 6)
    return v


def _trim(row: list[Any]) -> list[Any]:
    while row and row[-1] is None:
        row.pop()
    return row


def read_xlsx(path: Path) -> dict[str, Any]:
    """Sheet by sheet: every cell value (rows, trailing blanks trimmed), the number
    formats used in each column below the header, merged ranges, frozen panes; and the
    charts (type, title and series names) of the file."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(path)
    sheets: dict[str, Any] = {}
    for ws in wb.worksheets:
        rows = [_trim([_value(c.value) for c in row]) for row in ws.iter_rows()]
        while rows and not rows[-1]:
            rows.pop()
        formats: dict[str, list[str]] = {}
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if c.value is not None and c.number_format != "General":
                    col = get_column_letter(c.column)
                    if c.number_format not in formats.setdefault(col, []):
                        formats[col].append(c.number_format)
        sheets[ws.title] = {
            "rows": rows,
            "number_formats": dict(sorted(formats.items(), key=lambda kv: (len(kv[0]), kv[0]))),
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
        }
    charts = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)):
            xml = z.read(name).decode("utf-8")
            kinds = re.findall(r"<c:(\w+Chart)>", xml)
            texts = re.findall(r"<a:t>([^<]*)</a:t>", xml)
            series = re.findall(r"<c:tx><c:strRef><c:f>([^<]*)</c:f>", xml)
            charts.append({"kinds": kinds, "texts": texts, "series": series})
    return {"sheet_names": wb.sheetnames, "sheets": sheets, "charts": charts}


def read_docx(path: Path) -> dict[str, Any]:
    """The body in order: paragraphs (style and text; «[рисунок]» for a picture) and
    tables (every cell's text), plus the number of pictures."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(path))
    body: list[Any] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            text = p.text
            if not text and child.xpath(".//w:drawing"):
                text = "[рисунок]"
            if text:
                body.append([p.style.name if p.style is not None else "", text])
        elif tag == "tbl":
            table = Table(child, doc)
            body.append({"table": [[c.text for c in row.cells] for row in table.rows]})
    return {"body": body, "pictures": len(doc.inline_shapes)}


#: Volatile text and what it becomes: the справка's run date, SHA-256 of received files
#: (openpyxl stamps the time it saved a file into it).
VOLATILE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"Составлена \d{2}\.\d{2}\.\d{4}"), "Составлена <дата запуска>"),
    (re.compile(r"Дата составления: \d{1,2} [а-я]+ \d{4} г\."), "Дата составления: <дата запуска>"),
)


def normalise(data: Any) -> Any:
    """Replace the volatile parts of every string (``VOLATILE``)."""
    if isinstance(data, dict):
        return {k: normalise(v) for k, v in data.items()}
    if isinstance(data, list):
        return [normalise(v) for v in data]
    if isinstance(data, str):
        for pattern, replacement in VOLATILE:
            data = pattern.sub(replacement, data)
    return data


def pretty(data: Any, indent: int = 0) -> str:
    """JSON with one line per row / paragraph, so that a diff shows the changed row."""
    pad = " " * indent
    if isinstance(data, dict) and data:
        items = [
            f"{pad} {json.dumps(k, ensure_ascii=False)}: {pretty(v, indent + 1).lstrip()}"
            for k, v in data.items()
        ]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(data, list) and data and any(isinstance(x, list | dict) for x in data):
        items = [pretty(x, indent + 1) for x in data]
        return pad + "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return pad + json.dumps(data, ensure_ascii=False)


def assert_golden(name: str, data: Any) -> None:
    """Compare ``data`` with ``tests/golden/NAME.json`` (or rewrite it when
    ``SHKMD_UPDATE_GOLDEN=1``)."""
    path = GOLDEN / f"{name}.json"
    got = pretty(data) + "\n"
    if os.environ.get(UPDATE_ENV) == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, "utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}; write it with {UPDATE_ENV}=1")
    want = path.read_text("utf-8")
    if json.loads(want) == json.loads(got):
        return
    diff = difflib.unified_diff(
        want.splitlines(), got.splitlines(), f"golden/{name}.json", "this run", lineterm="", n=2
    )
    lines = list(diff)
    shown = "\n".join(lines[:200]) + (
        f"\n… {len(lines) - 200} more lines" if len(lines) > 200 else ""
    )
    pytest.fail(
        f"{name} differs from tests/golden/{name}.json. If the change is intended, "
        f"regenerate: {UPDATE_ENV}=1 .venv/bin/python -m pytest tests/test_golden.py\n{shown}",
        pytrace=False,
    )
