"""Navigation for furo in linear time: the site tree rendered once per build, filled in per page.

Stock furo asks Sphinx for the whole site's toctree on every page, renders it to HTML and parses
that HTML again with BeautifulSoup to add its expand/collapse toggles: every page costs as much as
the whole site, so a build is quadratic in the number of pages.  Here the tree is resolved,
rendered and decorated once per build (once per process when pages are written in parallel), with
placeholders where pages differ: each link's relative address, the ``current`` classes of the page
and its ancestors, the ``current-page`` class and the checked toggles.  Each page then fills the
placeholders, and gets a ``furo_navigation_tree`` byte-identical to the one furo computes.

Furo exposes no switch for its own computation, so ``html-page-context`` is hooked on both sides
of furo's handler: just before it, the page's ``toctree`` callable is wrapped so that furo's own
call returns nothing to parse; just after it, the real callable is put back and the navigation is
filled in.

The furo versions the tests check (:data:`FURO_MARKUP`) are served directly.  Any other version
is verified rather than trusted: on the first page written (in the main process, so that parallel
writers inherit the decision), a few pages of this very build are rendered both by furo and from
the template, once for each known family of furo's markup (:data:`MARKUP_CANDIDATES`).  A family
that matches on every sampled page is served; otherwise, and when furo lacks the functions this
module hooks into, furo renders the navigation itself, and only ``-v`` says so: a furo release
never adds a warning.  ``singlehtml`` writes a single page, so it keeps furo's rendering too.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import sys
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging

from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import CodeType

    from bs4 import BeautifulSoup, Tag
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The arguments furo passes to the page's ``toctree()`` for its navigation tree.
FURO_TOCTREE_ARGS: dict[str, Any] = {
    "collapse": False,
    "titles_only": True,
    "maxdepth": -1,
    "includehidden": True,
}
#: furo connects its ``html-page-context`` handler with Sphinx's default priority.
FURO_PRIORITY = 500


@dataclass(frozen=True)
class FuroMarkup:
    """How a family of furo versions decorates a navigation entry that has children."""

    #: The element holding the arrow icon inside the toggle's label.
    icon_tag: str
    #: The toggle's accessible name is the checkbox's ``aria-label`` (furo 2025.09.25 on) ...
    aria_label: bool
    #: ... or visually hidden text inside its label (furo up to 2025.07.19).
    hidden_text: bool


_ARIA_LABEL = FuroMarkup(icon_tag="span", aria_label=True, hidden_text=False)
_HIDDEN_TEXT = FuroMarkup(icon_tag="i", aria_label=False, hidden_text=True)

#: The furo versions whose navigation this module reproduces byte for byte, checked by the tests
#: (``furo.__version__`` as furo spells it).  These are served without further checks.
FURO_MARKUP: dict[str, FuroMarkup] = {
    "2024.08.06": _HIDDEN_TEXT,
    "2025.07.19": _HIDDEN_TEXT,
    "2025.09.25": _ARIA_LABEL,
    "2025.12.19": _ARIA_LABEL,
}
#: The families tried, newest first, for a furo version not in :data:`FURO_MARKUP`.
MARKUP_CANDIDATES: tuple[FuroMarkup, ...] = (_ARIA_LABEL, _HIDDEN_TEXT)

# A placeholder is a word that survives Sphinx's HTML writer and BeautifulSoup untouched, both as
# a class name and as an attribute name.  It starts with "ch" so that, as the name of the
# checkbox attribute that stands for ``checked``, BeautifulSoup sorts it where it sorts "checked".
_PLACEHOLDER = re.compile(r"chxprolonav([acuhpk])(\d+)z")
#: Kinds of placeholder: a = class of a link, c = class of a list item, u = class of a list,
#: h = a link's href, p = ``current-page`` of a list item, k = ``checked`` of an item's toggle.
_CLASS_WORD = {"a": "current", "c": "current", "u": "current", "p": "current-page"}
# A document name that no document has: the tree is resolved "from nowhere", so nothing in it is
# marked current.
_NO_PAGE = "\x00prolo-navigation"
# Dirhtml gives every page its own directory; keep the addresses of a few recent directories.
_DIRECTORIES_KEPT = 16


def _placeholder(kind: str, number: int) -> str:
    return f"chxprolonav{kind}{number}z"


class _Unsupported(Exception):
    """The tree has a shape the template cannot reproduce; furo renders it instead."""


# --- resolving the tree once ---------------------------------------------------------------------


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
        return _placeholder("h", len(self.targets) - 1)


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
class _Link:
    """One link of the tree."""

    #: The document it leads to, or None for an external link.
    target: str | None
    anchor: str
    #: Whether Sphinx marks its branch ``current`` on the target's page (it has text).
    marks_branch: bool
    #: The list items and lists it sits in, innermost first.
    items: list[int]
    lists: list[int]


# --- the template --------------------------------------------------------------------------------


@dataclass
class _Slot:
    """A place in the template that pages fill differently."""

    index: int
    #: The text when the slot is on (a class or ``checked`` present); empty when off.
    on: str


@dataclass
class _Directory:
    """The template with every link's address filled in for pages of one directory."""

    pieces: list[str]
    #: Links whose address here was computed from the page they lead to, so differs elsewhere.
    own: list[int]


