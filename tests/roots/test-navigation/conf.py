extensions = ["myst_parser", "sphinx_prolo"]
html_theme = "furo"
exclude_patterns = ["_build"]
