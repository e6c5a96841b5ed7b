"""Volunteers' lists ({{Partnership list}} ... {{Partnership list end}}) on the local wiki.

The tests run in file order and share the pages they create (all under "Lists test/",
plus one partnership page of their own whose status they change); the seeded
partnership pages are only read. Everything created is cleared at the end, so that
later test files see the seeded wiki.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest

from bots.config import load_config
from bots.core.pipeline import check_pages
from bots.core.records.model import PageSnapshot, Partnership
from tests.live.conftest import LiveWiki, output

CONFIG = load_config()
REPORT = CONFIG.pages.title_of("report")
END = "{{Partnership list end}}"

OWN = "Partnerships/Lists test: Moving partnership"
OWN_TEXT = (
    "{{Partnership\n| name = Lists test moving partnership\n| partner = Lists Test Org\n| type = technology\n"
    "| lead = volunteers\n| status = active\n| start = 2011\n}}\nA partnership page owned by the lists tests.\n"
)
SEEDED_QUERY = "{{Partnership list|lead=chapter|type=content|sort=start desc, name|columns=name, chapter, start}}"
COUNT_QUERY = "{{Partnership list|format=count|lead=chapter|type=content}}"
PLACED = "Lists test/Placed list"
PLACED_TEXT = (
    "A volunteer's introduction.\n\n== Content partnerships led by chapters ==\n"
    f"There are {COUNT_QUERY}{END} of them:\n{SEEDED_QUERY}\n{END}\n\n== Notes ==\nA volunteer's notes.\n"
)
ACTIVE_QUERY = "{{Partnership list|status=active|partner=Lists Test Org|format=list|columns=name, status}}"
DONE_QUERY = "{{Partnership list|status=completed|partner=Lists Test Org|format=list|columns=name, status}}"
MOVING = "Lists test/Moving lists"
MOVING_TEXT = f"== Active ==\n{ACTIVE_QUERY}\n{END}\n\n== Completed ==\n{DONE_QUERY}\n{END}\n"
BAD_QUERY = "{{Partnership list|stauts=active|type=content}}"
BAD = "User:Lists test volunteer/Bad query"
BAD_TEXT = f"Above the list, with [[a link]] and {{{{Some template|x=1}}}}.\n{BAD_QUERY}\n{END}\nBelow the list.\n"
NO_END = "Lists test/No end"
NO_END_TEXT = "A list whose end template was deleted:\n{{Partnership list|type=content}}\nold rows\n"
GUARDED_QUERY = "{{Partnership list|partner=Lists Test Org|format=list}}"
GUARDED = "Lists test/Guarded list"
GUARDED_ROWS = "".join(f"* [[:Lists test/Gone {n}|Gone {n}]]\n" for n in range(1, 5))
GUARDED_TEXT = f"Above.\n{GUARDED_QUERY}\n{GUARDED_ROWS}{END}\nBelow.\n"
EVERY_QUERY = "{{Partnership list|format=list|columns=name}}"
NARROWED_QUERY = "{{Partnership list|format=list|columns=name|partner=Lists Test Org}}"
NARROWED = "Lists test/Narrowed list"
OWN_PAGES = (OWN, PLACED, MOVING, BAD, NO_END, GUARDED, NARROWED)
#: The first line of a filled region: the fingerprint of the query it was filled for.
#: A filled list's first lines: its query's fingerprint, and the bot's notice (issue 18).
NOTE = re.compile(
    r"<!-- list query [0-9a-f]{8}: filled by the bot, edits here are replaced -->\n"
    r"<div class=\"partnership-bot-notice\".*</div>\n"
)


@pytest.fixture(scope="module", autouse=True)
def own_pages(wiki: LiveWiki) -> Iterator[None]:
    wiki.api.edit(OWN, OWN_TEXT)
    wiki.api.edit(PLACED, PLACED_TEXT)
    wiki.api.edit(MOVING, MOVING_TEXT)
    yield
    for title in OWN_PAGES:
        wiki.api.edit(title, "Cleared by the lists tests.\n")


def run(wiki: LiveWiki, module: str, *args: str) -> str:
    result = wiki.run(module, *args)
    text = output(result)
    assert result.returncode == 0, text
    return text


def region(text: str, query: str) -> str:
    """What the bot wrote after ``query``, up to the end template."""
    start = text.index(query) + len(query)
    return text[start : text.index(END, start)]


def rows(body: str) -> str:
    """A region without its fingerprint and notice lines (which it must start with)."""
    assert NOTE.match(body, 1), body
    return NOTE.sub("", body, count=1)


def linked(body: str) -> list[str]:
    """The pages ``body`` links to (a value's problem mark, a link to a section of the report, left out)."""
    return re.findall(r"\[\[:([^|\]#]+)\|", body)


def seeded_records(seed: list[dict[str, Any]]) -> list[Partnership]:
    """The seeded records, those with errors too (issue 18), read with the validator alone (not the list code)."""
    snapshots = [PageSnapshot(p["title"], p["text"], pageid=i + 1) for i, p in enumerate(seed)]
    return list(check_pages(snapshots, CONFIG.schema, CONFIG.schema.template_names).records)


def list_pages(seed: list[dict[str, Any]]) -> list[str]:
    return [p["title"] for p in seed if "{{partnership list" in p["text"].lower()]


def test_a_placed_list_is_filled_with_exactly_the_matching_records_in_order(
    wiki: LiveWiki, seed: list[dict[str, Any]]
) -> None:
    text = run(wiki, "bots.lists", "-always")
    matching = [r for r in seeded_records(seed) if r.text("lead") == "chapter" and "content" in r.items("type")]
    matching.sort(key=lambda r: r.name.casefold())
    matching.sort(key=lambda r: r.text("start"), reverse=True)
    assert len(matching) >= 3
    page = wiki.api.text(PLACED)
    body = region(page, SEEDED_QUERY)
    assert linked(body) == [r.title for r in matching]
    assert rows(body).startswith('\n{| class="wikitable sortable"\n! Name !! Chapter !! Start\n')
    assert f"{COUNT_QUERY}{len(matching)}{END} of them" in page
    # the volunteers' text is as they wrote it
    assert page.startswith(PLACED_TEXT.split(COUNT_QUERY)[0])
    assert page.endswith(f"{END}\n\n== Notes ==\nA volunteer's notes.")
    # the seeded task force and recommendation pages carry lists, filled in the same run
    for title in list_pages(seed):
        assert "{| class=" in wiki.api.text(title) or "No partnership matches" in wiki.api.text(title), title
    assert "lists on" in text and "0 left alone" in text
    parsed = wiki.api.parse(PLACED)
    assert {link["title"] for link in parsed["links"]} >= {r.title for r in matching}
    assert "list query" not in parsed["text"]  # the fingerprint is not shown to readers


def test_a_second_run_makes_no_edit(wiki: LiveWiki, seed: list[dict[str, Any]]) -> None:
    titles = [PLACED, MOVING, *list_pages(seed)]
    before = {title: wiki.api.revid(title) for title in titles}
    text = run(wiki, "bots.lists", "-always")
    assert {title: wiki.api.revid(title) for title in titles} == before
    assert f"lists on {len(titles)} pages: 0 saved, {len(titles)} unchanged" in text


def test_two_lists_on_a_page_both_fill_and_a_status_change_moves_a_record(wiki: LiveWiki) -> None:
    page = wiki.api.text(MOVING)
    assert linked(region(page, ACTIVE_QUERY)) == [OWN]
    assert "No partnership matches" in region(page, DONE_QUERY)
    wiki.api.edit(OWN, OWN_TEXT.replace("status = active", "status = completed"))
    text = run(wiki, "bots.update", "-always")  # the main job fills the lists too
    page = wiki.api.text(MOVING)
    assert "No partnership matches" in region(page, ACTIVE_QUERY)
    assert rows(region(page, DONE_QUERY)) == f"\n* [[:{OWN}|Lists test moving partnership]] · Completed\n"
    assert "lists on" in text


def test_a_bad_query_shows_its_message_and_leaves_the_rest_byte_identical(wiki: LiveWiki) -> None:
    wiki.api.edit(BAD, BAD_TEXT)
    wiki.api.edit(NO_END, NO_END_TEXT)
    no_end_revid = wiki.api.revid(NO_END)
    text = run(wiki, "bots.update", "-always")
    page = wiki.api.text(BAD)
    before, after = BAD_TEXT.split(f"{BAD_QUERY}\n{END}")
    assert page.startswith(before + BAD_QUERY)
    assert page.endswith(END + after.rstrip("\n"))
    body = region(page, BAD_QUERY)
    assert "This list could not be made" in body
    assert "“stauts” is not a field or an option of the list. Did you mean “status”?" in html.unescape(body)
    # the problem is in the validation report, under the page holding the list
    report = wiki.api.text(REPORT)
    section = report.split(f"</span>[[:{BAD}|", 1)[1].split("<h3>", 1)[0]  # <h3><span id=...></span>[[:BAD|..
    assert "<code>list-unknown-parameter</code>" in section
    # a list without its end template: the page is left alone, and reported
    assert wiki.api.revid(NO_END) == no_end_revid
    assert f"Not editing [[{NO_END}]]" in text
    assert "<code>list-missing-end</code>" in report.split(f"</span>[[:{NO_END}|", 1)[1]
    # the wiki shows the message, and the page's own link and template are still there
    parsed = wiki.api.parse(BAD)
    assert "partnership-list-error" in parsed["text"]
    assert "A link" in {link["title"] for link in parsed["links"]}


def test_validate_report_writes_the_same_report_as_the_main_job(wiki: LiveWiki) -> None:
    """Right after bots.update (the test above), with lists that have problems: validate -report changes nothing."""
    report = wiki.api.text(REPORT)
    assert "<code>list-unknown-parameter</code>" in report and "<code>list-missing-end</code>" in report
    before = wiki.api.revid(REPORT)
    result = wiki.run("bots.validate", "-report", "-always")
    text = output(result)
    assert result.returncode == 1, text  # the seeded records have errors
    assert f"No change on [[{REPORT}]]" in text
    assert wiki.api.revid(REPORT) == before
    # what it prints is what it reports, list problems included
    blocks = {block.split("\n", 1)[0]: block for block in result.stdout.split("\n\n")}
    assert "“stauts” is not a field or an option of the list" in blocks[BAD]
    assert "has no {{Partnership list end}} after it" in blocks[NO_END]


def test_simulate_shows_the_diff_and_nobots_is_honoured(wiki: LiveWiki) -> None:
    wiki.api.edit(OWN, OWN_TEXT)  # back to active: the lists on MOVING are stale
    before = wiki.api.revid(MOVING)
    text = run(wiki, "bots.lists", "-simulate", "-always", f"-page:{MOVING}")
    assert wiki.api.revid(MOVING) == before
    assert "Lists test moving partnership" in text and "Completed" in text
    wiki.api.edit(MOVING, "{{nobots}}\n" + wiki.api.text(MOVING))
    before = wiki.api.revid(MOVING)
    text = run(wiki, "bots.lists", "-always", f"-page:{MOVING}")
    assert wiki.api.revid(MOVING) == before
    assert "asks bots not to edit it" in text


def test_a_list_that_would_lose_most_of_its_rows_is_refused_unless_forced(wiki: LiveWiki) -> None:
    """A list showing four rows whose records are not read any more (as after a bad read) keeps them."""
    wiki.api.edit(GUARDED, GUARDED_TEXT)
    before = wiki.api.revid(GUARDED)
    result = wiki.run("bots.lists", "-always", f"-page:{GUARDED}")
    text = output(result)
    assert result.returncode == 1, text
    assert (
        f"Not editing [[{GUARDED}]]: this run would remove 3 of the 4 rows of the list {GUARDED_QUERY} (75%, "
        "more than the 20% allowed)" in " ".join(text.split())
    )
    assert "1 refused" in text
    assert wiki.api.revid(GUARDED) == before
    text = run(wiki, "bots.lists", "-always", "-force", f"-page:{GUARDED}")
    assert linked(region(wiki.api.text(GUARDED), GUARDED_QUERY)) == [OWN]
    assert "0 refused" in text


def test_a_list_whose_query_a_volunteer_narrowed_is_filled_without_force(wiki: LiveWiki) -> None:
    """The guard is against bad reads: a region filled for another query may lose most of its rows."""
    wiki.api.edit(NARROWED, f"Above.\n{EVERY_QUERY}\n{END}\nBelow.\n")
    run(wiki, "bots.lists", "-always", f"-page:{NARROWED}")
    every = linked(rows(region(wiki.api.text(NARROWED), EVERY_QUERY)))
    assert len(every) >= 4 and OWN in every  # narrowing to one row removes 3 or more, over 20%
    wiki.api.edit(NARROWED, wiki.api.text(NARROWED).replace(EVERY_QUERY, NARROWED_QUERY))
    text = run(wiki, "bots.lists", "-always", f"-page:{NARROWED}")
    page = wiki.api.text(NARROWED)
    assert linked(rows(region(page, NARROWED_QUERY))) == [OWN]
    assert page.startswith(f"Above.\n{NARROWED_QUERY}\n") and page.endswith(f"{END}\nBelow.")
    assert "1 saved" in text and "0 refused" in text
