"""Directives written with ``:::`` on a site whose MyST does not read them.

MyST reads ``:::{disclaimer}`` only with its ``colon_fence`` extension on; without it the page
shows the line as text, and the notice is silently missing. A Markdown page that writes one of
sphinx-prolo's directives that way, on such a site, gets a ``prolo.notice`` warning at the line,
saying how to fix it; a fence shown in a code block (a page about writing pages) is not one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The directives sphinx-prolo adds, as a colon fence opens them.
_COLON_FENCE = re.compile(
    r"^\s*:{3,}\s*\{((?:prolo:)?(?:disclaimer|please-note|seek-help|related-articles"
    r"|article-index|article-report|reviewer-list|search-box))\}"
)


def is_markdown(config: Config, path: str) -> bool:
    """Whether the source file *path* is read by MyST: a suffix that site maps to Markdown."""
    suffixes = config.source_suffix
    if not isinstance(suffixes, dict):
        return path.endswith(".md")
    return any(path.endswith(suffix) and kind == "markdown" for suffix, kind in suffixes.items())


def text_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of each line of Markdown *text* a reader sees as text: code, raw
    HTML and what is nested in them are left out; quotes and list items are read past."""
    try:
        from markdown_it import MarkdownIt  # MyST's own parser, there on every MyST site
    except ImportError:  # pragma: no cover - MyST brings it
        yield from enumerate(text.splitlines(), start=1)
        return
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline" and token.map:
            for offset, line in enumerate(token.content.split("\n")):
                yield token.map[0] + offset + 1, line


def check_colon_fences(app: Sphinx, docname: str, source: list[str]) -> None:
    """Warn about ``:::{disclaimer}`` in a Markdown page when MyST's colon_fence is off."""
    extensions = getattr(app.config, "myst_enable_extensions", None)
    if extensions is None or "colon_fence" in extensions:
        return  # not a MyST site, or one that reads colon fences
    if not is_markdown(app.config, str(app.env.doc2path(docname))):
        return
    if ":::" not in source[0]:
        return
    for line, text in text_lines(source[0]):
        found = _COLON_FENCE.match(text)
        if found is None:
            continue
        warn_and_keep(
            app.env,
            docname,
            line,
            "notice",
            __(
                "':::{%s}' is shown as text: MyST reads ':::' fences only with its colon_fence "
                'extension; add "colon_fence" to myst_enable_extensions, or write ```{%s}'
            ),
            found[1],
            found[1],
        )


def setup_colon_fence(app: Sphinx) -> None:
    """Check Markdown pages for colon fences MyST will not read."""
    app.connect("source-read", check_colon_fences)
