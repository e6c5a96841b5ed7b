"""Records -> the link graph: related records, recommendation pages' supporters, partners, chapters.

Built once per run over every record read (bots.core.pipeline.check_pages) and handed to rendering.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bots.core.links.states import PageState, resolve
from bots.core.records.model import Partnership
from bots.core.settings.crosslink_config import USUAL_ROLES, LinkRoles


def normalise_partner(name: str) -> str:
    """A partner organisation's name for comparison: no accents, case, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    words = letters.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Partner:
    """A partner organisation and every record that names it."""

    key: str
    name: str
    records: tuple[Partnership, ...]


@dataclass(frozen=True)
class RecordLinks:
    """One record's links, redirects followed and partner names normalised: what a graph is made of."""

    related: tuple[str, ...]
    recommends: tuple[str, ...]
    #: (normalised key, name as written) of each partner the record names, in its order.
    partners: tuple[tuple[str, str], ...]
    chapter: str


@dataclass(frozen=True)
class LinkGraph:
    """How the records link to each other, to recommendation pages, partners and chapters.

    Built once per run (bots.core.pipeline.check_pages, over every record read); a page that
    shows fewer records takes :meth:`among`, which looks no link up and normalises no name again.
    """

    records: Mapping[str, Partnership]
    #: Record title -> the related pages it lists, redirects followed.
    related: Mapping[str, tuple[str, ...]]
    #: Recommendation page (redirects followed) -> the records supporting it.
    supporters: Mapping[str, tuple[Partnership, ...]]
    partners: tuple[Partner, ...]
    chapters: Mapping[str, tuple[Partnership, ...]]
    #: Record title -> its links: what :meth:`among` makes a smaller graph from.
    links: Mapping[str, RecordLinks]

    def relates(self, one: str, other: str) -> bool:
        """True if either record lists the other as related."""
        return other in self.related.get(one, ()) or one in self.related.get(other, ())

    def among(self, records: Sequence[Partnership]) -> LinkGraph:
        """The graph of some of this graph's records (a page's, a subpage's): what build_graph gives for them."""
        return _graph_of(records, self.links)


def _usual_spelling(spellings: Counter[str]) -> str:
    """The spelling most records use; on a tie, one with capitals (``Telenor`` over ``telenor``)."""
    return max(spellings, key=lambda name: (spellings[name], not name.islower()))


def record_links(record: Partnership, states: Mapping[str, PageState], roles: LinkRoles = USUAL_ROLES) -> RecordLinks:
    """What ``record`` links to, redirects followed (by ``states``), each page once."""
    return RecordLinks(
        related=tuple(dict.fromkeys(resolve(t, states) for t in record.items(roles.related))),
        recommends=tuple(dict.fromkeys(resolve(t, states) for t in record.items(roles.recommendation))),
        partners=tuple((key, name) for name in record.items(roles.partner) if (key := normalise_partner(name))),
        chapter=record.text("chapter"),
    )


def build_graph(
    records: Sequence[Partnership], states: Mapping[str, PageState], roles: LinkRoles = USUAL_ROLES
) -> LinkGraph:
    return _graph_of(records, {r.title: record_links(r, states, roles) for r in records})


def _graph_of(records: Sequence[Partnership], links: Mapping[str, RecordLinks]) -> LinkGraph:
    """The graph of ``records`` from their links (``links`` may hold other records' too)."""
    supporters: dict[str, list[Partnership]] = {}
    partners: dict[str, tuple[Counter[str], list[Partnership]]] = {}
    named: set[tuple[str, str]] = set()  # (partner key, record title) already counted
    chapters: dict[str, list[Partnership]] = {}
    for record in sorted(records, key=lambda r: (r.name.casefold(), r.title)):
        found = links[record.title]
        for title in found.recommends:
            supporters.setdefault(title, []).append(record)
        for key, name in found.partners:
            spellings, named_by = partners.setdefault(key, (Counter(), []))
            spellings[name] += 1
            if (key, record.title) not in named:
                named.add((key, record.title))
                named_by.append(record)
        if found.chapter:
            chapters.setdefault(found.chapter, []).append(record)
    return LinkGraph(
        records={r.title: r for r in records},
        related={r.title: links[r.title].related for r in records},
        supporters={t: tuple(rs) for t, rs in supporters.items()},
        partners=tuple(
            sorted(
                (Partner(key, _usual_spelling(spellings), tuple(rs)) for key, (spellings, rs) in partners.items()),
                key=lambda p: (p.name.casefold(), p.key),
            )
        ),
        chapters={c: tuple(rs) for c, rs in sorted(chapters.items())},
        links={r.title: links[r.title] for r in records},
    )
