"""New files written all or nothing: the quickstart's promise that a failed run leaves nothing.

Every target path is checked before the first byte is written (a file already there, a file or a
broken link where a folder must be, a path the file system refuses, a folder that cannot be
written into); any problem means nothing is written.  When writing still fails part way (a full
disk, a file-size limit, a file that appeared meanwhile), the files and folders this run made are
removed again before the failure is reported.  Nothing that existed before is ever replaced.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


class NotWritten(Exception):
    """The files were not written, and nothing of them is left; the message says why."""


def _reason(error: OSError | ValueError) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def _folder_problem(folder: Path) -> tuple[str | None, bool]:
    """What stops *folder* from holding files, and whether it exists yet."""
    try:
        mode = folder.stat().st_mode
    except FileNotFoundError:
        return (f"{folder} is a broken link" if folder.is_symlink() else None), False
    if stat.S_ISDIR(mode):
        return None, True
    if stat.S_ISREG(mode):
        return f"{folder} is a file, not a folder", True
    return f"{folder} is not a folder", True


def _target_problems(target: Path) -> list[str]:
    """Why *target* cannot be written as a new file; empty when it can."""
    try:
        deepest = None
        for folder in reversed(target.parents):
            problem, exists = _folder_problem(folder)
            if problem:
                return [problem]
            if not exists:
                break
            deepest = folder
        if os.path.lexists(target):
            return [f"{target} exists already"]
        os.lstat(target)  # the file system's own verdict on the name (too long, ...)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as error:
        return [f"cannot write {target}: {_reason(error)}"]
    if deepest is not None and not os.access(deepest, os.W_OK | os.X_OK):
        return [f"cannot write into {deepest}: permission denied"]
    return []


def check_new_files(directory: Path, names: Iterable[str]) -> list[str]:
    """Every problem that would stop the files *names* from being written into *directory*,
    each once, in the order found."""
    problems: dict[str, None] = {}
    for name in names:
        problems.update(dict.fromkeys(_target_problems(directory / name)))
    return list(problems)


def _remove(made: list[Path]) -> list[Path]:
    """Remove what this run *made* (files and folders, in the order made); what stays."""
    left = []
    for path in reversed(made):
        try:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            left.append(path)
    return left


def write_new_files(directory: Path, files: Mapping[str, str]) -> list[Path]:
    """Write *files* (path relative to *directory*: text) as new files, all or none.

    Raises :class:`NotWritten`, having written nothing or removed what it wrote, when any target
    exists already, a folder cannot be made or a file cannot be written.
    """
    problems = check_new_files(directory, files)
    if problems:
        raise NotWritten("; ".join(problems))
    made: list[Path] = []
    target = directory
    finished = False
    try:
        for name, text in files.items():
            target = directory / name
            for folder in reversed(target.parents):
                if not folder.is_dir():
                    folder.mkdir()
                    made.append(folder)
            # "x": a file that appeared since the check is an error, never overwritten.
            with target.open("x", encoding="utf-8") as stream:
                made.append(target)
                stream.write(text)
        finished = True
    except (OSError, ValueError) as error:
        left = _remove(made)
        made.clear()
        message = f"cannot write {target}: {_reason(error)}"
        if left:
            message += "; could not remove " + ", ".join(str(path) for path in left)
        raise NotWritten(message) from None
    finally:
        if not finished and made:  # interrupted (Ctrl+C): leave nothing either
            _remove(made)
    return [directory / name for name in files]
