"""Links and paths that come from configuration: which forms are accepted, and what they are.

A link a writer configures (the disclaimer's Terms link, the feedback address) ends up in every
page, so only safe forms pass: an http(s) URL with a host, a document of the project, or (for
feedback) a ``mailto:`` address. ``javascript:``, ``data:`` and every other scheme, in any case,
hidden by whitespace or written with HTML character references, are a configuration error naming
the value. Source paths are split at the project's source suffixes here too.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, urlsplit

from sphinx.errors import ConfigError

from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from sphinx.config import Config


@dataclass(frozen=True)
class LinkTarget:
    """A link target from configuration: a document of this project, or an http(s) URL."""

    kind: Literal["doc", "url"]
    #: The docname (without a leading slash or suffix) or the full URL.
    target: str


#: A URL scheme at the start of a text ("http:", "javascript:"; also a Windows drive, "C:").
URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers drop ASCII tab and newline anywhere in a URL and trim control characters and spaces
# at its ends, so "java\tscript:" is still a javascript: URL.  Fold them away before judging.
_URL_INVISIBLES = re.compile(r"[\x00-\x20\x7f]+")
_DOCNAME = re.compile(r"^/?[A-Za-z0-9_][A-Za-z0-9_.\-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*$")


def browser_scheme(value: str) -> str:
    """The scheme a browser would see in *value*, lower case, or "" when there is none.

    Character references are decoded and the invisibles browsers drop are folded away first,
    so "&#106;avascript:" and "java\tscript:" are both "javascript".
    """
    match = URL_SCHEME.match(_URL_INVISIBLES.sub("", html.unescape(value)))
    return match.group(1).lower() if match else ""


def _scheme_refused(name: str, value: str, scheme: str, accepts: str) -> ConfigError:
    return ConfigError(
        __("%s = %r is not accepted: the %r scheme is not allowed; use %s")
        % (name, value, scheme + ":", accepts)
    )


def parse_link_target(value: str, name: str, source_suffixes: tuple[str, ...]) -> LinkTarget:
    """Classify a link *value* from configuration value *name*, refusing every unsafe form.

    Accepted: an ``http://`` or ``https://`` URL with a host, or a document name such as
    ``terms`` or ``/policies/terms`` (a source suffix such as ``.md`` may be given).  Anything
    else, in particular ``javascript:``, ``data:`` and ``vbscript:`` in any case, with embedded
    whitespace or written with HTML character references, raises :class:`ConfigError`.
    """
    accepts = __("a document name (such as 'terms') or an http(s) URL")
    scheme = browser_scheme(value)
    if scheme:
        stripped = value.strip()
        if scheme not in {"http", "https"}:
            raise _scheme_refused(name, value, scheme, accepts)
        # A query may join its parts with "&", but no HTML character reference may hide a
        # character of the address.
        if _URL_INVISIBLES.search(stripped):
            problem = __(
                "the address contains a space or an invisible character; write a space as %20"
            )
        elif html.unescape(stripped) != stripped:
            problem = __("the address contains an HTML character reference; write the character")
        elif not urlsplit(stripped).hostname:
            problem = __("the address has no host name")
        else:
            return LinkTarget("url", stripped)
        raise ConfigError(
            __("%s = %r is not accepted: %s; use %s") % (name, value, problem, accepts)
        )
    docname = value.strip()
    docname = split_suffix(docname, source_suffixes)[0]
    if (
        not _DOCNAME.match(docname)
        or docname.startswith("//")
        or ".." in docname.split("/")
        or posixpath.normpath(docname.lstrip("/")) != docname.lstrip("/")
    ):
        raise ConfigError(__("%s = %r is not accepted; use %s") % (name, value, accepts))
    return LinkTarget("doc", docname.lstrip("/"))


def source_suffixes(config: Config) -> tuple[str, ...]:
    """The source suffixes the project knows, longest first (``.md``, ``.rst``, ...)."""
    suffixes = config.source_suffix
    keys = list(suffixes) if isinstance(suffixes, dict) else [str(suffixes)]
    return tuple(sorted(keys, key=len, reverse=True))


def split_suffix(path: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    """*path* as (stem, suffix) by the longest of *suffixes* it ends with; (path, "") if none.

    *suffixes* come from :func:`source_suffixes`, longest first, so ``a.en.md`` splits at
    ``.en.md`` when a project knows both ``.en.md`` and ``.md``.
    """
    suffix = next((suffix for suffix in suffixes if suffix and path.endswith(suffix)), "")
    return (path[: -len(suffix)] if suffix else path), suffix


def parse_feedback_url(value: str, name: str) -> str:
    """*value* if it is an http(s) URL with a host or a ``mailto:`` address; else ConfigError.

    A query string may use ``&``, but no HTML character reference may hide a character.
    """
    accepts = __("an http(s) URL or a mailto: address")
    stripped = value.strip()
    scheme = browser_scheme(value)
    parts = urlsplit(stripped)
    plain = not _URL_INVISIBLES.search(stripped) and html.unescape(stripped) == stripped
    if plain and scheme in {"http", "https"} and parts.hostname:
        return stripped
    if plain and scheme == "mailto" and "@" in parts.path:
        return stripped
    if scheme and scheme not in {"http", "https", "mailto"}:
        raise _scheme_refused(name, value, scheme, accepts)
    raise ConfigError(__("%s = %r is not accepted; use %s") % (name, value, accepts))


def feedback_href(url: str, title: str) -> str:
    """The feedback link for the article called *title*.

    A ``mailto:`` address without a subject gets one naming the article; an http(s) URL gets the
    title wherever it says ``{title}`` (URL-encoded), and is otherwise used as it is.
    """
    if url.lower().startswith("mailto:"):
        if "subject=" in url.lower():
            return url
        separator = "&" if "?" in url else "?"
        subject = quote(_("Feedback: %s") % title)
        return f"{url}{separator}subject={subject}"
    return url.replace("{title}", quote(title, safe=""))


# --- notice sources and the Terms link, as configured ---------------------------------------


def notice_source_path(value: str) -> str:
    """A notice source setting as a posix path relative to the source directory."""
    return value.strip().replace("\\", "/")


def terms_target(config: Config) -> LinkTarget | None:
    """The validated target of ``prolo_terms_url``, or None when no link is configured."""
    value = config.prolo_terms_url
    if not value:
        return None
    return parse_link_target(value, "prolo_terms_url", source_suffixes(config))


#: The setting that names each notice's source file.
NOTICE_SOURCE_SETTINGS = {
    "disclaimer": "prolo_disclaimer_source",
    "please-note": "prolo_please_note_source",
}


def notice_source(config: Config, kind: str) -> str | None:
    """The source file configured for notice *kind*, relative to the source directory."""
    value = getattr(config, NOTICE_SOURCE_SETTINGS[kind])
    return notice_source_path(value) if value else None


def split_notice_source(config: Config, value: str) -> tuple[str, str]:
    """A notice source setting's file as (its name without suffix, its suffix), by the longest of
    the site's source suffixes it ends with; the suffix is "" when it has none of them."""
    return split_suffix(notice_source_path(value), source_suffixes(config))


def notice_source_paths(config: Config) -> list[str]:
    """The notice source files configured, as posix paths relative to the source directory."""
    return [path for kind in NOTICE_SOURCE_SETTINGS if (path := notice_source(config, kind))]
