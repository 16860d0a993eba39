"""Outputs are written atomically: a temporary file next to the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The process umask, read once (reading it means setting it for an instant).
UMASK = _umask()


def public_mode(path: Path | str, folder: bool = False) -> None:
    """Give a file made by mkstemp (0600) or a folder made by mkdtemp (0700) the mode an
    ordinary ``open()``/``mkdir()`` would: colleagues on a shared folder can read it."""
    with contextlib.suppress(OSError):  # a file system without modes (FAT, some shares)
        os.chmod(path, (0o777 if folder else 0o666) & ~UMASK)


@contextlib.contextmanager
def atomic_output(path: Path, suffix: str = ".xlsx") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` when the block succeeds.

    Readers see either the previous complete file or the new complete one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=path.parent, prefix=".tmp-")
    os.close(fd)
    public_mode(tmp)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


#: Names of the files and folders a write in progress uses (``atomic_output``, the
#: archive, the federal tables, the workbook build).
LEFTOVER_PREFIX = ".tmp-"


def sweep_leftovers(folder: Path) -> list[Path]:
    """Remove what a run killed mid-write left in ``folder`` and below it (temporary
    files and folders of atomic writes). Call it while holding the folder's run lock:
    no other run is writing there then. Returns what was removed."""
    import shutil

    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in sorted(folder.rglob(LEFTOVER_PREFIX + "*")):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed
