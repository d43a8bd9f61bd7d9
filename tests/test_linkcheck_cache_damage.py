"""A damaged link-check cache, one kind of damage at a time, in real link-check builds.

Every case puts one kind of damage where the cache file goes, or in the way of writing it, and
runs a link-check build of a small site whose three links are served on 127.0.0.1 (two working,
one missing; nothing reaches the internet).  The damaged files claim, with a fresh time, that the
missing link works: a file wrongly trusted shows as that link reported working and the build
passing.  Whatever the damage, the build does not crash, fails exactly as with a clean cache
(the missing link is broken), gives one ``prolo.linkcheck`` warning at most, naming the cache
file, and leaves a clean cache behind, unless something that is not the cache is in its place,
which is left as it is.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
from linkserver import LinkServer

from conftest import warnings_of
from sphinx_prolo.linkcheck.cache import DEFAULT_CACHE_NAME, parse_cache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects


@pytest.fixture(scope="module")
def running_server() -> Iterator[LinkServer]:
    # One server for the module: stopping one takes half a second.
    with LinkServer() as running:
        yield running


@pytest.fixture
def server(running_server: LinkServer) -> LinkServer:
    running_server.reset()
    return running_server


class Links(NamedTuple):
    """The site's three external links and a time that makes a cache entry fresh."""

    ok: str
    head: str  # working, but only with GET
    gone: str  # 404: a cache must never make it pass
    now: int


def links_of(server: LinkServer) -> Links:
    return Links(
        server.base + "/ok",
        server.base + "/head-405",
        server.base + "/missing",
        int(time.time()) - 60,
    )


def site(links: Links) -> dict[str, str]:
    return {
        "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\n'
        'exclude_patterns = ["_build"]\n'
        "linkcheck_timeout = 5\n"
        "linkcheck_retries = 1\n"
        "linkcheck_workers = 3\n",
        "index.md": f"# Links\n\n- <{links.ok}>\n- <{links.head}>\n- <{links.gone}>\n",
    }


def build(
    project: Projects,
    server: LinkServer,
    make: Callable[[Path, Links], None] | None,
    cache_setting: str = "",
) -> tuple[SphinxTestApp, Path, Links]:
    """Write the site, damage the cache's place with *make*, run the link check."""
    links = links_of(server)
    srcdir = project.write("site", site(links))
    overrides: dict[str, Any] = {"prolo_linkcheck_cache_ttl": 1e12}  # any time would be fresh
    if cache_setting:
        overrides["prolo_linkcheck_cache"] = cache_setting
    app = project("linkcheck", "linkcheck", name="site", confoverrides=overrides)
    path = Path(cache_setting) if cache_setting else app.outdir / DEFAULT_CACHE_NAME
    path = path if path.is_absolute() else srcdir / path
    if not cache_setting:
        path.parent.mkdir(parents=True, exist_ok=True)
    if make is not None:
        make(path, links)
    app.build()
    return app, path, links


def statuses(app: SphinxTestApp) -> dict[str, str]:
    lines = (app.outdir / "output.json").read_text(encoding="utf-8").splitlines()
    return {row["uri"]: row["status"] for row in map(json.loads, lines)}


def cache_warnings(app: SphinxTestApp) -> list[str]:
    return [line for line in warnings_of(app) if "[prolo.linkcheck]" in line]


def assert_like_a_clean_cache(app: SphinxTestApp, links: Links) -> None:
    """No crash, the verdicts and exit status a build with a clean cache gives."""
    output = app.status.getvalue() + app.warning.getvalue()
    assert "Traceback" not in output
    assert "Exception occurred" not in output
    assert statuses(app) == {links.ok: "working", links.head: "working", links.gone: "broken"}
    assert app.statuscode == 1  # the missing link, as with a clean cache


def assert_clean_cache_at(path: Path, links: Links, *, only_site: bool) -> None:
    """A regular file of this version's layout, the site's working links in it, no leftovers."""
    assert path.is_file()
    assert not path.is_symlink()
    raw = path.read_bytes()
    entries = parse_cache(raw)  # raises on anything this version would not read back
    site_entries = {links.ok, links.head, links.gone} & set(entries)
    assert site_entries == {links.ok, links.head}
    if only_site:
        assert set(entries) == {links.ok, links.head}
    assert json.loads(raw)["version"] == 1
    assert list(path.parent.glob(".prolo-linkcheck-*")) == []


