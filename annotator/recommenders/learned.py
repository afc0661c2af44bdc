"""The "learned model" recommender: a logistic regression per label over the sentences of
the annotated documents, proposing the sentences it gives a probability of 0.5 or more.

Sentences come from sentences.py (pysbd), proposed without their final full stop, as our
annotators mark spans. Features: TF-IDF (sublinear) of word 1-2-grams and char_wb
3-5-grams (2-5 gave the same figures on the planted corpus and took 30% longer to
propose on a large text: 3.1 s against 2.1 s for 2 MB). The n-grams are hashed rather
than counted into a vocabulary, so a document's vectors are made once per training and
shared by every fold (a vocabulary fitted on all documents would leak the held-out ones
into the folds; hashing needs no fitting); only the IDF weights and the classifiers are
fitted per fold.

A sentence is a positive for label L when a span of L covers at least half of it, or it
holds at least half of the span (a clause-sized praise inside a long sentence still
teaches the model); every other sentence of the examples is a negative. Labels are
independent (one-vs-rest), so a sentence may carry two. A label needs MIN_EXAMPLES spans
in MIN_DOCUMENTS documents before it is learned.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import SGDClassifier

from annotator.domain.suggestions import Proposal

from .reading import Reading, proposal_bounds

MIN_EXAMPLES = 4
MIN_DOCUMENTS = 2
MIN_WORDS = 3
# Logistic regression fitted by SGD: 0.035 s a label on 10,000 sentences where liblinear
# took 0.35 s (24 fits per training: 4 labels, 5 folds and the final fit), with the same
# precision and recall on the planted corpus. Fixed epochs and seed: same data, same model.
# The hash spaces are small (2**16 word, 2**18 char n-grams) because SGD's cost grows with
# the width of its weight vector: 2.6 s instead of 3.9 s for a whole training, same figures.
ALPHA = 1e-5
EPOCHS = 5
_BATCH = 4000  # sentences vectorised at a time when proposing, to bound memory on huge texts

_WORDS = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=2**16,
                           alternate_sign=False, norm=None, token_pattern=r"(?u)\b\w+\b")
_CHARS = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**18,
                           alternate_sign=False, norm=None)


def _vectors(texts: list[str]) -> sparse.csr_matrix:
    if not texts:
        return sparse.csr_matrix((0, _WORDS.n_features + _CHARS.n_features))
    return sparse.hstack([_WORDS.transform(texts), _CHARS.transform(texts)], format="csr")


def units(reading: Reading) -> list[tuple[int, int]]:
    """What the model judges and proposes: the sentences, without final full stops, of
    MIN_WORDS words or more (a "Fine." shares too little with anything to be judged: its
    few character n-grams made it a spoiler because "fin" starts "final")."""
    out = []
    for s, e in reading.sentences:
        s, e = proposal_bounds(reading.text, s, e)
        i, j = reading.words_within(s, e)
        if j - i >= MIN_WORDS:
            out.append((s, e))
    return out


def prepare(readings: Sequence[Reading]) -> None:
    """Vectors for the sentences of every reading not yet prepared, made in one batch
    (the vectorisers' cost per call is worth saving on hundreds of short documents)."""
    todo = [r for r in readings if r.features is None]
    if not todo:
        return
    places = [units(r) for r in todo]
    x = _vectors([r.text[s:e] for r, p in zip(todo, places, strict=True) for s, e in p])
    row = 0
    for r, p in zip(todo, places, strict=True):
        r.features = (p, x[row:row + len(p)])
        row += len(p)


def positive(unit: tuple[int, int], span: tuple[int, int]) -> bool:
    shared = min(unit[1], span[1]) - max(unit[0], span[0])
    return shared > 0 and (2 * shared >= unit[1] - unit[0] or 2 * shared >= span[1] - span[0])


class LearnedModel:
    name = "learned"

    def __init__(self, labels: Sequence[str], seed: int = 0) -> None:
        self.labels = list(labels)
        self.seed = seed
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
        prepare(readings)
        for r in readings:
            places, x = r.features
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
            model = SGDClassifier(loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None,
                                  random_state=self.seed)
            with warnings.catch_warnings():  # fixed epochs on purpose: no convergence noise
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(xt, y)
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
