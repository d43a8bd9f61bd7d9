"""Articles while they are read: the ``therapy`` role, and what every article is given.

A transform records each article (its checked front matter, see
:mod:`sphinx_prolo.articles.metadata`) in the ``prolo`` domain, inserts the notices it does not
place itself, and marks where its related list and review dates go; on ``doctree-read`` the
document's therapy references, catalogs and title are recorded for the lists, checks and stale-page
digests that other modules own.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.roles import XRefRole
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_prolo.articles.catalog import article_index, related_articles
from sphinx_prolo.articles.conditions import condition_treatments, used_for
from sphinx_prolo.articles.content_report import article_report
from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.articles.evidence import evidence_block, source_id
from sphinx_prolo.articles.front_matter_lines import docinfo_fields, item_lines, key_lines
from sphinx_prolo.articles.metadata import is_article, read_article, title_parts
from sphinx_prolo.articles.page_blocks import titled_block
from sphinx_prolo.articles.readability import check_reading_level
from sphinx_prolo.articles.reviewers import resolve_reviewers, reviewers_page
from sphinx_prolo.articles.reviews import review_block
from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.languages.front_matter_words import translate_article
from sphinx_prolo.languages.sites import untranslated_note
from sphinx_prolo.link_targets import feedback_href
from sphinx_prolo.notices.directives import build_notice
from sphinx_prolo.notices.rendering import notices_in
from sphinx_prolo.notices.seek_help import check_required_sections
from sphinx_prolo.site.search import add_keywords
from sphinx_prolo.site.search_engines import describe_page
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.articles.domain import Article

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _source_lines(path: str, mtime_ns: int) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


#: How many times each role text was already placed in a paragraph of the document being read:
#: (document, line, text) -> count. Cleared when the next document is read.
_PLACED: dict[tuple[int, int, str], int] = {}


def role_line(path: str, lineno: int, rawtext: str, document: object = None) -> int:
    """The line of the source file where the role *rawtext* is, from its paragraph's *lineno*.

    MyST gives an inline role the line its paragraph starts on; the role may be lines further
    down. The paragraph is searched from there (the second use of the same text in a paragraph is
    found after the first); when the text is not found on one line, *lineno* stays.
    """
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        return lineno
    lines = _source_lines(path, mtime)
    # MyST hands roles an rST-style text (":therapy:`slug`"): the part in backticks is what both
    # syntaxes write in the file.
    needle = rawtext[rawtext.find("`") :] if "`" in rawtext else rawtext
    if _PLACED and next(iter(_PLACED))[0] != id(document):
        _PLACED.clear()
    key = (id(document), lineno, needle)
    seen = _PLACED.get(key, 0)
    found = 0
    for number in range(max(lineno - 1, 0), min(len(lines), lineno + 200)):
        found += lines[number].count(needle)
        if found > seen:
            _PLACED[key] = seen + 1
            return number + 1
    return lineno


class TherapyRole(XRefRole):
    """``therapy``: a reference to an article by slug, titled from the target article.

    Registered both as ``prolo:therapy`` and, for writers, as plain ``therapy``; either way the
    reference belongs to the ``prolo`` domain.
    """

    #: the reference type: "therapy", or "condition" for :class:`ConditionRole`
    role_type = "therapy"

    def __init__(self) -> None:
        super().__init__(innernodeclass=nodes.inline, warn_dangling=True)

    def run(self) -> tuple[list[Node], list[system_message]]:
        self.refdomain, self.reftype = "prolo", self.role_type
        self.classes = ["xref", "prolo", f"prolo-{self.role_type}"]
        source = str(self.env.doc2path(self.env.docname))
        self.lineno = role_line(source, self.lineno, self.rawtext, self.inliner.document)
        if self.disabled:  # ``!slug``: the text, without a link (as for every Sphinx role)
            return self.create_non_xref_node()
        if self.has_explicit_title and not self.title.strip():
            warn_and_keep(
                self.env,
                self.env.docname,
                self.lineno,
                "ref",
                __("empty link text for condition page %r; its title is shown instead")
                if self.role_type == "condition"
                else __("empty link text for therapy article %r; its title is shown instead"),
                self.target,
            )
            self.has_explicit_title = False
            self.title = self.target
        return self.create_xref_node()


def sources_block(article: Article, source: str = "") -> nodes.container | None:
    """ "Sources": the references the article rests on, each linked when it has an address;
    each link placed at its item's line in the front matter of *source* (for link checks)."""
    if not article["sources"]:
        return None
    lines = item_lines(source, "sources") if source else []
    block = titled_block("prolo-sources", _("Sources"))
    items = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
    for number, reference in enumerate(article["sources"], start=1):
        paragraph = nodes.paragraph()
        paragraph += nodes.Text(reference["text"])
        for link in (reference["url"], reference.get("doi", "")):
            if link:
                paragraph += nodes.Text(" ")
                node = nodes.reference(link, link, refuri=link)
                if number <= len(lines):
                    node.source, node.line = source, lines[number - 1]
                paragraph += node
        items += nodes.list_item("", paragraph, ids=[source_id(number)])
    block += items
    return block


