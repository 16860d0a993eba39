"""A small writer of Outlook .msg files (MS-CFB v3 + MS-OXMSG) for the demo and the tests.

Why it is in the library: ``shkmd-xl demo`` (shipped) builds a demo inbox that needs
real .msg files (a report sent from Outlook and saved as .msg), and the tests build
theirs with it. Only the demo and the tests import it; intake reads .msg files with
extract-msg, never with this module.

Only what a received report needs: subject, sender, date, body, transport
headers, attachments by value and attached messages (nested to any depth). Streams under 4096 bytes go to the mini
stream, as the specification requires.
"""

from __future__ import annotations

import datetime as dt
import itertools
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
PT_LONG, PT_SYSTIME, PT_UNICODE, PT_BINARY = 0x0003, 0x0040, 0x001F, 0x0102


@dataclass
class Node:
    name: str
    data: bytes | None = None  # None for a storage
    children: list[Node] = field(default_factory=list)
    sid: int = 0
    start: int = END
    size: int = 0


def _props(props: list[tuple[int, int, object]], header: bytes) -> tuple[bytes, list[Node]]:
    """The __properties_version1.0 stream and the __substg1.0_ streams it refers to."""
    out, streams = bytearray(header), []
    for prop_id, ptype, value in props:
        tag = (prop_id << 16) | ptype
        if ptype == PT_LONG:
            out += struct.pack("<IIiI", tag, 6, int(value), 0)  # type: ignore[call-overload]
        elif ptype == PT_SYSTIME:
            assert isinstance(value, dt.datetime)
            ticks = int((value - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)).total_seconds() * 10**7)
            out += struct.pack("<IIQ", tag, 6, ticks)
        else:
            # a string stream holds no terminator; the entry's size counts it (MS-OXMSG 2.4.2.2)
            data = str(value).encode("utf-16-le") if ptype == PT_UNICODE else bytes(value)  # type: ignore[call-overload]
            size = len(data) + (2 if ptype == PT_UNICODE else 0)
            out += struct.pack("<IIII", tag, 6, size, 0)
            streams.append(Node(f"__substg1.0_{tag:08X}", data))
    return bytes(out), streams


@dataclass
class Mail:
    """One message; an attachment is a file (name, bytes) or another message (name, Mail)."""

    subject: str
    sender: str
    sender_name: str
    when: dt.datetime
    body: str
    attachments: list[tuple[str, bytes | Mail]] = field(default_factory=list)


def message(
    subject: str,
    sender: str,
    sender_name: str,
    when: dt.datetime,
    body: str,
    attachments: Sequence[tuple[str, bytes | Mail]],
) -> bytes:
    """An .msg file (bytes) with the given attachments (files or attached messages)."""
    mail = Mail(subject, sender, sender_name, when, body, list(attachments))
    names = Node(
        "__nameid_version1.0",
        children=[
            Node("__substg1.0_00020102", b""),
            Node("__substg1.0_00030102", b""),
            Node("__substg1.0_00040102", b""),
        ],
    )
    return _compound(Node("Root Entry", children=[*_message(mail, embedded=False), names]))


def _message(mail: Mail, embedded: bool) -> list[Node]:
    """The streams and storages of one message (MS-OXMSG 2.2, 2.4.1)."""
    headers = (
        f"From: {mail.sender_name} <{mail.sender}>\r\nSubject: {mail.subject}\r\n"
        f"Date: {mail.when.strftime('%a, %d %b %Y %H:%M:%S %z')}\r\n"
    )
    top = [
        (0x001A, PT_UNICODE, "IPM.Note"),
        (0x0037, PT_UNICODE, mail.subject),
        (0x0C1F, PT_UNICODE, mail.sender),
        (0x0C1A, PT_UNICODE, mail.sender_name),
        (0x0039, PT_SYSTIME, mail.when),
        (0x0E06, PT_SYSTIME, mail.when),
        (0x1000, PT_UNICODE, mail.body),
        (0x007D, PT_UNICODE, headers),
    ]
    count = len(mail.attachments)
    # the top-level header has 8 more reserved bytes than an embedded message's
    header = struct.pack("<8sIIII", b"", 0, count, 0, count) + (b"" if embedded else b"\0" * 8)
    stream, substg = _props(top, header)
    nodes = [Node("__properties_version1.0", stream), *substg]
    for i, (name, content) in enumerate(mail.attachments):
        props: list[tuple[int, int, object]] = [
            (0x3705, PT_LONG, 5 if isinstance(content, Mail) else 1),  # embedded message / by value
            (0x0E21, PT_LONG, i),
            (0x3707, PT_UNICODE, name),
            (0x3704, PT_UNICODE, name[:12]),
        ]
        if isinstance(content, bytes):
            props += [
                (0x3701, PT_BINARY, content),
                (0x370E, PT_UNICODE, "application/octet-stream"),
            ]
        else:
            props.append((0x3001, PT_UNICODE, name))
        stream, substg = _props(props, b"\0" * 8)
        children = [Node("__properties_version1.0", stream), *substg]
        if isinstance(content, Mail):
            children.append(Node("__substg1.0_3701000D", children=_message(content, embedded=True)))
        nodes.append(Node(f"__attach_version1.0_#{i:08X}", children=children))
    return nodes


