"""shkmd_xl: workbooks, checks and consolidation for the «Школы, которым можно доверять» project."""

__version__ = "0.1.0"
#: Version of the municipal workbook layout written into every template's _meta.
TEMPLATE_VERSION = "1.0"
