"""Student results in the regional outputs: the workbook's sheets (integral indicator,
zones by subject, municipal means, school types) and the справка's section."""

from __future__ import annotations

from typing import Any, Protocol

from ..campaign.models import Campaign
from ..figures.results import ResultsFigures, method_lines
from ..messages import render
from ..printing import row_height
from .writer import Writer

INTEGRAL_WIDTHS = (6, 38, 28, 26, 13, 9, 12, 11, 10, 11, 12, 12, 16, 11)
#: «Интегральный показатель»: the columns repeated on each printed page (place,
#: municipality, school) and the first column of the second page width («Изменение»).
INTEGRAL_KEYS = 3
INTEGRAL_CENTRED = (0, 7, 10, 11, 12)  # the place, yes/no
INTEGRAL_SECOND_PAGE = 9
#: «Средние результаты МО»: the columns repeated on each printed page width, when it
#: needs more than one (procedure, subject, grade, municipality).
MEANS_KEYS = 4


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _yes(value: bool | None) -> str:
    return "" if value is None else ("Да" if value else "Нет")


def write_results_sheets(w: Writer, figs: ResultsFigures, c: Campaign) -> None:
    """«Интегральный показатель», «Зоны по предметам», «Средние результаты МО»,
    «Результаты по типам ОО»."""
    headers = render("brief.learning.sheet.integral").split("|")
    rows = [
        [
            s.rank,
            s.municipality,
            s.school.short_name,
            s.school.type,
            _r(s.integral),
            _r(s.se),
            s.items,
            _yes(s.low),
            _r(s.previous),
            _r(s.change),
            _yes(s.confirmed),
            _yes(s.effective),
            _yes(s.all_passed),
            len(s.zones),
        ]
        for s in [*figs.ranked, *(s for s in figs.schools if s.integral is None)]
    ]
    # municipality, school and type whole, headers in two or three lines; «Да»/«Нет»
    # centred (right of a right-aligned number they read as one run with it)
    # two printed page widths: the ranking, then its change and verdicts, each page with
    # the place, municipality and school
    ws, n = w.table(
        "Интегральный показатель",
        headers,
        rows,
        INTEGRAL_WIDTHS,
        centre=INTEGRAL_CENTRED,
        keys=INTEGRAL_KEYS,
        breaks=[INTEGRAL_SECOND_PAGE],
    )
    # the method under the table, wrapped over the first page width right of the repeated
    # columns (under them it would print again, cut, on the second page width)
    span = sum(w.widths["Интегральный показатель"][INTEGRAL_KEYS:INTEGRAL_SECOND_PAGE])
    for i, line in enumerate(method_lines(c)):
        r = n + 2 + i
        ws.merge_range(r, INTEGRAL_KEYS, r, INTEGRAL_SECOND_PAGE - 1, line, w.wrap)
        ws.set_row(r, row_height(line, span))
    zones = [
        [
            z.municipality,
            z.school,
            z.assessment,
            z.subject,
            z.grade,
            _r(z.mean),
            _r(z.regional),
            _r(z.fail_share, 1),
            z.reason,
        ]
        for z in sorted(figs.zones, key=lambda z: (z.municipality, z.school, z.assessment))
    ]
    w.table(
        "Зоны по предметам",
        render("brief.learning.sheet.zones").split("|"),
        zones,
        (40, 28, 9, 26, 7, 10, 12, 12, 60),  # municipality names whole
        wrap=(8,),  # why in the zone, whole
        centre=(4,),  # the grade (right-aligned it ran into the subject)
        keys=2,
    )
    means = [
        [
            m.assessment,
            m.subject,
            m.grade,
            m.municipality,
            _r(m.mean),
            m.participants,
            _r(m.regional),
            _r(m.national),
            _r(m.previous),
            _r(m.regional_previous),
            None if m.previous is None else _r(m.mean - m.previous),
        ]
        for m in figs.means
    ]
    ws, _ = w.table(
        "Средние результаты МО",
        render("brief.learning.sheet.means").split("|"),
        means,
        (9, 32, 7, 40, 10, 11, 12, 10, 12, 12, 11),  # subjects and municipalities whole
        centre=(2,),  # the grade (right-aligned it ran into the municipality)
        keys=MEANS_KEYS,  # on one page width when it fits, else on page widths with them
    )
    all_years = sorted({y for *_, series in figs.trend for y in series})
    w.table(
        "Средние по годам",
        [*render("brief.learning.sheet.trend").split("|"), *map(str, all_years)],
        [
            [a, subject, grade, who, *(_r(series.get(y)) for y in all_years)]
            for a, subject, grade, who, series in figs.trend
        ],
        (9, 32, 7, 40, *([10] * len(all_years))),
        centre=(2,),
    )
    w.table(
        "Результаты по типам ОО",
        render("brief.learning.sheet.types").split("|"),
        [[t, n, _r(mean), low, zn] for t, n, mean, low, zn in figs.by_type],
        (30, 8, 14, 14, 14),
    )


