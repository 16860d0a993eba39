"""Shared helpers of the entry points: the calling book, settings, messages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .. import palette as P
from ..forms import console as C
from ..messages import render
from ..palette import rgb

ERROR_COLOUR = rgb(P.ERROR)
OK_COLOUR = rgb(P.OK)
T = TypeVar("T")


class UserError(Exception):
    """A mistake the user can fix; ``str()`` is the Russian message."""


def caller(book: Any = None) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def settings(book: Any) -> dict[str, str]:
    sheet = book.sheets[C.CONSOLE_SHEET]
    out = {}
    for s in C.SETTINGS:
        value = sheet[s.cell].value
        out[s.key] = "" if value is None else str(value).strip()
    return out


def say(book: Any, message: str, ok: bool) -> None:
    """Show a message in the console's message cell (or on the active sheet)."""
    try:
        cell = book.sheets[C.CONSOLE_SHEET][C.MESSAGE_CELL]
    except Exception:
        cell = book.sheets.active["A1"]
    cell.value = message
    cell.color = OK_COLOUR if ok else ERROR_COLOUR


def folder(value: str, key: str, must_exist: bool = True) -> Path:
    if not value:
        raise UserError(render("excel.setting_missing", label=label(key)))
    path = Path(value).expanduser()
    if must_exist and not path.exists():
        raise UserError(render("excel.path_missing", label=label(key), path=value))
    return path


def label(key: str) -> str:
    """Russian label of a console setting (forms/console.py)."""
    return next(s.label for s in C.SETTINGS if s.key == key)


def guarded(fn: Callable[..., T]) -> Callable[..., T | None]:
    """Turn a UserError or an unexpected failure into a Russian message in the book."""

    @functools.wraps(fn)
    def wrapper(book: Any = None) -> T | None:
        book = caller(book)
        try:
            return fn(book)
        except UserError as exc:
            say(book, str(exc), ok=False)
        except PermissionError as exc:
            say(book, render("excel.locked", path=exc.filename or ""), ok=False)
        except Exception as exc:  # the user sees a message, the details stay in the log
            import logging

            logging.getLogger("shkmd_xl").exception("entry point failed")
            say(book, render("excel.unexpected", error=type(exc).__name__), ok=False)
        return None

    return wrapper
