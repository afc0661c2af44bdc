"""Crash safety: a span the window has shown as saved survives a kill -9 at any moment.

A child process adds spans through the workspace in a loop and prints each span's id once
`add_span` has returned (the moment the window would show it); the test kills it at random
points, reopens the database, checks its integrity and finds every acknowledged span.
`make soak` runs many more rounds (ANNOTATOR_SOAK_KILLS).
"""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState

KILLS = int(os.environ.get("ANNOTATOR_SOAK_KILLS", "20"))
TEXT = "word " * 4000

ADDER = """
import sys
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState
ws = Workspace.open(sys.argv[1], UserState(sys.argv[2]))
doc = ws.document_ids()[0]
label = ws.labels()[0].uuid
start = int(sys.argv[3])
for i in range(start, start + 5000):
    span = ws.add_span(doc, label, (i % 3900) * 5, (i % 3900) * 5 + 4).added[0]
    print(span.uuid, flush=True)
"""


def test_every_span_shown_as_saved_survives_a_kill(tmp_path):
    path, state = tmp_path / "crash.db", tmp_path / "me.json"
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    ws = Workspace.open(path, UserState(state))
    ws.import_paths([tmp_path / "r.txt"])
    ws.close()
    rng = random.Random(11)
    acknowledged: list[str] = []
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", ADDER, str(path), str(state), str(kill * 5000)],
            stdout=subprocess.PIPE, text=True)
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(child.stdout,), daemon=True)
        reader.start()
        started = time.monotonic()
        while not lines and time.monotonic() - started < 30:  # at work: its first span
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))  # then a kill at a random moment of its work
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join(10)
        acknowledged += [line.strip() for line in lines if len(line.strip()) == 36]
    assert len(acknowledged) >= KILLS  # every kill came while spans were being added
    again = Workspace.open(path, UserState(state))
    try:
        assert again.store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = again.store.spans.stored_uuids(acknowledged)
        assert len(stored) == len(set(acknowledged))  # nothing acknowledged was lost
        print(f"{KILLS} kills, {len(set(acknowledged))} spans acknowledged, all present")
    finally:
        again.close()


WRITER = """
import sys
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState
ws = Workspace.open(sys.argv[1], UserState(sys.argv[2]))
ws.switch_to(sys.argv[3])
doc = ws.document_ids()[0]
label = ws.labels()[0].uuid
for i in range(int(sys.argv[4])):
    ws.add_span(doc, label, (i % 3900) * 5, (i % 3900) * 5 + 4)
ws.close()
print("done", flush=True)
"""


def test_two_programs_writing_at_once_lose_nothing_and_never_see_a_lock(tmp_path):
    path = tmp_path / "two.db"
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    ws = Workspace.open(path, UserState(tmp_path / "setup.json"))
    ws.import_paths([tmp_path / "r.txt"])
    ws.close()
    each = 300
    children = [subprocess.Popen([sys.executable, "-c", WRITER, str(path),
                                  str(tmp_path / f"{name}.json"), name, str(each)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for name in ("ada", "ben")]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0 and out.strip() == "done", err
        assert "locked" not in err
    again = Workspace.open(path, UserState(tmp_path / "setup.json"))
    try:
        assert again.count_spans() == 2 * each
    finally:
        again.close()


IMPORT_KILLS = max(3, KILLS // 4)


def test_an_import_killed_at_any_moment_keeps_each_file_whole_and_runs_again_cleanly(
        tmp_path):
    """Every file of an import is all or nothing, however often the import is killed, and
    running it again finishes the job with nothing twice."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = 5000
    for n in range(files):
        lines = [{"text": f"Review {n}-{k} of The Lantern Keeper: slow, then superb.",
                  "annotations": [{"annotator": "ada", "label": "praise", "start": 0,
                                   "end": 6}, {"annotator": "ben", "label": "spoiler",
                                               "start": 10, "end": 16}]}
                 for k in range(2)]
        (inbox / f"{n:04}.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    rng = random.Random(5)
    env = {**os.environ, "ANNOTATOR_BACKUPS": str(tmp_path / "backups")}
    for round_ in range(IMPORT_KILLS):
        path = tmp_path / f"import-{round_}.db"
        command = [sys.executable, "-m", "annotator", "--db", str(path), "import", str(inbox)]
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=env)
        while child.poll() is None and whole_files_only(path)[0] == 0:
            time.sleep(0.005)  # until it has committed files
        time.sleep(rng.uniform(0.0, 0.6))  # then a kill at a random moment of its work
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert whole_files_only(path)[0] < 2 * files  # it was stopped half-way
        finished = subprocess.run(command + ["--json"], capture_output=True, text=True,
                                  env=env, timeout=300)
        assert finished.returncode == 0, finished.stderr
        report = json.loads(finished.stdout)
        assert not [f for f in report["files"] if f["status"] == "failed"]
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        documents, spans = whole_files_only(path)
        assert (documents, spans) == (2 * files, 4 * files)  # every file once, none twice


def whole_files_only(path) -> tuple[int, int]:
    """Each file in the database has both its documents and all their spans; returns the
    documents and spans in all."""
    if not path.exists():
        return 0, 0
    conn = sqlite3.connect(path, timeout=30)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'annotations'"
                            ).fetchone():
            return 0, 0  # being created
        per_file = conn.execute(
            "SELECT d.source_path, count(DISTINCT d.id), count(a.uuid) FROM documents d "
            "LEFT JOIN annotations a ON a.document_id = d.id GROUP BY d.source_path"
        ).fetchall()
        assert all((docs, spans) == (2, 4) for _, docs, spans in per_file), per_file
        return 2 * len(per_file), 4 * len(per_file)
    finally:
        conn.close()
