"""Speed checks, printed as ratios against a baseline measured in the same run.

    make bench

Each line: what was timed, its time, the baseline's time, and the ratio with its target.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.domain.model import Span, new_uuid  # noqa: E402
from annotator.services.importing import import_paths  # noqa: E402
from annotator.store.repository import Store  # noqa: E402

WORDS = ("the film keeper ending superb dull score cast plot twist quiet harbour glass orchard "
         "😂 映画 Sigríður").split()


def review(i: int, words: int = 400) -> str:
    return " ".join(WORDS[(i * 7 + k * 13) % len(WORDS)] for k in range(words)) + f" #{i}"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_import(tmp: Path, n: int = 2000) -> tuple[float, float]:
    """Import of n reviews from JSONL vs a bare executemany of the same rows."""
    src = tmp / "reviews.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"text": review(i), "title": f"Review {i}"}) + "\n")
    store = Store.open(tmp / "import.db")
    ours = timed(lambda: import_paths(store, [src]))
    store.close()

    def baseline() -> None:
        conn = sqlite3.connect(tmp / "bare.db")
        conn.execute("CREATE TABLE d (uuid, hash, title, text)")
        with conn:
            conn.executemany("INSERT INTO d VALUES (?, ?, ?, ?)",
                             [(new_uuid(), str(i), f"Review {i}", review(i)) for i in range(n)])
        conn.close()
    return ours, timed(baseline)


def bench_highlight(spans: int = 10_000) -> tuple[float, float]:
    """Showing a long document with many spans vs showing it with none."""
    from annotator.ui.app import make_app
    from annotator.ui.views.document_view import DocumentView

    make_app([])
    text = "\n".join(review(i, 60) for i in range(spans // 4))
    step = len(text) // spans
    span_list = [Span(new_uuid(), 1, "a", "l", i * step, i * step + max(step // 2, 1), "")
                 for i in range(spans)]
    view = DocumentView()
    view.resize(1000, 800)
    plain = timed(lambda: view.show_document(1, text, []))
    painted = timed(lambda: view.show_document(1, text, span_list))
    return painted, plain


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        rows = [
            ("import 2,000 reviews vs bare executemany", *bench_import(Path(tmp)), 1.5),
            ("show document with 10,000 spans vs none", *bench_highlight(), 10.0),
        ]
    failed = False
    for name, ours, base, target in rows:
        ratio = ours / base if base else float("inf")
        mark = "ok" if ratio <= target else "SLOW"
        failed |= ratio > target
        print(f"{mark:4} {name}: {ours:.3f}s vs {base:.3f}s = {ratio:.1f}x (target <= {target}x)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
