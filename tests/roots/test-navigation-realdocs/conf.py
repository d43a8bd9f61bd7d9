# A site shaped like real documentation (Sphinx's own doc/): captions, numbered sections, hidden
# toctrees inside nested ones, a document in two toctrees. No extension: each test adds its own.
project = "Real docs"
extensions = []
exclude_patterns = ["_build"]