# --- the damaged files ---------------------------------------------------------------------------


def quoted(text: str) -> str:
    return json.dumps(text)


def cache_text(
    links: Links,
    *,
    version: str = "1",
    entries: str | None = None,
    gone: str = '{"checked": NOW, "code": 200}',
) -> bytes:
    """A cache in this version's layout, written as the module writes it, with the entry for the
    missing link (*gone*), the table of entries or the version replaced by raw JSON text;
    ``NOW`` in them is a time that makes an entry fresh."""
    if entries is None:
        entries = (
            f'{{\n  {quoted(links.ok)}: {{\n   "checked": NOW,\n   "code": 200\n  }},\n'
            f"  {quoted(links.gone)}: {gone}\n }}"
        )
    text = f'{{\n "version": {version},\n "entries": {entries}\n}}'
    return text.replace("NOW", str(links.now)).replace("GONE", links.gone).encode()


def good(links: Links) -> bytes:
    """A cache this version wrote: /ok working, and no word of the missing link."""
    return json.dumps(
        {"version": 1, "entries": {links.ok: {"checked": links.now, "code": 200}}}, indent=1
    ).encode()


def written(content: Callable[[Links], bytes]) -> Callable[[Path, Links], None]:
    def make(path: Path, links: Links) -> None:
        path.write_bytes(content(links))

    return make


def text(template: bytes) -> Callable[[Path, Links], None]:
    """A file of *template*, ``GONE`` and ``NOW`` replaced as in :func:`cache_text`."""
    return written(
        lambda links: template.replace(b"GONE", links.gone.encode()).replace(
            b"NOW", str(links.now).encode()
        )
    )


def gone_entry(entry: str) -> Callable[[Path, Links], None]:
    return written(lambda links: cache_text(links, gone=entry))


def checked(value: str) -> Callable[[Path, Links], None]:
    return gone_entry(f'{{"checked": {value}, "code": 200}}')


def code(value: str) -> Callable[[Path, Links], None]:
    return gone_entry(f'{{"checked": NOW, "code": {value}}}')


def cut(length: int) -> Callable[[Path, Links], None]:
    return written(lambda links: cache_text(links)[:length])


def cut_in_time() -> Callable[[Path, Links], None]:
    def content(links: Links) -> bytes:
        raw = cache_text(links)
        return raw[: raw.index(str(links.now).encode()) + 4]

    return written(content)


def symlink(target: str) -> Callable[[Path, Links], None]:
    def make(path: Path, links: Links) -> None:
        path.symlink_to(target)

    return make


def symlink_loop(path: Path, links: Links) -> None:
    path.symlink_to(path.name)


def two_link_loop(path: Path, links: Links) -> None:
    other = path.with_name("other.json")
    other.symlink_to(path.name)
    path.symlink_to(other.name)


def folder_link(path: Path, links: Links) -> None:
    (path.parent / "a-folder").mkdir()
    path.symlink_to("a-folder")


def named_pipe(path: Path, links: Links) -> None:
    os.mkfifo(path)


def enormous(links: Links) -> bytes:
    # Past the size the cache reads (32 MiB): a run of spaces before a good cache.
    return b" " * (33 * 1024 * 1024) + good(links)


def many_entries(links: Links) -> bytes:
    entries = {
        f"https://site{n}.example/page/{n}": {"checked": links.now, "code": 200}
        for n in range(20_000)
    }
    entries[links.ok] = {"checked": links.now, "code": 200}
    return json.dumps({"version": 1, "entries": entries}, indent=1).encode()


def long_address(links: Links) -> bytes:
    # An address of a megabyte, with a scheme the cache never keeps: the warning stays short.
    return cache_text(links, entries=f'{{"javascript:{"x" * 1_000_000}": {{"checked": 1}}}}')


DEEP = 100_000


