"""The benchmarks' data: generated reviews, libraries and databases (never timed)."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

from annotator.domain.model import Annotator, Document, new_uuid
from annotator.domain.text import content_hash
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState

WORDS = ("the film keeper ending superb dull score cast plot twist quiet harbour glass orchard "
         "😂 映画 Sigríður").split()


def review(i: int, words: int = 400) -> str:
    return " ".join(WORDS[(i * 7 + k * 13) % len(WORDS)] for k in range(words)) + f" #{i}"


def long_review(size: int = 1_000_000) -> str:
    """About `size` characters of review-like paragraphs, emoji and accents included."""
    paragraphs, total, i = [], 0, 0
    while total < size:
        paragraph = review(i, 80)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
        i += 1
    return "\n\n".join(paragraphs)[:size]


def library(n: int, seed: int = 15) -> list[str]:
    """n short reviews (30 to 150 words) over a 5,000-word vocabulary drawn with Zipf's law,
    so that words are as common as in real text: "the" in nearly every review, "harbour" in
    about one in twenty, "devastating" in one in 150; every 50th review says "quiet harbour"."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(5000)]
    vocab[:6] = ["the", "film", "and", "a", "of", "is"]
    for rank, word in ((120, "ending"), (300, "harbour"), (400, "café"), (900, "quiet"),
                       (1500, "devastating")):
        vocab[rank] = word
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    texts = []
    for i in range(n):
        words = rng.choices(vocab, cum_weights=cumulative, k=rng.randint(30, 150))
        if i % 50 == 0:
            words[5:7] = ["quiet", "harbour"]
        texts.append(" ".join(words) + ".")
    return texts


def open_workspace(path: Path) -> Workspace:
    """A workspace as the app opens one, with a settings file of its own (not the user's)."""
    return Workspace.open(path, UserState(path.with_name(path.name + ".user.json")))


def annotator(workspace: Workspace, name: str) -> Annotator:
    """An annotator written straight into the store: the benchmark's data, not the timed work."""
    found = workspace.annotator_by_name(name)
    if found is None:
        found = Annotator(new_uuid(), name)
        workspace.store.annotators.add(found, None)
    return found


def library_db(tmp: Path, n: int) -> Path:
    """A database of n short reviews (made once per run and size), written with the store's
    bulk insert; the samples are marked as seeded so the window adds none."""
    path = tmp / f"library-{n}.db"
    if path.exists():
        return path
    workspace = open_workspace(path)
    docs = [Document(None, new_uuid(), f"Review {i}", text, content_hash(text), "generated")
            for i, text in enumerate(library(n))]
    with workspace.store.transaction():
        workspace.store.documents.add(docs, None)
    workspace.seed_samples()  # a no-op on a library that has documents; recorded as done
    workspace.close()
    return path


def library_jsonl(tmp: Path, n: int) -> Path:
    """n short reviews as a JSONL export from another tool (title, text, a meta field)."""
    path = tmp / f"library-{n}.jsonl"
    if not path.exists():
        with open(path, "w", encoding="utf-8") as f:
            for i, text in enumerate(library(n, seed=16)):
                f.write(json.dumps({"title": f"Review {i}", "text": text,
                                    "meta": {"source": "bench", "n": i}},
                                   ensure_ascii=False) + "\n")
    return path
