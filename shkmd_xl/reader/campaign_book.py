"""Campaign workbook (Excel) -> :class:`Campaign`, refusing bad data in Russian."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import python_calamine
from pydantic import BaseModel, ValidationError

from ..campaign import validate as V
from ..campaign.goals import OLD_THRESHOLDS, Goal, Recommendation, goals_from_thresholds
from ..campaign.models import (
    DIRECTIONS,
    Campaign,
    CatalogueEvent,
    Indicator,
    MonitoringMonth,
    Municipality,
    Period,
    School,
    Thresholds,
    default_months,
)
from ..campaign.results import RULE_NAMES
from ..forms import campaign_book as CB
from ..messages import render
from .campaign_results import read_results
from .opening import reason_ru
from .values import BadValue, clean_text, parse_date, parse_yes_no

Row = dict[str, Any]


class _Sheets:
    def __init__(self, path: Path):
        self.path = path
        try:
            self.book = python_calamine.CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises several types
            raise V.CampaignError(
                [render("campaign.unreadable", file=path.name, reason=reason_ru(exc))]
            ) from None

    def rows(self, sheet: CB.CampaignSheet, problems: list[str]) -> list[tuple[int, Row]]:
        """(workbook row number, {key: value}) of every non-empty data row."""
        if sheet.name not in self.book.sheet_names:
            problems.append(render("campaign.missing_sheet", file=self.path.name, sheet=sheet.name))
            return []
        ws = self.book.get_sheet_by_name(sheet.name)
        data = ws.to_python(skip_empty_area=False)
        if not data:
            return []
        header = [clean_text(v) for v in data[0]]
        cols: dict[str, int] = {}
        for column in sheet.columns:
            if column.label in header:
                cols[column.key] = header.index(column.label)
            elif not column.optional:
                problems.append(
                    render("campaign.missing_column", sheet=sheet.name, column=column.label)
                )
        out = []
        for i, raw in enumerate(data[1:], 2):
            row = {k: raw[c] if c < len(raw) else None for k, c in cols.items()}
            if all(clean_text(v) == "" for v in row.values()):
                continue
            out.append((i, row))
        return out


def _model(
    cls: type[BaseModel], data: Row, sheet: CB.CampaignSheet, row: int, problems: list[str]
) -> Any:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        labels = {c.key: c.label for c in sheet.columns}
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else ""
            if sheet is CB.THRESHOLDS or sheet is CB.RESULTS_RULES:  # by name, not a row
                name = CB.THRESHOLD_NAMES.get(key) or RULE_NAMES.get(key, key)
                problems.append(
                    render(
                        "campaign.bad_threshold", sheet=sheet.name, name=name, problem=_problem(err)
                    )
                )
                continue
            problems.append(
                render(
                    "campaign.bad_value",
                    sheet=sheet.name,
                    row=row,
                    column=labels.get(key, key),
                    problem=_problem(err),
                )
            )
        return None


def _problem(err: Any) -> str:
    kind = err.get("type", "")
    return {
        "missing": "значение обязательно",
        "json_invalid": "файл не является правильным JSON",
        "string_too_short": "значение обязательно",
        "too_short": "значение обязательно",
        "literal_error": "значение не из допустимого списка",
        "string_pattern_mismatch": "значение не в нужном формате",
        "int_parsing": "нужно целое число",
        "float_parsing": "нужно число",
        "date_from_datetime_parsing": "нужна дата ДД.ММ.ГГГГ",
        "greater_than_equal": "число не может быть отрицательным",
    }.get(kind, f"недопустимое значение ({kind})")


def _text(v: Any) -> str:
    return clean_text(v)


def _date_or_raw(v: Any) -> Any:
    try:
        return parse_date(v)
    except BadValue:
        return clean_text(v)  # pydantic reports it with the column name


def _number_or_none(v: Any) -> Any:
    return None if clean_text(v) == "" else v


def _goal_cell(key: str, v: Any) -> Any:
    """A goal's cell: the value may be a number cell, every other is text."""
    if key == "value" and isinstance(v, int | float) and not isinstance(v, bool):
        return v
    return _text(v)


