"""Headless LibreOffice (UNO) for the tests: runs uno_driver.py under Debian's python3."""

from __future__ import annotations

import json
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


def run_jobs(
    jobs: list[dict[str, Any]], timeout: int = 600, default_profile: bool = False
) -> list[dict[str, Any]]:
    """Run UNO jobs in one LibreOffice session; see uno_driver.py for the format.

    ``default_profile``: LibreOffice as installed, which does not recalculate .xlsx on load.
    """
    if not available():
        pytest.fail(
            "LibreOffice with python3-uno is required: apt-get install -y "
            "--no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui python3-uno"
        )
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
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert proc.returncode == 0, proc.stderr
        result: list[dict[str, Any]] = json.loads(result_path.read_text(encoding="utf-8"))
        return result
