"""A theme's ``toctree()`` as a template: the site tree cut into static text and slots, and each
page's tree made from it as Sphinx would make it.

The tree is resolved once, never collapsed nor pruned (:mod:`sphinx_prolo.navigation.tree`).  A
page fills in its addresses and ``current`` classes, and leaves out the nested lists Sphinx would
collapse on it (those whose item does not lead to the page) or cut at ``maxdepth``, in time
proportional to what it shows: where it shows a small part of the tree (collapsed sidebars), only
the addresses of that part are computed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_prolo.navigation.furo_template import NavigationTemplate, cut_into_slots
from sphinx_prolo.navigation.tree import (
    SiteTree,
    Unsupported,
    ancestry,
    toctree_parents,
    with_list_bounds,
)

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: A page that shows less than this share of the template (a collapsed sidebar of a site with
#: deep pages) gets only the addresses it shows, each computed once per directory of pages;
#: otherwise its text is copied whole (a fast copy) with the addresses of its directory.
_SMALL_PART = 16
#: Directories whose addresses are kept (dirhtml gives every page a directory of its own).
_DIRECTORIES_KEPT = 16

#: Characters an address may hold to be written here exactly as docutils writes it (docutils
#: rewrites ``&<>"@`` and whitespace in attribute values; such addresses are left to Sphinx).
_PLAIN_ADDRESS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/#%+=,;:!$'()*?"
)

#: The arguments of ``toctree()`` as a hashable key.
ToctreeKey = tuple[bool, bool, int, bool]


def toctree_key(kwargs: dict[str, Any]) -> ToctreeKey | None:
    """*kwargs* of ``toctree()`` as Sphinx reads them, or None for anything else.

    As ``StandaloneHTMLBuilder._get_local_toctree`` does: ``collapse`` defaults to true and
    ``includehidden`` to false, an empty ``maxdepth`` is no ``maxdepth``; Sphinx then only tests
    the flags for truth and turns ``maxdepth`` into a number.
    """
    if not set(kwargs) <= {"collapse", "includehidden", "maxdepth", "titles_only"}:
        return None
    maxdepth = kwargs.get("maxdepth", 0)
    try:
        depth = 0 if maxdepth == "" else int(maxdepth)
    except (TypeError, ValueError):
        return None
    return (
        bool(kwargs.get("collapse", True)),
        bool(kwargs.get("includehidden", False)),
        depth,
        bool(kwargs.get("titles_only", False)),
    )


def arguments_of(key: ToctreeKey) -> dict[str, Any]:
    collapse, includehidden, maxdepth, titles_only = key
    return {
        "collapse": collapse,
        "includehidden": includehidden,
        "maxdepth": maxdepth,
        "titles_only": titles_only,
    }


@dataclass
class ToctreeTemplate(NavigationTemplate):
    """Sphinx's rendering of one ``toctree()`` call for every page, with collapsible lists."""

    collapse: bool = False
    #: For each nested list: the slots where it starts and ends, and the item it hangs from.
    spans: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    #: Nested lists directly inside each list item, and those of the top-level lists.
    nested: dict[int, list[int]] = field(default_factory=dict)
    top: list[int] = field(default_factory=list)
    #: Each nested list under an entry of a document's own table of contents (its title or
    #: a section), and that document.
    document_lists: dict[int, str] = field(default_factory=dict)
    #: Nested lists deeper than asked for: left out of every page.
    over_depth: frozenset[int] = frozenset()
    #: Documents that set a ``tocdepth`` of their own.
    tocdepth: frozenset[str] = frozenset()
    #: Each document's parent in the toctrees (the last toctree that includes it, as Sphinx has).
    parents: dict[str, str] = field(default_factory=dict)
    #: The address slots in the order of the text, (index, link), and their indices alone.
    _href_positions: list[tuple[int, int]] = field(default_factory=list)
    _href_indices: list[int] = field(default_factory=list)
    #: Each link's page as Sphinx addresses it, found as links are shown.
    _link_uris: dict[int, str] = field(default_factory=dict)
    #: The addresses of the links shown so far, per directory of pages (in pages' order).
    _part_hrefs: OrderedDict[tuple[str, ...], dict[int, str]] = field(default_factory=OrderedDict)

    def render(self, builder: Builder, pagename: str) -> str | None:
        if not self.collapse and not self.over_depth:
            return super().render(builder, pagename)
        # Collapsing, Sphinx first copies the table of contents of each document that is not an
        # ancestor of the page without its nested lists, so links in them do not exist here.
        ancestors = self._ancestors(pagename) if self.collapse else set()
        links = [
            number
            for number in self.links_to.get(pagename, ())
            if not (
                self.collapse and any(self._pruned(u, ancestors) for u in self.links[number].lists)
            )
        ]
        # Then it marks the page's branch, and prunes what is deeper than asked; collapsing, it
        # keeps a nested list only where its item leads to the page ("iscurrent": any remaining
        # link to the page with text, anchored or not, and the items around it).
        open_items = {
            item
            for number in links
            if self.links[number].marks_branch
            for item in self.links[number].items
        }
        ranges: list[tuple[int, int]] = []
        position = 0
        pending = list(reversed(self.top))
        while pending:
            number = pending.pop()
            start, end, item = self.spans[number]
            if number not in self.over_depth and (
                not self.collapse or (item in open_items and not self._pruned(number, ancestors))
            ):
                pending.extend(reversed(self.nested.get(number, ())))
            else:
                ranges.append((position, start))
                position = end
        ranges.append((position, len(self.pieces)))
        if sum(end - start for start, end in ranges) * _SMALL_PART < len(self.pieces):
            return self._render_part(builder, pagename, links, ranges)
        # Most of the tree shown: the addresses of the page's directory, computed once.
        pieces = self.page_pieces(builder, pagename, links)
        if pieces is None:
            return None
        return "".join(chain.from_iterable(pieces[start:end] for start, end in ranges))

    def _render_part(
        self, builder: Builder, pagename: str, links: list[int], ranges: list[tuple[int, int]]
    ) -> str | None:
        """The *ranges* of the template that the page shows, with only their addresses
        computed (for this page alone, as :meth:`_fill` computes them)."""
        filled = self.switched_on(pagename, links)
        if not self._href_positions:
            self._href_positions = sorted(
                (index, number) for number, index in self.href_slots.items()
            )
            self._href_indices = [index for index, _number in self._href_positions]
        page_uri = builder.get_target_uri(pagename).partition("#")[0]
        known = self._known_hrefs(page_uri)
        for start, end in ranges:
            first = bisect_left(self._href_indices, start)
            last = bisect_left(self._href_indices, end, first)
            for index, number in self._href_positions[first:last]:
                link = self.links[number]
                assert link.target is not None
                if number not in self._link_uris:
                    self._link_uris[number] = builder.get_target_uri(link.target)
                # The same in the whole directory, but for a link to the page itself.
                own = not self.by_directory or self._link_uris[number] == page_uri
                attribute = None if own else known.get(number)
                if attribute is None:
                    value = builder.get_relative_uri(pagename, link.target) + link.anchor
                    attribute = self._href(value or "#")
                    if attribute is None:
                        return None
                    if not own:
                        known[number] = attribute
                filled[index] = attribute
        marks = sorted(filled)
        out: list[str] = []
        at = 0
        for start, end in ranges:
            at = bisect_left(marks, start, at)
            position = start
            while at < len(marks) and marks[at] < end:
                out += self.pieces[position : marks[at]]
                out.append(filled[marks[at]])
                position = marks[at] + 1
                at += 1
            out += self.pieces[position:end]
        return "".join(out)

    def _known_hrefs(self, page_uri: str) -> dict[int, str]:
        """The addresses computed so far for pages in *page_uri*'s directory (a few recent
        directories are kept)."""
        key = tuple(page_uri.split("/")[:-1])
        if key in self._part_hrefs:
            self._part_hrefs.move_to_end(key)
        else:
            self._part_hrefs[key] = {}
            if len(self._part_hrefs) > _DIRECTORIES_KEPT:
                self._part_hrefs.popitem(last=False)
        return self._part_hrefs[key]

    def _pruned(self, bullet_list: int, ancestors: set[str]) -> bool:
        """Whether Sphinx copies *bullet_list*'s document without it on this page: the document
        is not an ancestor of the page, or it sets its own ``tocdepth`` (copied to that depth
        on every page, collapsed)."""
        document = self.document_lists.get(bullet_list)
        return document is not None and (document not in ancestors or document in self.tocdepth)

    def _ancestors(self, pagename: str) -> set[str]:
        """The page and the documents above it, as Sphinx finds them (one parent each)."""
        return set(ancestry(self.parents, pagename))

    def _href(self, value: str) -> str | None:
        """``href="value"`` as docutils writes it, or None for an address left to Sphinx."""
        return f'href="{value}"' if _PLAIN_ADDRESS.issuperset(value) else None


