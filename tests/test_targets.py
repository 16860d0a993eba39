"""Project targets computed from known data: schools (not events), campaign-defined rules."""

from __future__ import annotations

import pytest

from shkmd_xl.campaign.models import Thresholds
from shkmd_xl.figures.targets import (
    effective_share,
    implemented_share,
    positive_share,
)


def test_roadmaps_implemented_counts_schools_not_events() -> None:
    events = {
        "A": ["Выполнено"] * 9,  # 9 events, all done
        "B": ["Выполнено", "Запланировано"],  # one open event: not implemented
        "C": ["Выполнено"],
        "D": [],  # no events: not judged
    }
    # by events it would be 11/12 = 91.7 %; by schools 2 of 3
    assert implemented_share(events) == 66.7


def test_effective_mode_follows_the_campaign_rule() -> None:
    rule = Thresholds(effective_mode_rule="S03 >= 70; S09 >= 60").effective_conditions()
    values = {
        "A": {"S03": 75, "S09": 61},  # meets both
        "B": {"S03": 69.9, "S09": 90},  # S03 too low
        "C": {"S03": 80, "S09": 60},  # on the line: meets
        "D": {"S03": 80},  # S09 missing: not judged
    }
    assert effective_share(values, rule) == 66.7
    assert effective_share(values, []) is None
    with pytest.raises(ValueError, match="не понято"):
        Thresholds(effective_mode_rule="S03 > 70")


def test_positive_change_is_the_mean_rise_of_the_campaign_indicators() -> None:
    before = {"A": {"S03": 50, "S09": 40}, "B": {"S03": 60, "S09": 70}, "C": {"S03": 70}}
    now = {
        "A": {"S03": 55, "S09": 41},  # +3 on average: positive
        "B": {"S03": 62, "S09": 64},  # -2 on average: not
        "C": {"S03": 70},  # 0: not above 0
        "E": {"S03": 90},  # new school, nothing to compare: not judged
    }
    assert positive_share(now, before, ["S03", "S09"], 0.0) == 33.3
    assert positive_share(now, before, ["S03", "S09"], 5.0) == 0.0
    assert positive_share(now, {}, ["S03"], 0.0) is None
