"""A new school indicator added to the campaign alone (issue «one declaration per
concept», the newcomer's probe): it appears in every output that lists indicators —
the template, «Мониторинг ОО», «Динамика», «Кластеры ОО», the справка's table of
means and its zones — without a line of code; a campaign naming an indicator that does
not exist is refused (tests/test_campaign.py)."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from shkmd_xl.campaign.models import Indicator
from shkmd_xl.campaign.validate import check
from shkmd_xl.collect import collect
from shkmd_xl.regional.brief import make_brief

from .campaign import small_campaign
from .test_golden import _inbox

pytestmark = pytest.mark.slow
NEW = "S05"
WORDING = "Доля педагогов, освоивших программы наставничества"


def test_a_new_indicator_reaches_every_output(tmp_path: Path) -> None:
    c = small_campaign()
    data = c.model_dump()
    data["indicators"].append(
        Indicator(
            code=NEW,
            wording=WORDING,
            level="ОО",
            value_type="%",
            slots=["Апрель", "Ноябрь"],
            target_group="Учителя",
        ).model_dump()
    )
    c = check(type(c).model_validate(data))
    out = tmp_path / "Результаты"
    for period in ("2026-04", "2026-11"):
        result = collect(_inbox(c, tmp_path, period), period, c, out, workers=1)
    template = openpyxl.load_workbook(next((tmp_path / "шаблоны").glob("*.xlsx")))
    assert any(str(v.value).startswith(f"{NEW} ") for v in template["Мониторинг ОО"][1])
    wb = openpyxl.load_workbook(result.outputs["regional"], read_only=True)
    headers = [str(v) for v in next(wb["Мониторинг ОО"].iter_rows(values_only=True))]
    assert f"{NEW}. {WORDING}" in headers
    dynamics = [r[1] for r in wb["Динамика"].iter_rows(min_row=2, values_only=True)]
    assert NEW in dynamics
    clusters = next(wb["Кластеры ОО"].iter_rows(values_only=True))
    assert NEW in clusters
    doc = docx.Document(str(make_brief(out, "2026-11", c)))
    codes = [row.cells[0].text for t in doc.tables for row in t.rows]
    assert NEW in codes
