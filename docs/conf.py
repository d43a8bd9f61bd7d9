"""Sphinx configuration of the Learning Centre: the patients' site (``make html``).

Nothing for writers or maintainers is part of it: their handbook is a site of its own, with its
own configuration in ``handbook/conf.py`` (``make handbook``), excluded here.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clinic_theme import THEME_OPTIONS, landmark_names

project = "Learning Centre"
author = "The clinic's physiotherapists"
# English here; the French Learning Centre is the same sources built with language = "fr"
# (`make html-fr`, or Read the Docs, which sets READTHEDOCS_LANGUAGE for a translation project).
language = os.environ.get("READTHEDOCS_LANGUAGE", "en").split("-")[0] or "en"
# The footer's notice, in the page's language.
copyright = {"fr": "2026, la clinique"}.get(language, "2026, the clinic")

# Translations: docs/locale/<language>/LC_MESSAGES/<page>.po, one catalog per page
# (`make update-po`), so that each page's share translated can be shown.
locale_dirs = ["locale"]
gettext_compact = False
gettext_uuid = False
gettext_location = True

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_prolo",
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "notfound.extension",
]

# sphinxext-opengraph prints "matplotlib is not installed, social cards will not be generated"
# whenever it is imported without matplotlib. Social cards are off here (below), so that line is
# noise no writer can act on: the module is imported once, quietly, and Sphinx reuses it.
with contextlib.redirect_stdout(io.StringIO()):
    import sphinxext.opengraph  # noqa: F401

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# handbook/ is the writers' and maintainers' site, built on its own (see its conf.py).
exclude_patterns = ["_build", "handbook", "Thumbs.db", ".DS_Store"]

# sphinx-prolo
prolo_terms_url = "terms"
prolo_article_patterns = ["learning-centre/*"]
# Condition pages: a patient enters by the problem they have (tennis elbow, low back pain).
prolo_condition_patterns = ["conditions/*"]
# The navigation lists conditions and treatments by title, in each language.
prolo_toctree_order = "title"
prolo_required_sections = True  # every treatment page has a seek-help box
# What the seek-help titles tell readers to call: a Canadian clinic's numbers (911 for
# emergencies; 811 for same-day nurse advice, Info-Santé 811 in Quebec). Set your own.
prolo_help_lines = {
    "en": {"emergency": "911", "urgent": "811"},
    "fr": {"emergency": "911", "urgent": "Info-Santé 811"},
}
# Every article names the clinician who reviewed it, by a key of prolo_reviewers: the review
# line shows the reviewer in the page's language and links to the reviewers page. The clinic
# publishes roles, not names. Injection articles are reviewed by a physician too.
prolo_require_reviewer = True
prolo_reviewers = {
    "clinical-lead-physio": {
        "name": {"en": "Clinical lead physiotherapist", "fr": "Physiothérapeute responsable"},
        "role": "physiotherapist",
        "qualification": {"en": "Registered physiotherapist", "fr": "Physiothérapeute autorisé·e"},
        "registration": {
            "en": "Registered with the physiotherapy regulatory college of the province",
            "fr": "Membre de l’ordre professionnel des physiothérapeutes de la province",
        },
    },
    "sport-medicine-physician": {
        "name": {
            "en": "Sport and exercise medicine physician",
            "fr": "Médecin en médecine du sport et de l’exercice",
        },
        "role": "physician",
        "qualification": {"en": "Licensed physician", "fr": "Médecin autorisé·e"},
        "registration": {
            "en": "Registered with the college of physicians and surgeons of the province",
            "fr": "Membre du collège des médecins de la province",
        },
    },
}
prolo_reviewer_roles = {"Injection therapies": ["physician", "pharmacist"]}
# The editors' content report (grades, review status, sources) is not for patients: it is
# written next to the site, in docs/_build/, where the handbook reads it.
prolo_content_report_file = "../content-report.json" if language == "en" else ""
# "Was this page helpful? Tell us" at the end of every article; the subject names the article.
prolo_feedback_url = "mailto:learning-centre@clinic.example"

# Read the Docs sets the canonical address of each build; elsewhere a placeholder address keeps
# the sitemap and the link previews well-formed.
_ADDRESSES = {
    "en": "https://learning-centre.example/",
    "fr": "https://learning-centre.example/fr/",
}
html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", _ADDRESSES.get(language, _ADDRESSES["en"])
)
# The two language sites link to each other's pages. On Read the Docs the French project is a
# translation of the English one: its address differs only in the language part.
if "READTHEDOCS_CANONICAL_URL" in os.environ:
    prolo_language_sites = {
        code: html_baseurl.replace(f"/{language}/", f"/{code}/", 1) for code in _ADDRESSES
    }
else:
    prolo_language_sites = dict(_ADDRESSES)
sitemap_url_scheme = "{link}"
# sphinx-sitemap's own alternates assume /<language>/ in every address; sphinx-prolo adds the
# right ones from prolo_language_sites.
sitemap_locales = [None]
# Search engines get the pages a patient reads, not the search form or the index.
sitemap_excludes = ["search.html", "genindex.html", "404.html"]

# The page a reader gets at an address that does not exist (the host serves 404.html for it, at
# any depth): the site's look, a search box and the way home. Its links and assets are absolute,
# from the path of the site's address ("/" here, "/en/latest/" or similar on Read the Docs).
notfound_urls_prefix = urlsplit(html_baseurl).path or "/"
_SITE = escape(notfound_urls_prefix, quote=True)
# The site's own words, in each language it is published in (the pages are translated through
# docs/locale; these few strings live here).
_WORDS = {
    "en": {
        "site": "Learning Centre",
        "not_found": "Page not found",
        "not_found_text": "We could not find the page at this address. It may have moved, or the "
        "address may have a typing mistake in it.",
        "search": "Search the Learning Centre",
        "search_button": "Search",
        "home": "Go to the Learning Centre's home page",
        "by_topic": "See all articles, by topic",
        "tell_us": "If a link on another website brought you here, please tell the clinic, so "
        "that we can fix it.",
    },
    "fr": {
        "site": "Centre de ressources",
        "not_found": "Page introuvable",
        "not_found_text": "Nous n’avons pas trouvé de page à cette adresse. Elle a peut-être été "
        "déplacée, ou l’adresse contient peut-être une faute de frappe.",
        "search": "Rechercher dans le Centre de ressources",
        "search_button": "Rechercher",
        "home": "Aller à la page d’accueil du Centre de ressources",
        "by_topic": "Voir tous les articles, par thème",
        "tell_us": "Si un lien d’un autre site vous a mené ici, merci de le signaler à la "
        "clinique, pour que nous puissions le corriger.",
    },
}
_W = {key: escape(text) for key, text in _WORDS.get(language, _WORDS["en"]).items()}
notfound_context = {
    "title": _WORDS.get(language, _WORDS["en"])["not_found"],
    "body": f"""
