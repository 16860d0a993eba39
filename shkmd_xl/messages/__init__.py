"""The Russian catalogue (data in ``ru.json``) and its rendering.

One catalogue, three sections:

- ``findings``: every finding code, declared once — severity, title, message template,
  variants (``CODE.variant``) and, for an error the workbook's own «Контроль» cannot
  count, ``beyond_control``: why (``issues.CODES`` is built from it);
- ``fragments``: parts of a finding's message chosen by a rule («. Возможно, имелось в
  виду …», the reasons of TR05/TR06 and of an unreadable file) — rendered with
  :func:`fragment`, then passed to the message as a parameter;
- ``texts``: everything else a user reads (command line, buttons, letters, campaign).
"""

from __future__ import annotations

import json
import string
from functools import cache
from importlib import resources
from typing import Any

FRAGMENT = "fragment."


@cache
def data() -> dict[str, Any]:
    """The catalogue as written in ``ru.json``."""
    text = resources.files(__package__).joinpath("ru.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def catalogue() -> dict[str, str]:
    """All templates by key: ``CODE``, ``CODE.variant``, ``fragment.KEY`` and the texts."""
    out: dict[str, str] = {}
    for code, entry in data()["findings"].items():
        if "message" in entry:
            out[code] = entry["message"]
        for name, variant in entry.get("variants", {}).items():
            out[f"{code}.{name}"] = variant["message"]
    out.update({FRAGMENT + key: text for key, text in data()["fragments"].items()})
    out.update(data()["texts"])
    return out


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


def fragment(key: str, **params: Any) -> str:
    """A part of a message, from the catalogue's ``fragments``."""
    return render(FRAGMENT + key, **params)


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
