"""The Learning Centre in a real browser: Debian's Chromium, driven by Playwright, with axe-core.

The site is built from docs/ and served on 127.0.0.1.  Every article and the landing page are
loaded in light and dark mode, at a phone width and a desktop width.  Without Chromium the tests
are skipped with the reason, unless ``PROLO_REQUIRE_BROWSER=1`` (set by CI), which makes a
missing browser a failure.
"""

from __future__ import annotations

import base64
import functools
import importlib.resources
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import zlib
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from conftest import DOCS

sys.path.insert(0, str(DOCS))
from clinic_theme import landmark_names

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "_artifacts"
ARTICLES = sorted(
    f"learning-centre/{path.stem}.html" for path in DOCS.glob("learning-centre/*.md")
)
PAGES = ["index.html", *ARTICLES]
WIDTHS = {"phone": 375, "desktop": 1280}
VIEWPORT_HEIGHT = 900
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
    """Serves the built site as a host does: a missing address gets the site's 404.html."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        # A language site's own 404 page (fr/404.html) for its addresses, as Read the Docs does.
        language = Path(self.directory) / self.path.lstrip("/").split("/", 1)[0] / "404.html"
        page = language if language.is_file() else Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build docs/ (as `make html` does, strictly) and serve it on 127.0.0.1, with the French
    Learning Centre (as `make html-fr` builds it) under fr/, as the two are published."""
    yield from build_and_serve(DOCS, tmp_path_factory.mktemp("site"), languages=("fr",))


def build_and_serve(source: Path, out: Path, languages: tuple[str, ...] = ()) -> Iterator[str]:
    """Build *source* strictly into *out* (and into out/<language> for each of *languages*),
    serve it on 127.0.0.1 and yield its address."""
    for language in ("", *languages):
        target = out / language if language else out
        environment = {**os.environ, "READTHEDOCS_LANGUAGE": language or "en"}
        environment.pop("READTHEDOCS_CANONICAL_URL", None)
        doctrees = out.parent / f"{out.name}-doctrees-{language or 'en'}"
        command = [sys.executable, "-m", "sphinx", "-q", "-n", "-W", "-b", "html"]
        subprocess.run(
            [*command, "-d", str(doctrees), str(source), str(target)],
            check=True,
            env=environment,
        )
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


AXE = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(
    encoding="utf-8"
)


def open_page(browser: Browser, url: str, mode: str, width: int) -> tuple[Page, list[str]]:
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORT_HEIGHT},
        color_scheme=mode,
        reduced_motion="reduce",
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
            # The warning signs, checked by axe below in this mode's colours too.
            for kind, title in (
                ("seek-help-advice", "Get advice from your clinic if:"),
                ("seek-help-urgent", "Get medical help today (your doctor, or call 811) if:"),
            ):
                box = article.locator(f"div.prolo-{kind}")
                assert box.count() >= 1, kind
                assert box.first.is_visible(), kind
                assert box.first.get_attribute("role") == "note"
                assert box.first.get_attribute("aria-label") == title

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


RGB = tuple[int, int, int]
ARTICLE = "learning-centre/prolotherapy.html"


def opaque_rgb(css: str) -> RGB:
    """A computed colour as (red, green, blue); a see-through one cannot be matched to pixels."""
    match = re.fullmatch(r"rgb\((\d+), (\d+), (\d+)\)", css)
    assert match is not None, f"expected an opaque rgb() colour, got {css!r}"
    red, green, blue = (int(part) for part in match.groups())
    return red, green, blue


def close(one: RGB, other: RGB, tolerance: int = 3) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(one, other, strict=True))


class Screenshot:
    """One viewport screenshot of the article, decoded, with what the page says was drawn in it."""

    def __init__(self, browser: Browser, site: str, mode: str) -> None:
        page, errors = open_page(browser, site + ARTICLE, mode, WIDTHS["desktop"])
        try:
            ARTIFACTS.mkdir(exist_ok=True)
            target = ARTIFACTS / f"prolotherapy-{mode}.png"
            page.screenshot(path=str(target), full_page=False, animations="disabled")
            self.png = target.read_bytes()
            self.width, self.height, self.rows = png_pixels(self.png)
            notice = page.locator("article div.prolo-disclaimer")
            assert notice.count() == 1
            title = notice.locator("p.admonition-title")
            boxes = {
                "notice": notice.bounding_box(),
                "title": title.bounding_box(),
                "article": page.locator("article").bounding_box(),
            }
            self.boxes = {name: box for name, box in boxes.items() if box is not None}
            assert sorted(self.boxes) == sorted(boxes), boxes

            def style(locator: Locator, prop: str) -> RGB:
                return opaque_rgb(locator.evaluate(f"n => getComputedStyle(n).{prop}"))

            self.notice_background = style(notice, "backgroundColor")
            self.title_background = style(title, "backgroundColor")
            self.text = style(notice.locator("p:not(.admonition-title)").first, "color")
            self.page_background = style(page.locator("body"), "backgroundColor")
            assert errors == [], errors
        finally:
            page.context.close()

    def pixel(self, x: int, y: int) -> RGB:
        assert 0 <= x < self.width and 0 <= y < self.height, ("outside the screenshot", x, y)
        row = self.rows[y]
        return row[3 * x], row[3 * x + 1], row[3 * x + 2]

    def region(self, left: float, top: float, right: float, bottom: float) -> Counter[RGB]:
        """How often each colour occurs among every other pixel of a rectangle (in CSS px)."""
        counts: Counter[RGB] = Counter()
        for y in range(round(top), round(bottom), 2):
            for x in range(round(left), round(right), 2):
                counts[self.pixel(x, y)] += 1
        assert counts, ("empty region", left, top, right, bottom)
        return counts


