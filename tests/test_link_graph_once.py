"""One run builds the link graph once and parses each page once; rendering takes both as data."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import mwparserfromhell
import pytest

import bots.core.links.graph
import bots.core.pipeline
from bots.config import load_config
from bots.core.links.graph import build_graph
from bots.core.links.states import PageState, lookup_from_states, states_from_snapshots
from bots.core.pipeline import Checked, check_pages, render_generated
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.state.cache import PageCache, load_cache, save_cache
from tests.support import RECOMMENDATION, snapshots

CONFIG = load_config()
NAMES = CONFIG.schema.template_names
#: Small enough that the synthetic pages split into subpages, each rendered from its own records.
SPLIT_SMALL = replace(CONFIG, pages=replace(CONFIG.pages, split_above_bytes=20_000, merge_below_bytes=15_000))
REC = "Task force/Recommendations/"


def check(
    snaps: Sequence[PageSnapshot], others: Sequence[PageSnapshot] = (), cache: PageCache | None = None
) -> Checked:
    lookup = lookup_from_states(states_from_snapshots([*snaps, *others]))
    roles = CONFIG.pages.crosslink.fields
    return check_pages(snaps, CONFIG.schema, NAMES, lookup, roles, cache=cache, every_record=True)


@pytest.fixture
def graphs_built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times build_graph runs (every module that calls it looks it up in its own namespace)."""
    built: list[int] = []
    real = bots.core.links.graph.build_graph

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(1)
        return real(*args, **kwargs)

    for module in (bots.core.links.graph, bots.core.pipeline):
        if hasattr(module, "build_graph"):
            monkeypatch.setattr(module, "build_graph", counting)
    yield built


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many times each text is parsed (every parse goes through mwparserfromhell.parse)."""
    counted: Counter[str] = Counter()
    real = mwparserfromhell.parse

    def counting(value: Any, *args: Any, **kwargs: Any) -> Any:
        counted[str(value)] += 1
        return real(value, *args, **kwargs)

    monkeypatch.setattr(mwparserfromhell, "parse", counting)
    yield counted


def test_a_run_builds_the_link_graph_once(graphs_built: list[int]) -> None:
    snaps = snapshots(150)
    recommendation = PageSnapshot(RECOMMENDATION, "A recommendation.")
    bodies = render_generated(check(snaps, [recommendation]), SPLIT_SMALL, "now")
    assert sum(1 for title in bodies if title.count("/") > 1) > 10, "the pages were split into subpages"
    assert RECOMMENDATION in bodies
    assert len(graphs_built) == 1


def test_a_smaller_graph_is_the_graph_of_its_records() -> None:
    """What a page of fewer records (a subpage) shows: the same as a graph built over them alone."""
    checked = check(snapshots(200), [PageSnapshot(RECOMMENDATION, "A recommendation.")])
    states, roles = checked.links.states, CONFIG.pages.crosslink.fields
    rng = random.Random(5)
    for size in (0, 1, 7, 60, len(checked.records)):
        some = rng.sample(checked.records, size)
        assert checked.graph.among(some) == build_graph(some, states, roles)
        assert checked.graph.among(some).among(some[: size // 2]) == build_graph(some[: size // 2], states, roles)


def box(name: str, **fields: str) -> str:
    lines = {"name": name, "partner": f"Museum of {name}", "type": "content", "lead": "volunteers", "status": "active"}
    return "{{Partnership\n" + "".join(f"| {k} = {v}\n" for k, v in {**lines, **fields}.items()) + "}}\nText.\n"


def test_a_run_parses_each_page_once(parses: Counter[str]) -> None:
    """Validation's reading of a page is not done again: not for a related page without a record,
    not for a record's page that a record names as a recommendation, not for a page with a region."""
    start, end = CONFIG.pages.region_start, CONFIG.pages.region_end
    snaps = [
        PageSnapshot("P/A", box("A", related="P/Hidden", recommendation=f"{REC}Plain; {REC}Record"), pageid=1),
        PageSnapshot("P/Hidden", "<!-- {{Partnership|name=Hidden}} -->\nNo infobox shown.\n", pageid=2),
        PageSnapshot(f"{REC}Record", box("Record", recommendation=f"{REC}Plain"), pageid=3),
    ]
    plain = PageSnapshot(f"{REC}Plain", f"A recommendation.\n{start}\nold list\n{end}\n")
    bodies = render_generated(check(snaps, [plain]), CONFIG, "now", region_pages=[plain, snaps[2]])
    assert f"{REC}Plain" in bodies and f"{REC}Record" not in bodies
    texts = [snap.text for snap in [*snaps, plain]]
    assert [parses[text] for text in texts] == [1, 1, 1, 1]


def test_records_from_the_revision_cache_are_not_parsed(parses: Counter[str], tmp_path: Path) -> None:
    snaps = snapshots(40)
    cache, _ = load_cache(tmp_path / "cache.sqlite", "wiki", "f")
    cache.keep_only(snaps)
    first = render_generated(check(snaps, cache=cache), CONFIG, "now")
    save_cache(cache)
    assert all(parses[snap.text] == 1 for snap in snaps)
    parses.clear()
    reread, _ = load_cache(tmp_path / "cache.sqlite", "wiki", "f")
    assert render_generated(check(snaps, cache=reread), CONFIG, "now") == first
    assert [snap.title for snap in snaps if parses[snap.text]] == []


def test_pages_validation_read_are_known_to_hold_an_infobox_or_not() -> None:
    too_complex = "{{Partnership|name=X\n" + "{{a|" * 3000
    snaps = [
        PageSnapshot("P/A", box("A"), pageid=1),
        PageSnapshot("P/Hidden", "<!-- {{Partnership|name=Hidden}} -->", pageid=2),
        PageSnapshot("P/Tangle", too_complex, pageid=3),
    ]
    checked = check(snaps)
    assert checked.holds_infobox == {box("A"): True, snaps[1].text: False, too_complex: True}
    assert checked.graph.records.keys() == {"P/A"}
    assert PageState("P/A", True, text=box("A")) == checked.links.states["P/A"]


def test_pages_parsed_already_are_not_parsed_again(parses: Counter[str]) -> None:
    """bots.offline parses a dump's pages to know which call the infobox, and hands them on."""
    snaps = snapshots(30)
    parsed = {snap: parse_page(snap, NAMES) for snap in snaps}
    assert all(parses[snap.text] == 1 for snap in snaps)
    assert check(snaps) == check(snaps)  # checked twice, parsed each time
    assert all(parses[snap.text] == 3 for snap in snaps)
    roles = CONFIG.pages.crosslink.fields
    handed_on = check_pages(snaps, CONFIG.schema, NAMES, None, roles, every_record=True, parsed=parsed)
    assert all(parses[snap.text] == 3 for snap in snaps)
    assert handed_on == check_pages(snaps, CONFIG.schema, NAMES, None, roles, every_record=True)
