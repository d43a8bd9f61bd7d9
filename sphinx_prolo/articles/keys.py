"""Every front-matter key of an article, declared once.

Each :class:`FrontMatterKey` says how its value is read (:class:`MetadataReader`'s method for its
kind), the :class:`~sphinx_prolo.articles.domain.Article` field it fills, whether translators
translate it, its schema.org name in the page's JSON-LD, its column in the content report and its
entry in the reference. The reader, the translation of front-matter words, the JSON-LD, the
report, the handbook's key table and the tests' generated pages are all driven from
:data:`FRONT_MATTER`, so a new optional key is one declaration here plus its rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypedDict

if TYPE_CHECKING:
    from collections.abc import Callable

#: How a value is written and read: the :class:`MetadataReader` method of that name.
Kind = Literal[
    "text", "slugs", "phrases", "people", "sources", "number", "date", "old_names", "evidence"
]


class FrontMatterValues(TypedDict):
    """An article's front-matter values as stored in the environment: one field per key of
    :data:`FRONT_MATTER` (plain data; dates as ISO text or "")."""

    slug: str
    aliases: list[str]
    #: what a therapy reference shows in running text ("PRP injections"), or "" for the title
    short_title: str
    summary: str
    category: str
    #: the slugs of the ``related`` list
    related: list[str]
    reviewed: str
    next_review: str
    #: old document names (``redirect-from``) whose addresses lead here, checked, in order
    redirect_from: list[str]
    #: readers' words for the article ("cortisone shot"), which the site's search finds
    keywords: list[str]
    #: who wrote it and who reviewed it, names with credentials ("Sam Lee, PT")
    authors: list[str]
    reviewers: list[str]
    #: what it rests on: {"text": citation, "url": an http(s) or https://doi.org/ link, or ""}
    sources: list[dict[str, str]]
    #: the article's own reading-grade target, or None for the site's
    reading_grade_target: float | None
    #: the slugs of the condition pages a treatment is used for
    used_for: list[str]
    #: graded uses: {"use": text, "level": a word of EVIDENCE_LEVELS, "sources": [numbers],
    #: "condition": a condition's slug or ""}
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class FrontMatterKey:
    """One front-matter key: how it is read and where its value goes."""

    #: the key as writers write it
    name: str
    #: the :class:`Article` field it fills
    field: str
    kind: Kind
    #: what it means, for the reference (Markdown)
    meaning: str
    #: whether its words are translated through the page's catalog
    translated: bool = False
    #: its schema.org property in the article's JSON-LD, if it has one
    json_ld: str = ""
    #: its column heading in the content report (English; translated when shown), if any
    report: str = ""
    #: a valid value, as written in YAML front matter (the tests' generated pages use it)
    example: str = ""


FRONT_MATTER: tuple[FrontMatterKey, ...] = (
    FrontMatterKey(
        "slug",
        "slug",
        "text",
        "the article's id for `therapy` references; default: the file's stem",
        report="Slug",
        example="knee-care",
    ),
    FrontMatterKey(
        "aliases",
        "aliases",
        "slugs",
        "other slugs that reach the article",
        example="[knee-help]",
    ),
    FrontMatterKey(
        "short-title",
        "short_title",
        "text",
        "what a `therapy` reference shows in running text; lists keep the full title",
        translated=True,
        example="knee care",
    ),
    FrontMatterKey(
        "summary",
        "summary",
        "text",
        "one sentence: under the title, on catalog cards, in link tooltips and the meta "
        "description",
        translated=True,
        json_ld="description",
        example="A plain guide to knee care.",
    ),
    FrontMatterKey(
        "category",
        "category",
        "text",
        "the catalog group, such as Injection therapies",
        translated=True,
        report="Category",
        example="Injection therapies",
    ),
    FrontMatterKey(
        "related",
        "related",
        "slugs",
        "slugs of articles to list as related",
        example="[prp-injections]",
    ),
    FrontMatterKey(
        "reviewed",
        "reviewed",
        "date",
        "ISO date of the last clinical review",
        json_ld="lastReviewed",
        report="Reviewed",
        example="2026-01-15",
    ),
    FrontMatterKey(
        "next-review",
        "next_review",
        "date",
        "ISO date of the next review; default: `reviewed` plus the review interval",
        report="Next review",
        example="2027-01-15",
    ),
    FrontMatterKey(
        "redirect-from",
        "redirect_from",
        "old_names",
        "old document names of a moved article; each gets a redirect page",
        example="[old/knee-care]",
    ),
    FrontMatterKey(
        "keywords",
        "keywords",
        "phrases",
        "readers' words and synonyms that the site's search finds",
        translated=True,
        example='["cortisone shot"]',
    ),
    FrontMatterKey(
        "author",
        "authors",
        "people",
        "who wrote it: a name with credentials, or a list",
        translated=True,
        json_ld="author",
        example="Sam Lee, PT",
    ),
    FrontMatterKey(
        "reviewed-by",
        "reviewers",
        "people",
        "who reviewed it clinically: a name with credentials, or a list",
        translated=True,
        json_ld="reviewedBy",
        report="Reviewed by",
        example="Ana Ruiz, MD",
    ),
    FrontMatterKey(
        "sources",
        "sources",
        "sources",
        "references: citation text with an optional `url` or `doi`; a Sources section",
        json_ld="citation",
        report="Sources",
        example='["A book."]',
    ),
    FrontMatterKey(
        "used-for",
        "used_for",
        "slugs",
        'slugs of the condition pages a treatment is used for: a "Used for" line here, and '
        "this treatment in each condition's list",
        example="[tennis-elbow]",
    ),
    FrontMatterKey(
        "evidence",
        "evidence",
        "evidence",
        "graded uses: each a `use`, a `level` (good, some, little, insufficient, against) and "
        'the numbers of the `sources` it rests on; a "How good is the evidence?" section',
        translated=True,
        report="Evidence",
        example='[{use: "knee pain", level: some, sources: [1]}]',
    ),
    FrontMatterKey(
        "reading-grade-target",
        "reading_grade_target",
        "number",
        "this article's own reading-grade target",
        example="10",
    ),
)

#: The keys by name, in declaration order.
KEYS_BY_NAME = {key.name: key for key in FRONT_MATTER}
#: Every key's name, in declaration order (the order writers usually list them).
KEYS = tuple(KEYS_BY_NAME)


def translated_texts(kind: Kind, value: Any) -> list[str]:
    """The words of a translated key's *value* that translators translate, one message each."""
    if kind == "evidence":
        return [entry["use"] for entry in value]
    return [text for text in (value if isinstance(value, list) else [value]) if text]


