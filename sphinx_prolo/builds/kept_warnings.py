"""Warnings found while a document is read: reported, kept, and repeated until fixed.

Sphinx reads only the documents that changed, so a warning found while reading a document would
vanish from the next incremental build although nothing was fixed.  Each one is kept per
document in the build environment (purged and merged per document by an environment collector,
like Sphinx's own data) and repeated by every build that does not read the document again.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Set

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: A warning kept for a document: message, line (or None) and subtype.
KeptWarning = tuple[str, int | None, str]


def kept_warnings(env: BuildEnvironment) -> dict[str, list[KeptWarning]]:
    """docname -> the warnings found the last time it was read (plain data, pickled)."""
    kept: dict[str, list[KeptWarning]] | None = getattr(env, "prolo_kept_warnings", None)
    if kept is None:
        kept = {}
        env.prolo_kept_warnings = kept  # type: ignore[attr-defined]
    return kept


def warn_and_keep(
    env: BuildEnvironment, docname: str, line: int | None, subtype: str, message: str, *args: Any
) -> None:
    """Warn about *docname* while it is read, and keep the warning for builds that skip it."""
    text = message % args if args else message
    logger.warning(text, location=(docname, line), type="prolo", subtype=subtype)
    kept_warnings(env).setdefault(docname, []).append((text, line, subtype))


class KeptWarningsCollector(EnvironmentCollector):
    """Forgets a document's warnings when it is read again; merges them from parallel reads."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        kept_warnings(env).pop(docname, None)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        ours, theirs = kept_warnings(env), kept_warnings(other)
        for docname in docnames:
            if docname in theirs:
                ours[docname] = theirs[docname]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass  # warnings are kept as they are found


# Which documents the current build reads, per environment (not kept between builds).
_READING: weakref.WeakKeyDictionary[BuildEnvironment, set[str]] = weakref.WeakKeyDictionary()


def note_documents_to_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _READING[env] = set(docnames)


def repeat_kept_warnings(app: Sphinx, env: BuildEnvironment) -> None:
    """Warnings of documents this build did not read again: reported again until fixed."""
    reading = _READING.get(env, set())
    for docname, kept in sorted(kept_warnings(env).items()):
        if docname in reading or docname not in env.all_docs:
            continue
        for text, line, subtype in kept:
            logger.warning(text, location=(docname, line), type="prolo", subtype=subtype)


def setup_kept_warnings(app: Sphinx) -> None:
    """Keep read-time warnings per document and repeat them on builds that skip it."""
    app.add_env_collector(KeptWarningsCollector)
    app.connect("env-before-read-docs", note_documents_to_read)
    # Before the site-wide checks, as when the documents are read.
    app.connect("env-updated", repeat_kept_warnings, priority=400)
