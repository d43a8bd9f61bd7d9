"""Reading level: each article's own prose, its school grade, and its hardest sentences.

Patient information should be written at a level most adults can follow (health-literacy guidance
puts it around school grade 6 to 8). When an article is read, its own prose is collected (its
paragraphs, without code, the notices' standard text, link lists, tables, headings or front
matter), split into sentences with their source lines, and graded with the Flesch-Kincaid
formula: 0.39 x words per sentence + 11.8 x syllables per word - 15.59. Syllables are counted
with pyphen's English hyphenation dictionary (shipped in the package: nothing is downloaded while
a site builds), as the hyphenation points of a word plus one; each word is counted once per
process. (textstat, the usual library for this, either loads the whole CMU pronouncing
dictionary, about 1.6 s of CPU in every build process, or in its newer releases downloads it
through NLTK at build time; pyphen loads in well under 0.1 s.)

Above ``prolo_reading_grade_target`` (or the article's ``reading-grade-target``) an article gets a
``prolo.readability`` warning naming its grade, the target and its three hardest sentences with
their lines. The grade is kept with the article for the content report. The formula is made for
English: pages in other languages are not graded, and one information line per build says so.
Without pyphen (``pip install sphinx-prolo[readability]``) the check is skipped the same way.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from sphinx_prolo.builds.kept_warnings import warn_and_keep
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_prolo.articles.domain import Article

logger = logging.getLogger(__name__)

#: Containers whose text is not the writer's prose: the extension's own blocks and the notices.
SKIPPED_CLASSES = {"prolo-related", "prolo-review", "prolo-sources", "prolo-feedback"}
#: Elements that hold no running prose.
SKIPPED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.literal_block,
    nodes.doctest_block,
    nodes.comment,
    nodes.raw,
    nodes.table,
    nodes.title,
    nodes.docinfo,
    nodes.meta,
    nodes.math_block,
    nodes.system_message,
)
# A sentence ends at . ! or ? (and any closing quotes or brackets) before a space and a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)\]]*\s+(?=[\"\u201c\u2018(\[]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*")
#: Excerpts of hard sentences in a warning are cut to this many characters.
EXCERPT = 60


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article's prose, where it starts, and what it counts."""

    text: str
    line: int | None
    words: int
    syllables: int

    @property
    def grade(self) -> float:
        return flesch_kincaid(self.words, 1, self.syllables)


def flesch_kincaid(words: int, sentences: int, syllables: int) -> float:
    """The Flesch-Kincaid grade of a text with these counts."""
    if not words or not sentences:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


@functools.cache
def syllable_counter() -> Callable[[str], int] | None:
    """The syllables of an English word (hyphenation points plus one), or None without pyphen."""
    try:
        import pyphen  # type: ignore[import-untyped]
    except ImportError:
        return None
    dictionary = pyphen.Pyphen(lang="en_US")

    @functools.cache
    def count(word: str) -> int:
        return len(dictionary.positions(word)) + 1

    return count


def prose_paragraphs(doctree: nodes.Node) -> Iterator[nodes.paragraph]:
    """The paragraphs of the writer's own prose, in document order."""

    def walk(node: nodes.Node) -> Iterator[nodes.paragraph]:
        if isinstance(node, SKIPPED_NODES):
            return
        if isinstance(node, nodes.Element):
            if node.get("prolo_notice") or SKIPPED_CLASSES & set(node.get("classes", [])):
                return
            if isinstance(node, nodes.bullet_list | nodes.enumerated_list) and _is_link_list(node):
                return
        if isinstance(node, nodes.paragraph):
            yield node
            return
        for child in node.children:
            yield from walk(child)

    yield from walk(doctree)


def _is_link_list(node: nodes.Element) -> bool:
    """A list whose items are mostly links: a list of pages, not sentences."""
    items = [item for item in node.children if isinstance(item, nodes.list_item)]
    if not items:
        return False
    for item in items:
        text = item.astext().strip()
        linked = sum(len(ref.astext()) for ref in item.findall(nodes.reference))
        linked += sum(
            len(ref.astext())
            for ref in item.findall(nodes.Element)
            if ref.get("refdomain") == "prolo"
        )
        if not text or linked < len(text) / 2:
            return False
    return True


