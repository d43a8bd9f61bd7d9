"""The ``prolo`` domain: every piece of cross-document data sphinx-prolo keeps between builds.

Data is plain (strings, lists, tuples, dicts) and keyed by docname, so the environment pickles
cleanly and parallel reads merge exactly the documents each process read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.domains import Domain
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Set

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: A problem found in a notice source file: the message and its "path:line" (or None).
Problem = tuple[str, str | None]


class ProloDomain(Domain):
    """Cross-document data of sphinx-prolo."""

    name = "prolo"
    label = "sphinx-prolo"
    initial_data = {  # noqa: RUF012 (a class attribute in Sphinx's Domain)
        # docname -> the notice kinds ("disclaimer", "please-note") the document shows
        "notice_uses": {},
        # notice kind -> problems found the last time its source file was read
        "notice_problems": {},
    }

    @property
    def notice_uses(self) -> dict[str, list[str]]:
        uses: dict[str, list[str]] = self.data.setdefault("notice_uses", {})
        return uses

    @property
    def notice_problems(self) -> dict[str, list[Problem]]:
        problems: dict[str, list[Problem]] = self.data.setdefault("notice_problems", {})
        return problems

    def note_notice(self, docname: str, kind: str) -> None:
        """Record that *docname* shows the notice *kind*."""
        kinds = self.notice_uses.setdefault(docname, [])
        if kind not in kinds:
            kinds.append(kind)

    def kinds_in_use(self) -> set[str]:
        """Every notice kind shown by at least one document."""
        return {kind for kinds in self.notice_uses.values() for kind in kinds}

    def clear_doc(self, docname: str) -> None:
        self.notice_uses.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["notice_uses"]:
                self.notice_uses[docname] = list(otherdata["notice_uses"][docname])
        # Problems are per source file, not per document: whichever process read the file last
        # has the current list (every process reads the same file version).
        self.notice_problems.update(otherdata["notice_problems"])

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        self.notice_uses.setdefault(docname, [])


def prolo_domain(env: BuildEnvironment) -> ProloDomain:
    """The ``prolo`` domain of *env*, typed."""
    domain = env.get_domain("prolo")
    assert isinstance(domain, ProloDomain)
    return domain


def setup_domain(app: Sphinx) -> None:
    """Register the ``prolo`` domain."""
    app.add_domain(ProloDomain)
