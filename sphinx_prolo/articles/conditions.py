"""Condition pages: find a treatment by the problem you have.

A condition page (``prolo_condition_patterns``: tennis elbow, low back pain) is an article of a
second kind, reached with the ``condition`` role as treatments are with ``therapy``. A treatment
names the conditions it is used for (``used-for``) and ties its graded evidence to them (an
``evidence`` entry's ``condition``). Each condition page then lists its treatments, strongest
evidence first, each with its evidence labels (``div.prolo-treatments``); each treatment says
what it is used for (``div.prolo-used-for``). Both lists are filled in when the page is written,
from every article's data, like the related list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from sphinx_prolo.articles.catalog import article_link, title_key
from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.articles.evidence import EVIDENCE_LEVELS, level_label
from sphinx_prolo.articles.front_matter import suggestion_text
from sphinx_prolo.articles.front_matter_lines import key_lines
from sphinx_prolo.articles.page_blocks import titled_block
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.articles.domain import ProloDomain

logger = logging.getLogger(__name__)


class condition_treatments(nodes.General, nodes.Element):
    """Where a condition page's list of treatments goes; filled in when the page is written."""


class used_for(nodes.General, nodes.Element):
    """Where a treatment's "Used for" line goes; filled in when the page is written."""


def conditions_of(domain: ProloDomain, docname: str) -> list[str]:
    """The condition pages that treatment *docname* is used for, by title."""
    found = []
    for slug in domain.data["articles"][docname]["used_for"]:
        target = domain.find(slug)
        if target is not None and domain.data["articles"][target]["kind"] == "condition":
            found.append(target)
    return sorted(dict.fromkeys(found), key=lambda d: (title_key(domain.title(d)), d))


def treatments_for(domain: ProloDomain, docname: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every treatment used for condition *docname*, with its evidence entries for it; the
    strongest evidence first, then by title (a treatment without graded evidence last)."""
    condition = domain.data["articles"][docname]
    names = {condition["slug"], *condition["aliases"]}
    found = []
    for other, article in domain.data["articles"].items():
        if article["kind"] != "treatment":
            continue
        if not any(domain.find(slug) == docname for slug in article["used_for"]):
            continue
        entries = [entry for entry in article["evidence"] if entry["condition"] in names]
        found.append((other, entries))

    def strength(item: tuple[str, list[dict[str, Any]]]) -> tuple[int, tuple[str, str], str]:
        levels = [EVIDENCE_LEVELS.index(entry["level"]) for entry in item[1]]
        # Equal titles (two translated alike) keep one order, whatever order pages were read in.
        best = min(levels) if levels else len(EVIDENCE_LEVELS)
        return best, title_key(domain.title(item[0])), item[0]

    return sorted(found, key=strength)


def treatments_list(domain: ProloDomain, docname: str) -> nodes.container:
    block = titled_block("prolo-treatments", _("Treatments"))
    found = treatments_for(domain, docname)
    if not found:
        text = _("No treatment articles for this condition yet.")
        block += nodes.paragraph(text, text)
        return block
    items = nodes.bullet_list()
    for treatment, entries in found:
        paragraph = nodes.paragraph()
        paragraph += article_link(domain, treatment)
        for index, entry in enumerate(entries):
            paragraph += nodes.Text(_(": ") if index == 0 else _("; "))
            label = level_label(entry["level"])
            paragraph += nodes.Text(entry["use"] + _(": "))
            paragraph += nodes.inline(label, label, classes=[f"prolo-evidence-{entry['level']}"])
        items += nodes.list_item("", paragraph)
    block += items
    return block


def used_for_line(domain: ProloDomain, docname: str) -> nodes.container | None:
    found = conditions_of(domain, docname)
    if not found:
        return None
    block = nodes.container(classes=["prolo-used-for"])
    paragraph = nodes.paragraph()
    label = _("Used for")
    paragraph += nodes.strong(label, label)
    paragraph += nodes.Text(_(": "))
    for index, condition in enumerate(found):
        if index:
            paragraph += nodes.Text(", ")
        paragraph += article_link(domain, condition)
    block += paragraph
    return block


class ConditionListsTransform(SphinxPostTransform):
    """Fill condition pages' treatment lists and treatments' "Used for" lines (priority 5)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = prolo_domain(self.env)
        for placeholder in list(self.document.findall(condition_treatments)):
            placeholder.replace_self(treatments_list(domain, placeholder["docname"]))
        for line_placeholder in list(self.document.findall(used_for)):
            line = used_for_line(domain, line_placeholder["docname"])
            line_placeholder.replace_self(line if line is not None else [])


def check_conditions(env: BuildEnvironment, domain: ProloDomain) -> None:
    """Unknown condition slugs, slugs that are no condition page, conditions without treatment."""
    conditions = sorted(
        article["slug"]
        for article in domain.data["articles"].values()
        if article["kind"] == "condition"
    )
    used = set()
    suggestions: dict[str, str] = {}
    for docname, article in sorted(domain.data["articles"].items()):
        lines: dict[str, int] | None = None
        if article["kind"] == "condition":
            if article["used_for"]:
                # A condition page is not used for other conditions: nothing counts it.
                logger.warning(
                    __(
                        "used-for is for treatment articles; on the condition page %r it is "
                        "ignored (the page lists the treatments whose used-for names it)"
                    ),
                    docname,
                    location=(docname, key_lines(env.doc2path(docname)).get("used-for")),
                    type="prolo",
                    subtype="condition",
                )
            continue
        named = [("used-for", slug) for slug in article["used_for"]]
        named += [
            ("evidence", entry["condition"]) for entry in article["evidence"] if entry["condition"]
        ]
        for key, slug in named:
            target = domain.find(slug)
            if target is not None and domain.data["articles"][target]["kind"] == "condition":
                used.add(target)
                continue
            if lines is None:
                lines = key_lines(env.doc2path(docname))
            problem = (
                __("%s: %r is not a condition page%s")
                if target is None
                else __("%s: %r is a treatment article, not a condition page%s")
            )
            if slug not in suggestions:
                suggestions[slug] = suggestion_text(slug, conditions)
            logger.warning(
                problem,
                key,
                slug,
                suggestions[slug],
                location=(docname, lines.get(key)),
                type="prolo",
                subtype="condition",
            )
    for docname, article in sorted(domain.data["articles"].items()):
        if article["kind"] == "condition" and docname not in used:
            logger.warning(
                __("condition page %r has no treatment: no article's used-for names %r"),
                docname,
                article["slug"],
                location=(docname, 1),
                type="prolo",
                subtype="condition",
            )


def setup_conditions(app: Sphinx) -> None:
    """Register the condition lists' nodes and their filling."""
    app.add_node(condition_treatments)
    app.add_node(used_for)
    app.add_post_transform(ConditionListsTransform)
