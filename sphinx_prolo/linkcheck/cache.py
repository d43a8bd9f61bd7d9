"""The link checker's memory of working external URLs (``prolo_linkcheck_cache``).

Owns the cache file: reading it (every value checked, a damaged file reported once with its file
and line and then forgotten), answering whether a URL was found working less than
``prolo_linkcheck_cache_ttl`` seconds ago, recording results, and writing the file atomically.
The link-check builder in :mod:`sphinx_prolo.linkcheck.builder` is its only user.
"""

from __future__ import annotations

import contextlib
import json
import os
import reprlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx_prolo.builds.compat import LinkResult

logger = logging.getLogger(__name__)

CACHE_VERSION = 1
DEFAULT_CACHE_NAME = "prolo-linkcheck-cache.json"


def is_external(uri: str) -> bool:
    """Whether *uri* is an http(s) address, the only kind the cache keeps."""
    return uri.lower().startswith(("http:", "https:"))


@dataclass
class LinkCache:
    """Working external URLs and when they were found working (seconds since the epoch)."""

    path: Path
    ttl: float
    entries: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, path: Path, ttl: float) -> LinkCache:
        """Read the cache; a missing file is empty, a damaged one is reported once and ignored."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(path, ttl, {})
        except OSError as exc:
            cls._report(path, None, exc.strerror or str(exc))
            return cls(path, ttl, {})
        # Every error that decoding and checking can raise, and nothing else: a bug elsewhere
        # must still show as a bug.  UnicodeDecodeError and JSONDecodeError are ValueErrors,
        # so they come first.
        try:
            entries = parse_cache(raw)
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            cls._report(path, line, __("not UTF-8 text (byte 0x%02x)") % raw[exc.start])
        except json.JSONDecodeError as exc:
            cls._report(path, exc.lineno, __("not JSON: %s") % exc.msg)
        except RecursionError:
            cls._report(path, None, __("nested too deeply to read"))
        except ValueError as exc:
            cls._report(path, None, str(exc))
        else:
            return cls(path, ttl, entries)
        return cls(path, ttl, {})

    @staticmethod
    def _report(path: Path, line: int | None, reason: str) -> None:
        # A location with a colon is printed as it is; without a line, Sphinx's own form for a
        # file without a line ("file:") is used.
        logger.warning(
            __("link-check cache cannot be used (%s); every external link is checked again"),
            reason,
            location=f"{path}:{line or ''}",
            type="prolo",
            subtype="linkcheck",
        )

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
        temporary: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = {"version": CACHE_VERSION, "entries": dict(sorted(self.entries.items()))}
            handle, temporary = tempfile.mkstemp(
                prefix=".prolo-linkcheck-", suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=1)
            Path(temporary).replace(self.path)
        except OSError as exc:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()
            logger.warning(
                __("link-check cache could not be written (%s)"),
                exc.strerror or str(exc),
                location=f"{self.path}:",
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


def parse_cache(raw: bytes) -> dict[str, dict[str, Any]]:
    """The entries of a cache file, every value checked; ValueError names what is wrong.

    Raises :class:`UnicodeDecodeError` for bytes that are not UTF-8, :class:`json.JSONDecodeError`
    for text that is not JSON, :class:`RecursionError` for absurdly nested JSON, and
    :class:`ValueError` for anything else that is not a cache written by this version: a wrong
    shape, a time that is not a number of seconds between the epoch and the year 3000 (NaN,
    infinities and integers too large for a float included), a code out of range.
    """
    data = json.loads(raw.decode("utf-8"))
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
