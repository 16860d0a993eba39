"""Archive received files under their content hash, before anything else happens."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..atomic import public_mode


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive(data: bytes, ext: str, folder: Path) -> tuple[str, Path, bool]:
    """Store ``data`` as ``folder/ab/<sha256><ext>``; never overwrite. Returns (hash, path, new)."""
    return _store(content_hash(data), ext, folder, [data])


def archive_hashed(digest: str, data: bytes, ext: str, folder: Path) -> tuple[str, Path, bool]:
    """:func:`archive` of ``data`` whose hash ``digest`` the caller has computed (to write
    it in a background thread: the write and its ``fsync`` release the GIL)."""
    return _store(digest, ext, folder, [data])


def archive_file(source: Path, ext: str, folder: Path) -> tuple[str, Path, bool]:
    """Like :func:`archive` for a file too large to hold in memory (copied in chunks)."""
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    with source.open("rb") as fh:
        return _store(digest.hexdigest(), ext, folder, iter(lambda: fh.read(1 << 20), b""))


def _store(digest: str, ext: str, folder: Path, chunks: Iterable[bytes]) -> tuple[str, Path, bool]:
    """Write ``chunks`` as ``folder/ab/<digest><ext>`` atomically; never overwrite."""
    target = folder / digest[:2] / f"{digest}{ext.lower()}"
    if target.exists():
        return digest, target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    public_mode(tmp)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest, target, True


def verify(path: Path) -> bool:
    """Whether an archived file still matches the hash in its name."""
    return content_hash(path.read_bytes()) == path.stem
