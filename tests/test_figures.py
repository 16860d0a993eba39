"""Every figure the region reads, recomputed from the stored inputs by independent,
simple code (pandas over the SQLite store), equals what the regional workbook and the
справка print — on the tests' own campaign (the golden run of tests/test_golden.py).

The rule recomputed here (figures/base.py says it in words): a period's figures count
the current version of each municipality's report that has no errors; the regional
mean of a school indicator is the mean over schools.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pandas as pd
import pytest

from shkmd_xl.regional.brief import make_brief

from .test_golden import PERIODS, run  # noqa: F401  (the module's collect run)

pytestmark = pytest.mark.slow
NOW = PERIODS[-1]


def _frames(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counted submissions, their records) straight from the store's tables."""
    db = sqlite3.connect(out / "shkmd.sqlite")
    subs = pd.read_sql("SELECT hash, period, municipality, outcome, errors FROM submissions", db)
    counted = subs[(subs.outcome == "accepted") & (subs.errors == 0)]
    rec = pd.read_sql("SELECT hash, period, form, row, data FROM records", db)
    db.close()
    rec = rec.merge(counted[["hash", "period", "municipality"]], on=["hash", "period"])
    data = pd.json_normalize(rec["data"].map(json.loads).tolist())
    data = data.drop(columns=[k for k in data.columns if k in rec.columns])  # title fields
    return counted, pd.concat([rec.drop(columns="data").reset_index(drop=True), data], axis=1)


def _pct(part: int, whole: int) -> str:
    value = round(100 * part / whole, 1)
    return f"{value:g}".replace(".", ",") + f" % ({part} из {whole})"


def _mean(series: pd.Series) -> float:
    return round(float(pd.to_numeric(series, errors="coerce").dropna().mean()), 1)


def _shown(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _effective_by_results(out: Path, c: Any) -> tuple[int, int]:
    """(schools in effective mode, schools judged) straight from the results table: each
    assessment × subject × grade standardised over the schools (participant-weighted
    mean and spread), the integral the mean of z weighted «assessment weight ×
    participants»; effective: integral ≥ the campaign's bound and at most its share of
    participants below the minimum (participant-weighted over the school's rows)."""
    db = sqlite3.connect(out / "shkmd.sqlite")
    res = pd.read_sql("SELECT * FROM results WHERE year = ?", db, params=(int(NOW[:4]),))
    db.close()
    rules = c.results.rules
    weight = {a.code: a.weight for a in c.results.assessments}
    res = res[res.participants > 0].dropna(subset=["mean"])
    parts = []
    for _, item in res.groupby(["assessment", "subject", "grade"]):
        n = item.participants
        m = (item["mean"] * n).sum() / n.sum()
        sd = (((item["mean"] - m) ** 2 * n).sum() / n.sum()) ** 0.5
        if len(item) >= 3 and sd > 0:
            w = item.assessment.map(weight) * n
            parts.append(
                pd.DataFrame({"school": item.school, "wz": w * (item["mean"] - m) / sd, "w": w})
            )
    z = pd.concat(parts).groupby("school").sum()
    integral = z.wz / z.w
    fails = res.dropna(subset=["fail_share"])
    fail = (fails.fail_share * fails.participants).groupby(fails.school).sum() / (
        fails.participants.groupby(fails.school).sum()
    )
    ok = (integral >= rules.effective_min_integral) & (
        fail.reindex(integral.index).fillna(0) <= rules.effective_max_fail
    )
    return int(ok.sum()), len(integral)


@pytest.fixture(scope="module")
def figures(run: dict) -> dict:  # noqa: F811
    c = run["campaign"]
    counted, rec = _frames(run["out"])
    now = rec[rec.period == NOW]
    roadmap = now[now.form == "roadmap"].dropna(subset=["school"])
    directions = roadmap.groupby(["municipality", "school"])["direction"].nunique()
    meets, judged = _effective_by_results(run["out"], c)
    training = now[now.form == "training"]
    level = c.thresholds.sufficient_level
    sufficient = training[(training.entry_diag >= level) | (training.repeat_diag >= level)]
    means = {}
    for period in PERIODS:
        rows = rec[(rec.period == period) & (rec.form == "school_mon")]
        rows = rows[rows.stage == c.period(period).stage]
        means[period] = {
            i.code: _mean(rows[i.code])
            for i in c.school_indicators
            if i.value_type == "%" and i.code in rows and rows[i.code].notna().any()
        }
    return {
        "reports": len(counted[counted.period == NOW]),
        "coverage": _pct(int((directions == len(c.directions)).sum()), len(c.schools)),
        "effective": _pct(meets, judged),
        "sufficient": len(sufficient),
        "means": means,
    }


def test_project_targets_equal_in_workbook_and_brief(run: dict, figures: dict) -> None:  # noqa: F811
    wb = openpyxl.load_workbook(run["results"][NOW].outputs["regional"], read_only=True)
    targets = {r[0]: r for r in wb["Показатели проекта"].iter_rows(min_row=2, values_only=True)}
    coverage = targets["ОО с дорожной картой по всем направлениям"]
    effective = targets["ОО в эффективном режиме работы"]
    assert coverage[2] == figures["coverage"]
    assert effective[2] == figures["effective"]
    assert f"по {figures['reports']} принят" in coverage[4]
    doc = docx.Document(str(make_brief(run["out"], NOW, run["campaign"])))
    cells = {row.cells[0].text: [c.text for c in row.cells] for t in doc.tables for row in t.rows}
    assert cells["ОО с дорожной картой по всем направлениям"][2] == figures["coverage"]
    assert cells["ОО в эффективном режиме работы"][2] == figures["effective"]


def test_regional_means_equal_in_dynamics_and_brief(run: dict, figures: dict) -> None:  # noqa: F811
    c = run["campaign"]
    ws = openpyxl.load_workbook(run["results"][NOW].outputs["regional"], read_only=True)["Динамика"]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Регион, среднее по ОО, %")
    header = rows[start]
    names = [c.period(p).name for p in PERIODS]
    region = {r[1]: r for r in rows[start + 1 :] if r[1]}
    assert region, "no regional block on «Динамика»"
    for code, row in region.items():
        for period, name in zip(PERIODS, names, strict=True):
            if name in header and code in figures["means"][period]:
                assert row[header.index(name)] == figures["means"][period][code], (code, name)
    doc = docx.Document(str(make_brief(run["out"], NOW, c)))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Код")
    for row in table.rows[1:]:
        code, now = row.cells[0].text, row.cells[2].text
        if code in figures["means"][NOW]:
            assert now == _shown(figures["means"][NOW][code]), code


def test_sufficient_teachers_equal_in_sheet_and_brief(run: dict, figures: dict) -> None:  # noqa: F811
    wb = openpyxl.load_workbook(run["results"][NOW].outputs["regional"], read_only=True)
    listed = [r for r in wb["Педагоги 95–100%"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(listed) == figures["sufficient"]
    doc = docx.Document(str(make_brief(run["out"], NOW, run["campaign"])))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    either = next(r for r in rows if r[0].startswith("Входная или повторная диагностика"))
    assert either[1] == str(figures["sufficient"])
