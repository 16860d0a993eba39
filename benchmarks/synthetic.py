"""Synthetic registries of realistic size for the benchmarks."""

from __future__ import annotations

import random

from shkmd_xl.campaign import Campaign, Municipality, School, default_campaign


def region_campaign(
    n_municipalities: int, schools_per_municipality: tuple[int, int] = (1, 15), seed: int = 0
) -> Campaign:
    """The default campaign with a generated registry of the given size."""
    rnd = random.Random(seed)
    base = default_campaign()
    municipalities, schools = [], []
    for i in range(1, n_municipalities + 1):
        code = f"B{i:03d}"
        municipalities.append(
            Municipality(
                code=code,
                name=f"Муниципальный округ № {i} (синтетика)",
                coordinator="Иванова Мария Петровна",
                position="Специалист",
                emails=[f"mo{i}@bench.example.ru"],
                phone="+7 000 000-00-00",
            )
        )
        for j in range(1, rnd.randint(*schools_per_municipality) + 1):
            schools.append(
                School(
                    code=f"{code}-{j:02d}",
                    name=f"МБОУ СОШ № {j} округа {i}",
                    short_name=f"СОШ № {j} округа {i}",
                    municipality=code,
                )
            )
    return base.model_copy(update={"municipalities": municipalities, "schools": schools})


