"""Directives written with ``:::`` on a site whose MyST does not read them.

MyST reads ``:::{disclaimer}`` only with its ``colon_fence`` extension on; without it the page
shows the line as text, and the notice is silently missing. A Markdown page that writes one of
sphinx-prolo's directives that way, on such a site, gets a ``prolo.notice`` warning at the line,
saying how to fix it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The directives sphinx-prolo adds, as a colon fence opens them.
_COLON_FENCE = re.compile(
    r"^ {0,3}:{3,}\s*\{((?:prolo:)?(?:disclaimer|please-note|seek-help|related-articles"
    r"|article-index|article-report|reviewer-list))\}",
    re.MULTILINE,
)


def check_colon_fences(app: Sphinx, docname: str, source: list[str]) -> None:
    """Warn about ``:::{disclaimer}`` in a Markdown page when MyST's colon_fence is off."""
    extensions = getattr(app.config, "myst_enable_extensions", None)
    if extensions is None or "colon_fence" in extensions:
        return  # not a MyST site, or one that reads colon fences
    if not str(app.env.doc2path(docname)).endswith(".md"):
        return
    text = source[0]
    for found in _COLON_FENCE.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
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
