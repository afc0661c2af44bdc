"""What the benchmarks run in a process of their own, to read its memory as a user's
process would have it. Prints one JSON line: seconds and megabytes.

    python benchmarks/child.py import FILE DB        our import of FILE into a new DB
    python benchmarks/child.py bare-import FILE DB   json.loads + executemany of the same
    python benchmarks/child.py window DB             the window shown, one document open
    python benchmarks/child.py merge DB 5,10,20 P1 P2 …   packages merged into DB in steps
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _status(key: str) -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb() -> float:
    """Resident memory now (not the peak)."""
    return _status("VmRSS")


def peak_mb() -> float:
    """The peak of this program's resident memory. Not getrusage's ru_maxrss: Linux keeps
    that across exec, so a child started by a big parent reports the parent's peak."""
    return _status("VmHWM")


def our_import(source: Path, db: Path) -> dict:
    from data import open_workspace

    from annotator.services.importing import ImportOptions

    workspace = open_workspace(db)
    start = time.perf_counter()
    report = workspace.import_paths([source], ImportOptions(max_bytes=4 * 1024 ** 3))
    seconds = time.perf_counter() - start
    workspace.close()
    if report.failed:
        raise SystemExit(f"import failed: {report.failed[0].errors}")
    return {"seconds": seconds, "peak_mb": peak_mb()}


def bare_import(source: Path, db: Path) -> dict:
    """The least any import of these rows must do: parse each line, insert it."""
    import sqlite3
    import uuid

    start = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE d (uuid, title, text, meta)")
    with conn, open(source, encoding="utf-8") as f:
        batch = []
        for line in f:
            record = json.loads(line)
            batch.append((str(uuid.uuid4()), record["title"], record["text"],
                          json.dumps(record["meta"])))
            if len(batch) == 500:
                conn.executemany("INSERT INTO d VALUES (?, ?, ?, ?)", batch)
                batch = []
        conn.executemany("INSERT INTO d VALUES (?, ?, ?, ?)", batch)
    conn.close()
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb()}


def window(db: Path) -> dict:
    from data import open_workspace
    from scenarios import show_window

    from annotator.ui.app import make_app

    app = make_app([])
    shown, seconds = show_window(app, open_workspace(db))
    if shown.document_id is None:
        raise SystemExit("no document was opened")
    return {"seconds": seconds, "rss_mb": rss_mb()}


def merge(db: Path, steps: list[int], packages: list[Path]) -> dict:
    """Merge the packages into db a few at a time (up to each of `steps`); the time of it
    all, and resident memory after each step."""
    from data import open_workspace

    workspace = open_workspace(db)
    seconds, rss, done = 0.0, [], 0
    for upto in steps:
        start = time.perf_counter()
        workspace.merge(packages[done:upto])
        seconds += time.perf_counter() - start
        done = upto
        rss.append(rss_mb())
    workspace.close()
    return {"seconds": seconds, "rss_mb": rss}


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    mode, *args = sys.argv[1:]
    if mode == "import":
        result = our_import(Path(args[0]), Path(args[1]))
    elif mode == "bare-import":
        result = bare_import(Path(args[0]), Path(args[1]))
    elif mode == "window":
        result = window(Path(args[0]))
    elif mode == "merge":
        result = merge(Path(args[0]), [int(n) for n in args[1].split(",")],
                       [Path(p) for p in args[2:]])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
