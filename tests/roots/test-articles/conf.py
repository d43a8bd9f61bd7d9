extensions = ["myst_parser", "sphinx_design", "sphinx_prolo"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
prolo_article_patterns = ["articles/*"]
prolo_terms_url = "terms"
today = "2026-11-26"
