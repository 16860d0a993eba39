"""The regional outputs: the regional workbook, its targets and clusters, the справка."""

from .workbook import write_regional_workbook
from .writer import OPTIONS, Writer, page_setup

__all__ = ["OPTIONS", "Writer", "page_setup", "write_regional_workbook"]
