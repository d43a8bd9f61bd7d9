"""A translation that loses a ``therapy`` reference: the original text shown, the catalog named.

Sphinx translates a page's messages from its catalog (priority 20).  When a translated message
drops or changes a ``therapy`` reference, Sphinx warns at the page's line
(``i18n.inconsistent_references``) and shows the translation without the link.  Here the
paragraph keeps its original text, with its working links, and a ``prolo.i18n`` warning names the
catalog file and the line of the message in it, where the translator has to fix it.  Sphinx's own
warning is kept.

Other translations a reader would otherwise see go wrong without a word are named the same way:
raw markup a translation brings (shown as text), a translation Sphinx leaves unused because it
does not read as the text of one paragraph (a title translated to a block of HTML), and a damaged
catalog (named at its line on every build).
"""

from __future__ import annotations

import re
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.pofile import read_po
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import parse_noqa
from sphinx.util import logging
from sphinx.util.nodes import IMAGE_TYPE_NODES, LITERAL_TYPE_NODES, extract_messages

from sphinx_prolo.languages.front_matter_words import page_catalog, translates_pages
from sphinx_prolo.notices.sources import FileLocation
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Per document being read: (element, its therapy targets, a copy of its children) before
#: Sphinx translated it.
Remembered = list[tuple[nodes.Element, list[str], list[nodes.Node]]]
_BEFORE: weakref.WeakKeyDictionary[nodes.document, Remembered] = weakref.WeakKeyDictionary()


def _targets(element: nodes.Element) -> list[str]:
    return sorted(
        str(xref.get("reftarget", "")).strip()
        for xref in element.findall(addnodes.pending_xref)
        if xref.get("refdomain") == "prolo"
    )


class RememberTherapyReferences(SphinxTransform):
    """Before Sphinx translates the page: each paragraph's therapy references and text."""

    default_priority = 19

    def apply(self, **kwargs: Any) -> None:
        if not translates_pages(self.config):
            return
        kept: Remembered = []
        for element in self.document.findall(nodes.TextElement):
            targets = _targets(element)
            if targets and not isinstance(element.parent, nodes.TextElement):
                kept.append((element, targets, [child.deepcopy() for child in element.children]))
        if kept:
            _BEFORE[self.document] = kept


def catalog_location(env: BuildEnvironment, element: nodes.Element, msgid: str = "") -> Any:
    """The catalog's file and the line of *element*'s msgid (or of *msgid*), or *element* (the
    page's line)."""
    catalog = page_catalog(env, env.docname)
    if catalog is None or not catalog.files:
        return element
    path = catalog.files[0]
    wanted = " ".join((msgid or element.rawsource).split())
    with path.open("rb") as file:
        messages = read_po(file)
    for message in messages:
        if isinstance(message.id, str) and " ".join(message.id.split()) == wanted:
            return FileLocation(f"{path}:{message.lineno}")
    return FileLocation(str(path))


class KeepTherapyReferences(SphinxTransform):
    """After Sphinx translated the page: a paragraph that lost a reference gets its text back."""

    default_priority = 21

    def apply(self, **kwargs: Any) -> None:
        kept = _BEFORE.pop(self.document, [])
        for element, targets, children in kept:
            if not element.get("translated") or _targets(element) == targets:
                continue
            element.children = []
            element.extend(children)
            logger.warning(
                __(
                    "the translation of this message drops or changes its therapy reference "
                    "(%s); the original text is shown: %s"
                ),
                ", ".join(targets),
                " ".join(element.rawsource.split())[:80],
                location=catalog_location(self.env, element),
                type="prolo",
                subtype="i18n",
            )


