"""sphinx-prolo: medical notices, therapy cross-references and link checks for Sphinx.

The package is a Sphinx extension: add ``"sphinx_prolo"`` to ``extensions`` in ``conf.py``.
Each feature lives in its own module with its own ``setup_<feature>(app)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_prolo.articles.catalog import setup_catalog
from sphinx_prolo.articles.checks import setup_checks
from sphinx_prolo.articles.conditions import setup_conditions
from sphinx_prolo.articles.content_report import setup_content_report
from sphinx_prolo.articles.domain import setup_domain
from sphinx_prolo.articles.front_matter_yaml import setup_front_matter_yaml
from sphinx_prolo.articles.incremental import setup_incremental
from sphinx_prolo.articles.readability import setup_readability
from sphinx_prolo.articles.reviewers import setup_reviewers
from sphinx_prolo.articles.toctree_order import setup_toctree_order
from sphinx_prolo.articles.transform import setup_articles
from sphinx_prolo.builds.kept_warnings import setup_kept_warnings
from sphinx_prolo.config import setup_config
from sphinx_prolo.languages.checks import setup_translation_checks
from sphinx_prolo.languages.front_matter_words import setup_translated_metadata
from sphinx_prolo.languages.sites import setup_language_sites
from sphinx_prolo.languages.theme_words import setup_theme_words
from sphinx_prolo.linkcheck.builder import setup_linkcheck
from sphinx_prolo.notices.colon_fence import setup_colon_fence
from sphinx_prolo.notices.directives import setup_notices
from sphinx_prolo.notices.seek_help import setup_seek_help
from sphinx_prolo.site.html_translator import setup_html_translator
from sphinx_prolo.site.redirects import setup_redirects
from sphinx_prolo.site.search import setup_site_search
from sphinx_prolo.site.search_engines import setup_search_engines

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

#: Every version of the data kept in the build environment, with the fingerprint of its shape
#: (tests/test_env_version.py computes it): a change of shape is a new entry, and so a new
#: ``env_version``, which makes Sphinx drop environments pickled by an older release.
ENV_SHAPES = {
    13: "af178ab9265027d9",
    14: "f6443c623eb01a42",
    15: "58cf60cc2f607a2e",
    16: "1d1306886c07f263",
}
ENV_VERSION = max(ENV_SHAPES)

LOCALE_DIR = Path(__file__).parent / "locale"


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register every feature of sphinx-prolo with *app*."""
    app.add_message_catalog("sphinx_prolo", str(LOCALE_DIR))
    setup_config(app)
    setup_domain(app)
    setup_kept_warnings(app)
    setup_incremental(app)
    setup_notices(app)
    setup_seek_help(app)
    setup_colon_fence(app)
    setup_translated_metadata(app)
    setup_translation_checks(app)
    setup_language_sites(app)
    setup_theme_words(app)
    setup_front_matter_yaml(app)
    setup_articles(app)
    setup_readability(app)
    setup_reviewers(app)
    setup_catalog(app)
    setup_conditions(app)
    setup_content_report(app)
    setup_checks(app)
    setup_toctree_order(app)
    setup_redirects(app)
    setup_search_engines(app)
    setup_site_search(app)
    setup_linkcheck(app)
    setup_html_translator(app)
    # The navigation is an extension of its own, set up through its own setup().
    app.setup_extension("sphinx_prolo.navigation")
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
