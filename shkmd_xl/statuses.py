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


class Decision(enum.StrEnum):
    """What the region decided on a municipality's report (as DHIS2's data approval:
    approve, return, reopen). The value is kept in the store; ``ru`` is the word the
    analyst chooses (the dropdown of «Решения»), ``done`` says what became of the report.
    The municipality's :class:`Status` follows the latest decision: accepted — «принято»
    (or «принято с замечаниями» while findings not waived remain), returned — «на
    доработку», reopened — the status its findings give."""

    ACCEPT = "accept"
    RETURN = "return"
    REOPEN = "reopen"

    @property
    def ru(self) -> str:
        return _DECISION_RU[self][0]

    @property
    def done(self) -> str:
        return _DECISION_RU[self][1]


_DECISION_RU = {
    Decision.ACCEPT: ("принять", "принят регионом"),
    Decision.RETURN: ("вернуть на доработку", "возвращён на доработку"),
    Decision.REOPEN: ("открыть заново", "открыт заново"),
}
#: In the order the dropdown shows them.
DECISIONS = tuple(Decision)
