"""Install shkmd_xl as users install it and run it from there (issue 21).

Builds the wheel, installs it into a fresh virtual environment outside the checkout
(not editable: how a Windows user or a package index installs it), then runs the demo,
``build-workbooks`` and ``check`` from a folder outside the checkout. Exits non-zero,
saying what failed, when any step fails. Run by ``make test`` after pytest.

    python tests/installed_wheel.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path, cwd: Path | None = None) -> str:
    print("$", " ".join(str(a) for a in args), flush=True)
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, encoding="utf-8"
    )
    if proc.returncode not in (0, 1):  # check exits 1 for findings, 2 for failures
        sys.exit(f"FAILED ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    if "Traceback" in proc.stdout + proc.stderr:
        sys.exit(f"A traceback reached the user:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="shkmd-installed-") as tmp:
        root = Path(tmp)
        run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", root, ROOT)
        (wheel,) = root.glob("shkmd_xl-*.whl")
        venv.create(root / "venv", with_pip=True)
        scripts = root / "venv" / ("Scripts" if os.name == "nt" else "bin")
        python = scripts / ("python.exe" if os.name == "nt" else "python")
        run(python, "-m", "pip", "install", "--quiet", wheel)
        cli = scripts / ("shkmd-xl.exe" if os.name == "nt" else "shkmd-xl")
        work = root / "work"
        work.mkdir()
        run(cli, "demo", "--out", "demo", cwd=work)
        run(cli, "build-workbooks", "--out", "xlsm", cwd=work)
        built = sorted(p.name for p in (work / "xlsm").iterdir())
        if built != ["shkmd_region.xlsm", "Шаблон_общий_с_кнопками.xlsm"]:
            sys.exit(f"build-workbooks wrote {built}")
        reports = sorted((work / "demo").rglob("*.xlsx"))
        if not reports:
            sys.exit("the demo wrote no workbook")
        out = run(cli, "check", reports[0], cwd=work)
        print(out[-500:])
    print("installed wheel: demo, build-workbooks and check work")
    return 0


if __name__ == "__main__":
    sys.exit(main())