def _parse(book: _Sheets, problems: list[str]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    data: dict[str, Any] = {}
    rows: dict[str, list[int]] = {}

    def collect(
        sheet: CB.CampaignSheet, cls: type[BaseModel], convert: Any, may_be_empty: bool = False
    ) -> list[Any]:
        items, numbers = [], []
        for n, row in book.rows(sheet, problems):
            try:
                obj = _model(cls, convert(row), sheet, n, problems)
            except BadValue as exc:
                problems.append(
                    render(
                        "campaign.bad_value",
                        sheet=sheet.name,
                        row=n,
                        column="—",
                        problem=f"ожидается {exc.expected}",
                    )
                )
                obj = None
            if obj is not None:
                items.append(obj)
                numbers.append(n)
        rows[sheet.name] = numbers
        if not numbers and not may_be_empty and sheet.name in book.book.sheet_names:
            problems.append(render("campaign.empty", sheet=sheet.name))
        return items

    data["municipalities"] = collect(
        CB.MUNICIPALITIES,
        Municipality,
        lambda r: {
            **{k: _text(v) for k, v in r.items() if k != "emails"},
            "emails": [e.strip() for e in _text(r.get("emails")).split(";") if e.strip()],
        },
    )
    data["schools"] = collect(CB.SCHOOLS, School, lambda r: {k: _text(v) for k, v in r.items()})
    data["catalogue"] = collect(
        CB.CATALOGUE,
        CatalogueEvent,
        lambda r: {
            "target_group": _text(r.get("target_group")),
            "name": _text(r.get("name")),
            "organisers": _text(r.get("organisers")),
            "capacity": _number_or_none(r.get("capacity")),
            "capacity_set": bool(_text(r.get("capacity_set")))
            and parse_yes_no(r.get("capacity_set")),
        },
    )
    if CB.MONTHS.name in book.book.sheet_names:
        data["months"] = collect(
            CB.MONTHS,
            MonitoringMonth,
            lambda r: {"name": _text(r.get("name")), "stage": _text(r.get("stage"))},
        )
    else:  # a campaign workbook made before the months were the campaign's own
        data["months"] = default_months()
    months = [m.name for m in data["months"]]
    data["indicators"] = collect(
        CB.indicators_sheet(months),
        Indicator,
        lambda r: {
            "code": _text(r.get("code")),
            "task": _number_or_none(r.get("task")),
            "wording": _text(r.get("wording")),
            "level": _text(r.get("level")),
            "value_type": _text(r.get("value_type")),
            "target_group": _text(r.get("target_group")) or None,
            "slots": [s for s in months if clean_text(r.get(s)) and parse_yes_no(r.get(s))],
        },
    )
    data["periods"] = collect(
        CB.periods_sheet(months),
        Period,
        lambda r: {
            "code": _text(r.get("code")),
            "name": _text(r.get("name")),
            "slot": _text(r.get("slot")),
            "deadline": _date_or_raw(r.get("deadline")),
            "roadmap_year": _text(r.get("roadmap_year")),
        },
    )
    by_name = {name: key for key, name in CB.THRESHOLD_NAMES.items()}
    thresholds = {  # by the machine key; an older workbook held it in «Параметр»
        _text(r.get("key")) or by_name.get(_text(r.get("name")), _text(r.get("name"))): r.get(
            "value"
        )
        for _, r in book.rows(CB.THRESHOLDS, problems)
    }
    old_goals = {k: thresholds.pop(k) for k in list(thresholds) if k in OLD_THRESHOLDS}
    data["thresholds"] = _model(Thresholds, thresholds, CB.THRESHOLDS, 0, problems) or Thresholds()
    if CB.GOALS.name in book.book.sheet_names:
        data["goals"] = collect(
            CB.GOALS,
            Goal,
            lambda r: {
                k: _goal_cell(k, v)
                for k, v in r.items()
                if k not in ("comparison", "judged") or _text(v)  # empty: the default
            },
            True,
        )
    else:  # a campaign workbook made before «Цели проекта»: goals were on «Пороги»
        data["goals"] = goals_from_thresholds(old_goals)
    if CB.RECOMMENDATIONS.name in book.book.sheet_names:
        data["recommendations"] = collect(
            CB.RECOMMENDATIONS, Recommendation, lambda r: {k: _text(v) for k, v in r.items()}, True
        )
    data["results"] = read_results(list(book.book.sheet_names), book.rows, _model, problems)
    general = {
        _text(r.get("key")): _text(r.get("value")) for _, r in book.rows(CB.GENERAL, problems)
    }
    for key, label in CB.GENERAL_ROWS.items():
        data[key] = general.get(label, "")
    data["demo"] = data["demo"].lower() == "да"
    data["support_camps"] = data["support_camps"].lower() == "да"
    data["directions"] = [
        general.get(CB.DIRECTION_LABEL.format(n=n), "") for n in range(1, DIRECTIONS + 1)
    ]
    return data, rows


def read_campaign_workbook(path: Path) -> Campaign:
    """Read and check an edited campaign workbook; raise ``CampaignError`` if refused."""
    problems: list[str] = []
    book = _Sheets(path)
    data, rows = _parse(book, problems)
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        problems += [
            render(
                "campaign.bad_value",
                sheet=CB.GENERAL.name,
                row="—",
                column=str(e["loc"][0]),
                problem=_problem(e),
            )
            for e in exc.errors()
        ]
        raise V.CampaignError(problems) from None
    problems += V.problems(campaign, rows)
    if problems:
        raise V.CampaignError(problems)
    return campaign


def load_campaign(path: Path | None) -> Campaign:
    """The campaign of a workbook or JSON file, or the default one when ``path`` is None."""
    from ..campaign import default_campaign

    if path is None:
        return default_campaign()
    if path.suffix.lower() == ".json":
        try:
            data = path.read_text(encoding="utf-8")
            return V.check(Campaign.model_validate_json(data))
        except UnicodeDecodeError:
            raise V.CampaignError([f"{path.name}: файл не в кодировке UTF-8"]) from None
        except ValidationError as exc:
            raise V.CampaignError(
                [
                    f"{path.name}, поле «{'.'.join(map(str, e['loc'])) or '—'}»: {_problem(e)}"
                    for e in exc.errors()[:20]
                ]
            ) from None
    return read_campaign_workbook(path)
