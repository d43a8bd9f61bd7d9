"""A site in two languages: translated front matter, hreflang links, the switcher, the note on
an article not yet translated; built in real projects with real gettext catalogs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from conftest import config_warning, soup, warnings_of

if TYPE_CHECKING:
    from conftest import Projects

CONF = (
    'extensions = ["myst_parser", "sphinx_design", "sphinx_prolo"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["_build"]\n'
    'prolo_article_patterns = ["art/*"]\n'
    'locale_dirs = ["locale"]\ngettext_compact = False\n'
    'prolo_language_sites = {"en": "https://clinic.example/", "fr": "https://clinic.example/fr/"}\n'
)
INDEX = "# Home\n\n```{toctree}\n:glob:\nart/*\n```\n\n:::{article-index}\n:::\n"
PRP = (
    "---\nshort-title: PRP injections\nsummary: Injections made from your own blood.\n"
    "category: Injection therapies\nkeywords: [own blood injection]\n---\n\n"
    "# Platelet-rich plasma injections\n\nSome text.\n"
)
REST = (
    "---\nsummary: Rest.\n---\n\n# Rest\n\nSome people have {therapy}`prp`.\n\n"
    "See {therapy}`prolotherapy`.\n"
)


def po(entries: dict[str, str], language: str = "fr") -> str:
    header = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {language}\\n"\n\n'
    )
    body = "".join(
        f"msgid {json.dumps(english, ensure_ascii=False)}\n"
        f"msgstr {json.dumps(french, ensure_ascii=False)}\n\n"
        for english, french in entries.items()
    )
    return header + body


def site() -> dict[str, str]:
    return {
        "conf.py": CONF,
        "index.md": INDEX,
        "art/prp.md": PRP,
        "art/rest.md": REST,
        "locale/fr/LC_MESSAGES/art/prp.po": po(
            {
                "Platelet-rich plasma injections": "Injections de plasma riche en plaquettes",
                "Some text.": "Un peu de texte.",
                "PRP injections": "injections de PRP",
                "Injections made from your own blood.": "Des injections faites de votre sang.",
                "Injection therapies": "Traitements par injection",
                "own blood injection": "injection de son propre sang",
            }
        ),
        # A slug that is also a translated message (its short title) stays a slug.
        "art/prolo.md": "---\nslug: prolotherapy\nshort-title: prolotherapy\nauthor: our team\n"
        "---\n\n# Prolotherapy\n\nText.\n",
        "locale/fr/LC_MESSAGES/art/prolo.po": po(
            {
                "prolotherapy": "prolothérapie",
                "Prolotherapy": "Prolothérapie",
                "our team": "notre équipe",
            }
        ),
        # art/rest has no catalog: not yet translated.
    }


def test_a_french_build_reads_front_matter_words_through_the_catalogs(project: Projects) -> None:
    project.write("fr-site", site())
    app = project("fr-site", name="fr-site", confoverrides={"language": "fr"})
    app.build()
    assert warnings_of(app) == []
    rest = soup(app.outdir / "art/rest.html")
    link, prolo = rest.select("div.body section > p a.prolo-therapy")
    assert link.get_text() == "injections de PRP"
    assert prolo.get_text() == "prolothérapie"
    assert app.env.domaindata["prolo"]["articles"]["art/prolo"]["slug"] == "prolotherapy"
    byline = soup(app.outdir / "art/prolo.html").select_one("div.prolo-review").get_text()
    assert "notre équipe" in byline
    assert link["title"] == "Des injections faites de votre sang."
    related = [a.get_text() for a in rest.select("div.prolo-related a")]
    assert related == ["Injections de plasma riche en plaquettes", "Prolothérapie"]
    index = soup(app.outdir / "index.html")
    assert "Traitements par injection" in [
        h.get_text() for h in index.select("div.prolo-catalog h2")
    ]
    prp = soup(app.outdir / "art/prp.html")
    assert prp.find("meta", attrs={"name": "description"})["content"] == (
        "Des injections faites de votre sang."
    )
    assert prp.find("html")["lang"] == "fr"
    # The translated article has no "not yet translated" note; the other one says so, in French.
    assert prp.select_one(".prolo-untranslated") is None
    note = rest.select_one("p.prolo-untranslated")
    assert note.get_text() == (
        "Cet article n’est pas encore disponible dans votre langue\u00a0; il est affiché "
        "dans sa langue d’origine."
    )


def french_sources() -> dict[str, str]:
    """A site whose articles are written in French, with an English catalog for one of them."""
    return {
        "conf.py": CONF + 'prolo_source_language = "fr"\n',
        "index.md": INDEX,
        "art/prp.md": "---\nshort-title: injections de PRP\n"
        "summary: Des injections faites de votre sang.\ncategory: Traitements par injection\n"
        "---\n\n# Injections de plasma riche en plaquettes\n\nUn peu de texte.\n",
        "art/rest.md": "---\nsummary: Repos.\n---\n\n# Repos\n\n"
        "Certains reçoivent {therapy}`prp`.\n",
        "locale/en/LC_MESSAGES/art/prp.po": po(
            {
                "Injections de plasma riche en plaquettes": "Platelet-rich plasma injections",
                "Un peu de texte.": "Some text.",
                "injections de PRP": "PRP injections",
                "Des injections faites de votre sang.": "Injections made from your own blood.",
                "Traitements par injection": "Injection therapies",
            },
            language="en",
        ),
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_articles_written_in_french_are_translated_in_any_other_language(
    project: Projects, language: str
) -> None:
    """Whether a build translates is decided by ``prolo_source_language``, not by English."""
    project.write("fr-sources", french_sources())
    app = project("fr-sources", name="fr-sources", confoverrides={"language": language})
    app.build()
    assert warnings_of(app) == []
    rest = soup(app.outdir / "art/rest.html")
    prp = soup(app.outdir / "art/prp.html")
    link = rest.select_one("div.body section > p a.prolo-therapy")
    description = prp.find("meta", attrs={"name": "description"})["content"]
    note = rest.select_one("p.prolo-untranslated")
    if language == "fr":  # the articles' own language: nothing translated, no note
        assert (link.get_text(), link["title"]) == (
            "injections de PRP",
            "Des injections faites de votre sang.",
        )
        assert description == "Des injections faites de votre sang."
        assert note is None
    else:
        assert (link.get_text(), link["title"]) == (
            "PRP injections",
            "Injections made from your own blood.",
        )
        assert description == "Injections made from your own blood."
        assert prp.select_one(".prolo-untranslated") is None
        assert note.get_text() == (
            "This article is not yet available in your language; it is shown in its original "
            "language."
        )


def test_a_regional_variant_of_the_articles_language_is_not_a_translation(
    project: Projects,
) -> None:
    project.write("en-gb", site())
    app = project("en-gb", name="en-gb", confoverrides={"language": "en_GB"})
    app.build()
    assert warnings_of(app) == []
    rest = soup(app.outdir / "art/rest.html")
    assert rest.select_one(".prolo-untranslated") is None
    current = rest.select_one("nav.prolo-languages [aria-current]")
    assert (current.get_text(), current["lang"]) == ("English", "en")


def test_the_gettext_builder_extracts_front_matter_words_at_their_lines(project: Projects) -> None:
    project.write("fr-pot", site())
    app = project("fr-site", "gettext", name="fr-pot")
    app.build()
    pot = (app.outdir / "art/prp.pot").read_text(encoding="utf-8")
    for line, words in [
        (2, "PRP injections"),
        (3, "Injections made from your own blood."),
        (4, "Injection therapies"),
        (5, "own blood injection"),
    ]:
        assert f"art/prp.md:{line}\nmsgid {json.dumps(words)}" in pot, words
    # The extension's own words are translated by its own catalog, not the page's.
    assert 'msgid "Disclaimer"' not in pot
    assert 'msgid "Please note"' not in pot


def test_every_page_links_to_its_counterparts_and_has_a_switcher(project: Projects) -> None:
    project.write("fr-links", site())
    app = project("fr-links", name="fr-links", confoverrides={"language": "fr"})
    app.build()
    page = soup(app.outdir / "art/prp.html")
    alternates = {
        link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate")
    }
    assert alternates == {
        "en": "https://clinic.example/art/prp.html",
        "fr": "https://clinic.example/fr/art/prp.html",
        "x-default": "https://clinic.example/art/prp.html",
    }
    switcher = page.select_one("nav.prolo-languages")
    assert switcher["aria-label"] == "Langues"
    english = switcher.select_one("a")
    assert (english.get_text(), english["lang"], english["hreflang"]) == ("English", "en", "en")
    assert english["href"] == "../../art/prp.html"  # from /fr/art/ to /art/
    current = switcher.select_one("[aria-current]")
    assert (current.get_text(), current["lang"]) == ("Français", "fr")


@pytest.mark.parametrize(
    "value",
    [
        {"en": "javascript:alert(1)", "fr": "https://clinic.example/fr/"},
        {"en": "https://clinic.example/", "fr": "/fr/"},
        {"e n": "https://clinic.example/"},
        ["https://clinic.example/"],
    ],
)
def test_language_sites_accept_only_http_addresses(project: Projects, value: object) -> None:
    project.write("fr-bad", site())
    app = project("fr-bad", name="fr-bad", confoverrides={"prolo_language_sites": value})
    assert "prolo_language_sites" in config_warning(app)
    assert app.config.prolo_language_sites == {}


def test_one_language_adds_nothing(project: Projects) -> None:
    project.write("one-language", site())
    app = project("one-language", name="one-language", confoverrides={"prolo_language_sites": {}})
    app.build()
    page = soup(app.outdir / "art/prp.html")
    assert page.select_one("nav.prolo-languages") is None
    assert page.find("link", hreflang=True) is None


def test_a_translation_that_drops_a_therapy_reference_keeps_the_original(
    project: Projects,
) -> None:
    files = site()
    files["locale/fr/LC_MESSAGES/art/rest.po"] = po(
        {
            "Rest": "Repos",
            "Some people have {therapy}`prp`.": "Certaines personnes reçoivent du PRP.",
            "See {therapy}`prolotherapy`.": "Voir {therapy}`prolotherapy`.",
        }
    )
    project.write("fr-dropped", files)
    app = project("fr-dropped", name="fr-dropped", confoverrides={"language": "fr"})
    app.build()
    prolo_warnings = [w for w in warnings_of(app) if "[prolo." in w]
    assert prolo_warnings == [
        "SRC/locale/fr/LC_MESSAGES/art/rest.po:9: WARNING: the translation of this message"
        " drops or changes its therapy reference (prp); the original text is shown:"
        " Some people have {therapy}`prp`. [prolo.i18n]"
    ]
    # Sphinx's own warning, at the page's line, is kept.
    assert any("[i18n.inconsistent_references]" in w for w in warnings_of(app))
    rest = soup(app.outdir / "art/rest.html")
    first, second = rest.select("div.body section > p:not(.prolo-summary)")[:2]
    assert first.get_text() == "Some people have injections de PRP."
    assert first.select_one("a.prolo-therapy")["href"] == "prp.html"
    assert second.get_text() == "Voir prolothérapie."


def test_the_sitemap_lists_each_pages_counterparts(project: Projects) -> None:
    files = site()
    files["conf.py"] = files["conf.py"].replace(
        '"sphinx_prolo"]', '"sphinx_prolo", "sphinx_sitemap"]'
    ) + (
        'html_baseurl = "https://clinic.example/fr/"\nsitemap_url_scheme = "{link}"\n'
        "sitemap_locales = [None]\n"
    )
    project.write("fr-sitemap", files)
    app = project("fr-sitemap", name="fr-sitemap", confoverrides={"language": "fr"})
    app.build()
    text = (app.outdir / "sitemap.xml").read_text(encoding="utf-8")
    page = text.split("<loc>https://clinic.example/fr/art/prp.html</loc>", 1)[1].split("</url>")[0]
    assert page.count("<xhtml:link") == 3
    for code, href in (
        ("en", "https://clinic.example/art/prp.html"),
        ("fr", "https://clinic.example/fr/art/prp.html"),
        ("x-default", "https://clinic.example/art/prp.html"),
    ):
        assert f'hreflang="{code}" href="{href}"' in page, (code, page)
