"""Translation helpers: one catalog, ``sphinx_prolo``, for document text and console text."""

from __future__ import annotations

from sphinx.locale import get_translation

CATALOG = "sphinx_prolo"

#: Text that ends up in documents (titles, the built-in notice text).
_ = get_translation(CATALOG)
#: Text printed on the console (warnings, errors).
__ = get_translation(CATALOG, "console")
