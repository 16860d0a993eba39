"""A large letter is parsed fast (base64 runs stood in for) and exactly as the plain
parser reads it: the same parts, names and bytes, whatever the line ends and nesting."""

from __future__ import annotations

import email
import email.policy
import os
from email.message import EmailMessage

import pytest

from shkmd_xl.intake.unpack import _big_bodies, _parse_eml, _payload


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
    assert len(_big_bodies(data)) == (3 if nested else 2)  # the fast path is taken
    plain = email.message_from_bytes(data, policy=email.policy.default)
    fast = _parse_eml(data)
    assert parts(fast) == parts(plain)
    decoded = [_payload(p) for p in fast.walk() if not p.is_multipart()]
    assert decoded == [p[2] for p in parts(plain)]  # decoded at parse time, same bytes
    assert sum(getattr(p, "_shkmd_bytes", None) is not None for p in fast.walk()) >= 2
    assert fast["Subject"] == plain["Subject"]


def test_small_or_odd_letters_take_the_plain_parse() -> None:
    msg = big_letter(False)
    msg["X-Note"] = "SHKMDBODY00000000"  # our token in the letter itself
    data = msg.as_bytes()
    assert parts(_parse_eml(data)) == parts(
        email.message_from_bytes(data, policy=email.policy.default)
    )


def test_odd_base64_bodies_decode_as_the_stdlib_does() -> None:
    """A body with padding inside, a broken quantum, or text after the base64: the
    stdlib decodes it (the same bytes, its defects' leniency)."""
    msg = big_letter(False)
    data = msg.as_bytes()
    body = _big_bodies(data)[0]
    odd = [
        data[: body[0]] + b"QQ==\n" + data[body[0] :],  # padding inside
        data[: body[0]] + b"QUJD\nQ" + data[body[0] :],  # a broken quantum
        data[: body[1]] + b"\n\xd0\xa2\xd0\xb5\n" + data[body[1] :],  # not base64
    ]
    for variant in odd:
        fast = _parse_eml(variant)
        plain = email.message_from_bytes(variant, policy=email.policy.default)
        assert [_payload(p) for p in fast.walk() if not p.is_multipart()] == [
            p[2] for p in parts(plain)
        ]