def dominant(counts: Counter[RGB]) -> tuple[RGB, float]:
    """The commonest colour of a region and the share of the region it covers."""
    colour, seen = counts.most_common(1)[0]
    return colour, seen / counts.total()


@pytest.fixture(scope="module")
def screenshots(browser: Browser, site: str) -> dict[str, Screenshot]:
    return {mode: Screenshot(browser, site, mode) for mode in MODES}


@pytest.mark.parametrize("mode", MODES)
def test_screenshot_shows_the_disclaimer_in_view_in_its_colours(
    screenshots: dict[str, Screenshot], mode: str
) -> None:
    shot = screenshots[mode]
    assert (shot.width, shot.height) == (WIDTHS["desktop"], VIEWPORT_HEIGHT)
    notice, title = shot.boxes["notice"], shot.boxes["title"]
    # The whole notice is inside the captured viewport, with room for its content.
    assert notice["x"] >= 0 and notice["x"] + notice["width"] <= shot.width, notice
    assert notice["y"] >= 0 and notice["y"] + notice["height"] <= shot.height, notice
    assert notice["height"] > title["height"] + 40, (notice, title)

    # Below the title bar and inside the borders, the pixels are the notice's background ...
    left, right = notice["x"] + 8, notice["x"] + notice["width"] - 8
    body = shot.region(
        left, title["y"] + title["height"] + 4, right, notice["y"] + notice["height"] - 4
    )
    colour, share = dominant(body)
    assert close(colour, shot.notice_background), (mode, colour, shot.notice_background)
    assert share > 0.6, (mode, share)
    # ... with its text drawn on it in the computed text colour ...
    inked = sum(n for drawn, n in body.items() if close(drawn, shot.text, 40))
    assert inked > 100, (mode, inked, shot.text)
    # ... under a title bar in the title's own background.
    bar = shot.region(left, title["y"] + 2, right, title["y"] + title["height"] - 2)
    colour, share = dominant(bar)
    assert close(colour, shot.title_background), (mode, colour, shot.title_background)
    assert share > 0.6, (mode, share)

    # Beside the article, the page's own background shows, and the notice stands out from it.
    article = shot.boxes["article"]
    beside = shot.region(
        article["x"] + article["width"] + 4,
        notice["y"],
        shot.width - 4,
        notice["y"] + notice["height"],
    )
    colour, share = dominant(beside)
    assert close(colour, shot.page_background), (mode, colour, shot.page_background)
    assert share > 0.95, (mode, share)
    assert not close(shot.notice_background, shot.page_background, 5)


def test_light_and_dark_screenshots_differ_in_colour_only(
    screenshots: dict[str, Screenshot],
) -> None:
    light, dark = screenshots["light"], screenshots["dark"]
    # The same layout in both modes ...
    for name, box in light.boxes.items():
        assert all(abs(box[key] - dark.boxes[name][key]) < 1 for key in box), (name, box)
    # ... in light colours on the one and dark ones on the other ...
    for attribute in ("page_background", "notice_background", "title_background"):
        bright, dim = getattr(light, attribute), getattr(dark, attribute)
        assert sum(bright) > sum(dim) + 300, (attribute, bright, dim)
    assert sum(light.text) + 300 < sum(dark.text), (light.text, dark.text)
    # ... so nearly every pixel inside the notice differs between the two PNGs.
    notice = light.boxes["notice"]
    points = [
        (x, y)
        for y in range(round(notice["y"]) + 2, round(notice["y"] + notice["height"]) - 2, 3)
        for x in range(round(notice["x"]) + 2, round(notice["x"] + notice["width"]) - 2, 3)
    ]
    same = sum(close(light.pixel(x, y), dark.pixel(x, y), 24) for x, y in points)
    assert same / len(points) < 0.05, (same, len(points))


def row_checksums(width: int, rows: list[bytes]) -> list[int]:
    """Per row, a weighted sum of the RGB values (computed the same way in the page below)."""
    return [
        sum(
            (row[3 * x] + 3 * row[3 * x + 1] + 7 * row[3 * x + 2]) * (x % 97 + 1)
            for x in range(width)
        )
        for row in rows
    ]


