"""What an import reads: files, folders and .zip archives, made into a flat list of sources.

A source is one file to read, named as the user knows it ("reviews.zip/june/12.txt"). A
brat text travels with its .ann. Archives are read from memory, never unpacked to disk,
so a member named "../../.bashrc" cannot land anywhere; such members are refused.
"""

from __future__ import annotations

import lzma
import os
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .records import ByteStream, ReadError
from .registry import import_suffixes

# What an import looks at in a folder; other files are listed as skipped.
KNOWN = import_suffixes()

MAX_ARCHIVE_MEMBERS = 100_000
MAX_RATIO = 200  # uncompressed / compressed: above this, and large, it is a zip bomb
MEMBER_RATIO_FROM = 1024 * 1024  # members smaller than this are not held to the ratio


@dataclass(frozen=True)
class Source:
    name: str  # as shown to the user
    suffix: str  # lower-case extension, "" for none
    size: int  # bytes, as stored (uncompressed size for archive members)
    read: Callable[[], bytes]
    companion: Source | None = None  # a brat .txt's .ann
    skipped: str | None = None  # not read, and why (not an error: e.g. an unknown type)
    error: str | None = None  # cannot be read, and why
    path: Path | None = None  # on disk (not an archive member): archives are opened from it
    open: Callable[[], ByteStream] | None = None  # read as a stream instead, chunk by chunk
    #                                              (record files of any size); its bytes
    #                                              count against the import's total as read

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name.replace("\\", "/")).stem


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # per file
    max_archive_bytes: int = 2 * 1024 * 1024 * 1024  # all members of one archive together
    # Everything one import reads, files and archive members together, counted as read:
    # however an archive is laid out (padded with members that are skipped, split across
    # several archives), no more than this is ever unpacked.
    max_total_bytes: int = 2 * 1024 * 1024 * 1024


class _Bounds:
    """The limits of one import, and what it has read so far."""

    def __init__(self, limits: Limits) -> None:
        self.max_bytes, self.max_archive_bytes = limits.max_bytes, limits.max_archive_bytes
        self.max_total_bytes = limits.max_total_bytes
        self.read = 0
        self._counted: dict[str, int] = {}  # a file read twice (a label list looked at
        #                                     first, a retry) is counted once

    def spend(self, name: str, data: bytes) -> bytes:
        self.spent(name, len(data))
        return data

    def spent(self, name: str, size: int) -> None:
        """`size` bytes of this file have been read (a stream reports as it goes)."""
        self.read += max(0, size - self._counted.get(name, 0))
        self._counted[name] = max(size, self._counted.get(name, 0))
        if self.read > self.max_total_bytes:
            raise ReadError(
                f"not read: this import has read {_size(self.read)} with this file, "
                f"above the limit of {_size(self.max_total_bytes)} for one import "
                "(raise it with --max-total-mb, or import the rest separately)")


def display_path(path: Path) -> str:
    """The path as storable text, even when the file name is not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "replace")


def collect(paths: list[Path], limits: Limits | None = None) -> list[Source]:
    """Every source under the paths: folders recursively (sorted, hidden entries left out),
    archives by member. Paths given by name are read whatever their extension."""
    bounds = _Bounds(limits or Limits())
    found: list[Source] = []
    for path in paths:
        if path.is_dir():
            files: list[Path] = []
            unreadable: list[OSError] = []
            for root, dirs, names in os.walk(path, onerror=unreadable.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files += [Path(root) / n for n in sorted(names) if not n.startswith(".")]
            found += [Source(display_path(Path(e.filename or path)), "", 0, _nothing,
                             error=f"this folder cannot be read: {_why(e)}")
                      for e in unreadable]
            found += _paired([_file(f, bounds) for f in files], False, bounds)
        else:
            found += _paired([_file(path, bounds)], True, bounds)
    return _once(found)


def _once(sources: list[Source]) -> list[Source]:
    """Each source once, where it first came: a brat pair given as both x.txt and x.ann,
    or a file given twice (by itself and in its folder), is read and listed once."""
    seen: set[str] = set()
    kept = []
    for source in sources:
        if source.name not in seen:
            seen.add(source.name)
            kept.append(source)
    return kept


def _file(path: Path, limits: _Bounds) -> Source:
    name, suffix = display_path(path), path.suffix.lower()
    try:
        info = path.stat()
    except OSError as e:
        missing = isinstance(e, FileNotFoundError)
        return Source(name, suffix, 0, _nothing,
                      error="no such file or folder" if missing else _why(e))
    if not stat.S_ISREG(info.st_mode):
        return Source(name, suffix, 0, _nothing, error="not a regular file")
    return Source(name, suffix, info.st_size, lambda: _read_file(path, limits), path=path,
                  open=lambda: _opened_file(path, limits))


def _opened_file(path: Path, limits: _Bounds) -> ByteStream:
    try:
        return _Counted(open(path, "rb"), str(path), limits)
    except OSError as e:
        raise ReadError(f"cannot be read: {_why(e)}") from None


class _Counted:
    """A binary file read in chunks, each counted against the import's total as read."""

    def __init__(self, f: ByteStream, name: str, limits: _Bounds,
                 errors: tuple[type[BaseException], ...] = (OSError,),
                 failed: str = "cannot be read") -> None:
        self._f, self._name, self._limits, self._errors = f, name, limits, errors
        self._failed = failed
        self._read = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._f.read(size)
        except self._errors as e:
            raise ReadError(f"{self._failed}: {e}") from None
        self._read += len(data)
        self._limits.spent(self._name, self._read)
        return data

    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> _Counted:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_file(path: Path, limits: _Bounds) -> bytes:
    limit = limits.max_bytes
    try:
        with open(path, "rb") as f:
            # What it holds now and a byte more, to see whether it grew since it was looked
            # at (then read on, up to the limit); a read of the limit itself would allocate
            # the limit (50 MB) for every 5 KB review: 4x the time of the read.
            size = os.fstat(f.fileno()).st_size
            data = f.read(min(size, limit) + 1)
            if size < limit and len(data) > size:  # it grew
                data += f.read(limit + 1 - len(data))
    except OSError as e:
        raise ReadError(f"cannot be read: {_why(e)}") from None
    if len(data) > limit:
        raise ReadError(too_big(len(data), limit))
    return limits.spend(str(path), data)


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def _nothing() -> bytes:
    return b""


