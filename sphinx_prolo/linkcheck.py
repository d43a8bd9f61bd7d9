"""Link-check builds that prove every therapy reference as well as every external link.

sphinx-prolo replaces Sphinx's ``linkcheck`` builder with a subclass that keeps everything Sphinx
reports and adds:

- a row in ``output.txt`` and ``output.json`` for every ``therapy`` reference, for the
  disclaimer's Terms link and for internal references in notice source files: working, or broken
  with the reason; a broken one fails the build like a broken URL;
- an offline mode (``prolo_linkcheck_offline`` or ``PROLO_LINKCHECK_OFFLINE=1``) that reports
  external http(s) URLs as unchecked, without a single request, and still checks the rest;
- a cache of working external URLs (``prolo_linkcheck_cache``, ``prolo_linkcheck_cache_ttl``),
  so a second run within the TTL asks nothing again that was recently fine.
"""

from __future__ import annotations

import contextlib
import json
import os
import reprlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.linkcheck import (
    CheckExternalLinksBuilder,
    CheckResult,
    HyperlinkAvailabilityChecker,
)
from sphinx.errors import NoUri
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging

from sphinx_prolo.checks import suggestion_text
from sphinx_prolo.compat import app_of
from sphinx_prolo.domain import find_elsewhere, prolo_domain
from sphinx_prolo.reviews import overdue_reviews
from sphinx_prolo.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.linkcheck import Hyperlink
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

OFFLINE_VARIABLE = "PROLO_LINKCHECK_OFFLINE"
CACHE_VERSION = 1
DEFAULT_CACHE_NAME = "prolo-linkcheck-cache.json"


def is_offline(app: Sphinx) -> bool:
    """Offline when configured so, or when ``PROLO_LINKCHECK_OFFLINE`` is set to a true value."""
    flag = os.environ.get(OFFLINE_VARIABLE, "").strip().lower()
    return bool(app.config.prolo_linkcheck_offline) or flag in {"1", "true", "yes", "on"}


def is_external(uri: str) -> bool:
    return uri.lower().startswith(("http:", "https:"))


# --- the cache of working external URLs ---------------------------------------------------------


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

    def record(self, result: CheckResult, now: float) -> None:
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


# --- internal references ------------------------------------------------------------------------


@dataclass
class InternalRow:
    """One internal reference for the report: where it is, what it targets, whether it works."""

    docname: str
    lineno: int
    uri: str
    working: bool
    info: str


def check_reference(
    env: BuildEnvironment, docname: str, node: addnodes.pending_xref
) -> InternalRow:
    """Whether a therapy reference or an internal reference resolves, without resolving it."""

    target = str(node.get("reftarget", "")).strip()
    line = node.line or 0
    where = ""
    if node.get("prolo_notice_source"):
        where = __(" (in %s, line %s)") % (node["prolo_notice_source"], line)
        line = 0
    domain_name, reftype = node.get("refdomain", ""), node.get("reftype", "")
    if domain_name == "prolo":
        uri = f"therapy:{target}"
        articles = prolo_domain(env)
        found = articles.find(target)
        if found is not None:
            return InternalRow(docname, line, uri, True, f" -> {found}{where}")
        external = find_elsewhere(env, str(node.get("refdoc", docname)), target)
        if external:
            return InternalRow(docname, line, uri, True, f" -> {external} (intersphinx){where}")
        suggestions = suggestion_text(target, articles.claims())
        reason = __("unknown therapy article %r%s") % (target, suggestions)
        return InternalRow(docname, line, uri, False, reason + where)
    if reftype in {"doc", "myst"} and domain_name in {"std", "doc", ""}:
        refdoc = str(node.get("refdoc", docname))
        target_doc = (
            target.lstrip("/")
            if target.startswith("/") or reftype == "myst"
            else (docname_join(refdoc, target))
        )
        uri = f"doc:{target_doc}"
        if target_doc in env.all_docs:
            return InternalRow(docname, line, uri, True, f" -> {target_doc}{where}")
        return InternalRow(
            docname, line, uri, False, __("no document %r in this project") % target_doc + where
        )
    uri = f"{domain_name}:{reftype}:{target}"
    domain = env.get_domain(domain_name) if domain_name else None
    builder = app_of(env).builder
    resolved = None
    if domain is not None:
        # NoUri: the target exists but has no address in this builder, which is not "broken".
        with contextlib.suppress(NoUri):
            resolved = domain.resolve_xref(
                env, docname, builder, reftype, target, node, nodes.inline("", "")
            )
    if resolved is not None:
        return InternalRow(docname, line, uri, True, where)
    return InternalRow(docname, line, uri, False, __("target not found") + where)