class Doc(Protocol):
    def heading(self, text: str, level: int = 1) -> Any: ...
    def text(self, text: str, indent: bool = True) -> None: ...
    def bullet(self, text: str) -> None: ...
    def table(
        self, caption: str, headers: list[str], rows: list[list[Any]], *a: Any, **k: Any
    ) -> None: ...


def _n(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",").replace("-", "\u2212")  # a true minus sign


def write_results_section(d: Doc, figs: ResultsFigures | None, c: Campaign) -> None:
    """The справка's «Результаты обучения»: the integral indicator, schools with low
    results, zones by subject, municipal means against the region's, school types."""
    d.heading(render("brief.learning"))
    if figs is None or not figs.schools:
        d.text(render("brief.learning.none"))
        return
    ranked = figs.ranked
    confirmed = [s for s in ranked if s.confirmed]
    judged = [s for s in ranked if s.confirmed is not None]
    d.text(
        render(
            "brief.learning.text",
            year=figs.year,
            schools=len(figs.schools),
            rows=figs.rows,
            low=len(figs.low),
            confirmed=len(confirmed),
            judged=len(judged),
            passed=sum(1 for s in figs.schools if s.all_passed),
            graduates=sum(1 for s in figs.schools if s.all_passed is not None),
        )
    )
    d.heading(render("brief.learning.low"), 2)
    d.table(
        render("brief.learning.low.table"),
        render("brief.learning.low.columns").split("|"),
        [
            [
                s.municipality,
                s.school.short_name,
                s.rank,
                _n(s.integral),
                _n(s.change),
                _yes(s.confirmed),
                len(s.zones),
            ]
            for s in figs.low
        ],
        group_first=True,
    )
    d.heading(render("brief.learning.zones"), 2)
    if not figs.zones:
        d.text(render("brief.learning.zones.none"))
    else:
        by_school: dict[tuple[str, str], list[str]] = {}
        for z in figs.zones:
            by_school.setdefault((z.municipality, z.school), []).append(
                f"{z.assessment} {z.subject} ({z.grade} кл.)"
            )
        d.table(
            render("brief.learning.zones.table"),
            render("brief.learning.zones.columns").split("|"),
            [[m, s, "; ".join(items)] for (m, s), items in sorted(by_school.items())],
            group_first=True,
        )
    d.heading(render("brief.learning.means"), 2)
    gia = {x.strip() for x in c.results.rules.graduate_assessments.split(",") if x.strip()}
    main = [m for m in figs.means if m.assessment in gia]
    d.text(render("brief.learning.means.text", assessments=", ".join(sorted(gia))))
    d.table(
        render("brief.learning.means.table"),
        render("brief.learning.means.columns").split("|"),
        [
            [
                f"{m.assessment}, {m.subject}, {m.grade} кл.",
                m.municipality,
                _n(m.mean),
                _n(m.regional),
                _n(m.national),
                "—" if m.previous is None else _n(m.mean - m.previous),
            ]
            for m in main
        ],
        group_first=True,
    )
    d.heading(render("brief.learning.types"), 2)
    d.table(
        render("brief.learning.types.table"),
        render("brief.learning.types.columns").split("|"),
        [[t, n, _n(mean), low, zn] for t, n, mean, low, zn in figs.by_type],
    )
