"""The titled blocks that close an article: Sources, evidence, related articles, treatments.

Each is a container with its title as a rubric of heading level 2: a heading for assistive
technology and for the reader scanning the page, but no entry in the page's own contents.
"""

from __future__ import annotations

from docutils import nodes


def titled_block(class_name: str, title: str) -> nodes.container:
    """A block that closes an article ("Sources", "Related articles"), with its title as a
    level-2 heading for assistive technology (a rubric: no entry in the page's contents)."""
    block = nodes.container(classes=[class_name])
    rubric = nodes.rubric(title, title)
    rubric["heading-level"] = 2
    block += rubric
    return block
