"""The "learned model" recommender: a linear classifier per label over the sentences of
the annotated documents, proposing the sentences it gives a probability of 0.5 or more.

Sentences come from sentences.py (pysbd), proposed without their final full stop, as our
annotators mark spans. Features: TF-IDF (sublinear) of word 1-2-grams and char_wb
2-5-grams. The n-grams are hashed rather than counted into a vocabulary, so a document's
vectors are made once per training and shared by every fold (a vocabulary fitted on all
documents would leak the held-out ones into the folds; hashing needs no fitting); only
the IDF weights and the classifiers are fitted per fold.

A sentence is a positive for label L when a span of L covers at least half of it, or it
holds at least half of the span (a clause-sized praise inside a long sentence still
teaches the model); every other sentence of the examples is a negative. Labels are
independent (one-vs-rest), so a sentence may carry two. A label needs MIN_EXAMPLES spans
in MIN_DOCUMENTS documents before it is learned.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression

from annotator.domain.suggestions import Proposal

from .reading import Reading, proposal_bounds

MIN_EXAMPLES = 4
MIN_DOCUMENTS = 2
C = 4.0  # less regularisation than sklearn's default 1.0: better F1 on the planted corpus
_BATCH = 4000  # sentences vectorised at a time when proposing, to bound memory on huge texts

_WORDS = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=2**17,
                           alternate_sign=False, norm=None, token_pattern=r"(?u)\b\w+\b")
_CHARS = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**19,
                           alternate_sign=False, norm=None)


def _vectors(texts: list[str]) -> sparse.csr_matrix:
    return sparse.hstack([_WORDS.transform(texts), _CHARS.transform(texts)], format="csr")


def units(reading: Reading) -> list[tuple[int, int]]:
    """What the model judges and proposes: the sentences, without final full stops."""
    return [proposal_bounds(reading.text, s, e) for s, e in reading.sentences]


def _prepared(reading: Reading) -> tuple[list[tuple[int, int]], sparse.csr_matrix]:
    if reading.features is None:
        places = units(reading)
        reading.features = (places, _vectors([reading.text[s:e] for s, e in places]))
    return reading.features


def positive(unit: tuple[int, int], span: tuple[int, int]) -> bool:
    shared = min(unit[1], span[1]) - max(unit[0], span[0])
    return shared > 0 and (2 * shared >= unit[1] - unit[0] or 2 * shared >= span[1] - span[0])


class LearnedModel:
    name = "learned"

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.counts: dict[str, tuple[int, int]] = {}  # label -> (spans, documents)
        self._idf: TfidfTransformer | None = None
        self._learned: list[str] = []
        self._weights: sparse.csr_matrix | None = None
        self._bias: np.ndarray | None = None

    def silence(self, label: str) -> str:
        spans, documents = self.counts.get(label, (0, 0))
        if spans < MIN_EXAMPLES or documents < MIN_DOCUMENTS:
            have = f"{spans} in {documents} document{'s' if documents != 1 else ''}"
            return (f"needs at least {MIN_EXAMPLES} examples of this label in "
                    f"{MIN_DOCUMENTS} documents (has {have})")
        return ""

    def fit(self, readings: Sequence[Reading]) -> None:
        spans = dict.fromkeys(self.labels, 0)
        documents = {label: set() for label in self.labels}  # type: dict[str, set[int]]
        for r in readings:
            for label, _, _ in r.spans:
                if label in spans:
                    spans[label] += 1
                    documents[label].add(r.document_id)
        self.counts = {lab: (spans[lab], len(documents[lab])) for lab in self.labels}
        wanted = [lab for lab in self.labels if not self.silence(lab)]
        self._learned, self._weights, self._bias, self._idf = [], None, None, None
        if not wanted or not readings:
            return
        blocks, targets = [], {lab: [] for lab in wanted}  # type: ignore[var-annotated]
        for r in readings:
            places, x = _prepared(r)
            blocks.append(x)
            for lab in wanted:
                refs = r.references(lab)
                targets[lab].extend(any(positive(u, ref) for ref in refs) for u in places)
        x = sparse.vstack(blocks, format="csr")
        self._idf = TfidfTransformer(sublinear_tf=True).fit(x)
        xt = self._idf.transform(x)
        coefs, bias = [], []
        for lab in wanted:
            y = np.asarray(targets[lab], dtype=bool)
            if y.all() or not y.any():
                continue
            model = LogisticRegression(C=C, solver="liblinear").fit(xt, y)
            self._learned.append(lab)
            coefs.append(sparse.csr_matrix(model.coef_))
            bias.append(float(model.intercept_[0]))
        if coefs:
            self._weights = sparse.vstack(coefs, format="csr").T.tocsr()
            self._bias = np.asarray(bias)

    def propose(self, reading: Reading) -> list[Proposal]:
        if self._weights is None or self._idf is None or self._bias is None:
            return []
        out = []
        if reading.features is not None:
            places_all, x_all = reading.features
            batches = [(places_all, x_all)]
        else:
            places_all = units(reading)
            batches = ((places_all[i:i + _BATCH], None)
                       for i in range(0, len(places_all), _BATCH))  # type: ignore[assignment]
        for places, x in batches:
            if not places:
                continue
            if x is None:
                x = _vectors([reading.text[s:e] for s, e in places])
            logits = (self._idf.transform(x) @ self._weights).toarray() + self._bias
            chance = 1.0 / (1.0 + np.exp(-logits))
            for row, col in zip(*np.nonzero(chance >= 0.5), strict=True):
                s, e = places[row]
                out.append(Proposal(reading.document_id, self._learned[col], s, e,
                                    round(float(chance[row, col]), 4), self.name,
                                    "learned from similar sentences"))
        return out
