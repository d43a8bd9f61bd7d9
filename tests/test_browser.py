"""The Learning Centre in a real browser: Debian's Chromium, driven by Playwright, with axe-core.

The site is built from docs/ and served on 127.0.0.1.  Every article and the landing page are
loaded in light and dark mode, at a phone width and a desktop width.  Without Chromium the tests
are skipped with the reason, unless ``PROLO_REQUIRE_BROWSER=1`` (set by CI), which makes a
missing browser a failure.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
import struct
import subprocess
import sys
import threading
import zlib
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import DOCS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "_artifacts"
ARTICLES = sorted(
    f"learning-centre/{path.stem}.html" for path in DOCS.glob("learning-centre/*.md")
)
PAGES = ["index.html", *ARTICLES]
WIDTHS = {"phone": 375, "desktop": 1280}
MODES = ("light", "dark")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    reason = browser_missing()
    if reason is not None:
        if os.environ.get("PROLO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PROLO_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build docs/ (as `make html` does, strictly) and serve it on 127.0.0.1."""
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-n", "-W", "-b", "html", str(DOCS), str(out)],
        check=True,
    )
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


AXE = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(
    encoding="utf-8"
)


def open_page(browser: Browser, url: str, mode: str, width: int) -> tuple[Page, list[str]]:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=mode, reduced_motion="reduce"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    return page, errors


def axe_results(page: Page) -> dict[str, Any]:
    page.add_script_tag(content=AXE)
    results: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document.querySelector('article'), {
            resultTypes: ['violations', 'incomplete'],
        })"""
    )
    return results


def describe(rules: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{rule['id']}: {rule['help']} at {[node['target'] for node in rule['nodes']]}"
        for rule in rules
    )


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_accessibly(
    browser: Browser, site: str, path: str, mode: str, width_name: str
) -> None:
    page, errors = open_page(browser, site + path, mode, WIDTHS[width_name])
    try:
        assert errors == [], errors
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        expected = "rgb(19, 20, 22)" if mode == "dark" else "rgb(255, 255, 255)"
        assert background == expected, (mode, background)

        article = page.locator("article")
        if path != "index.html":
            for kind, title in (("disclaimer", "Disclaimer"), ("please-note", "Please note")):
                notice = article.locator(f"div.prolo-{kind}")
                assert notice.count() == 1, kind
                assert notice.is_visible(), kind
                heading = notice.locator("p.admonition-title")
                assert heading.is_visible(), kind
                assert heading.inner_text().strip() == title
                assert notice.get_attribute("role") == "note"
                assert notice.get_attribute("aria-label") == title

        results = axe_results(page)
        assert results["violations"] == [], describe(results["violations"])
        aria = [rule for rule in results["incomplete"] if rule["id"].startswith("aria")]
        assert aria == [], describe(aria)

        links = article.locator("a.prolo-therapy")
        assert links.count() >= 3
        hrefs = links.evaluate_all("links => links.map(a => a.href)")
        statuses = page.evaluate(
            "async hrefs => Promise.all(hrefs.map(h => fetch(h).then(r => r.status)))", hrefs
        )
        assert set(statuses) == {200}, dict(zip(hrefs, statuses, strict=True))
        first = links.first
        target = first.evaluate("a => a.href")
        first.click()
        page.wait_for_url(target)
        assert page.url == target
        assert page.locator("article h1").count() == 1
        assert errors == [], errors
    finally:
        page.context.close()


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG.

    Enough of the format for Chromium's screenshots, so that the test needs no image library.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * size
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up = previous[x]
            corner = previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min(
                    (abs(guess - left), 0, left),
                    (abs(guess - up), 1, up),
                    (abs(guess - corner), 2, corner),
                )
                line[x] = (line[x] + near[2]) & 0xFF
        rows.append(
            bytes(line if size == 3 else bytes(b for i, b in enumerate(line) if i % 4 != 3))
        )
        previous = line
    return width, height, rows


def rgb_of(css: str) -> tuple[int, int, int]:
    red, green, blue = (int(float(part)) for part in re.findall(r"[\d.]+", css)[:3])
    return red, green, blue


def notice_colour_on_screen(browser: Browser, site: str, mode: str) -> tuple[int, int, int]:
    """Screenshot the prolotherapy article in *mode*; the disclaimer's colour as drawn.

    Checks that the disclaimer is wholly in view and that the colour most pixels inside it have
    is its computed background.
    """
    page, errors = open_page(browser, site + "learning-centre/prolotherapy.html", mode, 1280)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"prolotherapy-{mode}.png"
        page.screenshot(path=str(target), full_page=False)
        notice = page.locator("div.prolo-disclaimer")
        box = notice.bounding_box()
        assert box is not None
        width, height, rows = png_pixels(target.read_bytes())
        assert (width, height) == (1280, 900)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
        background = rgb_of(notice.evaluate("node => getComputedStyle(node).backgroundColor"))
        counts: Counter[tuple[int, int, int]] = Counter()
        for y in range(int(box["y"]) + 2, int(box["y"] + box["height"]) - 2, 2):
            row = rows[y]
            for x in range(int(box["x"]) + 2, int(box["x"] + box["width"]) - 2, 2):
                counts[(row[3 * x], row[3 * x + 1], row[3 * x + 2])] += 1
        drawn = counts.most_common(1)[0][0]
        assert all(abs(a - b) <= 3 for a, b in zip(drawn, background, strict=True)), (
            mode,
            drawn,
            background,
        )
        assert errors == []
        return drawn
    finally:
        page.context.close()


def test_screenshots_of_an_article(browser: Browser, site: str) -> None:
    """The disclaimer is in view at the top of the article, in each mode's own colours."""
    light, dark = (notice_colour_on_screen(browser, site, mode) for mode in MODES)
    assert sum(light) > sum(dark) + 150, (light, dark)


def test_printed_article_keeps_notices_and_drops_navigation(browser: Browser, site: str) -> None:
    page, errors = open_page(browser, site + "learning-centre/prolotherapy.html", "light", 1280)
    try:
        hidden_in_print = (".sidebar-drawer", ".toc-drawer", ".mobile-header")
        # On screen the navigation is there (the sidebars are even visible at this width) ...
        for selector in hidden_in_print:
            assert page.locator(selector).count() > 0, selector
        for selector in (".sidebar-drawer", ".toc-drawer"):
            assert page.locator(selector).first.is_visible(), selector
        # ... and printed, it is gone while both notices stay.
        page.emulate_media(media="print")
        assert page.locator("div.prolo-disclaimer").is_visible()
        assert page.locator("div.prolo-please-note").is_visible()
        for selector in hidden_in_print:
            assert not page.locator(selector).first.is_visible(), selector
        assert errors == []
    finally:
        page.context.close()
