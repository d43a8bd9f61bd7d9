"""Translation helpers: one catalog, ``sphinx_prolo``, for document text and console text.

``app.add_message_catalog`` in :func:`sphinx_prolo.setup` loads the catalog twice: for ``_`` in
the language of the site (``language`` in conf.py), and, through ``sphinx.locale.init_console``,
for ``__`` in the language of the writer's terminal (the process's locale that ``sphinx-build``
sets from LC_ALL, LC_MESSAGES or LANG; or LANGUAGE when that locale names no language).
``make locale`` extracts both, so every message needs a literal string.
"""

from __future__ import annotations

from sphinx.locale import get_translation

CATALOG = "sphinx_prolo"

#: Text that ends up in documents (titles, the built-in notice text), in the site's language.
_ = get_translation(CATALOG)
#: Text printed on the console (warnings, information lines), in the terminal's language.
__ = get_translation(CATALOG, "console")