def feedback_line(config: Config, doctree: nodes.document) -> nodes.paragraph | None:
    """'Was this page helpful? Tell us', linked to ``prolo_feedback_url`` for this article."""
    url = config.prolo_feedback_url
    if not url:
        return None
    title = doctree.next_node(nodes.title)
    href = feedback_href(url.strip(), " ".join(title.astext().split()) if title else "")
    question, answer = _("Was this page helpful?"), _("Tell us")
    line = nodes.paragraph("", classes=["prolo-feedback"])
    line += nodes.Text(question + " ")
    line += nodes.reference(answer, answer, refuri=href)
    return line


def _final_please_note(section: nodes.Element) -> nodes.Element | None:
    """The please-note that ends *section* (possibly inside its last subsection), if any."""
    node: nodes.Node = section
    while isinstance(node, nodes.Element) and len(node):
        last = node[-1]
        if isinstance(last, nodes.admonition) and last.get("prolo_notice") == "please-note":
            return last
        if not isinstance(last, nodes.section):
            return None
        node = last
    return None


def _heading(doctree: nodes.document) -> nodes.title | None:
    """The page's title: the heading of its first section, if it has one."""
    section = doctree.next_node(nodes.section)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return None
    return section[0]


def _top_index(container: nodes.Element) -> int:
    """Where the top of a page's text starts: after its title, or, on a page without one, after
    the comments, targets and the docinfo (``:orphan:``, front matter) that Sphinx reads only
    while they come first."""
    index = 0
    for child in container.children:
        if isinstance(child, nodes.title):
            return index + 1
        if not isinstance(child, nodes.PreBibliographic | nodes.docinfo):
            break
        index += 1
    return index


#: Front-matter keys that mean something only on an article: on another page they are warned.
ARTICLE_ONLY_KEYS = ("evidence", "used-for")


def _warn_article_keys(env: BuildEnvironment, docname: str, doctree: nodes.document) -> None:
    """A page that is not an article but gives evidence or used-for: nothing would show them."""
    written = [key for key in ARTICLE_ONLY_KEYS if key in docinfo_fields(doctree)]
    lines = key_lines(env.doc2path(docname)) if written else {}
    for key in written:
        warn_and_keep(
            env,
            docname,
            lines.get(key),
            "metadata",
            __(
                "%s is ignored: %r is not an article (it matches neither prolo_article_patterns "
                "nor prolo_condition_patterns)"
            ),
            key,
            docname,
        )


