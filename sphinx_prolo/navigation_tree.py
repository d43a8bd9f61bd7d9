"""The site tree of one build, resolved once, with placeholders where pages differ.

Sphinx resolves the tree furo asks for "from no page in particular", with a stand-in builder that
records each link's target and answers with a placeholder address; every list, list item and link
gets a placeholder class where Sphinx would write ``current``.  Rendered once by Sphinx's own HTML
writer, the result is what :mod:`sphinx_prolo.navigation_template` decorates and cuts into slots.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


#: The arguments furo passes to the page's ``toctree()`` for its navigation tree.
FURO_TOCTREE_ARGS: dict[str, Any] = {
    "collapse": False,
    "titles_only": True,
    "maxdepth": -1,
    "includehidden": True,
}

# A placeholder is a word that survives Sphinx's HTML writer and BeautifulSoup untouched, both as
# a class name and as an attribute name.  It starts with "ch" so that, as the name of the
# checkbox attribute that stands for ``checked``, BeautifulSoup sorts it where it sorts "checked".
PLACEHOLDER = re.compile(r"chxprolonav([acuhpk])(\d+)z")

#: Kinds of placeholder: a = class of a link, c = class of a list item, u = class of a list,
#: h = a link's href, p = ``current-page`` of a list item, k = ``checked`` of an item's toggle.
CLASS_WORD = {"a": "current", "c": "current", "u": "current", "p": "current-page"}

# A document name that no document has: the tree is resolved "from nowhere", so nothing in it is
# marked current.
_NO_PAGE = "\x00prolo-navigation"


def placeholder(kind: str, number: int) -> str:
    return f"chxprolonav{kind}{number}z"


class Unsupported(Exception):
    """The tree has a shape the template cannot reproduce; furo renders it instead."""


class _AddressRecorder:
    """Stands in for the builder while the tree is resolved.

    Sphinx asks the builder for each internal link's address relative to the page; the recorder
    notes the target document and answers with a placeholder, which each page later replaces with
    its own relative address.  Everything else is the real builder's.
    """

    def __init__(self, builder: Builder) -> None:
        self._builder = builder
        self.targets: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._builder, name)

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        self.targets.append(to)
        return placeholder("h", len(self.targets) - 1)


_TAKES_TAGS = "tags" in inspect.signature(global_toctree_for_doc).parameters


def _resolve_site_tree(env: BuildEnvironment, builder: Builder) -> nodes.Element | None:
    """The tree furo asks for, resolved with Sphinx's own function, from no page in particular."""
    if _TAKES_TAGS:  # Sphinx >= 8.2
        return global_toctree_for_doc(
            env, _NO_PAGE, builder, tags=builder.tags, **FURO_TOCTREE_ARGS
        )
    return global_toctree_for_doc(env, _NO_PAGE, builder, **FURO_TOCTREE_ARGS)  # pragma: no cover


def _depends_on_ancestry(env: BuildEnvironment) -> bool:
    """Whether the tree differs between pages in more than links and classes.

    Sphinx copies the table of contents of a page's ancestors whole, and filters the others by
    ``only`` directives.  With titles only, that shows where an ``only`` directive holds a
    document's top-level heading or a toctree; such sites are left to furo.
    """
    for toc in env.tocs.values():
        for node in toc.findall(addnodes.only):
            if node.parent is toc or any(True for _ in node.findall(addnodes.toctree)):
                return True
    return False


@dataclass
class Link:
    """One link of the tree."""

    #: The document it leads to, or None for an external link.
    target: str | None
    anchor: str
    #: Whether Sphinx marks its branch ``current`` on the target's page (it has text).
    marks_branch: bool
    #: The list items and lists it sits in, innermost first.
    items: list[int]
    lists: list[int]


@dataclass(frozen=True)
class SiteTree:
    """The site tree of one build as Sphinx renders it, with placeholders, before furo's pass."""

    html: str
    links: list[Link]
    #: Whether Sphinx's addresses depend on a page only through its directory (stock builders).
    by_directory: bool


def site_tree(builder: Builder) -> SiteTree | None:
    """The site tree of this build, or None when furo must render this site itself."""
    env = builder.env
    if _depends_on_ancestry(env):
        return None
    recorder = _AddressRecorder(builder)
    tree = _resolve_site_tree(env, cast("Builder", recorder))
    by_directory = type(builder).get_relative_uri is Builder.get_relative_uri
    if tree is None:  # no toctree at all: furo shows an empty navigation
        return SiteTree("", [], by_directory)
    try:
        links, html = _placeholders_in(tree, recorder, cast("StandaloneHTMLBuilder", builder))
    except Unsupported as reason:
        logger.debug("[prolo] navigation left to furo: %s", reason)
        return None
    return SiteTree(html, links, by_directory)


def _placeholders_in(
    tree: nodes.Element, recorder: _AddressRecorder, builder: StandaloneHTMLBuilder
) -> tuple[list[Link], str]:
    """Mark every element a page can change with a placeholder and render the tree as Sphinx does.

    Placeholders go into the nodes' classes, where Sphinx would append ``current``, so the writer
    puts them exactly where ``current`` would appear.
    """
    if "chxprolonav" in tree.astext():
        raise Unsupported("a title that looks like a placeholder")
    numbers: dict[int, int] = {}
    counts = {"c": 0, "u": 0}
    links: list[Link] = []
    for node in list(tree.findall(nodes.Element)):
        if isinstance(node, (nodes.list_item, nodes.bullet_list)):
            kind = "c" if isinstance(node, nodes.list_item) else "u"
            numbers[id(node)] = counts[kind]
            node["classes"].append(placeholder(kind, counts[kind]))
            counts[kind] += 1
        elif isinstance(node, nodes.reference):
            number = len(links)
            items: list[int] = []
            lists: list[int] = []
            parent = node.parent
            while parent is not None:
                if isinstance(parent, nodes.list_item):
                    items.append(numbers[id(parent)])
                elif isinstance(parent, nodes.bullet_list):
                    lists.append(numbers[id(parent)])
                parent = parent.parent
            refuri = str(node.get("refuri", ""))
            anchor = str(node.get("anchorname", ""))
            address = PLACEHOLDER.match(refuri)
            target = None
            if address is not None:
                # Sphinx wrote the recorded placeholder, then the anchor after it.
                if address.group(1) != "h" or refuri[address.end() :] != anchor:
                    raise Unsupported("a link address Sphinx wrote in an unexpected way")
                target = recorder.targets[int(address.group(2))]
                node["refuri"] = placeholder("h", number)
            links.append(
                Link(
                    target=target,
                    anchor=anchor,
                    marks_branch=len(node) > 0,
                    items=items,
                    lists=lists,
                )
            )
            node["classes"].append(placeholder("a", number))
    html = builder.render_partial(tree)["fragment"]
    return links, html