def municipal_workbook(
    path, n_schools: int = 10, events: int = 40, teachers: int = 150, period: str = "2026-11"
):  # type: ignore[no-untyped-def]
    """A realistic filled municipal workbook (openpyxl), and its campaign."""
    import datetime as dt

    import openpyxl
    from xlsxwriter.utility import xl_rowcol_to_cell

    from shkmd_xl.forms import sheets as F
    from shkmd_xl.template.workbook import write_municipal_workbook

    c = region_campaign(1, (n_schools, n_schools), seed=2)
    code = c.municipalities[0].code
    p = c.period(period)
    template = write_municipal_workbook(c, code, path)
    wb = openpyxl.load_workbook(template)

    def put(form, row: int, key: str, value) -> None:  # type: ignore[no-untyped-def]
        wb[form.name][xl_rowcol_to_cell(form.first_data_row + row, form.col(key))] = value

    wb[F.TITLE.name]["B4"] = p.name
    wb[F.TITLE.name]["B9"] = p.deadline
    start = dt.date(int(p.roadmap_year[:4]), 9, 1)
    directions = F.direction_items(c)
    row = 0
    for i, s in enumerate(c.schools):
        for key, value in (
            ("period_from", start),
            ("period_to", start.replace(year=start.year + 1, month=8, day=31)),
            ("approved_by", "Сидорова Анна Петровна"),
            ("approved_on", start),
            ("director", "Петров Пётр Петрович"),
        ):
            put(F.PASSPORT, i, key, value)
        for k in range(events):
            d = k % 6
            values = {
                "school": s.short_name,
                "direction": directions[d],
                "event": f"Мероприятие {k + 1}",
                "deadline": "II квартал 2027",
                "responsible": "Кузнецова Ирина Сергеевна",
                "responsible_position": "заместитель директора",
                "expected": "Повышение качества",
                "status": "Выполнено",
                "evidence": f"https://school.example.ru/doc{k}",
            }
            if d == 2:
                values["cut"] = F.MONITORING_CUTS[(k // 6) % 3]
            if d == 4:
                group = c.catalogue[k % len(c.catalogue)]
                values.update(event=group.name, target_group=group.target_group, agreed="Да")
            for key, value in values.items():
                put(F.ROADMAP, row, key, value)
            row += 1
    for k, ind in enumerate(c.moupo_indicators):
        for slot in ind.slots:
            put(F.mouo_form(c), k, F.value_key(slot), "Да")
            put(F.mouo_form(c), k, F.link_key(slot), "https://uo.example.ru/page")
    sm = F.school_monitoring_form(c)
    for i in range(len(c.schools) * 3):
        stage = F.STAGES[i % 3]
        for ind in c.school_indicators:
            if stage in ind.stages:
                put(sm, i, ind.code, 40 if ind.value_type == "чел." else 75.5)
    for t in range(teachers):
        values = {
            "teacher": f"Учителева Ольга Ивановна {t}",
            "school": c.schools[t % len(c.schools)].short_name,
            "position": "учитель",
            "education": "высшее",
            "diploma_no": f"10 {t}",
            "diploma_date": dt.date(2010, 6, 30),
            "specialty": "математика",
            "years": 10,
            "age": 40,
            "programme": f"Программа {t}",
            "comp_subject": "Да",
            "comp_method": "Нет",
            "comp_psy": "Нет",
            "comp_comm": "Нет",
            "difficulties": "нет",
            "course_start": start,
            "course_end": start + dt.timedelta(days=20),
            "hours": 36,
            "entry_diag": 80,
            "attestation": "зачёт",
            "improved": "предметная",
            "certificate": f"УД {t}",
            "recommendation": "Нет",
        }
        for key, value in values.items():
            put(F.TRAINING, t, key, value)
    wb.save(path)
    return path, c


def region_inbox(inbox, n: int, period: str, seed: int = 3):  # type: ignore[no-untyped-def]
    """An inbox of ``n`` e-mails (one per municipality) with realistic workbooks.

    Every third municipality makes a mistake, so that feedback copies are written.
    """
    import datetime as dt
    from pathlib import Path

    from shkmd_xl.demo import Filler, _eml, _mistake, school_values
    from shkmd_xl.template.workbook import write_municipal_workbook

    rnd = random.Random(seed)
    c = region_campaign(n, (1, 15), seed)
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    files = []
    for i, m in enumerate(c.municipalities):
        template = write_municipal_workbook(
            c, m.code, inbox.parent / "t" / f"{m.code}.xlsx", dt.datetime(2026, 1, 1)
        )
        filler = Filler(c, m.code, period, rnd).good(school_values(c, m.code, rnd))
        if i % 3 == 0:
            _mistake(filler, ("no_direction", "percent_garbage", "no_link")[i % 9 // 3], c)
        data = filler.save(template)
        path = inbox / f"{i:03d}_{m.code}.eml"
        path.write_bytes(
            _eml(
                (m.coordinator, m.emails[0]),
                dt.datetime(2026, 11, 20, 10, 0),
                f"Отчёт {m.name}",
                [(f"Отчёт {m.code}.xlsx", data)],
            )
        )
        files.append(path)
    return inbox, c, files


def federal_inbox(inbox, n: int, period: str = "2026-11", seed: int = 5):  # type: ignore[no-untyped-def]
    """``n`` distinct municipal workbooks, fast: 15 filled bases (1–15 schools) whose
    municipality code and name are replaced byte for byte in the package."""
    import datetime as dt
    import io
    import zipfile
    from pathlib import Path

    from shkmd_xl.campaign import Municipality, School
    from shkmd_xl.demo import Filler, school_values
    from shkmd_xl.template.workbook import write_municipal_workbook

    rnd = random.Random(seed)
    base = default_campaign()
    sizes = [rnd.randint(1, 15) for _ in range(n)]
    muns = [
        Municipality(
            code=f"F{i:04d}",
            name=f"МО F{i:04d} (синтетика)",
            coordinator="Иванова Мария Петровна",
            position="Специалист",
            phone="+7 000 000-00-00",
            emails=[f"f{i:04d}@bench.example.ru"],
        )
        for i in range(n + 15)
    ]
    schools = [
        School(
            code=f"F{i:04d}-{j:02d}",
            name=f"МБОУ СОШ № {j}",
            short_name=f"СОШ № {j}",
            municipality=f"F{i:04d}",
        )
        for i, k in enumerate(sizes + list(range(1, 16)))
        for j in range(1, k + 1)
    ]
    c = base.model_copy(update={"municipalities": muns, "schools": schools})
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    bases = {}
    for k in range(1, 16):
        code = f"F{n + k - 1:04d}"
        template = write_municipal_workbook(
            c, code, inbox.parent / "t" / f"{code}.xlsx", dt.datetime(2026, 1, 1)
        )
        filler = Filler(c, code, period, rnd).good(school_values(c, code, rnd))
        bases[k] = (code, filler.save(template))
    files = []
    for i, k in enumerate(sizes):
        old, data = bases[k]
        new = f"F{i:04d}"
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as zin,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
        ):
            for item in zin.infolist():
                body = zin.read(item)
                if item.filename.startswith(("xl/worksheets/", "xl/sharedStrings", "docProps/")):
                    body = body.replace(old.encode(), new.encode())
                z.writestr(item, body)
        path = inbox / f"{new}.xlsx"
        path.write_bytes(out.getvalue())
        files.append(path)
    return inbox, c, files
