"""Which documents are articles, and what their front matter says, checked.

A document is an article when its name matches ``prolo_article_patterns``.  Its front matter
(MyST) or leading field list (rST) is read into an :class:`~sphinx_prolo.domain.Article` of plain,
checked values; every value that cannot be used is a ``prolo.metadata`` warning at its own line,
and the article is still built.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.matching import Matcher

from sphinx_prolo.config import source_suffixes, split_suffix
from sphinx_prolo.kept_warnings import warn_and_keep
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.domain import Article

logger = logging.getLogger(__name__)


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

KEYS = (
    "slug",
    "aliases",
    "summary",
    "category",
    "related",
    "reviewed",
    "next-review",
    "redirect-from",
)

# A scheme ("http:", "javascript:") or a Windows drive ("C:"): never a name on this site.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Characters that have a meaning in a URL or an HTML attribute, and whitespace or control
# characters: no document of a site is named with them.
_NOT_IN_DOCNAME = re.compile(r"[\x00-\x20\x7f\\:?#%\"'<>`]")

_SLUG_RULE = "lower-case letters and digits in words joined by single hyphens"

_MATCHERS: dict[tuple[str, ...], Matcher] = {}


def is_article(config: Config, docname: str) -> bool:
    patterns = tuple(config.prolo_article_patterns)
    if not patterns:
        return False
    matcher = _MATCHERS.get(patterns)
    if matcher is None:
        matcher = _MATCHERS[patterns] = Matcher(list(patterns))
    return matcher(docname)


def slugify(text: str) -> str:
    """A valid slug made from *text* (a file stem): lower case words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "article"


def _docinfo_fields(doctree: nodes.document) -> dict[str, str]:
    """The leading field list (front matter or rST docinfo) as name -> text."""
    index = doctree.first_child_not_matching_class(nodes.PreBibliographic)  # type: ignore[arg-type]
    docinfo = doctree[index] if index is not None else None
    if not isinstance(docinfo, nodes.docinfo):
        return {}
    fields: dict[str, str] = {}
    for node in docinfo.children:
        if isinstance(node, nodes.field) and len(node) == 2:
            fields[node[0].astext().strip()] = node[1].astext().strip()
        else:  # a bibliographic field such as :date:, which is none of ours
            fields[node.__class__.__name__] = node.astext()
    return fields


def key_lines(path: str | os.PathLike[str]) -> dict[str, int]:
    """Line numbers of the metadata keys at the top of the source file at *path*."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, int] = {}
    if lines and lines[0].strip() == "---":  # MyST front matter
        pattern = re.compile(r"^([A-Za-z0-9_-]+)\s*:")
        for number, line in enumerate(lines[1:], start=2):
            if line.strip() == "---":
                break
            if match := pattern.match(line):
                found.setdefault(match.group(1), number)
    else:  # rST: a field list before the title
        pattern = re.compile(r"^:([A-Za-z0-9_-]+):")
        for number, line in enumerate(lines, start=1):
            if match := pattern.match(line):
                found.setdefault(match.group(1), number)
            elif line.strip() and not line.startswith((" ", "\t", "..")):
                break
    return found


class MetadataReader:
    """Turns an article's raw metadata into plain, checked values, warning about bad ones."""

    def __init__(self, env: BuildEnvironment, docname: str, raw: dict[str, str]) -> None:
        self.env = env
        self.docname = docname
        self.raw = raw
        self._lines: dict[str, int] | None = None

    def line(self, key: str) -> int | None:
        if self._lines is None:
            self._lines = key_lines(self.env.doc2path(self.docname))
        return self._lines.get(key)

    def warn(self, key: str, message: str, *args: Any) -> None:
        warn_and_keep(self.env, self.docname, self.line(key), "metadata", message, *args)

    @staticmethod
    def _decoded(value: str) -> Any:
        # MyST stores a YAML list or mapping from front matter as JSON text.
        if value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def text(self, key: str) -> str:
        value = self.raw.get(key, "")
        decoded = self._decoded(value)
        if isinstance(decoded, list):
            self.warn(key, __("%s should be text, not a list; its items are joined"), key)
            return ", ".join(str(item) for item in decoded)
        if isinstance(decoded, dict):
            self.warn(key, __("%s should be text, not a mapping; it is ignored"), key)
            return ""
        return " ".join(str(decoded).split())

    def slugs(self, key: str) -> list[str]:
        value = self.raw.get(key, "")
        decoded = self._decoded(value)
        if isinstance(decoded, dict):
            self.warn(key, __("%s should be a list of slugs, not a mapping; it is ignored"), key)
            return []
        items = decoded if isinstance(decoded, list) else re.split(r"[,\s]+", str(decoded))
        slugs = []
        for item in items:
            slug = str(item).strip()
            if not slug:
                continue
            if not SLUG.match(slug):
                self.warn(
                    key,
                    __("%s: %r is not a valid slug (%s); it is ignored"),
                    key,
                    slug,
                    _SLUG_RULE,
                )
                continue
            if slug not in slugs:
                slugs.append(slug)
        return slugs

    def old_names(self, key: str) -> list[str]:
        """Old document names (``redirect-from``): checked, without a source suffix, unique.

        Each entry that cannot be a document of this site is warned about and left out; the
        others still count.  Whether a name is taken is decided site-wide, once per build.
        """
        value = self.raw.get(key, "")
        decoded: Any = value
        if value.strip()[:1] in "[{" or value.strip() == "null":
            try:
                decoded = json.loads(value)
            except ValueError:
                decoded = value
        if decoded is None:
            return []
        if isinstance(decoded, str):
            items: list[Any] = [item for item in re.split(r"[,\s]+", decoded) if item]
        elif isinstance(decoded, list):
            items = decoded
        else:
            self.warn(
                key,
                __("%s should be a document name or a list of them, not %s; it is ignored"),
                key,
                __("a mapping") if isinstance(decoded, dict) else repr(decoded),
            )
            return []
        suffixes = source_suffixes(self.env.config)
        names: list[str] = []
        for item in items:
            if not isinstance(item, str):
                self.warn(key, __("%s: %r is not a document name; it is ignored"), key, item)
                continue
            name = split_suffix(item.strip(), suffixes)[0]
            problem = _old_name_problem(name)
            if problem is None and name == self.docname:
                problem = __("it is this article's own name")
            if problem is not None:
                self.warn(key, __("%s: %r is ignored: %s"), key, item, problem)
            elif name not in names:
                names.append(name)
        return names

    def date(self, key: str) -> dt.date | None:
        text = self.text(key)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.warn(
                key, __("%s: %r is not a date of the form YYYY-MM-DD; it is ignored"), key, text
            )
            return None