class InternalReferenceCollector(SphinxPostTransform):
    """Collect therapy and notice references for the report, before Sphinx resolves them."""

    builders = ("linkcheck",)
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        builder = app_of(self.env).builder
        if not isinstance(builder, ProloLinkcheckBuilder):
            return
        docname = self.env.docname
        for node in self.document.findall(addnodes.pending_xref):
            if node.get("prolo_docname"):  # lists the extension generated itself
                continue
            if (
                node.get("refdomain") == "prolo"
                or node.get("prolo_terms")
                or node.get("prolo_notice_source")
            ):
                builder.internal_rows.append(check_reference(self.env, docname, node))


# --- the builder ---------------------------------------------------------------------------------


class ProloLinkcheckBuilder(CheckExternalLinksBuilder):
    """Sphinx's link checker, plus internal references, an offline mode and a cache."""

    name = "linkcheck"

    def init(self) -> None:
        super().init()
        self.internal_rows: list[InternalRow] = []

    def _cache_path(self) -> Path:
        configured = self.config.prolo_linkcheck_cache
        if configured:
            path = Path(configured)
            return path if path.is_absolute() else Path(self.confdir) / path
        return Path(self.outdir) / DEFAULT_CACHE_NAME

    def finish(self) -> None:
        offline = is_offline(app_of(self.env))
        now = time.time()
        cache = (
            None
            if offline
            else LinkCache.load(self._cache_path(), float(self.config.prolo_linkcheck_cache_ttl))
        )
        answered: list[CheckResult] = []
        to_check: dict[str, Hyperlink] = {}
        for uri, hyperlink in self.hyperlinks.items():
            if is_external(uri) and offline:
                answered.append(
                    CheckResult(
                        uri,
                        hyperlink.docname,
                        hyperlink.lineno,
                        "unchecked",  # type: ignore[arg-type]
                        __("offline mode: not requested"),
                        0,
                    )
                )
                continue
            entry = cache.fresh(uri, now) if cache is not None and is_external(uri) else None
            if entry is not None:
                checked = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(entry["checked"]))
                answered.append(
                    CheckResult(
                        uri,
                        hyperlink.docname,
                        hyperlink.lineno,
                        "working",  # type: ignore[arg-type]
                        __(" (from the link-check cache: working at %s)") % checked,
                        entry["code"],
                    )
                )
                continue
            to_check[uri] = hyperlink

        checker = HyperlinkAvailabilityChecker(self.config)
        logger.info("")
        output_text = Path(self.outdir) / "output.txt"
        output_json = Path(self.outdir) / "output.json"
        with (
            output_text.open("w", encoding="utf-8") as self.txt_outfile,
            output_json.open("w", encoding="utf-8") as self.json_outfile,
        ):
            for result in answered:
                self.process_result(result)
            for result in checker.check(to_check):
                self.process_result(result)
                if cache is not None and is_external(result.uri):
                    cache.record(result, time.time())
            for row in sorted(self.internal_rows, key=lambda r: (r.docname, r.lineno, r.uri)):
                self._report_internal(row)
            for review in overdue_reviews(self.env):
                # CI's check job fails on an overdue review and names the article.
                self._report_internal(
                    InternalRow(
                        review.docname,
                        review.line or 0,
                        f"review:{review.docname}",
                        False,
                        __("review overdue: the next review was due on %s") % review.due,
                    )
                )
        if cache is not None:
            cache.save()
        if self.broken_hyperlinks or self.timed_out_hyperlinks:
            app_of(self.env).statuscode = 1

    def _report_internal(self, row: InternalRow) -> None:
        result = CheckResult(
            row.uri,
            row.docname,
            row.lineno,
            ("working" if row.working else "broken"),  # type: ignore[arg-type]
            row.info,
            0,
        )
        self.process_result(result)
        if row.working:
            # Sphinx lists only problems in output.txt; internal rows are listed either way, so
            # that the report proves every reference was checked.
            self.write_entry(
                "working",
                row.docname,
                self.env.doc2path(row.docname, False),
                row.lineno,
                f"{row.uri}{row.info}",
            )


def setup_linkcheck(app: Sphinx) -> None:
    """Replace the linkcheck builder and collect internal references for it."""
    app.add_builder(ProloLinkcheckBuilder, override=True)
    app.add_post_transform(InternalReferenceCollector)
