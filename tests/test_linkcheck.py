"""Link-check builds: therapy references and external links, offline mode, the cache.

Every request goes to a server the tests start on 127.0.0.1; nothing reaches the internet.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import pytest
from linkserver import LinkServer, refused_port

from conftest import warnings_of

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

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


@pytest.mark.parametrize("content", ["not json at all {", '{"version": 1, "entries": []}', "[]"])
def test_corrupt_cache_gives_one_warning_and_a_full_check(
    project: Projects, server: LinkServer, content: str
) -> None:
    project.write("corrupt", cached_site(server))
    first = run(project, "corrupt")
    cache_file(first).write_text(content, encoding="utf-8")
    server.reset()
    second = run(project, "corrupt")
    for path in WORKING_PATHS:
        assert server.count(path) >= 1, path
    warnings = [line for line in warnings_of(second) if "[prolo.linkcheck]" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("WARNING: link-check cache ")
    assert "cannot be used" in warnings[0]
    # The next run has a good cache again: it was rewritten, not left broken.
    json.loads(cache_file(second).read_text(encoding="utf-8"))


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
