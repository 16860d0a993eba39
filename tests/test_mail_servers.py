"""The real mail servers of the tests work as a mailbox provider's do."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

import pytest

from .mailserver import MailServers, smtp_login


def _letter(to: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "mo@servers.test", to, "Отчёт за июнь"
    msg.set_content("Отчёт во вложении.")
    return msg


def test_smtp_delivers_into_the_imap_mailbox(mail_servers: MailServers) -> None:
    mail_servers.add_user("office@servers.test")
    mail_servers.add_user("mo@servers.test")
    ctx = ssl.create_default_context(cafile=str(mail_servers.ca))
    with smtplib.SMTP("127.0.0.1", mail_servers.smtp_port) as smtp:
        smtp.starttls(context=ctx)
        with pytest.raises(smtplib.SMTPSenderRefused):  # no AUTH: refused
            smtp.send_message(_letter("office@servers.test"))
        smtp_login(smtp, "mo@servers.test")
        smtp.send_message(_letter("office@servers.test"))
    mail_servers.deliver("office@servers.test", _letter("office@servers.test"))
    client = mail_servers.imap("office@servers.test")
    try:
        client.select("INBOX")
        assert client.uid("SEARCH", "ALL")[1] == [b"1 2"]
    finally:
        client.logout()


def test_untrusted_certificate_is_refused(mail_servers: MailServers) -> None:
    with (
        pytest.raises(ssl.SSLCertVerificationError),
        smtplib.SMTP_SSL(
            "127.0.0.1", mail_servers.smtps_port, context=ssl.create_default_context()
        ),
    ):
        pass
