"""The Linux desktop integration (packaging/linux/) agrees with the application it launches."""

import configparser
import struct
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import annotator
from annotator.domain.bundle import BUNDLE_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
THEME = LINUX / "icons" / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    parser.read(LINUX / f"{annotator.APP_ID}.desktop", encoding="utf-8")
    return dict(parser["Desktop Entry"])


def metainfo() -> ET.Element:
    return ET.parse(LINUX / f"{annotator.APP_ID}.metainfo.xml").getroot()


def mime_type() -> ET.Element:
    [mime] = ET.parse(LINUX / f"{annotator.APP_ID}.mime.xml").getroot().findall(
        f"{MIME_NS}mime-type")
    return mime


def component_provides(kind: str) -> list[str]:
    return [e.text or "" for e in metainfo().findall(f"provides/{kind}")]


def command_name() -> str:
    [name] = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    return name


def png_size(path: Path) -> tuple[int, int]:
    # The IHDR chunk comes first and holds the width and height, so no image library is needed.
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_every_file_is_named_after_the_application_id_and_names_it():
    names = {p.name for p in LINUX.glob("io.*")}
    assert names == {f"{annotator.APP_ID}.{kind}" for kind in ("desktop", "metainfo.xml",
                                                             "mime.xml")}
    entry = desktop_entry()
    assert entry["Icon"] == annotator.APP_ID
    component = metainfo()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == annotator.APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == f"{annotator.APP_ID}.desktop"


def test_a_double_clicked_package_reaches_the_annotator_command_as_its_first_argument():
    entry = desktop_entry()
    command = command_name()
    assert entry["Exec"].split() == [command, "%f"]
    assert entry["TryExec"] == command
    assert component_provides("binary") == [command]


def test_the_desktop_file_and_metainfo_claim_exactly_the_package_type_the_mime_xml_defines():
    mime = mime_type()
    package_type = mime.get("type")
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == [f"*{BUNDLE_SUFFIX}"]
    # A package is a SQLite database; nothing else Annotator opens (.db) is claimed.
    assert [s.get("type") for s in mime.findall(f"{MIME_NS}sub-class-of")] == [
        "application/vnd.sqlite3"]
    assert [t for t in desktop_entry()["MimeType"].split(";") if t] == [package_type]
    assert component_provides("mediatype") == [package_type]


def test_the_newest_release_in_the_metainfo_is_this_version():
    releases = metainfo().findall("releases/release")
    assert releases, "the metainfo lists no release"
    newest_first = sorted(releases, key=lambda r: r.get("date", ""), reverse=True)
    assert releases == newest_first  # AppStream reads the first as the newest
    assert releases[0].get("version") == annotator.__version__


def test_the_metainfo_screenshots_are_ones_the_repository_has():
    urls = [e.text or "" for e in metainfo().findall("screenshots/screenshot/image")]
    assert urls
    for url in urls:
        assert url.startswith("https://")
        assert (ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[1]).is_file(), url


def test_the_app_and_package_icons_exist_at_every_size_and_really_are_that_size():
    [icon] = mime_type().findall(f"{MIME_NS}icon")
    svg = (ROOT / "resources" / "icon.svg").read_bytes()
    for context, name in (("apps", annotator.APP_ID), ("mimetypes", icon.get("name"))):
        assert (THEME / "scalable" / context / f"{name}.svg").read_bytes() == svg
        for size in SIZES:
            assert png_size(THEME / f"{size}x{size}" / context / f"{name}.png") == (size, size)
    # Every PNG in the tree is one of those: no stale size or old name left behind.
    assert len(list(THEME.rglob("*.png"))) == 2 * len(SIZES)
