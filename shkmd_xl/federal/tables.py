"""Detailed tables of a federal roll-up as Parquet files, written in batches.

A sheet holds at most 1,048,576 rows; 85 regions' roadmaps and teachers do
not fit, so the details go to Parquet (pyarrow) next to a summary workbook.
Rows are written in batches as each region is read, so memory stays bounded
by one region, whatever the number of regions.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import public_mode
from ..forms import sheets as F
from ..forms.model import SheetForm
from ..reader.values import deadline_shown

BATCH = 20_000
NUMERIC = {"number", "count", "percent"}
REGION = [("Код региона", pa.string()), ("Регион", pa.string())]
MUNICIPALITY = [("Код МО", pa.string()), ("МО", pa.string())]


def _wide(form: SheetForm) -> pa.Schema:
    def kind(k: str) -> pa.DataType:
        return pa.float64() if k in NUMERIC else pa.date32() if k == "date" else pa.string()

    return pa.schema(
        [*REGION, *MUNICIPALITY, ("Строка файла", pa.int32())]
        + [(f.label, kind(f.kind)) for f in form.fields]
    )


@dataclass(frozen=True)
class TableSpec:
    file: str
    title: str
    schema: pa.Schema


#: The column of when a file was received (ISO 8601: the Parquet is read by programs).
RECEIVED = "Получен"

SPECS = {
    "statuses": TableSpec(
        "статусы.parquet",
        "состояние каждого муниципалитета за период",
        pa.schema(
            [
                *REGION,
                *MUNICIPALITY,
                ("Статус", pa.string()),
                ("Файл", pa.string()),
                (RECEIVED, pa.string()),
                ("Ошибок", pa.int32()),
                ("Предупреждений", pa.int32()),
                ("Сведений", pa.int32()),
                ("Полнота, %", pa.float64()),
            ]
        ),
    ),
    "files": TableSpec(
        "файлы.parquet",
        "каждый полученный файл: откуда, от кого, что с ним сделано",
        pa.schema(
            [
                *REGION,
                ("МО", pa.string()),
                ("Файл", pa.string()),
                ("Путь в почте", pa.string()),
                ("Отправитель", pa.string()),
                (RECEIVED, pa.string()),
                ("Итог", pa.string()),
                ("Версия шаблона", pa.string()),
                ("SHA-256", pa.string()),
            ]
        ),
    ),
    "findings": TableSpec(
        "замечания.parquet",
        "все замечания проверки с листом и ячейкой",
        pa.schema(
            [
                *REGION,
                ("Код замечания", pa.string()),
                ("Важность", pa.string()),
                ("Файл", pa.string()),
                ("Лист", pa.string()),
                ("Ячейка", pa.string()),
                ("Строка", pa.int32()),
                ("МО", pa.string()),
                ("ОО", pa.string()),
                ("Значение", pa.string()),
                ("Замечание", pa.string()),
            ]
        ),
    ),
    F.PASSPORT.key: TableSpec("паспорта.parquet", "паспорта дорожных карт ОО", _wide(F.PASSPORT)),
    F.ROADMAP.key: TableSpec(
        "дорожные_карты.parquet", "мероприятия дорожных карт", _wide(F.ROADMAP)
    ),
    F.TRAINING.key: TableSpec(
        "повышение_квалификации.parquet", "педагоги на повышении квалификации", _wide(F.TRAINING)
    ),
    "monitoring": TableSpec(
        "мониторинг.parquet",
        "показатели мониторинга МОУО и ОО (одна строка — одно значение)",
        pa.schema(
            [
                *REGION,
                *MUNICIPALITY,
                ("Уровень", pa.string()),
                ("ОО", pa.string()),
                ("Этап", pa.string()),
                ("Показатель", pa.string()),
                ("Значение", pa.string()),
                ("Число", pa.float64()),
                ("Ссылка", pa.string()),
            ]
        ),
    ),
    "results_municipalities": TableSpec(
        "результаты_МО.parquet",
        "результаты обучения по муниципалитетам: интегральный показатель, ОО с низкими "
        "результатами, цели проекта по результатам (те же правила, что в своде региона)",
        pa.schema(
            [
                *REGION,
                *MUNICIPALITY,
                ("Год результатов", pa.int32()),
                ("ОО с интегральным показателем", pa.int32()),
                ("Средний интегральный показатель", pa.float64()),
                ("ОО с низкими результатами", pa.int32()),
                ("ОО в эффективном режиме", pa.int32()),
                ("Эффективный режим: ОО оценено", pa.int32()),
                ("ОО с подтверждённой положительной динамикой", pa.int32()),
                ("Динамика: ОО с результатами двух лет", pa.int32()),
                ("ОО, где все выпускники преодолели порог", pa.int32()),
                ("Выпускники: ОО с результатами ГИА", pa.int32()),
                ("Зон низкого качества по предметам", pa.int32()),
            ]
        ),
    ),
    "results_schools": TableSpec(
        "результаты_ОО.parquet",
        "интегральный показатель каждой ОО проекта, место, динамика, зоны по предметам",
        pa.schema(
            [
                *REGION,
                *MUNICIPALITY,
                ("ОО", pa.string()),
                ("Тип ОО", pa.string()),
                ("Год результатов", pa.int32()),
                ("Интегральный показатель", pa.float64()),
                ("Стандартная ошибка", pa.float64()),
                ("Место в регионе", pa.int32()),
                ("Низкие результаты", pa.string()),
                ("Изменение за год", pa.float64()),
                ("Рост подтверждён", pa.string()),
                ("Эффективный режим", pa.string()),
                ("Все выпускники преодолели порог", pa.string()),
                ("Зон низкого качества по предметам", pa.int32()),
            ]
        ),
    ),
}
FORMS = {f.key: f for f in (F.PASSPORT, F.ROADMAP, F.TRAINING)}


def text(value: Any) -> str | None:
    """A stored value as text: Да/Нет, a deadline range «a – b», numbers without «.0»."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Да" if value else "Нет"
    if isinstance(value, list):  # a deadline read as (first day, last day)
        return str(deadline_shown(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _converters(form: SheetForm) -> list[tuple[str, Any]]:
    return [
        (f.key, number if f.kind in NUMERIC else date if f.kind == "date" else text)
        for f in form.fields
    ]


_CONVERTERS: dict[str, list[tuple[str, Any]]] = {}


def typed(form: SheetForm, record: dict[str, Any]) -> list[Any]:
    """A record's values in the form's column order, typed for its Parquet schema."""
    converters = _CONVERTERS.get(form.key)
    if converters is None:
        converters = _CONVERTERS[form.key] = _converters(form)
    return [convert(record.get(key)) for key, convert in converters]


class Tables:
    """Parquet writers of one run, in a temporary folder until :meth:`commit`."""

    def __init__(self, folder: Path, tmp: Path | None = None):
        self.folder = folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        if tmp is None:
            tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
            public_mode(tmp, folder=True)
        tmp.mkdir(parents=True, exist_ok=True)
        self.tmp = tmp
        self.writers = {
            key: pq.ParquetWriter(self.tmp / spec.file, spec.schema, compression="zstd")
            for key, spec in SPECS.items()
        }
        self.pending: dict[str, list[list[Any]]] = {key: [] for key in SPECS}
        self.rows = dict.fromkeys(SPECS, 0)

    def add(self, key: str, row: list[Any]) -> None:
        self.pending[key].append(row)
        if len(self.pending[key]) >= BATCH:
            self._flush(key)

    def _flush(self, key: str) -> None:
        rows = self.pending[key]
        if not rows:
            return
        schema = SPECS[key].schema
        columns = [
            pa.array([r[i] for r in rows], type=schema.field(i).type) for i in range(len(schema))
        ]
        self.writers[key].write_table(pa.Table.from_arrays(columns, schema=schema))
        self.rows[key] += len(rows)
        self.pending[key] = []

    def close(self) -> dict[str, int]:
        """Write what is pending and close the files; rows per Parquet file."""
        for key, writer in self.writers.items():
            self._flush(key)
            writer.close()
        return {SPECS[k].file: n for k, n in self.rows.items()}

    def commit(self) -> dict[str, int]:
        """Close the files and put the folder in place (the previous one stays until then)."""
        rows = self.close()
        place(self.tmp, self.folder)
        return rows


def place(tmp: Path, folder: Path) -> None:
    """Replace ``folder`` by ``tmp``: readers see the previous tables or the new ones."""
    old = folder.with_name(folder.name + ".old")
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
    os.replace(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)
