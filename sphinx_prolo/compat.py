"""Small bridges over the Sphinx APIs that changed between the versions we support (8.0 to 9.0).

Each function says which versions take which path, so the bridge can go once the floor moves.
``nox`` (``make matrix``) runs the test suite on both ends, so every path here is exercised.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import sphinx
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils.parsers import Parser
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Sphinx 9 moved the application and the builder class behind private attributes of the
#: environment and changed ``SphinxComponentRegistry.create_source_parser``.
SPHINX_9 = sphinx.version_info[:2] >= (9, 0)


def app_of(env: BuildEnvironment) -> Sphinx:
    """The application of *env*: ``env._app`` since Sphinx 9 (``env.app`` is deprecated)."""
    app: Sphinx | None = getattr(env, "_app", None)
    if app is None:  # Sphinx 8.x
        app = env.app
    return app


def builder_format(env: BuildEnvironment) -> str:
    """The output format of the running builder ("html", "latex", ...).

    Sphinx 9 keeps the builder's class on the environment (``env._builder_cls``); Sphinx 8.x
    only has the builder itself, on the application.
    """
    builder_cls = getattr(env, "_builder_cls", None)
    if builder_cls is not None:
        return str(builder_cls.format)
    builder = app_of(env).builder  # Sphinx 8.x
    return str(builder.format)


def create_parser(env: BuildEnvironment, filetype: str) -> Parser:
    """A source parser for *filetype* ("markdown", "restructuredtext"), set up for *env*.

    Sphinx 9 takes ``(filetype, *, config, env)``; Sphinx 8.x takes ``(app, filetype)``. The
    version decides, so that a ``TypeError`` raised by a parser's own constructor is never
    mistaken for the other signature.
    """
    app = app_of(env)
    registry = app.registry
    if SPHINX_9:
        return registry.create_source_parser(filetype, config=env.config, env=env)
    create: Any = registry.create_source_parser  # Sphinx 8.x
    parser: Parser = create(app, filetype)
    return parser


@contextlib.contextmanager
def reading_as(env: BuildEnvironment, docname: str) -> Iterator[None]:
    """Parse as if *docname* were the current document, so relative links start from it.

    Sphinx 8.2 and later keep the document being read in ``env.current_document``; Sphinx 8.0
    and 8.1 keep it in the plain dict ``env.temp_data``, which is empty between documents.
    """
    current = getattr(env, "current_document", None)
    if current is not None:  # Sphinx >= 8.2
        previous = current.docname
        current.docname = docname
        try:
            yield
        finally:
            current.docname = previous
    else:  # Sphinx 8.0 and 8.1
        missing = object()
        saved = env.temp_data.get("docname", missing)
        env.temp_data["docname"] = docname
        try:
            yield
        finally:
            if saved is missing:
                env.temp_data.pop("docname", None)
            else:
                env.temp_data["docname"] = saved
