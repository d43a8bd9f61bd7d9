"""Configuration of sphinx-prolo: every ``prolo_*`` value declared once, typed and validated.

The declarations in :data:`SETTINGS` feed ``app.add_config_value`` and the generated table in the
documentation, so the two can never disagree.  Validation runs on ``config-inited`` and raises a
:class:`~sphinx.errors.ConfigError` that names the value and what it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sphinx.errors import ConfigError
from sphinx.util import logging

from sphinx_prolo.config_checks import (
    MAX_REVIEW_INTERVAL_DAYS,
    MAX_REVIEW_INTERVAL_MONTHS,
    WrongType,
    check_feedback_url,
    check_grade,
    check_help_lines,
    check_notice_source,
    check_patterns,
    check_report_file,
    check_review_interval,
    check_review_months,
    check_reviewer_roles,
    check_reviewers,
    check_seconds,
    check_terms_url,
    check_toctree_order,
)
from sphinx_prolo.languages.sites import check_language_sites
from sphinx_prolo.link_targets import (
    notice_source_paths,
    source_suffixes,
    split_notice_source,
)
from sphinx_prolo.navigation import FAST_NAVIGATION, FAST_NAVIGATION_DESCRIPTION
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    """One ``prolo_*`` configuration value, as users see it in ``conf.py`` and in the docs."""

    name: str
    default: Any
    #: What a change invalidates: ``"env"`` re-reads every document, ``"html"`` rewrites pages.
    rebuild: Literal["env", "html", ""]
    types: tuple[type, ...]
    #: A short phrase saying what values are accepted (used in errors and in the docs table).
    accepts: str
    description: str
    check: Callable[[Config, Setting, Any], None] | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        name="prolo_terms_url",
        default="",
        rebuild="env",
        types=(str,),
        accepts="a document name (such as 'terms') or an http(s) URL; empty for no link",
        description=(
            "Target of the 'Terms and Conditions of Use' link in the built-in disclaimer. "
            "A document name is a checked internal reference; a URL is checked by linkcheck."
        ),
        check=check_terms_url,
    ),
    Setting(
        name="prolo_feedback_url",
        default=None,
        rebuild="env",
        types=(str, type(None)),
        accepts="None, an http(s) URL or a mailto: address",
        description=(
            "Where readers tell the clinic what they think of an article: every article ends "
            "with 'Was this page helpful? Tell us', linked here. A mailto: address gets a "
            "subject naming the article; in an http(s) URL, {title} is replaced by the "
            "article's title."
        ),
        check=check_feedback_url,
    ),
    Setting(
        name="prolo_disclaimer_source",
        default=None,
        rebuild="env",
        types=(str, type(None)),
        accepts="None, or a path relative to the source directory with a known source suffix",
        description=(
            "A file in the source tree whose content replaces the built-in disclaimer text on "
            "every page. It is parsed by the parser of its suffix and is not built as a page."
        ),
        check=check_notice_source,
    ),
    Setting(
        name="prolo_please_note_source",
        default=None,
        rebuild="env",
        types=(str, type(None)),
        accepts="None, or a path relative to the source directory with a known source suffix",
        description=(
            "A file in the source tree whose content replaces the built-in 'Please note' text "
            "on every page. It is parsed by the parser of its suffix and is not built as a page."
        ),
        check=check_notice_source,
    ),
    Setting(
        name="prolo_article_patterns",
        default=[],
        rebuild="env",
        types=(list, tuple),
        accepts="a list of glob patterns of document names, such as ['learning-centre/*']",
        description=(
            "Which documents are articles: those whose document name matches one of these "
            "patterns (Sphinx's patterns: '*' stays within one folder, '**' also reaches its "
            "subfolders, so 'learning-centre/**' takes every article under learning-centre/). "
            "Articles can be referenced with the therapy role and are listed in the catalog."
        ),
        check=check_patterns,
    ),
    Setting(
        name="prolo_toctree_order",
        default="",
        rebuild="env",
        types=(str,),
        accepts="'title', or an empty string for the file-name order",
        description=(
            "'title' puts a :glob: toctree of articles (or of condition pages) in the order of "
            "their titles in the build's language, in the navigation and the previous and next "
            "links; by default Sphinx's order of file names stays."
        ),
        check=check_toctree_order,
    ),
    Setting(
        name="prolo_condition_patterns",
        default=[],
        rebuild="env",
        types=(list, tuple),
        accepts="a list of glob patterns of document names, such as ['conditions/*']",
        description=(
            "Which documents are condition pages (tennis elbow, low back pain): articles of a "
            "second kind, reached with the condition role, each listing the treatments whose "
            "used-for names it, strongest evidence first."
        ),
    ),
    Setting(
        name="prolo_auto_notices",
        default=True,
        rebuild="env",
        types=(bool,),
        accepts="True or False",
        description=(
            "Insert the disclaimer at the top and the 'Please note' block at the end of every "
            "article that does not place them itself. When False, an article without a "
            "disclaimer is reported."
        ),
    ),
    Setting(
        name="prolo_required_sections",
        default=False,
        rebuild="env",
        types=(bool,),
        accepts="True or False",
        description="When True, an article without a seek-help box is a prolo.structure warning.",
    ),
    Setting(
        name="prolo_language_sites",
        default={},
        rebuild="html",
        types=(dict,),
        accepts="a dict of language code -> http(s) address of that language's site",
        description=(
            "The languages the site is published in and where each build lives, the default "
            "first, e.g. {'en': 'https://clinic.example/en/', "
            "'fr': 'https://clinic.example/fr/'}. "
            "With two or more, every page links to its counterparts (hreflang) and shows a "
            "language switcher."
        ),
        check=lambda config, setting, value: check_language_sites(value, setting.name),
    ),
    Setting(
        name="prolo_source_language",
        default="en",
        rebuild="env",
        types=(str,),
        accepts="a language code",
        description=(
            "The language the articles are written in. A build in another language (with "
            "locale_dirs) translates them: front-matter words are read through each page's "
            "catalog, and an article whose catalog translates nothing says that it is not yet "
            "translated."
        ),
    ),
    Setting(
        name="prolo_related_section",
        default=True,
        rebuild="env",
        types=(bool,),
        accepts="True or False",
        description=(
            "Close every article with a 'Related articles' section: its related list, the "
            "articles it references and the articles that reference it."
        ),
    ),
    Setting(
        name="prolo_review_interval_months",
        default=36,
        rebuild="env",
        types=(int,),
        accepts=f"a whole number of calendar months, from 1 to {MAX_REVIEW_INTERVAL_MONTHS}",
        description=(
            "When an article has a reviewed date but no next-review date, the next review is "
            "due this many calendar months after the last one, on the same day of the month "
            "(the month's last day when it is shorter: 29 February 2024 + 36 months is "
            "28 February 2027)."
        ),
        check=check_review_months,
    ),
    Setting(
        name="prolo_review_interval_days",
        default=None,
        rebuild="env",
        types=(int, type(None)),
        accepts=f"None, or a whole number of days, from 1 to {MAX_REVIEW_INTERVAL_DAYS}",
        description=(
            "A review interval counted in days instead of months: when set, it replaces "
            "prolo_review_interval_months."
        ),
        check=check_review_interval,
    ),
    Setting(
        name="prolo_front_matter_keys",
        default=[],
        rebuild="env",
        types=(list, tuple),
        accepts="a list of front-matter keys, such as ['audience']",
        description="Front-matter keys the site's own templates or other tools read: not "
        "reported as unknown keys.",
        check=check_patterns,
    ),
    Setting(
        name="prolo_require_reviewer",
        default=False,
        rebuild="env",
        types=(bool,),
        accepts="True or False",
        description="When True, an article without reviewed-by is a prolo.metadata warning.",
    ),
    Setting(
        name="prolo_reading_grade_target",
        default=8,
        rebuild="env",
        types=(int, float),
        accepts="a school grade from 0 to 30; 0 turns the reading-level check off",
        description=(
            "The reading grade an article's own prose should not exceed (school grade, by the "
            "Flesch-Kincaid formula in English). An article above it is a prolo.readability "
            "warning naming its hardest sentences; its front matter can set its own "
            "reading-grade-target."
        ),
        check=check_grade,
    ),
    Setting(
        name="prolo_linkcheck_offline",
        default=False,
        rebuild="",
        types=(bool,),
        accepts="True or False",
        description=(
            "Link-check builds report external http(s) URLs as unchecked instead of requesting "
            "them; therapy references, internal references and local files are still checked. "
            "The environment variable PROLO_LINKCHECK_OFFLINE=1 turns it on too."
        ),
    ),
    Setting(
        name="prolo_linkcheck_cache",
        default="",
        rebuild="",
        types=(str,),
        accepts="a file path (relative to the configuration directory); empty for the default",
        description=(
            "Where link-check builds keep the external URLs found working. Default: "
            "prolo-linkcheck-cache.json in the linkcheck output directory."
        ),
    ),
    Setting(
        name="prolo_linkcheck_cache_ttl",
        default=86400,
        rebuild="",
        types=(int, float),
        accepts="a finite number of seconds, 0 or more (0 turns the cache off)",
        description=(
            "How long a URL found working is trusted without asking again. Broken, redirected, "
            "rate-limited and timed-out URLs are always checked again."
        ),
        check=check_seconds,
    ),
    Setting(
        name="prolo_reviewers",
        default={},
        rebuild="env",
        types=(dict,),
        accepts=(
            "a mapping of keys (lower-case words joined by hyphens) to reviewers: each a mapping "
            "of name, and optionally role, qualification and registration (texts, or mappings of "
            "language code to text)"
        ),
        description=(
            "The site's clinical reviewers, by key; an article's reviewed-by may name a key, and "
            "its review line then shows the name in the page's language, linked to the reviewers "
            "page (the reviewer-list directive lists them). Roles are fine where names are not "
            "published."
        ),
        check=check_reviewers,
    ),
    Setting(
        name="prolo_reviewer_roles",
        default={},
        rebuild="env",
        types=(dict,),
        accepts="a mapping of catalog categories to lists of reviewer roles",
        description=(
            "Which roles a category needs among its articles' reviewers, such as "
            '{"Injection therapies": ["physician", "pharmacist"]}; an article without one is a '
            "prolo.metadata warning."
        ),
        check=check_reviewer_roles,
    ),
    Setting(
        name="prolo_reviewers_page",
        default="reviewers",
        rebuild="env",
        types=(str,),
        accepts="a document name",
        description=(
            "The page that lists the reviewers (with reviewer-list); review lines link to it "
            "when the site has it and prolo_reviewers is set."
        ),
    ),
    Setting(
        name="prolo_content_report_file",
        default="content-report.json",
        rebuild="",
        types=(str,),
        accepts="a relative path of a .json file, or an empty string for none",
        description=(
            "Where HTML builds write the editors' content-report.json, relative to the output "
            "folder: a path outside it (../content-report.json) keeps the editors' data out of a "
            "patients' site; empty writes none."
        ),
        check=check_report_file,
    ),
    Setting(
        name="prolo_summary_under_title",
        default=True,
        rebuild="env",
        types=(bool,),
        accepts="True or False",
        description=(
            "Show an article's summary under its title (class prolo-summary), before the "
            "disclaimer, as on its catalog card."
        ),
    ),
    Setting(
        name="prolo_help_lines",
        default={},
        rebuild="env",
        types=(dict,),
        accepts=(
            'a mapping of "emergency" and "urgent" to the number or line to call, or such a '
            "mapping per language code"
        ),
        description=(
            "What the titles of seek-help boxes tell readers to call: the emergency number "
            '("911") and the same-day advice line ("811"), set once per language the site '
            'publishes in, such as {"en": {...}, "fr": {"urgent": "Info-Santé 811"}}. '
            "Without them the titles say to call the local emergency number or get help today."
        ),
        check=check_help_lines,
    ),
    Setting(
        # Declared by the navigation, an extension of its own that registers it when alone.
        name=FAST_NAVIGATION,
        default=True,
        rebuild="html",
        types=(bool,),
        accepts="True or False",
        description=FAST_NAVIGATION_DESCRIPTION,
    ),
)


def validate_config(app: Sphinx, config: Config) -> None:
    """Check every ``prolo_*`` value; keep notice source files out of the list of documents.

    A value that is not accepted is one ``prolo.config`` warning naming the setting and what it
    accepts, and the setting keeps its safe default: ``-W`` builds fail cleanly, others go on,
    and nobody gets Sphinx's crash report for a typing mistake in ``conf.py``.
    """
    for setting in SETTINGS:
        value = getattr(config, setting.name)
        try:
            wrong_bool = isinstance(value, bool) and bool not in setting.types
            if wrong_bool or not isinstance(value, setting.types):
                # Sphinx has said so already (its own type check of every value): not twice.
                raise WrongType
            if setting.check is not None:
                setting.check(config, setting, value)
        except WrongType:
            config[setting.name] = setting.default
        except ConfigError as problem:
            logger.warning(
                __("%s; the default, %r, is used"),
                problem,
                setting.default,
                type="prolo",
                subtype="config",
            )
            config[setting.name] = setting.default
    # A notice source is a fragment shown inside other pages, never a page of its own: excluding
    # it keeps Sphinx from building it and from warning that it is in no toctree.
    # Sphinx judges a toctree entry by its name with the first source suffix, so every suffix is
    # excluded: a toctree naming the file then says "excluded document", not "nonexisting".
    excluded = []
    suffixes = source_suffixes(config)
    for path in notice_source_paths(config):
        stem = split_notice_source(config, path)[0]
        excluded += [path, *(stem + suffix for suffix in suffixes)]
    extra = [p for p in dict.fromkeys(excluded) if p not in config.exclude_patterns]
    if extra:
        config.exclude_patterns = [*config.exclude_patterns, *extra]


def setup_config(app: Sphinx) -> None:
    """Declare every ``prolo_*`` value and validate them once the configuration is read."""
    for setting in SETTINGS:
        app.add_config_value(
            setting.name,
            setting.default,
            setting.rebuild,
            types=setting.types,
            description=setting.description,
        )
    # After Sphinx has turned source_suffix into a mapping (priority 800).
    app.connect("config-inited", validate_config, priority=900)
