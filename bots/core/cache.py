"""The revision cache: what a run learnt about each page, kept for the next run.

Keyed by page id; an entry holds the revision it was read at, its text, and the
record and problems found in it. A run lists every infobox page with its latest
revision id (cheap: thousands of pages per request), then needs the text only of
pages whose revision changed, and parses and validates only those.

What invalidates what:
- a new revision, or a new title (a move), of a page: that page is read again;
- a page no longer listed (deleted, or its infobox removed): dropped;
- a change of the schema, of the infobox's names (aliases, redirects) or of the
  code that parses and validates: every page's record and problems are derived
  again, from the cached text (no need to fetch it again) -- the fingerprint;
- another wiki or a newer cache format: the whole cache is ignored;
- ``-full``: the cache is not read, and is rewritten from what the run fetched.

It also keeps the wiki's time of the last run's reading (``since``, less an overlap)
and the recent-changes rows already handled in that overlap (``seen``): a
``-recent`` run starts there (bots.core.changes). They live in a small file next to
the cache (``<cache>.recent.json``), written after it, so that a quiet run, whose
time moves on, does not rewrite the whole cache with every page's text.

The generated pages are rendered on every run from all the records; the Jinja
templates therefore need no fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.core.changes import Known, Update
from bots.core.model import Issue, PageSnapshot, Partnership, Value
from bots.core.schema import Schema

FORMAT = 1
#: The modules whose code decides a page's record and problems.
_DERIVING_MODULES = ("model.py", "parse.py", "schema.py", "validate.py", "pipeline.py", "cache.py")

PageResult = tuple[Partnership | None, list[Issue]]


@dataclass(frozen=True)
class Listed:
    """A page as the wiki lists it, without its text."""

    pageid: int
    title: str
    revid: int


@dataclass
class Entry:
    title: str
    revid: int
    text: str
    #: The record and problems, serialised; None until derived under the current fingerprint.
    result: dict[str, Any] | None = None


@dataclass
class PageCache:
    site: str
    fingerprint: str
    entries: dict[int, Entry] = field(default_factory=dict)
    #: The wiki time from which the next -recent run reads recent changes ("" unknown), and
    #: the rows at or after it that were handled (bots.core.changes.row_key).
    since: str = ""
    seen: list[str] = field(default_factory=list)
    #: Why the file could not be used whole ("" when it could): a -recent run then lists every page.
    note: str = ""
    #: In this run: pages whose text was fetched; derived from their text; taken as they were.
    fetched: int = 0
    derived: int = 0
    reused: int = 0
    #: Something in this run changed what the file would hold (else saving it again is skipped).
    changed: bool = False

    # --- which pages to fetch ------------------------------------------------------

    def plan(self, listed: Iterable[Listed]) -> tuple[list[PageSnapshot], list[Listed]]:
        """Split the listed pages into those the cache has at their latest revision and those to fetch."""
        known: list[PageSnapshot] = []
        fetch: list[Listed] = []
        for page in listed:
            entry = self.entries.get(page.pageid)
            if entry is not None and entry.revid == page.revid and entry.title == page.title:
                known.append(PageSnapshot(title=page.title, text=entry.text, revid=page.revid, pageid=page.pageid))
            else:
                fetch.append(page)
        return known, fetch

    def keep_only(self, snapshots: Sequence[PageSnapshot]) -> None:
        """Make the cache hold exactly these pages: new texts stored, vanished pages dropped."""
        entries: dict[int, Entry] = {}
        for snap in snapshots:
            entry = self.entries.get(snap.pageid)
            if entry is None or entry.revid != snap.revid or entry.title != snap.title:
                entry = Entry(title=snap.title, revid=snap.revid, text=snap.text)
                self.changed = True
            entries[snap.pageid] = entry
        self.changed = self.changed or len(entries) != len(self.entries)
        self.entries = entries

    def known(self) -> dict[int, Known]:
        """Each cached page's title and revision (what bots.core.changes compares recent changes with)."""
        return {pageid: Known(entry.title, entry.revid) for pageid, entry in self.entries.items()}

    def apply(self, update: Update) -> None:
        """Store the refreshed pages' new revisions and texts, drop the pages that left."""
        for pageid in update.drop:
            if self.entries.pop(pageid, None) is not None:
                self.changed = True
        for page in update.refresh:
            self.entries[page.pageid] = Entry(title=page.title, revid=page.revid, text=page.text or "")
            self.changed = True
        self.fetched = len(update.refresh)

    def snapshots(self) -> list[PageSnapshot]:
        """Every cached page as a snapshot, in page-id order."""
        return [
            PageSnapshot(title=e.title, text=e.text, revid=e.revid, pageid=pageid)
            for pageid, e in sorted(self.entries.items())
        ]

    def start_next_run_at(self, since: str, seen: list[str]) -> None:
        self.since, self.seen = since, seen

    # --- the records and problems of each page -------------------------------------

    def check(self, snap: PageSnapshot, derive: Callable[[PageSnapshot], PageResult]) -> PageResult:
        """The page's record and problems: from the cache if derived from this revision, else ``derive(snap)``."""
        entry = self.entries.get(snap.pageid)
        if entry is not None and entry.revid == snap.revid and entry.title == snap.title and entry.result:
            self.reused += 1
            return result_from_json(entry.result)
        result = derive(snap)
        self.derived += 1
        if entry is not None and entry.revid == snap.revid and entry.title == snap.title:
            entry.result = result_to_json(result)
            self.changed = True
        return result

    # --- the file ------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "site": self.site,
            "fingerprint": self.fingerprint,
            "pages": {
                str(pageid): {"title": e.title, "revid": e.revid, "text": e.text, "result": e.result}
                for pageid, e in sorted(self.entries.items())
            },
        }


