"""Real mail servers for the tests: Dovecot (IMAP) and aiosmtpd (SMTP) on loopback ports.

Dovecot runs with a temporary config: a passwd-file of users, one Maildir per user,
TLS with a certificate made at test time (a test CA signs it: clients that do not
trust the CA refuse the server, as a real untrusted certificate is refused). Port
``imaps`` speaks implicit TLS, port ``imap`` STARTTLS. aiosmtpd delivers what it
accepts into the same Maildirs (the recipient's user), asks for a password, and
can be told to answer the next letters with a temporary (4xx) or permanent (5xx)
error. Started as root, Dovecot runs its login processes as ``dovenull`` and owns
the Maildirs as ``dovecot``; started as another user, everything runs as that user.

Absent Dovecot: the tests skip with the install command, or fail where they must
run (CI sets SHKMD_REQUIRE_MAIL=1 in .ci/run).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email
import email.policy
import grp
import imaplib
import ipaddress
import mailbox
import os
import pwd
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

DOVECOT = "/usr/sbin/dovecot"
INSTALL = "apt-get install -y --no-install-recommends dovecot-imapd && pip install aiosmtpd"
PASSWORD = "пароль-Secret1"  # a non-ASCII password: sent as UTF-8 by both protocols


def available() -> str:
    """Why the servers cannot run here ('' when they can)."""
    if not Path(DOVECOT).exists():
        return f"Dovecot is not installed: {INSTALL}"
    try:
        import aiosmtpd  # noqa: F401
        import cryptography  # noqa: F401
    except ImportError:
        return f"aiosmtpd is not installed: {INSTALL}"
    return ""


def require() -> None:
    reason = available()
    if not reason:
        return
    if os.environ.get("SHKMD_REQUIRE_MAIL"):
        pytest.fail(reason)
    pytest.skip(reason)


def smtp_login(smtp: smtplib.SMTP, user: str, password: str = PASSWORD) -> None:
    """AUTH PLAIN with a UTF-8 password (smtplib's login() encodes it as ASCII)."""
    smtp.ehlo()
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _die_with_parent() -> None:
    """Dovecot's master ends when the test process dies (killed, timed out): no server is
    left behind (Linux: PR_SET_PDEATHSIG; its children end when the master is gone)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a server certificate for localhost / 127.0.0.1 signed by it:
    (ca.pem, cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "shkmd test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    os.chmod(paths[2], 0o600)
    return paths


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
mail_location = maildir:~/Maildir
mail_uid = {mail_user}
mail_gid = {mail_group}
first_valid_uid = 0
mail_privileged_group =
protocol imap {{
  mail_max_userip_connections = 50
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@dataclass
class SmtpPlan:
    """What the SMTP server answers to the next letters: a list of replies consumed one
    per letter («451 …» temporary, «550 …» permanent); empty — accept."""

    replies: list[str] = field(default_factory=list)
    accepted: list[tuple[str, list[str]]] = field(default_factory=list)  # (from, to)


class MailServers:
    """Dovecot + aiosmtpd sharing the users' Maildirs under ``root``."""

    def __init__(self, root: Path):
        self.root = root
        self.ca, self.cert, self.key = make_certificates(root)
        self.imap_port, self.imaps_port = free_port(), free_port()
        self.smtp_port, self.smtps_port = free_port(), free_port()
        self.users: set[str] = set()
        self._stamp = 0
        self.plan = SmtpPlan()
        self.proc: subprocess.Popen[bytes] | None = None
        self._controllers: list[Any] = []
        if os.geteuid() == 0:
            self.login_user, self.internal_user, self.mail_user = "dovenull", "dovecot", "dovecot"
        else:
            me = pwd.getpwuid(os.geteuid()).pw_name
            self.login_user = self.internal_user = self.mail_user = me
        self.uid = pwd.getpwnam(self.mail_user).pw_uid
        self.gid = pwd.getpwnam(self.mail_user).pw_gid
        (root / "passwd").write_text("", encoding="utf-8")
        (root / "dovecot.conf").write_text(
            CONFIG.format(
                root=root,
                login_user=self.login_user,
                internal_user=self.internal_user,
                mail_user=self.mail_user,
                mail_group=grp.getgrgid(self.gid).gr_name,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
            ),
            encoding="utf-8",
        )

    # -- users and their Maildirs ------------------------------------------------
    def add_user(self, *users: str, password: str = PASSWORD) -> None:
        """Users (their passwd-file lines and Maildirs); the server sees them at once."""
        users = tuple(u for u in users if u not in self.users)
        if not users:
            return
        passwd = self.root / "passwd"
        with passwd.open("a", encoding="utf-8") as fh:
            for user in users:
                fh.write(f"{user}:{{PLAIN}}{password}::::::\n")
        for user in users:
            self.users.add(user)
            self.maildir(user)
        # Dovecot's auth rereads a changed passwd-file at most once a second: the next
        # login must come in a later second than any lookup made before this change
        self._stamp = max(int(time.time()), self._stamp + 1)
        os.utime(passwd, (self._stamp, self._stamp))
        if self.proc is not None:
            time.sleep(max(0.0, self._stamp + 1 - time.time()) + 0.02)

    def home(self, user: str) -> Path:
        return self.root / "home" / user

    def maildir(self, user: str, folder: str = "") -> mailbox.Maildir:
        """The user's Maildir (or its sub-folder, Maildir++ «.name»), owned by the mail uid."""
        path = self.home(user) / "Maildir"
        path.parent.mkdir(parents=True, exist_ok=True)
        box = mailbox.Maildir(path, create=True)
        if folder:
            box = (
                box.add_folder(folder)
                if folder not in box.list_folders()
                else box.get_folder(folder)
            )
        self._own(self.home(user))
        return box

    def _own(self, top: Path) -> None:
        if os.geteuid() != 0:
            return
        for path in [top, *top.rglob("*")]:
            os.chown(path, self.uid, self.gid)

    def deliver(self, user: str, message: bytes | email.message.Message) -> str:
        """Put a message into the user's INBOX as a delivery agent would; its Maildir key."""
        box = self.maildir(user)
        data = message if isinstance(message, bytes) else message.as_bytes()
        key = box.add(mailbox.MaildirMessage(data))
        self._own(self.home(user) / "Maildir")
        return key

    def messages(self, user: str, folder: str = "") -> list[email.message.EmailMessage]:
        box = self.maildir(user, folder)
        out = []
        for key in sorted(box.keys()):
            with box.get_file(key) as fh:
                out.append(email.message_from_binary_file(fh, policy=email.policy.default))
        return out  # type: ignore[return-value]

    # -- Dovecot -----------------------------------------------------------------
    def start_imap(self) -> None:
        """Start Dovecot (nothing when it runs already: never two masters)."""
        if self.proc is not None and self.proc.poll() is None:
            return
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir(exist_ok=True)
        self.proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: stopped with all its children
            preexec_fn=_die_with_parent,
        )
        for port in (self.imap_port, self.imaps_port):
            self._wait(port)

    def _wait(self, port: int) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    "Dovecot did not start: "
                    + (self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else "")
                    + self.log()
                )
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                return
            time.sleep(0.05)
        raise RuntimeError(f"Dovecot does not listen on {port}: {self.log()}")

    def stop_imap(self) -> None:
        """Stop Dovecot and every process of it (open sessions are cut, as in a crash)."""
        if self.proc is None:
            return
        group = self.proc.pid  # the group this Popen started (start_new_session)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self.proc.wait()
        self.proc = None
        for port in (self.imap_port, self.imaps_port):  # until the port is free again
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                except OSError:
                    break
                time.sleep(0.05)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(encoding="utf-8", errors="replace")[-3000:] if path.exists() else ""

    def imap(self, user: str) -> imaplib.IMAP4_SSL:
        """A client session as ``user`` (trusting the test CA), for assertions."""
        ctx = ssl.create_default_context(cafile=str(self.ca))
        client = imaplib.IMAP4_SSL("127.0.0.1", self.imaps_port, ssl_context=ctx)
        client._encoding = "utf-8"  # type: ignore[attr-defined]
        client.login(user, PASSWORD)
        return client

    # -- SMTP ----------------------------------------------------------------------
    def start_smtp(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        servers = self

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any):
            if not isinstance(data, LoginPassword):
                return AuthResult(success=False, handled=False)
            user = data.login.decode("utf-8", "replace")
            good = user in servers.users and data.password.decode("utf-8", "replace") == PASSWORD
            return AuthResult(success=good, handled=False)  # False: «535» is sent

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
                if address.lower() not in servers.users:
                    return "550 5.1.1 Нет такого ящика / no such mailbox"
                envelope.rcpt_tos.append(address.lower())
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
                if servers.plan.replies:
                    return servers.plan.replies.pop(0)
                for rcpt in envelope.rcpt_tos:
                    servers.deliver(rcpt, envelope.original_content or envelope.content)
                servers.plan.accepted.append((envelope.mail_from, list(envelope.rcpt_tos)))
                return "250 2.0.0 Message accepted for delivery"

        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(self.cert), str(self.key))
        common = {
            "hostname": "127.0.0.1",
            "authenticator": authenticator,
            "auth_required": True,
            "data_size_limit": 80 * 1024 * 1024,
        }
        starttls = Controller(
            Handler(),
            port=self.smtp_port,
            tls_context=ctx,
            require_starttls=True,
            auth_require_tls=True,
            **common,
        )
        # implicit TLS: aiosmtpd does not count the TLS it was started with as TLS for
        # AUTH («538 Encryption required»), so that check is off there (it is TLS anyway)
        implicit = Controller(
            Handler(), port=self.smtps_port, ssl_context=ctx, auth_require_tls=False, **common
        )
        for controller in (starttls, implicit):
            with warnings.catch_warnings():  # «AUTH without TLS»: this one is TLS from the start
                warnings.simplefilter("ignore")
                controller.start()
            self._controllers.append(controller)

    def stop_smtp(self) -> None:
        for controller in self._controllers:
            with contextlib.suppress(Exception):
                controller.stop()
        self._controllers.clear()


@contextlib.contextmanager
def running_servers() -> Iterator[MailServers]:
    require()
    root = Path(tempfile.mkdtemp(prefix="shkmd-mail-"))
    os.chmod(root, 0o755)  # the login and mail users must reach the sockets and homes
    servers = MailServers(root)
    try:
        servers.start_imap()
        servers.start_smtp()
        yield servers
    finally:
        servers.stop_smtp()
        servers.stop_imap()
        shutil.rmtree(root, ignore_errors=True)
