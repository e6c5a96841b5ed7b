"""Issue 16 on the local wiki: hand edits in a bot's region, an evil row template, too many wide lists.

- Junk rows typed into a generated region (or a volunteers' list) no longer freeze the page:
  the guard measures against the bot's own last save, the run restores the region and says
  (in its output and its edit summary) who edited it by hand.
- ``row_template=subst:User:Evil/row`` publishes nothing: the list shows a query error.
- A page of wide lists past the size limit is saved with its lists cut, each saying so.
Pages of their own are under "Hostile lists test/" and cleared at the end; the generated
page edited is put back as it was.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.pages.guard import count_rows
from tests.live.conftest import LiveWiki, output

CONFIG = load_config()
BY_LEAD = CONFIG.pages.title_of("by_lead")
START, END = CONFIG.pages.region_start, CONFIG.pages.region_end
LIST_END = "{{Partnership list end}}"
JUNK_LIST = "Hostile lists test/Junk rows"
EVERY = "{{Partnership list|format=list|columns=name}}"
EVIL_ROW = "User:Evil/row"
EVIL_ROW_TEXT = "Signed ~~~~ [http://spam.example/buy spam link] [[Category:Evil category]]\n"
EVIL = "Hostile lists test/Evil row template"
EVIL_QUERY = "{{Partnership list|type=content|row_template=subst:User:Evil/row}}"
WIDE = "Hostile lists test/Wide lists"
WIDE_QUERY = "{{Partnership list|columns=name, partner, type, lead, status, start, end, chapter|sort=start desc}}"
SMALL_QUERY = "{{Partnership list|format=list|columns=name|limit=2}}"
OWN_PAGES = (JUNK_LIST, EVIL, EVIL_ROW, WIDE)


@pytest.fixture(scope="module", autouse=True)
def own_pages(wiki: LiveWiki) -> Iterator[None]:
    yield
    for title in OWN_PAGES:
        wiki.api.edit(title, "Cleared by the hostile lists tests.\n")


def run(wiki: LiveWiki, module: str, *args: str) -> str:
    result = wiki.run(module, "-always", *args)
    text = output(result)
    assert result.returncode == 0, text
    return " ".join(text.split())


def latest(wiki: LiveWiki, title: str) -> dict[str, Any]:
    """The page's latest revision: its user, edit summary and id."""
    page = wiki.api.call(action="query", prop="revisions", titles=title, rvprop="ids|user|comment")["query"]
    revision: dict[str, Any] = page["pages"][0]["revisions"][0]
    return revision


def region(text: str) -> str:
    return text[text.index(START) + len(START) : text.index(END)]


def test_junk_rows_typed_into_a_generated_region_are_replaced_and_the_run_says_who(
    wiki: LiveWiki, restore: Callable[[str], str]
) -> None:
    run(wiki, "bots.update")  # the page exists, as the bot saved it
    restore(BY_LEAD)
    saved = wiki.api.text(BY_LEAD)
    rows = count_rows(region(saved))
    assert 0 < rows < 120  # 30 junk rows are more than 20% of the rows then
    junk = "".join(f"|-\n| [[Junk {n}]] || spam || spam\n" for n in range(30))
    at = saved.index("|}", saved.index(START))
    wiki.api.edit(BY_LEAD, saved[:at] + junk + saved[at:])
    assert count_rows(region(wiki.api.text(BY_LEAD))) == rows + 30
    vandal = latest(wiki, BY_LEAD)["user"]
    text = run(wiki, "bots.update")
    after = wiki.api.text(BY_LEAD)
    assert "Junk" not in after and count_rows(region(after)) == rows
    note = f"the bot's region was edited by hand since the bot's last save (edited by {vandal})"
    assert f"[[{BY_LEAD}]]: {note}" in text, text
    revision = latest(wiki, BY_LEAD)
    assert revision["user"] != vandal and note in revision["comment"]