@dataclass(frozen=True)
class Damage:
    make: Callable[[Path, Links], None]
    #: one warning that the cache cannot be used (else none)
    warned: bool = True
    #: the file is a good cache after all: its entry for /ok is used and /ok is not requested
    trusted: bool = False
    #: Linux only (a named pipe, /dev/zero)
    posix: bool = False


#: Each kind of damage once.  Unless said otherwise the file is refused as a whole with one
#: warning, and every link is checked again.
DAMAGE: dict[str, Damage] = {
    # The baselines: no cache, and a good one
    "no cache (baseline)": Damage(lambda path, links: None, warned=False),
    "a good cache (baseline)": Damage(written(good), warned=False, trusted=True),
    # Truncated at several points
    "empty file": Damage(text(b"")),
    "only blank lines": Damage(text(b"\n\n  \n")),
    "cut after the first brace": Damage(cut(1)),
    "cut inside the version key": Damage(cut(6)),
    "cut after the version": Damage(cut(15)),
    "cut inside an address": Damage(cut(40)),
    "cut inside a time": Damage(cut_in_time()),
    "cut before the last brace": Damage(cut(-1)),
    # Wrong top-level types
    "a list": Damage(text(b"[]")),
    "a list holding a cache": Damage(text(b'[{"version": 1, "entries": {}}]')),
    "a string": Damage(text(b'"cache"')),
    "a number": Damage(text(b"1")),
    "null": Damage(text(b"null")),
    "true": Damage(text(b"true")),
    # The table of entries of the wrong type
    "entries null": Damage(written(lambda links: cache_text(links, entries="null"))),
    "entries a number": Damage(written(lambda links: cache_text(links, entries="3"))),
    "entries a list of records with numbers for addresses": Damage(
        written(lambda links: cache_text(links, entries='[{"url": 5, "checked": NOW}]'))
    ),
    # Entries of the wrong type
    "entry null": Damage(gone_entry("null")),
    "entry a number": Damage(gone_entry("200")),
    "entry a list": Damage(gone_entry("[NOW, 200]")),
    "entry a string": Damage(gone_entry('"working"')),
    "time a nested object": Damage(checked('{"at": NOW}')),
    "time a list": Damage(checked("[NOW]")),
    # Booleans and null where times go
    "time true": Damage(checked("true")),
    "time false": Damage(checked("false")),
    "time null": Damage(checked("null")),
    "time missing": Damage(gone_entry('{"code": 200}')),
    # Numbers no clock gives
    "time NaN": Damage(checked("NaN")),
    "time Infinity": Damage(checked("Infinity")),
    "time -Infinity": Damage(checked("-Infinity")),
    "time negative": Damage(checked("-1")),
    "time far before the epoch": Damage(checked("-1e20")),
    "time after the year 3000": Damage(checked("32503680000")),
    "time the largest float": Damage(checked("1.7976931348623157e308")),
    "time an integer of 400 digits": Damage(checked("1" + "0" * 400)),
    "time an integer of 5000 digits": Damage(checked("9" * 5000)),
    # Far in the future but before 3000: read, never fresh, checked again
    "time in the year 2900": Damage(checked("29000000000"), warned=False, trusted=True),
    # Times as strings
    "time a string of digits": Damage(checked('"NOW"')),
    "time an ISO date": Damage(checked('"2024-01-01T00:00:00Z"')),
    # Codes
    "code a string": Damage(code('"200"')),
    "code null": Damage(code("null")),
    "code true": Damage(code("true")),
    "code a float": Damage(code("200.5")),
    "code NaN": Damage(code("NaN")),
    # Bytes that are not UTF-8 text, or not only text
    "Latin-1 address": Damage(text(b'{"version": 1, "entries": {"http://caf\xe9.example/": {}}}')),
    "UTF-16": Damage(written(lambda links: good(links).decode().encode("utf-16"))),
    "NUL bytes": Damage(text(b"\0" * 64)),
    "a byte-order mark before a good cache": Damage(
        written(lambda links: codecs.BOM_UTF8 + good(links)), warned=False, trusted=True
    ),
    # Duplicate keys
    "version twice": Damage(text(b'{"version": 2, "version": 1, "entries": {}}')),
    "entries twice": Damage(
        text(b'{"version": 1, "entries": {}, "entries": {"GONE": {"checked": NOW, "code": 200}}}')
    ),
    "an address twice": Damage(
        text(
            b'{"version": 1, "entries": {"GONE": {"checked": null},'
            b' "GONE": {"checked": NOW, "code": 200}}}'
        )
    ),
    # Addresses that are not http(s)
    "javascript: address": Damage(
        text(b'{"version": 1, "entries": {"javascript:alert(1)": {"checked": NOW}}}')
    ),
    "file: address": Damage(
        text(b'{"version": 1, "entries": {"file:///etc/passwd": {"checked": NOW}}}')
    ),
    "empty address": Damage(text(b'{"version": 1, "entries": {"": {"checked": NOW}}}')),
    "address with a space first": Damage(
        text(b'{"version": 1, "entries": {" GONE": {"checked": NOW}}}')
    ),
    "address of a megabyte": Damage(written(long_address)),
    # Versions
    "a future version": Damage(written(lambda links: cache_text(links, version='2, "etags": {}'))),
    "version a string": Damage(written(lambda links: cache_text(links, version='"1"'))),
    "version missing": Damage(text(b'{"entries": {"GONE": {"checked": NOW, "code": 200}}}')),
    # Size and depth
    "enormous (33 MiB)": Damage(written(enormous)),
    "20,000 entries": Damage(written(many_entries), warned=False, trusted=True),
    "deep lists": Damage(text(b"[" * DEEP + b"]" * DEEP)),
    "deep objects": Damage(text(b'{"a": ' * DEEP + b"1" + b"}" * DEEP)),
    "deep nesting in an entry": Damage(checked("[" * DEEP + "]" * DEEP)),
    # Not a file (tests run as root, so a file without read permission is not one of them)
    "a folder": Damage(lambda path, links: path.mkdir()),
    "a dangling symbolic link": Damage(symlink("nowhere.json"), warned=False),
    "a symbolic link to itself": Damage(symlink_loop),
    "a loop of two symbolic links": Damage(two_link_loop),
    "a symbolic link to a folder": Damage(folder_link),
    "a named pipe": Damage(named_pipe, posix=True),
    "a symbolic link to /dev/zero": Damage(symlink("/dev/zero"), posix=True),
    "a symbolic link to /dev/null": Damage(symlink("/dev/null"), posix=True),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_any_damage_to_the_cache_file_costs_one_warning_never_the_build(
    project: Projects, server: LinkServer, damage: Damage
) -> None:
    if damage.posix and sys.platform != "linux":
        pytest.skip("a Linux file system's special files")
    app, path, links = build(project, server, damage.make)
    assert_like_a_clean_cache(app, links)
    warnings = cache_warnings(app)
    shown = "SRC/" + path.relative_to(app.srcdir).as_posix()
    if damage.warned:
        assert len(warnings) == 1, warnings
        assert warnings[0].startswith(f"{shown}:"), warnings[0]
        assert "WARNING: link-check cache cannot be used (" in warnings[0]
        assert len(warnings[0]) < 400  # the reason is shortened, never the damage itself
    else:
        assert warnings == []
    # A file that is refused is refused whole: /ok, fresh in it, is asked again.
    assert (server.count("/ok") == 0) is damage.trusted
    assert server.count("/missing") >= 1
    if path.is_dir() and not path.is_symlink():
        # A folder in the cache's place is never removed: nothing is written, nothing said twice.
        assert list(path.parent.glob(".prolo-linkcheck-*")) == []
        return
    assert_clean_cache_at(path, links, only_site=damage.warned)
    # The next build reads it without a word.
    again = project(
        "linkcheck", "linkcheck", name="site", confoverrides={"prolo_linkcheck_cache_ttl": 1e12}
    )
    again.build()
    assert cache_warnings(again) == []
    assert_like_a_clean_cache(again, links)


# --- damage at write time ------------------------------------------------------------------------


BLOCKER_TEXT = "a file, not a folder\n"


def blocker(path: Path, links: Links) -> None:
    """A regular file where the cache's folder should be."""
    (path.parent.parent / "blocker").write_text(BLOCKER_TEXT, encoding="utf-8")


def deeper_blocker(path: Path, links: Links) -> None:
    (path.parent.parent.parent / "blocker").write_text(BLOCKER_TEXT, encoding="utf-8")


def folder_with_a_file(path: Path, links: Links) -> None:
    path.mkdir()
    (path / "notes.txt").write_text("keep me\n", encoding="utf-8")


def dangling_folder(path: Path, links: Links) -> None:
    path.parent.symlink_to("absent-folder")


def looping_folder(path: Path, links: Links) -> None:
    path.parent.symlink_to(path.parent.name)


@dataclass(frozen=True)
class Place:
    setting: str
    make: Callable[[Path, Links], None] | None = None
    #: what the one warning says, or None for no warning
    warning: str | None = "link-check cache could not be written"
    #: and the reason it gives
    reason: str = ""
    #: the files that must be left exactly as they were (relative to the site)
    untouched: tuple[str, ...] = ()
    linux: bool = False


#: The configured cache path, and what stands in the way of writing there.
PLACES: dict[str, Place] = {
    "folders missing": Place("missing/folders/links.json", warning=None),
    "folder a regular file": Place(
        "blocker/links.json", blocker, reason="blocker is not a folder", untouched=("blocker",)
    ),
    "a folder deeper under a regular file": Place(
        "blocker/sub/links.json", deeper_blocker, untouched=("blocker",)
    ),
    "the path a folder": Place(
        "links.json",
        lambda path, links: path.mkdir(),
        warning="link-check cache cannot be used",
    ),
    "the path a folder holding a file": Place(
        "links.json",
        folder_with_a_file,
        warning="link-check cache cannot be used",
        untouched=("links.json/notes.txt",),
    ),
    "folder a dangling symbolic link": Place(
        "gone/links.json", dangling_folder, reason="gone is not a folder"
    ),
    "folder a symbolic link loop": Place(
        "loop/links.json", looping_folder, warning="link-check cache cannot be used"
    ),
    "a name too long": Place("x" * 300 + ".json", warning="link-check cache cannot be used"),
    "a NUL byte in the name": Place("links\0.json", warning="link-check cache cannot be used"),
    "the site's conf.py": Place(
        "conf.py",
        warning="link-check cache cannot be used",
        reason="the file is left as it is: it is not a .json file",
        untouched=("conf.py",),
    ),
    "a page of the site": Place(
        "index.md",
        warning="link-check cache cannot be used",
        reason="the file is left as it is: it is not a .json file",
        untouched=("index.md",),
    ),
    "a read-only file system (/proc)": Place("/proc/prolo-links.json", linux=True),
}


@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_a_cache_that_cannot_be_written_costs_one_warning_never_the_build(
    project: Projects, server: LinkServer, place: Place
) -> None:
    if place.linux and sys.platform != "linux":
        pytest.skip("Linux's /proc")
    app, path, links = build(project, server, place.make, cache_setting=place.setting)
    assert_like_a_clean_cache(app, links)
    warnings = cache_warnings(app)
    if place.warning is None:
        assert warnings == []
        assert_clean_cache_at(path, links, only_site=True)
        return
    assert len(warnings) == 1, warnings
    shown = str(path).replace(str(app.srcdir) + "/", "SRC/").replace("\0", "\\x00")
    assert warnings[0].startswith(f"{shown}:"), warnings[0]
    assert f"WARNING: {place.warning} (" in warnings[0]
    assert place.reason in warnings[0]
    assert len(warnings[0].removeprefix(shown)) < 400  # the path is as long as it was set
    before = {"blocker": BLOCKER_TEXT, "links.json/notes.txt": "keep me\n", **site(links)}
    for name in place.untouched:
        assert (app.srcdir / name).read_text(encoding="utf-8") == before[name], name
    for folder in {app.srcdir, app.outdir, *(p for p in [path.parent] if p.is_dir())}:
        assert list(Path(folder).glob(".prolo-linkcheck-*")) == []
