"""Building blocks of a form description: fields and sheets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .required import ROW_USED, When

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


@dataclass(frozen=True)
class Field:
    """One column (or, on Титул, one labelled row) of a sheet."""

    key: str
    label: str
    kind: Kind = "text"
    #: When the field must be filled (None: never); see forms/required.py.
    required: When | None = ROW_USED
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
    #: Finding code (``CODE`` or ``CODE.variant``) when the field is required and empty;
    #: empty: the sheet's code (``SheetForm.missing``).
    missing: str = ""


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
    #: Finding code of a required field left empty (the generic required-field rule).
    missing: str = ""

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

    def missing_code(self, fld: Field) -> tuple[str, str]:
        """(code, variant) of the finding for ``fld`` required and empty."""
        code, _, variant = (fld.missing or self.missing).partition(".")
        return code, variant

    @property
    def first_data_row(self) -> int:
        """0-based index of the first data row."""
        return self.header_row + 1
