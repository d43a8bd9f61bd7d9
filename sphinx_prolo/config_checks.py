"""The checks of ``prolo_*`` values: what each setting accepts, said in a ConfigError.

:mod:`sphinx_prolo.config` declares every setting with one of these checks; ``validate_config``
turns a refusal into one ``prolo.config`` warning and keeps the setting's default.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError
from sphinx.util.matching import Matcher

from sphinx_prolo.articles.front_matter import SLUG
from sphinx_prolo.articles.reviewers import REVIEWER_FIELDS
from sphinx_prolo.link_targets import (
    notice_source_path,
    parse_feedback_url,
    parse_link_target,
    source_suffixes,
    split_notice_source,
)
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.config import Config

    from sphinx_prolo.config import Setting


class WrongType(ValueError):
    """A value of a type the setting does not take (Sphinx's own check reports it)."""


def not_accepted(setting: Setting, value: Any) -> ConfigError:
    return ConfigError(
        __("%s = %r is not accepted; it accepts %s") % (setting.name, value, setting.accepts)
    )


def check_terms_url(config: Config, setting: Setting, value: Any) -> None:
    if value:
        parse_link_target(value, setting.name, source_suffixes(config))


def check_feedback_url(config: Config, setting: Setting, value: Any) -> None:
    if value:  # None, or "" as ``-D`` gives it: no feedback line
        parse_feedback_url(value, setting.name)


#: The levels of ``seek-help`` that name a number to call.
HELP_LEVELS = ("emergency", "urgent")


def check_help_lines(config: Config, setting: Setting, value: Any) -> None:
    """``{"emergency": "911", "urgent": "811"}``, or such a mapping per language code."""

    def check_lines(lines: Any) -> None:
        if not isinstance(lines, dict):
            raise not_accepted(setting, value)
        for level, line in lines.items():
            if level not in HELP_LEVELS or not isinstance(line, str):
                raise not_accepted(setting, value)
            if not line.strip() or len(line) > 80 or any(ch in line for ch in "\n\r<>"):
                raise not_accepted(setting, value)

    for key, lines in value.items():
        if key in HELP_LEVELS:
            check_lines({key: lines})
        elif isinstance(key, str) and key.replace("_", "").isalpha():
            check_lines(lines)
        else:
            raise not_accepted(setting, value)


def check_report_file(config: Config, setting: Setting, value: Any) -> None:
    if value and (value.startswith(("/", "\\")) or "\0" in value or value.endswith("/")):
        raise not_accepted(setting, value)


def is_text(value: Any) -> bool:
    """A text, or a mapping of language codes to texts."""
    if isinstance(value, dict):
        return bool(value) and all(
            isinstance(key, str) and isinstance(text, str) and text.strip()
            for key, text in value.items()
        )
    return isinstance(value, str) and bool(value.strip())


def check_reviewers(config: Config, setting: Setting, value: Any) -> None:
    for key, entry in value.items():
        if not isinstance(key, str) or not SLUG.match(key) or not isinstance(entry, dict):
            raise not_accepted(setting, value)
        if not is_text(entry.get("name")) or set(entry) - set(REVIEWER_FIELDS):
            raise not_accepted(setting, value)
        if "role" in entry and not (isinstance(entry["role"], str) and entry["role"].strip()):
            raise not_accepted(setting, value)
        for field in ("qualification", "registration"):
            if field in entry and not is_text(entry[field]):
                raise not_accepted(setting, value)


def check_reviewer_roles(config: Config, setting: Setting, value: Any) -> None:
    for category, roles in value.items():
        if not isinstance(category, str) or not isinstance(roles, list | tuple) or not roles:
            raise not_accepted(setting, value)
        if not all(isinstance(role, str) and role.strip() for role in roles):
            raise not_accepted(setting, value)


def check_notice_source(config: Config, setting: Setting, value: Any) -> None:
    if not value:  # None, or "" as ``-D`` gives it: the built-in text
        return
    path = notice_source_path(value)
    if not path or path.startswith("/") or ".." in path.split("/"):
        raise not_accepted(setting, value)
    suffixes = source_suffixes(config)
    docname, suffix = split_notice_source(config, path)
    if not suffix:
        raise ConfigError(
            __("%s = %r has no known source suffix; it accepts a file ending in one of: %s")
            % (setting.name, value, ", ".join(sorted(suffixes)))
        )
    patterns = [p for p in config.prolo_article_patterns if isinstance(p, str)]
    if docname == config.root_doc or (patterns and Matcher(patterns)(docname)):
        raise ConfigError(
            __(
                "%s = %r is a page of the site (%s): a notice source is shown inside other "
                "pages and is not built as a page itself; keep it in a file of its own, such "
                "as '_notices/disclaimer.md'"
            )
            % (
                setting.name,
                value,
                __("the root document") if docname == config.root_doc else __("an article"),
            )
        )


def check_patterns(config: Config, setting: Setting, value: Any) -> None:
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise not_accepted(setting, value)


def check_seconds(config: Config, setting: Setting, value: Any) -> None:
    # NaN compares false with everything and infinity never expires: neither is a duration.
    if isinstance(value, bool) or not math.isfinite(value) or value < 0:
        raise not_accepted(setting, value)


def check_grade(config: Config, setting: Setting, value: Any) -> None:
    if isinstance(value, bool) or not math.isfinite(value) or not 0 <= value <= 30:
        raise not_accepted(setting, value)


#: The longest review intervals accepted: a century, far from the end of the calendar's arithmetic.
MAX_REVIEW_INTERVAL_DAYS, MAX_REVIEW_INTERVAL_MONTHS = 36525, 1200


def check_review_interval(config: Config, setting: Setting, value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not 1 <= value <= MAX_REVIEW_INTERVAL_DAYS
    ):
        raise not_accepted(setting, value)


def check_review_months(config: Config, setting: Setting, value: Any) -> None:
    if isinstance(value, bool) or not 1 <= value <= MAX_REVIEW_INTERVAL_MONTHS:
        raise not_accepted(setting, value)


def check_toctree_order(config: Config, setting: Setting, value: Any) -> None:
    if value not in {"", "title"}:
        raise not_accepted(setting, value)
