"""Suggestions in the workspace: training the recommenders for whoever is working, the
open suggestions of a document, and accepting or rejecting them as undoable edits.

Reached as `workspace.suggestions`. The training itself can run in another thread (the
window's runner) on a workspace of its own; `use` hands its result to this one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from annotator.domain.changes import Change
from annotator.domain.errors import EditRefused
from annotator.domain.model import Annotator, Span, new_uuid, now_iso
from annotator.domain.suggestions import RECOMMENDERS, SpanSuggestion, SuggestionStatus
from annotator.services import suggesting
from annotator.services.suggesting import DEFAULT_MIN_PRECISION, Training

from .edits import AcceptSuggestions, RejectSuggestions
from .jobs import Job

if TYPE_CHECKING:
    from .workspace import Workspace


class Suggestions:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self.training: Training | None = None  # the recommenders as last trained

    # --- preferences (this person's, per database) -------------------------------------
    def _state(self) -> dict:
        return self.ws.user_state.of(self.ws.database_uuid)

    @property
    def min_precision(self) -> float:
        """The cross-validated precision a recommender needs on a label to suggest it."""
        value = self._state().get("suggest_min_precision", DEFAULT_MIN_PRECISION)
        return float(value) if isinstance(value, int | float) else DEFAULT_MIN_PRECISION

    def set_min_precision(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise EditRefused("the precision threshold is between 0 and 1")
        self.ws.user_state.update(self.ws.database_uuid, suggest_min_precision=value)
        if self.training is not None:
            self.training.suggester.min_precision = value

    @property
    def recommenders(self) -> tuple[str, ...]:
        """The recommenders this person has switched on (all of them at first)."""
        chosen = self._state().get("suggest_recommenders")
        if not isinstance(chosen, list):
            return tuple(RECOMMENDERS)
        return tuple(r for r in RECOMMENDERS if r in chosen)

    def set_recommenders(self, names: Iterable[str]) -> None:
        unknown = set(names) - set(RECOMMENDERS)
        if unknown:
            raise EditRefused(f"no recommender called {', '.join(sorted(unknown))}: choose "
                              f"from {', '.join(RECOMMENDERS)}")
        self.ws.user_state.update(self.ws.database_uuid,
                                  suggest_recommenders=[r for r in RECOMMENDERS if r in names])

    # --- training ----------------------------------------------------------------------
    def train(self, job: Job | None = None,
              recommenders: Sequence[str] | None = None,
              min_precision: float | None = None, for_whom: Annotator | None = None,
              elsewhere: bool = False) -> Training:
        """Train and cross-validate the recommenders for whoever is working (or `for_whom`),
        from what the team's blind policy lets them see; kept for `refresh` and returned.
        `elsewhere`: in a worker process (for the window: see recommenders.elsewhere)."""
        whom = for_whom or self.ws.me
        training = suggesting.train(
            self.ws.store, whom.uuid, self.ws.blind_policy,
            recommenders if recommenders is not None else self.recommenders,
            self.min_precision if min_precision is None else min_precision, job, elsewhere)
        self.training = training
        return training

    def use(self, training: Training) -> None:
        """A training done elsewhere (another thread's workspace) becomes this one's, if it
        was for whoever is working here now."""
        if training.annotator_uuid == self.ws.me.uuid:
            training.suggester.min_precision = self.min_precision
            self.training = training

    @property
    def trained_for_me(self) -> bool:
        """A training for whoever is working, under the team's blind policy as it is now:
        one learned from everyone's spans says nothing once blind annotation is on."""
        return (self.training is not None and self.training.annotator_uuid == self.ws.me.uuid
                and self.training.blind == self.ws.blind_policy)

    # --- suggestions in documents --------------------------------------------------------
    def refresh(self, doc_ids: Iterable[int], job: Job | None = None) -> int:
        """Propose afresh in these documents with the last training (none: nothing to
        propose), to whom it was trained for, and keep the open ones; returns how many are
        open."""
        if self.training is None:
            return 0
        ids = list(doc_ids)
        count = suggesting.suggest(self.ws.store, self.training, ids, job)
        if len(ids) == 1:
            self.ws.announce(Change(ids[0], suggestions_changed=True,
                                    annotator_uuid=self.training.annotator_uuid))
        return count

    def of_document(self, doc_id: int) -> list[SpanSuggestion]:
        """My open suggestions in a document, in the order of the text, less those at a
        place where I have since made a span of that label myself."""
        return suggesting.not_marked(
            self.ws.store, doc_id, self.ws.me.uuid,
            self.ws.store.suggestions.of_document(doc_id, self.ws.me.uuid))

    def accept(self, ids: Sequence[int]) -> Change:
        """These open suggestions (one document) become my spans, as one undoable step;
        any at a place where I have since made a span of that label are left (refused if
        that is all of them)."""
        found = self._mine(ids)
        found = suggesting.not_marked(self.ws.store, found[0].document_id, self.ws.me.uuid,
                                      found)
        if not found:
            raise EditRefused("you have marked that place with that label already")
        text = self.ws._text(found[0].document_id)
        stamp = now_iso()
        spans = tuple(Span(new_uuid(), s.document_id, self.ws.me.uuid, s.label_uuid, s.start,
                           s.end, text[s.start:s.end], None, stamp, stamp) for s in found)
        names = {lb.uuid: lb.name for lb in self.ws.labels()}
        if len(found) == 1:
            what = (f"accepted suggestion from {RECOMMENDERS.get(found[0].recommender)}: "
                    f"{names.get(found[0].label_uuid, '?')} span")
        else:
            what = f"accepted {len(found)} suggestions"
        return self.ws.perform(AcceptSuggestions(tuple(found), spans, what))

    def accept_all(self, doc_id: int) -> Change:
        """Every open suggestion of mine in a document, as one step; of overlapping ones
        with the same label, the surest only."""
        chosen = suggesting.surest_apart(self.of_document(doc_id))
        if not chosen:
            raise EditRefused("no suggestions to accept in this document")
        return self.accept([s.id for s in sorted(chosen, key=lambda s: (s.start, s.end))])

    def reject(self, ids: Sequence[int]) -> Change:
        """Turn these open suggestions down: not proposed again at those places."""
        found = self._mine(ids)
        what = "reject suggestion" if len(found) == 1 else f"reject {len(found)} suggestions"
        return self.ws.perform(RejectSuggestions(tuple(found), what))

    def _mine(self, ids: Sequence[int]) -> list[SpanSuggestion]:
        found = self.ws.store.suggestions.get(list(dict.fromkeys(ids)))
        found = [s for s in found if s.status is SuggestionStatus.OPEN]
        if not found:
            raise EditRefused("that suggestion is no longer open (decided elsewhere?)")
        if any(s.annotator_uuid != self.ws.me.uuid for s in found):
            raise EditRefused("those suggestions were made to another annotator")
        if len({s.document_id for s in found}) > 1:
            raise EditRefused("suggestions are decided one document at a time")
        return found

    def outcomes(self) -> dict[tuple[str, str], dict[str, int]]:
        """(recommender, label uuid) -> {"accepted": n, "rejected": n, "open": n}: how
        suggestions fared on real decisions, everyone's."""
        return self.ws.store.suggestions.outcomes()
