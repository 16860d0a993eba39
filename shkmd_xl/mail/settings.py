"""Mailbox settings: a TOML file next to the campaign (``почта.toml``).

The file holds no password. The password comes from the environment variable
``SHKMD_MAIL_PASSWORD`` (``SHKMD_SMTP_PASSWORD`` for the SMTP server when it differs)
or from the OS keyring: service «shkmd-xl», user name = the mailbox login
(``keyring set shkmd-xl monitoring@obr.example.ru``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .connection import MailError

FILE_NAME = "почта.toml"
ENV_PASSWORD = "SHKMD_MAIL_PASSWORD"
ENV_SMTP_PASSWORD = "SHKMD_SMTP_PASSWORD"
KEYRING_SERVICE = "shkmd-xl"
SECURITY = ("ssl", "starttls")

EXAMPLE = """\
# Почтовый ящик регионального координатора для команд
#   shkmd-xl mail fetch --period ГГГГ-ММ   (получить отчёты)
#   shkmd-xl mail send  --period ГГГГ-ММ   (отправить подготовленные письма)
# Пароля в этом файле нет и не должно быть: задайте его переменной окружения
# SHKMD_MAIL_PASSWORD или сохраните в хранилище паролей системы:
#   keyring set shkmd-xl <логин ящика>

# cafile = "корень.pem"      # корневой сертификат организации, если сервер подписан им

[imap]
host = "imap.example.ru"
port = 993
security = "ssl"             # ssl — сразу по TLS (обычно порт 993); starttls — порт 143
user = "monitoring@obr.example.ru"
folder = "INBOX"             # откуда брать письма
processed_folder = ""        # куда перекладывать скачанные, например "Обработано"; "" — не трогать

[smtp]
host = "smtp.example.ru"
port = 465
security = "ssl"             # ssl — сразу по TLS (обычно порт 465); starttls — порт 587
user = "monitoring@obr.example.ru"
from = ""                    # адрес координатора; "" — адрес из файла кампании
# писем в минуту (значение по умолчанию: в документах проекта его нет — задайте своё);
# 0 — без ограничения
letters_per_minute = 20
"""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # ssl / starttls
    user: str

    @property
    def account(self) -> str:
        """How the store names the mailbox: login@host:port."""
        return f"{self.user}@{self.host}:{self.port}"


@dataclass(frozen=True)
class MailSettings:
    path: Path
    imap: Server
    folder: str
    processed_folder: str
    smtp: Server | None
    sender: str  # the coordinator's address; '' — the campaign's office_email
    letters_per_minute: float
    cafile: Path | None = None  # the organisation's root certificate, when it signs the servers


def settings_path(campaign: Path | None, given: Path | None) -> Path:
    """The settings file: the one given, else «почта.toml» beside the campaign file, else
    in the current folder."""
    if given is not None:
        return given
    return (campaign.parent if campaign is not None else Path()) / FILE_NAME


def _server(section: dict[str, Any], name: str, path: Path, default_port: int) -> Server:
    host = section.get("host")
    if not isinstance(host, str) or not host.strip():
        raise MailError("mail.settings_missing", path=path, setting=f"[{name}] host")
    user = section.get("user")
    if not isinstance(user, str) or not user.strip():
        raise MailError("mail.settings_missing", path=path, setting=f"[{name}] user")
    security = section.get("security", "ssl")
    if security not in SECURITY:
        raise MailError(
            "mail.settings_bad",
            path=path,
            setting=f"[{name}] security",
            value=security,
            allowed="ssl, starttls",
        )
    port = section.get("port", default_port if security == "ssl" else 0)
    if not port:
        port = {"imap": 143, "smtp": 587}[name]
    if not isinstance(port, int) or not 0 < port < 65536:
        raise MailError(
            "mail.settings_bad",
            path=path,
            setting=f"[{name}] port",
            value=port,
            allowed="1–65535",
        )
    return Server(host.strip(), port, security, user.strip())


def load_settings(path: Path) -> MailSettings:
    if not path.is_file():
        raise MailError("mail.settings_absent", path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise MailError("mail.settings_encoding", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise MailError("mail.settings_syntax", path=path, error=str(exc)) from None
    for forbidden in ("password", "пароль"):
        for section in (data, data.get("imap", {}), data.get("smtp", {})):
            if isinstance(section, dict) and forbidden in section:
                raise MailError("mail.settings_password", path=path)
    imap = data.get("imap")
    if not isinstance(imap, dict):
        raise MailError("mail.settings_missing", path=path, setting="[imap]")
    smtp_section = data.get("smtp")
    smtp = _server(smtp_section, "smtp", path, 465) if isinstance(smtp_section, dict) else None
    rate = (smtp_section or {}).get("letters_per_minute", 20)
    if not isinstance(rate, int | float) or rate < 0:
        raise MailError(
            "mail.settings_bad",
            path=path,
            setting="[smtp] letters_per_minute",
            value=rate,
            allowed="0 или больше",
        )
    return MailSettings(
        path=path,
        imap=_server(imap, "imap", path, 993),
        folder=str(imap.get("folder", "INBOX")).strip() or "INBOX",
        processed_folder=str(imap.get("processed_folder", "")).strip(),
        smtp=smtp,
        sender=str((smtp_section or {}).get("from", "")).strip(),
        letters_per_minute=float(rate),
        cafile=_cafile(data, path),
    )


def _cafile(data: dict[str, Any], path: Path) -> Path | None:
    """``cafile = "корень.pem"`` (top level): relative to the settings file."""
    value = data.get("cafile", "")
    if not isinstance(value, str) or not value.strip():
        return None
    given = Path(value.strip()).expanduser()
    return given if given.is_absolute() else path.parent / given


def password(server: Server, smtp: bool = False) -> str:
    """The password of ``server``: environment variable, else the OS keyring."""
    if smtp and os.environ.get(ENV_SMTP_PASSWORD):
        return os.environ[ENV_SMTP_PASSWORD]
    if os.environ.get(ENV_PASSWORD):
        return os.environ[ENV_PASSWORD]
    try:
        import keyring

        found = keyring.get_password(KEYRING_SERVICE, server.user)
    except Exception:  # no keyring backend on this computer (a server without a desktop)
        found = None
    if found:
        return found
    raise MailError("mail.no_password", user=server.user, env=ENV_PASSWORD, service=KEYRING_SERVICE)
