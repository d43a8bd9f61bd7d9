"""PyStemmer (in the docs extra) leaves the search index as it is: the same stems, found faster.

Sphinx stems every word of the search index with ``snowballstemmer``, which uses PyStemmer's C
stemmers when PyStemmer can be imported and its own pure-Python ones otherwise. The same small
site is built twice in separate processes, once with PyStemmer hidden, and the two
``searchindex.js`` files must be the same byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("Stemmer")

ROOTS = Path(__file__).parent / "roots"

#: Builds argv[2] into argv[3] and prints the module of the English stemmer Sphinx uses;
#: argv[1] == "hide" hides PyStemmer first, as on a machine without it.
BUILD = """
import sys
if sys.argv[1] == "hide":
    sys.modules["Stemmer"] = None
from sphinx.cmd.build import build_main
import snowballstemmer
print(type(snowballstemmer.stemmer("english")).__module__)
sys.exit(build_main(["-q", "-b", "html", "-E", sys.argv[2], sys.argv[3]]))
"""


def build(source: Path, out: Path, stemmer: str) -> tuple[str, bytes]:
    """Build *source* into *out* in a new process; the stemmer's module and the search index."""
    result = subprocess.run(
        [sys.executable, "-c", BUILD, stemmer, str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip(), (out / "searchindex.js").read_bytes()


def test_search_index_is_the_same_with_and_without_pystemmer(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-articles", source)
    with_c, index_with_c = build(source, tmp_path / "with", "keep")
    without, index_without = build(source, tmp_path / "without", "hide")
    # Each build used the stemmer it was meant to ...
    assert with_c == "Stemmer"
    assert without == "snowballstemmer.english_stemmer"
    # ... the index holds stemmed words ("injections" -> "inject") ...
    assert b'"inject"' in index_with_c
    # ... and the two indexes are identical.
    assert index_with_c == index_without
