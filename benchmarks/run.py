"""Speed checks at several sizes, each against a baseline measured in the same run.

    make bench          every scenario at every size (under 10 minutes on 2 cores); writes
                        benchmarks/results.json, docs/performance.md, docs/performance.png
    make bench-quick    the small sizes only; writes benchmarks/results-quick.json
    python benchmarks/run.py --only search      the scenarios whose name has "search"

Each line: ok / SLOW (judged against the issue's target at the size it names) or info (a
size that shows how the cost grows), ours, the baseline, the ratio and the target. Exits 1
when a judged line is SLOW.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402
import scenarios as s  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

FULL = {
    "window": [1_000, 10_000, 100_000],
    "cold start": [0, 100_000],
    "search": [1_000, 10_000, 100_000],
    "import files": [1_000, 10_000],
    "import doccano": [10_000, 100_000],
    "import jsonl": [1_000, 10_000, 100_000],
    "workbench": [100_000, 1_000_000, 10_000_000],
    "agreement characters": [100_000, 1_000_000, 10_000_000],
    "agreement documents": [200, 2_000, 20_000],
    "alpha": [1_000_000],
    "export": [10_000, 100_000],
    "window memory": [100_000],
    "jsonl memory": [100_000, 1_000_000],
    "package": [5_000],
    "merge": [(20, 5_000)],  # packages, documents in each
    "suggestions": [(500, 2_000)],  # documents, spans
}
QUICK = {
    "window": [1_000, 10_000], "cold start": [0], "search": [1_000, 10_000],
    "import files": [1_000], "import doccano": [10_000], "import jsonl": [1_000, 10_000],
    "workbench": [100_000, 1_000_000], "agreement characters": [100_000],
    "agreement documents": [200], "alpha": [100_000], "export": [10_000],
    "window memory": [], "jsonl memory": [], "package": [1_000], "merge": [(4, 500)],
    "suggestions": [(100, 400)],
}


def plan(sizes: dict[str, list[int]], tmp: Path, app):
    """(name, thunk) in the order they run: the window's scenarios first, on a quiet heap."""
    yield "window", lambda: s.window(tmp, sizes["window"], app)
    yield "workbench", lambda: s.workbench(tmp, sizes["workbench"], app)
    yield "cold start", lambda: s.cold_start(tmp, sizes["cold start"])
    yield "window memory", lambda: [r for n in sizes["window memory"]
                                    for r in s.window_memory(tmp, n)]
    yield "search", lambda: [r for n in sizes["search"] for r in s.search(tmp, n)]
    yield "import files", lambda: [r for n in sizes["import files"]
                                   for r in s.import_files(tmp, n)]
    yield "import doccano", lambda: [r for n in sizes["import doccano"]
                                     for r in s.import_doccano(tmp, n)]
    yield "import jsonl", lambda: s.import_jsonl(tmp, sizes["import jsonl"],
                                                 memory=sizes["jsonl memory"] or None)
    yield "agreement", lambda: s.agreement(tmp, sizes["agreement characters"],
                                           sizes["agreement documents"])
    yield "alpha", lambda: [r for n in sizes["alpha"] for r in s.alpha(tmp, n)]
    yield "export", lambda: [r for n in sizes["export"] for r in s.export(tmp, n)]
    yield "package", lambda: [r for n in sizes["package"] for r in s.bundle_creation(tmp, n)]
    yield "merge", lambda: [r for n, docs in sizes["merge"]
                            for r in s.merge_bundles(tmp, n, docs)]
    yield "suggestions", lambda: [r for docs, spans in sizes["suggestions"]
                                  for r in s.suggestions(tmp, app, docs, spans)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small sizes only")
    parser.add_argument("--only", metavar="TEXT", help="the scenarios whose name has TEXT")
    args = parser.parse_args()
    from PySide6.QtCore import qInstallMessageHandler

    from annotator.ui.app import make_app

    def quiet(kind, context, message: str) -> None:  # the offscreen screen's chatter
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)
    qInstallMessageHandler(quiet)
    app = make_app([])
    started = time.perf_counter()
    rows: list[s.Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        # The benchmark's databases are backed up like any other: into its own folder, not
        # the user's data folder (the child processes inherit this).
        os.environ["ANNOTATOR_BACKUPS"] = str(Path(tmp) / "backups")
        for name, run in plan(QUICK if args.quick else FULL, Path(tmp), app):
            if args.only and args.only not in name:
                continue
            began = time.perf_counter()
            found = run()
            for row in found:
                print(report.line(row), flush=True)
            print(f"     ({name}: {time.perf_counter() - began:.0f} s)", flush=True)
            rows += found
    seconds = time.perf_counter() - started
    print(f"{len(rows)} lines in {seconds / 60:.1f} minutes")
    if not args.only:
        if args.quick:
            report.write_json(rows, ROOT / "benchmarks" / "results-quick.json", True)
        else:
            report.write_json(rows, ROOT / "benchmarks" / "results.json", False)
            report.write_plot(rows, ROOT / "docs" / "performance.png")
            report.write_markdown(rows, ROOT / "docs" / "performance.md", "performance.png",
                                  seconds, False)
    return 1 if any(row.judged and not row.passed for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
