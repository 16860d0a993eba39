"""Fills of a municipal template as a user would type them.

A fill is a list of cells ``(sheet, "B4", value, kind)`` with kind string /
number / date (ISO text) / clear, so that the same fill can be typed through
openpyxl or through LibreOffice (UNO).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from shkmd_xl.campaign.models import TARGET_GROUPS, Campaign
from shkmd_xl.demo import cut_deadline
from shkmd_xl.forms import sheets as F
from shkmd_xl.forms.model import SheetForm

Cell = tuple[str, str, Any, str]


@dataclass
class Fill:
    """A fill being built: cells plus the row used next on Дорожные карты and ПК."""

    campaign: Campaign
    municipality: str
    period_code: str
    cells: list[Cell]
    roadmap_next: int = 0
    training_next: int = 0

    @property
    def period(self):  # type: ignore[no-untyped-def]
        return self.campaign.period(self.period_code)

    def put(self, form: SheetForm, row: int, key: str, value: Any, kind: str = "") -> None:
        """``row`` is the 0-based data row of ``form``."""
        if not kind:
            kind = "number" if isinstance(value, int | float) else "string"
            if isinstance(value, dt.date):
                kind, value = "date", value.isoformat()
        addr = xl_rowcol_to_cell(form.first_data_row + row, form.col(key))
        self.cells.append((form.name, addr, value, kind))

    def title(self, key: str, value: Any, kind: str = "string") -> None:
        i = [f.key for f in F.TITLE.fields].index(key)
        self.cells.append((F.TITLE.name, f"B{F.TITLE.header_row + i + 1}", value, kind))

    def event(self, **values: Any) -> int:
        row = self.roadmap_next
        self.roadmap_next += 1
        for key, value in values.items():
            self.put(F.ROADMAP, row, key, value)
        return row

    def addr(self, form: SheetForm, row: int, key: str) -> str:
        return xl_rowcol_to_cell(form.first_data_row + row, form.col(key))

    def set(self, form: SheetForm, row: int, key: str, value: Any, kind: str = "") -> str:
        """Replace (or clear, with value None) one cell; returns its address."""
        addr = self.addr(form, row, key)
        self.drop(form.name, addr)
        if value is not None:
            self.put(form, row, key, value, kind)
        return addr

    def drop_row(self, form: SheetForm, row: int) -> None:
        for key in [f.key for f in form.fields]:
            self.drop(form.name, self.addr(form, row, key))

    def row_values(self, form: SheetForm, row: int) -> dict[str, tuple[Any, str]]:
        cells = self.as_dict()
        out = {}
        for f in form.fields:
            a = self.addr(form, row, f.key)
            if (form.name, a) in cells:
                out[f.key] = cells[(form.name, a)]
        return out

    def copy_row(self, form: SheetForm, src: int, dst: int) -> None:
        for key, (value, kind) in self.row_values(form, src).items():
            self.put(form, dst, key, value, kind)

    def drop(self, sheet: str, addr: str) -> None:
        """Remove every cell typed at ``addr`` (to break a good fill)."""
        self.cells = [c for c in self.cells if not (c[0] == sheet and c[1] == addr)]

    def as_dict(self) -> dict[tuple[str, str], tuple[Any, str]]:
        return {(s, a): (v, k) for s, a, v, k in self.cells}


def academic_year(period_code: str, c: Campaign) -> tuple[dt.date, dt.date]:
    start = int(c.period(period_code).roadmap_year[:4])
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31)


def good_fill(c: Campaign, municipality: str, period_code: str, teachers: int = 2) -> Fill:
    """A complete, correct report of ``municipality`` for ``period_code``."""
    fill = Fill(c, municipality, period_code, [])
    p = c.period(period_code)
    m = c.municipality(municipality)
    fill.title("period", p.name)
    fill.title("coordinator", m.coordinator)
    fill.title("position", m.position)
    fill.title("phone", m.phone)
    fill.title("email", m.emails[0])
    fill.title("filled_on", p.deadline.isoformat(), "date")
    start, end = academic_year(period_code, c)
    schools = c.schools_of(municipality)
    directions = F.direction_items(c)
    for i, s in enumerate(schools):
        fill.put(F.PASSPORT, i, "period_from", start)
        fill.put(F.PASSPORT, i, "period_to", end)
        fill.put(F.PASSPORT, i, "approved_by", "Сидорова Анна Петровна")
        fill.put(F.PASSPORT, i, "approved_on", start)
        fill.put(F.PASSPORT, i, "director", "Директоров Пётр Иванович")
        plan: list[dict[str, Any]] = [
            {"direction": directions[0], "event": "Анализ причин низких результатов"},
            {"direction": directions[1], "event": "Утверждение показателей работы"},
            *(
                {"direction": directions[2], "event": f"Мониторинг: {cut} срез", "cut": cut}
                for cut in F.MONITORING_CUTS
            ),
            {"direction": directions[3], "event": "Анализ результатов мониторинга"},
            *(
                {
                    "direction": directions[4],
                    "event": c.events_for(g)[0].name,
                    "target_group": g,
                    "agreed": "Да",
                }
                for g in TARGET_GROUPS
            ),
            {"direction": directions[5], "event": "Анализ эффективности принятых мер"},
        ]
        for k, ev in enumerate(plan):
            month = ("октябрь", "ноябрь", "декабрь")[k % 3]
            fill.event(
                school=s.short_name,
                deadline=cut_deadline(ev.get("cut"), start) or f"{month} {start.year}",
                responsible="Кузнецова Ирина Сергеевна",
                responsible_position="заместитель директора",
                expected="Повышение качества образования",
                status="Запланировано",
                **ev,
            )
    slot, mouo = p.slot, F.mouo_form(c)
    for k, ind in enumerate(c.moupo_indicators):
        if slot in ind.slots:
            fill.put(mouo, k, F.value_key(slot), "Да")
            fill.put(
                mouo,
                k,
                F.link_key(slot),
                f"https://uo-{municipality.lower()}.example.ru/shkmd/{ind.code.lower()}",
            )
    sm = F.school_monitoring_form(c)
    for i, _ in enumerate(schools):
        row = i * len(F.STAGES) + F.STAGES.index(p.stage)
        for j, ind in enumerate(c.school_indicators):
            if p.stage in ind.stages:
                fill.put(sm, row, ind.code, 40 if ind.value_type == "чел." else 70 + j)
    for t in range(teachers):
        training_row(fill, t, schools[t % len(schools)].short_name, start)
    if slot in c.results.rules.months:
        for i, s in enumerate(schools):
            for k, row in enumerate(RESULT_ROWS):
                for key, value in zip(("assessment", "subject", "grade"), row[:3], strict=True):
                    fill.put(F.RESULTS, i * len(RESULT_ROWS) + k, key, value)
                fill.put(F.RESULTS, i * len(RESULT_ROWS) + k, "school", s.short_name)
                for key, value in zip(RESULT_NUMBERS, row[3:], strict=True):
                    fill.put(F.RESULTS, i * len(RESULT_ROWS) + k, key, value)
    return fill


#: A school's results in a good fill: assessment, subject, grade, then the numbers.
RESULT_NUMBERS = ("participants", "mean", "fail_share", "high_share")
RESULT_ROWS: tuple[tuple[str, str, int, int, float, float, float], ...] = (
    ("ЕГЭ", "Русский язык", 11, 24, 68.5, 0, 12.5),
    ("ОГЭ", "Математика", 9, 51, 3.6, 3.9, 15.7),
    ("ВПР", "Математика", 5, 60, 3.8, 5, 21.7),
)


def training_row(fill: Fill, row: int, school: str, start: dt.date) -> None:
    """A complete teacher row whose course has ended."""
    values: dict[str, Any] = {
        "teacher": f"Учителева Ольга {['Ивановна', 'Петровна', 'Сергеевна'][row % 3]}",
        "school": school,
        "position": "учитель математики",
        "education": "высшее",
        "diploma_no": f"1077 {123456 + row}",
        "diploma_date": dt.date(2010, 6, 30),
        "specialty": "математика",
        "years": 12,
        "age": 38,
        "programme": "Формирующее оценивание на уроках математики",
        "comp_subject": "Да",
        "comp_method": "Нет",
        "comp_psy": "Нет",
        "comp_comm": "Нет",
        "difficulties": "решение задач с параметром",
        "course_start": start + dt.timedelta(days=30),
        "course_end": start + dt.timedelta(days=44),
        "hours": 36,
        "entry_diag": 72,
        "repeat_diag": None,
        "internship": "",
        "attestation": "зачёт",
        "improved": "предметная",
        "certificate": f"УД-{row + 1:04d}",
        "recommendation": "Нет",
    }
    for key, value in values.items():
        if value not in (None, ""):
            fill.put(F.TRAINING, row, key, value)


def fill_with_openpyxl(template: Path, fill: Fill, out: Path) -> Path:
    """Type a fill into a template with openpyxl and save it."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    for sheet, addr, value, kind in fill.cells:
        ws = wb[sheet]
        if kind == "date":
            ws[addr] = dt.date.fromisoformat(value)
            ws[addr].number_format = "DD.MM.YYYY"
        elif kind == "clear":
            ws[addr] = None
        else:
            ws[addr] = value
            if kind == "string" and str(value).startswith("="):
                ws[addr].data_type = "s"  # text typed as '=1+1 (openpyxl would make a formula)
    wb.save(out)
    return out
