"""The office mailbox: fetch reports over IMAP, send the prepared letters over SMTP.

Settings in a file next to the campaign (``почта.toml``, see settings.py); the password
from an environment variable or the OS keyring, never from a file we write.
"""

from __future__ import annotations

from typing import Any

from ..messages import render


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
