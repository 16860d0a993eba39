"""A federal roll-up: several regions in one run, details to Parquet, a summary workbook.

Each region is an ordinary regional collect in its own working folder
(``out/<код региона>/``: archive, store, and with ``regional_outputs`` its own
Свод and feedback). One region whose campaign or inbox is unusable is
reported in the summary; the others go on. Detailed tables are written as
each region finishes, so memory is bounded by one region.
"""

from .registry import Region, RegistryError, load_registry, write_registry
from .results import DONE, FAILED, FederalResult, RegionResult
from .run import collect_regions
from .summary import write_summary

__all__ = [
    "DONE",
    "FAILED",
    "FederalResult",
    "Region",
    "RegionResult",
    "RegistryError",
    "collect_regions",
    "load_registry",
    "write_registry",
    "write_summary",
]
