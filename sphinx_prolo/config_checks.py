"""The checks of ``prolo_*`` values: what each setting accepts, said in a ConfigError.

:mod:`sphinx_prolo.config` declares every setting with one of these checks; ``validate_config``
turns a refusal into one ``prolo.config`` warning and keeps the setting's default.
"""

from __future__ import annotations

import math
import re
import reprlib
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


#: How much of a refused value a warning repeats: a long list of reviewers is not one
#: screenful of text.
class _ShortRepr(reprlib.Repr):
    """reprlib's cut-down repr, keeping a mapping's own order (reprlib sorts its keys)."""

    def repr_dict(self, x: dict[Any, Any], level: int) -> str:
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        items = [
            f"{self.repr1(key, level - 1)}: {self.repr1(value, level - 1)}"
            for key, value in list(x.items())[: self.maxdict]
        ]
        return "{" + ", ".join(items + (["..."] if len(x) > self.maxdict else [])) + "}"


_SHORT = _ShortRepr()
_SHORT.maxstring, _SHORT.maxother = 120, 120
_SHORT.maxdict = _SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxset = 8
_SHORT.maxlevel = 4
#: Control characters (NUL is lost on the page, a tab or escape means nothing there), and the
#: invisible marks that reverse or isolate the text after them: a number to call that reads
#: in another order on the page than it was written is worse than none.
UNSAFE = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]")
_NO_ENTRY = object()


def short(value: Any) -> str:
    """*value* as Python writes it, cut down to a line when it is long."""
    return _SHORT.repr(value)


def not_accepted(setting: Setting, value: Any, entry: Any = _NO_ENTRY) -> ConfigError:
    """The refusal of *value*, naming the *entry* (key) of a mapping that is wrong in it."""
    where = "" if entry is _NO_ENTRY else __(" (the entry %s)") % short(entry)
    return ConfigError(
        __("%s = %s is not accepted%s; it accepts %s")
        % (setting.name, short(value), where, setting.accepts)
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

    def good_lines(lines: Any) -> bool:
        return isinstance(lines, dict) and all(
            level in HELP_LEVELS
            and isinstance(line, str)
            and line.strip()
            and len(line) <= 80
            and not any(ch in line for ch in "<>")
            and not UNSAFE.search(line)
            for level, line in lines.items()
        )

    for key, lines in value.items():
        if key in HELP_LEVELS:
            good = good_lines({key: lines})
        else:
            good = isinstance(key, str) and key.replace("_", "").isalpha() and good_lines(lines)
        if not good:
            raise not_accepted(setting, value, key)


def check_report_file(config: Config, setting: Setting, value: Any) -> None:
    """A relative path of a ``.json`` file: never a page, a folder or a file Sphinx writes
    (``index.html``, ``_static``, ``objects.inv``), which the report would replace."""
    if not value:
        return
    name = value.replace("\\", "/").rsplit("/", 1)[-1]
    if (
        value.startswith(("/", "\\"))
        or UNSAFE.search(value)
        or not name.lower().endswith(".json")
        or not name[: -len(".json")].strip()
    ):
        raise ConfigError(
            __(
                "%s = %s is not accepted: the content report is JSON; it accepts a relative "
                "path of a .json file (such as '../content-report.json'), or an empty string "
                "for none"
            )
            % (setting.name, short(value))
        )


def is_text(value: Any) -> bool:
    """A text, or a mapping of language codes to texts; none with control characters."""
    if isinstance(value, dict):
        return bool(value) and all(
            isinstance(key, str) and is_text(text) and not isinstance(text, dict)
            for key, text in value.items()
        )
    return isinstance(value, str) and bool(value.strip()) and not UNSAFE.search(value)


def good_reviewer(key: Any, entry: Any) -> bool:
    return (
        isinstance(key, str)
        and bool(SLUG.match(key))
        and isinstance(entry, dict)
        and is_text(entry.get("name"))
        and not set(entry) - set(REVIEWER_FIELDS)
        and ("role" not in entry or (isinstance(entry["role"], str) and is_text(entry["role"])))
        and all(
            is_text(entry[field]) for field in ("qualification", "registration") if field in entry
        )
    )


def check_reviewers(config: Config, setting: Setting, value: Any) -> None:
    for key, entry in value.items():
        if not good_reviewer(key, entry):
            raise not_accepted(setting, value, key)


def check_reviewer_roles(config: Config, setting: Setting, value: Any) -> None:
    for category, roles in value.items():
        if (
            not isinstance(category, str)
            or not isinstance(roles, list | tuple)
            or not roles
            or not all(isinstance(role, str) and role.strip() for role in roles)
        ):
            raise not_accepted(setting, value, category)


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
