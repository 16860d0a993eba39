"""The office mailbox: fetch reports over IMAP, send the prepared letters over SMTP.

Settings in a file next to the campaign (``почта.toml``, see settings.py); the password
from an environment variable or the OS keyring, never from a file we write.
"""

from __future__ import annotations

from .connection import MailError

__all__ = ["MailError"]
