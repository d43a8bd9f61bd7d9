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

The "page not found" page of sphinx-notfound-page is served at every depth of the site, so its
links must not be relative: its navigation gets absolute addresses under ``notfound_urls_prefix``,
as sphinx-notfound-page gives the rest of that page.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin, urlsplit

from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from sphinx_prolo.builds.compat import is_not_found_page, writes_page_per_document
from sphinx_prolo.navigation.costs import pays, tree_links
from sphinx_prolo.navigation.furo_template import (
    FURO_MARKUP,
    MARKUP_CANDIDATES,
    FuroMarkup,
    NavigationTemplate,
    template_for,
)
from sphinx_prolo.navigation.tree import FURO_TOCTREE_ARGS, SiteTree, left_to_theme, site_tree
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import CodeType

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


#: furo connects its ``html-page-context`` handler with Sphinx's default priority.
FURO_PRIORITY = 500


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
            template = template_for(tree, markup)
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
        env = builder.env
        # furo shows the whole tree on every page: serving pays from about ten pages up.
        pages = len(env.found_docs)
        links = tree_links(env, env.config.root_doc, includehidden=True, titles_only=True)
        template = None
        if not pays(links, pages, links):
            verdict = __("left to furo, which costs less here")
        elif (tree := site_tree(builder)) is None:
            verdict = __("left to furo (the tree differs from page to page)")
        else:
            if self.furo.markup is not None:
                template = template_for(tree, self.furo.markup)
            else:
                template = verified_template(builder, tree, self.furo)
            served = template is not None
            verdict = __("served from the site tree") if served else __("left to furo")
        logger.verbose(
            __("furo %s: navigation %s (pages to write: %d; links in the tree: about %d)"),
            self.furo.version,
            verdict,
            pages,
            links,
        )
        return template


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
        writes_page_per_document(builder)
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
    if state is None or not callable(original):
        return
    # The boundary where the build's template is made: an error of any kind leaves the
    # navigation of every page of the build to furo.
    try:
        serves = state.serves(app.builder)
    except Exception as error:
        state.template, state.built = None, True
        left_to_theme(pagename, "furo's navigation", error)
        serves = False
    if serves:
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
    # The boundary where the page's navigation is filled in: an error of any kind leaves it,
    # and the rest of the build's, to furo.
    try:
        navigation = state.template.render(app.builder, pagename)
    except Exception as error:
        state.template = None
        left_to_theme(pagename, "furo's navigation", error)
        navigation = None
    if navigation is None:  # furo's own rendering, as furo computes it
        navigation = state.furo.navigation_tree(toctree.original(**FURO_TOCTREE_ARGS))
    base = _not_found_page_address(app, pagename)
    if base is not None:
        navigation = _ABSOLUTE_CANDIDATE.sub(lambda match: _absolute(base, match), navigation)
    context["furo_navigation_tree"] = navigation


_ABSOLUTE_CANDIDATE = re.compile(r'href="([^"]*)"')


def _not_found_page_address(app: Sphinx, pagename: str) -> str | None:
    """The absolute path of sphinx-notfound-page's page when *pagename* is it, else None."""
    if not is_not_found_page(app, pagename):
        return None
    prefix = str(app.config.notfound_urls_prefix or "/")
    return prefix.rstrip("/") + "/" + app.builder.get_target_uri(pagename)


def _absolute(base: str, match: re.Match[str]) -> str:
    """A relative ``href`` of the navigation made absolute from *base*; others as they are."""
    href = match.group(1)
    if not href or href.startswith(("#", "/")) or urlsplit(href).scheme:
        return match.group(0)
    return f'href="{urljoin(base, href)}"'


def setup_navigation_furo(app: Sphinx) -> None:
    """Render furo's navigation in linear time (``prolo_fast_navigation``, on by default)."""
    app.connect("builder-inited", start_build)
    app.connect("write-started", forget_template)
    app.connect("html-page-context", before_furo, priority=FURO_PRIORITY - 1)
    app.connect("html-page-context", after_furo, priority=FURO_PRIORITY + 1)
