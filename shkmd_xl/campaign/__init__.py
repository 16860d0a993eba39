"""The campaign: registry, catalogues, indicators, periods and thresholds as data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from .models import (
    STAGES,
    TARGET_GROUPS,
    Campaign,
    CatalogueEvent,
    Indicator,
    MonitoringMonth,
    Municipality,
    Period,
    School,
    Thresholds,
)
from .validate import CampaignError, check

__all__ = [
    "STAGES",
    "TARGET_GROUPS",
    "Campaign",
    "CampaignError",
    "CatalogueEvent",
    "Indicator",
    "MonitoringMonth",
    "Municipality",
    "Period",
    "School",
    "Thresholds",
    "default_campaign",
]


@cache
def _default_json() -> str:
    return resources.files(__package__).joinpath("data/default_campaign.json").read_text("utf-8")


def default_campaign() -> Campaign:
    """The demo campaign built from the seeds (registry marked as demo data)."""
    return check(Campaign.model_validate(json.loads(_default_json())))
