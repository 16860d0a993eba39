"""The results figures: the integral indicator recomputed by independent code, low
results, zones by subject, confirmed change, graduates over the threshold, and other
verdicts from another campaign rule with no code change."""

from __future__ import annotations

import statistics
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.figures.results import figures_of, method_lines
from shkmd_xl.store.results import ResultRow

#: (school index, ЕГЭ Русский язык mean, participants, ОГЭ Математика mean, participants)
TABLE = [
    (0, 72.0, 25, 4.1, 50),
    (1, 65.0, 18, 3.7, 42),
    (2, 58.0, 30, 3.3, 61),
    (3, 49.0, 12, 3.1, 35),
    (4, 69.0, 22, 3.9, 44),
]


def _rows(c: Campaign, year: int, shift: float = 0.0) -> list[ResultRow]:
    schools = c.schools[:5]
    out = []
    for i, ege, n1, oge, n2 in TABLE:
        s = schools[i]
        bump = shift if i == 3 else 0.0
        for code, subject, grade, mean, n, fail in (
            ("ЕГЭ", "Русский язык", 11, ege + 10 * bump, n1, 0.0 if i != 3 else 8.3),
            ("ОГЭ", "Математика", 9, oge + 0.4 * bump, n2, 2.0 + 5 * i),
            ("ВПР", "Математика", 5, 3.5 + 0.1 * i, 40, 5.0),  # weight 0: not in the indicator
        ):
            out.append(
                ResultRow(
                    year,
                    f"{year}-06",
                    "import:t",
                    s.municipality,
                    s.short_name,
                    code,
                    subject,
                    grade,
                    n,
                    mean,
                    fail,
                    10.0,
                    "t",
                )
            )
    return out


def _independent_integral(c: Campaign) -> dict[int, float]:
    """Plain code, as the method reads: z per subject over the schools (weighted by
    participants), then a participants-weighted average of the z of ЕГЭ and ОГЭ."""
    out = {}
    columns = [(1, 2), (3, 4)]  # (mean, participants) of ЕГЭ and ОГЭ in TABLE
    stats = []
    for m, n in columns:
        total = sum(row[n] for row in TABLE)
        mean = sum(row[m] * row[n] for row in TABLE) / total
        var = sum(row[n] * (row[m] - mean) ** 2 for row in TABLE) / total
        stats.append((mean, var**0.5))
    for row in TABLE:
        num = den = 0.0
        for (m, n), (mean, sd) in zip(columns, stats, strict=True):
            num += row[n] * (row[m] - mean) / sd
            den += row[n]
        out[row[0]] = num / den
    return out


def test_integral_of_three_schools_matches_independent_code(campaign: Campaign) -> None:
    figs = figures_of(_rows(campaign, 2026), [], campaign, 2026)
    expected = _independent_integral(campaign)
    by_name = {s.school.short_name: s for s in figs.schools}
    for i in (0, 2, 3):
        got = by_name[campaign.schools[i].short_name].integral
        assert got == pytest.approx(expected[i], abs=1e-9)
    # ranked, the lowest 25 % (2 of 5, rounded up) are the schools with low results
    assert [s.rank for s in figs.ranked] == [1, 2, 3, 4, 5]
    assert {s.school.short_name for s in figs.low} == {
        campaign.schools[2].short_name,
        campaign.schools[3].short_name,
    }
    assert statistics.fmean(expected.values()) != 0  # weights by participants differ


def test_zones_graduates_and_effective_mode(campaign: Campaign) -> None:
    figs = figures_of(_rows(campaign, 2026), [], campaign, 2026)
    weak = campaign.schools[3].short_name
    zones = {(z.school, z.assessment) for z in figs.zones}
    assert (weak, "ЕГЭ") in zones  # 49 against ~62: more than 10 % of the scale below
    assert (weak, "ОГЭ") in zones  # 17 % did not pass (> 15 %)
    by_name = {s.school.short_name: s for s in figs.schools}
    assert by_name[campaign.schools[0].short_name].all_passed is False  # ОГЭ fail 2 %
    assert by_name[weak].effective is False
    assert by_name[campaign.schools[0].short_name].effective is True
    assert any("Интегральный показатель" in line for line in method_lines(campaign))


def test_confirmed_change_needs_more_than_noise(campaign: Campaign) -> None:
    """The weak school rises: a large rise is confirmed, a rise within the noise of its
    few participants is not (though above 0)."""
    weak = campaign.schools[3].short_name
    before = _rows(campaign, 2025)
    big = figures_of(_rows(campaign, 2026, shift=2.0), before, campaign, 2026)
    small = figures_of(_rows(campaign, 2026, shift=0.05), before, campaign, 2026)
    b = next(s for s in big.schools if s.school.short_name == weak)
    s = next(s for s in small.schools if s.school.short_name == weak)
    assert b.change is not None and b.change > 0 and b.confirmed is True
    assert s.change is not None and s.change > 0 and s.confirmed is False
    trend = next(m for m in big.means if m.assessment == "ЕГЭ" and m.previous is not None)
    assert trend.regional_previous is not None


def test_another_rule_gives_other_verdicts(campaign: Campaign) -> None:
    """The campaign's rules, not code: a wider zone margin and a fixed bound change the
    zones and the list of schools with low results."""
    rules = campaign.results.rules.model_copy(
        update={"zone_margin": 30.0, "zone_fail_share": 50.0, "low_integral": -1.0}
    )
    other = campaign.model_copy(
        update={"results": campaign.results.model_copy(update={"rules": rules})}
    )
    figs = figures_of(_rows(other, 2026), [], other, 2026)
    assert figs.zones == []
    assert [s.school.short_name for s in figs.low] == [campaign.schools[3].short_name]


def test_target_counts(campaign: Campaign) -> None:
    from shkmd_xl.figures.results import target_counts

    figs = figures_of(_rows(campaign, 2026, shift=2.0), _rows(campaign, 2025), campaign, 2026)
    counts = target_counts(figs)
    assert counts["positive"] == (1, 5)  # only the weak school rose beyond the noise
    assert counts["graduates"][1] == 5 and counts["effective"][1] == 5


def test_a_campaign_file_edited_in_its_sheets_gives_other_verdicts(
    tmp_path: Path, campaign: Campaign
) -> None:
    """«Правила результатов» and «Оценочные процедуры» edited as a region edits them in
    Excel: other zones, other schools with low results, another integral — no code."""
    from shkmd_xl.forms import campaign_book as CB
    from shkmd_xl.reader.campaign_book import read_campaign_workbook
    from shkmd_xl.template.campaign_book import write_campaign_workbook

    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(path)
    rules = {r[3].value: r for r in wb[CB.RESULTS_RULES.name].iter_rows(min_row=2)}
    rules["zone_margin"][2].value = 30
    rules["zone_fail_share"][2].value = 50
    rules["low_integral"][2].value = -1
    for row in wb[CB.ASSESSMENTS.name].iter_rows(min_row=2):
        if row[0].value == "ОГЭ":
            row[9].value = 0  # the region leaves ОГЭ out of the indicator
    wb.save(path)
    edited = read_campaign_workbook(path)
    before = figures_of(_rows(campaign, 2026), [], campaign, 2026)
    after = figures_of(_rows(edited, 2026), [], edited, 2026)
    assert before.zones and not after.zones
    assert len(before.low) == 2 and len(after.low) == 1
    assert [s.integral for s in before.ranked] != [s.integral for s in after.ranked]
