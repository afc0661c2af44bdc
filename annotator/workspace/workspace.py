"""The workspace: one open database, who is working in it, every edit and its undo.

The window, the CLI and the tests talk to the workspace only, never to the store: it
answers the queries views need, and runs every edit as an operation that checks the rules
(whose spans you may change; gold's rules), writes in one transaction it opens itself, keeps
the edit in the undo history and announces a `Change` on `changed` (Anki's Collection and
its operations, orange-canvas-core's commands).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.domain.bundle import BUNDLE_KEY, BundleInfo
from annotator.domain.changes import Change
from annotator.domain.disagreement import disagreements
from annotator.domain.errors import EditRefused, NothingToUndo
from annotator.domain.model import (
    GOLD,
    Annotator,
    Document,
    DocumentFilter,
    DocumentSummary,
    Label,
    SearchHit,
    Span,
    Status,
    new_uuid,
    now_iso,
)
from annotator.domain.spans import SpanError, check_span, edited
from annotator.domain.text import content_hash
from annotator.domain.words import move_edge, snap_to_words, trim_range
from annotator.paths import default_db_path
from annotator.services import samples
from annotator.services.stats import stats
from annotator.store.backup import (
    Backup,
    backups_of_path,
    check_backup,
    identity_of,
    what_it_holds,
)
from annotator.store.database import Store
from annotator.store.db import Integrity
from annotator.store.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    StoreConflict,
    StoreError,
)
from annotator.store.migrations import SCHEMA_VERSION
from annotator.store.settings import BLIND_POLICY, LEGACY_USER_KEYS
from annotator.store.watch import Watcher

from .about import DatabaseFacts
from .edits import (
    AddSpans,
    DeleteSpans,
    Edit,
    EditLabelSet,
    RenameDocument,
    ReplaceSpan,
    SetStatus,
)
from .history import History
from .jobs import Job
from .signals import Signal
from .suggestions import Suggestions
from .user_state import UserState

if TYPE_CHECKING:
    from annotator.domain.bundle import BundleReport
    from annotator.services.agreement import AgreementReport, Scope, Suggestion
    from annotator.services.exporting import ExportOptions, ExportReport
    from annotator.services.importing import ImportOptions, ImportReport
    from annotator.services.merge import MergeReport
    from annotator.services.team import AnnotatorProgress, AssignmentResult


MAX_TITLE = 500  # characters in a document's title


def os_user_name() -> str:
    try:
        return getpass.getuser() or "annotator"
    except Exception:  # no user name in the environment (some containers, Windows services)
        return "annotator"


def tidy_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise EditRefused("an annotator needs a name")
    return name


def _bundle_of(store: Store) -> BundleInfo | None:
    """The package this database is, from its `bundle` setting; None for any other."""
    text = store.settings.get(BUNDLE_KEY)
    if text is None:
        return None
    try:
        return BundleInfo.from_json(text)
    except (ValueError, KeyError, TypeError) as e:
        raise StoreError(f"{store.path} says it is an annotator's package, but what it says "
                         f"about it cannot be read ({e}); ask the project lead for a new "
                         "one") from None


@dataclass(frozen=True)
class Session:
    """Who is working: `annotator` owns the spans and statuses edits touch (gold while
    adjudicating); `person` is at the keyboard and is named in the change log."""

    annotator: Annotator
    person: Annotator

    @property
    def adjudicating(self) -> bool:
        return self.annotator.is_gold


class Workspace:
    def __init__(self, store: Store, user_state: UserState | None = None,
                 session: Session | None = None) -> None:
        self.store = store
        self.user_state = user_state or UserState()
        self.database_uuid = store.settings.database_uuid
        self.history = History()
        self.changed: Signal[Change] = Signal()
        self._watcher = Watcher(store.conn)  # what other programs commit meanwhile
        self.bundle: BundleInfo | None = _bundle_of(store)  # an annotator's package
        self._session = session
        self.suggestions = Suggestions(self)  # what the recommenders propose to me

    @classmethod
    def open(cls, path: Path | str, user_state: UserState | None = None) -> Workspace:
        """Open (or create) a database; StoreError for a file that is not ours to touch."""
        return cls(Store.open(path), user_state)

    def close(self) -> None:
        """Checkpointed and closed: the .db file alone then holds every edit."""
        self.store.close()

    @property
    def path(self) -> str:
        return self.store.path

    @property
    def closed(self) -> bool:
        return self.store.closed

    def about(self) -> DatabaseFacts:
        return DatabaseFacts(Path(self.path), SCHEMA_VERSION, self.store.backups.folder,
                             self.user_state.path, default_db_path().parent)

    @contextmanager
    def for_thread(self, session: Session) -> Iterator[Workspace]:
        """A workspace of its own (a connection of its own) for work in another thread, as
        `session` (this one's, settled in its own thread: ask for `.session` there first).
        What it changes is announced on ITS `changed`, for the runner to pass on to this
        one in the GUI thread."""
        if self.path == ":memory:":
            raise StoreError("an in-memory database cannot be shared with another thread")
        other = Workspace(Store.open(self.path, self.store.backups_root), self.user_state,
                          session)
        try:
            yield other
        finally:
            other.store.close()

    # --- who is working ----------------------------------------------------------------
    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = self._resume()
        return self._session

    @property
    def me(self) -> Annotator:
        """The annotator whose spans edits touch: gold while adjudicating."""
        return self.session.annotator

    @property
    def person(self) -> Annotator:
        """The person at the keyboard (the adjudicator while working as gold)."""
        return self.session.person

    @property
    def adjudicating(self) -> bool:
        return self.session.adjudicating

    def _resume(self) -> Session:
        """Who this person was in this database last time (their own settings file), else
        their login name. State older versions kept in the database moves to the file,
        and leaves the database only once the file has it."""
        if self.bundle is not None:  # a package is its annotator's, whoever opens it
            me = (self.store.annotators.get(self.bundle.annotator_uuid)
                  or Annotator(self.bundle.annotator_uuid, self.bundle.annotator_name))
            self._remember_session(Session(me, me))
            return Session(me, me)
        state = self.user_state.of(self.database_uuid)
        settings = self.store.settings
        legacy = {k: v for k in LEGACY_USER_KEYS if (v := settings.get(k)) is not None}
        if legacy:
            if not state:
                last = legacy.get("last_document", "")
                state = {"annotator": legacy.get("current_annotator"),
                         "adjudicator": legacy.get("adjudicator"),
                         "last_document": (self.store.documents.uuid_of(int(last))
                                           if last.isdigit() else None)}
                saved = self.user_state.update(self.database_uuid, **state)
            else:
                saved = True
            if saved:
                try:  # a database handed on no longer says who its user was
                    settings.take(LEGACY_USER_KEYS)
                except (DatabaseReadOnly, DatabaseLocked):
                    pass  # another day, when the database can be written
        annotators = self.store.annotators
        me = annotators.get(state.get("annotator") or "") or self._find_or_create(
            os_user_name())
        person = me
        if me.is_gold:
            person = (annotators.get(state.get("adjudicator") or "")
                      or self._find_or_create(os_user_name()))
        self._remember_session(Session(me, person))
        return Session(me, person)

    def _remember_session(self, session: Session) -> None:
        self.user_state.update(self.database_uuid, annotator=session.annotator.uuid,
                               adjudicator=session.person.uuid if session.adjudicating
                               else None)

    def _find_or_create(self, name: str) -> Annotator:
        name = tidy_name(name)
        found = self.store.annotators.by_name(name)
        if found is not None:
            return found
        annotator = Annotator(new_uuid(), name)
        if self.store.read_only:  # not saved: nothing can be, and the window must still open
            return annotator
        self.store.annotators.add(annotator, self._session.person.uuid
                                  if self._session else None)
        return annotator

    def switch_to(self, name: str) -> Annotator:
        """Work as `name` (created if new); their earlier spans stay theirs. The undo
        history belongs to who made it: it starts afresh. "gold" means adjudicating.
        Refused in an annotator's package: it is theirs."""
        self._refuse_in_bundle(f"you work in it as {self.bundle.annotator_name}"
                               if self.bundle else "")
        annotator = self._find_or_create(name)
        if annotator.is_gold:
            self.adjudicate()
            return annotator
        self._start(Session(annotator, annotator))
        return annotator

    def adjudicate(self) -> None:
        """Work as gold, the adjudicated set; the change log names the person doing it."""
        self._refuse_in_bundle("adjudication is the project lead's, on the merged database")
        if not self.adjudicating:
            self._start(Session(GOLD, self.person))

    def _start(self, session: Session) -> None:
        changed = session != self._session
        self._session = session
        self._remember_session(session)
        if changed:
            self.history.clear()

    # --- per-user state ----------------------------------------------------------------
    def last_document(self) -> int | None:
        uuid = self.user_state.of(self.database_uuid).get("last_document")
        return self.store.documents.id_of(uuid) if uuid else None

    def remember_document(self, doc_id: int | None) -> None:
        """Where this person was: in their own settings, no write to the database."""
        uuid = self.store.documents.uuid_of(doc_id) if doc_id is not None else None
        self.user_state.update(self.database_uuid, last_document=uuid)

    # --- team policy --------------------------------------------------------------------
    @property
    def blind_policy(self) -> bool:
        """The team's rule: annotators see only their own spans (on unless turned off)."""
        return self.store.settings.get(BLIND_POLICY, "1") == "1"

    def set_blind_policy(self, blind: bool) -> None:
        self.store.settings.set(BLIND_POLICY, "1" if blind else "0")

    # --- queries ------------------------------------------------------------------------
    def labels(self) -> list[Label]:
        return self.store.labels.all()

    def annotators(self) -> list[Annotator]:
        return self.store.annotators.all()

    def annotator(self, uuid: str) -> Annotator | None:
        return self.store.annotators.get(uuid)

    def annotator_by_name(self, name: str) -> Annotator | None:
        return self.store.annotators.by_name(name)

    def names(self) -> dict[str, str]:
        """Annotator uuid -> name, everyone."""
        return {a.uuid: a.name for a in self.annotators()}

    def annotators_at_work(self) -> set[str]:
        return self.store.annotators.at_work()

    def document(self, doc_id: int) -> Document | None:
        return self.store.documents.get(doc_id)

    def document_ids(self, search: str = "", order: str = "id", descending: bool = False,
                     annotator_uuid: str | None = None, label_uuid: str | None = None,
                     narrow: DocumentFilter | None = None) -> list[int]:
        """The list's documents: matching `search` (titles, texts and span notes) and
        passing `narrow`, in `order` (see Store.documents.ids)."""
        return self.store.documents.ids(search, order, descending, annotator_uuid, label_uuid,
                                        narrow)

    def search(self, query: str, limit: int | None = None) -> list[int]:
        """Documents matching `query` (words, "a phrase", harb*, OR, NOT) in their title
        and text, or in their span notes; best first. SearchError for a query with no word
        in it. See Store.documents.search."""
        return self.store.documents.search(query, limit)

    def search_hits(self, query: str, limit: int | None = None, label_uuid: str | None = None,
                    annotator_uuid: str | None = None, status: Status | None = None,
                    narrow: DocumentFilter | None = None) -> list[SearchHit]:
        """search(), with each document's title and a snippet around the match (from its
        notes when that is where the match is); narrowed to documents with spans of a
        label, by an annotator, or with a status, or by `narrow` (see
        Store.documents.hits). An empty query with a filter lists what the filter leaves."""
        return self.store.documents.hits(query, limit, label_uuid=label_uuid,
                                         annotator_uuid=annotator_uuid, status=status,
                                         narrow=narrow)

    def document_summaries(self, annotator_uuid: str, ids: Iterable[int] | None = None
                           ) -> list[DocumentSummary]:
        return self.store.documents.summaries(annotator_uuid, ids)

    def count_documents(self) -> int:
        return self.store.documents.count()

    def document_ids_page(self, offset: int, limit: int) -> list[int]:
        """A page of the documents in the order of import (see Documents.ids_page)."""
        return self.store.documents.ids_page(offset, limit)

    def document_rank(self, doc_id: int) -> int | None:
        """Where a document is in the order of import; None if it is not there."""
        return self.store.documents.rank(doc_id)

    def count_spans(self) -> int:
        return self.store.spans.count()

    def done_ids(self, annotator_uuid: str) -> set[int]:
        """The documents this annotator has marked done."""
        return self.store.statuses.done_by(annotator_uuid)

    def count_done(self, annotator_uuid: str) -> int:
        return self.store.statuses.count(annotator_uuid, Status.DONE)

    def sample_document_ids(self) -> list[int]:
        return self.store.documents.sample_ids()

    def spans(self, doc_id: int, annotator_uuid: str | None = None) -> list[Span]:
        return self.store.spans.of_document(doc_id, annotator_uuid)

    def span(self, uuid: str) -> Span | None:
        return self.store.spans.get(uuid)

    def span_counts_by_label(self) -> dict[str, int]:
        return self.store.spans.counts_by_label()

    def status(self, doc_id: int, annotator_uuid: str | None = None) -> Status:
        return self.store.statuses.of(doc_id, annotator_uuid or self.me.uuid)

    def change_log(self, entity_id: str | None = None) -> list[dict]:
        return self.store.log.entries(entity_id)

    def stats(self) -> dict:
        return stats(self.store)

    def disagreements(self, spans: Iterable[Span]) -> list[Span]:
        """Of these spans (one document's, as shown), those not every annotator made
        exactly, in text order. Gold, the result of adjudication, is no opinion of its own:
        it is left out, whoever is looking; the one looking counts even with no spans."""
        by_annotator: dict[str, list[Span]] = {}
        if not self.me.is_gold:
            by_annotator[self.me.uuid] = []
        for span in spans:
            if span.annotator_uuid != GOLD.uuid:
                by_annotator.setdefault(span.annotator_uuid, []).append(span)
        return disagreements(by_annotator)

    def next_to_adjudicate(self, order: Sequence[int], after: int | None) -> int | None:
        """The next document in `order` (the list as shown) after `after`, wrapping round,
        where annotators (gold left out) disagree and gold has not marked it done."""
        candidates = self.store.spans.documents_with_annotators(2, leaving_out=GOLD.uuid)
        finished = self.store.statuses.done_by(GOLD.uuid)
        start = order.index(after) + 1 if after in order else 0
        for doc_id in [*order[start:], *order[:start]]:
            if doc_id == after or doc_id not in candidates or doc_id in finished:
                continue
            opinions = [s for s in self.spans(doc_id) if s.annotator_uuid != GOLD.uuid]
            by_annotator: dict[str, list[Span]] = {}
            for span in opinions:
                by_annotator.setdefault(span.annotator_uuid, []).append(span)
            if disagreements(by_annotator):
                return doc_id
        return None

    # --- edits --------------------------------------------------------------------------
    def perform(self, edit: Edit) -> Change:
        """Do an edit in one transaction; only what was saved enters the undo history."""
        with self.store.transaction():
            change = edit.apply(self.store, self.person.uuid)
        self.history.push(edit)
        return self.announce(change)

    def undo(self) -> Change:
        edit = self.history.to_undo()
        if edit is None:
            raise NothingToUndo("nothing to undo")
        change = self._replay(edit, edit.revert)
        self.history.undone_one()
        return self.announce(change)

    def redo(self) -> Change:
        edit = self.history.to_redo()
        if edit is None:
            raise NothingToUndo("nothing to redo")
        change = self._replay(edit, edit.apply)
        self.history.redone_one()
        return self.announce(change)

    def _replay(self, edit: Edit, step) -> Change:
        """Undo or redo in one transaction. If it cannot be saved the database is as
        before: a busy or full disk leaves the history as it was (try again later); an
        edit whose spans or labels were changed elsewhere can never be replayed, and goes."""
        try:
            with self.store.transaction():
                return step(self.store, self.person.uuid)
        except StoreConflict:
            self.history.drop(edit)
            raise

    def changes_elsewhere(self) -> Change | None:
        """What other programs (another window, an import on the command line) committed
        since the last look, announced like any edit; None if nothing. Coarse: the views
        read documents (and labels, annotators) again."""
        touched = self._watcher.changed_elsewhere()
        if not touched:
            return None
        return self.announce(Change(documents_changed=True,
                                    labels_changed="label" in touched,
                                    annotators_changed="annotator" in touched))

    def caught_up(self) -> None:
        """What has been written so far is known here (the runner's own work, announced):
        not to be reported again as changes made elsewhere."""
        self._watcher = Watcher(self.store.conn)

    def announce(self, change: Change) -> Change:
        """Tell every listener (views, other windows) what changed."""
        self.changed.emit(change)
        return change

    def add_span(self, doc_id: int, label_uuid: str, start: int, end: int, *,
                 snap: bool = False, note: str | None = None) -> Change:
        """Label [start, end) of a document as mine; white space at the edges is trimmed,
        and with `snap` the edges grow to whole words."""
        text = self._text(doc_id)
        check_span(text, start, end)  # in range, before trimming indexes into the text
        start, end = snap_to_words(text, start, end) if snap else trim_range(text, start, end)
        if start >= end:
            raise SpanError("the selection is only white space")
        label = self._label(label_uuid)
        stamp = now_iso()
        span = Span(new_uuid(), doc_id, self.me.uuid, label.uuid, start, end, text[start:end],
                    note, stamp, stamp)
        return self.perform(AddSpans((span,), f"add {label.name} span"))

    def delete_spans(self, uuids: list[str]) -> Change:
        """Delete my spans among these (one document), as one step. Other annotators' are
        theirs to delete: left alone, and the change's notes say so; refused if none is
        mine. Spans deleted elsewhere meanwhile are simply gone already."""
        spans = [s for s in (self.span(u) for u in dict.fromkeys(uuids)) if s is not None]
        mine = tuple(s for s in spans if s.annotator_uuid == self.me.uuid)
        others = len(spans) - len(mine)
        theirs = (f"{others} span{'s' * (others != 1)} of other annotators left alone: they "
                  "are theirs to delete." if others else "")
        if not mine:
            raise EditRefused(theirs or "those spans are no longer there (deleted elsewhere)")
        if len({s.document_id for s in mine}) > 1:
            raise EditRefused("spans are deleted one document at a time")
        text = (f"delete {self._label_name(mine[0])} span" if len(mine) == 1
                else f"delete {len(mine)} spans")
        change = self.perform(DeleteSpans(mine, text))
        return replace(change, notes=(theirs,)) if theirs else change

    def relabel(self, span_uuid: str, label_uuid: str) -> Change | None:
        """Give one of my spans another label; None if it has that label already."""
        span = self._my_span(span_uuid, "relabel")
        label = self._label(label_uuid)
        if span.label_uuid == label.uuid:
            return None
        new = edited(span, self._text(span.document_id), label_uuid=label.uuid)
        return self.perform(ReplaceSpan(span, new, f"relabel span as {label.name}"))

    def set_note(self, span_uuid: str, note: str) -> Change | None:
        """Write (or, blank, remove) the note of one of my spans; None if it is the same."""
        span = self._my_span(span_uuid, "write notes on")
        if (note.strip() or None) == span.note:
            return None
        new = edited(span, self._text(span.document_id), note=note)
        return self.perform(ReplaceSpan(span, new, "edit note" if note.strip()
                                        else "remove note"))

    def move_edge(self, span_uuid: str, edge: str, step: int, by_word: bool = True
                  ) -> Change | None:
        """Move the start or end of one of my spans a word (or a character) either way;
        None when that edge cannot move that way."""
        span = self._my_span(span_uuid, "move")
        text = self._text(span.document_id)
        moved = move_edge(text, span.start, span.end, edge, step, by_word=by_word)
        if moved is None:
            return None
        new = edited(span, text, start=moved[0], end=moved[1])
        return self.perform(ReplaceSpan(span, new,
                                        f"move {self._label_name(span)} span {edge}"))

    def set_status(self, doc_id: int, status: Status) -> Change:
        self._text(doc_id)  # the document must exist
        return self.perform(SetStatus(doc_id, self.me.uuid, status,
                                      f"mark document {status.value}"))

    def rename_document(self, doc_id: int, title: str) -> Change | None:
        """Give a document a title of the user's choosing (white space tidied); None if it
        is the same. Undoable, and in the change log."""
        title = " ".join(title.split())
        if not title:
            raise EditRefused("a document needs a title")
        if len(title) > MAX_TITLE:
            raise EditRefused(f"a title can have at most {MAX_TITLE} characters")
        document = self.document(doc_id)
        if document is None:
            raise StoreConflict("that document is no longer in the database (deleted "
                                "elsewhere)")
        if document.title == title:
            return None
        return self.perform(RenameDocument(doc_id, document.title, title))

    def edit_labels(self, labels: list[Label]) -> Change:
        """Make the label set exactly these, in this order (LabelSetError with every
        problem, naming the labels); labels left out go with all their spans."""
        self._refuse_in_bundle()
        return self.perform(EditLabelSet(list(labels)))

    def accept_into_gold(self, uuids: list[str]) -> Change:
        """Copy other annotators' spans (one document) into gold, each stretch and label
        once and none gold has already; one undoable step, logged under the person."""
        if not self.adjudicating:
            raise EditRefused("accepting spans builds the gold set: choose Annotator → "
                              "Adjudicate into gold first")
        spans = [s for s in (self.span(u) for u in uuids)
                 if s is not None and s.annotator_uuid != GOLD.uuid]
        if not spans:
            raise EditRefused("no other annotator's span there to accept")
        documents = {s.document_id for s in spans}
        if len(documents) > 1:
            raise EditRefused("spans are accepted one document at a time")
        doc_id = documents.pop()
        have = {(s.label_uuid, s.start, s.end) for s in self.spans(doc_id, GOLD.uuid)}
        stamp = now_iso()
        copies: list[Span] = []
        for span in sorted(spans, key=lambda s: (s.start, s.end, s.label_uuid)):
            key = (span.label_uuid, span.start, span.end)
            if key not in have:
                have.add(key)
                copies.append(replace(span, uuid=new_uuid(), annotator_uuid=GOLD.uuid,
                                      created=stamp, modified=stamp))
        if not copies:
            raise EditRefused("already in gold")
        text = (f"accept {self._label_name(copies[0])} span into gold" if len(copies) == 1
                else f"accept {len(copies)} spans into gold")
        return self.perform(AddSpans(tuple(copies), text))

    def delete_documents(self, ids: list[int]) -> Change:
        """Delete documents with every annotator's spans and statuses: all of them or none.
        Not undoable; the undo history, which may refer to their spans, starts afresh."""
        self._refuse_in_bundle()
        with self.store.transaction():
            for doc_id in ids:
                self.store.documents.delete(doc_id, self.person.uuid)
        self.history.clear()
        return self.announce(Change(documents_changed=True))

    # --- team work (issue 16): guidelines, assignment, packages, progress -------------
    def guidelines(self) -> tuple[int, str] | None:
        """The project's guidelines in force: (version, Markdown text); None if none yet."""
        return self.store.guidelines.latest()

    def set_guidelines(self, text: str) -> Change | None:
        """A new version of the guidelines (Markdown), logged; None if the text is the
        version in force already. Not undoable: every version stays, and each package
        names the one its annotator saw. Refused in an annotator's package."""
        self._refuse_in_bundle()
        latest = self.guidelines()
        if latest is not None and latest[1] == text:
            return None
        with self.store.transaction():
            self.store.guidelines.add(text, self.person.uuid)
        return self.announce(Change(guidelines_changed=True))

    def set_label_description(self, label_uuid: str, description: str) -> Change | None:
        """What a label means, for the annotators (shown with the label); an undoable
        edit of the label set. None if it says that already."""
        labels = self.labels()
        label = next((lb for lb in labels if lb.uuid == label_uuid), None)
        if label is None:
            raise EditRefused("that label no longer exists (deleted elsewhere?)")
        description = description.strip()
        if label.description == description:
            return None
        self._refuse_in_bundle()
        return self.perform(EditLabelSet(
            [replace(lb, description=description) if lb.uuid == label_uuid else lb
             for lb in labels], f"describe label {label.name}"))

    def assign(self, names: Sequence[str], seed: int, overlap: float | None = None,
               per_document: int | None = None, query: str | None = None,
               as_person: bool = True) -> AssignmentResult:
        """Share the documents (those `query` finds in the document list, or all) between
        these annotators, by name (new names become new annotators): with `overlap` a
        fraction of them to everyone and the rest split, or with `per_document` each to
        that many (domain.assignment). The same seed gives the same plan. Stored in one
        transaction; the documents it covers lose their earlier assignments
        (`replaced`). AssignmentError if it cannot be made; gold is refused.
        `as_person=False` (the command line) names no one in the change log."""
        from annotator.domain.errors import AssignmentError
        from annotator.services.team import assign

        self._refuse_in_bundle()
        tidy = list(dict.fromkeys(tidy_name(n) for n in names))
        if any(n == GOLD.name for n in tidy):
            raise EditRefused("gold is the adjudicated set, not an annotator: it cannot be "
                              "assigned documents")
        if not tidy:
            raise AssignmentError("an assignment needs at least one annotator")
        doc_ids = self.document_ids(query or "")
        if query and not doc_ids:
            raise AssignmentError(f"no document matches {query!r}: nothing was assigned")
        who = self.person.uuid if as_person else None
        people: list[Annotator] = []
        new: list[str] = []
        with self.store.transaction():
            for name in tidy:
                found = self.store.annotators.by_name(name)
                if found is None:
                    found = Annotator(new_uuid(), name)
                    self.store.annotators.add(found, who)
                    new.append(name)
                people.append(found)
            result = assign(self.store, people, doc_ids, seed, overlap, per_document,
                            query or None, who)
        self.announce(Change(assignments_changed=True, annotators_changed=bool(new)))
        return replace(result, new_annotators=new)

    def assignments(self) -> dict[str, list[int]]:
        """Who has what: annotator uuid -> the ids of the documents assigned to them."""
        return self.store.assignments.all()

    def create_bundle(self, annotator_name: str, path: Path | str, force: bool = False
                      ) -> BundleReport:
        """Write one annotator's package (see services.team.create_bundle) to `path`, a
        new file (an existing one only with `force`): their assigned documents, the label
        set, the latest guidelines, the annotator, and their spans and statuses so far.
        Written whole under a temporary name and then moved into place."""
        from annotator.services.team import create_bundle

        self._refuse_in_bundle()
        annotator = self.annotator_by_name(" ".join(annotator_name.split()))
        if annotator is None:
            raise EditRefused(f"there is no annotator named {annotator_name!r}")
        if annotator.is_gold:
            raise EditRefused("gold is the adjudicated set, not an annotator: it has no "
                              "package")
        return create_bundle(self.store, annotator, path, force)

    def bundle_progress(self) -> tuple[int, int]:
        """In an annotator's package (or for me elsewhere): (documents I marked done,
        documents I have): "12 of 40 done". Elsewhere, of my assigned documents if I
        have any, else of every document."""
        assigned = self.store.assignments.of(self.me.uuid) if self.bundle is None else []
        if assigned:
            done = self.store.statuses.done_by(self.me.uuid)
            return sum(d in done for d in assigned), len(assigned)
        return self.count_done(self.me.uuid), self.count_documents()

    def progress(self) -> list[AnnotatorProgress]:
        """The lead's table, one row per annotator at work: assigned, done (of the
        assigned), spans per label, time spent (change-log gaps of 5 minutes or less
        added up), last activity."""
        from annotator.services.team import progress

        return progress(self.store)

    def _refuse_in_bundle(self, why: str = "") -> None:
        """EditRefused, in plain words, for what only the project lead may do."""
        if self.bundle is not None:
            raise EditRefused(self.bundle.refusal + (f" ({why})" if why else ""))

    # --- long work ----------------------------------------------------------------------
    def import_paths(self, paths: Sequence[Path | str], options: ImportOptions | None = None,
                     job: Job | None = None, as_person: bool = True) -> ImportReport:
        """Import files, folders and archives; each file whole or not at all (see
        services.importing). Not undoable; announced as a Change like any edit. The change
        log names the person at the keyboard; `as_person=False` (a script, the command line)
        names no one, and makes no annotator of the login name.

        In an annotator's package only annotations of the documents it holds are imported,
        all as its annotator's: no document, label or annotator is added, and records of
        other texts are skipped (counted in the report: `not_held`)."""
        from annotator.services.importing import ImportOptions, import_paths

        job = job or Job()
        options = replace(options or ImportOptions(),
                          who=self.person if as_person or self.bundle else None,
                          package=self.me if self.bundle else None)
        report = import_paths(self.store, list(paths), options, job.progress, job.cancelled)
        self._announce_import(report)
        return report

    def seed_samples(self) -> None:
        """The sample reviews, into a new database that never had them (never into an
        annotator's package)."""
        if self.bundle is not None:
            return
        report = samples.seed_if_new(self.store)
        if report is not None:
            self._announce_import(report)

    def _announce_import(self, report: ImportReport) -> None:
        if any(f.status in ("imported", "already there") for f in report.files):
            self.announce(Change(documents_changed=True,
                                 labels_changed=bool(report.new_labels),
                                 annotators_changed=bool(report.new_annotators)))

    def merge(self, paths: Sequence[Path | str], dry_run: bool = False,
              allow_new_documents: bool = False, job: Job | None = None,
              as_person: bool = True) -> MergeReport:
        """Merge annotators' packages (or any Annotator databases) into this database:
        after a backup, all of them in one transaction (see services.merge). A dry run
        changes nothing and reports what a merge would do. Not undoable: the undo history
        starts afresh; announced as a Change so open views read again. The change log
        names the person at the keyboard, or no one with `as_person=False`. The job's
        cancel, asked between sources, rolls it all back (MergeStopped)."""
        from annotator.services.merge import merge

        self._refuse_in_bundle("packages are merged into the project's database")
        job = job or Job()
        report = merge(self.store, list(paths), dry_run=dry_run,
                       allow_new_documents=allow_new_documents,
                       who=self.person.uuid if as_person else None, progress=job.progress,
                       cancelled=job.cancelled)
        if not dry_run and report.changed_anything:
            self.history.clear()
            self.announce(Change(
                documents_changed=True,
                labels_changed=any(s.labels_added for s in report.sources),
                annotators_changed=any(s.annotators_added for s in report.sources)))
        return report

    def export(self, fmt: str, destination: Path | str, options: ExportOptions | None = None,
               job: Job | None = None) -> ExportReport:
        """Write a dataset file (or folder) atomically; ExportError says why not."""
        from annotator.services.exporting import ExportError, export

        job = job or Job()
        try:
            return export(self.store, fmt, destination, options,
                          lambda done, total: job.progress(done, total, ""))
        except OSError as e:  # a folder not writable, a full disk: the user's to fix
            where = f" ({e.filename})" if e.filename else ""
            raise ExportError(f"{destination} could not be written: "
                              f"{e.strerror or e}{where}") from e

    def export_preview(self, fmt: str, options: ExportOptions) -> str:
        from annotator.services.exporting import preview

        return preview(self.store, fmt, options)

    def agreement(self, scope: Scope, job: Job | None = None) -> AgreementReport:
        """Every agreement figure for a scope (ScopeError if it cannot be compared); a
        job's cancel stops it between its stages (Stopped)."""
        from annotator.services.agreement import compute

        return compute(self.store, scope, job.cancelled if job else None)

    def agreement_documents(self, scope: Scope) -> list[int]:
        """The documents a scope compares (ScopeError if none): to tell its size first."""
        from annotator.services.agreement import resolve

        return resolve(self.store, scope)[2]

    def suggest_scope(self, names: list[str], documents: str = "done") -> Suggestion | None:
        """A scope near these annotators and documents that gives agreement figures."""
        from annotator.services.agreement import suggest

        everyone = {a.name: a for a in self.annotators()}
        return suggest(self.store, [everyone[n] for n in names if n in everyone], documents)

    def default_annotators(self, documents: str = "done") -> list[Annotator]:
        from annotator.services.agreement import default_annotators

        return default_annotators(self.store, documents)

    # --- helpers ------------------------------------------------------------------------
    def _text(self, doc_id: int) -> str:
        text = self.store.documents.text(doc_id)
        if text is None:
            raise SpanError(f"document {doc_id} does not exist (deleted elsewhere?)")
        return text

    def _label(self, uuid: str) -> Label:
        label = self.store.labels.get(uuid)
        if label is None:
            raise EditRefused("that label no longer exists (deleted elsewhere?)")
        return label

    def _label_name(self, span: Span) -> str:
        label = self.store.labels.get(span.label_uuid)
        return label.name if label else "?"

    def _my_span(self, uuid: str, verb: str) -> Span:
        span = self.span(uuid)
        if span is None:
            raise StoreConflict("that span is no longer in the database (deleted elsewhere)")
        if span.annotator_uuid != self.me.uuid:
            raise EditRefused(f"other annotators' spans are theirs to {verb}")
        return span

    def __repr__(self) -> str:
        return f"Workspace({self.path!r})"

    # --- backups, integrity, unchanged texts (issue 14) ---------------------------------
    @property
    def damaged(self) -> str | None:
        """What is wrong with a database found damaged when it was opened (it is then open
        for reading only, and every edit is refused saying so); None if it is whole."""
        return self.store.damaged

    @property
    def read_only(self) -> bool:
        """Open for reading only: damaged, or not writable where it is."""
        return self.store.read_only

    @property
    def notes(self) -> list[str]:
        """What the user should know about this database that did not stop it opening: a
        check left for later on a large file, a backup that could not be made."""
        return list(self.store.notes)

    def backup(self, to: Path | str | None = None) -> Backup:
        """Back the database up now (as committed): among its backups, or into the new
        file `to`."""
        return self.store.backup(to=to)

    def backups(self) -> list[Backup]:
        """This database's backups, newest first: daily ones, those made before upgrades,
        merges and restores, and those made by hand. While it holds no documents (a new
        database made where a lost one was), also the backups of the databases kept at
        its path before, each saying whose it is (`Backup.database`, `Backup.holds`)."""
        own = self.store.backups.all()
        if self.damaged or self.count_documents():
            return own
        mine = {b.path for b in own}
        before = [b for b in backups_of_path(self.store.backups_root, Path(self.path))
                  if b.path not in mine and b.database != self.database_uuid]
        if not before:
            return own
        own = [replace(b, holds=what_it_holds(b.path)) for b in own]  # told apart by it
        return sorted([*own, *before], key=lambda b: (b.made, b.written), reverse=True)

    def newest_whole_backup(self) -> tuple[Backup | None, list[tuple[Backup, str]]]:
        """The newest backup of this database that can be restored (whole, and not
        newer), and the newer ones passed over, each with why. Checking a backup reads
        all of it: seconds a gigabyte."""
        passed: list[tuple[Backup, str]] = []
        for backup in self.backups():
            if backup.database not in (None, self.database_uuid):
                continue  # another database's (listed while this one holds nothing)
            try:
                check_backup(backup.path, SCHEMA_VERSION)
            except DatabaseCorrupt:
                passed.append((backup, "it is itself damaged"))
                continue
            except StoreError as e:
                passed.append((backup, str(e)))
                continue
            return backup, passed
        return None, passed

    def backup_before_merge(self) -> Backup:
        """For a merge to call before it writes: it must not go on if this fails."""
        return self.store.backup_before_merge()

    def restore(self, backup: Path | str, force: bool = False) -> Change:
        """Put a backup in place of the database (backed up first, as it is): the
        database then holds exactly what the backup holds. Undo history starts afresh;
        every view reads everything again. A backup of another database is refused
        (OtherDatabase) unless this one holds no documents, or `force`."""
        store = self.store
        try:
            self.store = store.restore(backup, force)
        except BaseException:
            if store.closed:  # it failed after closing: the database as it was, reopened
                self.store = Store.open(store.path, store.backups_root)
            raise
        self._after_restore()
        return self.announce(Change(documents_changed=True, labels_changed=True,
                                    annotators_changed=True))

    def _after_restore(self) -> None:
        self.database_uuid = self.store.settings.database_uuid
        self.history.clear()
        self.caught_up()
        session = self._session
        if session is not None and not (self.store.annotators.get(session.annotator.uuid)
                                        and self.store.annotators.get(session.person.uuid)):
            self._session = None  # who they were is not in the backup: settled again

    @classmethod
    def restore_over(cls, path: Path | str, backup: Path | str,
                     user_state: UserState | None = None, force: bool = False) -> Workspace:
        """Restore a backup where a database cannot be opened at all (its bytes are kept
        first among its backups) or is missing; returns it opened. Refused: a file that is
        not an Annotator database or is a newer version's, and a backup of another
        database than the one there when that can be read (unless `force`)."""
        return cls(Store.restore_over(path, backup, force=force), user_state)

    @staticmethod
    def backups_of(path: Path | str) -> list[Backup]:
        """The backups of the databases last seen at `path`, when it cannot be opened or is
        missing: each says which database it is of, and what it holds."""
        from annotator.paths import backups_path

        return backups_of_path(backups_path(), Path(path))

    @staticmethod
    def identity_of(path: Path | str) -> str | None:
        """The identity of the database file at `path`, read without opening it for
        writing (also from a file damaged past opening, where it can); None if unknown."""
        path = Path(path)
        return identity_of(path) if path.is_file() else None

    def check(self) -> Integrity:
        """The full check (every page, index and reference, every text against its
        content hash): slow on a large database, seconds a gigabyte."""
        return self.store.check()

    def text_check(self, document: Document) -> str | None:
        """Whether a document's text is still the one imported (texts never change: spans
        are offsets into them). A message if it is not, None if it is. One hash of the
        text: call it once when a document is opened. Its spans are left where they are,
        not moved: their offsets may no longer fit the text."""
        if content_hash(document.text) == document.content_hash:
            return None
        return (f"The text of “{document.title}” is not the text that was imported: "
                "something outside Annotator changed it. Its spans are shown where they "
                "were saved and may no longer fit the words; restore a backup to get the "
                "text back.")
