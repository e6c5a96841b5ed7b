"""bots.update -recent on the local wiki: what changed is seen from recent changes, at a constant cost.

Each test has its own sandbox (own infobox name, own pages, own generated pages),
talking to the wiki through the logging proxy so that its requests can be counted.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from scripts.devwiki import ADMIN_USER
from tests.live.conftest import LiveWiki, output
from tests.live.faultproxy import FaultProxy
from tests.live.sandbox import Sandbox, make_sandbox


@pytest.fixture
def box(wiki: LiveWiki, proxy: FaultProxy, tmp_path: Path, request: pytest.FixtureRequest) -> Sandbox:
    name = request.node.name.removeprefix("test_")[:30].replace("_", "-")
    return make_sandbox(wiki, tmp_path, f"recent {name}", port=proxy.port)


def run(box: Sandbox, *args: str, cache: str = "cache.sqlite") -> str:
    result = box.run(
        "bots.update", "-always", "-nostatus", f"-cache:{box.root / cache}", f"-lock:{box.root / 'lock'}", *args
    )
    text = output(result)
    assert result.returncode == 0, text
    return text


def cached(box: Sandbox, cache: str = "cache.sqlite") -> dict[str, Any]:
    """Title -> (page id, revision, record and problems) of every page in the revision cache file."""
    with closing(sqlite3.connect(box.root / cache)) as db:
        rows = db.execute("SELECT pageid, title, revid, result FROM pages").fetchall()
    return {title: (pageid, revid, json.loads(result)) for pageid, title, revid, result in rows}


def reading_requests(proxy: FaultProxy, box: Sandbox) -> dict[str, int]:
    """The run's requests that read infobox pages or what changed, by kind."""
    listing = re.compile(rf"(gei|ei)title=Template:{re.escape(box.template)}(&|$)")
    kinds = {"list infobox pages": 0, "recent changes": 0, "look up titles": 0, "texts": 0}
    for request in proxy.requests:
        if listing.search(request):
            kinds["list infobox pages"] += 1
        elif "list=recentchanges" in request:
            kinds["recent changes"] += 1
        elif "prop=info|templates|revisions" in request:
            kinds["look up titles"] += 1
        elif "rvprop=ids|content" in request and "pageids=" in request:  # not a save's re-read
            kinds["texts"] += 1
    return kinds


def test_edits_new_pages_removals_deletions_and_moves_are_seen_as_a_full_run_sees_them(
    wiki: LiveWiki, box: Sandbox
) -> None:
    titles = box.add_partnerships(6)
    draft = f"User:{box.name}/Draft"
    wiki.api.edit(draft, box.partnership(50))  # outside the namespaces: not a record yet
    run(box)
    before = cached(box)
    assert set(before) == set(titles)

    edited, removed, deleted, moved, moved_out = titles[:5]
    wiki.api.edit(edited, box.partnership(0, status="completed", end="2024"))
    new = box.add_partnerships(1, start=10)[0]
    wiki.api.edit(removed, "No partnership here any more.")
    wiki.dev.php("deleteBatch.php", "-u", "Admin", "-r", "live test", stdin=f"{deleted}\n")
    renamed, out = f"Reliab/{box.name}/Renamed", f"User:{box.name}/Moved out"
    into = f"Reliab/{box.name}/From a draft"
    wiki.dev.php("moveBatch.php", "-u", "Admin", stdin=f"{moved}|{renamed}\n{moved_out}|{out}\n{draft}|{into}\n")

    text = run(box, "-recent", "-force")  # -force: three of six rows go, more than the guard allows
    assert "Recent changes since" in text and "listing every page" not in text, text
    after = cached(box)
    assert set(after) == {edited, titles[5], new, renamed, into}
    assert after[edited][1] > before[edited][1], "the edited page is read at its new revision"
    assert after[renamed][0] == before[moved][0], "the moved page keeps its page id, under its new title"
    assert f"Moved: [[{moved}]] -> [[{renamed}]]" in text
    index = wiki.api.text(box.title("index"))
    assert f"{box.name} partnership 10" in index and f"{box.name} partnership 2" not in index

    assert "0 pages saved" in run(box, "-full", cache="full.sqlite"), "the generated pages are a full run's too"
    assert cached(box, "full.sqlite") == after, "-recent's pages, revisions, records and problems are a full run's"


