"""Link checking: the ``linkcheck`` builder that proves every reference, internal and external.

``builder`` adds rows for ``therapy`` references, review dates and redirects to Sphinx's own
checks, reports offline runs honestly and fails on a broken row; ``cache`` remembers working
external URLs between runs. Sphinx's undocumented checker parts are reached through
``builds.compat`` only.

May import: articles, builds, site, translations.
"""
