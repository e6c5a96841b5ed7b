"""What the wiki's logs say about a page that is missing or a redirect: was it moved, or deleted by an admin?

The bot never writes under a redirect and never re-creates a page an admin
deleted. These pure functions read the answer of list=logevents for one title
(newest entry first, as the API gives it) and word the messages for the run's
output and the status page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: The log actions that end a page's life under its title (delete/delete_redir is a redirect a move replaced).
_MOVES = ("move", "move_redir")
_DELETES = ("delete",)


@dataclass(frozen=True)
class LogEntry:
    """A move or a deletion of a title: when, by whom, and (for a move) where the page went."""

    action: str
    timestamp: str
    user: str
    target: str = ""
    #: The namespace number of the target of a move (None when the log does not say).
    target_ns: int | None = None

    @property
    def moved(self) -> bool:
        return self.action in _MOVES

    @property
    def when(self) -> str:
        """The entry's time as a person reads it: "2026-01-02 10:30 UTC"."""
        return f"{self.timestamp[:10]} {self.timestamp[11:16]} UTC" if len(self.timestamp) >= 16 else self.timestamp


def _entry(event: Mapping[str, Any]) -> LogEntry:
    params = event.get("params") or {}
    target_ns = params.get("target_ns")
    return LogEntry(
        action=str(event.get("action", "")),
        timestamp=str(event.get("timestamp", "")),
        user=str(event.get("user", "")),
        target=str(params.get("target_title", "")),
        target_ns=int(target_ns) if isinstance(target_ns, int) else None,
    )


def _entries(events: Iterable[Mapping[str, Any]], title: str, actions: tuple[str, ...]) -> list[LogEntry]:
    """The entries of ``title`` with one of ``actions``, newest first (whatever order they came in)."""
    found = [
        _entry(event)
        for event in events
        if event.get("title") == title and event.get("action") in actions and event.get("type") in ("move", "delete")
    ]
    return sorted(found, key=lambda entry: entry.timestamp, reverse=True)


def last_move(events: Iterable[Mapping[str, Any]], title: str) -> LogEntry | None:
    """The newest move of ``title`` to another title (None: it was never moved)."""
    moves = [entry for entry in _entries(events, title, _MOVES) if entry.target]
    return moves[0] if moves else None


def why_missing(events: Iterable[Mapping[str, Any]], title: str) -> LogEntry | None:
    """Why a missing page is missing: its newest move or deletion; None when it never existed (or the log
    has forgotten it), which is the one case where the bot may create it."""
    entries = _entries(events, title, _MOVES + _DELETES)
    return entries[0] if entries else None


def deleted_message(title: str, deletion: LogEntry) -> str:
    """For the run's output and the status page: a generated page an admin deleted is not re-created."""
    who = f" ({deletion.user})" if deletion.user else ""
    return (
        f"[[{title}]] was deleted by an admin{who} on {deletion.when}; the bot does not re-create it: "
        "restore it or remove it from pages.yaml."
    )


def deleted_during_run_message(title: str) -> str:
    return f"Skipped [[{title}]]: it was deleted during the run; the bot does not re-create it."


def moved_message(old: str, new: str, move: LogEntry) -> str:
    """For the run's output and the status page: a generated page was moved, the bot followed it."""
    who = f" by {move.user}" if move.user else ""
    return (
        f"[[{old}]] was moved to [[{new}]]{who} on {move.when}: the bot wrote its region on [[{new}]]. "
        f"Update pages.yaml to the new title ({new})."
    )


def moved_elsewhere_message(old: str, new: str) -> str:
    return (
        f"[[{old}]] was moved to [[{new}]], in another namespace: the bot does not follow it there. "
        "Move it back, or update pages.yaml."
    )


def redirect_message(target: str, where: str = "the bot") -> str:
    """A page that is a redirect no move made: the bot neither writes under it nor overwrites it.

    ``where``: what to point at the page readers see instead (e.g. "pages.yaml").
    """
    to = f" to [[{target}]]" if target else ""
    return (
        f"it is a redirect{to} that no move made; the bot never writes under a redirect nor overwrites one. "
        f"Turn it back into a page, or point {where} at the page readers see."
    )