@dataclass
class NavigationTemplate:
    """furo's navigation tree of one build, with slots where pages differ."""

    #: Static text and slot contents, alternating; slots hold their "off" text.
    pieces: list[str]
    links: list[_Link]
    href_slots: dict[int, int]
    class_slots: dict[tuple[str, int], _Slot]
    #: Position of each list item among all list items, in document order.
    item_order: dict[int, int]
    links_to: dict[str, list[int]]
    #: Whether Sphinx's addresses depend on a page only through its directory (stock builders).
    by_directory: bool
    _target_uris: dict[int, str] = field(default_factory=dict)
    _links_to_uri: dict[str, list[int]] = field(default_factory=dict)
    _directories: OrderedDict[tuple[str, ...], _Directory | None] = field(
        default_factory=OrderedDict
    )
    _hrefs: dict[str, str | None] = field(default_factory=dict)

    # --- per page --------------------------------------------------------------------------------

    def render(self, builder: Builder, pagename: str) -> str | None:
        """The navigation tree of *pagename*, or None when its addresses cannot be served."""
        pieces = self._pieces_with_addresses(builder, pagename)
        if pieces is None:
            return None
        current_items: list[int] = []
        for number in self.links_to.get(pagename, ()):
            link = self.links[number]
            if link.anchor or not link.marks_branch:
                continue
            self._switch_on(pieces, ("a", number))
            for item in link.items:
                self._switch_on(pieces, ("c", item))
                self._switch_on(pieces, ("k", item))
                current_items.append(item)
            for bullet_list in link.lists:
                self._switch_on(pieces, ("u", bullet_list))
        written = [item for item in current_items if item in self.item_order]
        if written:
            last = max(written, key=self.item_order.__getitem__)
            self._switch_on(pieces, ("p", last))
        return "".join(pieces)

    def _switch_on(self, pieces: list[str], key: tuple[str, int]) -> None:
        slot = self.class_slots.get(key)
        if slot is not None:
            pieces[slot.index] = slot.on

    def _pieces_with_addresses(self, builder: Builder, pagename: str) -> list[str] | None:
        if not self.by_directory:
            pieces = self.pieces.copy()
            return pieces if self._fill(builder, pagename, pieces, self.href_slots) else None
        page_uri = builder.get_target_uri(pagename)
        key = tuple(page_uri.partition("#")[0].split("/")[:-1])
        if key in self._directories:
            self._directories.move_to_end(key)
            directory = self._directories[key]
        else:
            directory = self._directory(builder, pagename, page_uri)
            self._directories[key] = directory
            if len(self._directories) > _DIRECTORIES_KEPT:
                self._directories.popitem(last=False)
        if directory is None:
            return None
        pieces = directory.pieces.copy()
        # A link to the page itself (or to the page this directory's addresses were computed
        # from) is the one address that is not the same across the directory.
        own = {*directory.own, *self._links_to_uri.get(page_uri, ())}
        slots = {number: self.href_slots[number] for number in own}
        return pieces if self._fill(builder, pagename, pieces, slots) else None

    def _directory(self, builder: Builder, pagename: str, page_uri: str) -> _Directory | None:
        if not self._target_uris:
            for number in self.href_slots:
                target = self.links[number].target
                assert target is not None
                uri = builder.get_target_uri(target)
                self._target_uris[number] = uri
                self._links_to_uri.setdefault(uri, []).append(number)
        pieces = self.pieces.copy()
        if not self._fill(builder, pagename, pieces, self.href_slots):
            return None
        return _Directory(pieces, list(self._links_to_uri.get(page_uri, ())))

    def _fill(
        self, builder: Builder, pagename: str, pieces: list[str], slots: dict[int, int]
    ) -> bool:
        for number, index in slots.items():
            link = self.links[number]
            assert link.target is not None
            # As Sphinx does: the relative address plus the anchor, "#" for the page itself.
            value = builder.get_relative_uri(pagename, link.target) + link.anchor
            attribute = self._href(value or "#")
            if attribute is None:
                return False
            pieces[index] = attribute
        return True

    def _href(self, value: str) -> str | None:
        """``href="value"`` exactly as furo's BeautifulSoup pass writes it, or None if unsure."""
        if value in self._hrefs:
            return self._hrefs[value]
        attribute: str | None = None
        # A double quote changes how BeautifulSoup quotes the value, and control characters are
        # rewritten on the way through docutils and the HTML parser: such addresses are left to
        # furo.
        if not any(char in '"\x7f' or char < " " for char in value):
            from bs4 import BeautifulSoup

            tag = BeautifulSoup("", "html.parser").new_tag("a", attrs={"href": value})
            text = tag.decode()
            if text.startswith("<a href=") and text.endswith("></a>"):
                attribute = text[len("<a ") : -len("></a>")]
        self._hrefs[value] = attribute
        return attribute


