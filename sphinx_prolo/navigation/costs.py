"""Whether serving a navigation pays in this build, decided before its template is made.

Sphinx's ``toctree()`` costs about the same for each link it writes, collapsed or not (since
Sphinx 7.2 it copies only the part of each table of contents it keeps), so a page costs in
proportion to the links it shows.  A template costs about as much as a few pages showing every
link of the site tree (the whole tree resolved, rendered and cut once, then compared with
Sphinx's own on a few pages), and little per page after that.  With *shown* links on the page
that asks first, *pages* pages left to write and *tree* links in the whole tree (counted from the
environment, without resolving anything), serving pays when::

    shown * (pages * (1 - PER_PAGE) - SAMPLES) > MAKING * tree

A collapsed sidebar on a site whose pages have many sections (Sphinx's own docs with alabaster
or sphinx-rtd-theme: a few dozen links shown of thousands) is left to Sphinx; so is a call made
on one page only (an extra page's full table of contents); a sidebar that shows the whole tree
is served from about ten pages up.  Both sides are counted in links, not seconds: the choice
depends on the site alone, never on the machine or its load, so a build goes the same way every
time (``-v`` says which, with the figures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: Making a template: about three of Sphinx's passes over the whole tree.
MAKING = 3.0
#: The pages a template is compared on before it serves, each one of Sphinx's passes.
SAMPLES = 3
#: A served page costs at most this share of Sphinx's own pass for it.
PER_PAGE = 0.25


def pays(shown: int, pages: int, tree: int) -> bool:
    """Whether a template of *tree* links costs less than Sphinx's own passes over *pages*
    pages that show about *shown* links each."""
    return shown * (pages * (1 - PER_PAGE) - SAMPLES) > MAKING * tree


def tree_links(
    env: BuildEnvironment, start: str, includehidden: bool, titles_only: bool, maxdepth: int = -1
) -> int:
    """About how many links the tree of *start*'s toctrees shows: one per document (titles
    only, or at the deepest level shown) or one per entry of its table of contents, and one per
    other entry (a URL, ``self``); a document listed twice counts twice, as Sphinx shows it
    twice.  *maxdepth*: as ``toctree()`` takes it (0: each of *start*'s toctrees' own; below 0:
    every level)."""
    links = 0
    seen = {start}
    # Each document with the depth of its entry and the deepest level shown under it.
    pending: list[tuple[str, int, int]] = [(start, 0, maxdepth)]
    while pending:
        document, depth, limit = pending.pop()
        toc = env.tocs.get(document)
        for toctree in () if toc is None else toc.findall(addnodes.toctree):
            if toctree.get("hidden") and not includehidden:
                continue
            deepest = limit if limit or depth else int(toctree.get("maxdepth", -1))
            # Sphinx hangs a toctree's entries where the toctree is in its document's contents.
            below = 1 if depth == 0 else depth + _level(toctree) - 1
            if 0 < deepest < below:
                continue
            entries: list[tuple[str | None, str]] = toctree.get("entries", [])
            for _title, ref in entries:
                if ref not in env.tocs:
                    links += 1
                    continue
                levels = deepest - below + 1 if deepest > 0 else -1
                links += 1 if titles_only else _entries(env, ref, levels)
                if ref not in seen:
                    seen.add(ref)
                    pending.append((ref, below, deepest))
    return links


def _level(node: nodes.Node) -> int:
    """How many lists *node* is in."""
    level, parent = 0, node.parent
    while parent is not None:
        level += isinstance(parent, nodes.bullet_list)
        parent = parent.parent
    return level


def _entries(env: BuildEnvironment, document: str, levels: int) -> int:
    """The entries of *document*'s table of contents, its title the first level, down to
    *levels* levels (every level: its count, kept by Sphinx)."""
    if levels < 0 or levels > 8:  # every level, or as good as
        return max(env.toc_num_entries.get(document, 1), 1)
    found = env.tocs[document].findall(nodes.reference)
    return max(sum(_level(reference) <= levels for reference in found), 1)


def pages_under(env: BuildEnvironment, section: str) -> int:
    """*section*'s page and the pages its toctrees include, at any depth."""
    pending, seen = [section], {section}
    while pending:
        for child in env.toctree_includes.get(pending.pop(), ()):
            if child not in seen:
                seen.add(child)
                pending.append(child)
    return len(seen)
