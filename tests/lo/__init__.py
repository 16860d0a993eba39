"""Headless LibreOffice (UNO) for the tests: runs uno_driver.py under Debian's python3."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
DRIVER = Path(__file__).with_name("uno_driver.py")


def available() -> bool:
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    return probe.returncode == 0


INSTALL = (
    "apt-get install -y --no-install-recommends libreoffice-calc-nogui "
    "libreoffice-writer-nogui python3-uno"
)


def require() -> None:
    """Skip a LibreOffice test with the reason when LibreOffice is absent on this machine;
    fail instead where it must run (CI sets SHKMD_REQUIRE_LIBREOFFICE=1 in .ci/run)."""
    if available():
        return
    message = f"LibreOffice with python3-uno is not installed: {INSTALL}"
    if os.environ.get("SHKMD_REQUIRE_LIBREOFFICE"):
        pytest.fail(message)
    pytest.skip(message)


def run_jobs(
    jobs: list[dict[str, Any]],
    timeout: int = 600,
    default_profile: bool = False,
    locale: str = "",
) -> list[dict[str, Any]]:
    """Run UNO jobs in one LibreOffice session; see uno_driver.py for the format.

    ``default_profile``: LibreOffice as installed, which does not recalculate .xlsx on load.
    ``locale``: the locale LibreOffice formats and reads numbers in (``ru-RU``: «0,5»).
    """
    require()
    with tempfile.TemporaryDirectory(prefix="uno-jobs-") as tmp:
        jobs_path, result_path = Path(tmp) / "jobs.json", Path(tmp) / "result.json"
        jobs_path.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(
            [
                SYSTEM_PYTHON,
                str(DRIVER),
                str(jobs_path),
                str(result_path),
                *(["--default-profile"] if default_profile else []),
                *([f"--locale={locale}"] if locale else []),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert proc.returncode == 0, proc.stderr
        result: list[dict[str, Any]] = json.loads(result_path.read_text(encoding="utf-8"))
        return result


def render_pdf(path: Path, out: Path) -> Any:
    """``path`` converted to PDF by LibreOffice (its own profile: other LibreOffice runs
    may be open), opened with pymupdf to measure and read."""
    require()
    pymupdf = pytest.importorskip("pymupdf")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(out / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return pymupdf.open(out / f"{path.stem}.pdf")
