"""Sphinx configuration of the handbook: the writers' and maintainers' site (``make handbook``).

The writing guide, the reference for sites that adopt sphinx-prolo, the performance page and the
changelog. It is a site of its own, apart from the patients' Learning Centre (``docs/conf.py``),
and links to the Learning Centre's live articles as examples: ``therapy`` references in the
examples resolve through intersphinx against the Learning Centre's ``objects.inv``, read from its
build (``make handbook`` builds the Learning Centre first), never from the network.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sphinx.errors import ConfigError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))
from clinic_theme import THEME_OPTIONS, landmark_names  # noqa: E402  (the clinic's colours, shared)

project = "sphinx-prolo handbook"
author = "The sphinx-prolo developers"
copyright = "2026, the clinic"
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_prolo",
    "sphinx.ext.intersphinx",
    "config_table",
]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

exclude_patterns = ["_build", "_examples", "_generated", "Thumbs.db", ".DS_Store"]

# The patients' site: its address (where readers follow the links) and its inventory (where the
# build looks targets up). Read the Docs' handbook project sets PROLO_LEARNING_CENTRE_URL.
LEARNING_CENTRE = (
    os.environ.get("PROLO_LEARNING_CENTRE_URL", "https://learning-centre.example/").rstrip("/")
    + "/"
)
INVENTORY = Path(
    os.environ.get(
        "PROLO_LEARNING_CENTRE_INVENTORY", HERE.parent / "_build" / "html" / "objects.inv"
    )
)
if not INVENTORY.is_file():
    raise ConfigError(
        f"the handbook links to the Learning Centre, whose inventory {INVENTORY} is missing: "
        "build the Learning Centre first (make html), or run make handbook, which does"
    )
intersphinx_mapping = {"learning-centre": (LEARNING_CENTRE, str(INVENTORY))}

# sphinx-prolo: the handbook has no articles of its own; its examples show the notices, whose
# Terms link goes to the Learning Centre's Terms page.
prolo_article_patterns: list[str] = []
prolo_terms_url = LEARNING_CENTRE + "terms.html"

html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://handbook.learning-centre.example/"
)
html_theme = "furo"
# Code in light mode in a style made for contrast (WCAG AA), as furo's own default since 2025;
# named here so that older furo releases (tango) give the same colours.
pygments_style = "a11y-light"
html_static_path = ["../_static"]
html_css_files = ["learning-centre.css"]
# furo's drawer buttons made keyboard-operable (see the handbook's "Accessibility").
html_js_files = ["drawers.js"]
html_logo = "../_static/logo.svg"
html_favicon = "../_static/logo.svg"
html_title = "sphinx-prolo handbook"
html_theme_options = THEME_OPTIONS
# The Learning Centre's amendments to furo's pages (landmark names, the search page's heading).
templates_path = ["../_templates"]
html_context = {
    "prolo_landmarks": landmark_names(language),
    "prolo_search": {"label": "Search the handbook", "button": "Search"},
}
