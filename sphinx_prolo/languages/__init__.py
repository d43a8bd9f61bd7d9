"""Languages: one site in several languages.

``front_matter_words`` extracts the words of an article's front matter for translators and reads
them back in the build's language, and answers what the other parts ask of a build's language;
``checks`` keeps a translation from dropping a ``therapy`` reference; ``sites`` links each page to
its counterparts (hreflang, the language switcher); ``status`` is the translators' progress
command (``python -m sphinx_prolo.languages.status``).

May import: articles, builds, link_targets, notices, translations.
"""
