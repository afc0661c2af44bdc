"""The `annotator` command: thin click commands that call services and print results."""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotator import __version__
from annotator.agreement.measures import MEASURES
from annotator.domain.errors import AnnotatorError, DatabaseCorrupt
from annotator.domain.model import DocumentFilter, Status
from annotator.domain.offsets import UNITS
from annotator.domain.suggestions import RECOMMENDERS
from annotator.domain.text import size_text
from annotator.io.registry import FOLDER, WRITERS, reader_keys, writer_keys
from annotator.paths import DB_ENV, resolve_db_path
from annotator.store.backup import OtherDatabase
from annotator.workspace import Job, Workspace

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # what click.progressbar returns


def _print_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


class Context:
    """The database of this command, opened when first needed and closed (checkpointed)
    when the command ends: the .db file alone then holds everything."""

    def __init__(self, db_option: str | None) -> None:
        self.db_path = resolve_db_path(db_option)
        self._workspace: Workspace | None = None
        self.failure: AnnotatorError | None = None  # why the database could not be opened

    @property
    def exists(self) -> bool:
        """Is there a database (a file with something in it) to open? `backups`, `check`
        and `restore` create none where there is none (a lost folder, a wrong --db)."""
        try:
            return self.db_path.is_dir() or self.db_path.stat().st_size > 0
        except OSError:
            return False

    def workspace(self, writing: bool = False) -> Workspace:
        """The open workspace; what the user should know about it is said on stderr. With
        `writing`, a database that must not or cannot be written is refused first."""
        if self._workspace is None:
            try:
                self._workspace = Workspace.open(self.db_path)
            except AnnotatorError as e:
                self.failure = e
                hint = _backups_hint(self.db_path) if isinstance(e, DatabaseCorrupt) else ""
                raise click.ClickException(f"cannot open the database {self.db_path}: {e}"
                                           + hint) from None
            for note in self._workspace.notes:
                click.echo(f"note: {note}", err=True)
            if self._workspace.damaged and not writing:
                click.echo(f"warning: {self._workspace.damaged}", err=True)
        if writing and self._workspace.damaged:
            raise click.ClickException(f"{self._workspace.damaged} Nothing was written."
                                       + _backups_hint(self.db_path))
        if writing and self._workspace.read_only:
            raise click.ClickException(
                f"{self.db_path} cannot be written here (a read-only file, folder or disk); "
                "nothing was written. Copy it somewhere writable, or use --db.")
        return self._workspace

    def adopt(self, workspace: Workspace) -> None:
        """The workspace a restore opened: this command's database from now on."""
        self.close()
        self._workspace = workspace

    @property
    def damaged(self) -> bool:
        return self._workspace is not None and bool(self._workspace.damaged)

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


def _backups_hint(path: Path) -> str:
    """For a damaged or missing database: where its backups are, if it has any."""
    try:
        found = Workspace.backups_of(path)
    except OSError:
        return ""
    if not found:
        return ""
    return (f"\n  It has {len(found)} backup{'s' * (len(found) != 1)}, the latest made "
            f"{found[0].made:%Y-%m-%d %H:%M}: list them with `annotator backups`, put one "
            "back with `annotator restore FILE` (or its number in that list).")


