"""A large letter is parsed fast (base64 runs stood in for) and exactly as the plain
parser reads it: the same parts, names and bytes, whatever the line ends and nesting."""

from __future__ import annotations

import email
import email.policy
import os
from email.message import EmailMessage

import pytest

from shkmd_xl.intake.unpack import _BIG_RUN, _parse_eml


def big_letter(nested: bool) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "mo@mo.test", "office@region.test", "Отчёт"
    msg.set_content("Текст письма.")
    msg.add_attachment(
        os.urandom(2_000_000), maintype="application", subtype="pdf", filename="скан.pdf"
    )
    msg.add_attachment(
        b"PK\x03\x04" + os.urandom(300_000),
        maintype="application",
        subtype="octet-stream",
        filename="Отчёт.xlsx",
    )
    if nested:
        inner = EmailMessage()
        inner["Subject"] = "Пересланное"
        inner.set_content("внутри")
        inner.add_attachment(
            os.urandom(1_500_000), maintype="image", subtype="png", filename="фото.png"
        )
        msg.add_attachment(inner)
    return msg


def parts(msg: email.message.Message) -> list[tuple[str | None, str, object]]:
    return [
        (p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
        for p in msg.walk()
        if not p.is_multipart()
    ]


@pytest.mark.parametrize("nested", [False, True])
@pytest.mark.parametrize("eol", [b"\n", b"\r\n"])
def test_fast_parse_is_the_plain_parse(nested: bool, eol: bytes) -> None:
    data = big_letter(nested).as_bytes().replace(b"\r\n", b"\n").replace(b"\n", eol)
    assert _BIG_RUN.search(data)  # the fast path is taken
    plain = email.message_from_bytes(data, policy=email.policy.default)
    fast = _parse_eml(data)
    assert parts(fast) == parts(plain)
    assert fast["Subject"] == plain["Subject"]


def test_small_or_odd_letters_take_the_plain_parse() -> None:
    msg = big_letter(False)
    msg["X-Note"] = "SHKMDBODY00000000"  # our token in the letter itself
    data = msg.as_bytes()
    assert parts(_parse_eml(data)) == parts(
        email.message_from_bytes(data, policy=email.policy.default)
    )
