"""What a received file really is, by its content, whatever its name says.

People rename files, mail systems drop extensions, and a workbook may arrive named
«.eml» or with no extension at all. The signatures: a zip package (its parts tell a
workbook from an OpenDocument spreadsheet from a plain archive), an OLE compound file
(its streams tell an .xls from an Outlook letter), MIME headers, XML and HTML text.
"""

from __future__ import annotations

import io
import re
import zipfile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
#: What each kind is called in an extension (the archive copy is stored under it).
EXTENSION = {
    "xlsx": ".xlsx",
    "xlsm": ".xlsm",
    "xlsb": ".xlsb",
    "xls": ".xls",
    "ods": ".ods",
    "zip": ".zip",
    "msg": ".msg",
    "eml": ".eml",
}
WORKBOOKS = frozenset({"xlsx", "xlsm", "xlsb", "xls", "ods"})
_HEADER = re.compile(
    rb"^(?:received|from|to|subject|date|return-path|mime-version|message-id|"
    rb"delivered-to|x-[\w-]+|content-type|reply-to|sender|cc|dkim-signature|"
    rb"arc-[\w-]+|authentication-results|thread-[\w-]+):[ \t]",
    re.IGNORECASE,
)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "mimetype" in names:
                mimetype = z.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mimetype:
                    return "ods"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return "broken zip"  # the reader or the archive reader says what is wrong
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names or (
        "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
    ):
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    return "zip"


def _ole_kind(data: bytes) -> str:
    head = data[: 8 << 20]
    if _utf16("__substg1.0_") in head or _utf16("__properties_version1.0") in head:
        return "msg"
    if _utf16("Workbook") in head or _utf16("Book") in head:
        return "xls"
    if _utf16("EncryptedPackage") in head:
        return "xlsx"  # an encrypted workbook: the reader says SUB08
    return ""


def _text_kind(start: bytes) -> str:
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = text[:4096].lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return "xml2003"
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<table" in lowered:
        return "html"
    first = text.split(b"\n", 1)[0]
    if _HEADER.match(first) and (b"\n\n" in text or b"\r\n\r\n" in text):
        return "eml"
    return ""


def sniff(data: bytes) -> str:
    """The kind of ``data``: a key of EXTENSION, «broken zip», «xml2003», «html»,
    «empty», or «» (unknown)."""
    if not data:
        return "empty"
    if data.startswith(ZIP) or data.startswith(EMPTY_ZIP):
        return _zip_kind(data)
    if data.startswith(OLE):
        return _ole_kind(data)
    return _text_kind(data[:65536])
