extensions = ["sphinx_prolo"]
exclude_patterns = ["_build"]
prolo_article_patterns = ["articles/*"]
today = "2026-11-26"
