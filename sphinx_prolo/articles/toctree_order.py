"""Articles in the navigation in title order, in every language.

A ``:glob:`` toctree lists its documents by file name, so a translated site keeps the English
order of the files (``exercise-therapy`` before ``prolotherapy`` whatever their French titles
say). With ``prolo_toctree_order = "title"``, a glob toctree whose entries are all articles (or
all condition pages) is put in the order of the titles of this build's language, without regard
to accents, once all documents are read: the stored doctree that holds it, the document order
Sphinx derives previous and next links from, and so every page's navigation follow. Anything
unexpected leaves the file-name order, with one line at ``-v``.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx import addnodes
from sphinx.util import logging

from sphinx_prolo.articles.catalog import title_key
from sphinx_prolo.articles.domain import prolo_domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def _ordered(env: BuildEnvironment, toctree: addnodes.toctree) -> list[Any] | None:
    """The toctree's entries in title order, or None when it is not a glob list of articles."""
    if not toctree.get("glob"):
        return None
    entries = list(toctree["entries"])
    articles = prolo_domain(env).data["articles"]
    docs = [ref for _title, ref in entries]
    kinds = {articles[ref]["kind"] if ref in articles else None for ref in docs}
    if len(docs) < 2 or len(kinds) != 1 or None in kinds:
        return None

    def key(entry: tuple[str | None, str]) -> tuple[tuple[str, str], str]:
        title, ref = entry
        shown = title or (env.titles[ref].astext() if ref in env.titles else ref)
        return title_key(shown), ref

    return sorted(entries, key=key)


def _reorder(env: BuildEnvironment, docname: str, doctree: nodes.document) -> bool:
    changed = False
    for toctree in doctree.findall(addnodes.toctree):
        ordered = _ordered(env, toctree)
        if ordered is not None and ordered != list(toctree["entries"]):
            toctree["entries"] = ordered
            toctree["includefiles"] = [ref for _title, ref in ordered]
            changed = True
    return changed


def order_toctrees(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Put glob toctrees of articles in title order; the pages are written again when it moved."""
    if app.config.prolo_toctree_order != "title":
        return []
    moved = []
    for docname in sorted(env.toctree_includes):
        try:
            doctree = env.get_doctree(docname)
            if not _reorder(env, docname, doctree):
                continue
            # The stored doctree, and the copies Sphinx keeps of it, hold the new order.
            doctree.settings.env = None
            doctree.reporter = None  # type: ignore[assignment]
            data = pickle.dumps(doctree, pickle.HIGHEST_PROTOCOL)
            Path(env.doctreedir, f"{docname}.doctree").write_bytes(data)
            env._pickled_doctree_cache[docname] = data
            cached = getattr(env, "_write_doc_doctree_cache", {}).get(docname)
            if cached is not None:
                _reorder(env, docname, cached)
            env.__dict__.pop("master_doctree", None)
        except (OSError, KeyError, AttributeError, pickle.PicklingError) as problem:
            logger.verbose("toctrees of %s are left in file order: %s", docname, problem)
            continue
        includes = env.toctree_includes[docname]
        order = [
            ref for toctree in doctree.findall(addnodes.toctree) for ref in toctree["includefiles"]
        ]
        env.toctree_includes[docname] = [ref for ref in order if ref in includes] + [
            ref for ref in includes if ref not in order
        ]
        moved.append(docname)
    return moved


def setup_toctree_order(app: Sphinx) -> None:
    """Order glob toctrees of articles by title once all documents are read."""
    app.connect("env-updated", order_toctrees)
