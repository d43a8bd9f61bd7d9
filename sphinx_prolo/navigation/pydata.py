"""pydata-sphinx-theme's sidebars (and sphinx-book-theme's, built on it) in linear time.

pydata-sphinx-theme draws its sidebar in ``generate_toctree_html``: it gets a tree of the site
(from ``toctree()``, or for the section sidebar by resolving the toctrees of the page's top-level
section itself, in ``get_nonroot_toctree``), then rewrites it with BeautifulSoup on every page:
``active`` next to ``current``, section links taken out, expand/collapse ``<details>`` added and
opened where the page is.  Both steps cost as much as the whole sidebar on every page.

- The section's tree is served from a template per section
  (:mod:`sphinx_prolo.navigation.toctree`), through the theme's ``get_nonroot_toctree``: a raw
  node holding the served HTML renders to the same text.
- The sidebar from ``toctree()`` (sphinx-book-theme's) is rewritten once per build: the theme's
  own function is run on the placeholder tree, and the result is cut into a template whose
  slots give ``current active``, the addresses and the open ``<details>`` of each page.

Every template is compared with the theme's own result on a few pages of the build before it
serves; where it differs, or where the sidebar changes shape from page to page (collapsed
branches, section captions made collapsible), the theme draws it itself, silently.
"""

from __future__ import annotations

import weakref
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from sphinx_prolo.builds.compat import follow_handler
from sphinx_prolo.navigation.costs import pays, tree_links
from sphinx_prolo.navigation.furo_template import NavigationTemplate, cut_into_slots, item_number
from sphinx_prolo.navigation.pydata_header import (
    HeaderTemplate,
    pydata_toctree_module,
    serve_header,
)
from sphinx_prolo.navigation.toctree import STATES
from sphinx_prolo.navigation.toctree_template import ToctreeKey, arguments_of, toctree_key
from sphinx_prolo.navigation.tree import (
    Unsupported,
    ancestry,
    left_to_theme,
    placeholder,
    site_tree,
    toctree_parents,
    without_lists,
)
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

logger = logging.getLogger(__name__)

#: Just after pydata-sphinx-theme's own handler, which puts ``generate_toctree_html`` in place.
PRIORITY = 501

#: What the theme adds to a current item's classes, and to the ``<details>`` of a current item.
_WORDS = {"c": "current active", "k": ' open="open"'}


def _section_sidebar(original: Callable[..., Any]) -> Callable[..., Any]:
    """pydata-sphinx-theme's ``get_nonroot_toctree``, served from the build's templates.

    The theme resolves the toctrees of the page's top-level section for its sidebar itself (not
    through ``toctree()``) and renders the result; a raw node holding the served HTML renders
    to the same text.
    """

    def served(app: Sphinx, pagename: str, ancestorname: str, toctree: Any, **kwargs: Any) -> Any:
        placeholder_tree = _PLACEHOLDER_TREE.get()
        if placeholder_tree is not None:  # a template being made: the tree with placeholders
            return nodes.raw("", placeholder_tree, format="html") if placeholder_tree else None
        state = STATES.get(app)
        key = _section_key(kwargs)
        if state is not None and key is not None and ancestorname in app.env.tocs:
            rendered = state.serve(app.builder, key, pagename, ancestorname)
            if rendered is not None:
                return nodes.raw("", rendered, format="html") if rendered else None
        return original(app, pagename, ancestorname, toctree, **kwargs)

    served.prolo_original = original  # type: ignore[attr-defined]
    return served


def _section_key(kwargs: dict[str, Any]) -> ToctreeKey | None:
    """The arguments pydata-sphinx-theme resolves a section with, as :func:`toctree_key` reads
    them (collapsing unless told otherwise; hidden toctrees only when asked)."""
    if not set(kwargs) <= {"collapse", "includehidden", "maxdepth", "titles_only"}:
        return None
    return toctree_key({"includehidden": False, **kwargs, "maxdepth": kwargs.get("maxdepth") or 0})


def _serve_section_sidebars() -> None:
    """Hook pydata-sphinx-theme's section sidebar (once per process; other apps pass through)."""
    module = pydata_toctree_module()
    function = getattr(module, "get_nonroot_toctree", None)
    if callable(function) and not hasattr(function, "prolo_original"):
        module.get_nonroot_toctree = _section_sidebar(function)


# --- the sidebar, rewritten once per build ---------------------------------------------------

#: While a template is made, the section tree the theme's function gets (placeholders).
_PLACEHOLDER_TREE: ContextVar[str | None] = ContextVar("prolo_placeholder_tree", default=None)

#: A sidebar: its section (None for the whole site), ``show_nav_level`` and tree arguments.
_SidebarKey = tuple[str | None, int, int, ToctreeKey]


