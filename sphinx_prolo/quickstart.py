"""``sphinx-prolo-quickstart DIR``: a new clinic's Learning Centre, ready to build strictly.

Writes the files in ``quickstart_files/`` (shipped in the wheel) into *DIR*: ``conf.py``, the
landing page with the catalog, About, Terms, both notice sources, one example article, a Makefile,
``requirements.txt``, ``.readthedocs.yaml`` and a CI workflow.  A template's name ending in
``.in`` has its ``@@KEY@@`` markers filled in, all in one pass (a marker inside a value is text),
and loses the suffix; a leading ``dot-`` in a name becomes a dot.  Option values are checked as
the configuration checks them (the Terms link and the feedback address by
:mod:`sphinx_prolo.link_targets`) and written as literals of the file's language: Python literals
in ``conf.py``, escaped text in Markdown.  The Terms page is written where ``--terms-url`` names
it, or not at all when the Terms are elsewhere; every link to the Terms is that one.  Nothing is
written when a value is refused, and a run that cannot write every file leaves none
(:mod:`sphinx_prolo.quickstart_writing`).  It never prompts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shlex
import string
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sphinx.errors import ConfigError

from sphinx_prolo import __version__
from sphinx_prolo.link_targets import LinkTarget, parse_feedback_url, parse_link_target
from sphinx_prolo.quickstart_writing import NotWritten, write_new_files

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from importlib.resources.abc import Traversable

#: A language code as Sphinx takes it: "en", "fr", "pt_BR", "zh-Hant".
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")
_MAX_NAME = 120
#: A marker of a template: ``@@KEY@@``.
_MARKER = re.compile(r"@@([A-Z_]+)@@")
#: The Terms page the template ``terms.md`` becomes by default.
_TERMS_TEMPLATE = "terms.md"
#: Document names a Terms page written here may not take: the site's other pages, Sphinx's own
#: pages, and README (excluded from the site).  Compared without regard to case.
_TAKEN_DOCNAMES = {"index", "about", "genindex", "search", "py-modindex", "readme"}


class Refused(ValueError):
    """An option value the quickstart does not write into a site."""


def check_name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > _MAX_NAME or not name.isprintable():
        raise Refused(
            f"--name {value!r} is not accepted; it accepts a name on one line of printable "
            f"characters, at most {_MAX_NAME} of them"
        )
    return name


def check_language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise Refused(
            f"--language {value!r} is not accepted; it accepts a language code such as "
            "'en', 'fr' or 'pt_BR'"
        )
    return value


def check_terms_url(value: str) -> LinkTarget:
    try:
        target = parse_link_target(value, "--terms-url", (".md", ".rst"))
    except ConfigError as exc:
        raise Refused(str(exc)) from None
    # Written into Markdown (terms_link): a URL on one line, a docname without markup characters.
    if not target.target.isprintable() or (
        target.kind == "doc" and not re.fullmatch(r"[\w./-]+", target.target)
    ):
        raise Refused(f"--terms-url {value!r} is not accepted; use a page name or an http(s) URL")
    if target.kind == "doc":
        parts = target.target.split("/")
        if (
            target.target.casefold() in _TAKEN_DOCNAMES
            or parts[0].casefold() == "articles"
            or any(part.startswith(("_", ".")) for part in parts)
        ):
            raise Refused(
                f"--terms-url {value!r} is not accepted: the Terms page would take the place of "
                "another page, be an article or be left out of the site; name a page of its own "
                "(such as 'terms' or 'policies/terms') or give an http(s) URL"
            )
    return target


def check_feedback_url(value: str) -> str:
    if not value:
        return ""
    try:
        return parse_feedback_url(value, "--feedback-url")
    except ConfigError as exc:
        raise Refused(str(exc)) from None


def check_base_url(value: str) -> str:
    if not value:
        return ""
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or not value.isprintable()
        or any(char in value for char in " \"'<>\\`")
        or parts.query
        or parts.fragment
    ):
        raise Refused(
            f"--base-url {value!r} is not accepted; it accepts the http(s) address the site "
            "will be published at, such as 'https://learning-centre.example/'"
        )
    return value if value.endswith("/") else value + "/"


def markdown_text(text: str) -> str:
    """*text* as literal Markdown text: every ASCII punctuation character backslash-escaped."""
    return "".join("\\" + char if char in string.punctuation else char for char in text)


def terms_link(terms: LinkTarget, text: str = "terms of use") -> str:
    """A MyST link to the Terms, reading *text*, from any page of the site.

    A document is an absolute ``doc`` reference (checked by Sphinx, right from every folder); a
    URL is a Markdown link whose destination is written between angle brackets, where only a line
    break (never in a checked URL), ``<``, ``>`` and ``\\`` could end it or change it: those three
    are escaped, and the rest stays readable for whoever edits the page.
    """
    if terms.kind == "doc":
        return f"{{doc}}`{text} </{terms.target}>`"
    destination = re.sub(r"([\\<>])", r"\\\1", terms.target)
    return f"[{text}](<{destination}>)"


def fill(template: str, values: Mapping[str, str]) -> str:
    """*template* with each ``@@KEY@@`` marker replaced by ``values[KEY]``, in one pass: the
    values are never searched for markers, so a marker inside a value stays text."""
    return _MARKER.sub(lambda marker: values[marker.group(1)], template)


def _templates() -> Traversable:
    return resources.files("sphinx_prolo").joinpath("quickstart_files")


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name == "__pycache__":
            continue
        name = entry.name.removeprefix("dot-")
        name = ("." + name) if entry.name.startswith("dot-") else name
        if entry.is_dir():
            found.extend(_walk(entry, f"{prefix}{name}/"))
        else:
            found.append((prefix + name, entry))
    return found


@dataclass(frozen=True)
class SiteSettings:
    """What the options make of the templates."""

    #: The text of each ``@@KEY@@`` marker, already written for the file it goes into.
    markers: dict[str, str]
    #: Where the Terms page is written (``terms.md``), or None when the Terms are elsewhere.
    terms_page: str | None


def site_files(settings: SiteSettings) -> dict[str, str]:
    """The site's files, path relative to the site folder and text, markers filled in."""
    files = {}
    for name, template in _walk(_templates()):
        text = template.read_text(encoding="utf-8")
        if name.endswith(".in"):
            name = name.removesuffix(".in")
            text = fill(text, settings.markers)
        if name == _TERMS_TEMPLATE:
            if settings.terms_page is None:
                continue
            name = settings.terms_page
        files[name] = text
    return files


