"""The sdist builds a wheel, and that wheel, installed in a new virtual environment, runs the
`annotator` command: version, import, export and the sample reviews."""

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytest.importorskip("build")  # the dev extra has it; without it there is nothing to build with

ROOT = Path(__file__).resolve().parents[2]


def _dependencies_folders() -> list[str]:
    """Where the running interpreter finds PySide6, click, sklearn...: the new environment
    reads them from there instead of downloading them."""
    folders = list(site.getsitepackages())
    if site.ENABLE_USER_SITE and os.path.isdir(site.getusersitepackages()):
        folders.append(site.getusersitepackages())
    return folders


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A new venv holding the wheel built from the sdist; returns (its bin folder, its
    site-packages, an environment for running it)."""
    tmp = tmp_path_factory.mktemp("wheel")
    # From a copy: the build writes annotator.egg-info and build/ beside the sources, and a
    # stale build/ could hide a module missing from pyproject.toml.
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.db*"))
    # No isolation: setuptools comes from this environment, so nothing is downloaded. Without
    # --sdist/--wheel, `build` makes the sdist and then the wheel from the unpacked sdist.
    # PYTHONDONTWRITEBYTECODE would only add setuptools' "byte-compiling is disabled" warning.
    quiet = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    built = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "-o",
                            str(tmp / "dist"), str(source)],
                           capture_output=True, text=True, cwd=tmp, env=quiet)
    assert built.returncode == 0, built.stdout + built.stderr
    # A deprecated licence form or a file left out of package-data shows up as a warning.
    log = (built.stdout + built.stderr).lower()
    assert "warning" not in log and "deprecat" not in log, built.stdout + built.stderr
    [wheel] = (tmp / "dist").glob("annotator-*.whl")
    assert list((tmp / "dist").glob("annotator-*.tar.gz"))

    # Without PYTHONPATH: a source tree on it would be what pip sees installed and what runs.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["ANNOTATOR_BACKUPS"] = str(tmp / "backups")  # never the user's data folder
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)  # pip below is this interpreter's
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, cwd=tmp, env=env)
    new_site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True, cwd=tmp).stdout.strip())
    # Plain path lines: the folders' own .pth files are not run, so an editable install of
    # the source tree there stays out and the wheel's copy is the one imported.
    (new_site / "dependencies.pth").write_text("\n".join(_dependencies_folders()) + "\n")

    return bin_dir, new_site, env, tmp


def _run(installed, *args: str) -> str:
    bin_dir, _, env, tmp = installed
    done = subprocess.run(list(args), capture_output=True, text=True, env=env, cwd=tmp,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_the_installed_wheel_is_what_imports(installed):
    bin_dir, new_site, _, _ = installed
    where = _run(installed, str(bin_dir / "python"), "-c",
                 "import annotator; print(annotator.__file__)").strip()
    assert Path(where).is_relative_to(new_site), where


def test_the_command_says_its_version(installed):
    from annotator import __version__

    bin_dir = installed[0]
    assert __version__ in _run(installed, str(bin_dir / "annotator"), "--version")


def test_a_text_file_imported_comes_back_out_in_the_export(installed):
    bin_dir, _, _, tmp = installed
    review = tmp / "review.txt"
    review.write_text("A quiet film\n\nThe ending surprised me. 🎬 Worth it.\n", encoding="utf-8")
    db, out = tmp / "reviews.db", tmp / "out.jsonl"
    _run(installed, str(bin_dir / "annotator"), "--db", str(db), "import", str(review))
    _run(installed, str(bin_dir / "annotator"), "--db", str(db), "export", "--format", "jsonl",
         "-o", str(out))
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "The ending surprised me. 🎬 Worth it." in record["text"]


def test_the_sample_reviews_are_found_in_the_installed_package(installed):
    bin_dir, new_site, _, _ = installed
    probe = ("from annotator.bundled import seed_files, resource;"
             "print(len(seed_files())); print(resource('icon.svg'))")
    count, icon = _run(installed, str(bin_dir / "python"), "-c", probe).split("\n")[:2]
    assert int(count) > 0
    assert Path(icon).is_relative_to(new_site)
