"""What the IMAP and SMTP clients share: the fault told to the user, the verified TLS
context and the translation of a failed connection into Russian."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..messages import render

if TYPE_CHECKING:  # settings imports MailError from here
    from .settings import Server


class MailError(Exception):
    """A fault told to the user: a catalogue key («mail.…») and its parameters."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params

    @property
    def message(self) -> str:
        return render(self.key, **self.params)

    def __str__(self) -> str:
        return self.message


def tls_context(cafile: Path | None) -> ssl.SSLContext:
    """The system's trusted roots, or the organisation's root certificate ``cafile``."""
    try:
        return ssl.create_default_context(cafile=str(cafile) if cafile else None)
    except (OSError, ssl.SSLError):
        raise MailError("mail.bad_cafile", path=cafile) from None


@contextlib.contextmanager
def connecting(server: Server, unreachable: tuple[type[BaseException], ...]) -> Iterator[None]:
    """Opening a session to ``server``: an untrusted certificate, a failed TLS handshake
    and ``unreachable`` (the client's own connection errors) told in Russian."""
    where = {"host": server.host, "port": server.port}
    try:
        yield
    except ssl.SSLCertVerificationError as exc:
        raise MailError("mail.untrusted", reason=exc.verify_message or str(exc), **where) from None
    except ssl.SSLError as exc:
        raise MailError("mail.tls_failed", error=str(exc), **where) from None
    except unreachable:
        raise MailError("mail.unreachable", **where) from None