@dataclass
class _Sidebars:
    """The sidebar templates of one build (None: drawn by the theme)."""

    templates: dict[_SidebarKey, NavigationTemplate | None] = field(default_factory=dict)
    #: The header templates, by the arguments the theme's template gives.
    headers: dict[Hashable, HeaderTemplate | None] = field(default_factory=dict)
    #: Each document's parent in the toctrees, found once per build.
    parents: dict[str, str] | None = None
    #: An error where no sidebar could be named: the theme draws every sidebar of the build.
    failed: bool = False


def _parents(app: Sphinx) -> dict[str, str]:
    """Each document's parent in the toctrees (found once per build while it is served)."""
    sidebars = _SIDEBARS.get(app)
    parents = sidebars.parents if sidebars is not None else None
    if parents is None:
        parents = toctree_parents(app.env)
        if sidebars is not None:
            sidebars.parents = parents
    return parents


_SIDEBARS: weakref.WeakKeyDictionary[Sphinx, _Sidebars] = weakref.WeakKeyDictionary()


def _section_of(app: Sphinx, pagename: str, startdepth: int) -> str | None:
    """The page's ancestor *startdepth* levels below the root, as the theme finds it."""
    ancestors = ancestry(_parents(app), pagename)
    return ancestors[-startdepth] if len(ancestors) >= startdepth else None


def _themes_own(
    app: Sphinx,
    page: str,
    templatename: str,
    toctree: Callable[..., str],
    key: _SidebarKey,
    kwargs: dict[str, Any],
) -> Any:
    """The theme's sidebar for *page* (its BeautifulSoup tree), from the theme's own function,
    with *toctree* for the whole site's tree."""
    context: dict[str, Any] = {"toctree": toctree}
    pydata_toctree_module().add_toctree_functions(app, page, templatename, context, None)
    _section, startdepth, show_nav_level, _arguments = key
    return context["generate_toctree_html"]("sidebar", startdepth, show_nav_level, **kwargs)


def _sidebar_template(
    app: Sphinx, pagename: str, templatename: str, key: _SidebarKey, kwargs: dict[str, Any]
) -> NavigationTemplate | None:
    from sphinx_prolo.navigation.furo import sample_pages

    builder = app.builder
    section, startdepth, _show_nav_level, arguments = key
    state = STATES.get(app)
    if state is None or arguments[0]:  # collapsed branches change the sidebar's shape per page
        return None
    # The theme rewrites the whole tree (to the depth asked) on each page.
    env = builder.env
    start = section or env.config.root_doc
    _collapse, includehidden, maxdepth, titles_only = arguments
    shown = tree_links(env, start, includehidden, titles_only, maxdepth)
    links = tree_links(env, start, includehidden, titles_only)
    if not pays(shown, state.pages_left(env, section, pagename), links) or not state.servable(env):
        return None
    tree = site_tree(builder, arguments_of(arguments), section, checked=True)
    if tree is None:
        return None
    if not tree.links:  # nothing to show: the theme's own pass costs next to nothing
        return None
    try:  # the lists deeper than asked for are left out of every page: the theme never sees them
        html = without_lists(tree, tree.over_depth)
    except Unsupported as reason:
        logger.debug("[prolo] sidebar left to the theme: %s", reason)
        return None
    for number, link in enumerate(tree.links):
        if link.anchor:  # a section link, which the theme takes out (its address has a "#")
            html = html.replace(
                f'href="{placeholder("h", number)}"', f'href="{placeholder("h", number)}#"'
            )
    token = _PLACEHOLDER_TREE.set(html)
    try:
        # The theme's tree itself: parsing its text again would merge the blank lines it leaves
        # where it took section links out.
        soup = _themes_own(app, pagename, templatename, lambda **_: html, key, kwargs)
        for item in soup.find_all("li"):
            details = item.find("details", recursive=False)
            if details is not None and "open" not in details.attrs:
                details[placeholder("k", item_number(item))] = ""
        fields = cut_into_slots(
            str(soup), tree.links, tree.by_directory, words=_WORDS, dropped=True
        )
    except Unsupported as reason:
        logger.debug("[prolo] sidebar left to the theme: %s", reason)
        return None
    finally:
        _PLACEHOLDER_TREE.reset(token)
    template = NavigationTemplate(**fields)
    html_builder: Any = builder
    pages = [pagename, *sample_pages(builder.env, tree)]
    for page in dict.fromkeys(pages):
        if section is not None and _section_of(app, page, startdepth) != section:
            continue  # a page of another section shows another sidebar
        own = _themes_own(
            app,
            page,
            templatename,
            lambda page=page, **options: html_builder._get_local_toctree(page, **options),
            key,
            kwargs,
        )
        if template.render(builder, page) != str(own):
            return None
    return template


