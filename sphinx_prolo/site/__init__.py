"""The site around the articles: how readers, search engines and old links find the pages.

``search`` puts keywords and aliases in the site's own search and ranks them; ``search_engines``
writes the meta description, OpenGraph and JSON-LD; ``redirects`` writes pages at the old
addresses of moved articles; ``html_translator`` gives toctree captions the heading level that
assistive technology needs.

May import: articles, builds, translations.
"""
