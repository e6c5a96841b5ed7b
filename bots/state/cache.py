"""The revision cache: what a run learnt about each page, kept for the next run.

An SQLite file (one row per page, keyed by page id): the revision the page was
read at, its title and text, and the record and problems found in it. A run lists
every infobox page with its latest revision id (cheap: thousands of pages per
request), then needs the text only of pages whose revision changed, and parses
and validates only those. Nothing is read whole unless the run needs it: a
``-recent`` run with nothing new looks up only the pages that recent changes
name, by id or title (bots.core.runs.quiet: it reads no record at all).

What invalidates what:
- a new revision, or a new title (a move), of a page: that page is read again;
- a page no longer listed (deleted, or its infobox removed): dropped;
- a change of the schema, of the infobox's names (aliases, redirects) or of the
  code that parses and validates: every page's record and problems are derived
  again, from the cached text (no need to fetch it again) -- the fingerprint;
- another wiki or a newer cache format, or a file that is no cache: a new cache
  is built beside it and replaces it when the run saves;
- ``-full``: the cache is not read, and is replaced by what the run fetched.

It also keeps the wiki's time of the last run's reading (``since``, less an
overlap), the recent-changes rows already handled in that overlap (``seen``), from
which a ``-recent`` run starts (bots.core.runs.recent), and what a quiet run needs to
know that nothing changed (bots.core.runs.quiet). A run's changes are one transaction,
committed by :func:`save_cache`: a run that dies leaves the cache as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots.core.pipeline import PageResult
from bots.core.records.model import Issue, PageSnapshot, Partnership, Value
from bots.core.records.schema import Schema
from bots.core.runs.recent import Known, Update
from bots.state.fingerprint import code_fingerprint

FORMAT = 2

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    pageid INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    revid INTEGER NOT NULL,
    text TEXT NOT NULL,
    result TEXT
);
CREATE INDEX IF NOT EXISTS pages_by_title ON pages (title);
"""


@dataclass(frozen=True)
class Listed:
    """A page as the wiki lists it, without its text."""

    pageid: int
    title: str
    revid: int


