"""Reads a saved review page: the article's text, as plain text, without the page around it."""

from __future__ import annotations

import codecs
import logging
import re
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from annotator.domain.text import normalise_text, title_from_text
from annotator.io.records import DocumentRecord, ReadError, ReadOptions, Records

from .decoding import decode

if TYPE_CHECKING:
    from lxml.etree import _Element
    from trafilatura.settings import Document

# Browsers look for a declared charset near the top of the page; so do we, a little further.
_PRESCAN = 4096
_META = re.compile(rb"<meta\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([^\s"';>]+)""", re.IGNORECASE)
# As in the WHATWG Encoding standard: pages labelled Latin-1 or ASCII are written in cp1252,
# and a label a byte scan found cannot be UTF-16 or UTF-32.
_LABEL_MEANS = {"iso8859-1": "cp1252", "ascii": "cp1252",
                "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
                "utf-32": "utf-8", "utf-32-le": "utf-8", "utf-32-be": "utf-8"}
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 LE's starts so too
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_DOCUMENT = re.compile(r"<(?:html|body)\b", re.IGNORECASE)

# trafilatura's extracted tree: these elements are blocks (a blank line around each), these
# start a line within one (a list item, a table row, a <br>); cells share their row,
# tab-separated.
_BLOCKS = frozenset({"p", "head", "quote", "code", "list", "table", "div", "figure", "graphic"})
_LINES = frozenset({"item", "row", "lb"})
_BLANK_RUN = re.compile(r"\n{3,}")
_LOGGERS = ("trafilatura", "htmldate", "courlan")


def read_html(data: bytes, name: str, options: ReadOptions = ReadOptions()) -> Records:
    """One review page as one document: the main text, with title, author, date and site."""
    text, encoding = _decode_page(data)
    stem = PurePosixPath(name.replace("\\", "/")).stem or name
    found = _extract(text)
    # Repeated paragraphs stay: dropping them (clean_text) is the importer's choice to make.
    body = "" if found is None else _plain_text(found.body)
    if found is None or not body:
        raise ReadError("no review text found in the page (it may be empty, or hold only "
                        "navigation, comments or scripts)")
    meta = {key: " ".join(str(value).split())
            for key, value in (("title", found.title), ("author", found.author),
                               ("date", found.date), ("site", found.sitename))
            if value and str(value).strip()}
    # The encoding is worth keeping only when it was declared otherwise or detected.
    if encoding != "utf-8":
        meta["encoding"] = encoding
    title = meta.get("title") or title_from_text(body, stem)
    return Records([DocumentRecord(text=body, title=title, meta=meta)])


def _decode_page(data: bytes) -> tuple[str, str]:
    """The page's declared charset when it names a real one that fits the bytes; else the
    ordinary decoding (a byte order mark, strict UTF-8, then detection)."""
    declared = None if data.startswith(_BOMS) else _declared_charset(data[:_PRESCAN])
    if declared is not None and b"\x00" not in data:
        try:
            return data.decode(declared), declared
        except (UnicodeError, LookupError):
            pass  # mislabelled, as pages saying UTF-8 and written in cp1252 often are
    return decode(data)


def _declared_charset(head: bytes) -> str | None:
    """The codec named by <meta charset> or <meta http-equiv="Content-Type" content=...>."""
    for meta in _META.finditer(head):
        attributes = {m[1].lower(): m[2] or m[3] or m[4] or b""
                      for m in _ATTRIBUTE.finditer(meta[1])}
        label = attributes.get(b"charset")
        # Only the http-equiv form counts, so a description mentioning charset= does not.
        if label is None and attributes.get(b"http-equiv", b"").lower() == b"content-type":
            match = _CHARSET.search(attributes.get(b"content", b""))
            label = match[1] if match else None
        if not label:
            continue
        try:  # "utf-8/" comes from an unquoted <meta charset=utf-8/>
            codec = codecs.lookup(label.decode("ascii").strip().rstrip("/")).name
        except (LookupError, UnicodeDecodeError):
            continue  # as browsers do, an unknown name is passed over
        return _LABEL_MEANS.get(codec, codec)
    return None


def _extract(text: str) -> Document | None:
    """trafilatura's Document for the page, or None when it finds no main text."""
    try:
        import trafilatura
        from trafilatura.settings import Document
    except ImportError:
        raise ReadError("reading HTML pages needs the trafilatura package "
                        "(pip install trafilatura)") from None
    # trafilatura re-reads a page as bytes when lxml refuses a str with an XML declaration,
    # and libxml2 would then decode it again by that declaration's encoding.
    text = _XML_DECLARATION.sub("", text, count=1)
    # trafilatura rejects what does not look like a whole page; a saved fragment is one.
    if not _DOCUMENT.search(text):
        text = f"<html><body>{text}</body></html>"
    with _quiet(_LOGGERS):
        try:
            found = trafilatura.bare_extraction(text, include_comments=False,
                                                with_metadata=True)
        except Exception:  # whatever breaks inside the extractor, the page yields no text
            return None
    return found if isinstance(found, Document) else None  # a dict only with as_dict=True


@contextmanager
def _quiet(names: tuple[str, ...]):
    """Silence the extractor's loggers: it reports pages it discards as warnings and errors,
    which for us are a ReadError, not console noise."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _plain_text(body: _Element | None) -> str:
    """The extracted tree as plain text: blocks apart by blank lines, no markup."""
    parts: list[str] = []

    def walk(element: _Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""  # "" for XML comments
        if tag in _BLOCKS:
            parts.append("\n\n")
        elif tag in _LINES:
            parts.append("\n")
        elif tag == "cell" and element.getprevious() is not None:
            parts.append("\t")
        if tag and element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
        if tag in _BLOCKS:
            parts.append("\n\n")
        if element.tail:
            parts.append(element.tail)

    if body is not None:
        parts.append(body.text or "")
        for child in body:
            walk(child)
    # Markup indentation and line breaks around blocks leave spaces at line starts.
    lines = (line.strip() for line in normalise_text("".join(parts)).split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")
