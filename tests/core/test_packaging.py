"""resources/ and seeds/ ship inside the wheel and are found from an installed copy."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_carries_resources_and_seeds_and_finds_them_installed(tmp_path):
    # Built from a copy: setuptools reuses the tree's build/ folder, which may still hold
    # modules deleted since, and would hide a package missing from pyproject.toml.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.db*"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("annotator-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "annotator/resources/icon.svg" in names
    assert "annotator/resources/labels.json" in names
    assert "annotator/seeds/sample-annotations.jsonl" in names
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "annotator").rglob("*.py")}
    modules |= {f"annotator/{folder}/{path.name}" for folder in ("resources", "seeds")
                for path in (ROOT / folder).glob("*.py")}  # mapped into the package
    assert modules == {n for n in names if n.endswith(".py")}  # every module, and only those

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import annotator, annotator.bundled as b;"
        "assert annotator.__file__.startswith(sys.argv[1]), annotator.__file__;"
        "assert str(b.resource('icon.svg')).startswith(sys.argv[1]);"
        "print(len(b.default_labels()), len(b.icon_bytes()) > 100, len(b.seed_files()))"
    )
    out = subprocess.run([sys.executable, "-I", "-S", "-c", probe, str(target)], check=True,
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.split() == ["4", "True", "11"]
