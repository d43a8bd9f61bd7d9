"""Random MyST and rST documents that use everything sphinx-prolo adds, well-formed or not.

The generator mixes valid and broken front matter, notices with random options, arguments and
content (empty, unicode, huge, nested, unclosed fences), therapy references to known, unknown,
empty and hostile slugs, catalogs and related lists.  It is seeded, so a failing document can be
generated again from its seed and number.
"""

from __future__ import annotations

import random

from sphinx_prolo.articles.keys import FRONT_MATTER

SLUGS = ["alpha", "beta", "prp-injections", "knee", "x", "a-b-c", "zz9"]
HOSTILE = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
    "ünïcødé — ✓ 漢字 🦴",
    "",
    " ",
    "{}",
    "[1, 2]",
    "a" * 300,
    "%s %d %(x)s",
    "\\",
    "`",
    "<",
]
#: Every declared front-matter key, and one that is none of them.
KEYS = [*(key.name for key in FRONT_MATTER), "other"]
DATE_KEYS = {key.name for key in FRONT_MATTER if key.kind == "date"}
#: A valid value of each key, as the declaration gives it.
EXAMPLES = {key.name: key.example for key in FRONT_MATTER}
DATES = [
    "2026-01-01",
    "2020-02-30",
    "yesterday",
    "2026-13-01",
    "12",
    "2026-06-15",
    # The ends of the calendar: date arithmetic overflows past them.
    "9999-12-31",
    "9999-12-30",
    "0001-01-01",
    "2027-02-29",
]
#: Languages Babel and Sphinx know, and ones they do not.  (An empty ``language`` is left out:
#: docutils itself fails on it before any extension runs, with or without sphinx-prolo.)
LANGUAGES = ["en", "fr", "fr_CA", "de", "xx", "zz_ZZ", "tlh", "en-x-clinic", "C"]
#: Sphinx's ``today``: ordinary, at the ends of the calendar, or not a date at all.
TODAYS = ["2026-11-26", "9999-12-31", "0001-01-01", "not a date", "", "2041-11-26"]


