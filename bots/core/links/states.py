"""What the wiki knows about the pages records link to: exists, redirect target (chains followed), text, moves.

Everything in bots.core.links works on this pure description (:class:`PageState`), which
bots.wiki.links looks up on a live wiki, so that links are testable without a wiki.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from bots.core.records.fields import normalise_title
from bots.core.records.model import PageSnapshot, Partnership
from bots.core.records.parse import TooComplex, bounded_parse
from bots.core.records.schema import FieldSpec, Schema


@dataclass(frozen=True)
class PageState:
    """What the wiki knows about a linked title."""

    title: str
    exists: bool
    #: The target's title when the page is a redirect, else "".
    redirect_to: str = ""
    #: The page's wikitext (empty for a redirect or a missing page).
    text: str = ""
    #: The redirects passed on the way to ``redirect_to`` (a double redirect), else ().
    via: tuple[str, ...] = ()
    #: The redirect chain leads back to itself; ``redirect_to`` is then its first step.
    loop: bool = False
    #: For a redirect: where the move log says the page at this title went, following its later
    #: moves; "" if no move left this redirect. Only a redirect that a move made is bypassed.
    moved_to: str = ""


#: Looks up the state of many titles at once (bots.wiki.links.page_states on a live wiki).
Lookup = Callable[[Sequence[str]], Mapping[str, PageState]]


def redirect_target(text: str) -> str:
    """The target of a redirect page's text (``#REDIRECT [[Target]]``), or ""."""
    text = text.lstrip()
    if not text.startswith("#"):
        return ""  # most pages: no need to parse them a second time
    try:
        code = bounded_parse(text)
    except TooComplex:
        return ""  # read as a page, and reported as too complex if it is an infobox page
    if not str(code).lower().startswith(("#redirect", "#weiterleitung")):
        return ""
    links = code.filter_wikilinks(recursive=False)
    if not links:
        return ""
    return normalise_title(str(links[0].title).split("#")[0]) or ""


def states_from_snapshots(snapshots: Iterable[PageSnapshot]) -> dict[str, PageState]:
    """The state of pages already read: redirects recognised from their text."""
    states = {}
    for snap in snapshots:
        target = redirect_target(snap.text)
        states[snap.title] = PageState(snap.title, True, target, "" if target else snap.text)
    return states


def lookup_from_states(states: Mapping[str, PageState]) -> Lookup:
    """A lookup over known pages (e.g. a seed file); any other title is missing.

    Like the wiki's API, it follows redirect chains to their end (see :func:`follow_redirects`).
    """

    def lookup(titles: Sequence[str]) -> dict[str, PageState]:
        found: dict[str, PageState] = {}
        pending = list(titles)
        while pending:
            title = pending.pop()
            if title not in found:
                found[title] = states.get(title, PageState(title, False))
                if found[title].redirect_to:
                    pending.append(found[title].redirect_to)
        return follow_redirects(found)

    return lookup


def follow(title: str, redirects: Mapping[str, str]) -> tuple[str, tuple[str, ...]] | None:
    """The end of the redirect chain from ``title``, and the redirects passed on the way; None for a loop."""
    passed = [title]
    target = redirects[title]
    while target in redirects and target not in passed:
        passed.append(target)
        target = redirects[target]
    if target in passed:
        return None
    return target, tuple(passed[1:])


#: The moves out of a title: (log id, new title), as the wiki's move log has them (ids grow with time).
MovesFrom = Callable[[str], Sequence[tuple[int, str]]]


def move_destination(title: str, moves_from: MovesFrom) -> str:
    """Where the page moved away from ``title`` last is now, by the move log; "" if none was.

    The redirect at a title is left by the latest move out of it (an earlier page there
    may have been moved elsewhere before); that page is then followed through each next
    move out of the title it reached. Log ids only grow, so this ends; unlike timestamps,
    they also order two moves made in the same second.
    """
    moves = moves_from(title)
    if not moves:
        return ""
    since, current = max(moves)
    while later := [(logid, to) for logid, to in moves_from(current) if logid > since]:
        since, current = min(later)
    return current if current != title else ""


def follow_redirects(states: Mapping[str, PageState]) -> dict[str, PageState]:
    """The states with each redirect pointing at the end of its chain (``via`` the redirects in between)."""
    redirects = {title: state.redirect_to for title, state in states.items() if state.redirect_to}
    followed = dict(states)
    for title, state in states.items():
        if not state.redirect_to or state.loop:
            continue
        end = follow(title, redirects)
        if end is None:
            followed[title] = replace(state, loop=True)
        elif end[1]:
            hops = [hop for step in end[1] for hop in (step, *states[step].via)]
            followed[title] = replace(state, redirect_to=end[0], via=(*state.via, *hops))
    return followed


def resolve(title: str, states: Mapping[str, PageState]) -> str:
    state = states.get(title)
    return state.redirect_to if state is not None and state.redirect_to else title


def page_fields(schema: Schema) -> list[FieldSpec]:
    """The fields whose values are pages of the wiki (not users)."""
    return [spec for spec in schema.fields if spec.kind.is_title and not spec.kind.namespace]


def linked_titles(records: Iterable[Partnership], schema: Schema) -> set[str]:
    """Every title that a page-link field of a record points at."""
    return {title for record in records for spec in page_fields(schema) for title in record.items(spec.name)}
