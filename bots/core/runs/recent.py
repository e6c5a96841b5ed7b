"""What changed on the wiki since the last run, from its recent changes: the pure part of ``-recent``.

A ``-recent`` run of bots.update does not list every infobox page. It reads the
wiki's recent changes since the last run (edits, page creations and the log
entries that make a page appear, vanish or move: move, delete and restore,
import, merge), plus the move log of every namespace (a page moved *into* the
partnership namespaces leaves its log row in the namespace it came from). From
those rows, :func:`plan_recent` says which titles to look up; the wiki module
looks them up in one query (latest revision, does the page still transclude the
infobox, and its text), and :func:`apply_lookup` says which cached pages to
refresh, drop or rename. Every other page is taken from the revision cache.

Rows are deduplicated two ways, so that the window's overlap costs nothing: a
row already handled by the last run (its id is in the cache's ``seen`` ids)
is skipped, and so is an edit to a cached page at a revision the cache has
already.

What recent changes cannot show (a page that starts transcluding the infobox
through an edit of *another* template, pages loaded with importDump.php, which
leaves no recent-changes rows) is caught by the full listing run, which the
scheduled jobs make once a day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

#: How far back of the last run's wiki time the next run starts: same-second edits, and
#: edits a database replica showed late, are not lost (rows seen already are skipped).
OVERLAP = timedelta(minutes=10)
#: $wgRCMaxAge when the wiki does not say (MediaWiki's default, 90 days) less a margin:
#: older recent changes are purged, so a run from before that cannot trust them.
DEFAULT_RC_MAX_AGE = timedelta(days=90)
RC_MAX_AGE_MARGIN = timedelta(days=1)
#: Log types whose entries can make a page appear, vanish, move or get other revisions.
PAGE_LOGS = frozenset({"move", "delete", "import", "merge"})
#: Recent-changes requests (5,000 rows each with apihighlimits) after which a full listing is cheaper and surer.
MAX_RC_REQUESTS = 40


def wiki_time(text: str) -> datetime:
    """A MediaWiki timestamp (2024-05-01T12:00:00Z) as an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def wiki_timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_start(now: str) -> str:
    """Where the next run's window begins: this run's wiki time less the overlap."""
    return wiki_timestamp(wiki_time(now) - OVERLAP)


def fallback_reason(since: str, now: datetime, rc_max_age: timedelta | None = None) -> str:
    """Why a ``-recent`` run must list every page instead ("" when recent changes will do)."""
    if not since:
        return "no earlier run has left a time to start from"
    try:
        start = wiki_time(since)
    except ValueError:
        return f"the cache's start time {since!r} cannot be read"
    limit = (rc_max_age or DEFAULT_RC_MAX_AGE) - RC_MAX_AGE_MARGIN
    if now - start > limit:
        return (
            f"the last run's time ({since}) is older than the wiki keeps recent changes "
            f"({limit.days} days with a margin)"
        )
    return ""


@dataclass(frozen=True)
class RecentPlan:
    """The titles to look up, and what the rows said (for the run's messages)."""

    titles: tuple[str, ...]
    deleted: tuple[str, ...] = ()
    #: (from, to) of each move touching the namespaces.
    moved: tuple[tuple[str, str], ...] = ()
    #: Rows read and rows skipped as handled already.
    rows: int = 0
    skipped: int = 0
    #: Why the rows cannot be trusted ("" when they can): a row without its title (hidden).
    incomplete: str = ""


@dataclass(frozen=True)
class Known:
    """A cached page: its title and the revision the cache holds."""

    title: str
    revid: int


def row_key(row: Mapping[str, Any]) -> str:
    """A row's identity across runs: its recent-changes id, or its log id for a move log entry."""
    if "rcid" in row:
        return f"rc{row['rcid']}"
    return f"log{row.get('logid', 0)}"