class DocumentMaker:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def choice(self, items: list[str]) -> str:
        return self.random.choice(items)

    def word(self) -> str:
        return self.choice([*SLUGS, *HOSTILE, "Knee", "tendon", "ligament"])

    def text(self) -> str:
        size = self.random.choice([0, 1, 3, 12, 400])
        return " ".join(self.word() for _ in range(size))

    def yaml_value(self, key: str) -> str:
        kind = self.random.random()
        if key in DATE_KEYS and kind < 0.6:
            return self.choice(DATES)
        if key in EXAMPLES and kind > 0.9:
            return EXAMPLES[key]
        if kind < 0.2:
            return (
                "[" + ", ".join(self.choice(SLUGS) for _ in range(self.random.randint(0, 4))) + "]"
            )
        if kind < 0.3:
            return "{a: 1, b: [2]}"
        if kind < 0.4:
            return str(self.random.randint(-5, 99999))
        if kind < 0.5:
            return '"' + self.choice(HOSTILE).replace('"', '\\"') + '"'
        if kind < 0.55:
            return "[unclosed"
        return self.choice(SLUGS)

    def front_matter(self) -> str:
        if self.random.random() < 0.2:
            return ""
        keys = self.random.sample(KEYS, self.random.randint(0, len(KEYS)))
        lines = [f"{key}: {self.yaml_value(key)}" for key in keys]
        if self.random.random() < 0.05:
            lines.append(": : broken yaml ::")
        return "---\n" + "\n".join(lines) + "\n---\n\n"

    def role(self) -> str:
        target = self.choice([*SLUGS, *HOSTILE])
        if self.random.random() < 0.3:
            return f"{{therapy}}`{self.word()} <{target}>`"
        return f"{{therapy}}`{target}`"

    def options(self) -> list[str]:
        names = ["class", "name", "category", "unknown", "", "class"]
        lines = []
        for _ in range(self.random.randint(0, 3)):
            lines.append(f":{self.choice(names)}: {self.choice([*HOSTILE, 'ok', 'a b'])}")
        return lines

    def directive(self, depth: int = 0) -> str:
        name = self.choice(
            ["disclaimer", "please-note", "article-index", "related-articles", "note", "nope"]
        )
        fence = self.choice([":::", "```", "::::"])
        argument = self.choice(["", "", self.word()])
        body = [*self.options()]
        if self.random.random() < 0.7:
            body.append("")
            body.append(self.text())
        if depth < 2 and self.random.random() < 0.3:
            body.append(self.directive(depth + 1))
        closing = "" if self.random.random() < 0.08 else fence  # sometimes never closed
        return f"{fence}{{{name}}} {argument}\n" + "\n".join(body) + f"\n{closing}\n"

    def myst(self) -> str:
        parts = [self.front_matter()]
        if self.random.random() < 0.9:
            parts.append(
                f"# {self.text() or 'Title'} {self.role() if self.random.random() < 0.2 else ''}\n"
            )
        for _ in range(self.random.randint(0, 6)):
            kind = self.random.random()
            if kind < 0.4:
                parts.append(self.directive())
            elif kind < 0.7:
                parts.append(f"{self.text()} {self.role()} {self.text()}\n")
            elif kind < 0.8:
                parts.append(f"- {self.role()}\n- {self.text()}\n")
            elif kind < 0.9:
                parts.append(f"## {self.role()}\n")
            else:
                parts.append("x" * self.random.choice([1, 20_000]) + "\n")
        return "\n".join(parts)

    def config(self) -> dict[str, object]:
        """Configuration values at and beyond their ordinary ranges (all of them accepted)."""
        return {
            "language": self.choice(LANGUAGES),
            "today": self.choice(TODAYS),
            "prolo_review_interval_days": self.random.choice([1, 2, 365, 1095, 36525]),
            "prolo_related_section": self.random.random() < 0.8,
            "prolo_auto_notices": self.random.random() < 0.8,
        }

    def notice_source(self, suffix: str) -> str:
        """The text of a notice source file: markup of every kind, well-formed or not."""
        if suffix == ".rst":
            pieces = [
                "Text with |sub| and a footnote [#]_ and `a target`_ and anon__.",
                ".. |sub| replace:: replaced text",
                ".. [#] A footnote.",
                ".. _a target: https://clinic.example/",
                f"See :therapy:`{self.choice([*SLUGS, *HOSTILE])}` here.",
                ".. raw:: html\n\n   <b>raw</b>",
                ".. role:: html(raw)\n   :format: html\n\nInline :html:`<i>x</i>` raw.",
                ".. disclaimer::",
                ".. note::\n\n   " + self.text(),
                "Undefined |nosuch| substitution and [#]_ too many footnotes.",
                ":field: a field list at the top",
                "Title\n=====",
                self.text(),
                "`unclosed",
            ]
        else:
            pieces = [
                f"Text with {{therapy}}`{self.choice([*SLUGS, *HOSTILE])}` and [a link](terms).",
                "A footnote[^1].\n\n[^1]: The note.",
                "Inline <b>raw</b> HTML.",
                "<div>block</div>",
                "```{disclaimer}\n```",
                ":::{note}\n" + self.text() + "\n:::",
                "[dangling](#nowhere)",
                "# A heading",
                self.text(),
                "```{unclosed",
            ]
        count = self.random.randint(0, len(pieces))
        return "\n\n".join(self.random.sample(pieces, count)) + "\n"

    def rst(self) -> str:
        lines = []
        for key in self.random.sample(KEYS, self.random.randint(0, 4)):
            lines.append(f":{key}: {self.yaml_value(key)}")
        lines += ["", "Title", "=====", ""]
        for _ in range(self.random.randint(0, 5)):
            kind = self.random.random()
            name = self.choice(["disclaimer", "please-note", "article-index", "related-articles"])
            if kind < 0.5:
                lines.append(f".. {name}:: {self.choice(['', self.word()])}")
                for option in self.options():
                    lines.append("   " + option)
                if self.random.random() < 0.5:
                    lines += ["", "   " + self.text()]
                lines.append("")
            else:
                target = self.choice([*SLUGS, "bad slug", "<x>", ""])
                lines += [f"Text :therapy:`{target}` and :therapy:`t <{target}>`.", ""]
        return "\n".join(lines) + "\n"