class KnownPages(Mapping[int, Known]):
    """The cached pages' titles and revisions, looked up one by one (never read whole unless iterated)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getitem__(self, pageid: int) -> Known:
        row = self.db.execute("SELECT title, revid FROM pages WHERE pageid = ?", (pageid,)).fetchone()
        if row is None:
            raise KeyError(pageid)
        return Known(row[0], row[1])

    def __iter__(self) -> Iterator[int]:
        return (row[0] for row in self.db.execute("SELECT pageid FROM pages ORDER BY pageid").fetchall())

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])

    def holder(self, title: str) -> int | None:
        """The id of the cached page with this title, if any."""
        row = self.db.execute("SELECT pageid FROM pages WHERE title = ?", (title,)).fetchone()
        return None if row is None else int(row[0])


class PageCache:
    """The cache of one wiki, open for one run; :func:`save_cache` commits what the run changed.

    Without ``db``, an empty cache in memory; :func:`load_cache` opens the file.
    """

    def __init__(
        self, site: str, fingerprint: str, db: sqlite3.Connection | None = None, replaces: Path | None = None
    ) -> None:
        self.site = site
        self.fingerprint = fingerprint
        self.db = db or sqlite3.connect(":memory:")
        self.db.executescript(_TABLES)
        #: A new cache built beside the file it will replace when saved (None: the file itself, or memory).
        self.replaces = replaces
        #: The wiki time from which the next -recent run reads recent changes ("" unknown), and
        #: the rows at or after it that were handled (bots.core.runs.recent.row_key).
        self.since = self._meta("since")
        self.seen: list[str] = json.loads(self._meta("seen") or "[]")
        #: Why the file could not be used whole ("" when it could): a -recent run then lists every page.
        self.note = ""
        #: In this run: pages whose text was fetched; derived from their text; taken as they were.
        self.fetched = self.derived = self.reused = 0
        #: Since the last commit, the pages or their records changed (what a quiet run relies on is then void).
        self.changed = False

    def _meta(self, key: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return "" if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        if self._meta(key) != value:
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def path(self) -> Path | None:
        """The file the connection writes (None in memory)."""
        (name,) = [row[2] for row in self.db.execute("PRAGMA database_list") if row[1] == "main"]
        return Path(name) if name else None

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is None

    def pageids(self) -> list[int]:
        return list(self.known())

    # --- which pages to fetch ------------------------------------------------------

    def plan(self, listed: Iterable[Listed]) -> tuple[list[PageSnapshot], list[Listed]]:
        """Split the listed pages into those the cache has at their latest revision and those to fetch."""
        cached = {row[0]: row[1:] for row in self.db.execute("SELECT pageid, title, revid, text FROM pages")}
        known: list[PageSnapshot] = []
        fetch: list[Listed] = []
        for page in listed:
            title, revid, text = cached.get(page.pageid, ("", 0, ""))
            if (title, revid) == (page.title, page.revid):
                known.append(PageSnapshot(title=title, text=text, revid=revid, pageid=page.pageid))
            else:
                fetch.append(page)
        return known, fetch

    def keep_only(self, snapshots: Sequence[PageSnapshot]) -> None:
        """Make the cache hold exactly these pages: new texts stored, vanished pages dropped."""
        cached = {row[0]: row[1:] for row in self.db.execute("SELECT pageid, title, revid FROM pages")}
        self._store(snap for snap in snapshots if cached.get(snap.pageid) != (snap.title, snap.revid))
        gone = cached.keys() - {snap.pageid for snap in snapshots}
        self._drop(gone)

    def known(self) -> KnownPages:
        """Each cached page's title and revision (what bots.core.runs.recent compares recent changes with)."""
        return KnownPages(self.db)

    def apply(self, update: Update) -> None:
        """Store the refreshed pages' new revisions and texts, drop the pages that left."""
        self._drop(update.drop)
        self._store(
            PageSnapshot(title=page.title, text=page.text or "", revid=page.revid, pageid=page.pageid)
            for page in update.refresh
        )
        self.fetched = len(update.refresh)

    def _store(self, snapshots: Iterable[PageSnapshot]) -> None:
        rows = [(snap.pageid, snap.title, snap.revid, snap.text) for snap in snapshots]
        if rows:
            self.db.executemany("INSERT OR REPLACE INTO pages (pageid, title, revid, text) VALUES (?, ?, ?, ?)", rows)
            self.changed = True

    def _drop(self, pageids: Iterable[int]) -> None:
        dropped = self.db.executemany("DELETE FROM pages WHERE pageid = ?", [(pageid,) for pageid in pageids])
        if dropped.rowcount > 0:
            self.changed = True

    def snapshots(self) -> list[PageSnapshot]:
        """Every cached page as a snapshot, in page-id order."""
        return [
            PageSnapshot(title=title, text=text, revid=revid, pageid=pageid)
            for pageid, title, revid, text in self.db.execute(
                "SELECT pageid, title, revid, text FROM pages ORDER BY pageid"
            )
        ]

    def start_next_run_at(self, since: str, seen: list[str]) -> None:
        self.since, self.seen = since, seen

    # --- the records and problems of each page -------------------------------------

    def check(self, snap: PageSnapshot, derive: Callable[[PageSnapshot], PageResult]) -> PageResult:
        """The page's record and problems: from the cache if derived from this revision, else ``derive(snap)``."""
        row = self.db.execute(
            "SELECT result FROM pages WHERE pageid = ? AND revid = ? AND title = ?",
            (snap.pageid, snap.revid, snap.title),
        ).fetchone()
        if row is not None and row[0]:
            self.reused += 1
            return result_from_json(json.loads(row[0]))
        result = derive(snap)
        self.derived += 1
        if row is not None:
            self.db.execute(
                "UPDATE pages SET result = ? WHERE pageid = ?",
                (json.dumps(result_to_json(result), ensure_ascii=False, separators=(",", ":")), snap.pageid),
            )
            self.changed = True
        return result

    # --- what a quiet run relies on (bots.core.runs.quiet) ------------------------------

    def quiet_state(self) -> dict[str, Any] | None:
        """What the last complete run left for the next quiet run; None if void (pages changed since)."""
        text = self._meta("quiet")
        return json.loads(text) if text else None

    def remember_quiet_state(self, state: Mapping[str, Any] | None) -> None:
        self._set_meta("quiet", json.dumps(state, sort_keys=True) if state is not None else "")

    # --- the file ------------------------------------------------------------------

    def commit(self) -> None:
        """Keep this run's changes (with the -recent window); a page change voids the quiet state."""
        for key, value in (
            ("format", str(FORMAT)),
            ("site", self.site),
            ("fingerprint", self.fingerprint),
            ("since", self.since),
            ("seen", json.dumps(self.seen)),
        ):
            self._set_meta(key, value)
        if self.changed:
            self._set_meta("quiet", "")
        self.db.commit()
        self.changed = False


