"""The link checker's memory of working external URLs (``prolo_linkcheck_cache``).

Owns the cache file: reading it (every value checked, a damaged file reported once with its file
and line and then forgotten), answering whether a URL was found working less than
``prolo_linkcheck_cache_ttl`` seconds ago, recording results, and writing the file atomically.
The link-check builder in :mod:`sphinx_prolo.linkcheck.builder` is its only user.

Whatever is in the cache's place, a build goes on and says so once: only a regular file is read,
and at most :data:`MAX_BYTES` of it (a named pipe would block the build for ever, a link to
``/dev/zero`` would fill the memory); a damaged ``.json`` file is replaced by a good one; a file
of another kind (a configured path naming ``conf.py``, say) and a folder are left as they are.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import reprlib
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx_prolo.builds.compat import LinkResult

logger = logging.getLogger(__name__)

CACHE_VERSION = 1
DEFAULT_CACHE_NAME = "prolo-linkcheck-cache.json"
#: The largest cache file read: some 200,000 addresses.  A larger file is not a cache this
#: module wrote; reading it whole could take all the memory there is.
MAX_BYTES = 32 * 1024 * 1024


def is_external(uri: str) -> bool:
    """Whether *uri* is an http(s) address, the only kind the cache keeps."""
    return uri.lower().startswith(("http:", "https:"))


class NotACacheFile(Exception):
    """Something other than a regular file of a sensible size is in the cache's place."""


def read_cache_file(path: Path) -> bytes:
    """The bytes of the regular file at *path*.

    Raises :class:`OSError` when nothing can be opened there (:class:`IsADirectoryError` for a
    folder, on every system), :class:`ValueError` for a path no file can have (a NUL byte), and
    :class:`NotACacheFile` for a named pipe, a device or a file larger than :data:`MAX_BYTES`.
    The file is opened without waiting for a writer, and checked before a byte is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotACacheFile(__("not a regular file"))
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            raw = stream.read(MAX_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(raw) > MAX_BYTES:
        raise NotACacheFile(__("larger than %d MiB") % (MAX_BYTES // 2**20))
    return raw


@dataclass
class LinkCache:
    """Working external URLs and when they were found working (seconds since the epoch)."""

    path: Path
    ttl: float
    entries: dict[str, dict[str, Any]]
    #: Whether :meth:`save` may write the file: not when the path cannot be a file name, nor
    #: over a damaged file that is not a ``.json`` file, which is someone else's.
    keep: bool = True
    #: The path itself was reported as unusable: a failed write is not reported a second time.
    path_reported: bool = field(default=False, repr=False)

    @classmethod
    def load(cls, path: Path, ttl: float) -> LinkCache:
        """Read the cache; a missing file is empty, a damaged one is reported once and ignored."""
        cache = cls(path, ttl, {})
        try:
            raw = read_cache_file(path)
        except (FileNotFoundError, NotADirectoryError):
            # Nothing there, or a file where a folder of the path should be (writing says so).
            return cache
        except OSError as exc:  # a folder, a loop of links, a name too long, no permission
            cache.path_reported = True
            cache._report(None, exc.strerror or str(exc))
            return cache
        except ValueError as exc:  # no file can have this name: nothing is written either
            cache.path_reported, cache.keep = True, False
            cache._report(None, str(exc))
            return cache
        except NotACacheFile as exc:  # replaced by a good file when the cache is written
            cache._report(None, str(exc))
            return cache
        # Every error that decoding and checking can raise, and nothing else: a bug elsewhere
        # must still show as a bug.  UnicodeDecodeError and JSONDecodeError are ValueErrors,
        # so they come first.
        empty = not raw.strip()
        try:
            entries = parse_cache(raw)
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            reason = __("not UTF-8 text (byte 0x%02x)") % raw[exc.start]
            cache._report(line, reason)
        except json.JSONDecodeError as exc:
            cache._report(exc.lineno, __("not JSON: %s") % exc.msg, empty=empty)
        except RecursionError:
            cache._report(None, __("nested too deeply to read"))
        except ValueError as exc:
            cache._report(None, str(exc))
        else:
            cache.entries = entries
        return cache

    def _report(self, line: int | None, reason: str, *, empty: bool = False) -> None:
        message = __("link-check cache cannot be used (%s); every external link is checked again")
        ours = empty or self.path.suffix.lower() == ".json"
        if self.keep and not self.path_reported and not ours:
            # A file of another kind, named by mistake, is never overwritten.
            self.keep = False
            message = __(
                "link-check cache cannot be used (%s); every external link is checked again, "
                "and the file is left as it is: it is not a .json file"
            )
        logger.warning(
            message, reason, location=self._location(line), type="prolo", subtype="linkcheck"
        )

    def _location(self, line: int | None) -> str:
        # A location with a colon is printed as it is; without a line, Sphinx's own form for a
        # file without a line ("file:") is used.  A NUL byte is shown, not sent to the console.
        return f"{self.path}:{line or ''}".replace("\0", "\\x00")

    def fresh(self, uri: str, now: float) -> dict[str, Any] | None:
        """The entry for *uri* if it was found working less than the TTL ago.

        An entry "checked" in the future (a clock moved back, or a hand-edited file) is stale.
        """
        entry = self.entries.get(uri)
        if entry is not None and 0 <= now - entry["checked"] < self.ttl:
            return entry
        return None

    def record(self, result: LinkResult, now: float) -> None:
        """Remember a working URL; forget one that is no longer working."""
        if result.status == "working":
            self.entries[result.uri] = {"checked": now, "code": int(result.code or 0)}
        else:
            self.entries.pop(result.uri, None)

    def save(self) -> None:
        """Write the cache atomically: a reader sees the old file or the new one, never half."""
        if not self.keep:
            return
        data = {"version": CACHE_VERSION, "entries": dict(sorted(self.entries.items()))}
        text = json.dumps(data, indent=1)
        temporary: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=".prolo-linkcheck-", suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            Path(temporary).replace(self.path)
        except OSError as exc:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()
            if self.path_reported:  # reading said already why this path cannot be used
                return
            reason = exc.strerror or str(exc)
            if isinstance(exc, FileExistsError):  # from mkdir: a file or a dangling link
                reason = __("%s is not a folder") % exc.filename
            logger.warning(
                __("link-check cache could not be written (%s)"),
                reason,
                location=self._location(None),
                type="prolo",
                subtype="linkcheck",
            )


#: The largest status code kept: HTTP codes have three digits.
_MAX_CODE = 999
#: The latest time an entry may carry, the last second of the year 2999: the report shows it as a
#: date, and Windows' time functions stop at the year 3000.  Times before the epoch were never
#: written by this module either.
_LATEST_TIME = 32_503_679_999


def _cache_time(value: object) -> float | None:
    """*value* as seconds since the epoch if it is a time this module could have written."""
    # bool is an int in Python and is refused.  Comparisons are exact for integers of any size
    # and false for NaN, so the range test refuses NaN, infinities, huge integers and negative
    # times before float() is called (it overflows on huge integers).
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not 0 <= value <= _LATEST_TIME:
        return None
    return float(value)


def _table(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict; ValueError for a key written twice (this module never does)."""
    table = dict(pairs)
    if len(table) < len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError(__("the key %s is written twice") % reprlib.repr(key))
            seen.add(key)
    return table


