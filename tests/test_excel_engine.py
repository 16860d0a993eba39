"""The tests' Excel-rules engine (tests/excel_rules.py) answers as `formulas` does where
it was only made faster: the first error among a function's arguments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import schedula as sh
from formulas.functions import flatten, get_error
from formulas.tokens.operand import Error, XlError

from . import excel_rules  # noqa: F401  (replaces get_error's code)

NA, VALUE = Error.errors["#N/A"], Error.errors["#VALUE!"]


def _as_formulas(*vals: Any) -> Any:
    """formulas' own get_error: the first error of the arguments flattened."""
    return next((v for v in flatten(vals, None, True) if isinstance(v, XlError)), None)


@pytest.mark.parametrize(
    "vals",
    [
        (1, 2.5, "текст", True),
        (1, NA),
        (VALUE, NA),
        ("", sh.EMPTY, 0),
        (np.array([[1, NA], [VALUE, 2]], dtype=object), 3),
        (5, np.array([[sh.EMPTY, 1]], dtype=object)),
        ([1, [2, [VALUE]]], NA),
        (np.float64(1.5), np.int64(2), np.array([[NA]], dtype=object)),
        (),
    ],
)
def test_first_error_as_formulas_finds_it(vals: tuple[Any, ...]) -> None:
    assert get_error(*vals) is _as_formulas(*vals)