class ServedSidebar:
    """The page's ``generate_toctree_html``: the sidebar from a template."""

    def __init__(
        self, app: Sphinx, pagename: str, templatename: str, original: Callable[..., Any]
    ) -> None:
        self.app, self.pagename, self.templatename = app, pagename, templatename
        self.original = original

    def __call__(
        self, kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs: Any
    ) -> Any:
        sidebars = _SIDEBARS.get(self.app)
        if sidebars is not None and not sidebars.failed:
            key: _SidebarKey | None = None
            # The one boundary between the served sidebar and the theme's: an error of any kind
            # leaves this sidebar to the theme for the rest of the build.
            try:
                key = self._key(kind, startdepth, show_nav_level, kwargs)
                rendered = None if key is None else self._served(sidebars, key, kwargs)
            except Exception as error:
                if key is None:
                    sidebars.failed = True
                else:
                    sidebars.templates[key] = None
                left_to_theme(self.pagename, "generate_toctree_html()", error)
                rendered = None
            if rendered is not None:
                return rendered
        return self.original(kind, startdepth, show_nav_level, **kwargs)

    def _served(self, sidebars: _Sidebars, key: _SidebarKey, kwargs: dict[str, Any]) -> Any:
        if key not in sidebars.templates:
            template = _sidebar_template(self.app, self.pagename, self.templatename, key, kwargs)
            sidebars.templates[key] = template
            logger.verbose(
                __("sidebar%s: %s"),
                "" if key[0] is None else f" of {key[0]}",
                __("served from the site tree")
                if template is not None
                else __("left to the theme"),
            )
        template = sidebars.templates[key]
        return None if template is None else template.render(self.app.builder, self.pagename)

    def _key(
        self, kind: str, startdepth: Any, show_nav_level: Any, kwargs: dict[str, Any]
    ) -> _SidebarKey | None:
        if kind != "sidebar" or not isinstance(startdepth, int) or startdepth < 0:
            return None
        try:
            level = int(show_nav_level)
        except (TypeError, ValueError):
            return None
        if startdepth == 0:
            arguments = toctree_key(kwargs)
            return None if arguments is None else (None, 0, level, arguments)
        section = _section_of(self.app, self.pagename, startdepth)
        arguments = _section_key(kwargs)
        if section is None or arguments is None or section not in self.app.env.tocs:
            return None
        if not self.app.env.toctree_includes.get(section):
            return None  # a section without toctrees: the theme's own pass costs next to nothing
        return (section, startdepth, level, arguments)


def start_build(app: Sphinx) -> None:
    """Serve the theme's sidebars in builds whose ``toctree()`` is served.

    The theme renders the sidebar once already while its handlers run (to find out whether
    it is empty), right after it puts ``generate_toctree_html`` in place: the served one goes in
    right after the theme's, where that can be done, else just after all the theme's handlers.
    """
    _SIDEBARS.pop(app, None)
    module = pydata_toctree_module()
    if app in STATES and "pydata_sphinx_theme" in app.extensions and module is not None:
        _serve_section_sidebars()
        _SIDEBARS[app] = _Sidebars()
        own = getattr(module, "add_toctree_functions", None)
        if own is not None and not getattr(app, "_prolo_follows_pydata", False):
            app._prolo_follows_pydata = follow_handler(  # type: ignore[attr-defined]
                app, "html-page-context", own, serve_sidebar
            )


def forget_sidebars(app: Sphinx, builder: Builder) -> None:
    """Drop the last build's sidebar templates: the documents may have changed since."""
    if app in _SIDEBARS:
        _SIDEBARS[app] = _Sidebars()


def serve_sidebar(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the page a ``generate_toctree_html`` and a ``generate_header_nav_html`` served from
    the build's templates."""
    sidebars = _SIDEBARS.get(app)
    if sidebars is None:
        return
    original = context.get("generate_toctree_html")
    if callable(original) and not isinstance(original, ServedSidebar) and "toctree" in context:
        context["generate_toctree_html"] = ServedSidebar(app, pagename, templatename, original)
    serve_header(app, pagename, templatename, context, sidebars.headers, lambda: _parents(app))


def setup_navigation_pydata(app: Sphinx) -> None:
    """Serve pydata-sphinx-theme's and sphinx-book-theme's sidebars (``prolo_fast_navigation``)."""
    app.connect("builder-inited", start_build, priority=600)
    app.connect("write-started", forget_sidebars)
    app.connect("html-page-context", serve_sidebar, priority=PRIORITY)
