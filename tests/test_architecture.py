"""The maintainers' map (ARCHITECTURE.md) matches the code, and the package keeps its shape."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sphinx_prolo

PACKAGE = Path(sphinx_prolo.__file__).parent
ARCHITECTURE = PACKAGE.parent / "ARCHITECTURE.md"
#: The size above which a module has probably grown more than one concern.
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.glob("*.py") if path.name != "__init__.py")


def connected_handlers() -> set[tuple[str, str]]:
    """Every ``app.connect("event", handler)`` in the package, as (event, "module.handler")."""
    found = set()
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect"
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[1], ast.Name)
            ):
                found.add((node.args[0].value, f"{path.stem}.{node.args[1].id}"))
    return found


def documented_handlers() -> set[tuple[str, str]]:
    rows = re.findall(
        r"^\| \d+ \| `([a-z-]+)` \| `([a-z_]+\.[a-z_]+)` \|",
        ARCHITECTURE.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    return set(rows)


def test_every_connected_handler_is_on_the_map_and_nothing_else() -> None:
    assert connected_handlers(), "the parser found no handler at all"
    assert documented_handlers() == connected_handlers()


def test_every_module_is_in_the_module_map() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    assert listed == {path.stem for path in modules()}


def test_modules_stay_small_and_import_no_private_name_of_another() -> None:
    too_long = {
        path.name: length
        for path in modules()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
    private_imports = []
    for path in [*modules(), PACKAGE / "__init__.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sphinx_prolo"):
                private_imports += [
                    f"{path.name}: {node.module}.{alias.name}"
                    for alias in node.names
                    # ``_`` and ``__`` are the gettext functions, and dunder names such as
                    # ``__version__`` are public, by convention.
                    if alias.name.startswith("_")
                    and alias.name not in {"_", "__"}
                    and not (alias.name.startswith("__") and alias.name.endswith("__"))
                ]
    assert private_imports == []


def test_only_compat_touches_the_internals_of_sphinx_s_link_checker() -> None:
    importers = set()
    for path in [*modules(), PACKAGE / "__init__.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if any(name.startswith("sphinx.builders.linkcheck") for name in names):
                importers.add(path.stem)
    assert importers == {"compat"}
