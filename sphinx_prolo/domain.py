"""The ``prolo`` domain: every piece of cross-document data sphinx-prolo keeps between builds.

Data is plain (strings, lists, tuples, dicts) and keyed by docname, so the environment pickles
cleanly and parallel reads merge exactly the documents each process read.  The domain also
resolves the ``therapy`` role and lists the articles in ``objects.inv`` (object type ``article``),
so other sites reach them through intersphinx.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, TypedDict

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Iterator, Set

    from docutils.nodes import Node, system_message
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: A problem found in a notice source file: the message and its "path:line" (or None).
Problem = tuple[str, str | None]
#: A therapy reference in a notice source file: the slug and its line (or None).
NoticeRef = tuple[str, int | None]
#: A catalog (``article-index``) in a document: its category filter ("" for all) and line.
Catalog = tuple[str, int | None]


class Article(TypedDict):
    """What the domain knows of one article (plain data, pickled with the environment)."""

    slug: str
    aliases: list[str]
    #: the title as written, a therapy reference in it as its slug
    title: str
    #: the title in parts: ("text", text) or ("ref", slug) for a therapy reference in it
    title_parts: list[tuple[str, str]]
    summary: str
    category: str
    #: the slugs of the ``related`` list
    related: list[str]
    reviewed: str  # ISO date, or ""
    next_review: str  # ISO date, or ""
    #: the front-matter key the next review date came from ("next-review" or "reviewed")
    next_review_key: str


class Claim(TypedDict):
    """Which document a slug or alias leads to."""

    docname: str
    is_alias: bool


class TherapyRole(XRefRole):
    """``therapy``: a reference to an article by slug, titled from the target article.

    Registered both as ``prolo:therapy`` and, for writers, as plain ``therapy``; either way the
    reference belongs to the ``prolo`` domain.
    """

    def __init__(self) -> None:
        super().__init__(innernodeclass=nodes.inline, warn_dangling=True)

    def run(self) -> tuple[list[Node], list[system_message]]:
        self.refdomain, self.reftype = "prolo", "therapy"
        self.classes = ["xref", "prolo", "prolo-therapy"]
        if self.disabled:  # ``!slug``: the text, without a link (as for every Sphinx role)
            return self.create_non_xref_node()
        if self.has_explicit_title and not self.title.strip():
            prolo_domain(self.env).warn(
                self.env.docname,
                self.lineno,
                "ref",
                __("empty link text for therapy article %r; its title is shown instead"),
                self.target,
            )
            self.has_explicit_title = False
            self.title = self.target
        return self.create_xref_node()


#: The data kept per document: cleared when a document is read again, merged per document.
PER_DOCUMENT = ("notice_uses", "articles", "refs", "catalogs", "related_placed", "doc_warnings")

#: A warning kept for a document: message, line (or None) and subtype.
KeptWarning = tuple[str, int | None, str]


class ProloDomain(Domain):
    """Cross-document data of sphinx-prolo, and resolution of the ``therapy`` role."""

    name = "prolo"
    label = "sphinx-prolo"
    object_types = {"article": ObjType("article", "therapy")}  # noqa: RUF012 (Sphinx's API)
    roles = {"therapy": TherapyRole()}  # noqa: RUF012 (Sphinx's API)
    initial_data = {  # noqa: RUF012 (a class attribute in Sphinx's Domain)
        # docname -> the notice kinds ("disclaimer", "please-note") the document shows
        "notice_uses": {},
        # notice source path -> problems found the last time the file was read
        "notice_problems": {},
        # notice source path -> [(slug, line)] for every therapy reference in the file
        "notice_refs": {},
        # docname -> Article, for documents that are articles
        "articles": {},
        # docname -> [(slug, line)] for every therapy reference in the document
        "refs": {},
        # docname -> [(category filter or "", line)] for every article-index in the document
        "catalogs": {},
        # docname -> True when the document places the related-articles list itself
        "related_placed": {},
        # docname -> digest of the other documents' data its written page shows
        "views": {},
        # digest of the site navigation (titles and toctrees) the pages were written with
        "navigation": "",
        # docname -> [(message, line, subtype)] warnings found while reading it, repeated by
        # builds that do not read it again, so that no warning disappears until it is fixed
        "doc_warnings": {},
    }

    _claims_cache: dict[str, list[Claim]] | None = None
    _backlinks_cache: dict[str, list[str]] | None = None

    # --- typed access ---------------------------------------------------------------------------

    @property
    def notice_uses(self) -> dict[str, list[str]]:
        uses: dict[str, list[str]] = self.data["notice_uses"]
        return uses

    @property
    def notice_problems(self) -> dict[str, list[Problem]]:
        problems: dict[str, list[Problem]] = self.data["notice_problems"]
        return problems

    @property
    def notice_refs(self) -> dict[str, list[NoticeRef]]:
        refs: dict[str, list[NoticeRef]] = self.data["notice_refs"]
        return refs

    @property
    def articles(self) -> dict[str, Article]:
        articles: dict[str, Article] = self.data["articles"]
        return articles

    @property
    def refs(self) -> dict[str, list[tuple[str, int | None]]]:
        refs: dict[str, list[tuple[str, int | None]]] = self.data["refs"]
        return refs

    @property
    def catalogs(self) -> dict[str, list[Catalog]]:
        catalogs: dict[str, list[Catalog]] = self.data["catalogs"]
        return catalogs

    @property
    def related_placed(self) -> dict[str, bool]:
        placed: dict[str, bool] = self.data["related_placed"]
        return placed

    @property
    def doc_warnings(self) -> dict[str, list[KeptWarning]]:
        kept: dict[str, list[KeptWarning]] = self.data["doc_warnings"]
        return kept

    def warn(self, docname: str, line: int | None, subtype: str, message: str, *args: Any) -> None:
        """Warn about *docname* now, and keep the warning for builds that do not re-read it."""
        text = message % args if args else message
        logger.warning(text, location=(docname, line), type="prolo", subtype=subtype)
        self.doc_warnings.setdefault(docname, []).append((text, line, subtype))

    @property
    def views(self) -> dict[str, str]:
        views: dict[str, str] = self.data["views"]
        return views

    # --- recording ------------------------------------------------------------------------------

    def note_notice(self, docname: str, kind: str) -> None:
        """Record that *docname* shows the notice *kind*."""
        kinds = self.notice_uses.setdefault(docname, [])
        if kind not in kinds:
            kinds.append(kind)

    def kinds_in_use(self) -> set[str]:
        """Every notice kind shown by at least one document."""
        return {kind for kinds in self.notice_uses.values() for kind in kinds}

    def note_article(self, docname: str, article: Article) -> None:
        self.articles[docname] = article
        self._forget_derived()

    def note_refs(self, docname: str, refs: list[tuple[str, int | None]]) -> None:
        """Record the therapy references of *docname* as (slug, line)."""
        self.refs[docname] = refs
        self._forget_derived()

    def _forget_derived(self) -> None:
        self._claims_cache = None
        self._backlinks_cache = None

    # --- lookups --------------------------------------------------------------------------------

    def claims(self) -> dict[str, list[Claim]]:
        """Every slug and alias, with the documents that claim it, the winning claim first.

        A slug beats an alias; between equals, the document name that sorts first wins, so the
        result does not depend on reading order (serial, parallel or incremental).
        """
        if self._claims_cache is None:
            claims: dict[str, list[Claim]] = {}
            for docname, article in self.articles.items():
                claims.setdefault(article["slug"], []).append(
                    {"docname": docname, "is_alias": False}
                )
                for alias in article["aliases"]:
                    claims.setdefault(alias, []).append({"docname": docname, "is_alias": True})
            for entries in claims.values():
                entries.sort(key=lambda claim: (claim["is_alias"], claim["docname"]))
            self._claims_cache = claims
        return self._claims_cache

    def find(self, slug: str) -> str | None:
        """The docname of the article that *slug* (or an alias) leads to, if any."""
        entries = self.claims().get(slug)
        return entries[0]["docname"] if entries else None

    def title(self, docname: str) -> str:
        """The title of article *docname*, a therapy reference in it shown as its target's title.

        One level deep: the target's own title is taken as written, so titles that reference
        each other cannot loop.
        """
        article = self.articles[docname]
        parts = []
        for kind, value in article["title_parts"]:
            target = self.find(value) if kind == "ref" else None
            parts.append(self.articles[target]["title"] if target is not None else value)
        return "".join(parts) if parts else article["title"]

    def backlinks(self) -> dict[str, list[str]]:
        """For every article docname, the articles whose text references it (sorted)."""
        if self._backlinks_cache is not None:
            return self._backlinks_cache
        result: dict[str, set[str]] = {}
        for docname, refs in self.refs.items():
            if docname not in self.articles:
                continue
            for slug, _line in refs:
                target = self.find(slug)
                if target is not None and target != docname:
                    result.setdefault(target, set()).add(docname)
        self._backlinks_cache = {target: sorted(sources) for target, sources in result.items()}
        return self._backlinks_cache

    # --- Sphinx's Domain API --------------------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        for key in PER_DOCUMENT:
            self.data[key].pop(docname, None)
        self.views.pop(docname, None)
        self._forget_derived()

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in PER_DOCUMENT:
            ours, theirs = self.data[key], otherdata[key]
            for docname in docnames:
                if docname in theirs:
                    ours[docname] = theirs[docname]
        # Problems are per source file, not per document: whichever process read the file last
        # has the current list (every process reads the same file version).
        self.notice_problems.update(otherdata["notice_problems"])
        self.notice_refs.update(otherdata["notice_refs"])
        self._forget_derived()

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        self.notice_uses.setdefault(docname, [])
        self.refs.setdefault(docname, [])

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        docname = node.get("prolo_docname") or self.find(target.strip())
        if docname is None or docname not in self.articles:
            return None
        return self._make_link(builder, fromdocname, docname, node, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        docname = self.find(target.strip())
        if docname is None:
            return []
        return [("prolo:therapy", self._make_link(builder, fromdocname, docname, node, contnode))]

    def _make_link(
        self,
        builder: Builder,
        fromdocname: str,
        docname: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference:
        article = self.articles[docname]
        if not node.get("refexplicit"):
            # The target's current title, whatever the reference was written with.
            title = self.title(docname)
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
        reference = make_refnode(builder, fromdocname, docname, "", contnode, article["summary"])
        reference["classes"].append("prolo-therapy")
        return reference

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for docname, article in sorted(self.articles.items()):
            title = self.title(docname)
            if self.find(article["slug"]) == docname:
                yield article["slug"], title, "article", docname, "", 1
            for alias in article["aliases"]:
                if self.find(alias) == docname:
                    # Aliases reach the article through intersphinx but stay out of search.
                    yield alias, title, "article", docname, "", -1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        target = node.get("reftarget")
        return str(target) if target else None


def prolo_domain(env: BuildEnvironment) -> ProloDomain:
    """The ``prolo`` domain of *env*, typed."""
    domain = env.get_domain("prolo")
    assert isinstance(domain, ProloDomain)
    return domain


# Which documents the current build reads, per environment (not kept between builds).
_READING: weakref.WeakKeyDictionary[BuildEnvironment, set[str]] = weakref.WeakKeyDictionary()


def note_documents_to_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _READING[env] = set(docnames)


def repeat_kept_warnings(app: Sphinx, env: BuildEnvironment) -> None:
    """Warnings of documents this build did not read again: reported again until fixed."""
    reading = _READING.get(env, set())
    domain = prolo_domain(env)
    for docname, kept in sorted(domain.doc_warnings.items()):
        if docname in reading or docname not in env.all_docs:
            continue
        for text, line, subtype in kept:
            logger.warning(text, location=(docname, line), type="prolo", subtype=subtype)


def setup_domain(app: Sphinx) -> None:
    """Register the ``prolo`` domain and the repeating of kept warnings."""
    app.add_domain(ProloDomain)
    app.connect("env-before-read-docs", note_documents_to_read)
    app.connect("env-updated", repeat_kept_warnings, priority=400)
