"""The main job, bots.update, against the local wiki seeded with scripts/devwiki-seed.yaml.

Each test stands alone, in any order: the module's first run (a fixture) writes the
generated pages; a test that needs no work pending runs the bot once more first
(``up_to_date``); a test that changes a shared page puts it back in a finaliser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bots.config import load_config
from bots.core.pages.render import escape_wikitext
from tests.live.conftest import LiveWiki, output, switched_off
from tests.seedpages import infobox_pages, keeps_out_of_lists, load_seed

CONFIG = load_config()
TITLES = {page.key: page.title for page in CONFIG.pages.generated}
#: The seeded recommendation pages get a bot-owned region too (listing the partnerships supporting them).
_PREFIX = CONFIG.pages.crosslink.recommendation_prefix
TITLES.update({p["title"]: p["title"] for p in load_seed() if p["title"].startswith(_PREFIX)})
START, END = CONFIG.pages.region_start, CONFIG.pages.region_end


def revids(wiki: LiveWiki) -> dict[str, int]:
    return {title: wiki.api.revid(title) for title in TITLES.values()}


def run_update(wiki: LiveWiki, *args: str, expect_exit: int = 0) -> str:
    result = wiki.run("bots.update", "-always", *args)
    text = output(result)
    assert result.returncode == expect_exit, text
    return text


@dataclass(frozen=True)
class Run:
    before: dict[str, int]
    output: str
    after: dict[str, int]
    #: The titles of the pages with the infobox when the run started (the seed's and any other test's).
    read: frozenset[str]


@pytest.fixture(scope="module")
def first_run(wiki: LiveWiki) -> Run:
    """This module's first run of the main job: the generated pages exist after it, whatever ran before."""
    read = frozenset(page.title for page in wiki.api.transcluding(CONFIG.schema.template, CONFIG.pages.namespaces))
    before = revids(wiki)
    text = run_update(wiki)
    return Run(before=before, output=text, after=revids(wiki), read=read)


@pytest.fixture
def up_to_date(wiki: LiveWiki, first_run: Run) -> None:
    """No work pending when the test starts (an earlier test, here or in another file, may have left some)."""
    run_update(wiki)


def test_first_run_writes_every_generated_page(first_run: Run, seed: list[dict[str, Any]]) -> None:
    assert all(rev > 0 for rev in first_run.after.values())
    changed = sum(1 for title in TITLES.values() if first_run.after[title] != first_run.before[title])
    assert {page["title"] for page in infobox_pages(seed)} <= first_run.read
    assert f"{len(first_run.read)} pages read" in first_run.output
    assert f"{changed} pages saved" in first_run.output
    assert "/index.php/Task_force/Alliances_and_partnerships/Index" in first_run.output


def test_second_run_makes_no_edit(wiki: LiveWiki, up_to_date: None) -> None:
    before = revids(wiki)
    text = run_update(wiki)
    assert revids(wiki) == before
    assert "0 pages saved" in text
    assert f"{len(TITLES)} unchanged" in text


def test_index_lists_every_valid_partnership_exactly_once(
    wiki: LiveWiki, first_run: Run, seed: list[dict[str, Any]]
) -> None:
    index = wiki.api.text(TITLES["index"])
    for page in infobox_pages(seed):
        count = index.count(f"[[:{page['title']}|")
        expected = 0 if keeps_out_of_lists(page) else 1
        assert count == expected, f"{page['title']} is listed {count} times in the index, expected {expected}"


def report_sections(report: str) -> dict[str, str]:
    """Page title -> the report's section about it."""
    sections = {}
    # <h3><span id="problems-..."></span>[[:Page|Page]]</h3>: HTML headings with the page's anchor (issue 18)
    pattern = r"^<h3><span id=\"[^\"]+\"></span>\[\[:([^|\]]+)\|.*?\]\]</h3>\n(.*?)(?=^<h3>|\Z)"
    for match in re.finditer(pattern, report, re.S | re.M):
        sections[match.group(1)] = match.group(2)
    return sections


def test_report_lists_every_seeded_problem_and_nothing_else(
    wiki: LiveWiki, first_run: Run, seed: list[dict[str, Any]]
) -> None:
    sections = report_sections(wiki.api.text(TITLES["report"]))
    expected_pages = {p["title"] for p in infobox_pages(seed) if p["expect"]}
    assert set(sections) == expected_pages
    for page in infobox_pages(seed):
        for problem in page["expect"]:
            rows = [row for row in sections[page["title"]].split("|-") if f"<code>{problem['code']}</code>" in row]
            field = f"|{escape_wikitext(problem['field'])}]] ||"  # the field links to its place on the page
            assert any(row.strip().startswith("| [[:") and field in row for row in rows), (page["title"], problem)