class ArticleTransform(SphinxTransform):
    """Record an article and give it its notices, related list and review dates.

    Runs after docinfo is collected and before smart quotes (750), so inserted text is treated
    exactly like text the writer typed.
    """

    default_priority = 740

    def apply(self, **kwargs: Any) -> None:
        env = self.env
        docname = env.docname
        if not is_article(self.config, docname):
            _warn_article_keys(env, docname, self.document)
            return
        doctree = self.document
        article = read_article(env, docname, doctree)
        translate_article(env, docname, article)
        resolve_reviewers(self.config, article)
        domain = prolo_domain(env)
        # The writer's own text, before anything is added to it.
        check_reading_level(env, docname, doctree, article)
        check_required_sections(env, docname, doctree)
        if _heading(doctree) is None:
            warn_and_keep(
                env,
                docname,
                1,
                "metadata",
                __(
                    "article %r has no title; lists and links show its slug %r until it starts "
                    "with a heading"
                ),
                docname,
                article["slug"],
            )
        domain.note_article(docname, article)
        top = doctree.next_node(nodes.section)
        container: nodes.Element = top if top is not None else doctree
        shown = {node["prolo_notice"] for node in notices_in(doctree)}
        source = str(env.doc2path(docname))
        if "disclaimer" not in shown:
            if self.config.prolo_auto_notices:
                notice = build_notice(env, "disclaimer", doctree, source=source, line=1)
                container.insert(_top_index(container), notice)
            else:
                warn_and_keep(
                    env,
                    docname,
                    None,
                    "notice",
                    __("article %r has no disclaimer; add a disclaimer directive at its top"),
                    docname,
                )
        note = untranslated_note(env, docname)
        if note is not None:
            container.insert(_top_index(container), note)
        if article["summary"] and self.config.prolo_summary_under_title:
            # What the catalog card promised, first, so that the reader knows at once that this
            # is the page they wanted; the disclaimer follows.
            summary = nodes.paragraph(article["summary"], article["summary"])
            summary["classes"] = ["prolo-summary"]
            container.insert(_top_index(container), summary)
        if article["kind"] == "treatment" and article["used_for"]:
            # What the treatment is used for, under the summary; filled in when written.
            index = _top_index(container)
            if article["summary"] and self.config.prolo_summary_under_title:
                index += 1
            container.insert(index, used_for(docname=docname))
        describe_page(doctree, article)
        add_keywords(doctree, article)
        end: list[nodes.Node] = []
        if article["kind"] == "condition":
            end.append(condition_treatments(docname=docname))
        if self.config.prolo_related_section and not any(doctree.findall(related_articles)):
            end.append(related_articles(docname=docname, auto=True))
        evidence = evidence_block(article)
        if evidence is not None:
            end.append(evidence)
        sources = sources_block(article, source)
        if sources is not None:
            end.append(sources)
        review = review_block(article, self.config, reviewers_page(self.config, env.found_docs))
        if review is not None:
            end.append(review)
        # "Please note" comes before the feedback line, where readers still see it.
        feedback = feedback_line(self.config, doctree)
        final_note = _final_please_note(container)
        if final_note is not None:
            parent = final_note.parent
            parent[parent.index(final_note) : parent.index(final_note)] = end
            if feedback is not None:
                parent.insert(parent.index(final_note) + 1, feedback)
        else:
            container.extend(end)
            if "please-note" not in shown and self.config.prolo_auto_notices:
                container += build_notice(env, "please-note", doctree, source=source, line=None)
            if feedback is not None:
                container += feedback


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Record what the document references and lists, for backlinks and stale-page checks."""
    env = app.env
    docname = env.docname
    domain = prolo_domain(env)
    domain.note_refs(
        docname,
        [
            (str(node["reftarget"]).strip(), node.line)
            for node in doctree.findall(addnodes.pending_xref)
            if node.get("refdomain") == "prolo"
            # Lists the extension made, and notice sources (checked once, at their own lines).
            and not node.get("prolo_docname")
            and not node.get("prolo_report")
            and not node.get("prolo_notice_source")
        ],
    )
    catalogs = [
        (str(node.get("category", "")), node.line, str(node.get("kind", "treatment")))
        for node in doctree.findall(article_index)
    ]
    if catalogs:
        domain.data["catalogs"][docname] = catalogs
    if any(doctree.findall(article_report)):
        domain.data["reports"][docname] = True
    if any(not node.get("auto") for node in doctree.findall(related_articles)):
        domain.data["related_placed"][docname] = True
    if docname in domain.data["articles"]:
        title = env.titles.get(docname)
        article = domain.data["articles"][docname]
        # Sphinx keeps the title as text; the heading in the doctree still has its references.
        heading = _heading(doctree)
        if heading is None or title is None:  # reported when read; lists and links show its slug
            article["title"], article["title_parts"] = article["slug"], []
            article["has_title"] = False
        else:
            article["title"], article["title_parts"] = title.astext(), title_parts(heading)
            article["has_title"] = True


class ConditionRole(TherapyRole):
    """``{condition}`slug```: a reference to a condition page, checked like ``therapy``."""

    role_type = "condition"


def setup_articles(app: Sphinx) -> None:
    """Register the therapy and condition roles, the article transform and the recording of
    references."""
    app.add_role("therapy", TherapyRole())
    app.add_role_to_domain("prolo", "therapy", TherapyRole())
    app.add_role("condition", ConditionRole())
    app.add_role_to_domain("prolo", "condition", ConditionRole())
    app.add_transform(ArticleTransform)
    app.connect("doctree-read", on_doctree_read, priority=600)