def test_junk_rows_typed_into_a_volunteers_list_are_replaced_and_the_run_says_who(wiki: LiveWiki) -> None:
    wiki.api.edit(JUNK_LIST, f"Above.\n{EVERY}\n{LIST_END}\nBelow.\n")
    run(wiki, "bots.lists", f"-page:{JUNK_LIST}")
    saved = wiki.api.text(JUNK_LIST)
    rows = saved.count("\n* [[")
    assert 4 <= rows < 120
    junk = "".join(f"* [[Junk {n}]]\n" for n in range(30))
    wiki.api.edit(JUNK_LIST, saved.replace(LIST_END, junk + LIST_END))
    vandal = latest(wiki, JUNK_LIST)["user"]
    text = run(wiki, "bots.lists", f"-page:{JUNK_LIST}")
    assert wiki.api.text(JUNK_LIST) == saved
    note = f"the list {EVERY} was edited by hand since the bot's last save (edited by {vandal})"
    assert f"[[{JUNK_LIST}]]: {note}" in text and "0 refused" in text, text
    assert note in latest(wiki, JUNK_LIST)["comment"]


def test_an_evil_row_template_publishes_nothing(wiki: LiveWiki) -> None:
    wiki.api.edit(EVIL_ROW, EVIL_ROW_TEXT)
    wiki.api.edit(EVIL, f"Above.\n{EVIL_QUERY}\n{LIST_END}\nBelow.\n")
    text = run(wiki, "bots.lists", f"-page:{EVIL}")
    page = wiki.api.text(EVIL)
    shown = html.unescape(page)
    assert "This list could not be made" in shown and "would put the template's own text into the page" in shown
    for published in ("spam.example", "Evil category", "[[User:", "Signed"):
        assert published not in page, page
    parsed = wiki.api.parse(EVIL)
    assert not parsed["externallinks"] and not parsed["categories"]
    assert EVIL_ROW not in [t["title"] for t in parsed["templates"]]
    assert "list-bad-template" in text or "cannot be a template name" in text


@pytest.fixture
def small_limit(tmp_path: Path) -> Path:
    """A copy of config/ whose size limit for a page is 20,000 bytes."""
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", tmp_path / "schema.yaml")
    pages = yaml.safe_load((DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8"))
    pages["guard"].update(max_page_bytes=20_000, split_above_bytes=15_000, merge_below_bytes=10_000)
    (tmp_path / "pages.yaml").write_text(yaml.safe_dump(pages), encoding="utf-8")
    return tmp_path


def test_a_page_of_wide_lists_past_the_size_limit_is_saved_with_its_lists_cut(
    wiki: LiveWiki, small_limit: Path
) -> None:
    lists = "".join(f"== List {n} ==\n{WIDE_QUERY}\n{LIST_END}\n" for n in range(8))
    wiki.api.edit(WIDE, f"A volunteer's page of lists.\n{lists}== Short ==\n{SMALL_QUERY}\n{LIST_END}\nBelow.\n")
    before = wiki.api.revid(WIDE)
    text = run(wiki, "bots.lists", f"-settings:{small_limit}", f"-page:{WIDE}", f"-page:{JUNK_LIST}")
    page = wiki.api.text(WIDE)
    assert wiki.api.revid(WIDE) != before
    size = len(page.encode("utf-8"))
    assert 15_000 < size <= 20_000
    cut = page.count("''This list was cut: the page would pass the wiki's size limit of 20,000 bytes")
    assert cut == 8, page
    assert page.startswith("A volunteer's page of lists.\n== List 0 ==\n") and page.endswith(f"{LIST_END}\nBelow.")
    assert page.split("== Short ==")[1].count("\n* [[") == 2
    assert f"[[{WIDE}]]" in text and "was cut to its first" in text
    assert "1 saved" in text or "0 saved" not in text
    # a second run makes no edit: the cut is stable, and the guard counts the rows not shown
    again = run(wiki, "bots.lists", f"-settings:{small_limit}", f"-page:{WIDE}")
    assert wiki.api.text(WIDE) == page and "0 refused" in again
