"""What an import did, file by file: documents, spans, duplicates, notes, errors, and the
unit each file's offsets were read in."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.domain.offsets import UNIT_NAMES
from annotator.io.records import ReadError
from annotator.io.registry import READER_BY_KEY


@dataclass
class FileResult:
    path: str
    format: str = ""
    documents: int = 0
    spans: int = 0
    duplicates: list[str] = field(default_factory=list)  # titles of documents already present
    merged_spans: int = 0  # spans added to documents that were already present
    skipped_reason: str | None = None  # not an error: e.g. an unsupported file in a folder
    notes: list[str] = field(default_factory=list)  # imported, but worth knowing
    errors: list[ReadError] = field(default_factory=list)
    cancelled: bool = False
    offsets: dict[str, str] = field(default_factory=dict)  # format -> the unit its spans'
    #                                                        offsets were read in
    chosen_offsets: str | None = None  # --offsets, when it was given
    not_held: int = 0  # records skipped by a package: their texts are not in it

    @property
    def offsets_line(self) -> str | None:
        """The unit the file's offsets were read in, in words; None when no span of it was
        placed by offsets."""
        return offsets_line(self.offsets, self.chosen_offsets)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    @property
    def status(self) -> str:
        if self.cancelled:
            return "cancelled"
        if self.errors:
            return "failed"
        if self.skipped_reason or (self.not_held and not self.documents
                                   and not self.duplicates):
            return "skipped"
        if not self.documents and self.duplicates:
            return "already there"
        return "imported"


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)
    new_annotators: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    cancelled: bool = False

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.failed]

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    def as_json(self) -> dict:
        return {
            "documents": self.total("documents"),
            "spans": self.total("spans"),
            "merged_spans": self.total("merged_spans"),
            "duplicates": sum(len(f.duplicates) for f in self.files),
            "failed_files": len(self.failed),
            "cancelled": self.cancelled,
            "new_labels": self.new_labels,
            "new_annotators": self.new_annotators,
            "not_held": self.total("not_held"),
            "files": [
                {"path": f.path, "status": f.status, "format": f.format,
                 "documents": f.documents, "spans": f.spans,
                 "duplicates": f.duplicates, "merged_spans": f.merged_spans,
                 "not_held": f.not_held,
                 "skipped": f.skipped_reason, "notes": f.notes, "offsets": f.offsets,
                 "errors": [{"message": e.message, "line": e.line, "field": e.field}
                            for e in f.errors]}
                for f in self.files
            ],
        }


def offsets_line(offsets: dict[str, str], chosen: str | None) -> str | None:
    """"offsets read as UTF-16 code units, as doccano counts them (--offsets changes it)"."""
    if not offsets:
        return None
    if chosen:
        return f"offsets read as {UNIT_NAMES[chosen]} (--offsets {chosen})"
    by_unit: dict[str, list[str]] = {}
    for fmt, unit in offsets.items():
        by_unit.setdefault(unit, []).append(READER_BY_KEY[fmt].name.split(" (")[0])
    told = "; ".join(f"{UNIT_NAMES[unit]}, as {' and '.join(names)} count"
                     + ("s" if len(names) == 1 else "")
                     for unit, names in by_unit.items())
    return f"offsets read as {told} them (another unit: --offsets)"
