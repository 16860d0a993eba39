"""A synthetic inbox for the demo: ~15 municipalities, two periods, typical mistakes.

Deterministic for a seed. Workbooks are filled with openpyxl the way a user
types them; e-mails are written with the standard library.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

import openpyxl
from xlsxwriter.utility import xl_rowcol_to_cell

from .campaign.models import TARGET_GROUPS, Campaign
from .forms import sheets as F
from .template.workbook import write_municipal_workbook

DEMO_PERIODS = ("2026-04", "2026-11")
SURNAMES = (
    "Учителева",
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Васильева",
    "Петрова",
    "Соколова",
    "Михайлова",
    "Новикова",
    "Фёдорова",
    "Морозова",
    "Волкова",
    "Алексеева",
    "Лебедева",
    "Семёнова",
)
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
#: What each demo municipality does wrong (period -> mistake); the rest send clean reports.
MISTAKES: dict[str, dict[str, str]] = {
    "2026-04": {
        "D01": "no_direction",
        "D03": "percent_text",
        "D10": "silent",
        "D11": "corrupt",
        "D08": "zip",
    },
    "2026-11": {
        "D01": "no_direction",
        "D02": "school_typo",
        "D03": "percent_garbage",
        "D04": "late",
        "D05": "resubmission",
        "D06": "duplicate",
        "D07": "msg",
        "D08": "nested_zip",
        "D10": "silent",
        "D11": "corrupt",
        "D12": "no_link",
        "D13": "copied",
        "D14": "jump",
    },
}


def cut_deadline(cut: Any, start: dt.date) -> str | None:
    """Monitoring cuts of direction 3 in time order: October, January, May."""
    months = {"начальный": "октябрь", "промежуточный": "январь", "итоговый": "май"}
    if cut not in months:
        return None
    return f"{months[cut]} {start.year + (0 if cut == 'начальный' else 1)}"


class Filler:
    """Cells of one municipal report, typed into a template with openpyxl."""

    def __init__(self, campaign: Campaign, code: str, period: str, rnd: random.Random):
        self.c, self.code, self.p, self.rnd = campaign, code, campaign.period(period), rnd
        self.cells: dict[tuple[str, str], Any] = {}

    def put(self, form: F.SheetForm, row: int, key: str, value: Any) -> None:
        addr = xl_rowcol_to_cell(form.first_data_row + row, form.col(key))
        self.cells[(form.name, addr)] = value

    def good(self, values: dict[str, dict[str, float]]) -> Filler:
        c, p = self.c, self.p
        title = {"period": p.name, "filled_on": p.deadline - dt.timedelta(days=3)}
        for i, fld in enumerate(F.TITLE.fields):
            if fld.key in title:
                self.cells[(F.TITLE.name, f"B{F.TITLE.header_row + i + 1}")] = title[fld.key]
        start = dt.date(int(p.roadmap_year[:4]), 9, 1)
        dirs = F.direction_items(c)
        row = 0
        for i, s in enumerate(c.schools_of(self.code)):
            for key, v in (
                ("period_from", start),
                ("period_to", dt.date(start.year + 1, 8, 31)),
                ("approved_by", "Начальникова Елена Викторовна"),
                ("approved_on", start),
                ("director", "Директоров Иван Петрович"),
            ):
                self.put(F.PASSPORT, i, key, v)
            plan: list[dict[str, Any]] = [
                {"direction": dirs[0], "event": "Анализ факторов"},
                {"direction": dirs[1], "event": "Показатели работы"},
            ]
            plan += [
                {"direction": dirs[2], "event": f"{cut.capitalize()} срез", "cut": cut}
                for cut in F.MONITORING_CUTS
            ]
            plan += [{"direction": dirs[3], "event": "Анализ результатов"}]
            plan += [
                {
                    "direction": dirs[4],
                    "event": c.events_for(g)[self.rnd.randrange(len(c.events_for(g)))].name,
                    "target_group": g,
                    "agreed": "Да",
                }
                for g in TARGET_GROUPS
            ]
            plan += [{"direction": dirs[5], "event": "Анализ эффективности мер"}]
            for k, ev in enumerate(plan):
                done = p.month_number == len(c.months) and k < 4  # the year's last month
                ev.update(
                    school=s.short_name,
                    deadline=cut_deadline(ev.get("cut"), start)
                    or f"{['октябрь', 'ноябрь'][k % 2]} {start.year}",
                    responsible="Кузнецова Ирина Сергеевна",
                    responsible_position="заместитель директора",
                    expected="Повышение качества образования",
                    status=F.DONE if done else F.PLANNED,
                )
                if done:
                    ev["evidence"] = f"https://school{i + 1}.example.ru/dk/{k + 1}"
                for key, v in ev.items():
                    self.put(F.ROADMAP, row, key, v)
                row += 1
            sm = F.school_monitoring_form(c)
            srow = i * len(F.STAGES) + F.STAGES.index(p.stage)
            for ind in c.school_indicators:
                if p.stage in ind.stages:
                    self.put(sm, srow, ind.code, values[s.short_name][ind.code])
            teacher: dict[str, Any] = {
                "teacher": f"{SURNAMES[i % len(SURNAMES)]} Анна Сергеевна",
                "school": s.short_name,
                "position": "учитель математики",
                "education": "высшее",
                "diploma_no": f"10{i:04d}",
                "diploma_date": dt.date(2012, 6, 30),
                "specialty": "математика",
                "years": 9,
                "age": 35,
                "programme": "Формирующее оценивание",
                "comp_subject": "Да",
                "comp_method": "Нет",
                "comp_psy": "Нет",
                "comp_comm": "Нет",
                "difficulties": "задачи с параметром",
                "course_start": start + dt.timedelta(days=20),
                "course_end": start + dt.timedelta(days=34),
                "hours": 36,
                "entry_diag": 96 if i == 0 else 74,
                "attestation": "фрагмент открытого занятия" if i == 0 else "зачёт",
                "improved": "предметная",
                "certificate": f"УД-{i + 1:03d}",
                "recommendation": "Да" if i == 0 else "Нет",
            }
            for key, v in teacher.items():
                self.put(F.TRAINING, i, key, v)
        mouo = F.mouo_form(c)
        for k, ind in enumerate(c.moupo_indicators):
            if p.slot in ind.slots:
                self.put(mouo, k, F.value_key(p.slot), "Да")
                self.put(
                    mouo,
                    k,
                    F.link_key(p.slot),
                    f"https://uo-{self.code.lower()}.example.ru/shkmd/{ind.code.lower()}",
                )
        return self

    def save(self, template: Path) -> bytes:
        wb = openpyxl.load_workbook(template)
        for (sheet, addr), value in self.cells.items():
            wb[sheet][addr] = value
            if isinstance(value, dt.date):
                wb[sheet][addr].number_format = "DD.MM.YYYY"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def school_values(c: Campaign, code: str, rnd: random.Random) -> dict[str, dict[str, float]]:
    return {
        s.short_name: {
            i.code: (rnd.randint(15, 60) if i.value_type == "чел." else float(rnd.randint(55, 95)))
            for i in c.school_indicators
        }
        for s in c.schools_of(code)
    }


def _mistake(f: Filler, mistake: str, c: Campaign) -> None:
    sm = F.school_monitoring_form(c)
    stage_row = F.STAGES.index(f.p.stage)
    if mistake == "no_direction":  # the 2nd school forgets direction 4 (its 6th event)
        for key in [fld.key for fld in F.ROADMAP.fields]:
            f.cells.pop((F.ROADMAP.name, xl_rowcol_to_cell(1 + 10 + 5, F.ROADMAP.col(key))), None)
    elif mistake == "school_typo":
        name = c.schools_of(f.code)[0].short_name
        f.put(F.TRAINING, 0, "school", name.replace("СОШ", "СШО"))
    elif mistake == "percent_text":  # accepted: «85%» and «85,5»
        f.put(sm, stage_row, "S02", "85%")
        f.put(sm, stage_row, "S03", "85,5")
    elif mistake == "percent_garbage":
        f.put(sm, stage_row, "S02", "сто процентов")
        f.put(sm, stage_row, "S03", 250)
    elif mistake == "no_link":
        f.put(F.mouo_form(c), 0, F.link_key(f.p.slot), "на сайте")


def _eml(
    sender: tuple[str, str], when: dt.datetime, subject: str, attachments: list[tuple[str, bytes]]
) -> bytes:
    msg = EmailMessage()
    msg["From"] = formataddr(sender)
    msg["To"] = "shkmd@demo-region.example.ru"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when.astimezone())
    msg.set_content("Добрый день! Направляем отчёт по проекту. Во вложении — файл.")
    for name, data in attachments:
        if name.endswith(".zip"):
            msg.add_attachment(data, maintype="application", subtype="zip", filename=name)
        else:
            msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return bytes(msg)


class Cp866Info(zipfile.ZipInfo):
    """A member name in cp866 without the UTF-8 flag, as Windows' «compressed folder» writes."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("cp866"), self.flag_bits & ~0x800


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = Cp866Info(name, date_time=(2026, 11, 20, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def build_inbox(
    c: Campaign,
    inbox: Path,
    period: str,
    seed: int = 2026,
    history: dict[str, dict[str, dict[str, float]]] | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """Write one period's inbox; returns the school values sent (for the next period)."""
    rnd = random.Random(f"{seed}-{period}")
    p = c.period(period)
    folder = inbox / period
    folder.mkdir(parents=True, exist_ok=True)
    templates = inbox.parent / ".демо-шаблоны"
    sent: dict[str, dict[str, dict[str, float]]] = {}
    base = dt.datetime.combine(p.deadline, dt.time(10, 0)) - dt.timedelta(days=5)
    for n, m in enumerate(c.municipalities):
        mistake = MISTAKES.get(period, {}).get(m.code, "")
        if mistake == "silent":
            continue
        values = school_values(c, m.code, rnd)
        if history and m.code in history:  # schools change a little between periods
            values = {
                sch: {
                    k: (v if k == "S01" else min(100.0, max(0.0, v + rnd.randint(-8, 8))))
                    for k, v in vs.items()
                }
                for sch, vs in history[m.code].items()
            }
        if history and m.code in history and mistake == "copied":
            values = history[m.code]
        elif history and m.code in history and mistake == "jump":  # S08 moves by 35 p.p.
            values = {
                s: {k: (v + 35 if v <= 65 else v - 35) if k == "S08" else v for k, v in vs.items()}
                for s, vs in history[m.code].items()
            }
        sent[m.code] = values
        template = write_municipal_workbook(
            c, m.code, templates / f"{m.code}.xlsx", dt.datetime(2026, 1, 1)
        )
        filler = Filler(c, m.code, period, rnd).good(values)
        _mistake(filler, mistake, c)
        name = f"Отчёт ШКМД {m.name.split(' (')[0]} {p.name}.xlsx"
        data = filler.save(template)
        when = base + dt.timedelta(hours=n * 3)
        if mistake == "late":
            when = dt.datetime.combine(p.deadline, dt.time(12, 0)) + dt.timedelta(days=3)
        sender = (m.coordinator, m.emails[0])
        subject = f"Отчёт по проекту ШКМД за {p.name} — {m.name}"
        if mistake == "corrupt":
            data = data[: len(data) // 3]
        if mistake == "resubmission":
            first = Filler(c, m.code, period, rnd).good(values)
            _mistake(first, "no_direction", c)
            (folder / f"{n:02d}a_{m.code}.eml").write_bytes(
                _eml(sender, when - dt.timedelta(days=2), subject, [(name, first.save(template))])
            )
            subject = "Исправленный отчёт: " + subject
        if mistake == "zip":
            payload = [(name.replace(".xlsx", ".zip"), _zip([(name, data)]))]
        elif mistake == "nested_zip":
            inner = _zip([(name, data)])
            payload = [
                ("Отчёты.zip", _zip([("Муниципалитет/" + name.replace(".xlsx", ".zip"), inner)]))
            ]
        else:
            payload = [(name, data)]
        if mistake == "msg":  # sent from Outlook and saved as .msg
            from .intake.msg_writer import message

            (folder / f"{n:02d}_{m.code}.msg").write_bytes(
                message(
                    subject, sender[1], sender[0], when.astimezone(), "Отчёт во вложении.", payload
                )
            )
        else:
            (folder / f"{n:02d}_{m.code}.eml").write_bytes(_eml(sender, when, subject, payload))
        if mistake == "duplicate":  # sent twice by mistake
            (folder / f"{n:02d}b_{m.code}.eml").write_bytes(
                _eml(sender, when + dt.timedelta(minutes=7), "Повторно: " + subject, payload)
            )
    for path in folder.iterdir():
        os.utime(path, (base.timestamp(), base.timestamp()))
    return sent


#: Results in the demo exports: (assessment, subject, grade, regional mean, spread of
#: school means, participants from, to).
RESULT_ITEMS: tuple[tuple[str, str, int, float, float, int, int], ...] = (
    ("ЕГЭ", "Русский язык", 11, 68.0, 6.0, 8, 35),
    ("ЕГЭ", "Математика (профильный уровень)", 11, 55.0, 8.0, 5, 25),
    ("ОГЭ", "Русский язык", 9, 3.9, 0.25, 20, 70),
    ("ОГЭ", "Математика", 9, 3.6, 0.3, 20, 70),
    ("РДР", "Русский язык", 7, 58.0, 8.0, 25, 75),
    ("РДР", "Математика", 7, 52.0, 9.0, 25, 75),
    ("ВПР", "Русский язык", 5, 3.6, 0.3, 25, 75),
    ("ВПР", "Математика", 5, 3.7, 0.3, 25, 75),
)
RESULT_HEADER = (
    "Код ОО",
    "Наименование ОО",
    "Экзамен",
    "Учебный предмет",
    "Параллель",
    "Кол-во участников",
    "Средний балл",
    "Доля не преодолевших минимальный порог",
    "Доля высоких результатов, %",
    "Дата выгрузки",
)


def _abilities(c: Campaign, rnd: random.Random) -> dict[str, tuple[float, float]]:
    """School -> (standing last year, this year): most stay, about one in seven is weak,
    about one in five improves markedly (a demo with a realistic spread)."""
    out = {}
    for s in c.schools:
        a = rnd.gauss(0, 0.7) - (0.3 if "депривированная" in s.type else 0.0)
        roll = rnd.random()
        if roll < 0.14:
            a -= 1.2
        now = a + rnd.gauss(0, 0.15)
        if 0.14 <= roll < 0.34:
            a -= 0.5
            now = a + 1.0
        out[s.code] = (a, now)
    return out


def _result(
    item: tuple[str, str, int, float, float, int, int], a: float, n: int, rnd: random.Random
) -> tuple[float, float, float]:
    """Mean, share below the minimum, share of high results for a school of standing ``a``."""
    import math

    _code, _, _, base, sd, _, _ = item
    mark = base < 10
    noise = (0.7 if mark else 15.0) / math.sqrt(n)
    mean = base + sd * a + rnd.gauss(0, noise)
    mean = min(max(mean, 2.0 if mark else 0.0), 5.0 if mark else 100.0)
    z = (mean - base) / sd
    fail = round(n / (1 + math.exp(3.2 + 1.4 * z))) / n * 100
    high = min(100 - fail, round(n / (1 + math.exp(1.5 - 1.3 * z))) / n * 100)
    return round(mean, 2 if mark else 1), round(fail, 1), round(high, 1)


def build_results_exports(c: Campaign, folder: Path, seed: int = 2026) -> list[tuple[Path, str]]:
    """Exports of the data-processing centre for last year and this one (.xlsx, headers
    as such centres name them, the region's other schools among the project's): (file,
    period of the results)."""
    rnd = random.Random(f"{seed}-results")
    abilities = _abilities(c, rnd)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for year, which in ((2025, 0), (2026, 1)):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Результаты"
        ws.append(list(RESULT_HEADER))
        for s in c.schools:
            for item in RESULT_ITEMS:
                n = rnd.randint(item[5], item[6])
                mean, fail, high = _result(item, abilities[s.code][which], n, rnd)
                ws.append(
                    [
                        s.code,
                        s.name,
                        item[0],
                        item[1],
                        item[2],
                        n,
                        mean,
                        fail,
                        high,
                        f"15.07.{year}",
                    ]
                )
        for k in range(3):  # the region's schools outside the project: skipped, named
            ws.append(
                [
                    f"ДР-{900 + k}",
                    f"МБОУ СОШ № {900 + k}",
                    "ЕГЭ",
                    "Русский язык",
                    11,
                    20,
                    70.0,
                    0.0,
                    20.0,
                    f"15.07.{year}",
                ]
            )
        path = folder / f"Выгрузка РЦОИ {year}.xlsx"
        wb.save(path)
        out.append((path, f"{year}-06"))
    return out
