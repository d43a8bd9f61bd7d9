"""Articles: the health pages, what their front matter says, and how they link to each other.

``domain`` holds the cross-document data (articles, references, notice uses) and resolves the
``therapy`` role; ``front_matter``, ``front_matter_yaml`` and ``metadata`` turn what a writer wrote
into a checked article; ``transform`` gives every article its notices, review lines, sources and
related list; ``catalog``, ``reviews``, ``readability``, ``content_report`` and ``checks`` are the
features built on that data; ``incremental`` says which unchanged pages an edit elsewhere changed.
The part calls into notices, languages and site for what an article page shows of theirs.

May import: builds, languages, link_targets, notices, site, translations.
"""