MB = 1024 * 1024  # what --max-mb counts in


def _size(n: int) -> str:
    return f"{n / MB:,.1f} MB" if n >= MB / 10 else f"{n / 1024:,.1f} KB"


def too_big(size: int, limit: int) -> str:
    return (f"the file is {size / MB:.1f} MB, above the import limit of {limit / MB:g} MB "
            "(raise it with --max-mb)")


def _paired(sources: list[Source], explicit: bool, limits: _Bounds) -> list[Source]:
    """Give each brat .txt its .ann; expand archives. Unknown types in folders are skipped."""
    by_name = {s.name: s for s in sources}
    out: list[Source] = []
    for source in sources:
        if source.error or source.skipped:
            out.append(source)
        elif source.suffix == ".zip":
            out += _archive(source, limits)
        elif source.suffix == ".ann":
            text = by_name.get(source.name[:-4] + ".txt")
            if text is None and explicit:
                out.append(_with_text_of(source, limits))
            elif text is None:
                out.append(_skip(source, "brat annotations without their .txt file"))
            # else: read together with its .txt
        elif source.suffix == ".txt" and (ann := by_name.get(_stem_path(source) + ".ann")):
            out.append(_companion(source, ann))
        elif source.suffix == ".txt" and explicit and (ann := _sibling_ann(source, limits)):
            out.append(_companion(source, ann))
        elif source.suffix not in KNOWN and not explicit:
            out.append(_skip(source, "not a supported file type"))
        else:
            out.append(source)
    return out


def _stem_path(source: Source) -> str:
    return source.name[: len(source.name) - len(source.suffix)]


def _companion(text: Source, ann: Source) -> Source:
    return Source(text.name, text.suffix, text.size + ann.size, text.read, companion=ann)


def _sibling_ann(source: Source, limits: _Bounds) -> Source | None:
    """The .ann beside a .txt given by name (a brat pair picked in a file dialog)."""
    path = Path(_stem_path(source) + ".ann")
    if not path.is_file():
        return None
    return Source(display_path(path), ".ann", path.stat().st_size,
                  lambda: _read_file(path, limits))


def _with_text_of(ann: Source, limits: _Bounds) -> Source:
    """An .ann given by name: read it with the .txt beside it."""
    text = Path(ann.name[:-4] + ".txt")
    if not text.is_file():
        return Source(ann.name, ".ann", ann.size, ann.read,
                      error=f"brat annotations need their text: {text.name} is not beside them")
    return Source(display_path(text), ".txt", text.stat().st_size + ann.size,
                  lambda: _read_file(text, limits), companion=ann)


def _skip(source: Source, why: str) -> Source:
    return Source(source.name, source.suffix, source.size, source.read, skipped=why)


