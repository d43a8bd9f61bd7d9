"""Front matter as it is written: raw values read from a document, checked one type at a time.

MyST front matter and a reStructuredText field list before the title both end up as a docinfo
node; :class:`MetadataReader` turns its text into plain values (text, slugs, phrases, names,
references, numbers, dates), warning with ``prolo.metadata`` at the key's own line about any value
it cannot use. It also knows every key that sphinx-prolo, Sphinx, docutils, MyST and common
extensions read, so that a misspelt key is reported with the nearest known one. Which documents
are articles, and what an article is made of, is :mod:`sphinx_prolo.articles.metadata`'s.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from sphinx_prolo.articles.front_matter_lines import key_lines
from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.link_targets import URL_SCHEME, source_suffixes, split_suffix
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.environment import BuildEnvironment


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: A DOI as Crossref and the DOI handbook write it: "10." a registrant code, "/", a suffix.
DOI = re.compile(r"^10\.\d{4,9}/\S+$")

# Characters that have a meaning in a URL or an HTML attribute, and whitespace or control
# characters: no document of a site is named with them.
_NOT_IN_DOCNAME = re.compile(r"[\x00-\x20\x7f\\:?#%\"'<>`]")

#: The longest part of an old document name: a file name of 255 bytes with "/index.html".
MAX_NAME_BYTES = 200

SLUG_RULE = "lower-case letters and digits in words joined by single hyphens"


def suggestion_text(slug: str, slugs: Iterable[str]) -> str:
    """ "; did you mean 'a' or 'b'?" for the names nearest *slug*, or "" if none is near."""
    near = difflib.get_close_matches(slug, list(slugs), n=3, cutoff=0.6)
    if not near:
        return ""
    return __("; did you mean %s?") % " or ".join(repr(candidate) for candidate in near)


#: Front-matter keys that Sphinx, docutils, MyST and common extensions read: never "unknown".
KNOWN_ELSEWHERE = frozenset(
    {
        # Sphinx's file-wide metadata
        "orphan",
        "nocomments",
        "nosearch",
        "tocdepth",
        # docutils' bibliographic fields
        "authors",
        "organization",
        "address",
        "contact",
        "version",
        "revision",
        "status",
        "date",
        "copyright",
        "dedication",
        "abstract",
        # MyST and MyST-NB
        "html_meta",
        "myst",
        "substitutions",
        "title",
        "short_title",
        "jupytext",
        "kernelspec",
        "file_format",
        "mystnb",
        # sphinx-design, sphinxext-opengraph, ablog, pydata-sphinx-theme
        "sd_hide_title",
        "og:title",
        "og:description",
        "og:image",
        "og:type",
        "tags",
        "category_blog",
        "html_theme.sidebar_secondary.remove",
        "description",
        "keywords_meta",
    }
)


def as_yaml(value: Any) -> str:
    """*value* as the writer wrote it in YAML: null, true, 12, 'text'."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return repr(value)


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

    def warn(self, key: str, message: str, *args: Any, subtype: str = "metadata") -> None:
        warn_and_keep(self.env, self.docname, self.line(key), subtype, message, *args)

    @staticmethod
    def decoded(value: str) -> Any:
        # MyST stores a YAML list or mapping from front matter as JSON text.
        if value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def is_null(self, key: str) -> bool:
        """Whether *key* is written but empty in YAML (``null`` or ``~``): warned, then ignored."""
        if self.raw.get(key, "").strip() in {"null", "~", "None"}:
            self.warn(key, __("%s is empty (null); write a value or leave the key out"), key)
            return True
        return False

    def text(self, key: str) -> str:
        if self.is_null(key):
            return ""
        value = self.raw.get(key, "")
        decoded = self.decoded(value)
        if isinstance(decoded, list):
            self.warn(key, __("%s should be text, not a list; its items are joined"), key)
            return ", ".join(str(item) for item in decoded)
        if isinstance(decoded, dict):
            self.warn(key, __("%s should be text, not a mapping; it is ignored"), key)
            return ""
        return " ".join(str(decoded).split())

    def slugs(self, key: str) -> list[str]:
        if self.is_null(key):
            return []
        value = self.raw.get(key, "")
        decoded = self.decoded(value)
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
                    SLUG_RULE,
                )
                continue
            if slug not in slugs:
                slugs.append(slug)
        return slugs

    def phrases(self, key: str) -> list[str]:
        """Words or short phrases: a list, or text with commas between them."""
        if self.is_null(key):
            return []
        value = self.raw.get(key, "")
        decoded = self.decoded(value)
        if isinstance(decoded, dict):
            self.warn(
                key,
                __("%s should be a list of words or phrases, not a mapping; it is ignored"),
                key,
            )
            return []
        items = decoded if isinstance(decoded, list) else str(decoded).split(",")
        phrases: list[str] = []
        for item in items:
            # In a list, YAML's null, true and numbers arrive as such: none is a reader's word.
            if isinstance(item, dict | list) or (
                isinstance(decoded, list) and not isinstance(item, str)
            ):
                self.warn(
                    key, __("%s: %s is not a word or a phrase; it is ignored"), key, as_yaml(item)
                )
                continue
            phrase = " ".join(str(item).split())
            if phrase and phrase not in phrases:
                phrases.append(phrase)
        return phrases

    def people(self, key: str) -> list[str]:
        """Names with credentials ("Sam Lee, PT"): one text, or a list of texts."""
        if self.is_null(key):
            return []
        value = self.raw.get(key, "")
        decoded = self.decoded(value)
        if isinstance(decoded, dict):
            self.warn(key, __("%s should be a name or a list of names, not a mapping"), key)
            return []
        items = decoded if isinstance(decoded, list) else [decoded]
        names: list[str] = []
        for item in items:
            # In a list, YAML's null, true and numbers arrive as such: none of them is a name.
            if not isinstance(item, str):
                self.warn(key, __("%s: %s is not a name; it is ignored"), key, as_yaml(item))
                continue
            name = " ".join(str(item).split())
            if name and name not in names:
                names.append(name)
        return names

    def sources(self, key: str) -> list[dict[str, str]]:
        """References: each a citation text, or a mapping of ``text`` with ``url`` or ``doi``."""
        value = self.raw.get(key, "")
        decoded = self.decoded(value)
        if not decoded:
            return []
        if not isinstance(decoded, list):
            self.warn(key, __("%s should be a list of references; it is ignored"), key)
            return []
        found: list[dict[str, str]] = []
        for item in decoded:
            source = self._source(key, item)
            if source is not None:
                found.append(source)
        return found

    def _source(self, key: str, item: Any) -> dict[str, str] | None:
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            self.warn(
                key, __("%s: %r is not a reference with a citation text; it is ignored"), key, item
            )
            return None
        text = " ".join(item["text"].split())
        if not text:
            self.warn(key, __("%s: a reference has an empty citation text; it is ignored"), key)
            return None
        for unknown in sorted(set(item) - {"text", "url", "doi"}, key=str):
            meant = str(unknown).lower()
            meant = "url" if meant in {"link", "href", "address", "web"} else meant
            self.warn(
                key,
                __("%s: %r has the unknown key %r; it is ignored (a reference takes %s)"),
                key,
                text,
                unknown,
                __("text, url and doi; did you mean %r?") % meant
                if meant in {"text", "url", "doi"}
                else __("text, url and doi"),
            )
        source = {"text": text, "url": "", "doi": ""}
        url, doi = item.get("url"), item.get("doi")
        if doi is not None:
            doi = str(doi).strip().removeprefix("https://doi.org/").removeprefix("doi:")
            if DOI.match(doi):
                source["doi"] = "https://doi.org/" + quote(doi, safe="/:;()._-")
            else:
                self.warn(key, __("%s: %r is not a DOI (10.NNNN/...); it is left out"), key, doi)
        if url is not None:
            link = str(url).strip()
            parts = urlsplit(link)
            if parts.scheme.lower() in {"http", "https"} and parts.hostname:
                source["url"] = link
            else:
                self.warn(
                    key, __("%s: %r is not an http(s) address; the link is left out"), key, link
                )
        # The address a reader follows: the page given, else the DOI's; a DOI beside a page
        # is kept as a second link.
        if not source["url"]:
            source["url"] = source.pop("doi")
        elif not source["doi"]:
            del source["doi"]
        return source

    def number(self, key: str) -> float | None:
        """A positive number, such as a reading grade."""
        text = self.text(key)
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0 < value <= 30:  # also refuses NaN
            self.warn(key, __("%s: %r is not a number from 1 to 30; it is ignored"), key, text)
            return None
        return value

    def old_names(self, key: str) -> list[str]:
        """Old document names (``redirect-from``): checked, without a source suffix, unique.

        Each entry that cannot be a document of this site is warned about and left out; the
        others still count.  Whether a name is taken is decided site-wide, once per build.
        """
        value = self.raw.get(key, "")
        # Front-matter values arrive stripped; YAML's null is an empty list.
        if value == "null":
            return []
        decoded = self.decoded(value)
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
            # An old address as a browser shows it ("articles/old.html") names the same page.
            name = split_suffix(item.strip(), suffixes)[0].removesuffix(".html")
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
    # A scheme ("http:", "javascript:") or a Windows drive ("C:"): never a name on this site.
    if name.startswith("/") or URL_SCHEME.match(name):
        return __(
            "an old name is a document name relative to the source folder, not an "
            "absolute path or a URL"
        )
    if ".." in name.split("/"):
        return __("it must not contain '..'")
    if _NOT_IN_DOCNAME.search(name) or any(part in {"", "."} for part in name.split("/")):
        return __("it is not a document name (words separated by '/')")
    # A redirect page is a file: each part, with ".html", must fit a file system's 255 bytes.
    if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in name.split("/")):
        return __("a part of it is longer than a file name may be (%d bytes)") % MAX_NAME_BYTES
    return None
