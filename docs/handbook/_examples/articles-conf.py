# conf.py
extensions = ["myst_parser", "sphinx_design", "sphinx_prolo"]

# Which documents are articles.
prolo_article_patterns = ["learning-centre/*"]

# The defaults, shown here so you know they exist.
prolo_auto_notices = True  # insert the notices where an article does not place them
prolo_related_section = True  # close each article with "Related articles"
prolo_review_interval_months = 36  # next review: three calendar years after the last one
