"""Every module imports (mypy's ignore_missing_imports would let a wrong relative import
of our own package pass unnoticed)."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import shkmd_xl


def test_every_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages(shkmd_xl.__path__, "shkmd_xl.")]
    assert len(names) > 40
    for name in names:
        importlib.import_module(name)


def test_check_loads_no_writer_and_no_collect(tmp_path: Path) -> None:
    """`shkmd-xl check FILE` has a 0.5 s goal for the whole process (benchmarks): it must
    not load the workbook writers, collect's machinery or rich's help renderer, which
    cost it more than the check itself (1.3 s measured before, 0.7 s after)."""
    from shkmd_xl.campaign import default_campaign
    from shkmd_xl.template.workbook import write_municipal_workbook

    campaign = default_campaign()
    code = campaign.municipalities[0].code
    book = write_municipal_workbook(campaign, code, tmp_path / "mo.xlsx", None)
    script = (
        "import sys\n"
        "from shkmd_xl.cli import main\n"
        f"sys.argv = ['shkmd-xl', 'check', {str(book)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('xlsxwriter', 'openpyxl', 'shkmd_xl.collect', 'rich.markdown', 'pandas')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert "mo.xlsx" in done.stdout, done.stdout + done.stderr  # the check ran
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_cell_names_are_xlsxwriters() -> None:
    """The reader names cells with cells.cell_ref (no xlsxwriter import in `check`); the
    writers use xlsxwriter's: both must name every cell alike."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    from shkmd_xl.cells import cell_ref

    for row in (0, 1, 9, 99, 1_048_575):
        for col in [*range(0, 800), 16_383]:
            assert cell_ref(row, col) == xl_rowcol_to_cell(row, col), (row, col)