def test_png_decoder_agrees_with_chromium(
    browser: Browser, screenshots: dict[str, Screenshot]
) -> None:
    """The pure-Python decoder the screenshot checks rely on reads every pixel as Chromium does."""
    page = browser.new_page()
    try:
        for mode, shot in screenshots.items():
            url = "data:image/png;base64," + base64.b64encode(shot.png).decode("ascii")
            width, height, sums = page.evaluate(
                """async url => {
                    const image = new Image();
                    image.src = url;
                    await image.decode();
                    const canvas = document.createElement('canvas');
                    canvas.width = image.width;
                    canvas.height = image.height;
                    const context = canvas.getContext('2d');
                    context.drawImage(image, 0, 0);
                    const data = context.getImageData(0, 0, image.width, image.height).data;
                    const sums = [];
                    for (let y = 0; y < image.height; y++) {
                        let sum = 0;
                        for (let x = 0; x < image.width; x++) {
                            const i = 4 * (y * image.width + x);
                            sum += (data[i] + 3 * data[i + 1] + 7 * data[i + 2]) * (x % 97 + 1);
                        }
                        sums.push(sum);
                    }
                    return [image.width, image.height, sums];
                }""",
                url,
            )
            assert (width, height) == (shot.width, shot.height), mode
            mine = row_checksums(shot.width, shot.rows)
            wrong = [y for y in range(height) if sums[y] != mine[y]]
            assert wrong == [], (mode, "rows decoded differently", wrong[:10])
    finally:
        page.close()


PRINT_WIDTHS = {"wide": 1440, "phone": WIDTHS["phone"]}
#: The navigation that printing drops, and the width at which each part is in view on screen.
DROPPED_IN_PRINT = {".sidebar-drawer": "wide", ".toc-drawer": "wide", ".mobile-header": "phone"}


def in_view(page: Page, selector: str) -> bool:
    """Whether the first match is rendered and lies, at least partly, inside the viewport."""
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    assert size is not None
    return (
        box is not None
        and box["width"] > 0
        and box["height"] > 0
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] < size["height"]
    )


@pytest.mark.parametrize("width_name", sorted(PRINT_WIDTHS))
def test_printed_article_keeps_notices_and_drops_navigation(
    browser: Browser, site: str, width_name: str
) -> None:
    page, errors = open_page(browser, site + ARTICLE, "light", PRINT_WIDTHS[width_name])
    try:
        # On screen, every part of the navigation is on the page, and in view at its width ...
        for selector, shown_at in DROPPED_IN_PRINT.items():
            assert page.locator(selector).count() > 0, selector
            if shown_at == width_name:
                assert in_view(page, selector), (selector, width_name)
        # ... and printed, none of it is rendered ...
        page.emulate_media(media="print")
        for selector in DROPPED_IN_PRINT:
            matches = page.locator(selector)
            shown = [i for i in range(matches.count()) if matches.nth(i).is_visible()]
            assert shown == [], (selector, shown)
        # ... while the article and both notices are, in black ink without a tinted background.
        assert page.locator("article h1").is_visible()
        for kind in ("disclaimer", "please-note"):
            notice = page.locator(f"article div.prolo-{kind}")
            assert notice.count() == 1, kind
            assert notice.is_visible(), kind
            assert notice.locator("p.admonition-title").is_visible(), kind
            assert len(notice.inner_text()) > 100, kind
            ink = notice.evaluate(
                "n => [getComputedStyle(n).color, getComputedStyle(n).backgroundColor]"
            )
            assert ink == ["rgb(0, 0, 0)", "rgba(0, 0, 0, 0)"], (kind, ink)
        assert errors == [], errors
    finally:
        page.context.close()


# --- the page a reader gets at an address that does not exist -----------------------------------

MISSING = "a/b/c/missing.html"


