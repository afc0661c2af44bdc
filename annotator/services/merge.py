"""Merging annotators' packages (or any Annotator databases) into the project: the rules.

Documents are matched by content hash; labels, annotators and spans by UUID, never by
name. Each source is planned (reads only) and then applied, one source at a time, all of
them inside one transaction of the target's, after a backup: on any error nothing is
written. A dry run plans and applies the same way and rolls the transaction back, so
what it prints is exactly what a merge would do, later sources seeing earlier ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from annotator.domain.errors import AnnotatorError, StoreError
from annotator.domain.model import Annotator, Document, Label, new_uuid
from annotator.store.database import Store
from annotator.store.merge import MergeTarget, Source, SpanRow, span_of_row

from .team import IDLE_SECONDS

Progress = Callable[[int, int, str], None]
_FIELDS = (3, 4, 5, 6)  # label_uuid, start, end, note in a stored span row


class MergeRefused(AnnotatorError):
    """A merge that must not run (a foreign package, the database itself); nothing was
    written."""


class MergeStopped(AnnotatorError):
    """The merge was asked to stop (Ctrl+C, Cancel): rolled back, nothing was written."""


@dataclass(frozen=True)
class SpanVersion:
    label: str
    label_uuid: str
    start: int
    end: int
    note: str | None
    modified: str


@dataclass(frozen=True)
class Conflict:
    """The same span changed on both sides: `kind` "edited" (both versions, the later
    modification won; a span changed in the package alone, the project's copy untouched
    since the package was made, is a change, not a conflict) or "deleted" (deleted in
    the source, changed in the target after the package was made: the target keeps it)."""

    kind: str
    span_uuid: str
    document_id: int
    document: str  # its title
    target: SpanVersion
    source: SpanVersion | None  # None: deleted in the source
    winner: str  # "source" or "target"
    deleted_at: str | None = None


@dataclass
class AnnotatorChanges:
    uuid: str
    name: str
    spans_added: int = 0
    spans_changed: int = 0
    spans_deleted: int = 0
    statuses_changed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.spans_added or self.spans_changed or self.spans_deleted
                    or self.statuses_changed or self.conflicts)


@dataclass(frozen=True)
class NameClash:
    """A name the target already gives to another UUID: kept apart, under `kept_as`."""

    kind: str  # "label" or "annotator"
    name: str
    source_uuid: str
    target_uuid: str
    kept_as: str


@dataclass
class SourceReport:
    path: str
    database_uuid: str | None
    annotator: str | None = None  # the package's annotator (a bundle), else None
    made_at: str | None = None
    guidelines_version: object = None
    documents_matched: int = 0
    documents_added: int = 0
    documents_skipped: int = 0  # not in the target, and new documents not allowed
    labels_added: list[str] = field(default_factory=list)
    annotators_added: list[str] = field(default_factory=list)
    name_clashes: list[NameClash] = field(default_factory=list)
    annotators: list[AnnotatorChanges] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def total(self, what: str) -> int:
        return sum(getattr(a, what) for a in self.annotators)

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for a in self.annotators for c in a.conflicts]

    def summary(self) -> dict:
        """What the change log records of this source's merge."""
        return {"path": self.path, "made_at": self.made_at,
                "annotator": self.annotator,
                "guidelines_version": self.guidelines_version,
                "documents_added": self.documents_added,
                "documents_skipped": self.documents_skipped,
                **{w: self.total(w) for w in _TOTALS},
                "conflicts": len(self.conflicts),
                "labels_added": self.labels_added, "annotators_added": self.annotators_added,
                "name_clashes": [asdict(c) for c in self.name_clashes]}


_TOTALS = ("spans_added", "spans_changed", "spans_deleted", "statuses_changed")


@dataclass
class MergeReport:
    target: str
    dry_run: bool
    backup: str | None = None  # the backup made before writing (None: a dry run)
    sources: list[SourceReport] = field(default_factory=list)

    def total(self, what: str) -> int:
        return sum(s.total(what) for s in self.sources)

    @property
    def documents_added(self) -> int:
        return sum(s.documents_added for s in self.sources)

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for s in self.sources for c in s.conflicts]

    @property
    def changed_anything(self) -> bool:
        return bool(self.documents_added or any(self.total(w) for w in _TOTALS)
                    or any(s.labels_added or s.annotators_added for s in self.sources))

    def as_json(self) -> dict:
        return {"target": self.target, "dry_run": self.dry_run, "backup": self.backup,
                "documents_added": self.documents_added,
                **{w: self.total(w) for w in _TOTALS},
                "conflicts": len(self.conflicts),
                "sources": [asdict(s) for s in self.sources]}


