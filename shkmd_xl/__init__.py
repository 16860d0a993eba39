"""shkmd_xl: workbooks, checks and consolidation for the «Школы, которым можно доверять» project."""

from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .campaign import Campaign
    from .issues import Findings

__version__ = "0.1.0"


def __getattr__(name: str) -> str:
    """``shkmd_xl.TEMPLATE_VERSION``: declared with the forms, loaded when asked for."""
    if name == "TEMPLATE_VERSION":
        from .forms.sheets import TEMPLATE_VERSION

        return TEMPLATE_VERSION
    raise AttributeError(name)


def check(
    path: str | PathLike[str], campaign: Campaign | None = None, period: str | None = None
) -> Findings:
    """Check one municipal workbook: ``shkmd_xl.check(path) -> Findings``.

    See :func:`shkmd_xl.pipeline.check`.
    """
    from pathlib import Path

    from .pipeline import check as _check

    return _check(Path(path), campaign, period)