def test_values_full_of_markup_render_as_literal_text(
    wiki: LiveWiki, first_run: Run, seed: list[dict[str, Any]]
) -> None:
    """Checked by the wiki's own parser: no extra link, category, template or behaviour switch."""
    # and the infobox template, linked by each region's notice (issue 18)
    allowed_links = {p["title"] for p in infobox_pages(seed)} | set(TITLES.values()) | {"Template:Partnership"}
    for key in ("index", "by_type", "by_lead", "report", "partners"):
        parsed = wiki.api.parse(TITLES[key])
        assert parsed["categories"] == [], key
        assert parsed["templates"] == [], key
        assert parsed["externallinks"] == [], key
        assert {link["title"] for link in parsed["links"]} <= allowed_links, key
    by_type = wiki.api.parse(TITLES["by_type"])
    shown = html.unescape(by_type["text"])
    assert "[[Category:Injected]] Ltd" in shown
    assert "~~~~ signers" in shown
    assert "__NOTOC__ Inc" in shown
    assert 'id="toc"' in shown, "__NOTOC__ in a value must not remove the table of contents"


def test_volunteer_text_around_the_region_survives(
    wiki: LiveWiki, up_to_date: None, restore: Callable[[str], str]
) -> None:
    title = TITLES["index"]
    current = restore(title)
    above = "A volunteer's introduction, with a [[Task force/Alliances and partnerships|link]].\n\n"
    below = "\n== Notes ==\nA volunteer's notes below the list.\n[[Category:Partnership lists]]\n"
    start, end = current.index(START), current.index(END) + len(END)
    stale = current[start:end].replace("Partners", "Partners (stale)", 1)
    wiki.api.edit(title, above + stale + below)
    text = run_update(wiki)
    assert "1 pages saved" in text
    new = wiki.api.text(title)
    assert new.startswith(above + START)
    assert new.endswith(END + below.rstrip("\n")) or new.endswith(END + below)
    assert "(stale)" not in new


def test_a_page_with_only_the_start_marker_is_refused(
    wiki: LiveWiki, up_to_date: None, restore: Callable[[str], str]
) -> None:
    title = TITLES["by_lead"]
    broken = restore(title).replace(END, "")
    wiki.api.edit(title, broken)
    before = revids(wiki)
    text = run_update(wiki, expect_exit=1)
    assert revids(wiki) == before
    assert f"Not editing [[{title}]]" in text
    assert "the end marker" in text and "appears 0 times" in text
    assert "1 refused" in text


def test_nobots_is_honoured(wiki: LiveWiki, first_run: Run, restore: Callable[[str], str]) -> None:
    title = TITLES["by_type"]
    wiki.api.edit(title, "{{nobots}}\n" + restore(title).replace("Content sources", "Stale", 1))
    before = wiki.api.revid(title)
    text = run_update(wiki)
    assert wiki.api.revid(title) == before
    assert "asks bots not to edit it" in text
    wiki.api.edit(title, wiki.api.text(title).replace("{{nobots}}\n", ""))
    run_update(wiki)
    assert "Stale" not in wiki.api.text(title)


@pytest.fixture
def changed_partnership(wiki: LiveWiki) -> Iterator[str]:
    """A real partnership whose status changes, so the next run has work to do."""
    title = "Partnerships/PediaPress books"
    original = wiki.api.text(title)
    assert "status" in original
    wiki.api.edit(title, re.sub(r"(\|\s*status\s*=\s*)\w+", r"\1ended", original, count=1))
    try:
        yield title
    finally:
        wiki.api.edit(title, original)
        run_update(wiki)


@pytest.fixture
def stopped_with_work_to_do(wiki: LiveWiki, changed_partnership: str) -> Iterator[str]:
    """The shutoff page says stop while a partnership has changed; it says run again before that change is undone."""
    with switched_off(wiki, "stop: the task force is reorganising the pages") as shutoff:
        yield shutoff


def test_shutoff_page_stops_the_bot_before_any_edit(
    wiki: LiveWiki, first_run: Run, stopped_with_work_to_do: str
) -> None:
    before = revids(wiki)
    text = run_update(wiki, expect_exit=3)
    assert revids(wiki) == before
    assert "switched off" in text and stopped_with_work_to_do in text


def test_simulate_shows_the_diff_and_saves_nothing(wiki: LiveWiki, first_run: Run, changed_partnership: str) -> None:
    before = revids(wiki)
    text = run_update(wiki, "-simulate")
    assert revids(wiki) == before
    assert "Ended" in text and "PediaPress" in text
    run_update(wiki)
    assert revids(wiki) != before