@dataclass(frozen=True)
class SiteTree:
    """The site tree of one build as Sphinx renders it, with placeholders, before furo's pass."""

    html: str
    links: list[_Link]
    #: Whether Sphinx's addresses depend on a page only through its directory (stock builders).
    by_directory: bool

    def template(self, markup: FuroMarkup) -> NavigationTemplate | None:
        """The tree decorated as furo's *markup* family does, or None if that cannot be done."""
        try:
            return _template_of(_decorate(self.html, markup), self.links, self.by_directory)
        except _Unsupported as reason:
            logger.debug("[prolo] navigation left to furo: %s", reason)
            return None


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
    except _Unsupported as reason:
        logger.debug("[prolo] navigation left to furo: %s", reason)
        return None
    return SiteTree(html, links, by_directory)


def build_template(builder: Builder, markup: FuroMarkup) -> NavigationTemplate | None:
    """The navigation template of this build, or None when furo must render this site itself."""
    tree = site_tree(builder)
    return None if tree is None else tree.template(markup)


def _placeholders_in(
    tree: nodes.Element, recorder: _AddressRecorder, builder: StandaloneHTMLBuilder
) -> tuple[list[_Link], str]:
    """Mark every element a page can change with a placeholder and render the tree as Sphinx does.

    Placeholders go into the nodes' classes, where Sphinx would append ``current``, so the writer
    puts them exactly where ``current`` would appear.
    """
    if "chxprolonav" in tree.astext():
        raise _Unsupported("a title that looks like a placeholder")
    numbers: dict[int, int] = {}
    counts = {"c": 0, "u": 0}
    links: list[_Link] = []
    for node in list(tree.findall(nodes.Element)):
        if isinstance(node, (nodes.list_item, nodes.bullet_list)):
            kind = "c" if isinstance(node, nodes.list_item) else "u"
            numbers[id(node)] = counts[kind]
            node["classes"].append(_placeholder(kind, counts[kind]))
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
            address = _PLACEHOLDER.match(refuri)
            target = None
            if address is not None:
                # Sphinx wrote the recorded placeholder, then the anchor after it.
                if address.group(1) != "h" or refuri[address.end() :] != anchor:
                    raise _Unsupported("a link address Sphinx wrote in an unexpected way")
                target = recorder.targets[int(address.group(2))]
                node["refuri"] = _placeholder("h", number)
            links.append(
                _Link(
                    target=target,
                    anchor=anchor,
                    marks_branch=len(node) > 0,
                    items=items,
                    lists=lists,
                )
            )
            node["classes"].append(_placeholder("a", number))
    html = builder.render_partial(tree)["fragment"]
    return links, html


