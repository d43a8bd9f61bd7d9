"""``sphinx-prolo-quickstart DIR``: a new clinic's Learning Centre, ready to build strictly.

Writes the files in ``quickstart_files/`` (shipped in the wheel) into *DIR*: ``conf.py``, the
landing page with the catalog, About, Terms, both notice sources, one example article, a Makefile,
``requirements.txt``, ``.readthedocs.yaml`` and a CI workflow.  A template's name ending in
``.in`` has ``@@KEY@@`` markers filled in and loses the suffix; a leading ``dot-`` in a name
becomes a dot.  Option values are checked as the configuration checks them (the Terms link and
the feedback address by :mod:`sphinx_prolo.link_targets`); nothing is written when one is refused
or when a file to write already exists.  It never prompts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import string
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sphinx.errors import ConfigError

from sphinx_prolo import __version__
from sphinx_prolo.link_targets import parse_feedback_url, parse_link_target

if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.resources.abc import Traversable

#: A language code as Sphinx takes it: "en", "fr", "pt_BR", "zh-Hant".
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")
_MAX_NAME = 120


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


def check_terms_url(value: str) -> str:
    try:
        target = parse_link_target(value, "--terms-url", (".md", ".rst"))
    except ConfigError as exc:
        raise Refused(str(exc)) from None
    return target.target


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


def site_files(values: dict[str, str]) -> dict[str, str]:
    """The site's files, path relative to the site folder and text, markers filled in."""
    files = {}
    for name, template in _walk(_templates()):
        text = template.read_text(encoding="utf-8")
        if name.endswith(".in"):
            name = name.removesuffix(".in")
            for key, value in values.items():
                text = text.replace(f"@@{key}@@", value)
        files[name] = text
    return files


def _settings(args: argparse.Namespace) -> dict[str, str]:
    name = check_name(args.name)
    language = check_language(args.language)
    terms = check_terms_url(args.terms_url)
    feedback = check_feedback_url(args.feedback_url)
    base_url = check_base_url(args.base_url)
    today = dt.date.today().isoformat()
    optional = []
    if base_url:
        optional.append(f"html_baseurl = {base_url!r}")
    if feedback:
        optional.append(f"prolo_feedback_url = {feedback!r}")
    return {
        "PROJECT": repr(name),
        "NAME_MD": markdown_text(name),
        "LANGUAGE": repr(language),
        "TERMS": repr(terms),
        "YEAR": repr(today[:4]),
        "OPTIONAL": "\n".join(optional),
        "TODAY": today,
        "VERSION": __version__,
    }


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="sphinx-prolo-quickstart",
        description="Start a clinic's Learning Centre in DIR: a Sphinx site with sphinx-prolo, "
        "one example article, a Makefile (make html, make linkcheck), Read the Docs and CI "
        "settings. Existing files are never overwritten.",
    )
    command.add_argument("directory", metavar="DIR", help="the folder to write the site into")
    command.add_argument("--name", default="Learning Centre", help="the site's name")
    command.add_argument("--language", default="en", help="the site's language code (default: en)")
    command.add_argument(
        "--terms-url",
        default="terms",
        help="the Terms page the notices link to: a document name or an http(s) URL "
        "(default: terms, the page written here)",
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


def write_site(directory: Path, files: dict[str, str]) -> list[Path]:
    """Write *files* into *directory*; refuse, writing nothing, when any of them exists."""
    targets = [directory / name for name in files]
    existing = [path for path in targets if path.exists() or path.is_symlink()]
    if existing:
        raise FileExistsError(
            "these files exist already and are left as they are (nothing was written):\n"
            + "\n".join(f"  {path}" for path in existing)
        )
    for path, text in zip(targets, files.values(), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    command = parser()
    args = command.parse_args(argv)
    try:
        files = site_files(_settings(args))
    except Refused as exc:
        command.error(str(exc))
    directory = Path(args.directory)
    try:
        written = write_site(directory, files)
    except (FileExistsError, NotADirectoryError) as exc:
        print(f"sphinx-prolo-quickstart: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"sphinx-prolo-quickstart: cannot write the site: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {len(written)} files into {directory}. Next:")
    print(f"  cd {directory}")
    print("  make html        # builds the site strictly into _build/html")
    print("  make linkcheck   # checks every link")
    return 0


if __name__ == "__main__":
    sys.exit(main())
