"""Fault injection against the local wiki: what the bots do when the wiki or its users misbehave.

Each test works in its own sandbox (its own infobox name, generated pages and shutoff
page; see sandbox.py), so that breaking things here never disturbs other live tests.
Faults on the wire come from a proxy on loopback (faultproxy.py) that the sandbox's
pywikibot family points at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bots.core.edit import region_body
from bots.core.guard import count_rows
from bots.core.pipeline import load_config
from tests.live.conftest import LiveWiki, output
from tests.live.faultproxy import Fault, FaultProxy
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
    name = request.node.name.removeprefix("test_")[:40].replace("_", "-")
    yield make_sandbox(wiki, tmp_path, name, port=proxy.port, check_every=1, settings=FAST_RETRIES)
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


# --- helpers for faults on the wire ---------------------------------------------------------


def edit_of(box: Sandbox, key: str) -> tuple[str, str]:
    """A fault match for the bot's save of one generated page."""
    return ("action=edit", f"title={box.title(key).replace('_', ' ')}&")


def assert_all_pages_whole(wiki: LiveWiki, box: Sandbox, rows: int) -> None:
    """Every generated page exists with exactly one region, and the index lists ``rows`` records."""
    for title in box.titles.values():
        assert_one_region(wiki, title)
    assert count_rows(body(wiki, box.title("index"))) == rows


def saved_pages(wiki: LiveWiki, box: Sandbox) -> int:
    """How many of the sandbox's generated pages exist."""
    return sum(1 for title in box.titles.values() if wiki.api.revid(title) > 0)


def run_ok(box: Sandbox, *args: str) -> str:
    result = box.run("bots.update", "-always", *args)
    assert result.returncode == 0, output(result)
    return output(result)


# --- edit conflicts -------------------------------------------------------------------------


def test_edit_conflict_keeps_the_volunteers_text_and_regenerates_the_region(
    wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox
) -> None:
    """A volunteer saves a generated page between the bot's read and its save: the wiki reports an
    edit conflict (pywikibot sends basetimestamp), the bot reads the page again, the volunteer's text
    outside the region survives and the region is regenerated from the records."""
    box = faulty
    titles = box.add_partnerships(3)
    run_ok(box)
    index = box.title("index")
    wiki.api.edit(titles[0], box.partnership(0, status="ended"))
    row = f"|{box.name} partnership 0]]"

    def volunteer_edits(request: str) -> None:
        text = wiki.api.text(index)
        assert row in text
        wiki.api.edit(index, "A volunteer's introduction.\n" + text.replace(row, row + " (volunteer note)"))

    proxy.add(Fault("hook", match=edit_of(box, "index"), hook=volunteer_edits))
    log = run_ok(box)
    assert f"Edit conflict on [[{index}]]" in log
    text = wiki.api.text(index)
    assert text.startswith("A volunteer's introduction.\n" + START)
    assert "(volunteer note)" not in text
    assert "Ended" in body(wiki, index)
    assert_all_pages_whole(wiki, box, 3)
    assert proxy.count("action=edit") >= 2


# --- server errors, time-outs, maxlag, a dying wiki -----------------------------------------


def test_server_errors_and_maxlag_are_retried_and_the_run_completes(
    wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox
) -> None:
    """HTTP 500 and 503 answers to reads and saves, and maxlag API errors (the servers are lagged),
    are retried a bounded number of times; the run completes and each page is saved once."""
    box = faulty
    box.add_partnerships(2)
    proxy.add(Fault("status", match="embeddedin", status=500, times=1))
    proxy.add(Fault("status", match=edit_of(box, "index"), status=503, times=2))
    lagged = proxy.add(Fault("maxlag", match=edit_of(box, "by_type"), times=2))
    log = run_ok(box)
    assert "seconds before retrying" in log
    assert proxy.count("embeddedin") >= 2
    assert lagged.applied == 2
    assert_all_pages_whole(wiki, box, 2)
    for key in ("index", "by_type"):
        revisions = wiki.api.call(action="query", prop="revisions", titles=box.title(key), rvlimit="5")
        assert len(revisions["query"]["pages"][0]["revisions"]) == 1, key


def test_cut_connections_and_timeouts_are_retried_without_a_duplicate(
    wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox, tmp_path: Path
) -> None:
    """A save whose answer is cut off half-way, or comes after the read time-out, was done on the
    wiki: the retry is a null edit, not a second copy of the region; dropped connections are retried."""
    box = make_sandbox(
        wiki, tmp_path / "slow", "cut", port=proxy.port, settings={**FAST_RETRIES, "socket_timeout": (3, 2)}
    )
    box.add_partnerships(2)
    proxy.add(Fault("cut", match=edit_of(box, "index")))
    proxy.add(Fault("delay", match=edit_of(box, "by_type"), delay=3))
    proxy.add(Fault("drop", match=edit_of(box, "by_lead")))
    run_ok(box)
    assert_all_pages_whole(wiki, box, 2)
    for key in ("index", "by_type"):
        revisions = wiki.api.call(action="query", prop="revisions", titles=box.title(key), rvlimit="5")
        assert len(revisions["query"]["pages"][0]["revisions"]) == 1, key


def test_a_dead_wiki_ends_the_run_with_one_line_and_exit_1(proxy: FaultProxy, faulty: Sandbox) -> None:
    """When the wiki does not answer at all, the bot retries a bounded number of times, then stops
    with exit 1 and a one-line reason as its last line."""
    proxy.down = True
    result = faulty.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 1, log
    last = log.strip().splitlines()[-1]
    assert last.startswith("ERROR: Stopped:") and "wiki" in last, last
    assert "Traceback" not in log.split("Stopped:")[-1]