def fingerprint(schema: Schema, template_names: Iterable[str]) -> str:
    """Changes whenever the records derived from an unchanged page could change."""
    digest = hashlib.sha256(repr((FORMAT, schema, sorted(template_names))).encode())
    digest.update(code_fingerprint().encode())  # the one code fingerprint: any module of bots/
    return digest.hexdigest()[:16]


def load_cache(path: Path, site: str, fingerprint_: str, full: bool = False) -> tuple[PageCache, str]:
    """Open the cache file, and a note on what could not be used ("" when all could; also ``cache.note``).

    A missing file, one of another wiki or format, or no cache at all gives an empty
    cache (built beside the file, replacing it on save); so does ``full``.
    """
    if full:
        return _afresh(path, site, fingerprint_, "-full: the revision cache is not read")
    if not path.exists():
        return _afresh(path, site, fingerprint_, f"no cache yet at {path}")
    try:
        db = sqlite3.connect(path)
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error as exc:
        return _afresh(path, site, fingerprint_, f"cannot read the cache {path} ({exc}); starting afresh")
    unusable = ""
    if meta.get("format") != str(FORMAT):
        unusable = "the cache has another format; starting afresh"
    elif meta.get("site") != site:
        unusable = f"the cache is of another wiki ({meta.get('site')!r}); starting afresh"
    if unusable:
        db.close()
        return _afresh(path, site, fingerprint_, unusable)
    cache = PageCache(site, fingerprint_, db)
    if meta.get("fingerprint") != fingerprint_:
        db.execute("UPDATE pages SET result = NULL")
        cache.changed = True
        cache.note = "the schema, the infobox's names or the bot changed: every page is validated again"
    return cache, cache.note


def _afresh(path: Path, site: str, fingerprint_: str, note: str) -> tuple[PageCache, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):  # of a run that died (the run lock allows one)
        leftover.unlink(missing_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    cache = PageCache(site, fingerprint_, sqlite3.connect(temporary), replaces=path)
    cache.changed = True
    cache.note = note
    return cache, note


def save_cache(cache: PageCache) -> None:
    """Commit the run's changes; a cache built afresh then takes the old file's place, whole."""
    cache.commit()
    if cache.replaces is None:
        return
    built = cache.path
    assert built is not None, "a cache built afresh is a file"
    cache.db.close()
    os.replace(built, cache.replaces)
    cache.db = sqlite3.connect(cache.replaces)
    cache.replaces = None


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
        else {
            "title": record.title,
            "values": {k: _value_to_json(v) for k, v in record.values.items()},
            "written": record.written,
        },
        "issues": [[i.page, i.field, i.code, i.severity, i.message, i.suggestion] for i in issues],
    }


def result_from_json(data: dict[str, Any]) -> PageResult:
    raw = data["record"]
    record = (
        None
        if raw is None
        else Partnership(
            title=raw["title"],
            values={k: _value_from_json(v) for k, v in raw["values"].items()},
            written=dict(raw.get("written", {})),
        )
    )
    issues = [
        Issue(page=p, field=f, code=c, severity=s, message=m, suggestion=g) for p, f, c, s, m, g in data["issues"]
    ]
    return record, issues
