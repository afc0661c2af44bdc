"""An annotator's package ("bundle"): one annotator's assigned documents, the label set and
the guidelines, in a database file of its own, made by the project lead and merged back.

What makes a database a bundle is its `bundle` setting (BundleInfo as JSON); opened, the
workspace works as that annotator and refuses what only the lead may do."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

BUNDLE_KEY = "bundle"  # the settings row a bundle holds
BUNDLE_FORMAT = 1
BUNDLE_SUFFIX = ".annot"


@dataclass(frozen=True, slots=True)
class BundleInfo:
    """The `bundle` setting: {"format": 1, "annotator_uuid", "annotator_name", "made_at"
    (ISO UTC), "source_database_uuid", "guidelines_version" (None: no guidelines yet),
    "documents"}."""

    annotator_uuid: str
    annotator_name: str
    made_at: str
    source_database_uuid: str
    guidelines_version: int | None
    documents: int
    format: int = BUNDLE_FORMAT

    def as_json(self) -> dict:
        return {"format": self.format, "annotator_uuid": self.annotator_uuid,
                "annotator_name": self.annotator_name, "made_at": self.made_at,
                "source_database_uuid": self.source_database_uuid,
                "guidelines_version": self.guidelines_version, "documents": self.documents}

    @classmethod
    def from_json(cls, text: str) -> BundleInfo:
        """ValueError (KeyError, TypeError) for a setting that is not one."""
        data = json.loads(text)
        return cls(str(data["annotator_uuid"]), str(data["annotator_name"]),
                   str(data["made_at"]), str(data["source_database_uuid"]),
                   None if data.get("guidelines_version") is None
                   else int(data["guidelines_version"]),
                   int(data["documents"]), int(data.get("format", BUNDLE_FORMAT)))

    @property
    def refusal(self) -> str:
        """Why an edit only the lead may make is refused here, in plain words."""
        return (f"This is {self.annotator_name}'s annotation package: its documents and "
                "labels come from the project lead.")


@dataclass(frozen=True, slots=True)
class BundleReport:
    """What `create_bundle` wrote."""

    path: Path
    info: BundleInfo
    spans: int  # the annotator's spans already made on those documents, carried along
    statuses: int
    labels: int
    seconds: float

    def as_json(self) -> dict:
        return {"path": str(self.path), **self.info.as_json(), "spans": self.spans,
                "statuses": self.statuses, "labels": self.labels,
                "seconds": round(self.seconds, 3)}
