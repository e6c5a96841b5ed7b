"""Issue 18, items 4 and 5, on the local wiki: records never vanish, and the bot's regions say so.

- A record with an error is listed in the index and in a summary, its value with the problem
  shown as written, marked, and linked to its entry in the validation report (an anchor there).
- The generated headings are in the table of contents but offer no [edit] link.
- Every region (a generated page's, a volunteers' list's) begins with the bot's notice.
- A run that undoes a hand edit inside a region names the editor and where to edit instead in its summary.
- The overview shows when the bot last reported (the status page's line) and links the report.
Pages of their own are under "Regions test/" and cleared at the end.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bots.config import load_config
from bots.core.pages.regions import region_body
from bots.core.pages.render import report_anchor
from tests.live.conftest import LiveWiki, output

CONFIG = load_config()
START, END = CONFIG.pages.region_start, CONFIG.pages.region_end
INDEX, BY_TYPE, REPORT, OVERVIEW = (CONFIG.pages.title_of(key) for key in ("index", "by_type", "report", "overview"))
BAD = "Regions test/Bad start"
BAD_TEXT = (
    "{{Partnership\n| name = Regions test bad start\n| partner = Regions Museum\n| type = content\n"
    "| lead = volunteers\n| status = active\n| start = March 2012\n}}\nA start date the bot cannot read.\n"
)
LIST_PAGE = "Regions test/List"
LIST = "{{Partnership list|type=content|format=list|columns=name, start|section=status}}"
NOTICE = '<div class="partnership-bot-notice"'


def run(wiki: LiveWiki, module: str, *args: str) -> str:
    result = wiki.run(module, "-always", *args)
    text = output(result)
    assert result.returncode == 0, text
    return text


@pytest.fixture(scope="module", autouse=True)
def ran(wiki: LiveWiki) -> Iterator[None]:
    wiki.api.edit(BAD, BAD_TEXT)
    wiki.api.edit(LIST_PAGE, f"Above.\n{LIST}\n{{{{Partnership list end}}}}\nBelow.\n")
    run(wiki, "bots.update")
    yield
    for title in (BAD, LIST_PAGE):
        wiki.api.edit(title, "Cleared by the regions tests.\n")
    run(wiki, "bots.update")


def region(wiki: LiveWiki, title: str) -> str:
    body = region_body(wiki.api.text(title), START, END)
    assert body is not None, title
    return body.strip()


def mark_link(title: str) -> str:
    return f"[[:{REPORT}#{report_anchor(title)}|⚠ problem]]"


def test_a_record_with_an_error_is_listed_in_the_index_and_a_summary_marked_and_linked(wiki: LiveWiki) -> None:
    (row,) = [line for line in region(wiki, INDEX).splitlines() if line.startswith(f"| [[:{BAD}|")]
    assert f'March 2012 <small class="partnership-problem">{mark_link(BAD)}</small>' in row, row
    content = region(wiki, BY_TYPE).split("<h2>Content sources</h2>")[1].split("<h2>")[0]
    (item,) = [line for line in content.splitlines() if line.startswith(f"* [[:{BAD}|")]
    assert mark_link(BAD) in item and "since March 2012" in item, item
    # the link lands on the page's entry in the report: an element with that id in the parsed report
    report = wiki.api.parse(REPORT)["text"]
    assert f'id="{report_anchor(BAD)}"' in report
    index_html = wiki.api.parse(INDEX)["text"]
    assert 'class="partnership-problem"' in index_html and "⚠ problem" in html.unescape(index_html)


def test_generated_headings_are_in_the_contents_without_edit_links(wiki: LiveWiki) -> None:
    for title in (BY_TYPE, REPORT, OVERVIEW, LIST_PAGE):
        parsed = wiki.api.parse(title)
        assert parsed["sections"], f"{title}: the headings are in the table of contents"
        assert "mw-editsection" not in parsed["text"], f"{title}: a heading offers an [edit] link"
    lines = [s["line"] for s in wiki.api.parse(BY_TYPE)["sections"]]
    assert "Content sources" in lines


def test_a_volunteers_heading_outside_the_region_keeps_its_edit_link(
    wiki: LiveWiki, restore: Callable[[str], str]
) -> None:
    text = restore(BY_TYPE)
    wiki.api.edit(BY_TYPE, "== Notes by volunteers ==\nOur notes.\n" + text)
    assert wiki.api.parse(BY_TYPE)["text"].count('class="mw-editsection"') == 1


def test_every_region_begins_with_the_bots_notice(wiki: LiveWiki) -> None:
    for title in (INDEX, BY_TYPE, REPORT, OVERVIEW):
        assert region(wiki, title).startswith(NOTICE), title
        assert "kept by the bot" in html.unescape(wiki.api.parse(title)["text"])
    text = wiki.api.text(LIST_PAGE)
    filled = text.split(LIST, 1)[1].split("{{Partnership list end}}")[0].strip().splitlines()
    assert filled[0].startswith("<!-- list query") and filled[1].startswith(NOTICE), filled[:2]
    assert "[[:Template:Partnership list]]" in filled[1]


def latest(wiki: LiveWiki, title: str) -> dict[str, Any]:
    pages = wiki.api.call(action="query", prop="revisions", titles=title, rvprop="ids|user|comment")["query"]
    revision: dict[str, Any] = pages["pages"][0]["revisions"][0]
    return revision


def test_undoing_a_hand_edit_names_the_editor_and_where_to_edit(wiki: LiveWiki, restore: Callable[[str], str]) -> None:
    text = restore(INDEX)
    wiki.api.edit(INDEX, text.replace("Regions Museum", "Regions Museum (corrected by hand)", 1))
    editor = latest(wiki, INDEX)["user"]
    run(wiki, "bots.update")
    assert "corrected by hand" not in wiki.api.text(INDEX)
    comment = latest(wiki, INDEX)["comment"]
    assert f"(edited by {editor})" in comment and "edit the partnership pages instead" in comment, comment


def test_the_overview_shows_the_last_run_and_links_the_report(wiki: LiveWiki) -> None:
    body = region(wiki, OVERVIEW)
    assert f"{{{{:{CONFIG.pages.status_page}}}}}" in body and f"[[:{REPORT}|validation report]]" in body
    # A run saves the status page after the overview: the wiki renders the overview again when the page it
    # transcludes changes (its job queue, in a while); a purge shows it now.
    wiki.api.call(post=True, action="purge", titles=OVERVIEW)
    shown = html.unescape(wiki.api.parse(OVERVIEW)["text"])
    assert re.search(r"The bot last reported on .*: (done|failed)", shown), "the status page's line"
    assert "Pages read" not in shown, "only the status page's one line is transcluded"
