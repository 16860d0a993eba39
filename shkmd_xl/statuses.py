"""A municipality's status in a period: one declaration (identifier, Russian word;
the colour in palette.STATUS) for the store, consolidation, the regional workbook, the federal summary, the
letters and the buttons."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """Identifier (the value, kept in data and JSON) with its Russian word (``ru``);
    its colour is palette.STATUS."""

    ACCEPTED = "accepted"
    ACCEPTED_REMARKS = "accepted_remarks"
    TO_REDO = "to_redo"
    MISSING = "missing"

    @property
    def ru(self) -> str:
        return _RU[self]


_RU = {
    Status.ACCEPTED: "принято",
    Status.ACCEPTED_REMARKS: "принято с замечаниями",
    Status.TO_REDO: "на доработку",
    Status.MISSING: "не представлено",
}
#: In the order the outputs show them.
STATUSES = tuple(Status)
