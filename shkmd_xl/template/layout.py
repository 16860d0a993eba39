"""Where things sit in a generated workbook: row counts and cell references."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_range_abs, xl_rowcol_to_cell

from ..campaign.models import Campaign
from ..forms import sheets as F
from ..forms.model import SheetForm


def ref(sheet: str, row1: int, col1: int, row2: int | None = None, col2: int | None = None) -> str:
    """Absolute reference to a cell or range of ``sheet`` (0-based indexes)."""
    if row2 is None or col2 is None:
        return f"{quote_sheetname(sheet)}!{xl_rowcol_to_cell(row1, col1, True, True)}"
    return f"{quote_sheetname(sheet)}!{xl_range_abs(row1, col1, row2, col2)}"


def col_ref(form: SheetForm, key: str, n_rows: int) -> str:
    """Absolute reference to the data cells of a field."""
    c = form.col(key)
    r0 = form.first_data_row
    return ref(form.name, r0, c, r0 + n_rows - 1, c)


def col_letter(form: SheetForm, key: str) -> str:
    return xl_col_to_name(form.col(key))


@dataclass(frozen=True)
class Layout:
    """Row counts of the data sheets for one workbook."""

    passport_rows: int
    roadmap_rows: int
    school_mon_rows: int
    training_rows: int
    lists: dict[str, list[str]]
    mouo_rows: int = 0  # one per МОУО indicator
    months: tuple[str, ...] = ()  # the campaign's monitoring months
    results_rows: int = 0  # «Результаты обучения»
    assessments: tuple[tuple[str, int, int], ...] = ()  # (code, subjects, grades)

    @classmethod
    def for_workbook(cls, campaign: Campaign, municipality: str | None) -> Layout:
        lists = F.lists_for(campaign, municipality)
        n_schools = len(campaign.schools_of(municipality)) if municipality else 0
        if municipality is None:
            passport, roadmap, training = 15, 900, 300
        else:
            passport = max(n_schools, 1)
            roadmap = max(300, 60 * n_schools)
            training = max(250, 20 * n_schools)
        return cls(
            passport_rows=passport,
            roadmap_rows=roadmap,
            school_mon_rows=passport * len(F.STAGES),
            training_rows=training,
            lists=lists,
            mouo_rows=len(campaign.moupo_indicators),
            months=tuple(campaign.month_names),
            results_rows=900 if municipality is None else max(300, 60 * n_schools),
            assessments=tuple(
                (a.code, len(a.subjects), len(a.grades)) for a in campaign.results.assessments
            ),
        )

    def rows(self, form: SheetForm) -> int:
        return {
            F.PASSPORT.key: self.passport_rows,
            F.ROADMAP.key: self.roadmap_rows,
            F.SCHOOL_MON_KEY: self.school_mon_rows,
            F.TRAINING.key: self.training_rows,
            F.MOUO_KEY: self.mouo_rows,
            F.RESULTS.key: self.results_rows,
        }[form.key]

    # -- Справочники ---------------------------------------------------------
    def list_names(self) -> list[str]:
        return list(F.LIST_TITLES)

    def list_ref(self, name: str) -> str:
        """Reference to the items of a dropdown list on Справочники."""
        col = self.list_names().index(name)
        n = max(len(self.lists[name]), 1)
        return ref(F.LISTS, 1, col, n, col)

    def list_item_ref(self, name: str, index: int) -> str:
        col = self.list_names().index(name)
        return ref(F.LISTS, 1 + index, col)

    @property
    def periods_col(self) -> int:
        """First column of the periods table (name, slot, stage, slot number)."""
        return len(self.list_names()) + 1

    def periods_ref(self, offset: int) -> str:
        n = max(len(self.lists["periods"]), 1)
        c = self.periods_col + offset
        return ref(F.LISTS, 1, c, n, c)

    @property
    def flags_col(self) -> int:
        """First column of the МОУО indicator × month table (code, flags per slot)."""
        return self.periods_col + 5

    def flags_ref(self, indicator_index: int) -> str:
        r = 1 + indicator_index
        return ref(F.LISTS, r, self.flags_col + 1, r, self.flags_col + len(self.months))

    # -- the assessments' own lists (Справочники, after the МОУО flags) ----------
    @property
    def results_col(self) -> int:
        """First column of the assessments' table: code, scale from, scale to; then a
        column of subjects and one of grades per assessment."""
        return self.flags_col + len(self.months) + 2

    def scale_ref(self, index: int, offset: int) -> str:
        """Cell of assessment ``index``'s code (0), scale from (1) or scale to (2)."""
        return ref(F.LISTS, 1 + index, self.results_col + offset)

    def assessment_list_ref(self, index: int, grades: bool) -> str:
        """The subjects (or grades) of assessment ``index``."""
        _, n_subjects, n_grades = self.assessments[index]
        c = self.results_col + 4 + 2 * index + int(grades)
        return ref(F.LISTS, 1, c, max(n_grades if grades else n_subjects, 1), c)
