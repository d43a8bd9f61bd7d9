"""Link-check builds: therapy references and external links, offline mode, the cache.

Every request goes to a server the tests start on 127.0.0.1; nothing reaches the internet.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import re
import tempfile
import time
from collections import namedtuple
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, note, seed, settings
from hypothesis import strategies as st
from linkserver import LinkServer, refused_port

from conftest import config_warning, warnings_of
from sphinx_prolo.builds import compat
from sphinx_prolo.linkcheck.builder import ProloLinkcheckBuilder
from sphinx_prolo.linkcheck.cache import LinkCache

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.testing.util import SphinxTestApp

    from conftest import Projects

EXTERNAL_PATHS = [
    "/ok",
    "/redirect-301",
    "/redirect-302",
    "/missing",
    "/error",
    "/unavailable",
    "/rate-limited",
    "/slow",
    "/page#absent",
    "/head-405",
]
WORKING_PATHS = ["/ok", "/head-405"]


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer() as running:
        yield running


LINKCHECK_CONF = (
    "linkcheck_timeout = 1\n"
    "linkcheck_retries = 1\n"
    "linkcheck_workers = 4\n"
    "linkcheck_rate_limit_timeout = 10.0\n"
)


def links_page(base: str, refused: int) -> str:
    lines = ["# External links", ""]
    lines += [f"- <{base}{path}>" for path in EXTERNAL_PATHS]
    lines += [f"- <http://127.0.0.1:{refused}/refused>", ""]
    return "\n".join(lines)


def site(base: str, refused: int, *, with_prolo: bool = True) -> dict[str, str]:
    extensions = '["myst_parser", "sphinx_prolo"]' if with_prolo else '["myst_parser"]'
    files = {
        "conf.py": f"extensions = {extensions}\n"
        'exclude_patterns = ["_build"]\n'
        'myst_enable_extensions = ["colon_fence"]\n' + LINKCHECK_CONF,
        "links.md": links_page(base, refused),
    }
    if not with_prolo:
        files["index.md"] = "# Home\n\n```{toctree}\nlinks\n```\n"
        return files
    files["conf.py"] += 'prolo_article_patterns = ["articles/*"]\nprolo_terms_url = "terms"\n'
    files["index.md"] = "# Home\n\n```{toctree}\n:glob:\nlinks\nterms\narticles/*\n```\n"
    files["terms.md"] = "# Terms\n\nThe terms.\n"
    files["articles/prp-injections.md"] = "# PRP injections\n\nText.\n"
    files["articles/prolotherapy.md"] = (
        "# Prolotherapy\n\nAnother variation is {therapy}`prp-injections`.\n\n"
        "A typo: {therapy}`prp-injection`.\n"
    )
    return files


def rows(app: SphinxTestApp) -> list[dict[str, Any]]:
    lines = (app.outdir / "output.json").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def external_rows(app: SphinxTestApp) -> dict[str, dict[str, Any]]:
    return {row["uri"]: row for row in rows(app) if row["uri"].startswith("http")}


def text_lines(app: SphinxTestApp) -> list[str]:
    return (app.outdir / "output.txt").read_text(encoding="utf-8").splitlines()


def only_therapy_site(project: Projects, name: str = "therapy") -> SphinxTestApp:
    files = site("http://unused.invalid", 1)
    files["links.md"] = "# No links\n"
    project.write(name, files)
    return project("linkcheck", "linkcheck", name=name)


def test_therapy_references_are_rows_with_file_line_and_status(project: Projects) -> None:
    app = only_therapy_site(project)
    app.build()
    therapy = [row for row in rows(app) if row["uri"].startswith("therapy:")]
    assert therapy == [
        {
            "filename": "articles/prolotherapy.md",
            "lineno": 3,
            "status": "working",
            "code": 0,
            "uri": "therapy:prp-injections",
            "info": " -> articles/prp-injections",
        },
        {
            "filename": "articles/prolotherapy.md",
            "lineno": 5,
            "status": "broken",
            "code": 0,
            "uri": "therapy:prp-injection",
            "info": "unknown therapy article 'prp-injection'; did you mean 'prp-injections'?",
        },
    ]
    assert (
        "articles/prolotherapy.md:3: [working] therapy:prp-injections -> articles/prp-injections"
        in text_lines(app)
    )
    assert (
        "articles/prolotherapy.md:5: [broken] therapy:prp-injection: unknown therapy article"
        " 'prp-injection'; did you mean 'prp-injections'?" in text_lines(app)
    )
    assert app.statuscode == 1  # a broken therapy reference fails the build


def test_the_linkcheck_bridge_fits_this_sphinx() -> None:
    # The matrix runs this on both ends of the Sphinx range: what compat.py reuses of Sphinx's
    # link checker is there, as its comment describes it.
    assert compat.linkcheck_bridge_problem() is None
    assert compat.sphinx_linkcheck.CheckResult._fields == compat.LINK_RESULT_FIELDS


@pytest.mark.parametrize("change", ["row", "method"])
def test_a_changed_sphinx_link_checker_leaves_sphinx_s_own_in_place(
    project: Projects, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    # A future Sphinx whose internals differ: the build neither fails nor crashes; Sphinx's own
    # checker runs, an info line says why, and a broken therapy reference is still a warning.
    if change == "row":
        fields = ["uri", "docname", "lineno", "status", "text", "code"]
        monkeypatch.setattr(compat.sphinx_linkcheck, "CheckResult", namedtuple("Row", fields))
        problem = "its CheckResult row has other fields"
    else:
        monkeypatch.setattr(compat.LinkcheckBuilderBase, "write_entry", None)
        problem = "its builder has no write_entry method"
    assert compat.linkcheck_bridge_problem() == problem
    app = only_therapy_site(project)
    app.build()
    assert type(app.builder) is compat.LinkcheckBuilderBase
    assert not isinstance(app.builder, ProloLinkcheckBuilder)
    assert f"link checker is not one this extension knows ({problem})" in app.status.getvalue()
    assert not any(row["uri"].startswith("therapy:") for row in rows(app))
    assert [w for w in warnings_of(app) if "unknown therapy article 'prp-injection'" in w]
    assert app.statuscode == 0


def test_all_working_therapy_references_pass(project: Projects) -> None:
    files = site("http://unused.invalid", 1)
    files["links.md"] = "# No links\n"
    files["articles/prolotherapy.md"] = "# Prolotherapy\n\nSee {therapy}`prp-injections`.\n"
    project.write("fine", files)
    app = project("linkcheck", "linkcheck", name="fine")
    app.build()
    assert app.statuscode == 0
    statuses = {row["uri"]: row["status"] for row in rows(app)}
    # The articles' inserted disclaimers link to the terms page: checked too.
    assert statuses == {"therapy:prp-injections": "working", "doc:terms": "working"}


def test_terms_link_and_notice_source_references_are_checked(project: Projects) -> None:
    files = site("http://unused.invalid", 1)
    files["links.md"] = "# No links\n\n:::{disclaimer}\n:::\n\n:::{please-note}\n:::\n"
    files["conf.py"] += 'prolo_please_note_source = "_notices/note.md"\n'
    files["_notices/note.md"] = "See [the terms](../terms.md) and {doc}`../gone`.\n"
    project.write("notices", files)
    app = project("linkcheck", "linkcheck", name="notices")
    app.build()
    internal = {row["uri"]: row for row in rows(app) if row["uri"].startswith("doc:")}
    assert internal["doc:terms"]["status"] == "working"
    assert internal["doc:terms"]["filename"] == "links.md"
    assert internal["doc:gone"]["status"] == "broken"
    assert internal["doc:gone"]["info"] == (
        "no document 'gone' in this project (in _notices/note.md, line 1)"
    )
    assert app.statuscode == 1


def test_external_links_are_reported_exactly_as_sphinx_reports_them(
    project: Projects, server: LinkServer
) -> None:
    refused = refused_port()
    project.write("stock", site(server.base, refused, with_prolo=False))
    stock = project("linkcheck", "linkcheck", name="stock")
    stock.build()
    expected = external_rows(stock)
    server.reset()

    project.write("ours", site(server.base, refused))
    ours = project(
        "linkcheck", "linkcheck", name="ours", confoverrides={"prolo_linkcheck_cache_ttl": 0}
    )
    ours.build()
    got = external_rows(ours)

    assert set(got) == set(expected)
    assert len(got) == len(EXTERNAL_PATHS) + 1
    for uri, row in expected.items():
        mine = got[uri]
        assert (mine["status"], mine["code"], mine["lineno"]) == (
            row["status"],
            row["code"],
            row["lineno"],
        ), uri
        if row["status"] != "timeout":  # the timeout text names the elapsed time
            assert mine["info"] == row["info"], uri
    statuses = {uri.removeprefix(server.base): row["status"] for uri, row in got.items()}
    assert statuses["/ok"] == "working"
    assert statuses["/redirect-301"] == "redirected"
    assert statuses["/redirect-302"] == "redirected"
    assert statuses["/missing"] == "broken"
    assert statuses["/error"] == "broken"
    assert statuses["/slow"] == "timeout"
    assert statuses["/page#absent"] == "broken"
    assert statuses["/head-405"] == "working"
    assert statuses["/rate-limited"] == "working"  # after waiting as Retry-After asked
    assert statuses[f"http://127.0.0.1:{refused}/refused"] == "broken"
    assert "Anchor 'absent' not found" in got[server.base + "/page#absent"]["info"]
    # Sphinx's own lines in output.txt are all there, alongside ours.
    stock_lines = set(text_lines(stock))
    assert stock_lines <= set(text_lines(ours)) | {
        line for line in stock_lines if "[timeout]" in line
    }
    assert any(
        line.startswith("articles/prolotherapy.md:5: [broken]") for line in text_lines(ours)
    )
    assert ours.statuscode == stock.statuscode == 1


def test_offline_mode_requests_nothing_and_still_fails_on_broken_references(
    project: Projects, server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROLO_LINKCHECK_OFFLINE", "1")
    project.write("offline", site(server.base, refused_port()))
    app = project("linkcheck", "linkcheck", name="offline")
    app.build()
    assert server.total() == 0
    external = external_rows(app)
    assert len(external) == len(EXTERNAL_PATHS) + 1
    assert {row["status"] for row in external.values()} == {"unchecked"}
    assert {row["info"] for row in external.values()} == {"offline mode: not requested"}
    therapy = {row["uri"]: row["status"] for row in rows(app) if row["uri"].startswith("therapy")}
    assert therapy == {"therapy:prp-injections": "working", "therapy:prp-injection": "broken"}
    assert app.statuscode == 1


def test_the_report_lists_unchecked_links_names_included_files_and_sums_up(
    project: Projects, server: LinkServer
) -> None:
    # Offline, external links used to be only in output.json; the screen said "ok" where the
    # files say "working"; a row from an included file named the including page's line.
    files = site(server.base, refused_port())
    files["links.md"] = "# Links\n\n<https://clinic.example/a>\n\n```{include} _shared.md\n```\n"
    files["_shared.md"] = (
        "Shared text.\n\nSee {therapy}`prp-injections` and\n<https://clinic.example/b>.\n"
    )
    files["conf.py"] += 'exclude_patterns = ["_build", "_shared.md"]\n'
    project.write("report-words", files)
    app = project(
        "linkcheck",
        "linkcheck",
        name="report-words",
        confoverrides={"prolo_linkcheck_offline": True},
    )
    app.build()
    assert server.total() == 0
    unchecked = [line for line in text_lines(app) if "[unchecked]" in line]
    assert unchecked == [
        "links.md:3: [unchecked] https://clinic.example/a - offline mode: not requested",
        "links.md:0: [unchecked] https://clinic.example/b - offline mode: not requested"
        " (in _shared.md, line 3)",
    ]
    assert (
        "links.md:0: [working] therapy:prp-injections -> articles/prp-injections"
        " (in _shared.md, line 3)"
    ) in text_lines(app)
    screen = [
        " ".join(line.split())
        for line in re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue()).splitlines()
    ]
    assert "( links: line 3) unchecked https://clinic.example/a - offline mode: not requested" in (
        screen
    )
    assert (
        "( links) working therapy:prp-injections -> articles/prp-injections"
        " (in _shared.md, line 3)"
    ) in screen
    assert not [line for line in screen if ") ok " in line]
    assert "link check: 4 working, 1 broken, 0 redirected, 2 unchecked" in screen
    assert app.statuscode == 1  # the typo in articles/prolotherapy.md


def test_offline_mode_from_configuration(project: Projects, server: LinkServer) -> None:
    files = site(server.base, refused_port())
    files["articles/prolotherapy.md"] = "# Prolotherapy\n\nSee {therapy}`prp-injections`.\n"
    project.write("offline-conf", files)
    app = project(
        "linkcheck",
        "linkcheck",
        name="offline-conf",
        confoverrides={"prolo_linkcheck_offline": True},
    )
    app.build()
    assert server.total() == 0
    assert app.statuscode == 0  # nothing broken: unchecked URLs do not fail the build


def cached_site(server: LinkServer) -> dict[str, str]:
    files = site(server.base, refused_port())
    files["articles/prolotherapy.md"] = "# Prolotherapy\n\nSee {therapy}`prp-injections`.\n"
    return files


def run(project: Projects, name: str, **overrides: Any) -> SphinxTestApp:
    app = project("linkcheck", "linkcheck", name=name, confoverrides=overrides or None)
    app.build()
    return app


def test_cache_skips_recently_working_urls_and_rechecks_the_rest(
    project: Projects, server: LinkServer
) -> None:
    project.write("cache", cached_site(server))
    first = run(project, "cache")
    first_counts = {path: server.count(path.split("#")[0]) for path in EXTERNAL_PATHS}
    assert all(count >= 1 for count in first_counts.values()), first_counts
    server.reset()

    second = run(project, "cache")
    for path in WORKING_PATHS:
        assert server.count(path) == 0, path
    for path in ("/missing", "/error", "/unavailable", "/redirect-301", "/redirect-302", "/slow"):
        assert server.count(path) >= 1, path
    cached = external_rows(second)[server.base + "/ok"]
    assert cached["status"] == "working"
    assert cached["info"].startswith(" (from the link-check cache: working at ")
    # Same verdicts as the first run, URL by URL.
    assert {u: r["status"] for u, r in external_rows(second).items()} == {
        u: r["status"] for u, r in external_rows(first).items()
    }


def cache_file(app: SphinxTestApp) -> Path:
    return app.outdir / "prolo-linkcheck-cache.json"


def shown_cache_file(app: SphinxTestApp) -> str:
    """The cache file as :func:`warnings_of` shows it."""
    return "SRC/" + cache_file(app).relative_to(app.srcdir).as_posix()


def test_cache_entries_older_than_the_ttl_are_checked_again(
    project: Projects, server: LinkServer
) -> None:
    project.write("ttl", cached_site(server))
    first = run(project, "ttl", prolo_linkcheck_cache_ttl=3600)
    path = cache_file(first)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data["entries"]) == {server.base + p for p in WORKING_PATHS} | {
        server.base + "/rate-limited"
    }
    for entry in data["entries"].values():
        entry["checked"] = time.time() - 7200
    path.write_text(json.dumps(data), encoding="utf-8")
    server.reset()
    run(project, "ttl", prolo_linkcheck_cache_ttl=3600)
    for working in WORKING_PATHS:
        assert server.count(working) >= 1, working


def quick_site(server: LinkServer) -> dict[str, str]:
    """A site whose only external links answer at once: a build takes a second, not ten."""
    files = cached_site(server)
    files["links.md"] = "# External links\n\n" + "".join(
        f"- <{server.base}{path}>\n" for path in WORKING_PATHS
    )
    return files


def cache_with(checked: str, code: str = "200", version: str = "1") -> bytes:
    """A cache file in the module's own layout for the site's working link ``URL``."""
    return (
        f'{{\n "version": {version},\n "entries": {{\n  "URL": {{\n'
        f'   "checked": {checked},\n   "code": {code}\n  }}\n }}\n}}\n'
    ).encode()


#: Damaged cache files and the line the warning names ("" when no line can be named).  Each one
#: is about the site's own working link (``URL``), with times and codes that would make a
#: wrongly accepted entry fresh, so that a file let through shows as a link not asked again.
DAMAGED_CACHES: dict[str, tuple[bytes, str]] = {
    # Not a JSON document at all
    "not json": (b"not json at all {", "1"),
    "cut short": (cache_with("1")[:40], "4"),
    "binary bytes": (bytes(range(256)) * 4, "2"),  # 0x80, after one newline, is not UTF-8
    "utf-16": ('{"version": 1, "entries": {}}'.encode("utf-16"), "1"),
    "integer past the digit limit": (cache_with("9" * 5000), ""),
    # Non-finite numbers, which json accepts
    "NaN time": (cache_with("NaN"), ""),
    "infinite time": (cache_with("Infinity"), ""),
    "negative infinite time": (cache_with("-Infinity"), ""),
    "overflowing time": (cache_with("1e999"), ""),
    "NaN code": (cache_with("1", code="NaN"), ""),
    "infinite code": (cache_with("1", code="Infinity"), ""),
    "overflowing code": (cache_with("1", code="1e999"), ""),
    # Very deep nesting
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, ""),
    "deep nesting in an entry": (cache_with("[" * 100_000 + "]" * 100_000), ""),
    # Numbers in range for Python but not for a cache
    "integer time too large for a float": (cache_with("1" + "0" * 400), ""),
    "time before the epoch": (cache_with("-1e20"), ""),
    "time after the year 3000": (cache_with("1e20"), ""),
    "code out of range": (cache_with("1", code="1000000"), ""),
    "negative code": (cache_with("1", code="-200"), ""),
    # Other shapes
    "a list": (b"[]", ""),
    "entries a list": (b'{"version": 1, "entries": []}', ""),
    "entry not a table": (b'{"version": 1, "entries": {"URL": 5}}', ""),
    "time a string": (cache_with('"yesterday"'), ""),
    "time true": (cache_with("true"), ""),
    "code a float": (cache_with("1", code="200.0"), ""),
    "not an http address": (
        b'{"version": 1, "entries": {"javascript:x": {"checked": 1, "code": 200}}}',
        "",
    ),
    "other version": (cache_with("1", version="99"), ""),
    "version true": (cache_with("1", version="true"), ""),
    "version 1.0": (cache_with("1", version="1.0"), ""),
}


@pytest.mark.parametrize(("content", "line"), DAMAGED_CACHES.values(), ids=DAMAGED_CACHES.keys())
def test_damaged_cache_gives_one_located_warning_and_a_full_check(
    project: Projects, server: LinkServer, content: bytes, line: str
) -> None:
    project.write("damaged", quick_site(server))
    # A TTL of about 30,000 years: any entry let through would be trusted, and its link not asked.
    app = project(
        "linkcheck",
        "linkcheck",
        name="damaged",
        confoverrides={"prolo_linkcheck_cache_ttl": 1e12},
    )
    path = cache_file(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.replace(b"URL", (server.base + "/ok").encode()))
    app.build()

    for working in WORKING_PATHS:
        assert server.count(working) >= 1, working
    assert {row["status"] for row in external_rows(app).values()} == {"working"}
    warnings = [text for text in warnings_of(app) if "[prolo.linkcheck]" in text]
    assert len(warnings) == 1, warnings
    where = shown_cache_file(app)
    assert warnings[0].startswith(f"{where}:{line}: WARNING: link-check cache cannot be used ("), (
        warnings[0]
    )
    assert warnings[0].endswith("); every external link is checked again [prolo.linkcheck]")
    assert len(warnings[0]) < 400  # the reason is shortened, never the damaged content itself
    output = app.status.getvalue() + app.warning.getvalue()
    assert "Traceback" not in output
    assert app.statuscode == 0  # a damaged cache costs time, never the check
    # The damaged file was replaced by a good one: the next run has a cache again.
    rewritten = LinkCache.load(path, 60.0)
    assert set(rewritten.entries) == {server.base + path for path in WORKING_PATHS}


def test_unreadable_cache_gives_one_located_warning(project: Projects, server: LinkServer) -> None:
    project.write("unreadable", quick_site(server))
    app = project("linkcheck", "linkcheck", name="unreadable")
    cache_file(app).mkdir(parents=True)  # a folder where the file should be: read and write fail
    app.build()
    for working in WORKING_PATHS:
        assert server.count(working) >= 1, working
    warnings = [text for text in warnings_of(app) if "[prolo.linkcheck]" in text]
    where = shown_cache_file(app)
    # Said once: the write fails for the reason the read gave.
    assert warnings == [
        f"{where}:: WARNING: link-check cache cannot be used (Is a directory);"
        " every external link is checked again [prolo.linkcheck]",
    ]
    assert cache_file(app).is_dir()
    assert app.statuscode == 0
    assert [p.name for p in cache_file(app).parent.glob(".prolo-linkcheck-*")] == []


def test_cache_is_written_atomically_to_the_configured_path(
    project: Projects, server: LinkServer
) -> None:
    project.write("custom", cached_site(server))
    app = run(project, "custom", prolo_linkcheck_cache="cache/links.json")
    path = app.srcdir / "cache" / "links.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert server.base + "/ok" in data["entries"]
    leftovers = [p.name for p in path.parent.iterdir() if p.name != "links.json"]
    assert leftovers == []


def test_cache_entry_checked_in_the_future_is_checked_again(
    project: Projects, server: LinkServer
) -> None:
    project.write("future", cached_site(server))
    first = run(project, "future")
    path = cache_file(first)
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["checked"] = time.time() + 10 * 365 * 86400
    path.write_text(json.dumps(data), encoding="utf-8")
    server.reset()
    second = run(project, "future")
    for working in WORKING_PATHS:
        assert server.count(working) >= 1, working
    assert [line for line in warnings_of(second) if "[prolo.linkcheck]" in line] == []


#: Replay a failure with PROLO_HYPOTHESIS_SEED=<the seed printed with it>.
CACHE_SEED = int(os.environ.get("PROLO_HYPOTHESIS_SEED") or random.SystemRandom().getrandbits(32))

#: Pieces of JSON and near-JSON, joined at random into text that is often almost a cache.
JSON_PIECES = [
    "{", "}", "[", "]", ",", ":", " ", "\n", '"version"', '"entries"', '"checked"', '"code"',
    '"http://a.example/"', '"https://b.example/x"', '"javascript:x"', '""', '"\\ud800"',
    "0", "1", "-1", "200", "1.5", "1e999", "-1e20", "9" * 400, "NaN", "Infinity", "-Infinity",
    "true", "false", "null",
]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=20), children, max_size=4)
    ),
    max_leaves=20,
)
#: Values that json reads but no field of a cache holds.
ODD_VALUES = [
    math.nan, math.inf, -math.inf, 10**400, -(10**400), True, False, None, "200", [], {}
]  # fmt: skip
addresses = st.sampled_from(["http://a.example/", "https://b.example/x", "HTTPS://C.EXAMPLE"]) | (
    st.text(max_size=20).map(lambda path: "https://d.example/" + path)
)
not_addresses = st.sampled_from(
    ["mailto:x", "javascript:x", "", "a.example", "ftp://a"]
) | st.text(max_size=20)
good_entries = st.fixed_dictionaries(
    {"checked": st.floats(0, 3e10) | st.integers(0, 3 * 10**10), "code": st.integers(0, 999)}
)
bad_values = {
    "version": st.sampled_from([1.0, 2, 0, *ODD_VALUES]) | json_values,
    "checked": st.sampled_from(ODD_VALUES)
    | st.floats(max_value=-1e-9)
    | st.floats(min_value=32_503_680_000)
    | st.integers(max_value=-1)
    | st.integers(min_value=32_503_680_000)
    | json_values,
    "code": st.sampled_from([200.0, *ODD_VALUES])
    | st.integers(max_value=-1)
    | st.integers(min_value=1000)
    | json_values,
}


@st.composite
def near_caches(draw: st.DrawFn) -> bytes:
    """A cache file in the module's own layout with at most one thing wrong in it, so that one
    wrong value, wherever it is, decides whether the file is refused."""
    entries = draw(st.dictionaries(addresses, good_entries, max_size=3))
    cache: dict[str, Any] = {"version": 1, "entries": entries}
    damage = draw(st.sampled_from(["none", "version", "entries", "address", "entry", "field"]))
    if damage == "version":
        cache["version"] = draw(bad_values["version"])
    elif damage == "entries":
        cache["entries"] = draw(json_values)
    elif damage == "address":
        entries[draw(not_addresses)] = draw(good_entries)
    elif damage == "entry":
        entries[draw(addresses)] = draw(json_values)
    elif damage == "field":
        entry, field = draw(good_entries), draw(st.sampled_from(["checked", "code"]))
        entry[field] = draw(bad_values[field])
        entries[draw(addresses)] = entry
    return json.dumps(cache).encode()


cache_files = st.one_of(
    near_caches(),
    st.binary(max_size=300),
    st.lists(st.sampled_from(JSON_PIECES), max_size=60).map(lambda p: "".join(p).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.integers(min_value=0, max_value=3000).map(
        lambda depth: b'{"version": 1, "entries": ' + b"[" * depth + b"]" * depth + b"}"
    ),
)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@seed(CACHE_SEED)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cache_files)
def check_any_cache_file(raw: bytes) -> None:
    note(f"seed {CACHE_SEED}: replay with PROLO_HYPOTHESIS_SEED={CACHE_SEED}")
    collected = Collect()
    cache_logger = logging.getLogger("sphinx.sphinx_prolo.linkcheck.cache")
    cache_logger.addHandler(collected)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cache.json"
            path.write_bytes(raw)
            cache = LinkCache.load(path, 60.0)
            # Whatever was kept is written back and read again unchanged, without a warning.
            cache.path = Path(folder) / "again.json"
            cache.save()
            again = LinkCache.load(cache.path, 60.0)
    finally:
        cache_logger.removeHandler(collected)
    warned = [r for r in collected.records if getattr(r, "subtype", None) == "linkcheck"]
    assert len(warned) == len(collected.records) <= 1
    if warned:
        assert cache.entries == {}
    assert again.entries == cache.entries
    for uri, entry in cache.entries.items():
        assert isinstance(uri, str)
        assert uri.lower().startswith(("http:", "https:"))
        assert set(entry) == {"checked", "code"}
        assert type(entry["checked"]) is float
        assert 0 <= entry["checked"] < 32_503_680_000  # the year 3000
        time.gmtime(entry["checked"])  # the report shows it as a date
        assert type(entry["code"]) is int
        assert 0 <= entry["code"] <= 999


def test_any_cache_file_gives_clean_entries_or_one_warning_never_an_error() -> None:
    """Bytes or JSON-ish text of any kind: ``LinkCache.load`` never raises, keeps only clean
    entries, and warns once at most, and only when it keeps nothing."""
    print(f"cache file property: seed {CACHE_SEED} (replay: PROLO_HYPOTHESIS_SEED={CACHE_SEED})")
    check_any_cache_file()


@pytest.mark.parametrize("ttl", [float("nan"), float("inf"), float("-inf"), -1])
def test_cache_ttl_must_be_a_finite_duration(project: Projects, ttl: float) -> None:
    project.write("ttlbad", site("http://unused.invalid", 1))
    app = project(
        "linkcheck", "linkcheck", name="ttlbad", confoverrides={"prolo_linkcheck_cache_ttl": ttl}
    )
    assert config_warning(app).startswith(f"prolo_linkcheck_cache_ttl = {ttl!r} is not accepted")


#: The review site's article: its next review is due on 2026-06-01, written on line 3.
REVIEW_DUE = "2026-06-01"


def review_site() -> dict[str, str]:
    files = site("http://unused.invalid", 1)
    files["links.md"] = "# No links\n"
    files["articles/prolotherapy.md"] = (
        f"---\nreviewed: 2020-01-01\nnext-review: {REVIEW_DUE}\n---\n\n# Prolotherapy\n\n"
        "See {therapy}`prp-injections`.\n"
    )
    return files


def review_rows(app: SphinxTestApp) -> list[dict[str, Any]]:
    return [row for row in rows(app) if row["uri"].startswith("review:")]


@pytest.mark.parametrize("offline", [True, False], ids=["offline", "online"])
def test_overdue_review_is_a_broken_row_that_fails_the_check(
    project: Projects, offline: bool
) -> None:
    project.write("review", review_site())
    app = project(
        "linkcheck",
        "linkcheck",
        name="review",
        confoverrides={"today": "2026-11-26", "prolo_linkcheck_offline": offline},
    )
    app.build()
    assert review_rows(app) == [
        {
            "filename": "articles/prolotherapy.md",
            "lineno": 3,
            "status": "broken",
            "code": 0,
            "uri": "review:articles/prolotherapy",
            "info": f"review overdue: the next review was due on {REVIEW_DUE}",
        }
    ]
    assert (
        "articles/prolotherapy.md:3: [broken] review:articles/prolotherapy: review overdue:"
        f" the next review was due on {REVIEW_DUE}" in text_lines(app)
    )
    assert app.statuscode == 1
    assert [text for text in warnings_of(app) if "[prolo.review]" in text] == [
        "SRC/articles/prolotherapy.md:3: WARNING: review overdue: the next review of"
        f" 'articles/prolotherapy' was due on {REVIEW_DUE} [prolo.review]"
    ]


@pytest.mark.parametrize("today", ["2026-05-31", REVIEW_DUE])
def test_review_not_yet_overdue_passes_the_check(project: Projects, today: str) -> None:
    project.write("review", review_site())
    app = project(
        "linkcheck",
        "linkcheck",
        name="review",
        confoverrides={"today": today, "prolo_linkcheck_offline": True},
    )
    app.build()
    assert review_rows(app) == []
    assert app.statuscode == 0
    assert warnings_of(app) == []


def test_overdue_review_never_stops_an_html_build(project: Projects) -> None:
    project.write("review", review_site())
    app = project("linkcheck", "html", name="review", confoverrides={"today": "2026-11-26"})
    app.build()
    assert warnings_of(app) == []
    assert app.statuscode == 0
    status = app.status.getvalue()
    assert (
        f"{app.srcdir}/articles/prolotherapy.md:3: review overdue: the next review of"
        f" 'articles/prolotherapy' was due on {REVIEW_DUE}" in status
    )