<h1>{_W["not_found"]}</h1>
<p>{_W["not_found_text"]}</p>
<form class="prolo-notfound-search" action="{_SITE}search.html" method="get" role="search">
  <label for="prolo-notfound-query">{_W["search"]}</label>
  <input type="search" id="prolo-notfound-query" name="q" autocomplete="off">
  <button type="submit">{_W["search_button"]}</button>
</form>
<ul>
  <li><a href="{_SITE}index.html">{_W["home"]}</a></li>
  <li><a href="{_SITE}index.html#articles-by-topic">{_W["by_topic"]}</a></li>
</ul>
<p>{_W["tell_us"]}</p>
""",
}
ogp_site_url = html_baseurl
ogp_site_name = _WORDS.get(language, _WORDS["en"])["site"]
ogp_social_cards = {"enable": False}

html_theme = "furo"
# Code in light mode in a style made for contrast (WCAG AA), as furo's own default since 2025;
# named here so that older furo releases (tango) give the same colours.
pygments_style = "a11y-light"
html_static_path = ["_static"]
html_css_files = ["learning-centre.css"]
# furo's drawer buttons made keyboard-operable (see the handbook's "Accessibility").
html_js_files = ["drawers.js"]
html_logo = "_static/logo.svg"
html_favicon = "_static/logo.svg"
html_title = _WORDS.get(language, _WORDS["en"])["site"]
# No Markdown sources in the patients' site: a patient has no use for front matter, and a French
# page must never lead to English text ("View this page" is furo's link to the source).
html_copy_source = False
html_show_sourcelink = False
html_theme_options = THEME_OPTIONS
# furo's page and search page amended for screen readers (see the handbook's "Accessibility").
templates_path = ["_templates"]
html_context = {
    "prolo_landmarks": landmark_names(language),
    # The search page's own box (docs/_templates/search.html), in the page's language.
    "prolo_search": {
        "label": _WORDS.get(language, _WORDS["en"])["search"],
        "button": _WORDS.get(language, _WORDS["en"])["search_button"],
    },
}
