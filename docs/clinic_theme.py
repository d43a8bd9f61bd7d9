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
