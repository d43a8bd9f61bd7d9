"""The site tree of one build, resolved once, with placeholders where pages differ.

Sphinx resolves the tree furo asks for "from no page in particular", with a stand-in builder that
records each link's target and answers with a placeholder address; every list, list item and link
gets a placeholder class where Sphinx would write ``current``.  Rendered once by Sphinx's own HTML
writer, the result is what
:mod:`sphinx_prolo.navigation.furo_template` decorates and cuts into slots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.environment.adapters.toctree import TocTree
from sphinx.util import logging

from sphinx_prolo.translations import __

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
PLACEHOLDER = re.compile(r"chxprolonav([acuhpkse])(\d+)z")

#: Kinds of placeholder: a = class of a link, c = class of a list item, u = class of a list,
#: h = a link's href, p = ``current-page`` of a list item, k = ``checked`` of an item's toggle;
#: s and e mark where a nested list starts and ends (it is left out where Sphinx collapses it).
CLASS_WORD = {"a": "current", "c": "current", "u": "current", "p": "current-page"}

# A document name that no document has: the tree is resolved "from nowhere", so nothing in it is
# marked current.
_NO_PAGE = "\x00prolo-navigation"


def placeholder(kind: str, number: int) -> str:
    return f"chxprolonav{kind}{number}z"


class Unsupported(Exception):
    """The tree has a shape the template cannot reproduce; furo renders it instead."""


def left_to_theme(pagename: str, what: str, error: Exception) -> None:
    """Say (under ``-v``) that an error in the served navigation left *what* on *pagename*, and
    whatever else the failing template would have served, to the theme or Sphinx.

    Each hook that hands the served navigation back to the theme catches every exception
    there, once, and calls this: an unforeseen case costs speed, never the build."""
    logger.verbose(
        __("%s: %s left to the theme after an error in the served navigation: %s: %s"),
        pagename,
        what,
        type(error).__name__,
        error,
    )


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


#: A depth no tree reaches: the tree is resolved whole, and each page leaves out what is deeper
#: than asked (after marking its branch, as Sphinx marks it before pruning).
_UNLIMITED = 2**31


def _resolve_site_tree(
    env: BuildEnvironment,
    builder: Builder,
    args: dict[str, Any],
    roots: list[addnodes.toctree],
) -> tuple[nodes.Element | None, list[int]]:
    """The tree asked for with *args*, resolved with Sphinx's own functions, from no page in
    particular, never collapsed nor pruned; and the depth each top-level list is pruned to.

    As ``global_toctree_for_doc`` does: each of the *roots* (the toctrees of the root document)
    resolved, and the results joined into the first.
    """
    adapter = TocTree(env)
    resolved: list[nodes.Element] = []
    limits: list[int] = []
    for toctree in roots:
        tree = adapter.resolve(
            _NO_PAGE,
            builder,
            toctree,
            prune=True,
            maxdepth=_UNLIMITED,
            titles_only=bool(args["titles_only"]),
            collapse=False,
            includehidden=bool(args["includehidden"]),
        )
        if tree is not None:
            resolved.append(tree)
            limits.append(int(args["maxdepth"]) or toctree.get("maxdepth", -1))
    if not resolved:
        return None, []
    result = resolved[0]
    for tree in resolved[1:]:
        result.extend(tree.children)
    return result, limits


def depends_on_ancestry(env: BuildEnvironment) -> bool:
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
    #: The list item each nested list hangs from (by their numbers), for collapsing.
    list_parents: dict[int, int] = field(default_factory=dict)
    #: Nested lists deeper than asked for: left out of every page.
    over_depth: frozenset[int] = frozenset()


def site_tree(
    builder: Builder,
    args: dict[str, Any] = FURO_TOCTREE_ARGS,
    section: str | None = None,
    *,
    checked: bool = False,
) -> SiteTree | None:
    """The site tree of this build as ``toctree(**args)`` asks for it, or None when the theme
    must be left to compute it itself.  With *section*, the tree of that document's toctrees
    instead of the root document's (a theme's sidebar for one section of the site).  *checked*:
    the caller has found that :func:`depends_on_ancestry` is false for this build (it costs a
    walk over every document's table of contents)."""
    env = builder.env
    if not checked and depends_on_ancestry(env):
        return None
    recorder = _AddressRecorder(builder)
    if section is None:
        roots = list(env.master_doctree.findall(addnodes.toctree))
    else:  # a copy: resolving a toctree moves its translation id to the caption
        roots = list(env.tocs[section].deepcopy().findall(addnodes.toctree))
    tree, limits = _resolve_site_tree(env, cast("Builder", recorder), args, roots)
    by_directory = type(builder).get_relative_uri is Builder.get_relative_uri
    if tree is None:  # no toctree at all: an empty navigation
        return SiteTree("", [], by_directory)
    list_parents: dict[int, int] = {}
    over_depth: set[int] = set()
    try:
        links, html = _placeholders_in(
            tree, recorder, cast("StandaloneHTMLBuilder", builder), list_parents
        )
        _deeper_than_asked(tree, limits, over_depth)
    except Unsupported as reason:
        logger.debug("[prolo] navigation left to the theme: %s", reason)
        return None
    return SiteTree(html, links, by_directory, list_parents, frozenset(over_depth))


def _deeper_than_asked(tree: nodes.Element, limits: list[int], over_depth: set[int]) -> None:
    """Note the nested lists that Sphinx prunes: the top-level list of each toctree is depth 1,
    and a list deeper than the toctree's limit (when it has one) is left out."""
    tops = [child for child in tree.children if isinstance(child, nodes.bullet_list)]
    if len(tops) != len(limits):
        raise Unsupported("toctrees that do not give one list each")
    for top, limit in zip(tops, limits, strict=True):
        if limit <= 0:
            continue
        for bullet_list in top.findall(nodes.bullet_list):
            depth = 0
            node: nodes.Node | None = bullet_list
            while node is not None and node is not top:
                depth += isinstance(node, nodes.bullet_list)
                node = node.parent
            if depth + 1 > limit:
                over_depth.add(_list_number(bullet_list))


def _list_number(bullet_list: nodes.Element) -> int:
    for name in bullet_list["classes"]:
        match = PLACEHOLDER.fullmatch(name)
        if match is not None and match.group(1) == "u":
            return int(match.group(2))
    raise Unsupported("a list without its placeholder")


def _placeholders_in(
    tree: nodes.Element,
    recorder: _AddressRecorder,
    builder: StandaloneHTMLBuilder,
    list_parents: dict[int, int],
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
            if kind == "u" and isinstance(node.parent, nodes.list_item):
                list_parents[counts[kind]] = numbers[id(node.parent)]
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


def with_list_bounds(tree: SiteTree) -> str:
    """The tree's HTML with a placeholder where each nested list starts and where it ends."""
    html = tree.html
    marks: list[tuple[int, str]] = []
    opened: list[int] = []
    position = 0
    while True:
        start = html.find("<ul", position)
        end = html.find("</ul>", position)
        if end < 0:
            break
        if 0 <= start < end:
            opened.append(start)
            position = start + 3
            continue
        if not opened:
            raise Unsupported("a list closed that was not opened")
        begin = opened.pop()
        close = end + len("</ul>")
        if html.startswith("\n", close):
            close += 1
        number = _list_number_in(html[begin : html.index(">", begin)])
        if number in tree.list_parents:
            marks += [(begin, placeholder("s", number)), (close, placeholder("e", number))]
        position = close
    if opened:
        raise Unsupported("a list opened that was not closed")
    for offset, mark in sorted(marks, reverse=True):
        html = html[:offset] + mark + html[offset:]
    return html


def without_lists(tree: SiteTree, numbers: frozenset[int]) -> str:
    """The tree's HTML without the nested lists *numbers* (and what they hold), as Sphinx
    writes it when it prunes them on every page (deeper than asked for)."""
    if not numbers:
        return tree.html
    html = with_list_bounds(tree)
    for number in sorted(numbers):
        start, end = html.find(placeholder("s", number)), html.find(placeholder("e", number))
        if start >= 0 and end >= 0:  # else inside one already taken out
            html = html[:start] + html[end + len(placeholder("e", number)) :]
    return re.sub(r"chxprolonav[se]\d+z", "", html)


def _list_number_in(start_tag: str) -> int:
    marker = "chxprolonavu"
    at = start_tag.find(marker)
    if at < 0:
        raise Unsupported("a list that Sphinx did not write from the tree")
    digits = start_tag[at + len(marker) :].split("z", 1)[0]
    return int(digits)


def toctree_parents(env: BuildEnvironment) -> dict[str, str]:
    """Each document's parent in the toctrees: the last toctree that includes it, as Sphinx has."""
    parents: dict[str, str] = {}
    for parent, children in env.toctree_includes.items():
        parents |= dict.fromkeys(children, parent)
    return parents


def ancestry(parents: dict[str, str], pagename: str) -> list[str]:
    """The page and the documents above it, nearest first, as Sphinx walks them."""
    ancestors: list[str] = []
    document = pagename
    while document in parents and document not in ancestors:
        ancestors.append(document)
        document = parents[document]
    return ancestors
