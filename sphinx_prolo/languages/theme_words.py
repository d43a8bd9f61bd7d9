"""The theme's own words in the page's language: furo's labels, titles and footer, Sphinx's.

furo marks some of its words for translation ("Next", "On this page", "Back to top") but ships no
catalogs, and writes others straight into its markup (the drawers' and the theme toggle's
``aria-label``, the icons' ``<title>``, "Skip to content", the credit in the footer). On a page
in another language than English, the first kind is translated here through the templates'
gettext (Sphinx's own catalog first, then the extension's), and the second by replacing furo's
exact markup in the rendered page with the same markup in the page's language. Markup that a
furo release changes is simply not found and stays as furo wrote it; the French-site test fails
on the first English word left, so a change cannot go unnoticed.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_prolo.translations import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def marked_words() -> dict[str, str]:
    """Words the themes mark for translation, in the build's language (Babel extracts them)."""
    return {
        "Next": _("Next"),
        "Previous": _("Previous"),
        "Home": _("Home"),
        "On this page": _("On this page"),
        "Back to top": _("Back to top"),
        "View this page": _("View this page"),
        "Edit this page": _("Edit this page"),
        "Please activate JavaScript to enable the search functionality.": _(
            "Please activate JavaScript to enable the search functionality."
        ),
    }


def written_words() -> dict[str, str]:
    """Words furo writes into its markup, in the build's language."""
    return {
        "Toggle site navigation sidebar": _("Toggle site navigation sidebar"),
        "Toggle table of contents sidebar": _("Toggle table of contents sidebar"),
        "Toggle Light / Dark / Auto color theme": _("Toggle Light / Dark / Auto color theme"),
        "Skip to content": _("Skip to content"),
        "Contents": _("Contents"),
        "Menu": _("Menu"),
        "Expand": _("Expand"),
        "Light mode": _("Light mode"),
        "Dark mode": _("Dark mode"),
        "Auto light/dark, in light mode": _("Auto light/dark, in light mode"),
        "Auto light/dark, in dark mode": _("Auto light/dark, in dark mode"),
        "Logo": _("Logo"),
    }


#: Where furo writes each of those words, as a pattern with the word's place marked ``{}``.
_PLACES = (
    'aria-label="{}"',
    # furo releases before 2025 name the drawer buttons with hidden text, not aria-label
    '<div class="visually-hidden">{}</div>',
    '<span class="visually-hidden">{}</span>',
    "<title>{}</title>",
    'alt="{}"',
    'href="#furo-main-content">{}</a>',
)
#: furo's credit in the footer; its word order is English, so it is replaced as a whole.
_CREDIT = re.compile(
    r"Made with (<a href=\"https://www\.sphinx-doc\.org/\">Sphinx</a>) and "
    r"(<a class=\"muted-link\" href=\"https://pradyunsg\.me\">@pradyunsg</a>)'s\s*"
    r"(<a href=\"https://github\.com/pradyunsg/furo\">Furo</a>)"
)


class ThemeTranslations:
    """The templates' gettext: Sphinx's own catalog, then the extension's theme words."""

    def __init__(self, sphinx_translator: Any) -> None:
        self._sphinx = sphinx_translator
        self._words = marked_words()

    def gettext(self, message: str) -> str:
        translated = str(self._sphinx.gettext(message))
        if translated != message:
            return translated
        return str(self._words.get(message, message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(self._sphinx.ngettext(singular, plural, n))


def translate_markup(text: str, words: dict[str, str], credit: str) -> str:
    """*text* with furo's written words, at their places, in the page's language."""
    for english, translated in words.items():
        if translated == english:
            continue
        for place in _PLACES:
            text = text.replace(
                place.format(english), place.format(html.escape(translated, quote=True))
            )
    if credit:
        text = _CREDIT.sub(
            lambda found: credit % {"sphinx": found[1], "author": found[2], "furo": found[3]}, text
        )
    return text


def start_build(app: Sphinx) -> None:
    """In an HTML build in another language than English, give the theme its words."""
    builder = app.builder
    templates: Any = getattr(builder, "templates", None)
    environment = getattr(templates, "environment", None)
    language = str(app.config.language or "en")
    if templates is None or environment is None or language.split("_")[0] == "en":
        return
    environment.install_gettext_translations(ThemeTranslations(app.translator))
    theme = getattr(getattr(builder, "theme", None), "name", "")
    if theme != "furo":
        return
    words = written_words()
    # Escaped like every word that reaches HTML; the links are furo's own, found in the page.
    credit_text = _("Made with %(sphinx)s and %(furo)s by %(author)s")
    credit = "" if credit_text.startswith("Made with") else html.escape(credit_text, quote=False)
    render = templates.render

    def render_in_language(template: str, context: dict[str, Any]) -> str:
        return translate_markup(render(template, context), words, credit)

    templates.render = render_in_language
    logger.verbose("furo's written words are given in %s", language)


def setup_theme_words(app: Sphinx) -> None:
    """Give themes their words in the page's language when the builder starts."""
    app.connect("builder-inited", start_build)
