"""Text read from a stream: its encoding told from a bounded prefix, then decoded chunk by
chunk and split into lines, so a record file of any size is never held whole."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from annotator.io.records import ByteStream, ReadError

from .decoding import BOMS, CONTROL_CHARS, NOT_CONTROL

# decoding's control characters, as a pattern: str.translate with a table is slow
_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(CONTROL_CHARS)) + "]")

PREFIX = 1024 * 1024  # bytes looked at before streaming: smaller files are read whole
CHUNK = 1024 * 1024  # bytes decoded at a time


def streamed_encoding(head: bytes) -> tuple[str, int] | None:
    """(encoding, byte order mark length) of a file that starts with `head`; None when
    only the whole file can tell (no BOM and not UTF-8: the guess needs all of it, as does
    UTF-16 without a BOM) or its start looks binary (reading it whole says so)."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            try:
                codecs.getincrementaldecoder(encoding)().decode(head[len(bom):], False)
            except UnicodeDecodeError:
                return None
            return encoding, len(bom)
    if b"\x00" in head or len(head.translate(None, NOT_CONTROL)) > max(2, len(head) // 100):
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, False)
    except UnicodeDecodeError:
        return None
    return "utf-8", 0


def first_lines(head: bytes, encoding: str, skip: int) -> list[str]:
    """The lines that end within `head` (split on LF only)."""
    return codecs.getincrementaldecoder(encoding)().decode(head[skip:], False
                                                           ).split("\n")[:-1]


class StreamedText:
    """A file's text, decoded as it is read, line by line."""

    def __init__(self, raw: ByteStream, head: bytes, encoding: str, skip: int) -> None:
        self._raw, self._head, self.encoding, self._skip = raw, head, encoding, skip
        self.length = 0  # characters decoded so far
        self.control = 0  # of which control characters that do not occur in text

    @property
    def binary(self) -> bool:
        """Many control characters: a binary file, as `decoding.decode` tells it."""
        return self.control > max(2, self.length // 100)

    def lines(self) -> Iterator[tuple[int, str]]:
        """(line number from 1, line without its LF); U+2028 and friends may stand raw
        inside JSON strings and in quoted cells, so LF alone ends a line."""
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        data, offset = self._head[self._skip:], self._skip
        pending, number = "", 0
        while True:
            final = not data
            try:
                text = decoder.decode(data, final)
            except UnicodeDecodeError as e:  # a detector's guess would need all of it
                at = max(e.start, 0)  # (within the few bytes held back and this chunk)
                line = number + 1 + (data[:at].count(b"\n") if self.encoding == "utf-8" else 0)
                raise ReadError(f"is not valid {self.encoding} text at byte {offset + at:,}, "
                                f"though it starts as {self.encoding}: save it in one "
                                "encoding", line=line) from None
            offset += len(data)
            self.length += len(text)
            self.control += len(_CONTROL.findall(text))
            if "\n" in text:
                parts = (pending + text).split("\n")
                pending = parts.pop()
                for part in parts:
                    number += 1
                    yield number, part
            else:
                pending += text
            if final:
                yield number + 1, pending
                return
            data = self._raw.read(CHUNK)


def read_head(raw: ByteStream) -> bytes:
    """Up to PREFIX bytes from the start of a stream."""
    parts, size = [], 0
    while size < PREFIX:
        data = raw.read(PREFIX - size)
        if not data:
            break
        parts.append(data)
        size += len(data)
    return b"".join(parts)
