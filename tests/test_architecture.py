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
#: Modules allowed past MAX_LINES, each with the most it may have and why it is one concern.
ALLOWANCES: dict[str, tuple[int, str]] = {
    "config": (480, "the one declaration table of every setting; their checks are config_checks"),
}


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.name != "__init__.py")


def name_of(path: Path) -> str:
    """A module's dotted name inside the package: ``articles.domain``, ``config``."""
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def parts() -> list[Path]:
    return sorted(path.parent for path in PACKAGE.glob("*/__init__.py"))


def part_of(dotted: str) -> str:
    return dotted.split(".")[0]


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
                found.add((node.args[0].value, f"{name_of(path)}.{node.args[1].id}"))
    return found


def documented_handlers() -> set[tuple[str, str]]:
    rows = re.findall(
        r"^\| \d+ \| `([a-z-]+)` \| `([a-z_.]+\.[a-z_]+)` \|",
        ARCHITECTURE.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    return set(rows)


def mapped_modules() -> set[str]:
    """The modules listed in ARCHITECTURE.md, each under the heading of its folder."""
    listed, folder = set(), ""
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"^### (?:`([a-z_]+)/`|top level)", line):
            folder = heading.group(1) or ""
        elif row := re.match(r"^\| `([a-z_]+)` \|", line):
            listed.add(f"{folder}.{row.group(1)}" if folder else row.group(1))
    return listed


def imports_of(path: Path) -> list[str]:
    """The package modules *path* imports from, as dotted names inside the package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sphinx_prolo"):
            found.append(node.module.removeprefix("sphinx_prolo").removeprefix(".") or "__init__")
    return found


def test_every_connected_handler_is_on_the_map_and_nothing_else() -> None:
    assert connected_handlers(), "the parser found no handler at all"
    assert documented_handlers() == connected_handlers()


def test_every_module_is_in_the_module_map_under_its_folder() -> None:
    assert mapped_modules() == {name_of(path) for path in modules()}


def test_the_package_is_cut_into_parts_that_import_only_what_they_declare() -> None:
    assert len(parts()) >= 4
    for part in parts():
        docstring = ast.get_docstring(ast.parse((part / "__init__.py").read_text("utf-8"))) or ""
        declared = re.search(r"^May import: ([a-z_, ]*)\.$", docstring, flags=re.MULTILINE)
        assert declared, f"{part.name}/__init__.py says nothing of what it may import"
        allowed = {name.strip() for name in declared.group(1).split(",")} | {part.name}
        for path in part.rglob("*.py"):
            used = {part_of(module) for module in imports_of(path)}
            assert used <= allowed, f"{name_of(path)} imports {sorted(used - allowed)}"


def test_the_navigation_needs_nothing_of_the_health_features() -> None:
    """``sphinx_prolo.navigation`` is an extension of its own, for any Sphinx site."""
    for path in (PACKAGE / "navigation").rglob("*.py"):
        assert {part_of(module) for module in imports_of(path)} <= {
            "navigation",
            "builds",
            "translations",
        }


def test_modules_stay_small_and_import_no_private_name_of_another() -> None:
    too_long = {}
    for path in modules():
        length = len(path.read_text(encoding="utf-8").splitlines())
        limit, _reason = ALLOWANCES.get(name_of(path), (MAX_LINES, ""))
        if length > limit:
            too_long[name_of(path)] = (
                f"{length} lines, over {limit}: split it by concern (a new module in "
                f"{path.parent.relative_to(PACKAGE.parent)}/), or an allowance with a reason"
            )
    assert too_long == {}
    for name, (limit, reason) in ALLOWANCES.items():
        assert limit > MAX_LINES and reason, name
    private_imports = []
    for path in [*modules(), *PACKAGE.rglob("__init__.py")]:
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
    for path in [*modules(), *PACKAGE.rglob("__init__.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if any(name.startswith("sphinx.builders.linkcheck") for name in names):
                importers.add(name_of(path))
    assert importers == {"builds.compat"}
