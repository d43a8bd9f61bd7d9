"""The data kept in the build environment cannot change shape without an ``env_version`` bump.

Sphinx throws away a pickled environment whose extension reports another ``env_version``; a
change to the stored data without a bump would feed old pickles to new code. The shape of every
stored type is fingerprinted here, and ``ENV_SHAPES`` names the fingerprint of each version.
"""

from __future__ import annotations

import hashlib
import typing

import sphinx_prolo
from sphinx_prolo.articles import domain, incremental, keys
from sphinx_prolo.builds import kept_warnings


def shape_of(kind: object) -> str:
    """A TypedDict as its fields and their types, nested TypedDicts spelled out."""
    hints = typing.get_type_hints(kind)
    return (
        "{" + ", ".join(f"{name}: {_spelled(hint)}" for name, hint in sorted(hints.items())) + "}"
    )


def _spelled(hint: object) -> str:
    if typing.is_typeddict(hint):
        return shape_of(hint)
    arguments = typing.get_args(hint)
    if arguments:
        return f"{typing.get_origin(hint)}[{', '.join(_spelled(a) for a in arguments)}]"
    return repr(hint)


def fingerprint() -> str:
    text = "\n".join(
        [
            shape_of(domain.ProloData),
            shape_of(incremental.PageViews),
            _spelled(kept_warnings.KeptWarning),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_the_stored_data_has_the_shape_its_env_version_was_made_for() -> None:
    shapes = sphinx_prolo.ENV_SHAPES
    assert max(shapes) == sphinx_prolo.ENV_VERSION
    assert len(set(shapes.values())) == len(shapes), "a shape is recorded under two versions"
    assert shapes[sphinx_prolo.ENV_VERSION] == fingerprint(), (
        "the data kept in the environment changed shape: add "
        f"{sphinx_prolo.ENV_VERSION + 1}: {fingerprint()!r} to ENV_SHAPES in "
        "sphinx_prolo/__init__.py (the new env_version)"
    )


def test_every_declared_key_fills_its_own_stored_field() -> None:
    fields = typing.get_type_hints(keys.FrontMatterValues)
    assert sorted(key.field for key in keys.FRONT_MATTER) == sorted(fields)


def test_the_fingerprint_sees_a_new_field() -> None:
    class Changed(domain.Article, total=False):
        field_only_this_test_adds: str

    assert shape_of(Changed) != shape_of(domain.Article)
