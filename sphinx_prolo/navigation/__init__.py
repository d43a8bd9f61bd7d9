"""Navigation: any theme's navigation rendered at linear cost, byte-identical to the theme's own.

``tree`` resolves the site tree once per build, ``toctree`` serves any theme's ``toctree()`` from
templates, ``furo`` and ``furo_template`` render furo's sidebar, ``pydata`` and ``pydata_header``
serve pydata-sphinx-theme's and sphinx-book-theme's sidebars and header. Nothing here knows about
health content: the part serves every Sphinx site, and anything it cannot verify is left to the
theme.

May import: builds, translations.
"""
