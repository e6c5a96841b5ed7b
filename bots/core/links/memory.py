"""Which `related` links bots.crosslink may add, and what it remembers between runs to decide.

A one-way related link (A lists B, B does not list A) has two causes that look
the same on the wiki: A's volunteer just added B (the bot should add A to B), or
B's volunteer removed A (the bot must not put it back). The bot tells them apart
by remembering, between runs, the pairs of pages that listed each other when it
last looked (:func:`remembered_pairs`). A pair it remembers that is now one-way
was cut by hand: it is left alone and reported, never mended. Carrying the
removal over (taking B off A's list too) would also be possible, but it would
undo the other volunteer's entry on the strength of one edit, which may be a
slip or vandalism; a report lets people decide.

The rest of :func:`plan_links` keeps a careless or hostile record from making the
bot edit many pages: a record with validation errors causes no additions, and
one record causes at most ``max_links_per_page`` additions in a run; beyond that,
none of its additions is made and the run says why.

The pairs are kept between runs by bots.state.link_memory (a small SQLite file next
to the revision cache); here are only the decisions, over plain sets of pairs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bots.core.links.fixes import Fix
from bots.core.links.states import PageState, resolve
from bots.core.records.model import Issue, Partnership
from bots.core.records.words import DEFAULT_WORDS, Words

#: Two titles that list each other, in sorted order.
Pair = tuple[str, str]


def pair(one: str, other: str) -> Pair:
    return (one, other) if one <= other else (other, one)


def related_lists(
    records: Iterable[Partnership], states: Mapping[str, PageState], field: str
) -> dict[str, frozenset[str]]:
    """Each record's related pages, redirects followed to the page they lead to."""
    return {
        record.title: frozenset(resolve(title, states) for title in record.items(field)) - {record.title}
        for record in records
    }


def lists_each_other(lists: Mapping[str, Collection[str]], one: str, other: str) -> tuple[bool, bool]:
    """Whether ``one`` lists ``other``, and whether ``other`` lists ``one``."""
    return other in lists.get(one, ()), one in lists.get(other, ())


def moved_pairs(pairs: Iterable[Pair], states: Mapping[str, PageState]) -> set[Pair]:
    """Remembered pairs with each title followed through a redirect (a page moved since)."""
    return {pair(resolve(one, states), resolve(other, states)) for one, other in pairs}


def remembered_pairs(lists: Mapping[str, Collection[str]], seen: Iterable[Pair], added: Iterable[Pair]) -> set[Pair]:
    """What the next run should remember: the pairs that list each other now, those the bot just made
    two-sided, and the remembered pairs still listed on one side (cut by hand: kept, so that the next run
    does not take them for new links). A pair listed on neither side is forgotten."""
    now = {pair(title, other) for title, others in lists.items() for other in others if title in lists.get(other, ())}
    kept = {p for p in seen if any(lists_each_other(lists, *p))}
    return now | set(added) | kept


@dataclass(frozen=True)
class LinkPlan:
    """The additions the bot may make, and the ones it holds back with the reason (one issue per cause)."""

    fixes: tuple[Fix, ...]
    held: tuple[Issue, ...] = ()


def _quoted(titles: Iterable[str]) -> str:
    return ", ".join(f"“{title}”" for title in sorted(titles))


def _not_a_record(fix: Fix, words: Words) -> Issue:
    return Issue(
        fix.page,
        fix.field,
        "not-a-partnership-page",
        "warning",
        f"The bot does not edit “{fix.page}”: it is not a {words.noun} page (one of the configured namespaces "
        "that uses the infobox).",
    )


def _removed_by_hand(fix: Fix) -> Issue:
    source, page = fix.value, fix.page
    return Issue(
        source,
        fix.field,
        "related-removed-by-hand",
        "warning",
        f"“{page}” no longer lists this page in its {fix.field} field, though the two listed each other when "
        "the bot last looked: someone removed it there, so the bot does not add it back. To end the link, "
        f"remove “{page}” from this page's {fix.field} field too; to keep it, add “{source}” to “{page}” again.",
        page,
    )


def plan_links(
    fixes: Sequence[Fix],
    records: Collection[str],
    lists: Mapping[str, Collection[str]],
    seen: Collection[Pair] | None,
    broken: Collection[str],
    max_links_per_page: int,
    words: Words = DEFAULT_WORDS,
    pages_file: str = "config/pages.yaml",
) -> LinkPlan:
    """The fixes the bot may make: only on partnership pages (``records``), and no related entry added back
    where a volunteer removed it (a pair in ``seen`` that is now one-way), none caused by a page with
    errors (``broken``), and at most ``max_links_per_page`` caused by any one page.

    ``seen`` is None on the first run (nothing remembered): every one-way link counts as new.
    ``words`` and ``pages_file``: the records' nouns and the pages.yaml in use, for the messages.
    Other fixes (a redirect bypassed on the page itself) pass as they are, if on a partnership page.
    """
    kept: list[Fix] = []
    held: list[Issue] = []
    removed: list[Fix] = []
    #: The source page -> the additions it causes (an add's value is the page that lists the other).
    erroneous: dict[str, list[Fix]] = {}
    caused: dict[str, list[Fix]] = {}
    for fix in fixes:
        if fix.page not in records:
            held.append(_not_a_record(fix, words))
            continue
        if fix.action != "add":
            kept.append(fix)
            continue
        source = fix.value
        source_lists, page_lists = lists_each_other(lists, source, fix.page)
        if seen is not None and pair(source, fix.page) in seen and source_lists and not page_lists:
            removed.append(fix)
        elif source in broken:
            erroneous.setdefault(source, []).append(fix)
        else:
            caused.setdefault(source, []).append(fix)
    held.extend(_removed_by_hand(fix) for fix in removed)
    for source, adds in erroneous.items():
        held.append(
            Issue(
                source,
                adds[0].field,
                "related-not-added-errors",
                "warning",
                f"This page has errors (see the validation report), so the bot adds no {adds[0].field} links "
                f"from it: {_quoted(f.page for f in adds)} do not list it yet. Fix the errors; the next run "
                "adds the links.",
            )
        )
    for source, adds in caused.items():
        if len(adds) <= max_links_per_page:
            kept.extend(adds)
            continue
        held.append(
            Issue(
                source,
                adds[0].field,
                "related-too-many-to-add",
                "warning",
                f"This page lists {len(adds)} pages that do not list it back ({_quoted(f.page for f in adds)}); "
                f"one run adds at most {max_links_per_page} links from one page (crosslink: max_links_per_page "
                f"in {pages_file}), so none of them is added. Check the {adds[0].field} field: keep only "
                f"the {words.nouns} that are really related, or add this page on the others by hand.",
            )
        )
    return LinkPlan(fixes=tuple(kept), held=tuple(held))
