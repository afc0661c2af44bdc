"""Who annotates which document: a plan made from the documents, the annotators and a seed.

Two ways to share the work so that agreement can be measured: a fraction of the documents
given to everyone (`overlap`) and the rest split between them, or every document given to
K annotators (`per_document`). Loads differ by at most one document. The same documents,
annotators and seed always give the same plan (random.Random(seed), the documents shuffled
from their sorted ids), whatever order they come in.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from .errors import AssignmentError


def plan(doc_ids: Iterable[int], annotator_uuids: Iterable[str], seed: int,
         overlap: float | None = None, per_document: int | None = None
         ) -> dict[int, list[str]]:
    """Document id -> the annotators (uuids, in the order given) who get it.

    overlap f: exactly shared_count(f, N) documents go to every annotator, each of the
    others to one annotator, in turns. per_document K: each document to K different
    annotators, in turns. AssignmentError for a plan that cannot be made."""
    docs = sorted(set(doc_ids))
    people = list(dict.fromkeys(annotator_uuids))  # named twice: once
    if (overlap is None) == (per_document is None):
        raise AssignmentError("give either an overlap (a fraction of the documents everyone "
                              "annotates) or a number of annotators per document")
    if not people:
        raise AssignmentError("an assignment needs at least one annotator")
    if not docs:
        raise AssignmentError("there are no documents to assign")
    rng = random.Random(seed)
    rng.shuffle(docs)
    order = people[:]
    rng.shuffle(order)  # who gets one more when the documents do not divide evenly
    rank = {uuid: i for i, uuid in enumerate(people)}
    result: dict[int, list[str]] = {}
    if overlap is not None:
        if not 0 <= overlap <= 1:
            raise AssignmentError(f"the overlap must be between 0 and 1 (a fraction of the "
                                  f"documents), not {overlap:g}")
        shared = shared_count(overlap, len(docs))
        for doc_id in docs[:shared]:
            result[doc_id] = people[:]
        for i, doc_id in enumerate(docs[shared:]):
            result[doc_id] = [order[i % len(order)]]
    else:
        assert per_document is not None
        if per_document < 1:
            raise AssignmentError("each document needs at least one annotator")
        if per_document > len(people):
            raise AssignmentError(
                f"each document cannot go to {per_document} annotators: there are only "
                f"{len(people)}")
        for i, doc_id in enumerate(docs):
            chosen = [order[(i * per_document + j) % len(order)] for j in range(per_document)]
            result[doc_id] = sorted(chosen, key=rank.__getitem__)
    return dict(sorted(result.items()))


def shared_count(overlap: float, documents: int) -> int:
    """How many of `documents` everyone gets for an overlap: overlap x documents, rounded
    (halves up, not to even: 0.5 of 5 documents is 3)."""
    return min(documents, math.floor(overlap * documents + 0.5))
