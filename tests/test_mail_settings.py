"""Mailbox settings (почта.toml) and where the password comes from: never a file."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from shkmd_xl.mail import MailError
from shkmd_xl.mail.settings import (
    ENV_PASSWORD,
    ENV_SMTP_PASSWORD,
    EXAMPLE,
    load_settings,
    password,
    settings_path,
)

from .clirun import run_cli


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "почта.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_loads_and_sits_beside_the_campaign(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, EXAMPLE))
    assert (s.imap.host, s.imap.port, s.imap.security) == ("imap.example.ru", 993, "ssl")
    assert s.smtp is not None and s.smtp.port == 465 and s.letters_per_minute == 20
    assert s.imap.account == "monitoring@obr.example.ru@imap.example.ru:993"
    assert settings_path(tmp_path / "кампания.xlsx", None) == tmp_path / "почта.toml"
    starttls = load_settings(write(tmp_path, '[imap]\nhost="h"\nuser="u"\nsecurity="starttls"\n'))
    assert starttls.imap.port == 143 and starttls.smtp is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[imap]\nhost = "h"\n', "mail.settings_missing"),
        ('[imap]\nhost = "h"\nuser = "u"\nsecurity = "tls"\n', "mail.settings_bad"),
        ('[imap]\nhost = "h"\nuser = "u"\nport = 0.5\n', "mail.settings_bad"),
        ('[imap]\nhost = "h"\nuser = "u"\npassword = "секрет"\n', "mail.settings_password"),
        ("[imap\nhost = ", "mail.settings_syntax"),
        ("", "mail.settings_missing"),
    ],
)
def test_bad_settings_are_told(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(MailError) as caught:
        load_settings(write(tmp_path, text))
    assert caught.value.key == key
    assert "почта.toml" in caught.value.message


def test_absent_and_cp1251_settings(tmp_path: Path) -> None:
    with pytest.raises(MailError) as caught:
        load_settings(tmp_path / "нет.toml")
    assert caught.value.key == "mail.settings_absent"
    path = tmp_path / "почта.toml"
    path.write_bytes('[imap]\nhost = "h"\nuser = "пользователь"\n'.encode("cp1251"))
    with pytest.raises(MailError) as caught:
        load_settings(path)
    assert caught.value.key == "mail.settings_encoding"


def test_password_from_env_then_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        stored: ClassVar[dict[tuple[str, str], str]] = {("shkmd-xl", "u"): "из хранилища"}

        def get_password(self, service: str, username: str) -> str | None:
            return self.stored.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.stored[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.stored.pop((service, username), None)

    s = load_settings(write(tmp_path, '[imap]\nhost="h"\nuser="u"\n[smtp]\nhost="h"\nuser="u"\n'))
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    monkeypatch.delenv(ENV_SMTP_PASSWORD, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        assert password(s.imap) == "из хранилища"
        monkeypatch.setenv(ENV_PASSWORD, "из окружения")
        assert password(s.imap) == "из окружения"
        monkeypatch.setenv(ENV_SMTP_PASSWORD, "для smtp")
        assert s.smtp is not None and password(s.smtp, smtp=True) == "для smtp"
        monkeypatch.delenv(ENV_PASSWORD)
        Memory.stored.clear()
        with pytest.raises(MailError) as caught:
            password(s.imap)
        assert caught.value.key == "mail.no_password"
    finally:
        keyring.set_keyring(previous)


def test_mail_init_writes_a_sample_without_password(tmp_path: Path) -> None:
    done = run_cli("mail", "init", "почта.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "почта.toml").read_text(encoding="utf-8")
    assert "password" not in text.split("#")[0] and load_settings(tmp_path / "почта.toml")
    again = run_cli("mail", "init", "почта.toml", cwd=tmp_path)
    assert again.returncode == 2 and "уже есть" in again.stderr
