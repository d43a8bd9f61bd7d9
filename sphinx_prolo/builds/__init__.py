"""How sphinx-prolo fits into Sphinx's build, whatever the features.

``compat`` bridges the Sphinx APIs that differ between the releases we support (and is the only
module that touches the internals of Sphinx's link checker); ``kept_warnings`` keeps the warnings
found while a document is read, so that incremental builds repeat them. Every other part may use
these modules; they use none of the others.

May import: translations.
"""