def _archive(source: Source, limits: _Bounds) -> list[Source]:
    """The members of a .zip as sources, after refusing unsafe or oversized archives."""
    import io

    try:
        # From disk, an archive is read member by member, so it may be larger than the
        # per-file limit; one inside nothing else is read into memory.
        archive = zipfile.ZipFile(source.path if source.path else io.BytesIO(source.read()))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except ReadError as e:
        return [Source(source.name, ".zip", source.size, _nothing, error=e.message)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        return [Source(source.name, ".zip", source.size, _nothing,
                       error=f"not a readable .zip archive ({e})")]
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return [Source(source.name, ".zip", source.size, _nothing,
                       error=f"the archive holds {len(members):,} files, more than "
                             f"{MAX_ARCHIVE_MEMBERS:,}")]
    total = sum(m.file_size for m in members)
    # The ratio of what would be read: members that are skipped (an unknown type) must
    # not pad it down, however large and incompressible they are.
    read = [m for m in members if PurePosixPath(m.filename).suffix.lower() in KNOWN]
    unpacked = sum(m.file_size for m in read)
    packed = max(sum(m.compress_size for m in read), 1)
    if total > limits.max_archive_bytes:
        return [Source(source.name, ".zip", source.size, _nothing,
                       error=f"the archive would unpack to {total / MB:,.0f} MB, above the "
                             f"limit of {limits.max_archive_bytes / MB:,.0f} MB for one "
                             "archive; refused as unsafe")]
    if unpacked > 10 * MB and unpacked > MAX_RATIO * packed:
        return [Source(source.name, ".zip", source.size, _nothing,
                       error=f"the archive would unpack to {unpacked / MB:,.0f} MB from "
                             f"{packed / MB:,.1f} MB; refused as unsafe")]
    sources = []
    for member in members:
        name = f"{source.name}/{member.filename}"
        unsafe = _unsafe_name(member.filename) or (  # one too big is refused as that
            _bomb(member) if member.file_size <= limits.max_bytes else None)
        suffix = PurePosixPath(member.filename).suffix.lower()
        if unsafe:
            sources.append(Source(name, suffix, member.file_size, _nothing, error=unsafe))
        elif suffix == ".zip":
            sources.append(Source(name, suffix, member.file_size, _nothing,
                                  skipped="archives inside archives are not opened"))
        elif any(part.startswith(".") or part == "__MACOSX"
                 for part in PurePosixPath(member.filename).parts):
            continue  # hidden files and macOS resource forks, as in folders
        else:
            sources.append(Source(name, suffix, member.file_size,
                                  _member_reader(archive, member, limits),
                                  open=_member_opener(archive, member, limits)))
    return _paired(sorted(sources, key=lambda s: s.name), False, limits)


def _unsafe_name(name: str) -> str | None:
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "refused: the archive names an absolute path"
    if ".." in PurePosixPath(path).parts:
        return "refused: the archive names a path outside itself (“..”)"
    return None


def _bomb(member: zipfile.ZipInfo) -> str | None:
    """A member that unpacks to far more than it takes: the whole archive's ratio can be
    padded down with members that are never read (a large incompressible one skipped as an
    unknown type), so each member is held to the ratio by itself."""
    if member.file_size > MEMBER_RATIO_FROM and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)):
        return (f"refused as unsafe: it would unpack to {member.file_size / MB:,.1f} MB "
                f"from {member.compress_size / 1024:,.1f} KB")
    return None


_DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError)  # bad CRC, damaged stream, encryption...


def _member_opener(archive: zipfile.ZipFile, member: zipfile.ZipInfo,
                   limits: _Bounds) -> Callable[[], ByteStream]:
    def opened() -> ByteStream:
        try:
            f = archive.open(member)
        except _DAMAGED as e:
            raise ReadError(f"cannot be unpacked, the archive is damaged here: {e}"
                            ) from None
        return _Counted(f, f"{archive.filename}/{member.filename}", limits,
                        _DAMAGED, "cannot be unpacked, the archive is damaged here")
    return opened


def _member_reader(archive: zipfile.ZipFile, member: zipfile.ZipInfo,
                   limits: _Bounds) -> Callable[[], bytes]:
    limit = limits.max_bytes

    def read() -> bytes:
        if member.file_size > limit:
            raise ReadError(too_big(member.file_size, limit))
        try:
            with archive.open(member) as f:
                data = f.read(limit + 1)  # the header's size may lie
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, ValueError, EOFError,
                NotImplementedError, RuntimeError) as e:
            # bad CRC, a damaged compressed stream, unsupported compression, encryption
            raise ReadError(f"cannot be unpacked, the archive is damaged here: {e}"
                            ) from None
        if len(data) > limit:
            raise ReadError(too_big(len(data), limit))
        return limits.spend(f"{archive.filename}/{member.filename}", data)
    return read
