"""File names as people should read them, whatever bytes the OS or an archive gave.

On Linux a name is bytes: Russian Windows, old zips and USB sticks write cp1251 or
cp866, which Python hands over as «surrogate escapes» (``\\udccf``) that cannot be
stored, printed or put in JSON. Every name is shown decoded: UTF-8, else the Russian
code page that reads as Russian, else its bytes escaped visibly («\\xcf\\xe0»).
"""

from __future__ import annotations

_ESCAPED = range(0xDC80, 0xDD00)


def _cyrillic(ch: str) -> bool:
    return "\u0410" <= ch <= "\u044f" or ch in "\u0401\u0451"


def _score(text: str) -> int:
    """Russian letters minus every other non-ASCII character (box drawing, symbols)."""
    return sum(1 if _cyrillic(ch) else -2 for ch in text if ord(ch) > 127)


def decode_name(raw: bytes) -> str:
    """A name's bytes as text: UTF-8, cp1251 or cp866 (whichever reads as Russian),
    else UTF-8 with the undecodable bytes escaped («\\xcf»)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best, best_score = "", 0
    for encoding in ("cp1251", "cp866"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if score > best_score and text.isprintable():
            best, best_score = text, score
    return best or raw.decode("utf-8", "backslashreplace")


def readable(name: str) -> str:
    """``name`` with any surrogate escapes (undecodable bytes of an OS name) decoded."""
    if not any(ord(ch) in _ESCAPED or 0xD800 <= ord(ch) < 0xE000 for ch in name):
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no byte gave
        return name.encode("utf-8", "backslashreplace").decode("ascii")
    return decode_name(raw)


def has_escapes(name: str) -> bool:
    """True when ``name`` cannot be passed as UTF-8 (to a reader written in Rust, say)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