def test_a_quiet_recent_run_costs_the_same_few_requests_whatever_the_number_of_pages(
    wiki: LiveWiki, box: Sandbox, proxy: FaultProxy
) -> None:
    box.add_partnerships(3)
    run(box)
    proxy.requests.clear()
    run(box, "-full", cache="full.sqlite")
    full = reading_requests(proxy, box)
    assert full["list infobox pages"] == 1 and full["texts"] == 0, "a cold read lists and reads in one pass"
    assert full["recent changes"] == 0

    def quiet() -> dict[str, int]:
        run(box, "-recent")  # sees the last run's own edits, if any
        proxy.requests.clear()
        text = run(box, "-recent")
        assert "Recent changes since" in text and "nothing new since the last run" in text, text
        return reading_requests(proxy, box)

    small = quiet()
    assert small == {"list infobox pages": 0, "recent changes": 1, "look up titles": 0, "texts": 0}
    box.add_partnerships(12, start=3)
    text = run(box, "-recent")
    assert "3 pages unchanged since the last run, 12 fetched" in text, text
    assert quiet() == small
    assert len(cached(box)) == 15

    wiki.api.edit(f"Reliab/{box.name}/Partnership 0", box.partnership(0, status="ended", end="2024"))
    proxy.requests.clear()
    run(box)
    listing = reading_requests(proxy, box)
    assert listing == {"list infobox pages": 1, "recent changes": 0, "look up titles": 0, "texts": 1}, listing


def test_a_run_that_renders_checks_nobots_on_the_generated_pages_without_a_request_per_page(
    box: Sandbox, proxy: FaultProxy
) -> None:
    """The generated pages come with their templates (50 a request), so botMayEdit asks nothing more."""
    box.add_partnerships(3)
    proxy.requests.clear()
    text = run(box, "-full")
    assert "Done in" in text, text
    read_with_templates = [r for r in proxy.requests if "prop=" in r and "templates" in r and "rvprop=" in r]
    # the sandbox's own generated pages (a shared recommendation page that other tests edit
    # may change between the read and the save, and is then rightly checked again)
    per_page = [r for r in proxy.requests if "generator=templates" in r and f"Reliab/{box.name}/" in r]
    assert read_with_templates, "the generated pages are read with their templates"
    assert per_page == [], per_page


def test_a_quiet_recent_run_still_sees_a_linked_page_change_outside_the_namespaces(
    wiki: LiveWiki, box: Sandbox
) -> None:
    """A quiet run reads no record, but looks up the pages the records link to: one created in User:
    (no recent change in the namespaces) makes it read the records, and the report follows."""
    idea = f"User:{box.name}/Idea"
    box.add_partnerships(2)
    wiki.api.edit(box.title("Partnership 9"), box.partnership(9, recommendation=f"[[{idea}]]"))
    run(box)
    run(box, "-recent")  # sees the first run's own edits
    assert "nothing new since the last run" in run(box, "-recent")
    assert "which does not exist" in wiki.api.text(box.title("report")), "the link to a missing page is reported"

    wiki.api.edit(idea, "An idea, now written down.")
    text = run(box, "-recent")
    assert "a page the records link to changed: reading the records" in text, text
    assert "which does not exist" not in wiki.api.text(box.title("report")), "the report no longer says it is missing"
    assert "nothing new since the last run" in run(box, "-recent")


def test_a_deleted_page_restored_over_the_api_comes_back_as_a_full_run_sees_it(wiki: LiveWiki, box: Sandbox) -> None:
    titles = box.add_partnerships(6)  # one of six rows goes: under the mass-removal guard, no -force
    run(box)
    before = cached(box)
    assert set(before) == set(titles)
    deleted = titles[2]
    gone = f"{box.name} partnership 2"
    wiki.dev.php("deleteBatch.php", "-u", "Admin", "-r", "live test", stdin=f"{deleted}\n")
    text = run(box, "-recent")
    assert "Recent changes since" in text and "listing every page" not in text, text
    assert set(cached(box)) == set(titles) - {deleted}, "the deleted page is dropped"
    assert gone not in wiki.api.text(box.title("index"))

    wiki.api.login(ADMIN_USER, wiki.dev.secret("admin")).undelete(deleted)
    text = run(box, "-recent")
    assert "Recent changes since" in text and "listing every page" not in text, text
    after = cached(box)
    assert set(after) == set(titles) and after[deleted][2] == before[deleted][2], "back, with the same record"
    assert gone in wiki.api.text(box.title("index"))

    assert "0 pages saved" in run(box, "-full", cache="full.sqlite"), "the generated pages are a full run's too"
    assert cached(box, "full.sqlite") == after, "-recent's pages, revisions, records and problems are a full run's"
