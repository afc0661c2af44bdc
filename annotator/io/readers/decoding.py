"""Bytes to text: BOMs, strict UTF-8 first, then charset detection that prefers cp1252."""

from __future__ import annotations

import codecs

from annotator.io.records import ReadError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that do not occur in text files (tab, LF, CR, FF and ESC are fine).
# Counted in the bytes (every single-byte and UTF-8 encoding keeps them as they are), by
# deleting every other byte: bytes.translate runs at memory speed, a regex does not.
_CONTROL_BYTES = set(range(0, 9)) | {11} | set(range(14, 27)) | set(range(28, 32))
NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


# Latin-script code pages that detectors pick for short text that is really cp1252.
_CONFUSED_WITH_CP1252 = {
    "cp775", "cp1250", "cp1257", "cp850", "cp437", "cp858", "latin_1", "iso8859_2",
    "iso8859_4", "iso8859_13", "iso8859_15", "mac_latin2", "mac_roman", "mac_iceland",
}


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name); raise ReadError for empty, binary or undecodable data."""
    if not data.strip():
        raise ReadError("the file is empty")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as e:
                raise ReadError(f"starts with a {encoding} byte order mark but is not "
                                f"valid {encoding} (byte {e.start + len(bom)})") from None
            if len(text.translate(CONTROL_CHARS)) < len(text) - max(2, len(text) // 100):
                raise ReadError("looks like a binary file (many control characters or NUL "
                                "bytes after its byte order mark), not text")
            return text, encoding + " (BOM)"
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is None:
            raise ReadError("looks like a binary file (it contains NUL bytes), not text")
        return found
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _guess(data)
    if len(data.translate(None, NOT_CONTROL)) > max(2, len(text) // 100):
        raise ReadError("looks like a binary file (many control characters), not text")
    return text, encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte order mark (some Windows tools do): mostly Latin text
    then has a NUL in every second byte, odd bytes for little-endian, even for big."""
    if len(data) % 2:
        return None
    half = len(data) // 2
    odd, even = data[1::2].count(0), data[0::2].count(0)
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= half * 0.3 and other <= half * 0.02:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            if "\x00" in text or len(text.translate(CONTROL_CHARS)) < len(text) * 0.99:
                return None  # binary after all: NULs or control characters in the text
            return text, encoding
    return None


CONTROL_CHARS = dict.fromkeys(_CONTROL_BYTES)  # str.translate table deleting them


def _guess(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    # Not preemptive: a page that mentions charset=koi8-r in its text is not KOI8-R.
    results = from_bytes(data, cp_isolation=None, preemptive_behaviour=False)
    best = results.best()
    if best is None:
        raise ReadError("cannot tell the encoding: the bytes are not text in any known encoding")
    encoding = best.encoding
    # Short Western text is often mis-guessed (cp775, cp1250, even big5 or utf_16 for a
    # line or two): cp1252 wins when the guess is one of those, when the detector rated
    # cp1252 (nearly) as coherent, or when read as cp1252 the text is mostly ASCII letters
    # with a few accents, as Western European text is. Text in other scripts read as cp1252
    # is nearly all accented letters, so Cyrillic, Greek and Hebrew guesses stand.
    if encoding != "cp1252" and _decodes(data, "cp1252"):
        cp = next((r for r in results if r.encoding == "cp1252"), None)
        if (encoding in _CONFUSED_WITH_CP1252 or _looks_western(data.decode("cp1252"))
                or (cp is not None and cp.chaos <= best.chaos + 0.1)):
            encoding = "cp1252"
    return data.decode(encoding), encoding


def _looks_western(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    accented = sum(1 for c in letters if not c.isascii())
    return bool(letters) and accented <= len(letters) * 0.25


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
