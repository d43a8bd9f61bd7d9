"""Any theme's ``toctree()`` in linear time: the site tree resolved once per set of arguments.

A theme that shows the site's navigation asks the page's ``toctree()`` for it (alabaster's and
Sphinx's ``globaltoc.html``, sphinx-rtd-theme's layout, sphinx-book-theme through
pydata-sphinx-theme's ``generate_toctree_html``), and Sphinx resolves and renders the whole tree
again for every page: a build is quadratic in the number of pages.  Here, for each distinct set of
arguments (``maxdepth``, ``collapse``, ``titles_only``, ``includehidden``), the tree is resolved
and rendered once per build (once per process when pages are written in parallel), never
collapsed, with placeholders where pages differ (:mod:`sphinx_prolo.navigation.tree`).  Each page
fills in its addresses and ``current`` classes, and leaves out the nested lists Sphinx would
collapse on it (those whose item does not lead to the page), in time proportional to what it
shows.

Nothing is trusted: each template is compared with Sphinx's own result on a few pages of this
very build (the root, the deepest page, a page of a hidden toctree) before it serves any page,
and a set of arguments whose template differs anywhere, or that Sphinx resolves differently from
page to page in ways the template cannot follow, is left to Sphinx, silently (``-v`` says so).
furo's own navigation call is handled by :mod:`sphinx_prolo.navigation.furo`, on top of this.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

from sphinx import addnodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import TocTree
from sphinx.util import logging

from sphinx_prolo.builds.compat import is_not_found_page, writes_page_per_document
from sphinx_prolo.navigation.furo_template import NavigationTemplate, cut_into_slots
from sphinx_prolo.navigation.tree import (
    SiteTree,
    Unsupported,
    ancestry,
    depends_on_ancestry,
    site_tree,
    toctree_parents,
    with_list_bounds,
)
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Runs before any theme's handler, so that whatever a theme computes during the event, and
#: whatever its templates call later, goes through the served ``toctree()``.
PRIORITY = 450

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
        pieces = self.page_pieces(builder, pagename, links)
        if pieces is None:
            return None
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
        ranges.append((position, len(pieces)))
        return "".join(chain.from_iterable(pieces[start:end] for start, end in ranges))

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


#: A template's place in the site: None for the whole site, or the document whose toctrees a
#: theme's section sidebar shows; and the arguments it was asked with.
_Where = tuple[str | None, ToctreeKey]


@dataclass
class _State:
    """The templates of one build, per section and arguments (None: left to Sphinx)."""

    templates: dict[_Where, ToctreeTemplate | None] = field(default_factory=dict)
    #: Whether the tree differs between pages in more than links and classes (None: not known
    #: yet); found once per build.
    ancestry: bool | None = None

    def servable(self, env: BuildEnvironment) -> bool:
        """Whether this build's tree can be served at all."""
        if self.ancestry is None:
            self.ancestry = depends_on_ancestry(env)
        return not self.ancestry

    def template(
        self, builder: Builder, key: ToctreeKey, section: str | None = None
    ) -> ToctreeTemplate | None:
        if (section, key) not in self.templates:
            served = self.servable(builder.env)
            if section is not None and not builder.env.toctree_includes.get(section):
                served = False  # a section without toctrees: nothing to serve
            self.templates[section, key] = (
                _verified_template(builder, key, section) if served else None
            )
        return self.templates[section, key]


def _verified_template(
    builder: Builder, key: ToctreeKey, section: str | None
) -> ToctreeTemplate | None:
    from sphinx_prolo.navigation.furo import sample_pages

    arguments = arguments_of(key)
    template = None
    tree = site_tree(builder, arguments, section, checked=True)
    if tree is not None:
        template = template_for(tree, key[0], builder.env)
    if template is not None and tree is not None:
        for page in sample_pages(builder.env, tree):
            rendered = template.render(builder, page)
            if rendered is not None and rendered != _sphinxs_own(
                builder, page, arguments, section
            ):
                template = None
                break
    logger.verbose(
        __("toctree(%s)%s: %s"),
        ", ".join(f"{name}={value!r}" for name, value in arguments.items()),
        "" if section is None else f" of {section}",
        __("served from the site tree") if template is not None else __("left to Sphinx"),
    )
    return template


def _sphinxs_own(
    builder: Builder, page: str, arguments: dict[str, Any], section: str | None
) -> str:
    """What Sphinx gives *page* for these arguments, rendered."""
    html_builder: StandaloneHTMLBuilder = builder  # type: ignore[assignment]
    if section is None:
        return html_builder._get_local_toctree(page, **arguments)
    adapter = TocTree(builder.env)
    resolved = [
        adapter.resolve(page, builder, toctree, prune=True, **arguments)
        for toctree in builder.env.tocs[section].deepcopy().findall(addnodes.toctree)
    ]
    trees = [tree for tree in resolved if tree is not None]
    if not trees:
        return ""
    for tree in trees[1:]:
        trees[0].extend(tree.children)
    return html_builder.render_partial(trees[0])["fragment"]


STATES: weakref.WeakKeyDictionary[Sphinx, _State] = weakref.WeakKeyDictionary()


class ServedToctree:
    """The page's ``toctree()``, served from the build's templates where they are verified."""

    def __init__(self, app: Sphinx, pagename: str, original: Callable[..., str]) -> None:
        self.app = app
        self.pagename = pagename
        self.original = original

    def __call__(self, **kwargs: Any) -> str:
        state = STATES.get(self.app)
        key = toctree_key(kwargs)
        if state is not None and key is not None:
            template = state.template(self.app.builder, key)
            if template is not None:
                rendered = template.render(self.app.builder, self.pagename)
                if rendered is not None:
                    return rendered
        return self.original(**kwargs)


def _serves(builder: Builder) -> bool:
    """Whether *builder* writes one page per document with Sphinx's own ``toctree()``."""
    return (
        writes_page_per_document(builder)
        and type(builder)._get_local_toctree is StandaloneHTMLBuilder._get_local_toctree
    )


def start_build(app: Sphinx) -> None:
    """Serve ``toctree()`` in this build when the option is on and the builder is a stock one."""
    STATES.pop(app, None)
    if app.config.prolo_fast_navigation and _serves(app.builder):
        STATES[app] = _State()


def forget_templates(app: Sphinx, builder: Builder) -> None:
    """Drop the last build's templates: the documents may have changed since."""
    if app in STATES:
        STATES[app] = _State()


def serve_toctree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the page a ``toctree()`` served from the build's templates."""
    original = context.get("toctree")
    if app in STATES and callable(original) and not is_not_found_page(app, pagename):
        context["toctree"] = ServedToctree(app, pagename, original)


def setup_navigation_toctree(app: Sphinx) -> None:
    """Serve every theme's ``toctree()`` in linear time (``prolo_fast_navigation``)."""
    app.connect("builder-inited", start_build)
    app.connect("write-started", forget_templates)
    app.connect("html-page-context", serve_toctree, priority=PRIORITY)