@pytest.mark.parametrize("mode", MODES)
def test_a_missing_address_at_any_depth_gets_the_styled_404_page(
    browser: Browser, site: str, mode: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": VIEWPORT_HEIGHT})
    page = context.new_page()
    try:
        page.emulate_media(color_scheme=mode)
        response = page.goto(site + MISSING, wait_until="load")
        assert response is not None and response.status == 404
        assert page.locator("article h1").inner_text().strip("¶ ") == "Page not found"
        # The site's own look: furo's and the clinic's stylesheets loaded from the site's root.
        brand = page.evaluate(
            "getComputedStyle(document.body).getPropertyValue('--color-brand-primary').trim()"
        )
        assert brand == ("#6cc3d5" if mode == "dark" else "#0f5f73"), brand
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(19, 20, 22)" if mode == "dark" else "rgb(255, 255, 255)")
        assert page.locator(".sidebar-logo").evaluate("img => img.naturalWidth") > 0
        # Every link on the page leads somewhere that exists.
        hrefs = page.locator("a[href]").evaluate_all(
            "links => links.map(a => a.href).filter(h => h.startsWith(location.origin))"
        )
        # In-page links ("#", the skip link) point at the missing address itself.
        pages = sorted({href.split("#")[0] for href in hrefs} - {site + MISSING})
        assert any(href.endswith("/learning-centre/prolotherapy.html") for href in pages)
        statuses = page.evaluate(
            "async hrefs => Promise.all(hrefs.map(h => fetch(h).then(r => r.status)))", pages
        )
        assert set(statuses) == {200}, dict(zip(pages, statuses, strict=True))
        results = axe_results(page)
        assert results["violations"] == [], describe(results["violations"])
    finally:
        context.close()


def test_the_404_search_box_finds_an_article(browser: Browser, site: str) -> None:
    page, errors = open_page(browser, site + MISSING, "light", WIDTHS["phone"])
    try:
        box = page.get_by_label("Search the Learning Centre")
        box.fill("prolotherapy")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search\.html\?q=prolotherapy"))
        first = page.locator("#search-results ul.search li a").first
        first.wait_for(timeout=15_000)
        assert first.evaluate("a => a.href").endswith("/learning-centre/prolotherapy.html")
        results = axe_results(page)
        assert results["violations"] == [], describe(results["violations"])
        # The one error: the missing address itself answered 404, as it must.
        assert len(errors) == 1 and "status of 404" in errors[0], errors
    finally:
        page.context.close()


# --- search in patients' words ------------------------------------------------------------------


def article_keywords() -> list[tuple[str, str, str]]:
    """(page, keyword, summary) for every keyword in the front matter of every article."""
    found = []
    for path in sorted(DOCS.glob("learning-centre/*.md")):
        lines = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].splitlines()[1:]
        meta = dict(line.split(": ", 1) for line in lines if ": " in line)
        for keyword in json.loads(meta["keywords"]):
            found.append((f"learning-centre/{path.stem}.html", keyword, meta["summary"]))
    return found


KEYWORDS = article_keywords()


def search_results(page: Page, site: str, query: str) -> list[dict[str, str]]:
    """The results the search page lists for *query*, once they are all shown."""
    page.goto(f"{site}search.html?q={quote(query)}", wait_until="load")
    page.locator("#search-results p.search-summary").wait_for(timeout=15_000)
    items = page.locator("#search-results ul.search > li")
    # The summaries arrive with the pages Sphinx fetches: wait for the first one.
    items.first.locator("p.context").wait_for(timeout=15_000)
    return items.evaluate_all(
        """items => items.map(item => ({
            href: item.querySelector('a').href,
            text: item.querySelector('a').textContent,
            summary: (item.querySelector('p.context') || {}).textContent || '',
        }))"""
    )


def test_every_article_has_keywords_to_search() -> None:
    assert {page for page, _keyword, _summary in KEYWORDS} == set(ARTICLES)


@pytest.mark.parametrize(
    ("path", "keyword", "summary"), KEYWORDS, ids=[k for _p, k, _s in KEYWORDS]
)
def test_searching_a_keyword_lists_its_article_first_and_once_with_its_summary(
    browser: Browser, site: str, path: str, keyword: str, summary: str
) -> None:
    page, errors = open_page(browser, site + "index.html", "light", WIDTHS["desktop"])
    try:
        results = search_results(page, site, keyword)
        hrefs = [result["href"].split("#")[0] for result in results]
        assert hrefs[0] == site + path, (keyword, hrefs)
        assert hrefs.count(site + path) == 1, (keyword, hrefs)
        assert "sphinx-prolo article" not in page.locator("#search-results").inner_text()
        assert results[0]["summary"].strip() == summary, results[0]
        assert errors == [], errors
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", MODES)
def test_the_search_page_with_results_is_accessible(
    browser: Browser, site: str, mode: str
) -> None:
    page, errors = open_page(browser, site + "index.html", mode, WIDTHS["phone"])
    try:
        assert search_results(page, site, "cortisone shot")
        results = axe_results(page)
        assert results["violations"] == [], describe(results["violations"])
        assert errors == [], errors
    finally:
        page.context.close()