def fingerprint(schema: Schema, template_names: Iterable[str]) -> str:
    """Changes whenever the records derived from an unchanged page could change."""
    digest = hashlib.sha256(repr((FORMAT, schema, sorted(template_names))).encode())
    core = Path(__file__).resolve().parent
    for name in _DERIVING_MODULES:
        digest.update((core / name).read_bytes())
    return digest.hexdigest()[:16]


def cache_from_json(data: Any, site: str, fingerprint_: str) -> tuple[PageCache, str]:
    """A cache from a file's content, and a note on what could not be used ("" when all could)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        note = "the cache has another format; starting afresh"
        return PageCache(site=site, fingerprint=fingerprint_, note=note), note
    if data.get("site") != site:
        note = f"the cache is of another wiki ({data.get('site')!r}); starting afresh"
        return PageCache(site=site, fingerprint=fingerprint_, note=note), note
    same = data.get("fingerprint") == fingerprint_
    entries = {
        int(pageid): Entry(
            title=str(page["title"]),
            revid=int(page["revid"]),
            text=str(page["text"]),
            result=page.get("result") if same else None,
        )
        for pageid, page in data.get("pages", {}).items()
    }
    note = "" if same else "the schema, the infobox's names or the bot changed: every page is validated again"
    return PageCache(site=site, fingerprint=fingerprint_, entries=entries, note=note), note


def load_cache(path: Path, site: str, fingerprint_: str) -> tuple[PageCache, str]:
    """Read the cache file; a missing or unreadable one gives an empty cache and says why."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        note = f"no cache yet at {path}"
        return PageCache(site=site, fingerprint=fingerprint_, note=note), note
    except (OSError, ValueError) as exc:
        note = f"cannot read the cache {path} ({exc}); starting afresh"
        return PageCache(site=site, fingerprint=fingerprint_, note=note), note
    cache, note = cache_from_json(data, site, fingerprint_)
    if not note or cache.entries:  # a -recent run needs both files of the same wiki
        cache.since, cache.seen = read_window(window_file(path), site)
    return cache, note


def window_file(path: Path) -> Path:
    """Where the -recent window lives: next to the cache."""
    return path.with_name(f"{path.stem}.recent.json")


def read_window(path: Path, site: str) -> tuple[str, list[str]]:
    """(since, seen) of the last run on ``site``; ("", []) when there is none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("site") != site:
            return "", []
        return str(data["since"]), [str(key) for key in data["seen"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "", []


def save_cache(path: Path, cache: PageCache) -> None:
    """Write the cache whole or not at all (a new file renamed over the old one), if it changed;
    then the -recent window (so that the window never gets ahead of the pages)."""
    if cache.changed or not path.exists():
        _write_atomically(path, json.dumps(cache.to_json(), ensure_ascii=False, separators=(",", ":")))
    window = window_file(path)
    if cache.since and read_window(window, cache.site) != (cache.since, cache.seen):
        _write_atomically(window, json.dumps({"site": cache.site, "since": cache.since, "seen": cache.seen}))


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# --- records and problems as JSON ----------------------------------------------------


def _value_to_json(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _value_from_json(value: Any) -> Value:
    return tuple(value) if isinstance(value, list) else value


def result_to_json(result: PageResult) -> dict[str, Any]:
    record, issues = result
    return {
        "record": None
        if record is None
        else {"title": record.title, "values": {k: _value_to_json(v) for k, v in record.values.items()}},
        "issues": [[i.page, i.field, i.code, i.severity, i.message, i.suggestion] for i in issues],
    }


def result_from_json(data: dict[str, Any]) -> PageResult:
    raw = data["record"]
    record = (
        None
        if raw is None
        else Partnership(title=raw["title"], values={k: _value_from_json(v) for k, v in raw["values"].items()})
    )
    issues = [
        Issue(page=p, field=f, code=c, severity=s, message=m, suggestion=g) for p, f, c, s, m, g in data["issues"]
    ]
    return record, issues
