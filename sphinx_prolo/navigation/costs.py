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


def tree_links(env: BuildEnvironment, start: str, includehidden: bool, titles_only: bool) -> int:
    """About how many links the tree of *start*'s toctrees has, every branch open: one per
    document (titles only) or one per entry of its table of contents, and one per other entry
    (a URL, ``self``); a document listed twice counts twice, as Sphinx shows it twice."""
    links = 0
    pending, seen = [start], {start}
    while pending:
        toc = env.tocs.get(pending.pop())
        if toc is None:
            continue
        for toctree in toc.findall(addnodes.toctree):
            if toctree.get("hidden") and not includehidden:
                continue
            entries: list[tuple[str | None, str]] = toctree.get("entries", [])
            for _title, ref in entries:
                if ref not in env.tocs:
                    links += 1
                    continue
                links += 1 if titles_only else max(env.toc_num_entries.get(ref, 1), 1)
                if ref not in seen:
                    seen.add(ref)
                    pending.append(ref)
    return links


def pages_under(env: BuildEnvironment, section: str) -> int:
    """*section*'s page and the pages its toctrees include, at any depth."""
    pending, seen = [section], {section}
    while pending:
        for child in env.toctree_includes.get(pending.pop(), ()):
            if child not in seen:
                seen.add(child)
                pending.append(child)
    return len(seen)
