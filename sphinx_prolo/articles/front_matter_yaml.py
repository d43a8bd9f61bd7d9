"""Front matter that YAML would drop whole for one impossible date.

YAML reads an unquoted ``2026-13-01`` as a date and fails on it, and MyST then drops the page's
*whole* front matter with one "Malformed YAML" warning at line 1: an article silently loses its
summary, category and slug.  Before MyST reads a Markdown page, its front matter is tried with a
YAML loader that accepts such a value as text; each one found is put in quotes in the text MyST
reads (the lines stay where they are), so the other keys are kept.  An article's own metadata
check then names the key and its line; on any other page the quoted value gets a warning here.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_prolo.articles.metadata import is_article
from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Front matter as MyST finds it: "---" on the first line, up to the next "---" line.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$", re.DOTALL | re.MULTILINE)


@functools.cache
def _loader_class() -> Any:
    """A safe YAML loader that notes values YAML takes for dates but cannot make dates of.

    Made on first use: PyYAML comes with MyST, and a site without Markdown pages needs neither.
    """
    import yaml

    class ImpossibleDates(yaml.SafeLoader):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.impossible: list[yaml.ScalarNode] = []

        def construct_timestamp(self, node: yaml.ScalarNode) -> Any:
            try:
                return self.construct_yaml_timestamp(node)
            except ValueError:  # 2026-13-01, 2026-02-30...
                self.impossible.append(node)
                return node.value

    ImpossibleDates.add_constructor(
        "tag:yaml.org,2002:timestamp", ImpossibleDates.construct_timestamp
    )
    return ImpossibleDates


#: What YAML may take for a timestamp: a date, and perhaps a time after it.
_DATE = re.compile(r"(\d{4})-(\d\d?)-(\d\d?)")
_TIME = re.compile(r"(\d\d?):(\d\d):(\d\d)")


def _may_hold_impossible_date(front_matter: str) -> bool:
    """Whether *front_matter* has a date or a time that no calendar or clock has.

    Most front matter holds only real dates (``reviewed: 2026-03-14``); it is then not read a
    second time here (MyST reads it anyway): 2 to 3% of a large site's build.
    """
    for year, month, day in _DATE.findall(front_matter):
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            return True
    return any(
        int(hour) > 23 or int(minute) > 59 or int(second) > 59
        for hour, minute, second in _TIME.findall(front_matter)
    )


def quote_impossible_dates(text: str) -> tuple[str, list[tuple[int, str]]]:
    """*text* with every impossible unquoted date of its front matter quoted, and each one
    found as (line in the file, value).  Text whose front matter is fine (or that YAML cannot
    read for another reason) comes back unchanged."""
    match = _FRONT_MATTER.match(text)
    if match is None or not _may_hold_impossible_date(match.group(1)):
        return text, []
    import yaml

    loader = _loader_class()(match.group(1))
    try:
        loader.get_single_data()
    except yaml.YAMLError:
        return text, []
    finally:
        loader.dispose()
    found = [node for node in loader.impossible if node.style is None]  # plain, unquoted
    start = match.start(1)
    for node in sorted(found, key=lambda node: node.start_mark.index, reverse=True):
        begin, end = start + node.start_mark.index, start + node.end_mark.index
        text = text[:begin] + json.dumps(node.value) + text[end:]
    # The front matter starts on the file's second line.
    return text, sorted((node.start_mark.line + 2, node.value) for node in found)


#: A top-level key of front matter: a line that starts with a name and a colon.
_KEY_LINE = re.compile(r"^([A-Za-z0-9_-]+)\s*:")


def _unbalanced(front_matter: str) -> bool:
    """Whether *front_matter* may hold a bracket or a quote left open (a cheap first look)."""
    return (
        front_matter.count("[") != front_matter.count("]")
        or front_matter.count("{") != front_matter.count("}")
        or any(line.count('"') % 2 for line in front_matter.splitlines())
    )


def drop_broken_keys(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """*text* with each front-matter key that YAML cannot read blanked out (its lines stay, empty,
    so later lines keep their numbers), and each one as (line in the file, key, problem). Up to
    five keys; text YAML reads as it is comes back unchanged."""
    match = _FRONT_MATTER.match(text)
    if match is None or not _unbalanced(match.group(1)):
        return text, []
    import yaml

    lines = match.group(1).split("\n")
    dropped: list[tuple[int, str, str]] = []
    for _attempt in range(5):
        try:
            yaml.safe_load("\n".join(lines))
            break
        except ValueError:  # an impossible date, not a syntax error: quote_impossible_dates
            return text, []
        except yaml.YAMLError as error:
            # Where the broken value started ("while parsing a flow sequence"), else where YAML
            # gave up (often a later line, for a bracket left open).
            mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
            if mark is None:
                return text, []
            at = min(mark.line, len(lines) - 1)
            start = next((i for i in range(at, -1, -1) if _KEY_LINE.match(lines[i])), None)
            if start is None:
                return text, []
            end = next(
                (i for i in range(start + 1, len(lines)) if _KEY_LINE.match(lines[i])), len(lines)
            )
            key = _KEY_LINE.match(lines[start]).group(1)  # type: ignore[union-attr]
            problem = " ".join(str(getattr(error, "problem", "") or error).split())
            dropped.append((start + 2, key, problem))
            lines[start:end] = [""] * (end - start)
    else:
        return text, []
    body = "\n".join(lines)
    return text[: match.start(1)] + body + text[match.end(1) :], dropped


def keep_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Quote impossible dates, and blank out keys YAML cannot read, in a Markdown page's front
    matter before MyST reads it, so that the other keys are kept."""
    suffix = Path(app.env.doc2path(docname)).suffix
    if app.config.source_suffix.get(suffix) != "markdown":
        return
    source[0], broken = drop_broken_keys(source[0])
    for line, key, problem in broken:
        warn_and_keep(
            app.env,
            docname,
            line,
            "metadata",
            __("%s: YAML cannot read this value (%s); the key is left out, the others are kept"),
            key,
            problem,
        )
    text, found = quote_impossible_dates(source[0])
    if not found:
        return
    source[0] = text
    if is_article(app.config, docname):
        return  # the article's metadata check names the key, at its line
    for line, value in found:
        warn_and_keep(
            app.env,
            docname,
            line,
            "metadata",
            __("%r is not a real date; it is kept as text, with the rest of the front matter"),
            value,
        )


def setup_front_matter_yaml(app: Sphinx) -> None:
    """Keep a page's front matter when one of its dates is impossible."""
    app.connect("source-read", keep_front_matter)
