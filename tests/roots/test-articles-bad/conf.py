extensions = ["myst_parser", "sphinx_prolo"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
prolo_article_patterns = ["articles/*"]
today = "2026-11-26"
