"""Excel expressions that read a cell as the check reads it (reader/values.py).

SPEC §3.1 accepts numbers and dates stored as text («95,5», «72 %», «01.09.2026 г.»).
The template's colours and Контроль must accept exactly what the check accepts, under
Excel's rules and LibreOffice's alike, whatever the user's locale. So nothing here
depends on the locale: text is cleaned as the check cleans it, only digits and the
signs of a number are admitted before the conversion, the decimal point is put back as
the locale writes it (``DECIMAL``), and dates are built with DATE() from their parts.

Each function takes a cell (one row: a conditional format) or a column of cells (inside
an array-entered SUMPRODUCT) and returns an expression that is an error where the check
would refuse the value. Conditions are made numbers before any comparison
(``truth``): Excel orders a logical above every number (``=FALSE>0`` is TRUE),
LibreOffice takes it as 0 or 1.
"""

from __future__ import annotations

from collections.abc import Sequence

#: The locale's decimal separator, as the engine itself writes one half.
DECIMAL = 'MID(1/2&"",2,1)'
#: The largest date serial of Excel (31.12.9999) plus one; serials start at 1.
DATE_SERIAL_END = 2958466
_DIGITS = "0123456789"
#: The non-breaking space written as itself: CHAR(160) depends on the code page
#: (a dagger on a Mac).
NBSP = "\u00a0"


def truth(conditions: Sequence[str]) -> str:
    """1 where any condition holds, else 0: logicals added as numbers, never compared."""
    return "((" + ")+(".join(conditions) + ")+0>0)*1"


def _strip(text: str, signs: str) -> str:
    """``text`` with every character of ``signs`` removed (nested SUBSTITUTE)."""
    for ch in signs:
        text = f'SUBSTITUTE({text},"{ch}","")'
    return text


def _decimal_text_ok(t: str) -> str:
    """1 where text ``t`` is digits with at most one «.» (reader.values.NUMBER_TEXT)."""
    return (
        f'(LEN({_strip(t, _DIGITS + ".")})=0)*(LEN({t})-LEN(SUBSTITUTE({t},".",""))<2)'
        f'*(LEN(SUBSTITUTE({t},".",""))>0)'
    )


def _number_text(cell: str, percent: bool) -> tuple[str, str]:
    """(the cell's text cleaned as the check cleans it, that text as a number)."""
    t = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell}&""," ",""),"{NBSP}",""),",",".")'
    if percent:  # one «%» at the end
        t = f'LEFT({t},LEN({t})-(RIGHT({t},1)="%"))'
    return t, f'(SUBSTITUTE({t},".",{DECIMAL})*1)'


def read_number(cell: str, percent: bool = False) -> str:
    """The number the check reads in ``cell`` (or a column of cells, array-entered): the
    number itself, or a number typed as text («7,5», «60 %» when ``percent``) read as
    reader.values.parse_number reads it; an error (#N/A) for anything else, empty
    included — so a rule over numbers counts text-typed numbers as the check does.
    Range checks stay the invalid-value counts' (``refused_number``)."""
    t, v = _number_text(cell, percent)
    return f"IF(ISNUMBER({cell}),{cell},IF({_decimal_text_ok(t)}=1,{v},NA()))"


def refused_number(cell: str, high: float | None, whole: bool, percent: bool) -> str:
    """1 where the filled ``cell`` holds no number the check accepts in [0, ``high``]
    (whole when ``whole``), else 0. A number typed as text («1 234,5», and «95 %» when
    ``percent``) is read as reader.values.parse_number reads it: spaces (also
    non-breaking) dropped, «,» as «.», digits with at most one point, no sign."""
    conds = [f"{cell}<0"]
    if high is not None:
        conds.append(f"{cell}>{high:g}")
    if whole:
        conds.append(f"{cell}<>INT({cell})")
    t, v = _number_text(cell, percent)
    text_conds = []
    if high is not None:
        text_conds.append(f"{v}>{high:g}")
    if whole:
        text_conds.append(f"{v}<>INT({v})")
    text_bad = f"IF({_decimal_text_ok(t)}=1,{truth(text_conds) if text_conds else 0},1)"
    return f"IFERROR(IF(ISNUMBER({cell}),{truth(conds)},IF(ISTEXT({cell}),{text_bad},1)),1)"


def refused_date(cell: str) -> str:
    """1 where the filled ``cell`` holds no date the check accepts, else 0: a date (a
    serial from 1 on) or text «Д.М.ГГГГ» («01.09.2026», «1/9/2026», «1-9-2026 г.»), the
    date existing and its year from 1900 (reader.values.parse_date)."""
    s = (
        "SUBSTITUTE(SUBSTITUTE(TRIM(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE("
        f'{cell}&"","{NBSP}"," "),"г.",""),"г","")),"/","."),"-",".")'
    )
    spread = f'SUBSTITUTE({s},".",REPT(" ",20))'
    dt_, mt, yt = (f"TRIM(MID({spread},{k * 20 + 1},20))" for k in range(3))
    d, m, y = (f"({t}*1)" for t in (dt_, mt, yt))
    serial = f"DATE({y},{m},{d})"
    ok = (
        f'(LEN({_strip(s, _DIGITS + ".")})=0)*(LEN({s})-LEN(SUBSTITUTE({s},".",""))=2)'
        f"*(LEN({dt_})<3)*(LEN({mt})<3)*(LEN({yt})=4)*({y}>=1900)"
        f"*(DAY({serial})={d})*(MONTH({serial})={m})"
    )
    in_range = f"({cell}<1)+({cell}>={DATE_SERIAL_END})+0>0"
    return f"IFERROR(IF(ISNUMBER({cell}),({in_range})*1,IF(ISTEXT({cell}),1-IFERROR({ok},0),1)),1)"
