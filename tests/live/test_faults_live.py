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

from bots.config import load_config
from bots.core.pages.guard import count_rows
from bots.core.pages.regions import region_body
from tests.live.conftest import LiveWiki, output
from tests.live.faultproxy import Fault, FaultProxy
from tests.live.sandbox import FAST_RETRIES, Sandbox, make_sandbox

PAGES = load_config().pages
START, END = PAGES.region_start, PAGES.region_end


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


def seed_regions(wiki: LiveWiki, box: Sandbox) -> None:
    """Create every generated page of the sandbox with an empty table in its bot region, as a
    previous run over no records would have left it (cheaper than a run of the bot)."""
    for title in box.titles.values():
        wiki.api.edit(title, f"{START}\n{{|\n|}}\n{END}\n")


# --- guards ---------------------------------------------------------------------------------


def test_an_empty_read_never_blanks_a_page(wiki: LiveWiki, tmp_path: Path) -> None:
    """When no partnership page is read at all, no generated page is saved, not even with -force;
    nor the validation report by bots.validate -report."""
    box = make_sandbox(wiki, tmp_path, "empty")
    index, report = box.title("index"), box.title("report")
    for title in (index, report):
        wiki.api.edit(title, f"Intro.\n{START}\n{{|\n{fake_rows(3)}|}}\n{END}\n")
    before = {title: wiki.api.revid(title) for title in (index, report)}
    for module, *args in (("bots.update",), ("bots.update", "-force"), ("bots.validate", "-report")):
        result = box.run(module, "-always", *args)
        assert result.returncode == 1, output(result)
        assert "no partnership page was read at all" in output(result)
        assert {title: wiki.api.revid(title) for title in before} == before
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


# --- a volunteer edits during the run: edit conflict, {{nobots}} ---------------------------------


def test_volunteers_editing_during_a_run_edit_conflict_and_nobots(
    wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox
) -> None:
    """Volunteers edit generated pages between the bot's read and its saves. On the index, the wiki
    reports an edit conflict (pywikibot sends basetimestamp): the bot reads the page again, the
    volunteer's text outside the region survives and the region is regenerated from the records.
    On the pages the bot has not reached yet, a {{nobots}} is seen (each page is read again before
    its save) and those pages are left alone."""
    box = faulty
    box.add_partnerships(3)
    wiki.api.edit(box.title("Partnership 0"), box.partnership(0, status="ended"))
    seed_regions(wiki, box)
    index = box.title("index")
    wiki.api.edit(index, wiki.api.text(index).replace("|}", fake_rows(3) + "|}", 1))
    row = "Gone 0]]"
    nobots: list[str] = []

    def volunteer_edits_the_index(request: str) -> None:
        text = wiki.api.text(index)
        assert row in text
        wiki.api.edit(index, "A volunteer's introduction.\n" + text.replace(row, row + " (volunteer note)"))

    def volunteer_adds_nobots(request: str) -> None:
        # At the bot's first save of a page other than the index: every page it has not reached yet.
        if nobots or f"title={index}&" in request:
            return
        nobots.extend(t for t in box.titles.values() if t != index and f"title={t.replace('_', ' ')}&" not in request)
        for title in nobots:
            wiki.api.edit(title, "{{nobots}}\n" + wiki.api.text(title))

    proxy.add(Fault("hook", match=edit_of(box, "index"), hook=volunteer_edits_the_index))
    proxy.add(Fault("hook", match="action=edit", times=0, hook=volunteer_adds_nobots))
    log = run_ok(box)
    assert f"Edit conflict on [[{index}]]" in log
    text = wiki.api.text(index)
    assert text.startswith("A volunteer's introduction.\n" + START)
    assert "(volunteer note)" not in text and "Gone" not in text
    assert "Ended" in body(wiki, index)
    assert_one_region(wiki, index)
    assert count_rows(body(wiki, index)) == 3
    assert proxy.count(edit_of(box, "index")[1]) >= 2
    assert len(nobots) == len(box.keys) - 2
    for title in nobots:
        assert f"Not editing [[{title.replace('_', ' ')}]]: the page asks bots not to edit it" in log
        assert f"{box.name} partnership" not in wiki.api.text(title)
    saved = [t for t in box.titles.values() if t != index and t not in nobots]
    assert len(saved) == 1 and f"{box.name} partnership 2" in wiki.api.text(saved[0])


# --- server errors, time-outs, maxlag, a dying wiki -----------------------------------------


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


