"""pydata-sphinx-theme's header links in linear time.

The theme's ``generate_header_nav_html`` lists every entry of the root document's toctrees in
the header of every page (the first few as links, the rest in a "More" dropdown).  For each page
it walks the whole toctree parent map to find the page's top-level section, then computes each
entry's address and formats its link: on a site whose articles are top-level entries, the cost of
one page grows with the site, and the build's with its square.

Here the theme's own function runs once per build (per set of arguments), in a context of its own
whose ``pathto`` answers with placeholders and where no page is current.  Its text is cut into a
template with slots: each link's address, the ``current active`` of each item, and the
dropdown's id.  A page fills them in:

- the addresses, with the page's own ``pathto``, once per directory of pages (an address depends
  on the page only through its directory, except a link to the page itself, filled per page);
- ``current active`` on the items of the page's top-level section, found on the toctree parent
  map made once per build;
- the dropdown's id from the page's ``unique_html_id``, as the theme asks for it.

A template is compared with the theme's own text on the page it was made on and on a few others
(the root document, the first and the last entry) before it serves; where it differs, the theme
writes the header itself, silently (``-v`` says so).
"""

from __future__ import annotations

import importlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_prolo.builds.compat import is_not_found_page
from sphinx_prolo.navigation.tree import (
    PLACEHOLDER,
    Unsupported,
    ancestry,
    left_to_theme,
    placeholder,
)
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

logger = logging.getLogger(__name__)

#: What the theme adds to the classes of the item of the page's top-level section.
CURRENT = "current active"

#: A page name no document can have: the template is made as if for it, so nothing is current.
_NO_PAGE = "\x00prolo-header"

#: Directories whose addresses are kept (dirhtml gives every page a directory of its own).
_DIRECTORIES_KEPT = 16

#: Where the theme opens the item that holds a link, and how it writes the address.
_ITEM_START = '<li class="'
_HREF_START = 'href="'


@dataclass
class HeaderTemplate:
    """The header links of one build, with slots where pages differ."""

    #: Static text and slots, alternating; slots hold their text for a page of no section.
    pieces: list[str]
    #: Each link's document (as the theme asked ``pathto`` for it) and its address's piece.
    targets: list[str]
    href_slots: list[int]
    #: The ``current active`` slots of the items linking to each document.
    current_slots: dict[str, list[int]]
    #: The dropdown's id as the theme asks for it (None: no dropdown), and its pieces.
    dropdown_id: str | None
    id_slots: list[int]
    _uris: dict[str, list[int]] | None = None
    _directories: OrderedDict[tuple[str, ...], tuple[list[str], str]] = field(
        default_factory=OrderedDict
    )

    def render(
        self,
        builder: Builder,
        pagename: str,
        pathto: Callable[[str], str],
        section: str | None,
        unique_id: Callable[[str], str],
    ) -> str:
        """The header of *pagename*: addresses from *pathto*, *section* current."""
        pieces = self._with_addresses(builder, pagename, pathto)
        for index in self.current_slots.get(section, ()) if section is not None else ():
            pieces[index] = CURRENT
        if self.dropdown_id is not None:
            dropdown_id = unique_id(self.dropdown_id)
            for index in self.id_slots:
                pieces[index] = dropdown_id
        return "".join(pieces)

    def _with_addresses(
        self, builder: Builder, pagename: str, pathto: Callable[[str], str]
    ) -> list[str]:
        pieces = self.pieces.copy()
        page_uri = builder.get_target_uri(pagename).partition("#")[0]
        key = tuple(page_uri.split("/")[:-1])
        if key not in self._directories:
            self._fill(pieces, pathto, range(len(self.targets)))
            self._directories[key] = (pieces.copy(), page_uri)
            if len(self._directories) > _DIRECTORIES_KEPT:
                self._directories.popitem(last=False)
            return pieces
        self._directories.move_to_end(key)
        filled, first_uri = self._directories[key]
        pieces = filled.copy()
        # A link to the page itself, or to the page the directory's addresses came from, is the
        # one address that differs within a directory.
        uris = self._links_by_uri(builder)
        self._fill(pieces, pathto, [*uris.get(first_uri, ()), *uris.get(page_uri, ())])
        return pieces

    def _fill(self, pieces: list[str], pathto: Callable[[str], str], links: Any) -> None:
        for number in links:
            pieces[self.href_slots[number]] = pathto(self.targets[number])

    def _links_by_uri(self, builder: Builder) -> dict[str, list[int]]:
        if self._uris is None:
            self._uris = {}
            for number, target in enumerate(self.targets):
                uri = builder.get_target_uri(target).partition("#")[0]
                self._uris.setdefault(uri, []).append(number)
        return self._uris