def _walk(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out += _walk(child)
    return out


def _key(n: Node) -> tuple[int, str]:
    return (len(n.name), n.name.upper())


def _compound(root: Node) -> bytes:
    nodes = _walk(root)
    for sid, n in enumerate(nodes):
        n.sid = sid
    # mini stream: small streams in 64-byte mini sectors
    mini, minifat = bytearray(), []
    big: list[Node] = []
    for n in nodes:
        if n.data is None:
            continue
        n.size = len(n.data)
        if n.size == 0:
            n.start = END
        elif n.size < CUTOFF:
            count = -(-n.size // MINI)
            n.start = len(mini) // MINI
            minifat += [n.start + k + 1 for k in range(count - 1)] + [END]
            mini += n.data + b"\0" * (count * MINI - n.size)
        else:
            big.append(n)
    root.data, root.size = bytes(mini), len(mini)
    # regular sectors: big streams, mini stream, mini FAT, directory, then the FAT
    sectors: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        if not data:
            return END
        first = len(sectors)
        count = -(-len(data) // SECTOR)
        for k in range(count):
            sectors.append(data[k * SECTOR : (k + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(first + k + 1 if k < count - 1 else END)
        return first

    for n in big:
        n.start = place(n.data or b"")
    root.start = place(bytes(mini)) if mini else END
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_bytes += struct.pack("<I", FREE) * ((-len(minifat)) % (SECTOR // 4))
    first_minifat = place(minifat_bytes) if minifat else END
    directory = _directory(nodes)
    first_dir = place(directory)
    n_fat = 1
    while len(sectors) + n_fat > n_fat * (SECTOR // 4):
        n_fat += 1
    fat_start = len(sectors)
    fat += [FATSECT] * n_fat
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    difat = [fat_start + k for k in range(n_fat)] + [FREE] * (109 - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        n_fat,
        first_dir,
        0,
        CUTOFF,
        first_minifat,
        len(minifat_bytes) // SECTOR if minifat else 0,
        END,
        0,
    ) + b"".join(struct.pack("<I", v) for v in difat)
    return header + b"".join(sectors) + fat_bytes


def _directory(nodes: list[Node]) -> bytes:
    left = {n.sid: NOSTREAM for n in nodes}
    right = dict(left)
    child = dict(left)
    for n in nodes:
        kids = sorted(n.children, key=_key)
        if kids:  # a right-leaning chain: valid ordering, all black
            child[n.sid] = kids[0].sid
            for a, b in itertools.pairwise(kids):
                right[a.sid] = b.sid
    out = bytearray()
    for n in nodes:
        name = n.name.encode("utf-16-le") + b"\0\0"
        kind = 5 if n.sid == 0 else (1 if n.data is None else 2)
        out += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            kind,
            1,
            left[n.sid],
            right[n.sid],
            child[n.sid],
            b"\0" * 16,
            0,
            0,
            0,
            n.start if kind != 1 else 0,
            n.size if kind != 1 else 0,
        )
    out += b"\0" * ((-len(out)) % SECTOR)
    empty = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0
    )
    pad = (len(out) - len(nodes) * 128) // 128
    return bytes(out[: len(nodes) * 128]) + empty * pad
