"""The ``prolo`` domain: every piece of cross-document data sphinx-prolo keeps between builds.

Data is plain (strings, lists, tuples, dicts) and keyed by docname, so the environment pickles
cleanly and parallel reads merge exactly the documents each process read.  The domain also
resolves the ``therapy`` role and lists the articles in ``objects.inv`` (object type ``article``),
so other sites reach them through intersphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypedDict

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinx_prolo.articles.keys import FrontMatterValues
from sphinx_prolo.builds.compat import app_of

if TYPE_CHECKING:
    from collections.abc import Iterator, Set

    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: A problem found in a notice source file: the message and its "path:line" (or None).
Problem = tuple[str, str | None]
#: A therapy reference in a notice source file: the slug and its line (or None).
NoticeRef = tuple[str, int | None]
#: A catalog (``article-index``) in a document: its category filter ("" for all), line and kind
#: of article ("treatment", or "condition" for the conditions A-Z).
Catalog = tuple[str, int | None, str]


class Article(FrontMatterValues):
    """What the domain knows of one article (plain data, pickled with the environment): the
    values of its front-matter keys (:class:`FrontMatterValues`) and what the build adds."""

    #: the title as written, a therapy reference in it as its slug
    title: str
    #: the title in parts: ("text", text) or ("ref", slug) for a therapy reference in it
    title_parts: list[tuple[str, str]]
    #: False for a page without a heading: its slug stands in for the title
    has_title: bool
    #: the front-matter key the next review date came from ("next-review" or "reviewed")
    next_review_key: str
    #: the grade of its prose (Flesch-Kincaid), or None when not graded
    reading_grade: float | None
    #: the number of words of its own prose
    words: int
    #: for each of ``reviewers``, the ``prolo_reviewers`` key it was written as, or ""
    reviewer_keys: list[str]
    #: "treatment" (``prolo_article_patterns``) or "condition" (``prolo_condition_patterns``)
    kind: str


class Claim(TypedDict):
    """Which document a slug or alias leads to."""

    docname: str
    is_alias: bool


class ProloData(TypedDict):
    """The domain's data: plain values keyed by docname (or notice source path), pickled."""

    #: docname -> the notice kinds ("disclaimer", "please-note") the document shows
    notice_uses: dict[str, list[str]]
    #: notice source path -> problems found the last time the file was read
    notice_problems: dict[str, list[Problem]]
    #: notice source path -> [(slug, line)] for every therapy reference in the file
    notice_refs: dict[str, list[NoticeRef]]
    #: notice source path -> the read pass (below) in which the file was last parsed
    notice_parsed_in: dict[str, str]
    #: a token new to every pass that reads documents, so that merging parallel reads can tell
    #: a notice source parsed in this pass from data a process only inherited from the last one
    read_pass: str
    #: docname -> Article, for documents that are articles
    articles: dict[str, Article]
    #: docname -> [(slug, line)] for every therapy reference in the document
    refs: dict[str, list[tuple[str, int | None]]]
    #: docname -> [(category filter or "", line)] for every article-index in the document
    catalogs: dict[str, list[Catalog]]
    #: docname -> True when the document places the related-articles list itself
    related_placed: dict[str, bool]
    #: docname -> True when the document shows the content report of this site's articles
    reports: dict[str, bool]


#: The data kept per document: cleared when a document is read again, merged per document.
PER_DOCUMENT: tuple[
    Literal["notice_uses", "articles", "refs", "catalogs", "related_placed", "reports"], ...
] = ("notice_uses", "articles", "refs", "catalogs", "related_placed", "reports")