def pydata_toctree_module() -> Any:
    """pydata-sphinx-theme's ``toctree`` module, or None where the theme is not installed."""
    try:
        return importlib.import_module("pydata_sphinx_theme.toctree")
    except ImportError:
        return None


def _themes_own(
    app: Sphinx,
    page: str,
    templatename: str,
    context: dict[str, Any],
    pathto: Callable[..., str],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> tuple[str, str]:
    """The theme's header for *page* with *pathto*, from the theme's own functions in a context
    of their own; asked twice, so that the dropdown's id shows (the second gets another)."""
    own = {**context, "pathto": pathto}
    pydata_toctree_module().add_toctree_functions(app, page, templatename, own, None)
    return own["generate_header_nav_html"](*args, **kwargs), own["generate_header_nav_html"](
        *args, **kwargs
    )


def _dropdown_id(first: str, second: str) -> str | None:
    """The id the theme asked ``unique_html_id`` for: where *second* (its second id) differs."""
    if first == second:
        return None
    start = next(i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b)
    begin = first.rfind('"', 0, start) + 1
    dropdown_id = first[begin:start]
    if not dropdown_id or first.replace(f'"{dropdown_id}"', f'"{dropdown_id}-2"') != second:
        raise Unsupported("a header that differs from one call to the next")
    return dropdown_id


def _cut(html: str, targets: list[str], dropdown_id: str | None) -> HeaderTemplate:
    """*html* (the theme's header with placeholder addresses) cut into a template."""
    cuts: list[tuple[int, int, str, int]] = []  # start, end, kind, link number
    previous = 0
    for match in PLACEHOLDER.finditer(html):
        kind, number = match.group(1), int(match.group(2))
        start, end = match.span()
        if kind != "h" or number >= len(targets):
            raise Unsupported("an unexpected placeholder")
        if html[start - len(_HREF_START) : start] != _HREF_START or html[end : end + 1] != '"':
            raise Unsupported("an address written in an unexpected way")
        item = html.rfind(_ITEM_START, previous, start)
        if item < 0:
            raise Unsupported("a link outside a list item")
        classes_end = html.find('"', item + len(_ITEM_START))
        cuts += [(classes_end, classes_end, "c", number), (start, end, "h", number)]
        previous = end
    if dropdown_id is not None:
        quoted = f'"{dropdown_id}"'
        position = html.find(quoted)
        while position >= 0:
            cuts.append((position + 1, position + len(quoted) - 1, "i", -1))
            position = html.find(quoted, position + len(quoted))
    cuts.sort()
    pieces: list[str] = []
    href_slots = [0] * len(targets)
    current_slots: dict[str, list[int]] = {}
    id_slots: list[int] = []
    position = 0
    for start, end, kind, number in cuts:
        if start < position:
            raise Unsupported("overlapping slots")
        pieces.append(html[position:start])
        if kind == "h":
            href_slots[number] = len(pieces)
        elif kind == "c":
            current_slots.setdefault(targets[number], []).append(len(pieces))
        else:
            id_slots.append(len(pieces))
        pieces.append(html[start:end])
        position = end
    pieces.append(html[position:])
    if len(set(href_slots)) != len(targets):
        raise Unsupported("a link whose address was not written")
    return HeaderTemplate(pieces, targets, href_slots, current_slots, dropdown_id, id_slots)


def _pathto_for(builder: Builder, page: str) -> Callable[..., str]:
    """The addresses *page* gives documents, as Sphinx's ``pathto`` computes them."""
    base = builder.get_target_uri(page).rsplit("#", 1)[0]

    def pathto(other: str, resource: bool = False) -> str:
        uri = relative_uri(base, other if resource else builder.get_target_uri(other)) or "#"
        if uri == "#" and not getattr(builder, "allow_sharp_as_current_path", True):
            return base
        return uri

    return pathto


def header_template(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    parents: dict[str, str],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> HeaderTemplate | None:
    """The header template of this build for these arguments, verified; None: the theme's."""
    builder = app.builder
    targets: list[str] = []

    def placeholder_pathto(other: str, resource: bool = False, **_options: Any) -> str:
        if resource:
            raise Unsupported("a resource in the header")
        targets.append(other)
        return placeholder("h", len(targets) - 1)

    try:
        first, second = _themes_own(
            app, _NO_PAGE, templatename, context, placeholder_pathto, args, kwargs
        )
        if len(targets) != len(set(PLACEHOLDER.findall(first))):
            raise Unsupported("addresses asked for on each call")
        template = _cut(first, targets, _dropdown_id(first, second))
    except (Unsupported, ValueError, TypeError, KeyError) as reason:
        logger.debug("[prolo] header left to the theme: %s", reason)
        return None
    samples = [app.config.root_doc, *targets[:1], *targets[-1:]]
    checks = [(pagename, context["pathto"])]
    checks += [(page, _pathto_for(builder, page)) for page in dict.fromkeys(samples)]
    for page, pathto in checks:
        section = _section(parents, page)
        own, _second = _themes_own(app, page, templatename, context, pathto, args, kwargs)
        if template.render(builder, page, pathto, section, lambda base: base) != own:
            return None
    return template


def _section(parents: dict[str, str], pagename: str) -> str | None:
    """The page's top-level section in the toctrees (the theme's "active header page")."""
    ancestors = ancestry(parents, pagename)
    return ancestors[-1] if ancestors else None


class ServedHeader:
    """The page's ``generate_header_nav_html``: the header links from a template."""

    def __init__(
        self,
        app: Sphinx,
        page: tuple[str, str],
        context: dict[str, Any],
        templates: dict[Hashable, HeaderTemplate | None],
        parents: Callable[[], dict[str, str]],
        original: Callable[..., str],
    ) -> None:
        self.app, (self.pagename, self.templatename), self.context = app, page, context
        self.templates, self.parents, self.original = templates, parents, original

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        key = (args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:
            return self.original(*args, **kwargs)
        # The one boundary between the served header and the theme's: an error of any kind
        # leaves the header to the theme for the rest of the build.
        try:
            rendered = self._served(key, args, kwargs)
        except Exception as error:
            self.templates[key] = None
            left_to_theme(self.pagename, "generate_header_nav_html()", error)
            rendered = None
        return self.original(*args, **kwargs) if rendered is None else rendered

    def _served(self, key: Hashable, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
        if key not in self.templates:
            template = header_template(
                self.app,
                self.pagename,
                self.templatename,
                self.context,
                self.parents(),
                args,
                kwargs,
            )
            self.templates[key] = template
            logger.verbose(
                __("header links: %s"),
                __("served from the site tree")
                if template is not None
                else __("left to the theme"),
            )
        template = self.templates[key]
        if template is None:
            return None
        return template.render(
            self.app.builder,
            self.pagename,
            self.context["pathto"],
            _section(self.parents(), self.pagename),
            self.context["unique_html_id"],
        )


def serve_header(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    templates: dict[Hashable, HeaderTemplate | None],
    parents: Callable[[], dict[str, str]],
) -> None:
    """Give the page a ``generate_header_nav_html`` served from the build's templates."""
    original = context.get("generate_header_nav_html")
    if isinstance(original, ServedHeader) or not callable(original):
        return
    if is_not_found_page(app, pagename) or not callable(context.get("unique_html_id")):
        return  # the 404 page's addresses are absolute, unlike its directory's
    context["generate_header_nav_html"] = ServedHeader(
        app, (pagename, templatename), context, templates, parents, original
    )
