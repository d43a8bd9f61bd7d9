extensions = ["myst_parser", "sphinx_prolo"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
prolo_disclaimer_source = "_notices/disclaimer.md"
prolo_please_note_source = "_notices/please-note.rst"