def parse_cache(raw: bytes) -> dict[str, dict[str, Any]]:
    """The entries of a cache file, every value checked; ValueError names what is wrong.

    Raises :class:`UnicodeDecodeError` for bytes that are not UTF-8, :class:`json.JSONDecodeError`
    for text that is not JSON, :class:`RecursionError` for absurdly nested JSON, and
    :class:`ValueError` for anything else that is not a cache written by this version: a wrong
    shape, a key written twice (JSON would keep the last one silently), a time that is not a
    number of seconds between the epoch and the year 3000 (NaN, infinities and integers too large
    for a float included), a code out of range.
    """
    # A byte-order mark, which some editors add, is not damage.
    text = raw.decode("utf-8").removeprefix("\ufeff")
    data = json.loads(text, object_pairs_hook=_table)
    if not isinstance(data, dict):
        raise ValueError(__("not a sphinx-prolo link cache"))
    version = data.get("version")
    # True == 1 and 1.0 == 1 in Python: only the integer itself is this version.
    if type(version) is not int or version != CACHE_VERSION:
        raise ValueError(__("unknown cache version %s") % reprlib.repr(version))
    entries = data.get("entries")
    if not isinstance(entries, dict):
        raise ValueError(__("no table of entries"))
    clean: dict[str, dict[str, Any]] = {}
    for uri, entry in entries.items():
        # Values are shortened with reprlib: a damaged file must not fill the console.
        shown = reprlib.repr(uri)
        if not is_external(uri):
            raise ValueError(__("%s is not an http(s) address") % shown)
        if not isinstance(entry, dict):
            raise ValueError(__("the entry for %s is not a table") % shown)
        checked, code = entry.get("checked"), entry.get("code", 0)
        seconds = _cache_time(checked)
        if seconds is None:
            reason = __("the time for %s is not a time: %s") % (shown, reprlib.repr(checked))
            raise ValueError(reason)
        if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= _MAX_CODE:
            reason = __("the code for %s is not a status code: %s") % (shown, reprlib.repr(code))
            raise ValueError(reason)
        clean[uri] = {"checked": seconds, "code": code}
    return clean
