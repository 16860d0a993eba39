"""Folder / zip / .eml / .msg -> candidate workbooks with their provenance.

:mod:`.items` (what is yielded, received names for display), :mod:`.unpack` (the
scan through containers, with its limits), :mod:`.sniff` (what a file is by
content), :mod:`.archive` (received files stored under their content hash).
:mod:`.msg_writer` writes Outlook .msg files for the demo and the tests.
"""

from .items import Candidate, Other, Refused, safe_name
from .unpack import MAX_MEMBER_BYTES, scan

__all__ = [
    "MAX_MEMBER_BYTES",
    "Candidate",
    "Other",
    "Refused",
    "safe_name",
    "scan",
]
