"""An article's front-matter words in the reader's language, through the site's own catalogs.

A translated site (Sphinx's gettext workflow: ``locale_dirs``, one build per ``language``)
translates the article's text, but its ``summary``, ``short-title``, ``category``,
``keywords``, ``author`` and ``reviewed-by`` live in front matter, which Sphinx does not
extract (and must not translate as it stands: a slug is not a word).  Here they are:

- the ``gettext`` builder gets them as messages of the article's own catalog, at the lines of
  their keys, so that ``sphinx-intl update`` puts them in the page's ``.po`` file;
- a build in another language reads them through the same catalog as the page's text, so the
  catalog card, the tooltip of every ``therapy`` link, the related lists, the meta description
  and the search keywords are in the reader's language.  An entry not yet translated keeps the
  original words, as Sphinx does for the page's text.

What the other translation modules ask of a build is answered here once: its base language
(``base_language``), whether it translates pages (``translates_pages``: catalogs, and another
language than the articles' ``prolo_source_language``), and a page's catalog (``page_catalog``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

from sphinx_prolo.articles.domain import prolo_domain
from sphinx_prolo.articles.front_matter_lines import key_lines
from sphinx_prolo.articles.keys import FRONT_MATTER, translate_value, translated_texts
from sphinx_prolo.articles.metadata import is_article

if TYPE_CHECKING:
    from gettext import NullTranslations

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.articles.domain import Article


class KeepFrontMatterAsWritten(SphinxTransform):
    """Sphinx's translation (priority 20) must not touch front matter: a slug that happens to
    equal a translated message ("prolotherapy" as a short title) would become another slug.
    Its words are translated here instead, key by key."""

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        if not is_article(self.config, self.env.docname):
            return
        # The front matter is the first field list of the page (docutils makes it a docinfo
        # later, at priority 340), or already a docinfo.
        for child in self.document.children:
            if isinstance(child, nodes.field_list | nodes.docinfo):
                for element in child.findall(nodes.TextElement):
                    element["translatable"] = False
                break
            if not isinstance(child, nodes.PreBibliographic):
                break


def _messages(article: Article) -> list[tuple[str, str]]:
    """(key, words) for every translated front-matter value of *article*; a reviewer named by
    a ``prolo_reviewers`` key is not one: conf.py gives its name in each language."""
    from_conf = {
        name
        for name, key in zip(article["reviewers"], article["reviewer_keys"], strict=False)
        if key
    }
    messages: list[tuple[str, str]] = []
    for key in FRONT_MATTER:
        if key.translated:
            value = article[key.field]  # type: ignore[literal-required]
            messages += [
                (key.name, text)
                for text in translated_texts(key.kind, value)
                if not (key.field == "reviewers" and text in from_conf)
            ]
    return messages


def base_language(config: Config) -> str:
    """The build's language without its region ("fr" for ``fr_CA``); English when unset."""
    return str(config.language or "en").split("_")[0]


def translates_pages(config: Config) -> bool:
    """Whether this build translates pages: catalogs, and another language than the articles'."""
    source = str(config.prolo_source_language).split("_")[0]
    return bool(config.locale_dirs) and base_language(config) != source


class PageCatalog(NamedTuple):
    """A page's message catalog in the build's language."""

    #: Its messages, loaded as Sphinx loads them to translate the page (the ``.mo`` files).
    translations: NullTranslations
    #: Its ``.po`` files, where translators write: one per locale folder that has one.
    files: list[Path]


def page_catalog(env: BuildEnvironment, docname: str) -> PageCatalog | None:
    """The catalog of the page *docname* in the build's language, or None if it has none."""
    config = env.config
    domain = docname_to_domain(docname, config.gettext_compact)
    dirs = [Path(env.srcdir, directory) for directory in config.locale_dirs]
    translations, has_catalog = init_locale(dirs, config.language, domain)
    if not has_catalog:
        return None
    po_files = [Path(d, str(config.language), "LC_MESSAGES", f"{domain}.po") for d in dirs]
    return PageCatalog(translations, [path for path in po_files if path.is_file()])


def translate_article(env: BuildEnvironment, docname: str, article: Article) -> None:
    """Give *article* its front-matter words from the page's catalog, in the build's language."""
    catalog = page_catalog(env, docname) if translates_pages(env.config) else None
    if catalog is None:
        return
    gettext = catalog.translations.gettext

    def translated(text: str) -> str:
        return gettext(text) or text if text else text

    for key in FRONT_MATTER:
        if key.translated:
            value = article[key.field]  # type: ignore[literal-required]
            article[key.field] = translate_value(key.kind, value, translated)  # type: ignore[literal-required]


def add_front_matter_messages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """For the gettext builder: the article's front-matter words as messages of its page."""
    if app.builder.name != "gettext":
        return
    article = prolo_domain(app.env).data["articles"].get(docname)
    if article is None:
        return
    # The meta tags made from front matter (the keywords, joined; the summary as description)
    # are extracted as those keys, one by one, at their lines.
    for meta in list(doctree.findall(nodes.meta)):
        name, content = meta.get("name"), meta.get("content")
        if name == "keywords" or (name == "description" and content == article["summary"]):
            meta.parent.remove(meta)
    path = app.env.doc2path(docname)
    lines = key_lines(path)
    carrier = nodes.container(classes=["prolo-front-matter-messages"])
    for key, text in _messages(article):
        paragraph = nodes.paragraph(text, text)
        paragraph.source, paragraph.line = str(path), lines.get(key, 1)
        setattr(paragraph, "uid", "")  # noqa: B010  # what the gettext builder files messages by
        carrier += paragraph
    if carrier.children:
        doctree += carrier


def setup_translated_metadata(app: Sphinx) -> None:
    """Extract front-matter words for translators; keep Sphinx's translation off front matter."""
    app.add_transform(KeepFrontMatterAsWritten)
    app.connect("doctree-resolved", add_front_matter_messages)
