"""Generated Learning Centres for the build benchmarks.

:func:`write_learning_centre` writes a Sphinx project of *count* articles under
``learning-centre/`` and a landing page with a glob toctree.  Every article has MyST front matter
(summary, category, a ``related`` list), both notices and three references to other articles, in
one of two markups of the same text:

- ``"prolo"``: sphinx-prolo's ``disclaimer`` and ``please-note`` directives and ``therapy`` role;
- ``"builtin"``: Sphinx's ``admonition`` directive holding the same notice text, and ``doc``
  references.

With ``extras=True`` the articles also show what sphinx-prolo adds to an article: a review date
in the front matter, and at the end a "Related articles" list (the ``related`` key, the
references and the backlinks, with summaries) and the review dates.  The prolo markup leaves
that to the extension; the built-in markup writes the same list of ``doc`` references and the
same dates out by hand, as a site without the extension would.  With ``extras=False`` neither
has them (``prolo_related_section = False``), so only the directives and the role differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

Markup = Literal["prolo", "builtin"]

TODAY = "2026-11-26"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
CATEGORIES = (
    "Injection therapies",
    "Exercise and movement",
    "Manual therapies",
    "Devices and aids",
)
TOPICS = (
    "what it is and how it works",
    "who it may suit",
    "what to expect at an appointment",
    "questions to ask your physiotherapist",
)
DISCLAIMER = (
    "This article is general information for education only. It is not medical advice, and it "
    "does not replace an assessment by a qualified health professional. Talk to your "
    "physiotherapist, your doctor or another qualified professional about your own health "
    "before you start, stop or change any treatment."
)
PLEASE_NOTE = (
    "This article is not a literature review. It is a short, general introduction and does not "
    "weigh all of the published research on the topic. If you would like to know what the "
    "evidence says about a treatment for your situation, ask your physiotherapist."
)

# Whom each article references, as offsets from its own number.
REFERENCE_STEPS = (1, 7, 13)
RELATED_STEPS = (3, 11)


def docname(number: int) -> str:
    return f"article-{number:04d}"


def title(number: int) -> str:
    return f"Treatment {number}: {TOPICS[number % len(TOPICS)]}"


def summary(number: int) -> str:
    return f"Treatment {number} in plain words: what it involves and what to ask about it."


def category(number: int) -> str:
    return CATEGORIES[number % len(CATEGORIES)]


def reviewed(number: int) -> tuple[int, int]:
    """(month, day) of the last review, in 2026."""
    return 1 + number % 9, 10 + number % 9


def references(number: int, count: int) -> list[int]:
    return [(number + step) % count for step in REFERENCE_STEPS]


def related(number: int, count: int) -> list[int]:
    return [(number + step) % count for step in RELATED_STEPS]


def related_list(number: int, count: int) -> list[int]:
    """What the extension lists as related: the related key, the references, then backlinks."""
    backlinks = sorted(
        (other for other in range(count) if number in references(other, count)),
        key=docname,
    )
    found: list[int] = []
    for candidate in [*related(number, count), *references(number, count), *backlinks]:
        if candidate != number and candidate not in found:
            found.append(candidate)
    return found


def conf_py(markup: Markup, load_extension: bool, extras: bool) -> str:
    extensions = ["myst_parser", "sphinx_design"]
    lines = []
    if load_extension:
        extensions.append("sphinx_prolo")
        patterns = '["learning-centre/*"]' if markup == "prolo" else "[]"
        lines.append(f"prolo_article_patterns = {patterns}")
        lines.append(f"prolo_related_section = {extras}")
    return "\n".join(
        [
            f"project = 'Learning Centre ({markup})'",
            f"extensions = {extensions!r}",
            'myst_enable_extensions = ["colon_fence"]',
            'html_theme = "furo"',
            'exclude_patterns = ["_build"]',
            f'today = "{TODAY}"',
            *lines,
            "",
        ]
    )


def front_matter(number: int, count: int, extras: bool) -> str:
    month, day = reviewed(number)
    related_slugs = ", ".join(docname(other) for other in related(number, count))
    return (
        "---\n"
        f'summary: "{summary(number)}"\n'
        f'category: "{category(number)}"\n'
        f"related: [{related_slugs}]\n"
        + (f"reviewed: 2026-{month:02d}-{day:02d}\n" if extras else "")
        + "---\n"
    )


def body(number: int, count: int, markup: Markup) -> str:
    role = "therapy" if markup == "prolo" else "doc"
    first, second, third = (docname(other) for other in references(number, count))
    return f"""
Treatment {number} is one of the options a physiotherapist may talk through with you. This page
explains what it involves and how it is meant to help. It also gives the usual steps, so that you
can bring your own questions.

## How it is meant to help

The idea behind it is to support the body's own repair of a tendon, a ligament or a joint. It is
usually offered with exercise and advice, not on its own. It is not often the first thing to
try. Some people compare it with {{{role}}}`{first}` or {{{role}}}`{second}`.

## What happens during a session

A session starts with questions about your symptoms and a short examination. Your clinician
explains what they suggest and why, and what you may feel afterwards. Several sessions are
common, with a review of how things are going before each one.

## Risks and benefits

Every treatment has possible benefits and risks. They differ from person to person.
Talk them through with your clinician, and ask how this option compares with
{{{role}}}`other injections <{third}>` for your situation.
"""


def prolo_article(number: int, count: int, extras: bool) -> str:
    return (
        front_matter(number, count, extras)
        + f"\n# {title(number)}\n\n:::{{disclaimer}}\n:::\n"
        + body(number, count, "prolo")
        + "\n:::{please-note}\n:::\n"
    )


def _date_text(month: int, day: int, year: int) -> str:
    return f"{day} {MONTHS[month - 1]} {year}"


def builtin_article(number: int, count: int, extras: bool) -> str:
    text = (
        front_matter(number, count, extras)
        + f"\n# {title(number)}\n\n:::{{admonition}} Disclaimer\n{DISCLAIMER}\n:::\n"
        + body(number, count, "builtin")
    )
    if extras:
        month, day = reviewed(number)
        items = "".join(
            f"- {{doc}}`{docname(other)}` — {summary(other)}\n"
            for other in related_list(number, count)
        )
        text += (
            f"\n:::{{rubric}} Related articles\n:::\n\n{items}"
            f"\nPage last reviewed: {_date_text(month, day, 2026)}\n\n"
            f"Next review due: {_date_text(month, day, 2029)}\n"
        )
    return text + f"\n:::{{admonition}} Please note\n{PLEASE_NOTE}\n:::\n"


INDEX = """# Learning Centre

Plain-language articles about the treatments our clinic offers. Choose an article to read what a
treatment involves and what to ask about it.

```{toctree}
:caption: Articles
:glob:

learning-centre/*
```
"""


def write_learning_centre(
    root: Path, count: int, markup: Markup, *, load_extension: bool = True, extras: bool = True
) -> Path:
    """Write a Learning Centre of *count* articles to *root* (created) and return *root*."""
    articles = root / "learning-centre"
    articles.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(conf_py(markup, load_extension, extras), encoding="utf-8")
    (root / "index.md").write_text(INDEX, encoding="utf-8")
    make = prolo_article if markup == "prolo" else builtin_article
    for number in range(count):
        path = articles / f"{docname(number)}.md"
        path.write_text(make(number, count, extras), encoding="utf-8")
    return root


def article_path(root: Path, number: int) -> Path:
    return root / "learning-centre" / f"{docname(number)}.md"
