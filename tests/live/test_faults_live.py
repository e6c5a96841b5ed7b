"""Fault injection against the local wiki: what the bots do when the wiki or its users misbehave.

Each test works in its own sandbox (its own infobox name, generated pages and shutoff
page; see sandbox.py), so that breaking things here never disturbs other live tests.
Faults on the wire come from a proxy on loopback (faultproxy.py) that the sandbox's
pywikibot family points at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bots.core.edit import region_body
from bots.core.guard import count_rows
from bots.core.pipeline import load_config
from tests.live.conftest import LiveWiki, output
from tests.live.faultproxy import FaultProxy
from tests.live.sandbox import FAST_RETRIES, Sandbox, make_sandbox

PAGES = load_config().pages
START, END = PAGES.region_start, PAGES.region_end


@pytest.fixture(scope="module")
def proxy(wiki: LiveWiki) -> Iterator[FaultProxy]:
    with FaultProxy(upstream_port=wiki.dev.port) as running:
        yield running


@pytest.fixture
def faulty(wiki: LiveWiki, proxy: FaultProxy, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A sandbox whose bots talk to the wiki through the fault proxy, with short retry waits."""
    proxy.clear()
    name = request.node.name.removeprefix("test_")[:40]
    yield make_sandbox(wiki, tmp_path, name, port=proxy.port, check_every=1, **FAST_RETRIES)
    proxy.clear()


def body(wiki: LiveWiki, title: str) -> str:
    text = wiki.api.text(title)
    found = region_body(text, START, END)
    assert found is not None, f"{title} has no bot region:\n{text}"
    return found


def assert_one_region(wiki: LiveWiki, title: str) -> None:
    text = wiki.api.text(title)
    assert text.count(START) == 1 and text.count(END) == 1, f"{title} has a broken or duplicated region:\n{text}"
    assert text.index(START) < text.index(END)


def fake_rows(count: int) -> str:
    return "".join(f"|-\n| [[:Reliab/Nowhere {n}|Gone {n}]] || x || x || x || x || x || x\n" for n in range(count))


# --- mass removal -------------------------------------------------------------------------


def test_mass_removal_is_refused_and_force_overrides(wiki: LiveWiki, tmp_path: Path) -> None:
    """A run that would drop more than 20% of a generated page's rows saves nothing there, says
    why (page and counts), exits 1, and saves the other pages; -force saves it."""
    box = make_sandbox(wiki, tmp_path, "guard")
    box.add_partnerships(5)
    first = box.run("bots.update", "-always")
    assert first.returncode == 0, output(first)
    index = box.title("index")
    assert count_rows(body(wiki, index)) == 5
    # What is on the wiki has 10 rows; the bot would keep only its 5.
    text = wiki.api.text(index)
    wiki.api.edit(index, text.replace("|}", fake_rows(5) + "|}", 1))
    before = wiki.api.revid(index)
    box.add_partnerships(1, start=5)
    refused = box.run("bots.update", "-always")
    log = output(refused)
    assert refused.returncode == 1, log
    assert wiki.api.revid(index) == before
    assert f"Not editing [[{index}]]: this run would remove 4 of the 10 rows" in log
    assert "-force" in log
    assert "Partnership 5" in wiki.api.text(box.title("by_type")), "the other pages are still saved"
    forced = box.run("bots.update", "-always", "-force")
    assert forced.returncode == 0, output(forced)
    assert count_rows(body(wiki, index)) == 6
    assert "Gone" not in wiki.api.text(index)


def test_an_empty_read_never_blanks_a_page(wiki: LiveWiki, tmp_path: Path) -> None:
    """When no partnership page is read at all, no generated page is saved, not even with -force."""
    box = make_sandbox(wiki, tmp_path, "empty")
    index = box.title("index")
    wiki.api.edit(index, f"Intro.\n{START}\n{{|\n{fake_rows(3)}|}}\n{END}\n")
    before = wiki.api.revid(index)
    for args in ((), ("-force",)):
        result = box.run("bots.update", "-always", *args)
        assert result.returncode == 1, output(result)
        assert "no partnership page was read at all" in output(result)
        assert wiki.api.revid(index) == before
        assert wiki.api.revid(box.title("by_type")) == 0
