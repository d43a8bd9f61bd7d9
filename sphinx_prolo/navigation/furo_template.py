"""furo's navigation of one build as a template: static text with slots where pages differ.

The placeholder tree (:mod:`sphinx_prolo.navigation.tree`) is decorated with furo's
expand/collapse toggles through BeautifulSoup, as furo does, in one of the known families of
furo's markup, then cut into static text and slots: each link's address, the ``current`` classes,
``current-page`` and the checked toggles.  Each page fills the slots in time proportional to its
output.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.builders import Builder
from sphinx.util import logging

from sphinx_prolo.navigation.tree import (
    CLASS_WORD,
    PLACEHOLDER,
    Link,
    SiteTree,
    Unsupported,
    placeholder,
    site_tree,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bs4 import BeautifulSoup, Tag

logger = logging.getLogger(__name__)


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

# Dirhtml gives every page its own directory; keep the addresses of a few recent directories.
_DIRECTORIES_KEPT = 16


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
    links: list[Link]
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
        pieces = self.page_pieces(builder, pagename)
        return None if pieces is None else "".join(pieces)

    def page_pieces(
        self, builder: Builder, pagename: str, links: Iterable[int] | None = None
    ) -> list[str] | None:
        """The template's pieces filled in for *pagename* (None: addresses not servable);
        *links* are the links to the page that mark it current (default: all of them)."""
        pieces = self._pieces_with_addresses(builder, pagename)
        if pieces is None:
            return None
        for index, text in self.switched_on(pagename, links).items():
            pieces[index] = text
        return pieces

    def switched_on(self, pagename: str, links: Iterable[int] | None = None) -> dict[int, str]:
        """The slots *pagename* switches on (its ``current`` classes, checked toggles), by
        index, with their text; *links* as for :meth:`page_pieces`."""
        keys: list[tuple[str, int]] = []
        current_items: list[int] = []
        for number in self.links_to.get(pagename, ()) if links is None else links:
            link = self.links[number]
            if link.anchor or not link.marks_branch:
                continue
            keys.append(("a", number))
            keys += [(kind, item) for item in link.items for kind in ("c", "k")]
            keys += [("u", bullet_list) for bullet_list in link.lists]
            current_items += link.items
        written = [item for item in current_items if item in self.item_order]
        if written:
            keys.append(("p", max(written, key=self.item_order.__getitem__)))
        slots = [self.class_slots.get(key) for key in keys]
        return {slot.index: slot.on for slot in slots if slot is not None}

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
        number = item_number(item)
        if item.find("ul") is not None:
            toggles += 1
            _add_toggle(soup, item, toggles, number, markup)
        item["class"] = " ".join([*_classes(item), placeholder("p", number)])
    return str(soup)


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    if value is None:
        return []
    # Parsed classes are a list; the ones set here are text, written out as they are.
    return value.split() if isinstance(value, str) else list(value)


def item_number(item: Tag) -> int:
    for name in _classes(item):
        match = PLACEHOLDER.fullmatch(name)
        if match is not None and match.group(1) == "c":
            return int(match.group(2))
    raise Unsupported("a list item that Sphinx did not write from the tree")


def _add_toggle(
    soup: BeautifulSoup, item: Tag, count: int, number: int, markup: FuroMarkup
) -> None:
    link = item.find("a")
    if link is None:
        raise Unsupported("an entry with children but no link")
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
    checkbox[placeholder("k", number)] = ""
    # Label first, then the checkbox before it: both right after the item's link.
    item.insert(1, label)
    item.insert(1, checkbox)


def _template_of(html: str, links: list[Link], by_directory: bool) -> NavigationTemplate:
    """Cut the decorated HTML into static text and slots."""
    return NavigationTemplate(**cut_into_slots(html, links, by_directory))


def cut_into_slots(
    html: str,
    links: list[Link],
    by_directory: bool,
    *,
    words: dict[str, str] | None = None,
    dropped: bool = False,
) -> dict[str, Any]:
    """The fields of a template: *html* cut into static text and slots at its placeholders.

    *words* replaces what a slot of a kind says when it is on (a theme that adds its own class
    to current items); with *dropped*, links a theme left out of the HTML are no error (they
    still mark their branch current)."""
    words = words or {}
    pieces: list[str] = []
    href_slots: dict[int, int] = {}
    class_slots: dict[tuple[str, int], _Slot] = {}
    item_order: dict[int, int] = {}
    seen: set[tuple[str, int]] = set()
    position = 0
    for match in PLACEHOLDER.finditer(html):
        kind, number = match.group(1), int(match.group(2))
        if (kind, number) in seen:
            raise Unsupported("a placeholder written twice")
        seen.add((kind, number))
        start, end = match.span()
        on = ""
        if kind == "h":
            if html[start - 6 : start] != 'href="' or html[end : end + 1] != '"':
                raise Unsupported("an address written in an unexpected way")
            start, end = start - 6, end + 1
        elif kind in "se":
            pass  # where a nested list starts or ends: nothing of its own
        elif kind == "k":
            if html[start - 1 : start] != " " or html[end : end + 3] != '=""':
                raise Unsupported("a toggle written in an unexpected way")
            start, end, on = start - 1, end + 3, words.get("k", ' checked=""')
        else:
            word = words.get(kind, CLASS_WORD[kind])
            if html[start - 8 : start] == ' class="' and html[end : end + 1] == '"':
                start, end, on = start - 8, end + 1, f' class="{word}"'
            elif html[start - 1 : start] == " ":
                start, on = start - 1, f" {word}"
            elif html[end : end + 1] == " ":
                end, on = end + 1, f"{word} "
            else:
                raise Unsupported("a class written in an unexpected way")
        if start < position:
            raise Unsupported("overlapping placeholders")
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
        if number not in href_slots and not dropped:
            raise Unsupported("a link whose address was not written")
        # A link left out (deeper than asked for) still marks its page's branch current.
        links_to.setdefault(link.target, []).append(number)
    return {
        "pieces": pieces,
        "links": links,
        "href_slots": href_slots,
        "class_slots": class_slots,
        "item_order": item_order,
        "links_to": links_to,
        "by_directory": by_directory,
    }


def build_template(builder: Builder, markup: FuroMarkup) -> NavigationTemplate | None:
    """The navigation template of this build, or None when furo must render this site itself."""
    tree = site_tree(builder)
    return None if tree is None else template_for(tree, markup)


def template_for(tree: SiteTree, markup: FuroMarkup) -> NavigationTemplate | None:
    """*tree* decorated as furo's *markup* family does, or None if that cannot be done."""
    try:
        return _template_of(_decorate(tree.html, markup), tree.links, tree.by_directory)
    except Unsupported as reason:
        logger.debug("[prolo] navigation left to furo: %s", reason)
        return None
