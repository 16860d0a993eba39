"""The tests' own campaign: three municipalities, six schools, seven indicators.

Tests that assert on specific campaign content (school names, indicator codes,
counts) use this campaign, so the demo campaign (``shkmd_xl/campaign/data``) can
change without breaking them. Edit ``small_campaign.json`` together with the tests
and golden files that use it.
"""

from __future__ import annotations

from pathlib import Path

from shkmd_xl.campaign import Campaign
from shkmd_xl.campaign.validate import check

PATH = Path(__file__).with_name("small_campaign.json")


def small_campaign() -> Campaign:
    """A fresh, checked copy of the test campaign."""
    return check(Campaign.model_validate_json(PATH.read_text("utf-8")))
