"""Small bridges over the Sphinx APIs that changed between the versions we support (8.1 to 9.0).

Each function says which versions take which path, so the bridge can go once the floor moves.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils.parsers import Parser
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def app_of(env: BuildEnvironment) -> Sphinx:
    """The application of *env*: ``env._app`` since Sphinx 9 (``env.app`` is deprecated)."""
    app: Sphinx | None = getattr(env, "_app", None)
    if app is None:  # pragma: no cover - Sphinx < 9
        app = env.app
    return app


def builder_format(env: BuildEnvironment) -> str:
    """The output format of the running builder ("html", "latex", ...)."""
    builder_cls = getattr(env, "_builder_cls", None)
    if builder_cls is not None:
        return str(builder_cls.format)
    builder = app_of(env).builder  # pragma: no cover - Sphinx < 9
    return str(builder.format)  # pragma: no cover


def create_parser(env: BuildEnvironment, filetype: str) -> Parser:
    """A source parser for *filetype* ("markdown", "restructuredtext"), set up for *env*."""
    app = app_of(env)
    registry = app.registry
    try:
        return registry.create_source_parser(filetype, config=env.config, env=env)
    except TypeError:  # pragma: no cover - Sphinx < 9 takes the application first
        create: Any = registry.create_source_parser
        parser: Parser = create(app, filetype)
        return parser


@contextlib.contextmanager
def reading_as(env: BuildEnvironment, docname: str) -> Iterator[None]:
    """Parse as if *docname* were the current document, so relative links start from it."""
    current = getattr(env, "current_document", None)
    if current is not None:  # Sphinx >= 8.2
        previous = current.docname
        current.docname = docname
        try:
            yield
        finally:
            current.docname = previous
    else:  # pragma: no cover - Sphinx 8.1 keeps it in a plain dict
        previous = env.temp_data["docname"]
        env.temp_data["docname"] = docname
        try:
            yield
        finally:
            env.temp_data["docname"] = previous
