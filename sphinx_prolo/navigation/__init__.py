"""Navigation: any theme's navigation rendered at linear cost, byte-identical to the theme's own.

``tree`` resolves the site tree once per build, ``toctree`` serves any theme's ``toctree()`` from
templates, ``furo`` and ``furo_template`` render furo's sidebar, ``pydata`` and ``pydata_header``
serve pydata-sphinx-theme's and sphinx-book-theme's sidebars and header. Nothing here knows about
health content: the part serves every Sphinx site, and anything it cannot verify is left to the
theme.

It is an extension of its own: ``extensions = ["sphinx_prolo.navigation"]`` gives any Sphinx site
the served navigation and nothing else (no stylesheet, no domain, no warnings), and the whole
``sphinx_prolo`` extension sets it up through the same :func:`setup`.

May import: builds, translations.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_prolo.navigation.furo import setup_navigation_furo
from sphinx_prolo.navigation.pydata import setup_navigation_pydata
from sphinx_prolo.navigation.toctree import setup_navigation_toctree
from sphinx_prolo.translations import CATALOG

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: The one option of the navigation, declared here; ``sphinx_prolo.config`` lists it with the
#: other ``prolo_*`` values (in the configuration table of the docs, and validated there).
FAST_NAVIGATION = "prolo_fast_navigation"
FAST_NAVIGATION_DESCRIPTION = (
    "Resolve the site's navigation tree once per build and fill it in for each page, for furo's "
    "sidebar and for every theme's toctree() calls, instead of Sphinx's computation on every "
    "page (whose cost grows with the square of the number of pages). The pages are "
    "byte-identical either way; any error in it, and any navigation it would not make faster, "
    "is left to the theme. Also an extension of its own: sphinx_prolo.navigation."
)

#: The whole health extension, which declares the option with every other ``prolo_*`` value.
_WHOLE_EXTENSION = "sphinx_prolo"

_LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def _version() -> str:
    try:
        return version("sphinx-prolo")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def setup(app: Sphinx) -> ExtensionMetadata:
    """Serve the navigation of every supported theme in *app*, and register nothing else."""
    metadata: ExtensionMetadata = {
        "version": _version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
    if FAST_NAVIGATION not in app.config:
        if _WHOLE_EXTENSION in app.config.extensions and _WHOLE_EXTENSION not in app.extensions:
            # conf.py lists the whole extension after this one: it declares the option with
            # the others and sets this part up itself, so set it up now, in this place.
            app.setup_extension(_WHOLE_EXTENSION)
            return metadata
        app.add_config_value(
            FAST_NAVIGATION,
            True,
            "html",
            types=(bool,),
            description=FAST_NAVIGATION_DESCRIPTION,
        )
    # Console text only (the -v lines): no document changes.
    app.add_message_catalog(CATALOG, str(_LOCALE_DIR))
    setup_navigation_toctree(app)
    setup_navigation_furo(app)
    setup_navigation_pydata(app)
    return metadata