def plan_recent(
    rc_rows: Iterable[Mapping[str, Any]],
    move_events: Iterable[Mapping[str, Any]],
    namespaces: Iterable[int],
    known: Mapping[int, Known],
    seen: Iterable[str] = (),
) -> RecentPlan:
    """Which titles must be looked up, from recent-changes rows and move log events (formatversion 2)."""
    wanted = set(namespaces)
    handled = set(seen)
    titles: dict[str, None] = {}
    deleted: dict[str, None] = {}
    moved: dict[tuple[str, str], None] = {}
    logs_done: set[int] = set()
    rows = skipped = 0
    incomplete = ""
    for row in rc_rows:
        rows += 1
        if row_key(row) in handled:
            skipped += 1
            continue
        if "title" not in row:
            incomplete = f"a recent change ({row_key(row)}) hides its page's title"
            continue
        kind = row.get("type")
        if kind in ("edit", "new"):
            cached = known.get(int(row.get("pageid", 0)))
            if cached is not None and cached.title == row["title"] and cached.revid >= int(row.get("revid", 0)):
                skipped += 1  # the cache has this revision already
                continue
            titles[row["title"]] = None
        elif kind == "log" and row.get("logtype") in PAGE_LOGS:
            logs_done.add(int(row.get("logid", 0)))
            titles[row["title"]] = None
            if row.get("logtype") == "delete" and row.get("logaction") in ("delete", "delete_redir"):
                deleted[row["title"]] = None
            target = _move_target(row.get("logparams"))
            if row.get("logtype") == "move" and target:
                titles[target] = None
                moved[(row["title"], target)] = None
    for event in move_events:
        rows += 1
        if int(event.get("logid", 0)) in logs_done or row_key(event) in handled:
            skipped += 1
            continue
        target = _move_target(event.get("params"))
        if "title" not in event or not target:
            incomplete = incomplete or f"a move ({row_key(event)}) hides its titles"
            continue
        target_ns = int((event.get("params") or {}).get("target_ns", -1))
        if int(event.get("ns", -1)) in wanted or target_ns in wanted:
            titles[event["title"]] = None
            titles[target] = None
            moved[(event["title"], target)] = None
    return RecentPlan(
        titles=tuple(titles),
        deleted=tuple(deleted),
        moved=tuple(moved),
        rows=rows,
        skipped=skipped,
        incomplete=incomplete,
    )


def _move_target(params: Any) -> str:
    if isinstance(params, Mapping):
        return str(params.get("target_title", ""))
    return ""


def seen_since(rows: Iterable[Mapping[str, Any]], start: str) -> list[str]:
    """The ids of rows at or after ``start`` (the next window's overlap): the next run skips them."""
    return sorted({row_key(row) for row in rows if str(row.get("timestamp", "")) >= start})


@dataclass(frozen=True)
class Found:
    """A looked-up title as the wiki has it now (pageid 0: no such page)."""

    title: str
    pageid: int = 0
    revid: int = 0
    ns: int = 0
    redirect: bool = False
    uses_infobox: bool = False
    text: str | None = None

    def is_record_page(self, namespaces: Iterable[int]) -> bool:
        """Would a full listing list it: it exists, is no redirect, is in the namespaces, transcludes the infobox."""
        return bool(self.pageid) and not self.redirect and self.ns in set(namespaces) and self.uses_infobox


@dataclass
class Update:
    """What the lookup means for the cache: pages to store (new text), page ids to drop, renames."""

    refresh: list[Found] = field(default_factory=list)
    drop: set[int] = field(default_factory=set)
    renamed: list[tuple[str, str]] = field(default_factory=list)


def apply_lookup(
    known: Mapping[int, Known],
    found: Sequence[Found],
    namespaces: Iterable[int],
    holder: Callable[[str], int | None] | None = None,
) -> Update:
    """Decide each looked-up page's fate; pages not looked up stay as the cache has them.

    A record page at a new revision or under a new title is refreshed (a new title
    is a rename); a cached page found missing, a redirect, outside the namespaces
    or without the infobox is dropped, and so is a cached page whose title now
    belongs to another page (unless it was found under another title: a move).
    ``holder(title)`` is the id of the cached page with that title (by default
    found by going through ``known``; the revision cache looks it up instead).
    """
    wanted = tuple(namespaces)
    if holder is None:
        by_title = {entry.title: pageid for pageid, entry in known.items()}
        holder = by_title.get
    update = Update()
    kept: set[int] = set()
    for page in found:
        holding = holder(page.title)
        if holding is not None and holding != page.pageid:
            update.drop.add(holding)  # the title is gone, or another page's now
        if not page.is_record_page(wanted):
            if page.pageid in known:
                update.drop.add(page.pageid)
            continue
        kept.add(page.pageid)
        cached = known.get(page.pageid)
        if cached is not None and cached.title == page.title and cached.revid == page.revid:
            continue
        if cached is not None and cached.title != page.title:
            update.renamed.append((cached.title, page.title))
        update.refresh.append(page)
    update.drop -= kept
    return update
