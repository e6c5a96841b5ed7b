"""Issue 19's bench figure from the wiki's answers: what one new finding makes the wiki re-render.

Pure (tests/test_bench_findings.py): scripts/bench.py asks the wiki (the bot's contributions
since the edit, ``list=embeddedin`` of each findings page it saved) and passes the answers in.
The figure is read from the wiki's links tables, not computed from the shard hash: a page
re-renders when a findings page it read changes, and the links tables are what the wiki
uses to find those pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bots.core.onwiki.findings import index_title, read_shard, shard_prefix

HEADER = [
    "| N | findings pages saved | pages that read them (to re-render) | share of N | update run s |",
    "|---|---|---:|---:|---:|",
]


def findings_edits(contributions: Iterable[Mapping[str, Any]], module: str) -> list[str]:
    """The titles of the findings pages (index or shards) among the bot's contributions, one per edit, oldest
    first (the API lists the newest first)."""
    findings = (shard_prefix(module), index_title(module))
    return [str(c["title"]) for c in reversed(list(contributions)) if str(c["title"]).startswith(findings)]


def has_finding(shard_text: str, page: str, code: str) -> bool:
    """Whether a shard page's text holds a finding of ``code`` for ``page``."""
    data = read_shard(shard_text)
    found = data.get(page) if isinstance(data, dict) else None
    return isinstance(found, list) and any(isinstance(f, dict) and f.get("code") == code for f in found)


@dataclass(frozen=True)
class RerenderFigure:
    """One run after one new finding: the findings pages it saved and the pages that read them."""

    #: N, the partnership pages on the wiki.
    pages: int
    #: The findings pages the run saved, one per edit.
    saved: tuple[str, ...]
    #: The titles of the pages that transclude a saved page (``list=embeddedin``), each once.
    readers: frozenset[str]
    #: The update run's wall time.
    seconds: float

    @classmethod
    def from_answers(
        cls, pages: int, saved: Iterable[str], embedded: Mapping[str, Iterable[Mapping[str, Any]]], seconds: float
    ) -> RerenderFigure:
        """``embedded``: each saved page's ``list=embeddedin`` answer (its items, continuation followed)."""
        readers = frozenset(str(item["title"]) for items in embedded.values() for item in items)
        return cls(pages, tuple(saved), readers, seconds)

    @property
    def share(self) -> float:
        """The pages to re-render as a share of N."""
        return len(self.readers) / self.pages if self.pages else 0.0

    def row(self) -> str:
        """The figure's row under HEADER."""
        saved = ", ".join(title.rsplit("/", 1)[-1] for title in self.saved) or "none"
        return (
            f"| {self.pages:,} | {len(self.saved)} ({saved}) | {len(self.readers):,} | {self.share:.2%} "
            f"| {self.seconds:.1f} |"
        )
