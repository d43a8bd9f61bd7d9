# conf.py
extensions = ["myst_parser", "sphinx_prolo"]

# The disclaimer links to this page (a document name) or to an https:// address.
prolo_terms_url = "terms"

# Optional: the clinic's own wording, one file for every page.
prolo_disclaimer_source = "_notices/disclaimer.md"
prolo_please_note_source = "_notices/please-note.md"