def translate_value(kind: Kind, value: Any, translated: Callable[[str], str]) -> Any:
    """*value* with its words (:func:`translated_texts`) passed through *translated*."""
    if kind == "evidence":
        return [entry | {"use": translated(entry["use"])} for entry in value]
    if isinstance(value, list):
        return [translated(text) for text in value]
    return translated(value)


def empty_value(kind: Kind) -> Any:
    """What a key of *kind* holds when the writer did not give it."""
    if kind in {"slugs", "phrases", "people", "sources", "old_names", "evidence"}:
        return []
    if kind in {"number", "date"}:
        return None
    return ""


def json_ld_value(kind: Kind, value: Any) -> Any:
    """*value* as its schema.org property holds it, or None when there is nothing to say."""
    if not value:
        return None
    if kind == "people":
        return [{"@type": "Person", "name": name} for name in value]
    if kind == "sources":
        return [
            {
                "@type": "CreativeWork",
                "name": source["text"],
                **_url(source["url"]),
                **({"sameAs": source["doi"]} if source.get("doi") else {}),
            }
            for source in value
        ]
    return value


def report_value(kind: Kind, value: Any) -> Any:
    """*value* as a row of ``content-report.json`` holds it: sources as their number."""
    if kind in {"sources", "evidence"}:
        return len(value)
    if isinstance(value, list):
        return list(value)
    return value


def _url(url: str) -> dict[str, str]:
    return {"url": url} if url else {}