@dataclass
class SourcePlan:
    """What merging one source changes; computed by reading only (`plan`)."""

    report: SourceReport
    labels: list[Label] = field(default_factory=list)
    annotators: list[Annotator] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)  # to add (read whole)
    doc_ids: dict[int, int] = field(default_factory=dict)  # source id -> target id
    new_doc_ids: dict[int, str] = field(default_factory=dict)  # source id -> content hash
    add: list[SpanRow] = field(default_factory=list)  # in the source's document ids
    replace: list[tuple[SpanRow, SpanRow]] = field(default_factory=list)  # target, source
    delete: list[SpanRow] = field(default_factory=list)  # target rows
    statuses: list[tuple[int, str, str, str, str]] = field(default_factory=list)  # source
    #                                               doc id, annotator, before, after, when
    # A package's annotator's time at work there (seconds, last entry): carried into the
    # provenance entry, so the lead's progress table counts offline work (services.team).
    work: dict[str, tuple[float, str]] = field(default_factory=dict)


def instant(stamp: str | None) -> datetime:
    """An ISO time as a moment (stamps may end in Z or +00:00; none: the earliest)."""
    if not stamp:
        return datetime.min.replace(tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_sources(store: Store, paths: Sequence[Path]) -> None:
    """Every source opened and checked before anything is written: bad files are refused
    with the target untouched, and before a backup is made for nothing."""
    target_path = Path(store.path).resolve()
    for path in paths:
        if path.resolve() == target_path:
            raise MergeRefused(f"{path} is the database being merged into; nothing was "
                               "merged")
        source = Source.open(path)
        try:
            facts = source.facts
        finally:
            source.close()
        # A package says what it is (its `bundle` row), whatever identity it was given;
        # any other database with ours is a copy of the target.
        if facts.bundle is None and facts.database_uuid == store.uuid:
            raise MergeRefused(f"{path} is a copy of the database being merged into (the "
                               "same database identity); nothing was merged")


def merge(store: Store, paths: Sequence[Path | str], *, dry_run: bool = False,
          allow_new_documents: bool = False, who: str | None = None,
          progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
          ) -> MergeReport:
    """Merge the sources into `store` (see the module's docstring); the report says what
    changed, per source and per annotator. `cancelled`, asked between sources, stops the
    merge with MergeStopped, everything rolled back."""
    sources = [Path(p).expanduser() for p in paths]
    if not sources:
        raise MergeRefused("nothing to merge: name the packages to merge")
    if store.read_only or store.damaged:
        raise StoreError(store.damaged or f"{store.path} cannot be written here; nothing "
                                          "was merged")
    check_sources(store, sources)
    report = MergeReport(store.path, dry_run)
    if not dry_run:
        report.backup = str(store.backup_before_merge().path)
    target = MergeTarget(store.conn, store.log)
    try:
        with store.transaction(), store.bulk():
            for i, path in enumerate(sources):
                if progress is not None:
                    progress(i, len(sources), str(path))
                if cancelled is not None and cancelled():
                    raise MergeStopped(f"the merge into {store.path} was stopped; nothing "
                                       "was written")
                source = Source.open(path)
                try:
                    plan = plan_source(store, target, source, allow_new_documents)
                    apply(store, target, plan, who)
                finally:
                    source.close()
                report.sources.append(plan.report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if progress is not None:
        progress(len(sources), len(sources), "")
    return report


class _DryRun(Exception):
    """Raised to roll the dry run's transaction back."""


def plan_source(store: Store, target: MergeTarget, source: Source,
                allow_new_documents: bool) -> SourcePlan:
    """What merging `source` would change in the target as it is now; reads only."""
    facts = source.facts
    bundle = facts.bundle or {}
    report = SourceReport(str(source.path), facts.database_uuid,
                          bundle.get("annotator_name"), bundle.get("made_at"),
                          bundle.get("guidelines_version"))
    plan = SourcePlan(report)
    _plan_labels(store, source, plan)
    _plan_annotators(store, source, plan)
    _plan_documents(store, source, plan, allow_new_documents)
    _plan_spans(store, target, source, plan)
    _plan_statuses(store, target, source, plan)
    report.annotators.sort(key=lambda a: a.name.casefold())
    who = bundle.get("annotator_uuid")
    if isinstance(who, str):  # a package: its log is its annotator's work alone
        found = source.work(who, IDLE_SECONDS)
        if found is not None:
            plan.work[who] = found
    return plan


def _free_name(name: str, taken: set[str], source: Source) -> str:
    base = f"{name} ({source.path.stem})"
    kept, n = base, 2
    while kept in taken:
        kept, n = f"{base} {n}", n + 1
    return kept


def _name_apart(plan: SourcePlan, kind: str, name: str, uuid: str, by_name: dict[str, str],
                source: Source) -> str:
    """The name a newcomer is added under: its own, or, when another UUID has that name,
    a free one (reported as a clash: names never merge two UUIDs)."""
    if name not in by_name:
        return name
    kept = _free_name(name, set(by_name), source)
    plan.report.name_clashes.append(NameClash(kind, name, uuid, by_name[name], kept))
    return kept


def _plan_labels(store: Store, source: Source, plan: SourcePlan) -> None:
    have = {label.uuid: label for label in store.labels.all()}
    by_name = {label.name: label.uuid for label in have.values()}
    position = max((label.position for label in have.values()), default=-1)
    for label in source.labels():
        if label.uuid in have:
            continue
        name = _name_apart(plan, "label", label.name, label.uuid, by_name, source)
        position += 1
        plan.labels.append(Label(label.uuid, name, label.colour, label.shortcut if not any(
            other.shortcut == label.shortcut for other in have.values()) else "",
            label.description, position, label.cues))
        by_name[name] = label.uuid
        plan.report.labels_added.append(name)


def _plan_annotators(store: Store, source: Source, plan: SourcePlan) -> None:
    have = {a.uuid: a for a in store.annotators.all()}
    by_name = {a.name: a.uuid for a in have.values()}
    for annotator in source.annotators():
        if annotator.uuid in have:
            continue
        name = _name_apart(plan, "annotator", annotator.name, annotator.uuid, by_name, source)
        plan.annotators.append(Annotator(annotator.uuid, name))
        by_name[name] = annotator.uuid
        plan.report.annotators_added.append(name)


def _plan_documents(store: Store, source: Source, plan: SourcePlan,
                    allow_new_documents: bool) -> None:
    documents = source.documents()
    found = store.documents.by_hashes(h for _, _, h in documents)
    plan.doc_ids = {doc_id: found[h][0] for doc_id, _, h in documents if h in found}
    missing = [(doc_id, uuid, h) for doc_id, uuid, h in documents if h not in found]
    plan.report.documents_matched = len(plan.doc_ids)
    if documents and not plan.doc_ids and not allow_new_documents:
        raise MergeRefused(
            f"{source.path} shares no document with {store.path}: these packages are from "
            "another project (or made from other documents). Nothing was merged. To add "
            "its documents all the same, use --allow-new-documents.")
    if not missing:
        return
    if not allow_new_documents:
        plan.report.documents_skipped = len(missing)
        plan.report.notes.append(
            f"{len(missing)} document(s) of {source.path.name} are not in the project and "
            "were left out with their spans (--allow-new-documents adds them)")
        return
    taken = store.documents.stored_uuids(uuid for _, uuid, _ in missing)
    for (doc_id, _, content_hash), document in zip(
            missing, source.full_documents([m[0] for m in missing]), strict=True):
        if document.uuid in taken:  # another document has its uuid: it gets a new one
            document = Document(None, new_uuid(), document.title, document.text,
                                document.content_hash, document.source_path, document.meta,
                                document.sample, document.created)
        plan.documents.append(document)
        plan.new_doc_ids[doc_id] = content_hash
    plan.report.documents_added = len(plan.documents)


def _changes(plan: SourcePlan, names: dict[str, str], uuid: str) -> AnnotatorChanges:
    for changes in plan.report.annotators:
        if changes.uuid == uuid:
            return changes
    changes = AnnotatorChanges(uuid, names.get(uuid, uuid))
    plan.report.annotators.append(changes)
    return changes


def _names(store: Store, plan: SourcePlan) -> tuple[dict[str, str], dict[str, str]]:
    """Annotator and label names by uuid, the planned ones included."""
    annotators = {a.uuid: a.name for a in [*store.annotators.all(), *plan.annotators]}
    labels = {label.uuid: label.name for label in [*store.labels.all(), *plan.labels]}
    return annotators, labels


def _version(row: SpanRow, labels: dict[str, str]) -> SpanVersion:
    return SpanVersion(labels.get(row[3], row[3]), row[3], row[4], row[5], row[6], row[8])


def _plan_spans(store: Store, target: MergeTarget, source: Source, plan: SourcePlan) -> None:
    made_at = plan.report.made_at
    annotators, labels = _names(store, plan)
    rows = source.spans()
    deleted = source.deleted_spans()
    theirs = target.spans([r[0] for r in rows] + list(deleted))
    conflicts: list[tuple[AnnotatorChanges, dict]] = []
    for row in rows:
        mine = theirs.get(row[0])
        if mine is None:
            if row[1] in plan.doc_ids or row[1] in plan.new_doc_ids:
                plan.add.append(row)
                _changes(plan, annotators, row[2]).spans_added += 1
            continue
        if all(mine[i] == row[i] for i in _FIELDS):
            continue
        source_wins = instant(row[8]) > instant(mine[8])
        if source_wins:
            plan.replace.append((mine, row))
            _changes(plan, annotators, mine[2]).spans_changed += 1
        # Changed in the package alone (the project's copy is as it was when the package
        # was made): an update, not a conflict. Without made_at that cannot be told.
        if source_wins and made_at and instant(mine[8]) <= instant(made_at):
            continue
        conflicts.append((_changes(plan, annotators, mine[2]), dict(
            kind="edited", span_uuid=row[0], document_id=mine[1],
            target=_version(mine, labels), source=_version(row, labels),
            winner="source" if source_wins else "target")))
    for uuid, (at, _) in deleted.items():
        mine = theirs.get(uuid)
        if mine is None:
            continue
        since = instant(made_at or at)
        if instant(mine[8]) > since:
            conflicts.append((_changes(plan, annotators, mine[2]), dict(
                kind="deleted", span_uuid=uuid, document_id=mine[1],
                target=_version(mine, labels), source=None, winner="target",
                deleted_at=at)))
        else:
            plan.delete.append(mine)
            _changes(plan, annotators, mine[2]).spans_deleted += 1
    titles = store.documents.titles({c["document_id"] for _, c in conflicts})
    for changes, conflict in conflicts:
        changes.conflicts.append(Conflict(document=titles.get(conflict["document_id"], ""),
                                          **conflict))


def _plan_statuses(store: Store, target: MergeTarget, source: Source,
                   plan: SourcePlan) -> None:
    annotators, _ = _names(store, plan)
    rows = [r for r in source.statuses() if r[0] in plan.doc_ids or r[0] in plan.new_doc_ids]
    cleared = {k: v for k, v in source.cleared_statuses().items() if k[0] in plan.doc_ids}
    theirs = target.statuses(plan.doc_ids[r[0]] for r in rows if r[0] in plan.doc_ids)
    theirs.update(target.statuses(plan.doc_ids[d] for d, _ in cleared))
    for doc_id, who, status, modified in rows:
        mine = theirs.get((plan.doc_ids[doc_id], who)) if doc_id in plan.doc_ids else None
        if mine is not None and (mine[0] == status or instant(mine[1]) >= instant(modified)):
            continue
        plan.statuses.append((doc_id, who, mine[0] if mine else "new", status, modified))
        _changes(plan, annotators, who).statuses_changed += 1
    for (doc_id, who), when in cleared.items():
        mine = theirs.get((plan.doc_ids[doc_id], who))
        if mine is None or instant(mine[1]) >= instant(when):
            continue
        plan.statuses.append((doc_id, who, mine[0], "new", when))
        _changes(plan, annotators, who).statuses_changed += 1


def apply(store: Store, target: MergeTarget, plan: SourcePlan, who: str | None) -> None:
    """Write a plan, inside the merge's transaction."""
    for annotator in plan.annotators:
        store.annotators.add(annotator, who)
    for label in plan.labels:
        store.labels.add(label, who)
    doc_ids = dict(plan.doc_ids)
    if plan.documents:
        added = store.documents.add(plan.documents, who)
        by_hash = {d.content_hash: i for d, i in zip(plan.documents, added, strict=True)}
        doc_ids.update((doc_id, by_hash[h]) for doc_id, h in plan.new_doc_ids.items())
    if plan.add:
        store.spans.add([span_of_row((r[0], doc_ids[r[1]], *r[2:])) for r in plan.add], who)
    for mine, theirs in plan.replace:
        store.spans.replace(span_of_row(mine), span_of_row((mine[0], mine[1], *theirs[2:])),
                            who)
    for mine in plan.delete:
        store.spans.delete(span_of_row(mine), who)
    target.set_statuses([(doc_ids[d], a, before, after, when)
                         for d, a, before, after, when in plan.statuses], who)
    target.record(who, plan.report.database_uuid or plan.report.path, {
        **plan.report.summary(),
        "work": {person: {"seconds": seconds, "last": last}
                 for person, (seconds, last) in plan.work.items()}})
