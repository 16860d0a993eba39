"""Submissions of many municipalities -> current versions, regional findings, statuses.

:mod:`.consolidation` (one period consolidated), :mod:`.examine` (one received
workbook, in a worker), :mod:`.region` and :mod:`.cross` (the region's checks across
files).
"""

from ..statuses import STATUSES
from .consolidation import (
    ACCEPTED,
    ACCEPTED_REMARKS,
    MISSING,
    TO_REDO,
    Consolidation,
    consolidate,
    regional_codes,
)

__all__ = [
    "ACCEPTED",
    "ACCEPTED_REMARKS",
    "MISSING",
    "STATUSES",
    "TO_REDO",
    "Consolidation",
    "consolidate",
    "regional_codes",
]
