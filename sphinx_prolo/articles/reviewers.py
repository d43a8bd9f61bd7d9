"""Reviewers as data: who reviews articles, kept once in ``prolo_reviewers``.

A site lists its reviewers in ``conf.py`` by key, each with a name or role, a qualification and
the body that registers them, in one language or per language. An article's ``reviewed-by`` may
name a key: its review line then shows the reviewer's name in the page's language, linked to the
reviewers page (``prolo_reviewers_page``, listed by the ``reviewer-list`` directive from the same
data). ``prolo_reviewer_roles`` says which roles a category needs (injection articles: a
physician or a pharmacist; categories matched without regard to case, as the catalog matches
them); an article whose reviewers have none of them is a ``prolo.metadata`` warning at its
``reviewed-by`` line. A ``reviewer-list`` with no reviewers to list, or a second one on its page,
is a warning in place of the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_prolo.articles.front_matter import suggestion_text
from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from sphinx_prolo.articles.domain import Article
    from sphinx_prolo.articles.front_matter import MetadataReader

#: What a reviewer's entry may say; ``name`` is required.
REVIEWER_FIELDS = ("name", "role", "qualification", "registration")


def localized(value: Any, config: Config) -> str:
    """*value* in the build's language: a text, or a mapping of language code to text."""
    if isinstance(value, dict):
        language = str(config.language or "en")
        for key in (language, language.split("_")[0], "en"):
            if isinstance(value.get(key), str):
                return str(value[key])
        return next((str(text) for text in value.values() if isinstance(text, str)), "")
    return str(value) if isinstance(value, str) else ""


def reviewer(config: Config, key: str) -> dict[str, Any] | None:
    """The ``prolo_reviewers`` entry called *key*, if there is one."""
    entry = (config.prolo_reviewers or {}).get(key)
    return entry if isinstance(entry, dict) else None


def resolve_reviewers(config: Config, article: Article) -> None:
    """Give *article* its reviewers' names in the build's language, keeping which were keys."""
    keys, names = [], []
    for written in article["reviewers"]:
        entry = reviewer(config, written)
        keys.append(written if entry is not None else "")
        names.append(localized(entry["name"], config) if entry is not None else written)
    article["reviewer_keys"], article["reviewers"] = keys, names


def check_reviewers(reader: MetadataReader, written: list[str], category: str) -> None:
    """Keys that name no reviewer, and categories whose role rule no reviewer meets."""
    config = reader.env.config
    known = config.prolo_reviewers or {}
    for name in written if known else []:
        # Only what looks like a key is checked: "Sam Lee, PT" is a name as written.
        if name not in known and name == name.lower() and " " not in name and "-" in name:
            reader.warn(
                "reviewed-by",
                __("reviewed-by: %r is not a key of prolo_reviewers%s"),
                name,
                suggestion_text(name, known),
            )
    # Categories are matched as the catalog matches them, without regard to case; a rule
    # applies even where the site has no reviewers' data (names as written have no role).
    rules = config.prolo_reviewer_roles or {}
    folded = category.casefold()
    roles = next((rule for name, rule in rules.items() if name.casefold() == folded), None)
    if not roles or not category:
        return
    have = {str((reviewer(config, name) or {}).get("role", "")) for name in written}
    if not have & set(roles):
        reader.warn(
            "reviewed-by" if "reviewed-by" in reader.raw else "category",
            __("articles in the category %r need a reviewer who is a %s (prolo_reviewer_roles)"),
            category,
            __(" or a ").join(roles),
        )


def reviewers_page(config: Config, found: set[str] | Any) -> str:
    """The reviewers page's document name, when the site has one and reviewers to show."""
    page = str(config.prolo_reviewers_page or "")
    return page if page and config.prolo_reviewers and page in found else ""


class ReviewerListDirective(SphinxDirective):
    """``reviewer-list``: every reviewer of ``prolo_reviewers``, in the page's language."""

    def warn(self, message: str, *args: Any) -> None:
        warn_and_keep(self.env, self.env.docname, self.lineno, "metadata", message, *args)

    def run(self) -> list[nodes.Node]:
        reviewers = self.config.prolo_reviewers or {}
        if not reviewers:
            # An empty list is no list (and LaTeX refuses one): the page keeps its own text.
            self.warn(
                __(
                    "reviewer-list: prolo_reviewers names no reviewer; set it in conf.py to list "
                    "the site's reviewers here"
                )
            )
            return []
        first = self.env.temp_data.setdefault("prolo_reviewer_list", self.lineno)
        if first != self.lineno:
            # The anchors review lines link to are the first list's; a second one would repeat
            # them (two elements with one id).
            self.warn(
                __(
                    "reviewer-list: the reviewers are listed on this page already (line %d); "
                    "this second list is left out"
                ),
                first,
            )
            return []
        items = nodes.bullet_list(classes=["prolo-reviewers"])
        for key, entry in reviewers.items():
            name = localized(entry.get("name"), self.config)
            item = nodes.list_item("", ids=[f"reviewer-{key}"])
            paragraph = nodes.paragraph()
            paragraph += nodes.strong(name, name)
            details = [
                text
                for text in (
                    localized(entry.get("qualification"), self.config),
                    localized(entry.get("registration"), self.config),
                )
                if text
            ]
            if details:
                paragraph += nodes.Text(" (" + "; ".join(details) + ")")
            item += paragraph
            items += item
        return [items]


def setup_reviewers(app: Sphinx) -> None:
    """Register the ``reviewer-list`` directive."""
    app.add_directive("reviewer-list", ReviewerListDirective)