class ProloDomain(Domain):
    """Cross-document data of sphinx-prolo, and resolution of the ``therapy`` role."""

    name = "prolo"
    label = "sphinx-prolo"
    object_types = {  # noqa: RUF012 (Sphinx's API)
        "article": ObjType("article", "therapy", "condition"),
        "condition": ObjType("condition", "condition", "therapy"),
    }
    initial_data: ProloData = {  # type: ignore[assignment,misc]  # noqa: RUF012 (Sphinx's API)
        "notice_uses": {},
        "notice_problems": {},
        "notice_refs": {},
        "notice_parsed_in": {},
        "read_pass": "",
        "articles": {},
        "refs": {},
        "catalogs": {},
        "related_placed": {},
        "reports": {},
    }
    data: ProloData  # type: ignore[assignment]  # Domain's own dict, described

    _claims_cache: dict[str, list[Claim]] | None = None
    _backlinks_cache: dict[str, list[str]] | None = None

    # --- recording ------------------------------------------------------------------------------

    def note_notice(self, docname: str, kind: str) -> None:
        """Record that *docname* shows the notice *kind*."""
        kinds = self.data["notice_uses"].setdefault(docname, [])
        if kind not in kinds:
            kinds.append(kind)

    def kinds_in_use(self) -> set[str]:
        """Every notice kind shown by at least one document."""
        return {kind for kinds in self.data["notice_uses"].values() for kind in kinds}

    def note_article(self, docname: str, article: Article) -> None:
        self.data["articles"][docname] = article
        self._forget_derived()

    def note_refs(self, docname: str, refs: list[tuple[str, int | None]]) -> None:
        """Record the therapy references of *docname* as (slug, line)."""
        self.data["refs"][docname] = refs
        self._forget_derived()

    def _forget_derived(self) -> None:
        self._claims_cache = None
        self._backlinks_cache = None

    # --- lookups --------------------------------------------------------------------------------

    def claims(self) -> dict[str, list[Claim]]:
        """Every slug and alias, with the documents that claim it, the winning claim first.

        A slug beats an alias; between equals, the document whose file is named after the slug
        wins (a copy of an article keeps its original's slug, and the original keeps it), then
        the document name that sorts first, so the result does not depend on reading order
        (serial, parallel or incremental).
        """
        if self._claims_cache is None:
            claims: dict[str, list[Claim]] = {}
            for docname, article in self.data["articles"].items():
                claims.setdefault(article["slug"], []).append(
                    {"docname": docname, "is_alias": False}
                )
                for alias in article["aliases"]:
                    claims.setdefault(alias, []).append({"docname": docname, "is_alias": True})
            for slug, entries in claims.items():
                entries.sort(
                    key=lambda claim, slug=slug: (  # type: ignore[misc]
                        claim["is_alias"],
                        claim["docname"].rsplit("/", 1)[-1] != slug,
                        claim["docname"],
                    )
                )
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
        article = self.data["articles"][docname]
        parts = []
        for kind, value in article["title_parts"]:
            target = self.find(value) if kind == "ref" else None
            # A reference to the article itself in its own title shows its slug, as written.
            if target is None or target == docname:
                parts.append(value)
            else:
                parts.append(self.running_title(target, full=False))
        return "".join(parts) if parts else article["title"]

    def running_title(self, docname: str, *, full: bool = True) -> str:
        """What a therapy reference without text of its own shows in running text: the
        article's ``short-title``, else its title (*full*: with references in it resolved)."""
        article = self.data["articles"][docname]
        if article["short_title"]:
            return article["short_title"]
        return self.title(docname) if full else article["title"]

    def slugs_of_others(self, docname: str) -> list[str]:
        """Every slug and alias that leads to an article other than *docname* (suggestions for
        a mistyped reference never point a page at itself)."""
        return [slug for slug, claims in self.claims().items() if claims[0]["docname"] != docname]

    def backlinks(self) -> dict[str, list[str]]:
        """For every article docname, the articles whose text references it (sorted)."""
        if self._backlinks_cache is None:
            self._backlinks_cache = self.referrers(articles_only=True)
        return self._backlinks_cache

    def referrers(self, *, articles_only: bool) -> dict[str, list[str]]:
        """For every referenced article, the other documents (or only the other articles) whose
        text has a therapy reference to it, sorted."""
        result: dict[str, set[str]] = {}
        for docname, refs in self.data["refs"].items():
            if articles_only and docname not in self.data["articles"]:
                continue
            for slug, _line in refs:
                target = self.find(slug)
                if target is not None and target != docname:
                    result.setdefault(target, set()).add(docname)
        return {target: sorted(sources) for target, sources in result.items()}

    # --- Sphinx's Domain API --------------------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        for key in PER_DOCUMENT:
            self.data[key].pop(docname, None)
        self._forget_derived()

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key in PER_DOCUMENT:
            ours, theirs = self.data[key], otherdata[key]
            for docname in docnames:
                if docname in theirs:
                    ours[docname] = theirs[docname]
        # Problems are per source file, not per document.  Every process starts with the lists
        # of the last pass; only one that parsed the file in this pass has the current list (a
        # process whose documents do not show the notice would bring back an outdated one).
        for relpath, read_pass in otherdata["notice_parsed_in"].items():
            if read_pass == self.data["read_pass"]:
                self.data["notice_problems"][relpath] = otherdata["notice_problems"][relpath]
                self.data["notice_refs"][relpath] = otherdata["notice_refs"][relpath]
                self.data["notice_parsed_in"][relpath] = read_pass
        self._forget_derived()

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        self.data["notice_uses"].setdefault(docname, [])
        self.data["refs"].setdefault(docname, [])

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
        if docname is None or docname not in self.data["articles"]:
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
        role = (
            "prolo:condition"
            if self.data["articles"][docname]["kind"] == "condition"
            else "prolo:therapy"
        )
        return [(role, self._make_link(builder, fromdocname, docname, node, contnode))]

    def _make_link(
        self,
        builder: Builder,
        fromdocname: str,
        docname: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference:
        article = self.data["articles"][docname]
        if docname == fromdocname and _in_title(node):
            # The article's own title names the article: its slug, not the title again.
            contnode = nodes.inline(str(node["reftarget"]), str(node["reftarget"]))
        elif not node.get("refexplicit"):
            # The target's current title, whatever the reference was written with: in running
            # text its short title; lists the extension makes show the full one.
            title = (
                self.title(docname) if node.get("prolo_docname") else self.running_title(docname)
            )
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
        reference = make_refnode(builder, fromdocname, docname, "", contnode, article["summary"])
        reference["classes"].append(
            "prolo-condition" if article["kind"] == "condition" else "prolo-therapy"
        )
        return reference

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for docname, article in sorted(self.data["articles"].items()):
            title = self.title(docname)
            # Slugs and aliases reach the article through intersphinx but stay out of the
            # search results, which list the page itself once (see site_search).
            kind = "condition" if article["kind"] == "condition" else "article"
            if self.find(article["slug"]) == docname:
                yield article["slug"], title, kind, docname, "", -1
            for alias in article["aliases"]:
                if self.find(alias) == docname:
                    yield alias, title, kind, docname, "", -1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        target = node.get("reftarget")
        return str(target) if target else None


def _in_title(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.title):
            return True
        parent = parent.parent
    return False


def prolo_domain(env: BuildEnvironment) -> ProloDomain:
    """The ``prolo`` domain of *env*, typed."""
    domain = env.get_domain("prolo")
    assert isinstance(domain, ProloDomain)
    return domain


def find_elsewhere(env: BuildEnvironment, docname: str, slug: str) -> str | None:
    """The URL another site's inventory gives for *slug*, when intersphinx is loaded."""
    if "sphinx.ext.intersphinx" not in app_of(env).extensions:
        return None
    from sphinx.ext.intersphinx import resolve_reference_detect_inventory

    probe = addnodes.pending_xref(
        "", refdomain="prolo", reftype="therapy", reftarget=slug, refdoc=docname
    )
    found = resolve_reference_detect_inventory(env, probe, nodes.inline("", ""))
    return str(found["refuri"]) if found is not None else None


def setup_domain(app: Sphinx) -> None:
    """Register the ``prolo`` domain."""
    app.add_domain(ProloDomain)
