"""A quiet ``-recent`` run: knowing that nothing changed without reading the records.

After a run that left every generated page and every volunteer's list as it
rendered them, bots.update keeps a :class:`QuietState` in the revision cache: the
fingerprint of the records and problems (bots.core.pages.render_state.checked_fingerprint),
the titles the link check looked up and the fingerprint of what it found, the
pages holding lists with their revisions, and the run's counts. The next
``-recent`` run whose recent changes name no page to look at checks only those
(a few requests: the linked pages, the list pages' revisions, and the generated
pages' revisions as every quiet run does) and, if all are as they were, stops
without reading a single record from the cache: its time and memory do not grow
with the number of records (only with the linked pages and the generated
subpages). Anything else (an edit anywhere in the namespaces, a linked page or a
list changed, a generated page edited, new settings, templates or code) makes it
an ordinary run, and the state is written again at its end.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bots.core.links.states import Lookup, PageState

FORMAT = 1


@dataclass(frozen=True)
class QuietState:
    """What the last complete run found, for the next quiet run to compare with."""

    #: bots.core.pages.render_state.checked_fingerprint of the run's records and problems.
    checked: str
    #: The titles the link check looked up, and the fingerprint of their states then.
    linked: tuple[str, ...]
    links: str
    #: The pages holding volunteers' lists, and their revisions once the run had filled them.
    lists: Mapping[str, int]
    #: The counts the status page shows.
    pages: int
    records: int
    problems: int
    errors: int
    #: The fingerprint of the bot's code (bots/**/*.py: bots.state.fingerprint.code_fingerprint)
    #: that found it: new code makes the next run an ordinary one.
    code: str

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **asdict(self), "linked": list(self.linked), "lists": dict(self.lists)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> QuietState | None:
        """The state, or None when there is none or it is of another format."""
        if not data or data.get("format") != FORMAT:
            return None
        try:
            return cls(
                checked=str(data["checked"]),
                linked=tuple(str(title) for title in data["linked"]),
                links=str(data["links"]),
                lists={str(title): int(revid) for title, revid in data["lists"].items()},
                pages=int(data["pages"]),
                records=int(data["records"]),
                problems=int(data["problems"]),
                errors=int(data["errors"]),
                code=str(data["code"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def states_fingerprint(states: Mapping[str, PageState]) -> str:
    """The linked pages' states in a fixed order (title, existence, redirect, text)."""
    digest = hashlib.sha256()
    for title, state in sorted(states.items()):
        digest.update(repr((title, state)).encode())
    return digest.hexdigest()


class RecordingLookup:
    """A link lookup (bots.core.links.states.Lookup) that keeps what it was asked and what it found."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.titles: list[str] = []
        self.states: dict[str, PageState] = {}

    def __call__(self, titles: Sequence[str]) -> Mapping[str, PageState]:
        found = self.lookup(titles)
        self.titles.extend(titles)
        self.states.update(found)
        return found


def why_not_quiet(
    state: QuietState | None,
    lookup: Callable[[Sequence[str]], Mapping[str, PageState]],
    list_revisions: Callable[[], Mapping[str, int]],
    *,
    code: str,
) -> str:
    """Why this run must read the records ("" when the last run's result still holds); asks the
    wiki (through ``lookup`` and ``list_revisions``) only as far as needed. ``code`` is the
    fingerprint of this run's code (bots.state.fingerprint.code_fingerprint)."""
    if state is None:
        return "the last run left no quiet state (it changed something, or did not finish)"
    if state.code != code:
        return "the bot's code changed"
    if states_fingerprint(lookup(state.linked) if state.linked else {}) != state.links:
        return "a page the records link to changed"
    if dict(list_revisions()) != dict(state.lists):
        return "a page with a volunteers' list changed"
    return ""
