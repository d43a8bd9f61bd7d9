extensions = ["sphinx_prolo"]
exclude_patterns = ["_build"]
prolo_terms_url = "https://clinic.example/terms"
project = "Notices"
copyright = "2026, The clinic"
version = "1.0"