def test_the_wiki_dying_mid_run_then_the_next_run_completes(wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox) -> None:
    """The wiki goes down after the first save: the run stops with exit 1; once it is back, the
    next run completes, and no generated page has a broken or duplicated region."""
    box = faulty
    box.add_partnerships(3)
    proxy.add(Fault("die", match="action=edit", skip=1))
    result = box.run("bots.update", "-always")
    assert result.returncode == 1, output(result)
    assert "Stopped: the wiki did not answer" in output(result)
    assert saved_pages(wiki, box) == 1
    proxy.down = False
    run_ok(box)
    assert_all_pages_whole(wiki, box, 3)


# --- refusals by the wiki ---------------------------------------------------------------------


def test_a_protected_page_is_reported_and_the_run_goes_on(wiki: LiveWiki, tmp_path: Path) -> None:
    """A generated page protected by an administrator: a message naming the page and the reason,
    exit 1, and the other generated pages are still saved."""
    box = make_sandbox(wiki, tmp_path, "protected")
    box.add_partnerships(2)
    run_ok(box)
    index = box.title("index")
    wiki.dev.php("protect.php", "--user", "Admin", "--reason", "test of the bot", index)
    before = wiki.api.revid(index)
    box.add_partnerships(1, start=2)
    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 1, log
    assert f"Not editing [[{index}]]: the page is protected" in log
    assert wiki.api.revid(index) == before
    assert "partnership 2" in wiki.api.text(box.title("by_type"))
    assert "1 refused" in log


SPAM = {"code": "spamblacklist", "info": "blocked", "spamblacklist": {"matches": ["spam.example"]}}
ABUSE = {"code": "abusefilter-disallowed", "info": "This action has been automatically identified as harmful."}


def test_spam_blacklist_and_abuse_filter_refusals_are_reported_and_the_run_goes_on(
    wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox
) -> None:
    """The wiki refuses two saves (spam blacklist, abuse filter; the API errors are injected): a
    message naming each page and the reason, exit 1, and the other pages are saved."""
    box = faulty
    box.add_partnerships(2)
    proxy.add(Fault("api-error", match=edit_of(box, "index"), error=SPAM))
    proxy.add(Fault("api-error", match=edit_of(box, "by_type"), error=ABUSE))
    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 1, log
    spam = "the wiki's spam blacklist refused a link in the new text (spam.example)"
    abuse = "an abuse filter refused the edit: This action has been automatically identified as harmful."
    assert f"Not editing [[{box.title('index')}]]: {spam}" in log
    assert f"Not editing [[{box.title('by_type').replace('_', ' ')}]]: {abuse}" in log
    assert wiki.api.revid(box.title("index")) == 0 and wiki.api.revid(box.title("by_type")) == 0
    assert wiki.api.revid(box.title("report")) > 0
    assert "2 refused" in log


# --- shutoff and {{nobots}} during a run ------------------------------------------------------


def test_the_shutoff_page_stops_the_bot_in_the_middle_of_a_run(
    wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox
) -> None:
    """Someone switches the bot off while it runs: it reads the shutoff page again after each
    edit (check_every: 1 here), stops before the next save and exits 3."""
    box = faulty
    box.add_partnerships(2)
    wiki.api.edit(box.shutoff, "run")
    proxy.add(Fault("hook", match="action=edit", hook=lambda _: wiki.api.edit(box.shutoff, "stop, please")))
    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 3, log
    assert "Stopping in the middle of the run" in log and box.shutoff in log
    assert saved_pages(wiki, box) == 1


def test_nobots_added_during_a_run_is_honoured(wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox) -> None:
    """{{nobots}} put on a generated page after the bot read it, but before the bot gets to it,
    is seen (the page is read again at the check) and the page is left alone."""
    box = faulty
    box.add_partnerships(2)
    run_ok(box)
    box.add_partnerships(1, start=2)
    others: list[str] = []

    def volunteer_adds_nobots(request: str) -> None:
        others.extend(t for t in box.titles.values() if f"title={t.replace('_', ' ')}&" not in request)
        for title in others:
            wiki.api.edit(title, "{{nobots}}\n" + wiki.api.text(title))

    proxy.add(Fault("hook", match="action=edit", hook=volunteer_adds_nobots))
    log = run_ok(box)
    assert len(others) == len(box.keys) - 1
    for title in others:
        assert f"Not editing [[{title.replace('_', ' ')}]]: the page asks bots not to edit it" in log
        assert "partnership 2" not in wiki.api.text(title)
    assert sum("partnership 2" in wiki.api.text(title) for title in box.titles.values()) == 1


# --- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "damage", "message"),
    [
        ("pages.yaml", lambda t: t.replace("region:", "regoin:"), "pages.yaml, line"),
        ("schema.yaml", lambda t: t.replace("fields:", "fields: [oops\n"), "schema.yaml: not valid YAML"),
        ("schema.yaml", lambda t: t.replace("type: choice", "type: colour", 1), "schema.yaml, line"),
    ],
)
def test_a_broken_config_stops_before_any_request(
    proxy: FaultProxy, faulty: Sandbox, file: str, damage: Callable[[str], str], message: str
) -> None:
    """A broken pages.yaml or schema.yaml: exit 2 with the file and line, and not one request to the wiki."""
    path = faulty.config_dir / file
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    proxy.down = True
    result = faulty.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 2, log
    assert "Configuration error" in log and message in log
    assert proxy.requests == []
