"""Scale: the generated pages depend on what the records say, never on the order they came in."""

from __future__ import annotations

import json
import random

import pytest

from bots.core.cache import PageCache, cache_from_json
from bots.core.crosslink import PageState, lookup_from_states
from bots.core.model import PageSnapshot
from bots.core.pipeline import Checked, Config, check_pages, load_config, render_generated
from scripts.bench import synthetic_page

RECOMMENDATION = "Task force/Recommendations/Alliances and partnerships 1"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def snapshots(count: int) -> list[PageSnapshot]:
    """Synthetic pages (as the benchmark loads), plus ties: partner and chapter names that
    differ only in case or accents, which group together under one spelling."""
    rng = random.Random(7)
    pages = [synthetic_page(number, rng) for number in range(count)]
    tie = "{{Partnership|name=%s|partner=%s|type=content|lead=volunteers|status=active|start=2010|chapter=%s}}"
    pages.append(("Partnerships/Tie A", tie % ("Tie one", "telenor", "Wikimedia CH")))
    pages.append(("Partnerships/Tie B", tie % ("Tie two", "Telenor", "wikimedia CH")))
    pages.append(("Partnerships/Tie C", tie % ("Tie three", "Télénor", "Wikimedia CH")))
    return [PageSnapshot(title=t, text=x, revid=100 + i, pageid=1 + i) for i, (t, x) in enumerate(pages)]


def check(snaps: list[PageSnapshot], config: Config, cache: PageCache | None = None) -> Checked:
    lookup = lookup_from_states({RECOMMENDATION: PageState(RECOMMENDATION, True, text="A recommendation.")})
    names = [config.schema.template, *config.schema.template_aliases]
    return check_pages(snaps, config.schema, names, lookup, config.pages.crosslink.fields, cache=cache)


def test_generated_pages_do_not_depend_on_the_order_of_the_input(config: Config) -> None:
    snaps = snapshots(120)
    first = render_generated(check(snaps, config), config, "now")
    shuffled = list(snaps)
    random.Random(3).shuffle(shuffled)
    second = render_generated(check(shuffled, config), config, "now")
    assert set(first) == set(second)
    for title in first:
        assert first[title] == second[title], title
    overview = first["Task force/Alliances and partnerships/Overview"][0]
    assert all(f"[[:Partnerships/Tie {x}|" in overview for x in "ABC")


def test_records_from_the_revision_cache_render_the_same_pages(config: Config) -> None:
    """A no-change run takes every record from the cache (as JSON): its pages must be the same bytes."""
    snaps = snapshots(60)
    cache = PageCache(site="wiki", fingerprint="f")
    cache.keep_only(snaps)
    fresh = render_generated(check(snaps, config, cache), config, "now")
    reread, note = cache_from_json(json.loads(json.dumps(cache.to_json())), "wiki", "f")
    assert note == ""
    cached = render_generated(check(list(reversed(snaps)), config, reread), config, "now")
    assert reread.reused == len(snaps) and reread.derived == 0
    assert fresh == cached