#: What a therapy reference counts as: it shows the name of a treatment, with its own article to
#: explain it, so it counts as one short word.
REFERENCE_WORD = "it"


def paragraph_text(paragraph: nodes.paragraph) -> str:
    """The paragraph's text, each therapy reference as one word."""
    parts: list[str] = []

    def walk(node: nodes.Node) -> None:
        if isinstance(node, nodes.Element) and node.get("refdomain") == "prolo":
            parts.append(REFERENCE_WORD)
        elif isinstance(node, nodes.Text):
            parts.append(node.astext())
        else:
            for child in node.children:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def sentences_of(doctree: nodes.Node, count: Callable[[str], int]) -> list[Sentence]:
    """The sentences of the prose, each with the line it starts on."""
    found: list[Sentence] = []
    for paragraph in prose_paragraphs(doctree):
        text = paragraph_text(paragraph)
        start = 0
        for piece in [*_SENTENCE_END.split(text)]:
            offset = text.find(piece, start)
            start = offset + len(piece) if offset >= 0 else start
            words = _WORD.findall(piece)
            if not words:
                continue
            line = paragraph.line
            if line is not None and offset > 0:
                line += text.count("\n", 0, offset)
            found.append(
                Sentence(
                    " ".join(piece.split()),
                    line,
                    len(words),
                    sum(count(word.lower()) for word in words),
                )
            )
    return found


def _one(word: str) -> int:
    return 1


def grade_of(sentences: list[Sentence]) -> float:
    words = sum(sentence.words for sentence in sentences)
    syllables = sum(sentence.syllables for sentence in sentences)
    return flesch_kincaid(words, len(sentences), syllables)


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _not_checked_because(config: object) -> str | None:
    """Why this build grades no article, or None when it does."""
    language = (getattr(config, "language", None) or "en").lower()
    if syllable_counter() is None:
        return __("pyphen is not installed (pip install sphinx-prolo[readability])")
    if not language.startswith("en"):
        return __("the formula is made for English, and this site's language is %r") % language
    return None


def check_reading_level(
    env: BuildEnvironment, docname: str, doctree: nodes.document, article: Article
) -> None:
    """Count the article's words; grade its prose; warn when it is above its target."""
    config = env.config
    target = article["reading_grade_target"] or float(config.prolo_reading_grade_target)
    # No syllable counter means not graded (_not_checked_because says so too); words still count.
    count = syllable_counter() if target and _not_checked_because(config) is None else None
    sentences = sentences_of(doctree, count or _one)
    article["words"] = sum(sentence.words for sentence in sentences)
    if count is None or not sentences:
        return
    grade = round(grade_of(sentences), 1)
    article["reading_grade"] = grade
    if grade <= target:
        return
    hardest = sorted(sentences, key=lambda sentence: -sentence.grade)[:3]
    described = "; ".join(
        __("line %s (grade %.1f): %s") % (s.line or "?", s.grade, _excerpt(s.text))
        for s in hardest
    )
    warn_and_keep(
        env,
        docname,
        hardest[0].line,  # where the writer starts
        "readability",
        __("reading grade %.1f is above the target of %s; the hardest sentences: %s"),
        grade,
        f"{target:g}",
        described,
    )


def say_when_not_checked(app: Sphinx) -> None:
    """One information line per build when its articles cannot be graded."""
    if not app.config.prolo_reading_grade_target:
        return
    reason = _not_checked_because(app.config)
    if reason is not None:
        logger.info(__("sphinx-prolo: reading level not checked: %s"), reason)


def setup_readability(app: Sphinx) -> None:
    """Say when the reading level is not checked (articles.py grades each article)."""
    app.connect("builder-inited", say_when_not_checked)
