"""The scenarios `make bench` times, each at several sizes, each against a baseline measured
in the same run. A scenario returns Rows; a row with a target is judged at the size the
issue names, the other sizes show how the cost grows."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from data import annotator, library_db, library_jsonl, long_review, open_workspace, review

from annotator.domain.model import Span, Status, new_uuid
from annotator.domain.offsets import OffsetMap
from annotator.services.importing import ImportOptions

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    scenario: str          # what was timed, without its size
    size: int              # documents, spans, characters: what `unit` says
    unit: str
    ours: float            # seconds, or megabytes when `measure` says so
    baseline: float
    baseline_is: str       # what the baseline is
    target: float | None = None   # the ratio allowed; None: shown, not judged
    limit: float | None = None    # and an absolute limit on ours
    measure: str = "s"            # "s" or "MB" (then target is "+MB over the baseline")
    plot: str | None = None       # the plot's series this row belongs to

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def judged(self) -> bool:
        return self.target is not None or self.limit is not None

    @property
    def passed(self) -> bool:
        if self.measure == "MB":
            return self.target is None or self.ours - self.baseline <= self.target
        return ((self.target is None or self.ratio <= self.target)
                and (self.limit is None or self.ours <= self.limit))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best(fn: Callable[[], object], runs: int = 5) -> float:
    """The least disturbed of `runs`, after one to warm caches."""
    fn()
    return min(timed(fn) for _ in range(runs))


def _against(tmp: Path, name: str, ours, bare, runs: int = 2) -> tuple[float, float]:
    """Best of `runs` each, every run on a new database."""
    times, bases = [], []
    for run in range(runs):
        workspace = open_workspace(tmp / f"{name}-{run}.db")
        start = time.perf_counter()
        report = ours(workspace)
        times.append(time.perf_counter() - start)
        assert not report.failed, report.failed[0].errors
        workspace.close()
        conn = sqlite3.connect(tmp / f"{name}-bare-{run}.db")
        bases.append(timed(lambda conn=conn: bare(conn)))
        conn.close()
    return min(times), min(bases)


# --- import -------------------------------------------------------------------------------

def import_files(tmp: Path, n: int, judged_at: int = 10_000) -> list[Row]:
    """n review files of about 5 KB, against reading the same files and a bare
    executemany of the same rows."""
    folder = tmp / f"files-{n}"
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:05}.txt").write_text(review(i, 800), encoding="utf-8")

    def bare(conn: sqlite3.Connection) -> None:
        rows = [(new_uuid(), str(i), path.stem, path.read_text(encoding="utf-8"), "{}")
                for i, path in enumerate(sorted(folder.iterdir()))]
        conn.execute("CREATE TABLE d (uuid, hash, title, text, meta)")
        with conn:
            conn.executemany("INSERT INTO d VALUES (?, ?, ?, ?, ?)", rows)
    ours, base = _against(tmp, f"files-{n}", lambda ws: ws.import_paths([folder]), bare)
    judged = n == judged_at
    return [Row("import review files (5 KB each)", n, "files", ours, base,
                "reading the files + bare executemany", 3.0 if judged else None,
                plot="import review files")]


def import_doccano(tmp: Path, spans: int, judged_at: int = 100_000) -> list[Row]:
    """A doccano JSONL, 10 labels a record, UTF-16 offsets as doccano writes them, against a
    bare executemany of the same documents and spans."""
    short = [f"#{i} {review(i, 200)[:1000]}" for i in range(spans // 10)]
    path = tmp / f"doccano-{spans}.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for text in short:
            to16 = OffsetMap(text).to_utf16
            labels = [[to16(k * 40), to16(k * 40 + 20), ("spoiler", "praise")[k % 2]]
                      for k in range(10)]
            f.write(json.dumps({"text": text, "label": labels}) + "\n")

    def bare(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE d (uuid, hash, title, text, meta)")
        conn.execute("CREATE TABLE a (uuid, doc, who, label, start, end)")
        with conn:
            conn.executemany("INSERT INTO d VALUES (?, ?, ?, ?, ?)",
                             [(new_uuid(), str(i), f"Review {i}", t, "{}")
                              for i, t in enumerate(short)])
            conn.executemany("INSERT INTO a VALUES (?, ?, ?, ?, ?, ?)",
                             [(new_uuid(), i, "w", "l", k * 40, k * 40 + 20)
                              for i in range(len(short)) for k in range(10)])
    ours, base = _against(tmp, f"doccano-{spans}", lambda ws: ws.import_paths(
        [path], ImportOptions(max_bytes=200 * 1024 * 1024)), bare)
    return [Row("import doccano spans", spans, "spans", ours, base, "bare executemany",
                3.0 if spans == judged_at else None, plot="import doccano spans")]


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, str(HERE / "child.py"), *args], check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_jsonl(tmp: Path, sizes: list[int], judged_at: int = 100_000,
                 memory: tuple[int, int] | None = (100_000, 1_000_000)) -> list[Row]:
    """A JSONL of short reviews from another tool, against json.loads + executemany of the
    same rows; each import in a process of its own, so that its peak memory is its own.
    `memory`: the two sizes whose peaks are compared (the larger ten times the other, past
    the point where SQLite's page cache, 64 MB, is full)."""
    rows = []
    for n in sizes:
        source = library_jsonl(tmp, n)
        ours = min(_child("import", str(source), str(tmp / f"jsonl-{n}-{run}.db"))["seconds"]
                   for run in range(2))
        bare = min(_child("bare-import", str(source), str(tmp / f"jsonl-bare-{n}-{run}.db")
                          )["seconds"] for run in range(2))
        rows.append(Row("import a JSONL of short reviews", n, "reviews", ours, bare,
                        "json.loads + executemany", 3.0 if n == judged_at else None,
                        plot="import JSONL"))
    if memory:
        small, large = memory
        peaks = {}
        for n in memory:
            source = library_jsonl(tmp, n)
            peaks[n] = (_child("import", str(source), str(tmp / f"jsonl-m-{n}.db"))["peak_mb"],
                        source.stat().st_size / 1e6)
            if n != judged_at:
                source.unlink()
        rows.append(Row(f"peak memory importing a JSONL ({peaks[large][1]:.0f} MB file vs "
                        f"{peaks[small][1]:.0f} MB)", large, "reviews", peaks[large][0],
                        peaks[small][0], f"the same with {small:,}", 50.0, measure="MB"))
    return rows


# --- the window ---------------------------------------------------------------------------

def show_window(app, workspace):
    """The window as `annotator` opens it, 1400 x 900, shown and painted: (window, the
    seconds that took)."""
    from annotator.ui.app import open_window

    start = time.perf_counter()
    win = open_window(workspace)
    win.resize(1400, 900)
    win.show()
    app.processEvents()
    return win, time.perf_counter() - start


def window(tmp: Path, sizes: list[int], app) -> list[Row]:
    """The window shown on a library of n reviews: constructed, shown, painted, the first
    document open; against the same with 10 documents. Best of three, after a warm-up."""

    def shown(db: Path) -> float:
        workspace = open_workspace(db)
        win, seconds = show_window(app, workspace)
        assert win.document_id is not None, "no document open"
        win.close()
        win.deleteLater()
        app.processEvents()
        workspace.close()
        return seconds

    ten = library_db(tmp, 10)
    shown(ten)
    base = min(shown(ten) for _ in range(3))
    rows = []
    for n in sizes:
        db = library_db(tmp, n)
        ours = min(shown(db) for _ in range(3))
        judged = n == 100_000
        rows.append(Row("window shown, first document open", n, "documents", ours, base,
                        "the same with 10 documents", 1.5 if judged else None,
                        1.0 if judged else None, plot="window start"))
    return rows


def window_memory(tmp: Path, n: int) -> list[Row]:
    """Resident memory with the window shown and one document open, each in a new process."""
    ten = _child("window", str(library_db(tmp, 10)))["rss_mb"]
    many = _child("window", str(library_db(tmp, n)))["rss_mb"]
    return [Row("memory with the window shown, one document open", n, "documents", many, ten,
                "the same with 10 documents", 150.0, measure="MB")]


def _screen() -> tuple[subprocess.Popen, str]:
    """An Xvfb screen on a display nobody else uses, once it takes connections; one that
    does not reset when its last client leaves (it would refuse the next one meanwhile)."""
    for number in range(150, 250):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        screen = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1400x900x24",
                                   "-nolisten", "tcp", "-noreset"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        for _ in range(200):
            if screen.poll() is not None:
                break  # taken meanwhile: the next number
            if subprocess.run(["xdotool", "getdisplaygeometry"], capture_output=True,
                              env={**os.environ, "DISPLAY": f":{number}"}).returncode == 0:
                return screen, f":{number}"
            time.sleep(0.05)
        screen.kill()
        screen.wait()
    raise RuntimeError("no display could be started for Xvfb")


def cold_start(tmp: Path, sizes: list[int], runs: int = 5) -> list[Row]:
    """`annotator` from launch to its window visible on an X screen (Xvfb, xdotool), against
    a bare QApplication with an empty QMainWindow in the same venv. Min of `runs`."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        print("skip cold start: needs Xvfb and xdotool", file=sys.stderr)
        return []
    screen, display = _screen()
    home = tmp / "cold-home"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=display, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), ANNOTATOR_BACKUPS=str(home / "backups"))
    annotator_cmd = str(Path(sys.executable).with_name("annotator"))
    bare_cmd = [sys.executable, "-c",
                "from PySide6.QtWidgets import QApplication, QMainWindow\n"
                "app = QApplication([])\nw = QMainWindow()\nw.resize(1400, 900)\nw.show()\n"
                "app.exec()"]

    def visible(cmd: list[str]) -> float:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        try:
            while True:
                found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                                        str(proc.pid)], env=env, capture_output=True)
                if found.returncode == 0:
                    return time.perf_counter() - start
                if proc.poll() is not None:
                    raise RuntimeError(f"{cmd[0]} ended before its window showed: "
                                       f"{proc.communicate()[1][:1500]}")
                if time.perf_counter() - start > 60:
                    raise RuntimeError(f"{cmd[0]} showed no window in 60 s")
                time.sleep(0.005)
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.communicate()

    rows = []
    try:
        samples = tmp / "cold-samples.db"
        visible([annotator_cmd, "--db", str(samples)])  # a new database: the samples go in
        base = min(visible(bare_cmd) for _ in range(runs))
        for n in sizes:
            db = samples if n == 0 else library_db(tmp, n)
            ours = min(visible([annotator_cmd, "--db", str(db)]) for _ in range(runs))
            rows.append(Row("cold start to a visible window" + (" (the samples)" if n == 0
                                                                  else ""),
                            n, "documents", ours, base, "bare QApplication + QMainWindow",
                            # The measure is the samples; a large library adds
                            # SQLite's quick check at open (see benchmarks/notes.md).
                            2.5 if n == 0 else None, 1.0, plot=None))
    finally:
        screen.terminate()
        screen.wait()
    return rows


# --- search -------------------------------------------------------------------------------

def search(tmp: Path, n: int, judged_at: int = 100_000) -> list[Row]:
    """Search n reviews as the document list does while typing (every matching id, in
    order) and as `annotator search` does (the best 20, with snippets), against the LIKE
    scan the list used before the index. Best of five, after a first run."""
    db = library_db(tmp, n)
    workspace = open_workspace(db)
    conn = sqlite3.connect(db)  # the baseline: the same table, scanned

    def like(text: str) -> float:
        pattern = f"%{text}%"
        return best(lambda: conn.execute(
            "SELECT id FROM documents WHERE (title LIKE ? OR text LIKE ?) ORDER BY +id",
            (pattern, pattern)).fetchall())

    judged = n == judged_at
    rows = []
    for what, typed, query, scanned in (("a word", "harbour", "harbour", "harbour"),
                                        ("a phrase", '"quiet harbour"', '"quiet harbour"',
                                         "quiet harbour"),
                                        ("a prefix", "harb", "harb*", "harb")):
        base = like(scanned)
        rows.append(Row(f"filter the list while typing {what} ({typed})", n, "reviews",
                        best(lambda typed=typed: workspace.document_ids(typed)), base,
                        "a LIKE scan", 0.1 if judged else None, 0.05 if judged else None,
                        plot=f"search, {what}" if what != "a phrase" else None))
        rows.append(Row(f"annotator search {what} ({query}), best 20 with snippets", n,
                        "reviews", best(lambda query=query: workspace.search_hits(query, 20)),
                        base, "a LIKE scan", 0.1 if judged else None,
                        0.05 if judged else None))
    conn.close()
    workspace.close()
    return rows


# --- the workbench ------------------------------------------------------------------------

def workbench(tmp: Path, sizes: list[int], app) -> list[Row]:
    """Reviews of each size (characters) opened and painted in the real window, as imported
    (no spans) and with a span every 100 characters, against a bare setPlainText of the same
    text; at 1 MB also adding a span with 10,000 present, and scrolling."""
    from PySide6.QtWidgets import QPlainTextEdit

    from annotator.io.records import DocumentRecord
    from annotator.services.importing import import_records

    bare = QPlainTextEdit()
    bare.resize(1000, 800)
    bare.show()
    rows = []
    for size in sizes:
        text = long_review(size)
        spans = size // 100
        workspace = open_workspace(tmp / f"workbench-{size}.db")
        store = workspace.store
        me = workspace.me
        doc_id = import_records(store, [DocumentRecord(text=text, title="Long")], "bench",
                                ImportOptions(max_bytes=64 * 1024 * 1024)).document_ids[0]
        labels = workspace.labels()
        runs = 5 if size <= 1_000_000 else 2

        def bare_open(text: str = text) -> None:
            bare.setPlainText(text)
            app.processEvents()
        baseline = min(timed(bare_open) for _ in range(runs))
        bare.setPlainText("")

        win, _ = show_window(app, workspace)

        def open_and_paint(win=win, doc_id=doc_id) -> None:
            win.document_id = None  # open afresh, not from the per-document cache
            win.open_document(doc_id)
            app.processEvents()  # one turn of the event loop: what changed repaints
        if size == 10_000_000:  # the 10 MB review, as imported: no spans yet
            rows.append(Row("open and paint, no spans yet", size, "characters",
                            min(timed(open_and_paint) for _ in range(runs)), baseline,
                            "bare setPlainText", 2.0, plot="open a review, no spans"))
        elif size < 10_000_000:
            rows.append(Row("open and paint, no spans yet", size, "characters",
                            min(timed(open_and_paint) for _ in range(runs)), baseline,
                            "bare setPlainText", plot="open a review, no spans"))
        step = len(text) // spans

        def end(i: int, step: int = step) -> int:
            return i * step + step // 2 + (step if i % 7 == 0 else 0)
        store.spans.add([Span(new_uuid(), doc_id, me.uuid, labels[i % 4].uuid, i * step,
                              end(i), text[i * step:end(i)]) for i in range(spans)], me.uuid)
        opened = min(timed(open_and_paint) for _ in range(runs))
        if size == 1_000_000:  # the issue before this one set 150 ms, 5x, for this one
            rows.append(Row("open and paint, a span every 100 characters", size,
                            "characters", opened, baseline, "bare setPlainText", 5.0, 0.150,
                            plot="open a review, spans every 100 chars"))
            rows += _edit_and_scroll(app, win, labels, step, spans, text, bare)
        else:
            rows.append(Row("open and paint, a span every 100 characters", size,
                            "characters", opened, baseline, "bare setPlainText",
                            plot="open a review, spans every 100 chars"))
        win.close()
        win.deleteLater()
        app.processEvents()
        workspace.close()
    bare.close()
    return rows


def _edit_and_scroll(app, win, labels, step: int, spans: int, text: str, bare) -> list[Row]:
    view = win.view
    label = labels[1]
    gaps = [i * step + step // 2 + 2 for i in range(1, spans, spans // 20) if i % 7]

    def add_one(at: int) -> float:
        view.select_range(at, at + 3)
        app.processEvents()  # the selection scrolled the view: that repaint is not the edit's
        start = time.perf_counter()
        win.apply_label(label)
        app.processEvents()
        return time.perf_counter() - start
    added = sorted(add_one(at) for at in gaps)[len(gaps) // 2]

    def scroll(widget) -> float:
        bar = widget.verticalScrollBar()
        bar.setValue(0)
        start = time.perf_counter()
        for _ in range(50):
            bar.setValue(bar.value() + bar.pageStep())
            widget.viewport().repaint()
        return (time.perf_counter() - start) / 50
    bare.setPlainText(text)
    scroll_bare = scroll(bare)
    scroll_ours = scroll(view)
    bare.setPlainText("")
    assert view.verticalScrollBar().value() > 0
    return [
        Row("add one span with 10,000 present (key to painted and saved)", spans, "spans",
            added, 0.016, "one frame (16 ms)", 1.0, 0.016),
        # No absolute limit: the bare editor alone takes 7-14 ms a page on this machine.
        Row("scroll one page through 1 MB with spans", spans, "spans", scroll_ours,
            scroll_bare, "the bare editor", 3.0),
    ]


# --- agreement ----------------------------------------------------------------------------

def _annotated(tmp: Path, name: str, lengths: list[int]) -> object:
    """Documents of the given lengths, 3 annotators, 4 labels, a span about every 100
    characters from each (85% of the time, with jitter), all marked done."""
    import random

    workspace = open_workspace(tmp / f"{name}.db")
    store = workspace.store
    folder = tmp / name
    folder.mkdir()
    for i, length in enumerate(lengths):
        text = (review(i, length // 5 + 20) + " ")[:length]
        (folder / f"{i:05}.txt").write_text(f"{text[:-7]}#{i:05} ", encoding="utf-8")
    workspace.import_paths([folder])
    labels = workspace.labels()
    rng = random.Random(7)
    people = [annotator(workspace, who) for who in ("ann", "bo", "cy")]
    spans, statuses = [], []
    sizes = store.documents.lengths(workspace.document_ids())
    for doc_id in workspace.document_ids():
        for start in range(0, sizes[doc_id] - 100, 100):
            label = labels[(start // 100) % 4].uuid
            for who in people:
                if rng.random() < 0.85:
                    s = start + rng.randint(0, 6)
                    e = s + rng.randint(20, 80)
                    spans.append(Span(new_uuid(), doc_id, who.uuid, label, s, e, "x", None,
                                      "t", "t"))
        statuses += [(doc_id, who) for who in people]
    store.spans.add(spans, None)
    with store.transaction():
        for doc_id, who in statuses:
            store.statuses.set(doc_id, who.uuid, Status.DONE, None)
    return workspace


def agreement(tmp: Path, characters: list[int], documents: list[int]) -> list[Row]:
    """Every agreement figure (per label, pair and document) on long documents (20,000
    characters each) and on many short ones (300 to 1,500 characters)."""
    from annotator.services.agreement import Scope

    cases = [(f"agree-long-{total}", [20_000] * (total // 20_000), total, "characters",
              "agreement, every figure, 3 annotators x 4 labels", 1.0, total == 1_000_000,
              "agreement, 20,000-character documents") for total in characters]
    cases += [(f"agree-short-{n}", [300 + (i * 397) % 1200 for i in range(n)], n,
               "documents", "agreement with per-document figures, short documents", 2.0,
               n == 2_000, "agreement, short documents") for n in documents]
    rows = []
    for name, lengths, size, unit, what, limit, judged, plot in cases:
        workspace = _annotated(tmp, name, lengths)
        ours = min(timed(lambda ws=workspace: ws.agreement(Scope())) for _ in range(3))
        workspace.close()
        rows.append(Row(what, size, unit, ours, limit, f"{limit:g} s",
                        1.0 if judged else None, limit if judged else None, plot=plot))
    return rows


def alpha(tmp: Path, n: int = 1_000_000) -> list[Row]:
    """Character-level alpha against the krippendorff package on the same data."""
    import krippendorff
    import numpy as np

    from annotator.agreement import krippendorff_alpha_from_codes

    rng = np.random.default_rng(3)
    truth = rng.integers(0, 5, n)
    codes = np.where(rng.random((3, n)) < 0.8, truth, rng.integers(0, 5, (3, n)))
    data = codes.astype(float)
    ours = min(timed(lambda: krippendorff_alpha_from_codes(codes)) for _ in range(3))
    theirs = min(timed(lambda: krippendorff.alpha(reliability_data=data,
                                                  level_of_measurement="nominal"))
                 for _ in range(3))
    return [Row("character alpha, 3 annotators", n, "characters", ours, theirs,
                "the krippendorff package", 1.0)]


# --- export -------------------------------------------------------------------------------

def export(tmp: Path, spans: int, judged_at: int = 100_000) -> list[Row]:
    """Native JSONL export, 10 spans a document, against a bare json.dumps loop over the
    same rows fetched with one query."""
    from annotator.services.exporting import ExportOptions

    workspace = open_workspace(tmp / f"export-{spans}.db")
    store = workspace.store
    folder = tmp / f"export-in-{spans}"
    folder.mkdir()
    for i in range(spans // 10):
        (folder / f"{i:05}.txt").write_text(f"#{i} " + review(i, 150), encoding="utf-8")
    workspace.import_paths([folder])
    labels = workspace.labels()
    ann = annotator(workspace, "ann")
    store.spans.add([Span(new_uuid(), doc_id, ann.uuid, labels[k % 4].uuid, k * 20,
                          k * 20 + 10, "x" * 10, None, "t", "t")
                     for doc_id in workspace.document_ids() for k in range(10)], None)
    out = tmp / f"export-{spans}.jsonl"
    ours = min(timed(lambda: workspace.export("jsonl", out, ExportOptions())) for _ in range(2))

    def bare() -> None:
        rows = store.conn.execute(  # a span's text is its document's, sliced (schema 3)
            "SELECT d.uuid, d.title, d.text, d.meta, a.uuid, a.label_uuid, a.start, a.\"end\" "
            "FROM documents d LEFT JOIN annotations a ON a.document_id = d.id "
            "ORDER BY d.id").fetchall()
        with open(tmp / "bare.jsonl", "w", encoding="utf-8") as f:
            for row in rows:
                start, end = row[6], row[7]
                text = row[2][start:end] if start is not None else None
                f.write(json.dumps((*row, text), ensure_ascii=False) + "\n")
    baseline = min(timed(bare) for _ in range(2))
    workspace.close()
    return [Row("export as native JSONL", spans, "spans", ours, baseline,
                "bare json.dumps", 2.0 if spans == judged_at else None, plot="export")]


# --- teams: annotator packages and merging them (issue 16) ---------------------------------

def _team(tmp: Path, documents: int, annotators: int) -> tuple[Path, list[str]]:
    """A project of `documents` short reviews, each assigned to one of `annotators` people."""
    db = library_db(tmp, documents)
    names = [f"annotator {i:02}" for i in range(annotators)]
    workspace = open_workspace(db)
    workspace.assign(names, seed=1, per_document=1)
    workspace.close()
    return db, names


def bundle_creation(tmp: Path, documents: int = 5_000) -> list[Row]:
    """One annotator's package of `documents` documents, against the issue's 5 s."""
    (tmp / "bundle-one").mkdir()
    db, names = _team(tmp / "bundle-one", documents, 1)
    workspace = open_workspace(db)
    times = []
    for run in range(2):
        out = tmp / f"bundle-{run}.annot"
        times.append(timed(lambda out=out: workspace.create_bundle(names[0], out)))
    workspace.close()
    judged = documents == 5_000
    return [Row("create an annotator's package", documents, "documents", min(times), 5.0,
                "5 s", 1.0 if judged else None, 5.0 if judged else None)]


def merge_bundles(tmp: Path, bundles: int = 20, documents: int = 5_000,
                  spans: int = 5) -> list[Row]:
    """`bundles` packages of `documents` documents with `spans` spans each, made from one
    project, then merged back into it in a process of its own, a few packages at a time:
    its time against the issue's 60 s, and its memory after 5, 10 and `bundles`."""
    folder = tmp / "team"
    folder.mkdir()
    db, names = _team(folder, bundles * documents, bundles)
    workspace = open_workspace(db)
    paths = []
    for name in names:
        path = folder / f"{name}.annot"
        workspace.create_bundle(name, path)
        paths.append(path)
    workspace.close()
    for path in paths:  # each annotator's work, written straight into their package
        package = open_workspace(path)
        labels = package.labels()
        me = package.me
        lengths = package.store.documents.lengths(package.document_ids())
        package.store.spans.add([
            Span(new_uuid(), doc_id, me.uuid, labels[k % len(labels)].uuid, k * 20,
                 k * 20 + 12, "x" * 12)
            for doc_id in package.document_ids() for k in range(spans)
            if k * 20 + 12 <= lengths[doc_id]], me.uuid)
        package.close()
    steps = [5, 10, bundles] if bundles >= 10 else [bundles]
    result = _child("merge", str(db), ",".join(str(s) for s in steps),
                    *(str(p) for p in paths))
    judged = (bundles, documents) == (20, 5_000)
    rows = [Row(f"merge {bundles} packages ({bundles * documents:,} documents, "
                f"{bundles * documents * spans:,} spans)", bundles, "packages",
                result["seconds"], 60.0, "60 s", 1.0 if judged else None,
                60.0 if judged else None)]
    first = result["rss_mb"][0]
    for n, rss in zip(steps[1:], result["rss_mb"][1:], strict=True):
        rows.append(Row(f"memory after merging {n} packages", n, "packages", rss, first,
                        f"after {steps[0]}", 50.0, measure="MB"))
    return rows


# --- suggestions (issue 17) ----------------------------------------------------------------

def suggestion_project(tmp: Path, documents: int, spans: int) -> Path:
    """A database of `documents` planted-corpus reviews holding `spans` of their reference
    spans (the first ones), all by one annotator, every document done; the labels' cues are
    the corpus's own."""
    from suggest_corpus import planted_corpus, planted_cues

    from annotator.domain.model import Document, Label
    from annotator.domain.text import content_hash

    examples, names = planted_corpus(documents, seed=17)
    db = tmp / f"suggest-{documents}-{spans}.db"
    workspace = open_workspace(db)
    me = workspace.me
    ids = workspace.store.documents.add(
        [Document(None, new_uuid(), e.text.split("\n", 1)[0], e.text, content_hash(e.text))
         for e in examples], me.uuid)
    by_name = {lb.name: lb for lb in workspace.labels()}
    cues = planted_cues()
    workspace.edit_labels([Label(lb.uuid, lb.name, lb.colour, lb.shortcut, lb.description,
                                 lb.position, "\n".join(cues.get(
                                     next((u for u, n in names.items() if n == lb.name), ""),
                                     []))) for lb in by_name.values()])
    rows = [(doc_id, label, start, end) for doc_id, e in zip(ids, examples, strict=True)
            for label, start, end in e.spans][:spans]
    workspace.store.spans.add([
        Span(new_uuid(), doc_id, me.uuid, by_name[names[label]].uuid, start, end,
             examples[ids.index(doc_id)].text[start:end])
        for doc_id, label, start, end in rows], me.uuid)
    with workspace.store.transaction():
        for doc_id in ids:
            workspace.store.statuses.set(doc_id, me.uuid, Status.DONE, me.uuid)
    workspace.close()
    return db


def suggestions(tmp: Path, app, documents: int = 500, spans: int = 2_000) -> list[Row]:
    """The recommenders trained (fit and 5-fold cross-validation, all three) on `spans`
    spans over `documents` reviews, in a thread as the window runs it; suggestions for one
    open document; and the document pane's frames while the training runs, against the
    same frames with nothing running."""
    from PySide6.QtCore import QThread

    db = suggestion_project(tmp, documents, spans)
    workspace = open_workspace(db)
    win, _ = show_window(app, workspace)
    view = win.view.viewport()

    def frames(seconds: float, busy: Callable[[], bool] = lambda: True) -> list[float]:
        """Repaint the document pane as a scrolling reader would, ~60 times a second."""
        times: list[float] = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and busy():
            start = time.perf_counter()
            view.repaint()
            app.processEvents()
            times.append(time.perf_counter() - start)
            time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - start)))
        return times

    class Training(QThread):
        def run(self) -> None:
            with workspace.for_thread(session) as own:
                self.seconds = timed(own.suggestions.train)
                self.result = own.suggestions.training

    session = workspace.session
    idle = frames(2.0)
    trainings = []
    busy_frames: list[float] = []
    for _ in range(2):
        thread = Training()
        thread.start()
        busy_frames += frames(30.0, lambda thread=thread: not thread.isFinished())
        thread.wait()
        trainings.append(thread)
    workspace.suggestions.use(trainings[-1].result)
    doc = workspace.document_ids()[-1]
    suggest = best(lambda: workspace.suggestions.refresh([doc]), runs=10)
    read = best(lambda: workspace.spans(doc), runs=10)
    win.close()
    win.deleteLater()
    app.processEvents()
    workspace.close()

    def p95(values: list[float]) -> float:
        return sorted(values)[int(0.95 * (len(values) - 1))]

    judged = (documents, spans) == (500, 2_000)
    return [
        Row(f"train the recommenders in the background ({spans:,} spans)", documents,
            "documents", min(t.seconds for t in trainings), 5.0, "5 s",
            1.0 if judged else None, 5.0 if judged else None),
        Row("suggestions for the open document", len(workspace_text(db, doc)), "characters",
            suggest, read, "reading its spans", None, 0.05 if judged else None),
        Row("document pane frame while training (95th percentile)", documents, "documents",
            p95(busy_frames), p95(idle), "the same frames, nothing running",
            None, 1 / 60 if judged else None),
    ]


def workspace_text(db: Path, doc_id: int) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    finally:
        conn.close()
