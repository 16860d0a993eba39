"""Building blocks of a form description: fields and sheets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "text",  # free text
    "fio",  # a person's full name
    "date",  # a calendar date
    "deadline",  # a date, a month or a quarter («II квартал 2026»)
    "yesno",  # Да / Нет
    "choice",  # one value of a list
    "percent",  # 0–100
    "count",  # a non-negative integer
    "number",  # any non-negative number
    "link",  # http(s) address
    "school",  # a school of the registry
    "direction",  # roadmap direction 1–6
    "stage",  # I / II / III
    "code",  # indicator code
    "email",
    "phone",
]

#: When a field must be filled. Conditions are interpreted by the template
#: (conditional formatting, Контроль formulas) and by the rules alike.
Required = Literal[
    "always",  # whenever the row is in use
    "never",
    "dir5",  # the row's direction is 5
    "dir3",  # the row's direction is 3
    "report",  # June / November reports
    "done",  # the row's status is «Выполнено»
    "course_ended",  # the teacher's course has ended
]


@dataclass(frozen=True)
class Field:
    """One column (or, on Титул, one labelled row) of a sheet."""

    key: str
    label: str
    kind: Kind = "text"
    required: Required = "always"
    choices: str | None = None  # name of a list on the hidden Справочники sheet
    width: float = 16
    prefilled: bool = False  # written by the generator and locked
    help: str = ""  # input message shown when the cell is selected (≤ 255 chars)
    #: A column added in a later template version: files made with an earlier template
    #: lack it, and that is no finding (nor is it required).
    added_later: bool = False
    #: A list offered as a dropdown without restricting the cell (free text allowed):
    #: the event column offers the catalogue of regional events (direction 5).
    suggestions: str | None = None


@dataclass(frozen=True)
class SheetForm:
    """A sheet: its Russian name and its fields in column order."""

    key: str
    name: str
    fields: tuple[Field, ...]
    header_row: int = 0  # 0-based row of the header labels
    title: str = ""
    required_sheet: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [f.label for f in self.fields]

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def col(self, key: str) -> int:
        """0-based column index of a field."""
        for i, f in enumerate(self.fields):
            if f.key == key:
                return i
        raise KeyError(key)

    @property
    def first_data_row(self) -> int:
        """0-based index of the first data row."""
        return self.header_row + 1
