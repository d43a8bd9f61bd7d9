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
from typing import TYPE_CHECKING, Any

from sphinx import addnodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import TocTree
from sphinx.util import logging

from sphinx_prolo.builds.compat import is_not_found_page, writes_page_per_document
from sphinx_prolo.navigation.costs import pages_under, pays, tree_links
from sphinx_prolo.navigation.toctree_template import (
    ToctreeKey,
    ToctreeTemplate,
    arguments_of,
    template_for,
    toctree_key,
)
from sphinx_prolo.navigation.tree import depends_on_ancestry, left_to_theme, site_tree
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
    #: The pages of this build (of this process, in parallel writes) given a ``toctree()``.
    pages: int = 0

    def servable(self, env: BuildEnvironment) -> bool:
        """Whether this build's tree can be served at all."""
        if self.ancestry is None:
            self.ancestry = depends_on_ancestry(env)
        return not self.ancestry

    def pages_left(self, env: BuildEnvironment, section: str | None, pagename: str) -> int:
        """The pages still to write that show this tree, this one included: a section's pages
        for a section's tree; else one for a page that is no document (an index, an extra
        page: written after every document, so asking for what no document asked for), and
        the documents not written yet (in this process) for a document."""
        if section is not None:
            return pages_under(env, section)
        if pagename not in env.found_docs:
            return 1
        return max(len(env.found_docs) - self.pages + 1, 1)

    def serve(
        self, builder: Builder, key: ToctreeKey, pagename: str, section: str | None = None
    ) -> str | None:
        """The page's ``toctree()`` (or its section's tree) from the template, or None to leave
        it to Sphinx.  The one boundary between the served tree and Sphinx's: an error of any
        kind leaves the call, and the rest of the build's calls with these arguments, to
        Sphinx."""
        try:
            if (section, key) not in self.templates:
                served = self.servable(builder.env)
                if section is not None and not builder.env.toctree_includes.get(section):
                    served = False  # a section without toctrees: nothing to serve
                self.templates[section, key] = None
                if served:
                    template, own = _chosen_template(self, builder, key, section, pagename)
                    self.templates[section, key] = template
                    if template is None:  # Sphinx's own for this page, if computed to choose
                        return own
            template = self.templates[section, key]
            return None if template is None else template.render(builder, pagename)
        except Exception as error:
            self.templates[section, key] = None
            left_to_theme(pagename, _described(key, section), error)
            return None


def _described(key: ToctreeKey, section: str | None) -> str:
    """``toctree(collapse=True, ...)`` as a ``-v`` line names it."""
    arguments = ", ".join(f"{name}={value!r}" for name, value in arguments_of(key).items())
    return f"toctree({arguments})" + ("" if section is None else f" of {section}")


def _chosen_template(
    state: _State, builder: Builder, key: ToctreeKey, section: str | None, pagename: str
) -> tuple[ToctreeTemplate | None, str | None]:
    """The template of these arguments where it pays (:mod:`~sphinx_prolo.navigation.costs`)
    and gives Sphinx's own result on a few pages of the build, else None; and Sphinx's own
    result for this page where it was computed to choose (a collapsed tree's)."""
    from sphinx_prolo.navigation.furo import sample_pages

    env = builder.env
    arguments = arguments_of(key)
    collapse, includehidden, maxdepth, titles_only = key
    start, pages = section or env.config.root_doc, state.pages_left(env, section, pagename)
    links = tree_links(env, start, includehidden, titles_only)
    own: dict[str, str] = {}
    if collapse:  # what a page shows depends on the page: Sphinx's own for this one, counted
        own[pagename] = _sphinxs_own(builder, pagename, arguments, section)
        shown = own[pagename].count('href="')
    else:  # every page shows about the whole tree, to the depth asked
        shown = tree_links(env, start, includehidden, titles_only, maxdepth)
    template = None
    if pays(shown, pages, links):
        tree = site_tree(builder, arguments, section, checked=True)
        if tree is not None:
            template = template_for(tree, key[0], env)
        for page in sample_pages(env, tree) if template is not None and tree is not None else ():
            if page not in own:
                own[page] = _sphinxs_own(builder, page, arguments, section)
        for page, expected in own.items():
            rendered = None if template is None else template.render(builder, page)
            if rendered is not None and rendered != expected:
                template = None
    if template is not None:
        verdict = __("served from the site tree")
    elif pays(shown, pages, links):
        verdict = __("left to Sphinx")
    else:
        verdict = __("left to Sphinx, which costs less here")
    if collapse:
        counted = __("links shown on %s: %d") % (pagename, shown)
    else:
        counted = __("links shown on each page: about %d") % shown
    logger.verbose(
        __("%s: %s (%s; pages to write: %d; links in the whole tree: about %d)"),
        _described(key, section),
        verdict,
        counted,
        pages,
        links,
    )
    return template, own.get(pagename)


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
            rendered = state.serve(self.app.builder, key, self.pagename)
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
    state = STATES.get(app)
    if state is None:
        return
    state.pages += 1
    if callable(original) and not is_not_found_page(app, pagename):
        context["toctree"] = ServedToctree(app, pagename, original)


def setup_navigation_toctree(app: Sphinx) -> None:
    """Serve every theme's ``toctree()`` in linear time (``prolo_fast_navigation``)."""
    app.connect("builder-inited", start_build)
    app.connect("write-started", forget_templates)
    app.connect("html-page-context", serve_toctree, priority=PRIORITY)