def template_for(tree: SiteTree, collapse: bool, env: BuildEnvironment) -> ToctreeTemplate | None:
    """*tree* as a template for every page, or None when it cannot be cut into one."""
    try:
        fields = cut_into_slots(with_list_bounds(tree), tree.links, tree.by_directory)
    except Unsupported as reason:
        logger.debug("[prolo] toctree() left to Sphinx: %s", reason)
        return None
    slots = fields["class_slots"]
    spans: dict[int, tuple[int, int, int]] = {}
    for number, item in tree.list_parents.items():
        if ("s", number) not in slots:
            # Never written: a list holding only a toctree left unresolved (a hidden one, not
            # included), which Sphinx's writer skips.  Nothing of it to collapse.
            continue
        spans[number] = (slots["s", number].index, slots["e", number].index + 1, item)
    # Which nested lists sit directly in which: the innermost span around each one.
    nested: dict[int, list[int]] = {}
    top: list[int] = []
    enclosing: list[int] = []
    for number in sorted(spans, key=lambda n: spans[n][0]):
        start = spans[number][0]
        while enclosing and spans[enclosing[-1]][1] <= start:
            enclosing.pop()
        (nested.setdefault(enclosing[-1], []) if enclosing else top).append(number)
        enclosing.append(number)
    # A list item's own link is the first link directly in it: the item is an entry of the
    # table of contents of the document that link leads to.
    own_links: dict[int, int] = {}
    for number, link in enumerate(tree.links):
        if link.items:
            own_links.setdefault(link.items[0], number)
    document_lists: dict[int, str] = {}
    for bullet_list, item in tree.list_parents.items():
        own = tree.links[own_links[item]] if item in own_links else None
        if own is not None and own.target is not None:
            document_lists[bullet_list] = own.target
    parents = toctree_parents(env)
    tocdepth = set()
    for docname, metadata in env.metadata.items():
        depth = metadata.get("tocdepth", 0)
        if not isinstance(depth, int):
            return None  # as Sphinx would compare it is not known here
        if depth > 0:
            tocdepth.add(docname)
    return ToctreeTemplate(
        **fields,
        collapse=collapse,
        spans=spans,
        nested=nested,
        top=top,
        document_lists=document_lists,
        parents=parents,
        tocdepth=frozenset(tocdepth),
        over_depth=tree.over_depth,
    )
