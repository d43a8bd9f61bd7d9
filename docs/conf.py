"""Sphinx configuration of the Learning Centre."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "Learning Centre"
author = "The clinic's physiotherapists"
copyright = "2026, the clinic"
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_prolo",
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "config_table",
]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

exclude_patterns = ["_build", "_examples", "_generated", "Thumbs.db", ".DS_Store"]

# sphinx-prolo
prolo_terms_url = "terms"
prolo_article_patterns = ["learning-centre/*"]

# Read the Docs sets the canonical address of each build; elsewhere a placeholder address keeps
# the sitemap and the link previews well-formed.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "https://learning-centre.example/")
sitemap_url_scheme = "{link}"
ogp_site_url = html_baseurl
ogp_site_name = "Learning Centre"
ogp_social_cards = {"enable": False}

html_theme = "furo"
html_static_path = ["_static"]
html_css_files = ["learning-centre.css"]
html_logo = "_static/logo.svg"
html_favicon = "_static/logo.svg"
html_title = "Learning Centre"
html_theme_options = {
    # The clinic's colours; text on them keeps a contrast of at least 4.5:1.
    "light_css_variables": {
        "color-brand-primary": "#0f5f73",
        "color-brand-content": "#0f5f73",
    },
    "dark_css_variables": {
        "color-brand-primary": "#6cc3d5",
        "color-brand-content": "#6cc3d5",
    },
}