class RefuseRawTranslations(SphinxTransform):
    """After Sphinx translated the page: raw markup that a translation brought in ("<script>" in
    a msgstr) is shown as text, and the catalog's line is named. Like a notice source, a catalog
    is text for readers, never markup that reaches the page as it is."""

    default_priority = 22

    def apply(self, **kwargs: Any) -> None:
        if not translates_pages(self.config):
            return
        for raw in list(self.document.findall(nodes.raw)):
            translated = next((node for node in _ancestors(raw) if node.get("translated")), None)
            if translated is None:
                continue
            text = raw.astext()
            raw.replace_self(
                nodes.Text(text)
                if isinstance(raw.parent, nodes.TextElement)
                else nodes.paragraph(text, text)
            )
            logger.warning(
                __("raw markup is not allowed in a translation; it is shown as text: %s"),
                " ".join(text.split())[:80],
                location=catalog_location(self.env, translated),
                type="prolo",
                subtype="i18n",
            )


class NameUnusedTranslations(SphinxTransform):
    """After Sphinx translated the page: a message its catalog translates that Sphinx left in
    the original language, with no word, because the translation does not read as the text
    of one paragraph (a block of raw HTML, a list, a heading) is named at its catalog line."""

    default_priority = 23

    def apply(self, **kwargs: Any) -> None:
        if not translates_pages(self.config):
            return
        catalog = page_catalog(self.env, self.env.docname)
        if catalog is None:
            return
        skipped = (addnodes.translatable, nodes.meta, *LITERAL_TYPE_NODES, *IMAGE_TYPE_NODES)
        for node, msgid in extract_messages(self.document):
            if node.get("translated") or isinstance(node, skipped):
                continue
            msgstr, _noqa = parse_noqa(catalog.translations.gettext(msgid))
            if not msgstr.strip() or msgstr == msgid:
                continue
            logger.warning(
                __(
                    "this translation is not used: a translation is the text of one paragraph "
                    "or title, not a block of raw HTML, a list or a heading; the original text "
                    "is shown: %s"
                ),
                " ".join(msgid.split())[:80],
                location=catalog_location(self.env, node, msgid),
                type="prolo",
                subtype="i18n",
            )


def _ancestors(node: nodes.Node) -> list[nodes.Element]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


#: A catalog line: a keyword and a quoted string, a quoted string going on, a comment or nothing.
_PO_LINE = re.compile(
    r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$'
)
_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?:\s|$)")
#: At most this many problems are named per file: the first ones show where to look.
_MOST_PER_FILE = 5


def catalog_problems(path: Path) -> list[tuple[int, str]]:
    """(line, problem) for each line of the ``.po`` file at *path* that no catalog has."""
    try:
        # A byte-order mark is read past, as gettext does; only a new line ends a line: a
        # message may hold a line separator (U+2028) or a next-line character (U+0085).
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError) as error:
        return [(0, __("it cannot be read (%s)") % error)]
    problems = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _CONFLICT.match(stripped):
            problems.append((number, __("a merge-conflict marker; keep one side and remove it")))
        elif not _PO_LINE.match(stripped):
            problems.append(
                (
                    number,
                    __("not a line of a catalog (a missing closing quote?): %s") % stripped[:60],
                )
            )
        if len(problems) == _MOST_PER_FILE:
            break
    return problems


def check_catalog_files(app: Sphinx) -> None:
    """Damaged catalogs of the build's language, named with their file and line, every build.

    Babel reads a damaged ``.po`` without complaint (a missing closing quote glues two lines
    together), so the page would show wrong text with no word of why.
    """
    config = app.config
    if not translates_pages(config):
        return
    for directory in config.locale_dirs:
        folder = Path(app.srcdir, directory, str(config.language), "LC_MESSAGES")
        for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
            for line, problem in catalog_problems(path):
                logger.warning(
                    __("damaged catalog: %s"),
                    problem,
                    location=FileLocation(f"{path}:{line}" if line else str(path)),
                    type="prolo",
                    subtype="i18n",
                )


def setup_translation_checks(app: Sphinx) -> None:
    """Keep therapy references that a translation lost; show raw markup it brought as text;
    name translations Sphinx could not use and damaged catalogs."""
    app.add_transform(RememberTherapyReferences)
    app.add_transform(KeepTherapyReferences)
    app.add_transform(RefuseRawTranslations)
    app.add_transform(NameUnusedTranslations)
    app.connect("builder-inited", check_catalog_files)