# --- a renamed article, reached at its old address -----------------------------------------------


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site whose article moved from old/prp.html to learning-centre/."""
    src = tmp_path_factory.mktemp("renamed-src")
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_prolo"]\nhtml_theme = "furo"\n'
        'prolo_article_patterns = ["learning-centre/*"]\n',
        "index.md": "# Home\n\n```{toctree}\n:glob:\nlearning-centre/*\n```\n",
        "learning-centre/prp-injections.md": "---\nredirect-from: [old/prp]\n---\n\n"
        "# PRP injections\n\nText.\n",
    }
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    yield from build_and_serve(src, tmp_path_factory.mktemp("renamed-out"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_renamed_article_at_its_old_address_lands_on_the_new_one(
    browser: Browser, renamed_site: str, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(renamed_site + "old/prp.html", wait_until="load")
        page.wait_for_url(renamed_site + "learning-centre/prp-injections.html", timeout=10_000)
        assert page.locator("article h1").inner_text().strip("¶ ") == "PRP injections"
    finally:
        context.close()


# --- the French Learning Centre ----------------------------------------------------------------


def test_the_language_switcher_goes_to_the_counterpart_page_and_back(
    browser: Browser, site: str
) -> None:
    path = "learning-centre/prp-injections.html"
    page, errors = open_page(browser, site + path, "light", WIDTHS["phone"])
    try:
        french = page.locator("nav.prolo-languages a[hreflang=fr]")
        assert french.get_attribute("lang") == "fr"
        french.focus()  # reachable by keyboard: Enter follows it
        page.keyboard.press("Enter")
        page.wait_for_url(site + "fr/" + path)
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("article h1").inner_text().startswith("Injections de plasma riche")
        alternates = page.locator("link[rel=alternate][hreflang=en]")
        assert alternates.get_attribute("href").endswith("/" + path)
        page.locator("nav.prolo-languages a[hreflang=en]").click()
        page.wait_for_url(site + path)
        assert page.locator("html").get_attribute("lang") == "en"
        assert errors == [], errors
    finally:
        page.context.close()


def test_searching_a_french_word_finds_its_article(browser: Browser, site: str) -> None:
    page, errors = open_page(browser, site + "fr/index.html", "light", WIDTHS["desktop"])
    try:
        results = search_results(page, site + "fr/", "plaquettes")
        hrefs = [result["href"].split("#")[0] for result in results]
        assert site + "fr/learning-centre/prp-injections.html" in hrefs, hrefs
        assert errors == [], errors
    finally:
        page.context.close()


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("mode", MODES)
def test_a_french_article_is_accessible_and_in_french(
    browser: Browser, site: str, mode: str, width_name: str
) -> None:
    page, errors = open_page(
        browser, site + "fr/learning-centre/prolotherapy.html", mode, WIDTHS[width_name]
    )
    try:
        article = page.locator("article")
        titles = article.locator("p.admonition-title").all_inner_texts()
        assert "Avertissement" in titles and "À noter" in titles, titles
        assert "Demandez conseil à votre clinique si\u00a0:" in titles, titles
        results = axe_results(page)
        assert results["violations"] == [], describe(results["violations"])
        assert errors == [], errors
    finally:
        page.context.close()


# --- whole pages: every kind of page, every landmark, not just the article -----------------------

#: One page of each kind the patients open, in English and French (the 404 page as a host serves
#: it, at an address that does not exist).
PAGE_KINDS = {
    "landing": "index.html",
    "article": ARTICLE,
    "search": "search.html?q=" + quote("injection"),
    "terms": "terms.html",
    "about": "about.html",
    "404": MISSING,
    "condition": "conditions/tennis-elbow.html",
    "reviewers": "reviewers.html",
}
ALL_PAGES = {
    **{f"en-{kind}": path for kind, path in PAGE_KINDS.items()},
    **{f"fr-{kind}": "fr/" + path for kind, path in PAGE_KINDS.items()},
}
#: The handbook's landing page, a guide page with code and one with the reference tables.
HANDBOOK_PAGES = {
    "handbook-landing": "index.html",
    "handbook-guide": "writing-guide/notices.html",
    "handbook-reference": "reference/index.html",
    "handbook-search": "search.html?q=notice",
}


@pytest.fixture(scope="module")
def handbook(site: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The handbook, built as `make handbook` does after `make html`, served on 127.0.0.1."""
    copy = tmp_path_factory.mktemp("handbook-src")
    shutil.copytree(DOCS, copy / "docs", ignore=shutil.ignore_patterns("_build"))
    shutil.copy(DOCS.parent / "CHANGELOG.md", copy / "CHANGELOG.md")
    # The Learning Centre's inventory and content report, from the build the site fixture served.
    built = copy / "docs" / "_build" / "html"
    built.mkdir(parents=True)
    with urlopen(site + "objects.inv") as response:  # the local server on 127.0.0.1
        (built / "objects.inv").write_bytes(response.read())
    # The content report is written beside the patients' site, not in it.
    report = tmp_path_factory.getbasetemp() / "content-report.json"
    shutil.copy(report, copy / "docs" / "_build" / "content-report.json")
    yield from build_and_serve(copy / "docs" / "handbook", tmp_path_factory.mktemp("handbook"))


def open_kind(browser: Browser, url: str, mode: str, width: int, text_size: int = 16) -> Page:
    """A page of any kind, once it is complete (the search page: once its results are listed),
    with the browser's text size set to *text_size* pixels (16 is Chromium's own)."""
    if text_size == 16:
        page, _errors = open_page(browser, url, mode, width)
    else:
        context = browser.new_context(
            viewport={"width": width, "height": VIEWPORT_HEIGHT},
            color_scheme=mode,
            reduced_motion="reduce",
        )
        page = context.new_page()
        # The reader's own setting, as in Chromium's "Font size": rem, em and media queries in
        # em follow it, as they do for a reader who set it.
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        sizes = {"standard": text_size, "fixed": round(text_size * 13 / 16)}
        session.send("Page.setFontSizes", {"fontSizes": sizes})
        page.goto(url, wait_until="load")
    if "search.html?q=" in url:
        page.locator("#search-results p.search-summary").wait_for(timeout=15_000)
        page.locator("#search-results ul.search > li p.context").first.wait_for(timeout=15_000)
    return page


