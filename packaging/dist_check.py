"""Smoke test of the desktop bundle (`make dist-check`): runs the built program offscreen in
throwaway folders and fails on any non-zero exit or traceback.

    python packaging/dist_check.py dist/annotator
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WINDOW_MS = 1000
WORKER_TROUBLE = ("the worker could not start", "the worker died")


def program(bundle: Path) -> Path:
    for name in ("annotator", "annotator.exe", "Annotator.app/Contents/MacOS/annotator"):
        if (bundle / name).is_file():
            return bundle / name
    sys.exit(f"dist_check: no annotator program in {bundle}: run `make dist` first")


def environment(home: Path) -> dict[str, str]:
    """Offscreen, and every folder the app writes to (data, config, logs, backups) inside
    `home`: the user's own data is never touched."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "ANNOTATOR_", "XDG_"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), USERPROFILE=str(home),
               APPDATA=str(home / "AppData"), LOCALAPPDATA=str(home / "AppData" / "Local"),
               XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_RUNTIME_DIR=str(home / "runtime"), ANNOTATOR_BACKUPS=str(home / "backups"))
    (home / "runtime").mkdir(mode=0o700, parents=True)
    return env


def run(exe: Path, env: dict[str, str], *args: str, cwd: Path) -> str:
    """Runs the program; its output, or the check ends here with what went wrong."""
    started = time.monotonic()
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300, encoding="utf-8", errors="replace")
    took = time.monotonic() - started
    print(f"  {done.returncode}  {took:5.1f} s  annotator {' '.join(args)}")
    if done.returncode != 0 or "Traceback" in done.stderr:
        sys.exit(f"dist_check: `annotator {' '.join(args)}` failed "
                 f"(exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def children(pid: int) -> set[tuple[int, str]]:
    """The processes `pid` started, with their command lines (Linux only: elsewhere empty)."""
    found = set()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.add((int(entry.name),
                           (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except (OSError, IndexError, ValueError):
            continue
    return found


def open_window(exe: Path, env: dict[str, str], db: Path, cwd: Path) -> None:
    """The window for WINDOW_MS on a new database: its samples are annotated, so the first
    paint starts a training in the spawned worker, which must start and not die."""
    started = time.monotonic()
    window_env = dict(env, ANNOTATOR_QUIT_AFTER_MS=str(WINDOW_MS))
    proc = subprocess.Popen([str(exe), "--db", str(db)], env=window_env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="replace")
    spawned: set[tuple[int, str]] = set()
    while proc.poll() is None and time.monotonic() - started < 120:
        if Path("/proc").is_dir():
            spawned |= children(proc.pid)
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
        sys.exit("dist_check: the window did not close within 120 s")
    out, err = proc.communicate()
    took = time.monotonic() - started
    print(f"  {proc.returncode}  {took:5.1f} s  annotator --db {db.name}  (the window, "
          f"{WINDOW_MS} ms)")
    if proc.returncode != 0 or "Traceback" in err or any(t in err for t in WORKER_TROUBLE):
        sys.exit(f"dist_check: the window failed (exit {proc.returncode}):\n{out}\n{err}")
    workers = [cmd for _, cmd in spawned if "multiprocessing" in cmd]
    if Path("/proc").is_dir():
        if not workers:
            sys.exit("dist_check: the window started no training worker:\n"
                     + "\n".join(cmd for _, cmd in spawned) + f"\n{err}")
        print(f"     the training worker started: {workers[0][:100]}")


def main() -> None:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "annotator").resolve()
    exe = program(bundle)
    sys.path.insert(0, str(ROOT))
    from annotator import __version__  # the source tree's: the bundle must say the same

    print(f"dist_check: {exe}")
    with tempfile.TemporaryDirectory(prefix="annotator-dist-check-") as tmp:
        work = Path(tmp)
        env = environment(work / "home")
        assert __version__ in run(exe, env, "--version", cwd=work)

        review = work / "review.txt"
        review.write_text("A quiet film\n\nThe ending surprised me. 🎬 Worth seeing.\n",
                          encoding="utf-8")
        page = work / "review.html"
        page.write_text("<html><head><title>Orbit</title></head><body><nav>menu</nav>"
                        "<article><h1>Orbit</h1><p>" + "A slow, patient film about a "
                        "station and the people who keep it running. " * 8 +
                        "</p></article></body></html>", encoding="utf-8")
        db, out = work / "reviews.db", work / "out.jsonl"
        run(exe, env, "--db", str(db), "import", str(review), str(page), cwd=work)
        run(exe, env, "--db", str(db), "export", "--format", "jsonl", "-o", str(out), cwd=work)
        texts = [json.loads(line)["text"] for line in out.read_text("utf-8").splitlines()]
        if not any("The ending surprised me. 🎬" in t for t in texts) or len(texts) != 2:
            sys.exit(f"dist_check: the export did not give the imported reviews back: {texts}")

        # Optional formats say what they need, as a message, not a traceback.
        spacy = subprocess.run([str(exe), "--db", str(db), "export", "--format", "spacy", "-o",
                                str(work / "out.spacy")], capture_output=True, text=True,
                               env=env, cwd=work, encoding="utf-8", errors="replace")
        print(f"  {spacy.returncode}         annotator export --format spacy  "
              f"({(spacy.stderr.strip() or spacy.stdout.strip())[:70]})")
        if "Traceback" in spacy.stderr:
            sys.exit(f"dist_check: the spaCy export crashed:\n{spacy.stderr}")

        # The learned recommender (sklearn, scipy, pysbd) on the annotated samples.
        labelled = work / "labelled.db"
        run(exe, env, "--db", str(labelled), "import",
            str(ROOT / "seeds" / "sample-annotations.jsonl"), cwd=work)
        run(exe, env, "--db", str(labelled), "suggest", "--evaluate", cwd=work)

        open_window(exe, env, work / "window.db", work)
    print("dist_check: the bundle works")


if __name__ == "__main__":
    main()