class _Commands(click.Group):
    """Every problem the user can act on ends a command as a message and exit status 1,
    never a traceback. On a database known to be damaged, whatever reading it raises is
    part of that damage, and is said as such."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`annotator NAME.annot` (a database file and no command, as a double-click
        gives it) opens that database in the window, as `--db NAME.annot` does."""
        if args and not args[0].startswith("-") and args[0] not in self.commands and (
                Path(args[0]).suffix.lower() in (".annot", ".db") or Path(args[0]).is_file()):
            args = ["--db", args[0], *args[1:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AnnotatorError as e:
            raise click.ClickException(str(e)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as e:
            if isinstance(ctx.obj, Context) and ctx.obj.damaged:
                raise click.ClickException(
                    f"the database {ctx.obj.db_path} is damaged, and reading it failed "
                    f"({type(e).__name__}: {e}). Restore a backup."
                    + _backups_hint(ctx.obj.db_path)) from None
            raise


@click.group(cls=_Commands, invoke_without_command=True)
@click.version_option(__version__, prog_name="annotator")
@click.option("--db", "db_option", metavar="PATH", envvar=DB_ENV,
              help=f"Database file (default: your user data folder; env {DB_ENV}).")
@click.pass_context
def main(ctx: click.Context, db_option: str | None) -> None:
    """Annotate reviews: highlight spans, tag them, export datasets, measure agreement.

    With no command, opens the annotation window. A file as the first argument is the
    database, as with --db: `annotator mira.annot` opens an annotator's package.
    """
    ctx.obj = Context(db_option)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand not in (None, "gui"):
        gc.enable()  # off while the program started (see __main__.start): a command now
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui)


def has_display() -> bool:
    if sys.platform in ("darwin", "win32") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@main.command()
@click.pass_obj
def gui(obj: Context) -> None:
    """Open the annotation window."""
    if not has_display():
        raise click.ClickException(
            "no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot "
            "open.\n  On a server, run it on a virtual screen:  xvfb-run annotator\n"
            "  or without any screen (for scripts):  QT_QPA_PLATFORM=offscreen annotator\n"
            "  The other commands (import, export, agreement, stats) need no display."
        )
    workspace = obj.workspace()
    from annotator.ui.app import run  # Qt is loaded only for the window

    code = run(workspace)
    obj.close()
    sys.exit(code)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(reader_keys()),
              help="Read every file as this format (default: told by extension and content).")
@click.option("--annotator", metavar="NAME",
              help="Who made the annotations that a file attributes to no one "
                   "(doccano, brat).")
@click.option("--offsets", type=click.Choice(UNITS),
              help="How the files count offsets (default: as each format's tools do: UTF-16 "
                   "units for doccano and Label Studio, code points for the rest): code "
                   "points (Python, spaCy, brat, Prodigy), UTF-16 units (JavaScript tools) "
                   "or grapheme clusters (doccano's \"count grapheme clusters\").")
@click.option("--text-column", metavar="NAME",
              help="CSV/TSV: the column holding the review (default: text, review, or the "
                   "first column of long text).")
@click.option("--title-from", type=click.Choice(["line", "filename"]), default="line",
              show_default=True, help=".txt/.md: title from the first line or the file name.")
@click.option("--clean", is_flag=True,
              help="Tidy raw text: trailing spaces, runs of blank lines and repeated "
                   "paragraphs go. Documents that come with spans are never changed.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=50, show_default=True,
              help="Refuse files read whole (texts, web pages, JSON documents) larger "
                   "than this many megabytes; JSONL and CSV/TSV record streams are read "
                   "record by record and bounded by --max-total-mb instead.")
@click.option("--max-total-mb", type=click.FloatRange(min=0.001), default=2048,
              show_default=True,
              help="Read at most this many megabytes in all, files and archive members "
                   "together; what comes after is not read.")
@click.option("--max-spans", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Refuse a file with a document holding more spans than this.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def import_command(obj: Context, paths: tuple[Path, ...], fmt: str | None,
                   annotator: str | None, offsets: str | None, text_column: str | None,
                   title_from: str, clean: bool, max_mb: float, max_total_mb: float,
                   max_spans: int, as_json: bool) -> None:
    """Import reviews from files, folders and .zip archives.

    Reads .txt/.md, web pages (.html), spreadsheets (.csv/.tsv), brat (.txt + .ann), and
    JSON/JSONL from Annotator, doccano, Prodigy and Label Studio, with their annotations.
    Each file is imported whole or not at all; Ctrl+C stops after keeping the files done.
    Exit status 1 if any file failed.
    """
    from annotator.io.records import ReadOptions
    from annotator.services.importing import ImportOptions

    workspace = obj.workspace(writing=True)
    options = ImportOptions(
        read=ReadOptions(format=fmt, offsets=offsets, text_column=text_column,
                         title_from=title_from, annotator=annotator),
        clean=clean, max_bytes=int(max_mb * 1024 * 1024),
        max_total_bytes=int(max_total_mb * 1024 * 1024), max_spans=max_spans)
    stop = _StopOnInterrupt()
    bar = _Bar(enabled=not as_json and sys.stderr.isatty())
    with stop:
        report = workspace.import_paths(list(paths), options, _TerminalJob(bar, stop),
                                        as_person=False)
    bar.finish()
    if as_json:
        _print_json(report.as_json())
    else:
        _print_import_summary(report)
    if report.failed or report.cancelled:
        sys.exit(1)


class _StopOnInterrupt:
    """While importing, Ctrl+C asks the import to stop cleanly; a second one forces it."""

    def __init__(self, saying: str = "finished files stay imported, the one being read is "
                 "rolled back") -> None:
        self.stopping, self.saying = False, saying

    def asked(self) -> bool:
        return self.stopping

    def __enter__(self):
        import signal

        def handler(signum, frame):
            if self.stopping:
                raise KeyboardInterrupt
            self.stopping = True
            click.echo(f"\nstopping: {self.saying} (Ctrl+C again to quit at once)", err=True)
        self._previous = signal.signal(signal.SIGINT, handler)
        return self

    def __exit__(self, *exc) -> None:
        import signal

        signal.signal(signal.SIGINT, self._previous)


class _TerminalJob(Job):
    def __init__(self, bar: _Bar, stop: _StopOnInterrupt | None = None) -> None:
        self.bar, self.stop = bar, stop

    def progress(self, done: int, total: int, text: str = "") -> None:
        self.bar.update(done, total, text)

    def cancelled(self) -> bool:
        return self.stop is not None and self.stop.asked()


class _Bar:
    """A progress bar on a terminal, made when the number of files is known."""

    def __init__(self, enabled: bool, label: str = "importing") -> None:
        self.enabled, self.done, self.label = enabled, 0, label
        self.bar: ProgressBar[int] | None = None

    def update(self, done: int, total: int, name: str) -> None:
        if not self.enabled or total < 2:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                         show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _print_import_summary(report) -> None:
    rows = [(f.status, str(f.documents), str(f.spans + f.merged_spans),
             str(len(f.duplicates)), f.path) for f in report.files]
    if rows:
        head = ("status", "documents", "spans", "duplicates", "file")
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
        for row in [head, *rows]:
            click.echo("  ".join([row[0].ljust(widths[0]),
                                  *(c.rjust(w) for c, w in zip(row[1:4], widths[1:], strict=True)),
                                  row[4]]))
    problems = [(f, e) for f in report.files for e in f.errors]
    for _, error in problems:
        click.echo(f"error: {error}", err=True)
    for f in report.files:
        if f.skipped_reason:
            click.echo(f"skipped: {f.path}: {f.skipped_reason}")
        for note in f.notes:
            click.echo(f"note: {f.path}: {note}")
        if f.offsets_line:
            click.echo(f"offsets: {f.path}: {f.offsets_line}")
    if report.new_labels:
        click.echo(f"new labels: {', '.join(report.new_labels)}")
    if report.new_annotators:
        click.echo(f"new annotators: {', '.join(report.new_annotators)}")
    click.echo(
        f"imported {report.total('documents')} documents with {report.total('spans')} "
        f"spans from {sum(f.status == 'imported' for f in report.files)} of "
        f"{len(report.files)} files; {sum(len(f.duplicates) for f in report.files)} "
        f"already there ({report.total('merged_spans')} new spans merged into them); "
        f"{len(report.failed)} failed" + ("; cancelled" if report.cancelled else ""))


@main.command("export")
@click.option("--format", "fmt", default="jsonl", show_default=True,
              type=click.Choice(writer_keys()), help="Output format.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write (a new folder for "
                   f"{', '.join(w.key for w in WRITERS if w.kind == FOLDER)}).")
@click.option("--annotator", "annotators", multiple=True, metavar="NAME",
              help="Only these annotators' spans (comma-separated or repeated); default "
                   "everyone, each span keeping its annotator.")
@click.option("--gold", is_flag=True, help="The adjudicated gold set only.")
@click.option("--consensus", type=click.IntRange(min=1), metavar="K",
              help="Only spans at least K annotators made identically (same label, start "
                   "and end).")
@click.option("--consensus-match", type=click.Choice(["exact", "overlap"]), default="exact",
              show_default=True,
              help="With --consensus: identical spans, or the stretch at least K covered.")
@click.option("--done-only", is_flag=True,
              help="Only documents marked done, with the spans of those who marked them.")
@click.option("--labels", multiple=True, metavar="NAMES",
              help="Only these labels (comma-separated or repeated).")
@click.option("--offsets", type=click.Choice(UNITS),
              help="Offsets in code points (Python, spaCy), UTF-16 units (JavaScript tools) "
                   "or grapheme clusters (default: as the format's tools count: UTF-16 units "
                   "for doccano and Label Studio, code points for the rest).")
@click.option("--conll-mode", type=click.Choice(["priority", "columns"]), default="priority",
              show_default=True,
              help="conll: overlapping spans resolved by label order (the losers are "
                   "counted), or one BIO column per label.")
@click.option("--split", metavar="80/10/10",
              help="Split by document into train/dev/test (two or three shares); -o then "
                   "names a new folder with one file per split.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="The same seed gives the same split.")
@click.option("--stratify", is_flag=True,
              help="Keep the mix of labels present alike in every split.")
@click.option("--language", default="en", show_default=True,
              help="spacy: the language of the blank pipeline that tokenises.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def export_command(obj: Context, fmt: str, output: Path, annotators: tuple[str, ...],
                   gold: bool, consensus: int | None, consensus_match: str, done_only: bool,
                   labels: tuple[str, ...],
                   offsets: str | None, conll_mode: str, split: str | None, seed: int,
                   stratify: bool, language: str, as_json: bool) -> None:
    """Export documents and their spans as a dataset other tools load as it is."""
    from annotator.services.exporting import ExportOptions

    shares = None
    if split:
        try:
            shares = tuple(int(part) for part in split.split("/"))
        except ValueError:
            raise click.BadParameter(f"{split!r} is not shares like 80/10/10",
                                     param_hint="--split") from None
    options = ExportOptions(
        annotators=list(_names(annotators)), gold=gold, consensus=consensus,
        consensus_match=consensus_match, done_only=done_only, labels=list(_names(labels)),
        offsets=offsets, conll_mode=conll_mode, split=shares, seed=seed, stratify=stratify,
        language=language)
    bar = _Bar(enabled=not as_json and sys.stderr.isatty(), label="exporting")
    try:
        report = obj.workspace().export(fmt, output, options, _TerminalJob(bar))
    except AnnotatorError as e:
        raise click.ClickException(str(e)) from None
    finally:
        bar.finish()
    if as_json:
        _print_json(report.as_json())
        return
    click.echo(f"wrote {report.documents} documents with {report.spans} spans to {output}")
    click.echo(report.offsets_line)
    if report.splits:
        click.echo("splits: " + ", ".join(f"{name} {n}" for name, n in report.splits.items()))
    for reason, count in report.not_written.items():
        click.echo(f"not written: {count} span{'s' * (count != 1)}: {reason}")
    for reason, count in report.adjusted.items():
        click.echo(f"written changed: {count} span{'s' * (count != 1)}: {reason}")


def _names(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeated options or comma-separated lists: --annotators mira,tomasz."""
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


@main.command()
@click.option("--annotators", "names", multiple=True, metavar="NAMES",
              help="Compare these annotators (comma-separated or repeated); default "
                   "everyone at work but gold.")
@click.option("--labels", multiple=True, metavar="NAMES",
              help="Only these labels (comma-separated or repeated); default all.")
@click.option("--docs", type=click.Choice(["done", "all"]), default="done", show_default=True,
              help="done: documents every one of them marked done; all: documents every "
                   "one of them touched.")
@click.option("--measure", type=click.Choice([m.key for m in MEASURES]),
              default=MEASURES[0].key, show_default=True,
              help="The measure of the annotator x annotator matrix.")
@click.option("--all-text", is_flag=True,
              help="Character measures over every character, not only text someone "
                   "labelled (long unlabelled stretches then inflate agreement).")
@click.option("--per-document", is_flag=True, help="Also list every document, worst first.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Write a self-contained HTML report (tables and heatmap).")
@click.option("--json", "as_json", is_flag=True, help="Print every figure and its scope as JSON.")
@click.pass_obj
def agreement(obj: Context, names: tuple[str, ...], labels: tuple[str, ...], docs: str,
              measure: str, all_text: bool, per_document: bool, report_path: Path | None,
              as_json: bool) -> None:
    """Agreement between annotators: unitizing alpha, character alpha and kappa, span F1.

    Per label and overall, with the disagreement split into boundaries, labels and
    presence, and a reading in words.
    """
    from annotator.agreement.measures import measure as measure_named
    from annotator.services.agreement import Scope

    scope = Scope(_names(names), docs, _names(labels), labelled_only=not all_text)
    try:
        report = obj.workspace().agreement(scope)
    except AnnotatorError as e:
        raise click.ClickException(str(e)) from None
    data = report.as_json()
    if report_path is not None:
        from annotator.io.writers.agreement_html import write_agreement_html

        try:
            report_path.write_text(write_agreement_html(data, measure), encoding="utf-8")
        except OSError as e:
            raise click.ClickException(f"cannot write {report_path}: {e.strerror or e}"
                                       ) from None
    if as_json:
        _print_json(data)
        return
    for line in report.reading:
        click.echo(line)
    # Every measure in the registry's order; the verdict follows the first (unitizing alpha).
    first, *rest = MEASURES
    heads = ("label", first.heading, "verdict", *(m.heading for m in rest), "bound/label/pres")
    rows = []
    from annotator.services.agreement import verdict

    for figures in [report.overall, *report.per_label]:
        d = figures.disagreements
        rows.append((figures.label or "overall",
                     _fmt(figures.values.get(first.key)),
                     verdict(figures.values.get(first.key)),
                     *(_fmt(figures.values.get(m.key)) for m in rest),
                     f"{d['boundary']}/{d['label']}/{d['presence']}"))
    click.echo()
    _table(heads, rows)
    click.echo(f"\n{measure_named(measure).name}, pairwise:")
    matrix = report.matrix(measure)
    _table(("", *report.annotators),
           [(a, *(_fmt(v) for v in row)) for a, row in zip(report.annotators, matrix,
                                                            strict=True)])
    if per_document:
        click.echo("\nper document, worst first:")
        _table(("document", "chars", "u-alpha", "F1 overlap"),
               [(d.title[:40], f"{d.characters:,}", _fmt(d.overall.values["unitizing_alpha"]),
                 _fmt(d.overall.values["f1_overlap"])) for d in report.per_document])
    if report_path is not None:
        click.echo(f"\nwrote {report_path}")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _table(heads: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in [heads, *rows]) for i in range(len(heads))]
    for row in [heads, *rows]:
        click.echo("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                             for i, (c, w) in enumerate(zip(row, widths, strict=True))))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def stats(obj: Context, as_json: bool) -> None:
    """Counts of documents, spans and statuses."""
    result = obj.workspace().stats()
    if as_json:
        _print_json(result)
        return
    click.echo(f"{result['database']}: {result['documents']} documents, "
               f"{result['spans']} spans")
    for name, data in result["annotators"].items():
        spans = ", ".join(f"{k} {v}" for k, v in data["spans"].items()) or "no spans"
        status = ", ".join(f"{k} {v}" for k, v in data["status"].items()) or "no status"
        click.echo(f"  {name}: {spans}; documents {status}")
    rows = [row for row in result["progress"] if row["assigned"]]
    if rows:
        click.echo("assigned work:")
        _table(("annotator", "assigned", "done", "time spent", "last activity"),
               [(row["name"], str(row["assigned"]), str(row["done"]),
                 _duration(row["seconds"]), row["last_activity"] or "—") for row in rows])


# --- suggestions (issue 17) -----------------------------------------------------------------
@main.command()
@click.option("--annotator", "name", metavar="NAME",
              help="Whom to suggest to (the one working in this database if left out); in "
                   "blind annotation the recommenders learn from their spans only.")
@click.option("--docs", "query", metavar="QUERY",
              help="Suggest in the documents this search finds (default: every document the "
                   "annotator has not marked done).")
@click.option("--recommenders", metavar="NAMES", default=",".join(RECOMMENDERS),
              show_default=True, help="Which recommenders, comma-separated.")
@click.option("--min-precision", type=click.FloatRange(0, 1), metavar="P",
              help="The cross-validated precision a recommender needs on a label before it "
                   "may suggest it [default: your own setting in this database, 0.5 at "
                   "first].")
@click.option("--evaluate", is_flag=True,
              help="Only print each recommender's cross-validated figures per label.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures (and counts) as JSON.")
@click.pass_obj
def suggest(obj: Context, name: str | None, query: str | None, recommenders: str,
            min_precision: float | None, evaluate: bool, as_json: bool) -> None:
    """Train the recommenders on the annotations so far (seen before, cue lists, a learned
    model), cross-validated by document, and store their suggestions for an annotator; a
    recommender that scores below the precision threshold on a label stays silent."""
    from annotator.services.suggesting import figures

    chosen = tuple(n.strip() for n in recommenders.split(",") if n.strip())
    unknown = [n for n in chosen if n not in RECOMMENDERS]
    if unknown or not chosen:
        raise click.UsageError(f"--recommenders: choose from {', '.join(RECOMMENDERS)}")
    workspace = obj.workspace(writing=not evaluate)
    whom = workspace.me
    if name is not None:
        found = workspace.annotator_by_name(" ".join(name.split()))
        if found is None:
            raise click.ClickException(f"no annotator called {name!r} in this database")
        whom = found
    training = workspace.suggestions.train(None, chosen, min_precision, whom)
    result: dict = {"annotator": whom.name, "blind": training.blind,
                    "documents_learned_from": training.documents,
                    "spans_learned_from": training.spans,
                    "seconds": round(training.seconds, 3),
                    "min_precision": training.suggester.min_precision,
                    "figures": figures(training)}
    if not evaluate:
        if query:
            doc_ids = workspace.document_ids(query)
            if not doc_ids:
                raise click.ClickException(f"no document matches {query!r}")
        else:
            done = set(workspace.done_ids(whom.uuid))
            doc_ids = [i for i in workspace.document_ids("") if i not in done]
        result["documents"] = len(doc_ids)
        result["open_suggestions"] = workspace.suggestions.refresh(doc_ids)
    if as_json:
        _print_json(result)
        return
    click.echo(f"learned from {training.spans} spans in {training.documents} documents"
               f"{' (blind: ' + whom.name + chr(39) + 's own)' if training.blind else ''}"
               f" in {training.seconds:.1f} s; precision threshold "
               f"{training.suggester.min_precision:.2f}")
    _table(("recommender", "label", "examples", "precision", "recall", "F1", "suggests"),
           [(RECOMMENDERS[row["recommender"]], row["label"], str(row["examples"]),
             _fmt(row["precision"]), _fmt(row["recall"]), _fmt(row["f1"]),
             "yes" if row["suggests"] else f"no: {row['why_silent']}")
            for row in result["figures"]])
    if not evaluate:
        click.echo(f"{result['open_suggestions']} open suggestions for {whom.name} in "
                   f"{result['documents']} documents")


# --- team work (issue 16): assignment and annotators' packages ----------------------------
def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02} min" if minutes >= 60 else f"{minutes} min"


@main.command()
@click.option("--annotators", "names", multiple=True, required=True, metavar="NAMES",
              help="Who gets documents (comma-separated or repeated); new names become new "
                   "annotators.")
@click.option("--overlap", type=float, metavar="FRACTION",
              help="This fraction of the documents goes to everyone (agreement is measured "
                   "on them); the rest are split between the annotators.")
@click.option("--per-document", type=click.IntRange(min=1), metavar="K",
              help="Each document goes to K different annotators.")
@click.option("--seed", type=int, required=True,
              help="The same seed (with the same documents and annotators) gives the same "
                   "plan.")
@click.option("--docs", "query", metavar="QUERY",
              help="Only the documents this search finds, as the document list's filter "
                   "does (default: every document).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole plan as JSON.")
@click.pass_obj
def assign(obj: Context, names: tuple[str, ...], overlap: float | None,
           per_document: int | None, seed: int, query: str | None, as_json: bool) -> None:
    """Share the documents between annotators, reproducibly: either --overlap (a fraction
    everyone annotates, the rest split) or --per-document K. A plan replaces the earlier
    assignments of the documents it covers."""
    if (overlap is None) == (per_document is None):
        raise click.UsageError("give either --overlap FRACTION or --per-document K")
    result = obj.workspace(writing=True).assign(_names(names), seed, overlap=overlap,
                                                per_document=per_document, query=query,
                                                as_person=False)
    if as_json:
        _print_json(result.as_json())
        return
    how = (f"overlap {result.value:g}" if result.mode == "overlap"
           else f"{int(result.value)} per document")
    click.echo(f"assigned {len(result.plan)} documents ({how}, seed {result.seed}); "
               f"{result.shared} shared")
    counts = result.counts()
    _table(("annotator", "documents", "shared"),
           [(a.name, str(counts[a.uuid][0]), str(counts[a.uuid][1]))
            for a in result.annotators])
    if result.new_annotators:
        click.echo(f"new annotators: {', '.join(result.new_annotators)}")
    if result.replaced:
        click.echo(f"replaced the earlier assignments of {result.replaced} documents")


@main.command()
@click.option("--for", "name", metavar="NAME", help="The annotator whose package to make.")
@click.option("--all", "everyone", is_flag=True,
              help="One package per annotator with documents assigned, into the folder -o "
                   "names (NAME.annot each).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The package file to write (NAME.annot); with --all, a folder.")
@click.option("--force", is_flag=True, help="Replace a package file that exists.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_obj
def bundle(obj: Context, name: str | None, everyone: bool, output: Path, force: bool,
           as_json: bool) -> None:
    """Make an annotator's package: one file with their assigned documents, the label set,
    the guidelines and who they are, to annotate offline (`annotator NAME.annot`) and
    merge back."""
    if (name is None) == (not everyone):
        raise click.UsageError("give either --for NAME or --all")
    workspace = obj.workspace()
    if everyone:
        names = workspace.names()
        people = sorted(names[uuid] for uuid in workspace.assignments() if uuid in names)
        if not people:
            raise click.ClickException("no annotator has documents assigned: assign some "
                                       "first (`annotator assign`)")
        targets = [(person, output / f"{_file_name(person)}.annot") for person in people]
    else:
        assert name is not None
        targets = [(name, output)]
    reports = [workspace.create_bundle(person, path, force) for person, path in targets]
    if as_json:
        _print_json([r.as_json() for r in reports] if everyone else reports[0].as_json())
        return
    for r in reports:
        version = (f"guidelines version {r.info.guidelines_version}"
                   if r.info.guidelines_version is not None else "no guidelines yet")
        click.echo(f"wrote {r.path}: {r.info.annotator_name}'s {r.info.documents} documents, "
                   f"{r.labels} labels, {version}"
                   + (f", {r.spans} spans already made" if r.spans else "")
                   + f" ({r.seconds:.1f} s)")


def _file_name(name: str) -> str:
    """An annotator's name as a file name on every system."""
    kept = "".join(c if c.isalnum() or c in "-_. " else "_" for c in name).strip(" .")
    return kept or "annotator"


@main.command("merge")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(path_type=Path),
              metavar="PROJECT.db", help="The project database to merge into.")
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
@click.option("--allow-new-documents", is_flag=True,
              help="Add documents the project does not have (else they are left out, and a "
                   "package sharing no document with the project is refused).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def merge_command(obj: Context, paths: tuple[Path, ...], into: Path, dry_run: bool,
                  allow_new_documents: bool, as_json: bool) -> None:
    """Merge annotators' packages (A.annot B.annot ...) into the project database: spans,
    statuses and deletions by UUID, the later edit winning; a backup first, and all or
    nothing (Ctrl+C rolls it all back). Exit status 1 if nothing could be merged."""
    if not into.exists() or into.stat().st_size == 0:
        raise click.ClickException(f"{into} does not exist: name the project database to "
                                   "merge into")
    workspace = Workspace.open(into)
    obj.adopt(workspace)
    for note in workspace.notes:
        click.echo(f"note: {note}", err=True)
    stop = _StopOnInterrupt("the merge is rolled back: nothing is written")
    bar = _Bar(enabled=not as_json and sys.stderr.isatty(), label="merging")
    with stop:
        report = workspace.merge(paths, dry_run=dry_run,
                                 allow_new_documents=allow_new_documents,
                                 job=_TerminalJob(bar, stop), as_person=False)
    bar.finish()
    if as_json:
        _print_json(report.as_json())
        return
    _print_merge(report)


def _print_merge(report) -> None:
    head = "would change" if report.dry_run else "merged into"
    click.echo(f"{head} {report.target}" + (f" (backup: {report.backup})"
                                            if report.backup else ""))
    for source in report.sources:
        made = f", made {source.made_at}" if source.made_at else ""
        who = f" ({source.annotator}{made})" if source.annotator else made
        click.echo(f"{source.path}{who}: {source.documents_matched} documents matched, "
                   f"{source.documents_added} added, {source.documents_skipped} left out")
        if source.guidelines_version is not None:
            click.echo(f"  guidelines version {source.guidelines_version}")
        for kind, names in (("labels", source.labels_added),
                            ("annotators", source.annotators_added)):
            if names:
                click.echo(f"  {kind} added: {', '.join(names)}")
        for clash in source.name_clashes:
            click.echo(f"  {clash.kind} name {clash.name!r} belongs to another {clash.kind} "
                       f"in the project: kept apart as {clash.kept_as!r}")
        for a in source.annotators:
            click.echo(f"  {a.name}: spans +{a.spans_added} ~{a.spans_changed} "
                       f"-{a.spans_deleted}, statuses {a.statuses_changed}, conflicts "
                       f"{len(a.conflicts)}")
            for c in a.conflicts:
                theirs = ("deleted" + (f" ({c.deleted_at})" if c.deleted_at else "")
                          if c.source is None else _span_version(c.source))
                kept = "project's" if c.winner == "target" else "package's"
                click.echo(f"    conflict ({c.kind}) in {c.document!r}: project "
                           f"{_span_version(c.target)}; package {theirs}; kept the {kept}")
        for note in source.notes:
            click.echo(f"  note: {note}")
    verb = "would add" if report.dry_run else "added"
    click.echo(f"{verb} {report.total('spans_added')} spans, changed "
               f"{report.total('spans_changed')}, deleted {report.total('spans_deleted')}; "
               f"{report.total('statuses_changed')} statuses; {report.documents_added} "
               f"documents; {len(report.conflicts)} conflicts")


def _span_version(version) -> str:
    note = f", note {version.note!r}" if version.note else ""
    return f"{version.label} {version.start}-{version.end}{note} ({version.modified})"


@main.command()
@click.argument("query", default="")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Show at most this many documents, best first.")
@click.option("--label", metavar="NAME", help="Only documents with a span of this label.")
@click.option("--annotator", metavar="NAME",
              help="Only documents this annotator has spans in (with --label or "
                   "--has-note: such spans of theirs; with --status alone: this annotator's "
                   "status).")
@click.option("--status", type=click.Choice([s.value for s in Status]),
              help="Only documents with this status (anyone's, or --annotator's).")
@click.option("--has-note", is_flag=True, help="Only documents with a span that has a note.")
@click.option("--disagreement", is_flag=True,
              help="Only documents where annotators disagree (gold left out): two or more "
                   "made spans, and not all of them made the same ones.")
@click.option("--json", "as_json", is_flag=True, help="Print the documents as JSON.")
@click.pass_obj
def search(obj: Context, query: str, limit: int, label: str | None, annotator: str | None,
           status: str | None, has_note: bool, disagreement: bool, as_json: bool) -> None:
    """Documents whose title, text or span notes match QUERY, best first, with a snippet
    (from the notes, after "note:", when that is where the match is).

    \b
    QUERY: words (all must match), "a phrase", a prefix (harb*), OR, NOT;
    any case, accents ignored (cafe finds café). Quote it for the shell:
      annotator search '"the ending" OR twist*'
    With filters only, QUERY may be left out: the documents they leave, in order.
      annotator search --disagreement --label spoiler
    """
    workspace = obj.workspace()
    label_uuid = annotator_uuid = None
    if label is not None:
        found = next((item for item in workspace.labels() if item.name == label), None)
        if found is None:
            raise click.UsageError(f"there is no label named {label!r}")
        label_uuid = found.uuid
    if annotator is not None:
        person = workspace.annotator_by_name(annotator)
        if person is None:
            raise click.UsageError(f"there is no annotator named {annotator!r}")
        annotator_uuid = person.uuid
    chosen = Status(status) if status else None
    narrow = DocumentFilter(
        label_uuid,
        # --annotator with --status alone names whose status, as before --has-note
        annotator_uuid if label_uuid or has_note or chosen is None else None,
        chosen, annotator_uuid, has_note, disagreement)
    if not query.strip() and not narrow:
        raise click.UsageError("give words to search for, or a filter (--label, "
                               "--annotator, --status, --has-note, --disagreement)")
    hits = workspace.search_hits(query, limit, narrow=narrow)
    if as_json:
        _print_json([{"id": h.id, "title": h.title, "snippet": h.snippet} for h in hits])
        return
    if not hits:
        click.echo(f"No document matches {query}." if query.strip()
                   else "No document passes those filters.")
        return
    for hit in hits:
        click.echo(f"{hit.id:>6}  {hit.title}\n        {hit.snippet}")


# --- backups and checks --------------------------------------------------------------------
@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the backup to this new file instead of among the database's "
                   "backups (it is then not counted in the rotation).")
@click.option("--list", "as_list", is_flag=True, help="List the backups instead.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def backup(ctx: click.Context, output: Path | None, as_list: bool, as_json: bool) -> None:
    """Back the database up now, with SQLite's online backup API (safe while it is in use).

    Backups are also made by themselves: once a day when the database is opened (the last
    7 days are kept), and before every upgrade, merge and restore. Listed by
    `annotator backups`.
    """
    if as_list:
        ctx.invoke(backups, as_json=as_json)
        return
    made = ctx.obj.workspace().backup(output)
    if as_json:
        _print_json(made.as_json())
        return
    click.echo(f"backed up {ctx.obj.db_path} to {made.path} ({size_text(made.size)})")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def backups(obj: Context, as_json: bool) -> None:
    """List the database's backups, newest first: when, why, size and file. For a
    database that cannot be opened or is missing, the backups of every database kept at
    its path, each saying which database it is of and what it holds."""
    found, mine = _backups_of(obj)
    if as_json:
        _print_json([b.as_json() for b in found])
        return
    if not obj.exists:
        click.echo(f"{obj.db_path} does not exist; the backups of what was kept there are "
                   "listed.", err=True)
    if not found:
        click.echo(f"no backups of {obj.db_path} yet")
        return
    if all(b.database == mine and not b.holds for b in found):  # its own, opened
        _table(("#", "made", "why", "size", "file"),
               [(str(i), f"{b.made:%Y-%m-%d %H:%M:%S}", b.description, size_text(b.size),
                 str(b.path)) for i, b in enumerate(found, start=1)])
        return
    _table(("#", "made", "why", "database", "holds", "size", "file"),
           [(str(i), f"{b.made:%Y-%m-%d %H:%M:%S}", b.description, _whose(b.database, mine),
             b.holds, size_text(b.size), str(b.path)) for i, b in enumerate(found, start=1)])
    if len({b.database for b in found}) > 1:
        click.echo("These are backups of more than one database kept at this path: restore "
                   "one of the database you mean (see the database column).")


def _whose(database: str | None, mine: str | None) -> str:
    if database is None:
        return "not known"
    return f"{database[:8]} (this one)" if database == mine else database[:8]


def _backups_of(obj: Context) -> tuple[list, str | None]:
    """The backups of the database, and its identity: also when it cannot be opened, or
    is missing (found by its path, without creating a database there)."""
    if obj.exists:
        try:
            workspace = obj.workspace()
        except click.ClickException:
            pass
        else:
            return workspace.backups(), workspace.database_uuid
    return Workspace.backups_of(obj.db_path), Workspace.identity_of(obj.db_path)


@main.command()
@click.argument("backup_file", metavar="FILE")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@click.option("--force", is_flag=True,
              help="Restore it even if it is a backup of another database than the one there "
                   "(that database's identity then replaces this one's).")
@click.pass_obj
def restore(obj: Context, backup_file: str, yes: bool, force: bool) -> None:
    """Put a backup in place of the database: FILE, or its number in `annotator backups`
    (1 = the newest). The database as it is now is backed up first. Also where the
    database is missing (its folder lost) or damaged past opening; never over a database
    of a newer version or another program."""
    path = Path(backup_file).expanduser()
    if not path.exists() and backup_file.isdigit():
        found, _ = _backups_of(obj)
        if not 1 <= int(backup_file) <= len(found):
            raise click.ClickException(f"there is no backup number {backup_file} (see "
                                       "`annotator backups`)")
        path = found[int(backup_file) - 1].path
    workspace: Workspace | None = None
    if obj.exists:
        try:
            workspace = obj.workspace()
        except click.ClickException as e:
            if not isinstance(obj.failure, DatabaseCorrupt):  # newer, another program's
                raise click.ClickException(f"{e.message}\n  Nothing was restored.") from None
            click.echo(e.message, err=True)  # damaged past opening: the file is replaced
    question = (f"Replace {obj.db_path} with the backup {path}? The database as it is now "
                "is backed up first." if obj.exists else
                f"Put the backup {path} at {obj.db_path} (there is no database there now)?")
    if not yes and not click.confirm(question, default=False):
        raise click.ClickException("nothing was restored")
    replacing = obj.exists
    try:
        if workspace is None:
            obj.adopt(Workspace.restore_over(obj.db_path, path, force=force))
            for note in obj.workspace().notes:
                click.echo(f"note: {note}", err=True)
        else:
            workspace.restore(path, force=force)
    except AnnotatorError as e:
        if not force and isinstance(e, OtherDatabase):
            raise click.ClickException(f"{e}. If it is the one you want all the same, add "
                                       "--force.") from None
        raise
    restored = obj.workspace()
    click.echo(f"restored {path} into {obj.db_path}: {restored.count_documents()} documents, "
               f"{restored.count_spans()} spans." + (
                   " What was there before is kept among the backups (`annotator backups`)."
                   if replacing else ""))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def check(obj: Context, as_json: bool) -> None:
    """Check the whole database for damage: every page, index and reference, and every
    document's text against the text imported. Exit status 1 if anything is wrong."""
    if not obj.exists:
        raise click.ClickException(f"{obj.db_path} does not exist (or is empty): there is "
                                   "nothing to check." + _backups_hint(obj.db_path))
    result = obj.workspace().check()
    if as_json:
        _print_json({"ok": bool(result.ok), "problems": list(result.problems),
                     "seconds": round(result.seconds, 2)})
    elif result.ok:
        click.echo(f"{obj.db_path}: no damage found ({result.seconds:.1f} s)")
    else:
        click.echo(f"{obj.db_path} is damaged:")
        for problem in result.problems:
            click.echo(f"  {problem}")
        click.echo("Restore a backup: `annotator backups` lists them, "
                   "`annotator restore FILE` puts one back.")
    if not result.ok:
        sys.exit(1)
