"""Link-check builds: therapy references and external links, offline mode, the cache.

Every request goes to a server the tests start on 127.0.0.1; nothing reaches the internet.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linkserver import LinkServer, refused_port
from sphinx.errors import ConfigError

from conftest import warnings_of
from sphinx_prolo.linkcheck import LinkCache

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


DAMAGED_CACHES = {
    "not json": b"not json at all {",
    "entries a list": b'{"version": 1, "entries": []}',
    "a list": b"[]",
    "binary bytes": bytes(range(256)) * 4,
    "NaN time": b'{"version": 1, "entries": {"http://a.example/": {"checked": NaN, "code": 200}}}',
    "infinite time": (
        b'{"version": 1, "entries": {"http://a.example/": {"checked": Infinity, "code": 200}}}'
    ),
    "infinite code": (
        b'{"version": 1, "entries": {"http://a.example/": {"checked": 1, "code": Infinity}}}'
    ),
    "huge code": (
        b'{"version": 1, "entries": {"http://a.example/": {"checked": 1, "code": 1e999}}}'
    ),
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "entry not a mapping": b'{"version": 1, "entries": {"http://a.example/": 5}}',
    "not an http URL": b'{"version": 1, "entries": {"javascript:x": {"checked": 1, "code": 200}}}',
    "other version": b'{"version": 99, "entries": {}}',
}


@pytest.mark.parametrize("content", DAMAGED_CACHES.values(), ids=DAMAGED_CACHES.keys())
def test_corrupt_cache_gives_one_warning_and_a_full_check(
    project: Projects, server: LinkServer, content: bytes
) -> None:
    project.write("corrupt", cached_site(server))
    first = run(project, "corrupt")
    cache_file(first).write_bytes(content)
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


@settings(max_examples=300, deadline=None, print_blob=True, derandomize=False)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(st.text(max_size=20), children, max_size=4)
            ),
            max_leaves=20,
        ).map(lambda value: json.dumps({"version": 1, "entries": value}).encode()),
        st.dictionaries(
            st.text(max_size=30),
            st.fixed_dictionaries(
                {"checked": st.floats() | st.integers(), "code": st.floats() | st.integers()}
            ),
            max_size=4,
        ).map(lambda entries: json.dumps({"version": 1, "entries": entries}).encode()),
    )
)
def test_any_cache_file_loads_or_is_refused_never_raises(raw: bytes) -> None:
    """Whatever the file holds, loading gives clean entries or one warning; it never raises."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cache.json"
        path.write_bytes(raw)
        cache = LinkCache.load(path, 60.0)
    for uri, entry in cache.entries.items():
        assert uri.startswith(("http:", "https:"))
        assert math.isfinite(entry["checked"])
        assert isinstance(entry["code"], int)
        assert 0 <= entry["code"] <= 999


@pytest.mark.parametrize("ttl", [float("nan"), float("inf"), -1])
def test_cache_ttl_must_be_a_finite_duration(project: Projects, ttl: float) -> None:
    project.write("ttlbad", site("http://unused.invalid", 1))
    with pytest.raises(ConfigError, match=r"^prolo_linkcheck_cache_ttl = .* is not accepted"):
        project(
            "linkcheck",
            "linkcheck",
            name="ttlbad",
            confoverrides={"prolo_linkcheck_cache_ttl": ttl},
        )


def review_site(due: str) -> dict[str, str]:
    files = site("http://unused.invalid", 1)
    files["links.md"] = "# No links\n"
    files["articles/prolotherapy.md"] = (
        f"---\nreviewed: 2020-01-01\nnext-review: {due}\n---\n\n# Prolotherapy\n\n"
        "See {therapy}`prp-injections`.\n"
    )
    return files


def test_overdue_review_is_a_broken_row_and_fails_the_check(
    project: Projects, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROLO_LINKCHECK_OFFLINE", "1")
    project.write("review", review_site("2026-06-01"))
    app = project("linkcheck", "linkcheck", name="review", confoverrides={"today": "2026-11-26"})
    app.build()
    assert app.statuscode == 1
    review = [row for row in rows(app) if row["uri"].startswith("review:")]
    assert review == [
        {
            "filename": "articles/prolotherapy.md",
            "lineno": 3,
            "status": "broken",
            "code": 0,
            "uri": "review:articles/prolotherapy",
            "info": "review overdue: the next review was due on 2026-06-01",
        }
    ]
    assert any("review:articles/prolotherapy" in line for line in text_lines(app))
    assert [line for line in warnings_of(app) if "[prolo.review]" in line] == [
        "SRC/articles/prolotherapy.md:3: WARNING: review overdue: the next review of"
        " 'articles/prolotherapy' was due on 2026-06-01 [prolo.review]"
    ]


def test_review_not_yet_due_passes_the_check_and_html_never_fails(
    project: Projects, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROLO_LINKCHECK_OFFLINE", "1")
    project.write("notdue", review_site("2027-06-01"))
    app = project("linkcheck", "linkcheck", name="notdue", confoverrides={"today": "2026-11-26"})
    app.build()
    assert app.statuscode == 0
    assert [row for row in rows(app) if row["uri"].startswith("review:")] == []
    # An overdue project built as HTML: no warning, one information line naming the article.
    project.write("review-html", review_site("2027-06-01"))
    html = project("linkcheck", "html", name="review-html", confoverrides={"today": "2027-11-26"})
    html.build()
    assert warnings_of(html) == []
    assert "articles/prolotherapy.md:3: review overdue" in html.status.getvalue()