def whole_page_axe(page: Page) -> list[dict[str, Any]]:
    """axe's violations over the whole document, every rule and impact."""
    page.add_script_tag(content=AXE)
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return violations


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", sorted(ALL_PAGES))
def test_whole_page_has_no_axe_violation(
    browser: Browser, site: str, kind: str, mode: str, width_name: str
) -> None:
    page = open_kind(browser, site + ALL_PAGES[kind], mode, WIDTHS[width_name])
    try:
        assert page.evaluate("document.body.dataset.theme || 'auto'") == "auto"
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {mode})').matches")
        violations = whole_page_axe(page)
        assert violations == [], describe(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", sorted(HANDBOOK_PAGES))
def test_whole_handbook_page_has_no_axe_violation(
    browser: Browser, handbook: str, kind: str, mode: str, width_name: str
) -> None:
    page = open_kind(browser, handbook + HANDBOOK_PAGES[kind], mode, WIDTHS[width_name])
    try:
        violations = whole_page_axe(page)
        assert violations == [], describe(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_landmark_is_named_and_every_page_has_one_level_one_heading(
    browser: Browser, site: str, language: str
) -> None:
    """What the site's templates (docs/_templates) add to furo's markup, in the page's language."""
    names = landmark_names(language)
    prefix = "" if language == "en" else "fr/"
    for kind, path in PAGE_KINDS.items():
        page = open_kind(browser, site + prefix + path, "light", WIDTHS["desktop"])
        try:
            labels = page.evaluate(
                """() => [...document.querySelectorAll('aside, [role=region]')]
                    .map(e => [e.className.split(' ')[0], e.getAttribute('aria-label')])"""
            )
            expected = [
                ["sidebar-drawer", names["navigation"]],
                ["content-icon-container", names["page_tools"]],
                ["toc-drawer", names["contents"]],
            ]
            assert [label for label in labels if label[0] != "admonition"] == expected, kind
            headings = page.locator("h1").all_inner_texts()
            assert len(headings) == 1, (kind, headings)
            if kind == "search":
                assert headings == ["Search" if language == "en" else "Recherche"]
            # Sphinx's toctree captions are headings with a level
            # (sphinx_prolo.site.html_translator).
            captions = page.locator(".sidebar-tree p.caption[role=heading]")
            assert captions.count() == 3, kind  # conditions, treatments, the Learning Centre
            assert set(captions.evaluate_all("ps => ps.map(p => p.ariaLevel)")) == {"2"}, kind
        finally:
            page.context.close()


# --- beyond axe: the keyboard, focus, reflow --------------------------------------------------

FOCUSED = """async () => {
    const e = document.activeElement;
    // furo slides some controls in (the skip link): measure where they come to rest.
    await Promise.all(e.getAnimations().map(animation => animation.finished));
    // ... and where the page, scrolled to show them, comes to rest.
    const frame = () => new Promise(done => requestAnimationFrame(() => done(null)));
    for (let last = null; last !== scrollY; await frame()) last = scrollY;
    const box = e.getBoundingClientRect();
    return {
        name: (e.getAttribute('aria-label') || e.textContent || e.getAttribute('title') || '')
            .trim().replace(/\\s+/g, ' '),
        tag: e.tagName.toLowerCase(),
        classes: e.className,
        inMain: Boolean(e.closest('#furo-main-content')),
        box: [box.x, box.y, box.width, box.height],
        viewport: [innerWidth, innerHeight],
    };
}"""


def tab_through(page: Page, limit: int = 80) -> list[dict[str, Any]]:
    """Every element Tab reaches from the top of the page, once, in order, each checked where it
    is focused: inside the viewport, and drawn differently from when it is not focused."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    reached: list[dict[str, Any]] = []
    for _step in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        # furo's sidebars scroll smoothly to a focused link: measure once it has arrived.
        for _wait in range(20):
            page.wait_for_timeout(50)
            settled = page.evaluate(FOCUSED)
            if settled["box"] == focused["box"]:
                break
            focused = settled
        if focused["tag"] == "body" or (reached and focused == reached[0]):
            break
        x, y, width, height = focused["box"]
        view_width, view_height = focused["viewport"]
        focused["in_view"] = (
            width > 0
            and height > 0
            and x >= -1
            and y >= -1
            and x + width <= view_width + 1
            and y + height <= view_height + 1
        )
        if not focused["in_view"]:
            focused["indicator"] = False
            reached.append(focused)
            continue
        clip = {
            "x": max(x - 6, 0),
            "y": max(y - 6, 0),
            "width": min(width + 12, view_width - max(x - 6, 0)),
            "height": min(height + 12, view_height - max(y - 6, 0)),
        }
        shown = page.screenshot(clip=clip, animations="disabled", caret="hide")
        page.evaluate(
            "window.__prolo_focused = document.activeElement; document.activeElement.blur()"
        )
        hidden = page.screenshot(clip=clip, animations="disabled", caret="hide")
        # Back to where the keyboard was, without a click: focus() after keyboard use keeps the
        # keyboard's focus style, and Tab goes on from there.
        page.evaluate("window.__prolo_focused.focus({preventScroll: true})")
        focused["indicator"] = shown != hidden
        reached.append(focused)
    return reached


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("mode", MODES)
def test_every_control_is_reached_by_keyboard_in_order_with_a_visible_focus(
    browser: Browser, site: str, mode: str, width_name: str
) -> None:
    page, errors = open_page(browser, site + ARTICLE, mode, WIDTHS[width_name])
    try:
        positive = page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])")
        assert positive.count() == 0  # the tab order is the reading order
        reached = tab_through(page)
        names = [item["name"] for item in reached]
        unseen = [item["name"] for item in reached if not item["in_view"]]
        assert unseen == [], unseen  # no focus on anything off the screen (a closed drawer)
        plain = [item["name"] for item in reached if not item["indicator"]]
        assert plain == [], plain
        assert names[0] == "Skip to content"
        expected = ["Toggle Light / Dark / Auto color theme", "Français", "Tell us"]
        if width_name == "phone":
            expected = ["Toggle site navigation sidebar", *expected]
        else:
            expected = ["Search", *expected]
        expected.append("Toggle table of contents sidebar")  # a drawer below 82em, so at both
        for name in expected:
            assert name in names, (name, names)
        # The page's controls come before the article's links, the feedback link after them.
        first_in_main = next(i for i, item in enumerate(reached) if item["inMain"])
        assert names.index("Toggle Light / Dark / Auto color theme") < first_in_main
        assert names.index("Tell us") > first_in_main
        assert errors == [], errors
    finally:
        page.context.close()


@pytest.mark.parametrize("drawer", ["navigation", "toc"])
def test_a_phone_s_drawers_open_and_close_by_keyboard(
    browser: Browser, site: str, drawer: str
) -> None:
    page, errors = open_page(browser, site + ARTICLE, "light", WIDTHS["phone"])
    try:
        toggle_name, selector, inside = {
            "navigation": ("Toggle site navigation sidebar", ".sidebar-drawer", "Search"),
            "toc": ("Toggle table of contents sidebar", ".toc-drawer", "What to expect"),
        }[drawer]
        toggle = page.locator(f"button[aria-label='{toggle_name}']:visible")
        assert toggle.get_attribute("aria-expanded") == "false"
        # Closed, nothing in the drawer takes focus.
        assert toggle_name in [item["name"] for item in tab_through(page)]
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        page.wait_for_function(
            f"document.activeElement.closest('{selector}') !== null", timeout=5_000
        )
        box = page.locator(selector).evaluate(
            """async drawer => {
                await Promise.all(drawer.getAnimations().map(animation => animation.finished));
                const box = drawer.getBoundingClientRect();
                return {x: box.x, width: box.width};
            }"""
        )
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS["phone"]
        # Open, its links and (for the navigation) its search box are reached, in view.
        names = []
        for _step in range(20):
            focused = page.evaluate(FOCUSED)
            names.append(focused["name"])
            if focused["name"] == inside:
                x, _y, width, _height = focused["box"]
                assert x >= 0 and x + width <= WIDTHS["phone"], focused
                break
            page.keyboard.press("Tab")
        assert inside in names, names
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.evaluate(FOCUSED)["name"] == toggle_name
        assert errors == [], errors
    finally:
        page.context.close()


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("kind", ["en-article", "en-landing", "fr-article", "en-404"])
def test_the_skip_link_moves_focus_to_the_main_content(
    browser: Browser, site: str, kind: str, width_name: str
) -> None:
    page = open_kind(browser, site + ALL_PAGES[kind], "light", WIDTHS[width_name])
    try:
        page.keyboard.press("Tab")
        skip = page.evaluate(FOCUSED)
        assert skip["classes"].startswith("skip-to-content"), skip
        x, y, width, height = skip["box"]
        assert x >= 0 and y >= 0 and width > 0 and height > 0, skip  # shown when focused
        page.keyboard.press("Enter")
        assert page.url.endswith("#furo-main-content")
        main = page.locator("#furo-main-content").bounding_box()
        assert main is not None and abs(main["y"]) < VIEWPORT_HEIGHT
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["inMain"], page.evaluate(FOCUSED)
    finally:
        page.context.close()


def sideways_overflow(page: Page) -> list[str]:
    """The page's width beyond the viewport, and the visible elements that stick out of it."""
    found: list[str] = page.evaluate(
        """() => {
            const root = document.documentElement;
            const out = [];
            if (root.scrollWidth > root.clientWidth) out.push(`page ${root.scrollWidth}px`);
            for (const e of document.querySelectorAll('article *, header *, footer *')) {
                const box = e.getBoundingClientRect();
                if (box.width > 0 && box.right > root.clientWidth + 1
                    && e.checkVisibility({visibilityProperty: true})) {
                    out.push(`${e.tagName.toLowerCase()}.${e.className} ${Math.round(box.right)}`);
                }
            }
            return out.slice(0, 10);
        }"""
    )
    return found


#: WCAG 1.4.10 (320 px wide, which is 1280 px at 400% zoom) and 1.4.4 (200% zoom, which is
#: 640 px wide at 1280, and text alone at 200% of the reader's size, at both widths).
REFLOW = {
    "320px": (320, 16),
    "zoom-200": (640, 16),
    "text-200-phone": (WIDTHS["phone"], 32),
    "text-200": (WIDTHS["desktop"], 32),
}


#: The English pages, and a French one: the French pages share their layout, with longer words.
REFLOW_PAGES = sorted(kind for kind in ALL_PAGES if kind.startswith("en-") or kind == "fr-article")


def assert_reflows(browser: Browser, url: str, kind: str, reflow: str) -> None:
    """The page at *url*, at the width and text size of *reflow*, scrolls only downwards."""
    width, text_size = REFLOW[reflow]
    page = open_kind(browser, url, "light", width, text_size)
    try:
        size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
        assert size == f"{text_size}px"
        assert sideways_overflow(page) == [], (kind, reflow)
    finally:
        page.context.close()


@pytest.mark.parametrize("reflow", sorted(REFLOW))
@pytest.mark.parametrize("kind", REFLOW_PAGES)
def test_pages_reflow_without_sideways_scrolling(
    browser: Browser, site: str, kind: str, reflow: str
) -> None:
    assert_reflows(browser, site + ALL_PAGES[kind], kind, reflow)


@pytest.mark.parametrize("reflow", sorted(REFLOW))
@pytest.mark.parametrize("kind", sorted(HANDBOOK_PAGES))
def test_handbook_pages_reflow_without_sideways_scrolling(
    browser: Browser, handbook: str, kind: str, reflow: str
) -> None:
    assert_reflows(browser, handbook + HANDBOOK_PAGES[kind], kind, reflow)


# --- entry by problem: condition pages found in the patient's words ---------------------------

CONDITION_SEARCHES = [
    ("", "tennis elbow", "conditions/tennis-elbow.html"),
    ("", "plantar fasciitis", "conditions/plantar-heel-pain.html"),
    ("", "achilles tendon pain", "conditions/achilles-tendinopathy.html"),
    ("", "jumper's knee", "conditions/patellar-tendinopathy.html"),
    ("fr/", "épicondylite", "conditions/tennis-elbow.html"),
    ("fr/", "fasciite plantaire", "conditions/plantar-heel-pain.html"),
]


@pytest.mark.parametrize(
    ("language", "query", "path"), CONDITION_SEARCHES, ids=[q for _l, q, _p in CONDITION_SEARCHES]
)
def test_a_condition_s_name_finds_its_page_first(
    browser: Browser, site: str, language: str, query: str, path: str
) -> None:
    page, errors = open_page(browser, site + language + "index.html", "light", WIDTHS["desktop"])
    try:
        results = search_results(page, site + language, query)
        hrefs = [result["href"].split("#")[0] for result in results]
        assert hrefs[0] == site + language + path, (query, hrefs[:3])
        assert errors == [], errors
    finally:
        page.context.close()


@pytest.mark.parametrize("language", ["", "fr/"])
def test_a_search_that_finds_nothing_says_what_to_try(
    browser: Browser, site: str, language: str
) -> None:
    page, errors = open_page(browser, site + language + "index.html", "light", WIDTHS["phone"])
    try:
        page.goto(f"{site}{language}search.html?q=zzqqxxwv", wait_until="load")
        status = page.locator("#search-results p.search-summary.prolo-no-results")
        status.wait_for(timeout=15_000)
        text = status.inner_text()
        assert "categories" not in text and "catégories" not in text, text
        link = status.locator("a")
        assert link.get_attribute("href").endswith("index.html"), link.get_attribute("href")
        # One heading: the page's own; Sphinx's "Search Results" is hidden.
        visible = page.locator("article h1:visible, article h2:visible")
        assert visible.count() == 1, visible.all_inner_texts()
        assert page.locator("nav.prolo-languages").count() == 1
        assert errors == [], errors
    finally:
        page.context.close()


@pytest.mark.parametrize("path", ["index.html", "search.html?q=knee", "fr/index.html"])
def test_a_search_box_is_visible_on_a_phone_without_opening_the_menu(
    browser: Browser, site: str, path: str
) -> None:
    page, errors = open_page(browser, site + path, "light", WIDTHS["phone"])
    try:
        box = page.locator("article form.prolo-search-box input[name=q]")
        assert box.count() == 1 and box.is_visible()
        if "q=knee" in path:
            assert box.input_value() == "knee"
        box.fill("tennis elbow")
        box.press("Enter")
        page.wait_for_url("**/search.html?q=tennis*")
        assert errors == [], errors
    finally:
        page.context.close()