def _old_name_problem(name: str) -> str | None:
    """Why *name* cannot be an old document name of this site, or None when it can be."""
    if not name:
        return __("it is empty")
    if name.startswith("/") or _SCHEME.match(name):
        return __(
            "an old name is a document name relative to the source folder, not an "
            "absolute path or a URL"
        )
    if ".." in name.split("/"):
        return __("it must not contain '..'")
    if _NOT_IN_DOCNAME.search(name) or any(part in {"", "."} for part in name.split("/")):
        return __("it is not a document name (words separated by '/')")
    return None


def read_article(env: BuildEnvironment, docname: str, doctree: nodes.document) -> Article:
    """The checked metadata of article *docname*; every problem is a ``prolo.metadata`` warning."""
    reader = MetadataReader(env, docname, _docinfo_fields(doctree))
    stem = docname.rsplit("/", 1)[-1]
    slug = reader.text("slug")
    if slug and not SLUG.match(slug):
        fallback = slugify(stem)
        reader.warn(
            "slug",
            __("slug %r is not valid (%s); %r is used instead"),
            slug,
            _SLUG_RULE,
            fallback,
        )
        slug = fallback
    slug = slug or slugify(stem)
    # Read in the order writers list the keys, so warnings come out in that order too.
    aliases = reader.slugs("aliases")
    summary = reader.text("summary")
    category = reader.text("category")
    related = reader.slugs("related")
    reviewed = reader.date("reviewed")
    next_review = reader.date("next-review")
    redirect_from = reader.old_names("redirect-from")
    if reviewed is not None and next_review is None:
        try:
            next_review = reviewed + dt.timedelta(days=env.config.prolo_review_interval_days)
        except OverflowError:  # a review date near the end of the calendar
            reader.warn(
                "reviewed",
                __(
                    "reviewed: %s plus the review interval is past the end of the calendar; "
                    "give next-review instead"
                ),
                reviewed.isoformat(),
            )
    next_review_key = "next-review" if "next-review" in reader.raw else "reviewed"
    return {
        "slug": slug,
        "aliases": [alias for alias in aliases if alias != slug],
        "title": "",  # filled in from Sphinx's own title once the document is read
        "title_parts": [],
        "summary": summary,
        "category": category,
        "related": related,
        "reviewed": reviewed.isoformat() if reviewed else "",
        "next_review": next_review.isoformat() if next_review else "",
        "next_review_key": next_review_key,
        "redirect_from": redirect_from,
    }


def title_parts(title: nodes.Element) -> list[tuple[str, str]]:
    """A title as text and therapy references, so that links can show the targets' titles."""
    parts: list[tuple[str, str]] = []

    def walk(node: nodes.Node) -> None:
        if (
            isinstance(node, addnodes.pending_xref)
            and node.get("refdomain") == "prolo"
            and not node.get("refexplicit")
        ):
            parts.append(("ref", str(node["reftarget"]).strip()))
        elif isinstance(node, nodes.Text):
            parts.append(("text", node.astext()))
        else:
            for child in node.children:
                walk(child)

    walk(title)
    return parts if any(kind == "ref" for kind, _value in parts) else []
