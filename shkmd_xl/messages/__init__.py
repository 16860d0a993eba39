"""Russian message templates (data in ``ru.json``) and their rendering."""

from __future__ import annotations

import json
import string
from functools import cache
from importlib import resources
from typing import Any


@cache
def catalogue() -> dict[str, str]:
    """All message templates by key."""
    text = resources.files(__package__).joinpath("ru.json").read_text(encoding="utf-8")
    data: dict[str, str] = json.loads(text)
    return data


def placeholders(key: str) -> set[str]:
    """Names of the parameters a template expects."""
    return {
        name for _, name, _, _ in string.Formatter().parse(catalogue()[key]) if name is not None
    }


def render(key: str, **params: Any) -> str:
    """Render the template ``key`` with ``params`` (missing keys raise KeyError).

    Numbers and dates are shown the Russian way: decimal comma, dd.mm.yyyy.
    """
    return catalogue()[key].format(**{k: _shown(v) for k, v in params.items()})


def _shown(value: Any) -> Any:
    import datetime as dt

    from ..ru import date, number

    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        text = number(value, 6)
        return text.rstrip("0").rstrip(",") if "," in text else text
    if isinstance(value, dt.date):
        return date(value)
    return value
