"""Files that ship inside the package (icon, default labels, sample reviews), found the same
way from a source checkout and from an installed wheel."""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(name: str) -> Traversable:
    return files("annotator.resources") / name


def default_labels() -> list[dict]:
    return json.loads(resource("labels.json").read_text(encoding="utf-8"))["labels"]


def icon_bytes() -> bytes:
    return resource("icon.svg").read_bytes()


def seed_files() -> list[Traversable]:
    """Sample reviews: the annotated JSONL first, so its document ids are the ones kept."""
    found = [f for f in files("annotator.seeds").iterdir() if f.name.endswith((".txt", ".jsonl"))]
    return sorted(found, key=lambda f: (not f.name.endswith(".jsonl"), f.name))
