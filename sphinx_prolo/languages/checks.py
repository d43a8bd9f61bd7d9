"""A translation that loses a ``therapy`` reference: the original text shown, the catalog named.

Sphinx translates a page's messages from its catalog (priority 20).  When a translated message
drops or changes a ``therapy`` reference, Sphinx warns at the page's line
(``i18n.inconsistent_references``) and shows the translation without the link.  Here the
paragraph keeps its original text, with its working links, and a ``prolo.i18n`` warning names the
catalog file and the line of the message in it, where the translator has to fix it.  Sphinx's own
warning is kept.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from babel.messages.pofile import read_po
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_prolo.languages.front_matter_words import page_catalog, translates_pages
from sphinx_prolo.notices.sources import FileLocation
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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
                location=self._catalog_location(element),
                type="prolo",
                subtype="i18n",
            )

    def _catalog_location(self, element: nodes.Element) -> Any:
        """The catalog's file and the line of the message's msgid, or the page's line."""
        catalog = page_catalog(self.env, self.env.docname)
        if catalog is None or not catalog.files:
            return element
        path = catalog.files[0]
        wanted = " ".join(element.rawsource.split())
        with path.open("rb") as file:
            messages = read_po(file)
        for message in messages:
            if isinstance(message.id, str) and " ".join(message.id.split()) == wanted:
                return FileLocation(f"{path}:{message.lineno}")
        return FileLocation(str(path))


def setup_translation_checks(app: Sphinx) -> None:
    """Keep therapy references that a translation lost."""
    app.add_transform(RememberTherapyReferences)
    app.add_transform(KeepTherapyReferences)
