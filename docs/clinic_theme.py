"""The clinic's colours for furo, shared by the Learning Centre and the handbook.

Text on them keeps a contrast of at least 4.5:1 in light and dark mode.
"""

THEME_OPTIONS = {
    "light_css_variables": {
        "color-brand-primary": "#0f5f73",
        "color-brand-content": "#0f5f73",
    },
    "dark_css_variables": {
        "color-brand-primary": "#6cc3d5",
        "color-brand-content": "#6cc3d5",
    },
}

#: The names of the page's landmarks (docs/_templates/page.html), in each language a site is
#: published in: a screen reader lists them to move around the page.
LANDMARK_NAMES = {
    "en": {
        "navigation": "Site navigation",
        "contents": "On this page",
        "page_tools": "Page tools",
    },
    "fr": {
        "navigation": "Navigation du site",
        "contents": "Sur cette page",
        "page_tools": "Outils de la page",
    },
}


def landmark_names(language: str) -> dict[str, str]:
    """The landmark names in *language*, English when the site's language has none yet."""
    return LANDMARK_NAMES.get(language, LANDMARK_NAMES["en"])