def test_the_wiki_dying_mid_run_then_a_run_through_server_errors_timeouts_and_cut_answers(
    wiki: LiveWiki, proxy: FaultProxy, tmp_path: Path
) -> None:
    """The wiki goes down after the first save: the run stops with exit 1 and a one-line reason.
    Once it is back, the next run completes through HTTP 500 and 503 answers, maxlag API errors
    (the servers are lagged), a dropped connection, an answer cut off half-way and one that comes
    after the read time-out, each retried a bounded number of times. A save whose answer was lost
    was done on the wiki: the retry is a null edit, so each page has one revision and one region."""
    proxy.clear()
    box = make_sandbox(
        wiki, tmp_path, "errors", port=proxy.port, check_every=1, settings={**FAST_RETRIES, "socket_timeout": (3, 2)}
    )
    box.add_partnerships(3)
    proxy.add(Fault("die", match="action=edit", skip=1))
    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 1, log
    assert log.strip().splitlines()[-1].startswith("ERROR: Stopped: the wiki did not answer"), log
    assert "Traceback" not in log.split("Stopped:")[-1]
    assert saved_pages(wiki, box) == 1
    unsaved = [key for key, title in box.titles.items() if wiki.api.revid(title) == 0]
    proxy.clear()  # the wiki is back, with other faults
    proxy.add(Fault("status", match="embeddedin", status=500, times=1))
    proxy.add(Fault("status", match=edit_of(box, unsaved[0]), status=503, times=2))
    lagged = proxy.add(Fault("maxlag", match=edit_of(box, unsaved[1]), times=2))
    proxy.add(Fault("drop", match=edit_of(box, unsaved[2])))
    proxy.add(Fault("cut", match=edit_of(box, unsaved[2])))
    proxy.add(Fault("delay", match=edit_of(box, unsaved[3]), delay=3))
    log = run_ok(box)
    assert "seconds before retrying" in log
    assert proxy.count("embeddedin") >= 2
    assert lagged.applied == 2
    assert_all_pages_whole(wiki, box, 3)
    for key, title in box.titles.items():
        revisions = wiki.api.call(action="query", prop="revisions", titles=title, rvlimit="5")
        assert len(revisions["query"]["pages"][0]["revisions"]) == 1, key


# --- refusals by the wiki ---------------------------------------------------------------------


SPAM = {"code": "spamblacklist", "info": "blocked", "spamblacklist": {"matches": ["spam.example"]}}
ABUSE = {"code": "abusefilter-disallowed", "info": "This action has been automatically identified as harmful."}


def test_refusals_mass_removal_protection_spam_blacklist_abuse_filter_and_force(
    wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox
) -> None:
    """Four generated pages are refused in one run, each with a message naming the page and the
    reason, and the run goes on (the last page is saved), exit 1:
    - the index, by the mass-removal guard: the run would drop 4 of its 10 rows (more than 20%);
    - a page an administrator protected;
    - the spam blacklist and an abuse filter (those API errors are injected).
    Then -force saves the index (the protected page is still refused)."""
    box = faulty
    box.add_partnerships(6)
    seed_regions(wiki, box)
    index, protected = box.title("index"), box.title("by_type")
    wiki.api.edit(index, wiki.api.text(index).replace("|}", fake_rows(10) + "|}", 1))
    wiki.dev.php("protect.php", "--user", "Admin", "--reason", "test of the bot", protected)
    proxy.add(Fault("api-error", match=edit_of(box, "by_lead"), error=SPAM))
    proxy.add(Fault("api-error", match=edit_of(box, "report"), error=ABUSE))
    before = {key: wiki.api.revid(title) for key, title in box.titles.items()}
    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 1, log
    assert f"Not editing [[{index}]]: this run would remove 4 of the 10 rows" in log and "-force" in log
    assert f"Not editing [[{protected.replace('_', ' ')}]]: the page is protected" in log
    spam = "the wiki's spam blacklist refused a link in the new text (spam.example)"
    abuse = "an abuse filter refused the edit: This action has been automatically identified as harmful."
    assert f"Not editing [[{box.title('by_lead').replace('_', ' ')}]]: {spam}" in log
    assert f"Not editing [[{box.title('report')}]]: {abuse}" in log
    assert "4 refused" in log
    refused = ("index", "by_type", "by_lead", "report")
    assert {key: wiki.api.revid(box.title(key)) for key in refused} == {key: before[key] for key in refused}
    assert "Partner 5" in body(wiki, box.title("partners")), "the run went on"
    forced = box.run("bots.update", "-always", "-force")
    log = output(forced)
    assert forced.returncode == 1 and "1 refused" in log, log
    assert count_rows(body(wiki, index)) == 6
    assert "Gone" not in wiki.api.text(index)
    assert wiki.api.revid(protected) == before["by_type"]


# --- shutoff and {{nobots}} during a run ------------------------------------------------------


def test_the_shutoff_page_stops_the_bot_in_the_middle_of_a_run(
    wiki: LiveWiki, proxy: FaultProxy, faulty: Sandbox
) -> None:
    """Someone switches the bot off while it runs: it reads the shutoff page again after each
    edit (check_every: 1 here), stops before the next save and exits 3 (bots.update, bots.crosslink)."""
    box = faulty
    box.add_partnerships(2)
    wiki.api.edit(box.shutoff, "run")
    proxy.add(Fault("hook", match="action=edit", hook=lambda _: wiki.api.edit(box.shutoff, "stop, please")))
    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 3, log
    assert "Stopping in the middle of the run" in log and box.shutoff in log
    assert saved_pages(wiki, box) == 1
    # Every editing bot decides its exit code in the same place: bots.crosslink, with two pages to fix.
    one_sided = box.add_partnerships(2, start=2)
    wiki.api.edit(box.title("Partnership 9"), box.partnership(9, related="; ".join(one_sided)))
    wiki.api.edit(box.shutoff, "run")
    proxy.add(Fault("hook", match="action=edit", hook=lambda _: wiki.api.edit(box.shutoff, "stop, please")))
    result = box.run("bots.crosslink", "-always")
    log = output(result)
    assert result.returncode == 3, log
    assert "Stopping in the middle of the run" in log
    assert sum(box.title("Partnership 9") in wiki.api.text(title) for title in one_sided) == 1


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