def _decorate(html: str, markup: FuroMarkup) -> str:
    """Add furo's toggles to the rendered tree, through BeautifulSoup as furo does.

    Every list item that holds a list gets ``has-children``, then a checkbox and a label right
    after its first child, numbered in document order; the checkbox is "checked" where the item
    is current, and the last current item gets ``current-page``.  Those last two differ per page,
    so they become placeholders here.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    toggles = 0
    for item in soup.find_all("li"):
        number = _item_number(item)
        if item.find("ul") is not None:
            toggles += 1
            _add_toggle(soup, item, toggles, number, markup)
        item["class"] = " ".join([*_classes(item), _placeholder("p", number)])
    return str(soup)


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    if value is None:
        return []
    # Parsed classes are a list; the ones set here are text, written out as they are.
    return value.split() if isinstance(value, str) else list(value)


def _item_number(item: Tag) -> int:
    for name in _classes(item):
        match = _PLACEHOLDER.fullmatch(name)
        if match is not None and match.group(1) == "c":
            return int(match.group(2))
    raise _Unsupported("a list item that Sphinx did not write from the tree")


def _add_toggle(
    soup: BeautifulSoup, item: Tag, count: int, number: int, markup: FuroMarkup
) -> None:
    link = item.find("a")
    if link is None:
        raise _Unsupported("an entry with children but no link")
    name = f"toctree-checkbox-{count}"
    accessible_name = f"Toggle navigation of {link.text}"
    item["class"] = " ".join([*_classes(item), "has-children"])

    label = soup.new_tag("label", attrs={"for": name})
    if markup.hidden_text:
        hidden = soup.new_tag("div", attrs={"class": "visually-hidden"})
        hidden.string = accessible_name
        label.append(hidden)
    icon = soup.new_tag(markup.icon_tag, attrs={"class": "icon"})
    arrow = soup.new_tag("svg")
    arrow.append(soup.new_tag("use", attrs={"href": "#svg-arrow-right"}))
    icon.append(arrow)
    label.append(icon)

    attributes = {
        "type": "checkbox",
        "class": "toctree-checkbox",
        "id": name,
        "name": name,
        "role": "switch",
    }
    if markup.aria_label:
        attributes["aria-label"] = accessible_name
    checkbox = soup.new_tag("input", attrs=attributes)
    checkbox[_placeholder("k", number)] = ""
    # Label first, then the checkbox before it: both right after the item's link.
    item.insert(1, label)
    item.insert(1, checkbox)


def _template_of(html: str, links: list[_Link], by_directory: bool) -> NavigationTemplate:
    """Cut the decorated HTML into static text and slots."""
    pieces: list[str] = []
    href_slots: dict[int, int] = {}
    class_slots: dict[tuple[str, int], _Slot] = {}
    item_order: dict[int, int] = {}
    seen: set[tuple[str, int]] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(html):
        kind, number = match.group(1), int(match.group(2))
        if (kind, number) in seen:
            raise _Unsupported("a placeholder written twice")
        seen.add((kind, number))
        start, end = match.span()
        on = ""
        if kind == "h":
            if html[start - 6 : start] != 'href="' or html[end : end + 1] != '"':
                raise _Unsupported("an address written in an unexpected way")
            start, end = start - 6, end + 1
        elif kind == "k":
            if html[start - 1 : start] != " " or html[end : end + 3] != '=""':
                raise _Unsupported("a toggle written in an unexpected way")
            start, end, on = start - 1, end + 3, ' checked=""'
        else:
            word = _CLASS_WORD[kind]
            if html[start - 8 : start] == ' class="' and html[end : end + 1] == '"':
                start, end, on = start - 8, end + 1, f' class="{word}"'
            elif html[start - 1 : start] == " ":
                start, on = start - 1, f" {word}"
            elif html[end : end + 1] == " ":
                end, on = end + 1, f"{word} "
            else:
                raise _Unsupported("a class written in an unexpected way")
        if start < position:
            raise _Unsupported("overlapping placeholders")
        pieces.append(html[position:start])
        if kind == "h":
            href_slots[number] = len(pieces)
        else:
            class_slots[kind, number] = _Slot(len(pieces), on)
            if kind == "p":
                item_order[number] = len(item_order)
        pieces.append("")
        position = end
    pieces.append(html[position:])

    links_to: dict[str, list[int]] = {}
    for number, link in enumerate(links):
        if link.target is None:
            continue
        if number not in href_slots:
            raise _Unsupported("a link whose address was not written")
        links_to.setdefault(link.target, []).append(number)
    return NavigationTemplate(
        pieces=pieces,
        links=links,
        href_slots=href_slots,
        class_slots=class_slots,
        item_order=item_order,
        links_to=links_to,
        by_directory=by_directory,
    )


# --- verifying a furo version the tests never saw -----------------------------------------------


def sample_pages(env: BuildEnvironment, tree: SiteTree) -> list[str]:
    """The pages of this build that an unseen furo version is verified on, in a fixed order.

    The root document (the top of the tree), the page deepest in the tree (the most entries
    marked current and toggles checked; the first such page in the tree) and the first page of
    a hidden toctree, which furo shows although Sphinx's own sidebar does not (toctrees taken in
    the order of their documents' names).
    """
    pages = [env.config.root_doc]
    # Pages of the tree with their depth, in the tree's order (anchors are sections of a page).
    depths = [
        (link.target, len(link.items))
        for link in tree.links
        if link.target is not None and not link.anchor
    ]
    if depths:
        pages.append(max(depths, key=lambda entry: entry[1])[0])
    hidden = _first_hidden_page(env, {target for target, _depth in depths})
    if hidden is not None:
        pages.append(hidden)
    return list(dict.fromkeys(pages))


def _first_hidden_page(env: BuildEnvironment, in_tree: set[str]) -> str | None:
    for docname in sorted(env.tocs):
        for toctree in env.tocs[docname].findall(addnodes.toctree):
            included: list[str] = toctree.get("includefiles", []) if toctree.get("hidden") else []
            for page in included:
                if page in in_tree:
                    return page
    return None


def _furos_own(builder: Builder, furo: _Furo, pages: list[str]) -> dict[str, str] | None:
    """furo's own navigation for *pages*, computed by furo as it does in each page's context."""
    html_builder = cast("StandaloneHTMLBuilder", builder)
    navigation: dict[str, str] = {}
    for page in pages:
        context = {"toctree": functools.partial(html_builder._get_local_toctree, page)}
        try:
            navigation[page] = furo.compute(context)
        except (AttributeError, KeyError, TypeError) as error:
            # A furo whose function now wants more than the page's toctree: not verifiable.
            logger.verbose(
                __("furo %s: its navigation could not be computed for comparison (%s)"),
                furo.version,
                error,
            )
            return None
    return navigation


def _matches(template: NavigationTemplate, builder: Builder, expected: dict[str, str]) -> bool:
    """Whether *template* gives furo's own navigation on every sampled page it serves."""
    compared = 0
    for page, navigation in expected.items():
        rendered = template.render(builder, page)
        if rendered is None:  # a page furo renders anyway; no evidence either way
            continue
        if rendered != navigation:
            return False
        compared += 1
    return compared > 0


