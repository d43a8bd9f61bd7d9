"""Graded evidence: how good the evidence is for each use of a treatment, tied to its sources.

An article's ``evidence`` front matter lists its uses ("long-term tennis elbow pain"), each with a
level from a fixed plain-language scale (:data:`EVIDENCE_LEVELS`) and the numbers of the sources
it rests on. The article ends with "How good is the evidence?" (``div.prolo-evidence``, each entry
classed ``prolo-evidence-<level>`` and linking its sources in the Sources list). A use without a
source, an unknown level or a source number the list does not have is a ``prolo.evidence``
warning at the key's line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_prolo.articles.front_matter import SLUG, MetadataReader
from sphinx_prolo.articles.page_blocks import titled_block
from sphinx_prolo.translations import _, __

if TYPE_CHECKING:
    from sphinx_prolo.articles.domain import Article

#: How good the evidence for a use is, from the best to the worst, as ``evidence`` entries say it.
EVIDENCE_LEVELS = ("good", "some", "little", "insufficient", "against")


def level_label(level: str) -> str:
    """A level in plain words, in the document's language."""
    labels = {
        "good": _("Good evidence it helps"),
        "some": _("Some evidence it helps"),
        "little": _("Little evidence it helps"),
        "insufficient": _("Not enough evidence to say"),
        "against": _("Evidence it does not help"),
    }
    return labels.get(level, level)


def source_id(number: int) -> str:
    """The id of source *number* in the page's Sources list."""
    return f"prolo-source-{number}"


def read_evidence(reader: MetadataReader, key: str) -> list[dict[str, Any]]:
    """Graded uses: each ``use`` (text), ``level`` (a word of EVIDENCE_LEVELS), ``sources``
    (numbers in the ``sources`` list) and an optional ``condition`` slug. Whether the numbers
    exist is checked once the sources are read (:func:`check_evidence`)."""
    if reader.is_null(key):
        return []
    decoded = reader.decoded(reader.raw.get(key, ""))
    if not decoded:
        return []
    if not isinstance(decoded, list):
        reader.warn(key, __("%s should be a list of graded uses; it is ignored"), key)
        return []
    entries: list[dict[str, Any]] = []
    for item in decoded:
        entry = _entry(reader, key, item)
        if entry is None:
            continue
        if any(
            (seen["use"], seen["condition"]) == (entry["use"], entry["condition"])
            for seen in entries
        ):
            # Shown twice, maybe with two levels: the reader could not tell which one holds.
            reader.warn(
                key,
                __("%s: %r is listed twice for the same condition; the second entry is left out"),
                key,
                entry["use"],
                subtype="evidence",
            )
            continue
        entries.append(entry)
    return entries


def _entry(reader: MetadataReader, key: str, item: Any) -> dict[str, Any] | None:
    use = item.get("use") if isinstance(item, dict) else None
    if not isinstance(use, str) or not use.strip():
        reader.warn(
            key,
            __("%s: %r has no use (what the treatment is used for); it is ignored"),
            key,
            item,
            subtype="evidence",
        )
        return None
    use = " ".join(use.split())
    unknown = sorted(set(item) - {"use", "level", "sources", "condition"})
    if unknown:
        reader.warn(
            key,
            __(
                "%s: %r has unknown keys %s; they are ignored (it takes use, level, sources, "
                "condition)"
            ),
            key,
            use,
            ", ".join(unknown),
            subtype="evidence",
        )
    level = str(item.get("level", "")).strip()
    if level not in EVIDENCE_LEVELS:
        reader.warn(
            key,
            __("%s: the level of %r is %r, not one of %s; the entry is ignored"),
            key,
            use,
            level,
            ", ".join(EVIDENCE_LEVELS),
            subtype="evidence",
        )
        return None
    numbers = item.get("sources", [])
    numbers = numbers if isinstance(numbers, list) else [numbers]
    cited = []
    for number in numbers:
        if isinstance(number, bool) or not isinstance(number, int):
            reader.warn(
                key,
                __("%s: %r cites %r, which is not a source number; it is left out"),
                key,
                use,
                number,
                subtype="evidence",
            )
        elif number not in cited:
            cited.append(number)
    condition = item.get("condition", "")
    if (
        condition is None
        or not isinstance(condition, str)
        or (condition and not SLUG.match(condition))
    ):
        reader.warn(
            key,
            __("%s: the condition of %r, %r, is not a slug; it is left out"),
            key,
            use,
            condition,
            subtype="evidence",
        )
        condition = ""
    return {"use": use, "level": level, "sources": cited, "condition": condition}


def check_evidence(
    reader: MetadataReader, entries: list[dict[str, Any]], sources: int, used_for: list[str]
) -> None:
    """Each use rests on sources the article lists: a use without one, or a number past the
    list, is reported (the entry is kept, with the numbers that exist); a use tied to a
    condition names one of the article's ``used-for``, and only on a treatment article (a
    condition page lists the treatments for it: its own entries name no condition)."""
    from sphinx_prolo.articles.metadata import is_condition  # metadata imports this module

    condition_page = is_condition(reader.env.config, reader.docname)
    for entry in entries:
        if entry["condition"] and condition_page:
            reader.warn(
                "evidence",
                __(
                    "evidence: %r names the condition %r, but this page is a condition page; "
                    "the condition is left out (a treatment's evidence names the conditions it "
                    "is for)"
                ),
                entry["use"],
                entry["condition"],
                subtype="evidence",
            )
            entry["condition"] = ""
        elif entry["condition"] and entry["condition"] not in used_for:
            reader.warn(
                "evidence",
                __(
                    "evidence: %r is about the condition %r, which used-for does not list; add "
                    "it there"
                ),
                entry["use"],
                entry["condition"],
                subtype="evidence",
            )
        missing = [number for number in entry["sources"] if not 1 <= number <= sources]
        if missing:
            reader.warn(
                "evidence",
                __("evidence: %r cites source %s, but the article lists %d sources"),
                entry["use"],
                ", ".join(map(str, missing)),
                sources,
                subtype="evidence",
            )
            entry["sources"] = [number for number in entry["sources"] if number not in missing]
        if not entry["sources"]:
            reader.warn(
                "evidence",
                __(
                    "evidence: %r cites no source; give the numbers of the sources it rests on "
                    "(sources: [1, 2])"
                ),
                entry["use"],
                subtype="evidence",
            )


def evidence_block(article: Article) -> nodes.container | None:
    """ "How good is the evidence?": each use with its level in words and links to its sources."""
    if not article["evidence"]:
        return None
    block = titled_block("prolo-evidence", _("How good is the evidence?"))
    items = nodes.bullet_list()
    for entry in article["evidence"]:
        paragraph = nodes.paragraph()
        paragraph += nodes.strong(entry["use"], entry["use"])
        label = level_label(entry["level"])
        # French puts a no-break space before the colon: the separator is translated.
        paragraph += nodes.Text(_(": "))
        paragraph += nodes.inline(label, label, classes=["prolo-evidence-level"])
        if entry["sources"]:
            word = _("source") if len(entry["sources"]) == 1 else _("sources")
            paragraph += nodes.Text(f" ({word} ")
            for index, number in enumerate(entry["sources"]):
                if index:
                    paragraph += nodes.Text(", ")
                paragraph += nodes.reference(
                    str(number), str(number), refid=source_id(number), internal=True
                )
            paragraph += nodes.Text(")")
        items += nodes.list_item("", paragraph, classes=[f"prolo-evidence-{entry['level']}"])
    block += items
    return block
