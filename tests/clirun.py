"""Run the command line as a user does: a real subprocess, Russian output captured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``env``: variables added to the bare environment (a password, as a user sets it)."""
    return subprocess.run(
        [sys.executable, "-m", "shkmd_xl.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", **(env or {})},
    )