def verified_template(builder: Builder, tree: SiteTree, furo: _Furo) -> NavigationTemplate | None:
    """The template of the first markup family that matches furo's own on this build's pages."""
    pages = sample_pages(builder.env, tree)
    expected = _furos_own(builder, furo, pages)
    if expected is not None:
        for markup in MARKUP_CANDIDATES:
            template = tree.template(markup)
            if template is not None and _matches(template, builder, expected):
                logger.verbose(
                    __("furo %s: navigation verified against furo's own on %s"),
                    furo.version,
                    ", ".join(pages),
                )
                return template
    logger.verbose(
        __(
            "furo %s: sphinx-prolo's navigation could not be verified against furo's own on "
            "%s; furo renders the navigation itself"
        ),
        furo.version,
        ", ".join(pages),
    )
    return None


# --- hooking into furo ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Furo:
    """The parts of the installed furo that this module relies on."""

    version: str
    #: The markup of a version the tests checked; None for a version verified on each build.
    markup: FuroMarkup | None
    #: furo's function that asks for the page's toctree and decorates it.
    compute: Callable[[dict[str, Any]], str]
    #: Its code, to recognise its call to ``toctree()``.
    caller: CodeType
    #: furo's decoration of a toctree, for pages the template cannot serve.
    navigation_tree: Callable[[str], str]


@dataclass
class _BuildState:
    furo: _Furo
    template: NavigationTemplate | None = None
    built: bool = False

    def serves(self, builder: Builder) -> bool:
        """Whether this build's pages get their navigation here (decided on the first page)."""
        if not self.built:
            self.template = self._template(builder)
            self.built = True
        return self.template is not None

    def _template(self, builder: Builder) -> NavigationTemplate | None:
        tree = site_tree(builder)
        if tree is None:
            return None
        if self.furo.markup is not None:
            return tree.template(self.furo.markup)
        return verified_template(builder, tree, self.furo)


