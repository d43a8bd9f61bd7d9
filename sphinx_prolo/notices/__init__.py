"""Notices: the clinic's wording shown on every article, and the boxes that say when to get help.

``directives`` holds the ``disclaimer`` and ``please-note`` directives with their built-in,
translated wording and the Terms link; ``sources`` a site's own wording read from files in its
source tree; ``seek_help`` the ``seek-help`` box and the required-sections check; ``rendering``
how all of them reach HTML (``role="note"``, an accessible name) and text. Notice uses are
recorded in the articles' domain, which is why this part may read it.

May import: articles, builds, link_targets, translations.
"""