def site_settings(args: argparse.Namespace) -> SiteSettings:
    """The checked option values as the templates take them; :class:`Refused` names a bad one."""
    name = check_name(args.name)
    language = check_language(args.language)
    terms = check_terms_url(args.terms_url)
    feedback = check_feedback_url(args.feedback_url)
    base_url = check_base_url(args.base_url)
    today = dt.date.today().isoformat()
    # Python values are written with repr(): a literal whatever the text.
    optional = []
    if base_url:
        optional.append(f"html_baseurl = {base_url!r}")
    if feedback:
        optional.append(f"prolo_feedback_url = {feedback!r}")
    markers = {
        "PROJECT": repr(name),
        "NAME_MD": markdown_text(name),
        "LANGUAGE": repr(language),
        "TERMS": repr(terms.target),
        "TERMS_LINK_MD": terms_link(terms),
        "TERMS_TOCTREE": terms.target if terms.kind == "doc" else "",
        "YEAR": repr(today[:4]),
        "OPTIONAL": "\n".join(optional),
        "TODAY": today,  # an ISO date: safe as it is in YAML
        "VERSION": __version__,
    }
    return SiteSettings(markers, f"{terms.target}.md" if terms.kind == "doc" else None)


def settings_of(argv: Sequence[str]) -> SiteSettings:
    """The settings a command line gives, as :func:`main` would take them."""
    return site_settings(parser().parse_args(argv))


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="sphinx-prolo-quickstart",
        description="Start a clinic's Learning Centre in DIR: a Sphinx site with sphinx-prolo, "
        "one example article, a Makefile (make html, make livehtml, make linkcheck), Read the "
        "Docs and CI settings. Existing files are never overwritten, and a run that cannot "
        "write every file leaves none.",
    )
    command.add_argument("directory", metavar="DIR", help="the folder to write the site into")
    command.add_argument("--name", default="Learning Centre", help="the site's name")
    command.add_argument("--language", default="en", help="the site's language code (default: en)")
    command.add_argument(
        "--terms-url",
        default="terms",
        help="the Terms every page links to: a page name, where the Terms page is written "
        "(default: terms), or the http(s) address of Terms published elsewhere (then no Terms "
        "page is written)",
    )
    command.add_argument(
        "--base-url", default="", help="the http(s) address the site will be published at"
    )
    command.add_argument(
        "--feedback-url",
        default="",
        help="a mailto: or http(s) address for the 'Was this page helpful?' line on articles",
    )
    return command


def main(argv: Sequence[str] | None = None) -> int:
    command = parser()
    args = command.parse_args(argv)
    try:
        files = site_files(site_settings(args))
    except Refused as exc:
        command.error(str(exc))
    directory = Path(args.directory)
    try:
        written = write_new_files(directory, files)
    except NotWritten as exc:
        print(f"sphinx-prolo-quickstart: nothing was written: {exc}", file=sys.stderr)
        return 1
    here = directory.resolve() == Path.cwd().resolve()
    print(f"Wrote {len(written)} files into {'this folder' if here else directory}. Next:")
    if not here:
        print(f"  cd {shlex.quote(str(directory))}")
    print("  make html        # builds the site strictly into _build/html")
    print("  make livehtml    # the live preview, at http://127.0.0.1:8000")
    print("  make linkcheck   # checks every link")
    return 0


if __name__ == "__main__":
    sys.exit(main())