# One state per application; forked writer processes inherit the parent's, template included.
_STATES: weakref.WeakKeyDictionary[Sphinx, _BuildState] = weakref.WeakKeyDictionary()


class _FuroToctree:
    """The page's ``toctree()``, except that furo's navigation call returns nothing to parse."""

    def __init__(self, original: Callable[..., str], furo_caller: CodeType) -> None:
        self.original = original
        self.furo_caller = furo_caller
        self.intercepted = False

    def __call__(self, **kwargs: Any) -> str:
        if (
            not self.intercepted
            and kwargs == FURO_TOCTREE_ARGS
            and sys._getframe(1).f_code is self.furo_caller
        ):
            self.intercepted = True
            return ""
        return self.original(**kwargs)


def _installed_furo() -> _Furo | None:
    """The parts of the installed furo this module needs, or None (said with ``-v``)."""
    try:
        furo = importlib.import_module("furo")
        furo_navigation = importlib.import_module("furo.navigation")
    except ImportError as error:
        logger.verbose(__("furo renders the navigation itself: %s"), error)
        return None
    version = str(getattr(furo, "__version__", "(unknown)"))
    compute = getattr(furo, "_compute_navigation_tree", None)
    caller = getattr(compute, "__code__", None)
    navigation_tree = getattr(furo_navigation, "get_navigation_tree", None)
    if not callable(compute) or caller is None or not callable(navigation_tree):
        logger.verbose(
            __(
                "furo %s: furo._compute_navigation_tree or furo.navigation.get_navigation_tree "
                "is missing or changed; furo renders the navigation itself"
            ),
            version,
        )
        return None
    return _Furo(version, FURO_MARKUP.get(version), compute, caller, navigation_tree)


def _writes_furo_pages(builder: Builder) -> bool:
    """Whether *builder* writes one page per document with furo's navigation in each."""
    theme = getattr(builder, "theme", None)
    return (
        isinstance(builder, StandaloneHTMLBuilder)
        and not isinstance(builder, SingleFileHTMLBuilder)
        and getattr(theme, "name", None) == "furo"
        # A builder that computes the toctree its own way is left to furo.
        and type(builder)._get_local_toctree is StandaloneHTMLBuilder._get_local_toctree
    )


def start_build(app: Sphinx) -> None:
    """Find, once per build, whether this build's navigation can be rendered here."""
    _STATES.pop(app, None)
    if not app.config.prolo_fast_navigation or not _writes_furo_pages(app.builder):
        return
    furo = _installed_furo()
    if furo is not None:
        _STATES[app] = _BuildState(furo)


def forget_template(app: Sphinx, builder: Builder) -> None:
    """Drop the last build's template and verdict: the documents may have changed since."""
    state = _STATES.get(app)
    if state is not None:
        state.template, state.built = None, False


def before_furo(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep furo from computing the navigation: its ``toctree()`` call will return nothing."""
    state = _STATES.get(app)
    original = context.get("toctree")
    if state is not None and callable(original) and state.serves(app.builder):
        context["toctree"] = _FuroToctree(original, state.furo.caller)


def after_furo(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Put the page's ``toctree()`` back and give furo's template this page's navigation."""
    toctree = context.get("toctree")
    if not isinstance(toctree, _FuroToctree):
        return
    context["toctree"] = toctree.original
    state = _STATES.get(app)
    if not toctree.intercepted or state is None or state.template is None:
        return
    navigation = state.template.render(app.builder, pagename)
    if navigation is None:  # a page the template cannot serve: furo's own rendering
        navigation = state.furo.navigation_tree(toctree.original(**FURO_TOCTREE_ARGS))
    context["furo_navigation_tree"] = navigation


def setup_navigation(app: Sphinx) -> None:
    """Render furo's navigation in linear time (``prolo_fast_navigation``, on by default)."""
    app.connect("builder-inited", start_build)
    app.connect("write-started", forget_template)
    app.connect("html-page-context", before_furo, priority=FURO_PRIORITY - 1)
    app.connect("html-page-context", after_furo, priority=FURO_PRIORITY + 1)
