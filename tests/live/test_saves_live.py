"""Saving respects deletions and moves (issue 16, items 5 and 6), against the local wiki.

- A page deleted between the bot's read and its save is not re-created: the save carries
  ``nocreate`` (the fault proxy deletes the page when the bot's edit request goes out).
- A generated page an admin deleted is not re-created by the next run, which says so in
  its output and on the status page; a generated page that never existed is created.
- A generated page that was moved is followed: the region is written on the page it
  was moved to, the redirect stays a redirect, and the output warns to update pages.yaml.
  A redirect typed over a generated page (no move) is refused, never overwritten.

Each test works in its own sandbox (sandbox.py), with its own status page.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bots.config import load_config
from bots.core.pages.regions import region_body
from bots.core.pages.render import escape_wikitext
from scripts.devwiki import ADMIN_USER
from tests.live.conftest import LiveWiki, output, run_module
from tests.live.faultproxy import Fault, FaultProxy
from tests.live.sandbox import FAST_RETRIES, Sandbox, make_sandbox

PAGES = load_config().pages
START, END = PAGES.region_start, PAGES.region_end


def sandbox(wiki: LiveWiki, tmp_path: Path, name: str, port: int | None = None) -> Sandbox:
    """A sandbox whose status page is its own (other tests' runs write the default one)."""
    box = make_sandbox(wiki, tmp_path, name, port=port, settings=FAST_RETRIES)
    path = box.config_dir / "pages.yaml"
    pages = yaml.safe_load(path.read_text(encoding="utf-8"))
    pages["status"]["page"] = status_page(box)
    path.write_text(yaml.safe_dump(pages, allow_unicode=True), encoding="utf-8")
    return box


def status_page(box: Sandbox) -> str:
    return f"User:PartnershipBot/Status {box.name}"


def missing(wiki: LiveWiki, title: str) -> bool:
    return bool(wiki.api.page(title).get("missing"))


def delete(wiki: LiveWiki, title: str) -> None:
    """An admin deletes the page (logged in the deletion log, as on a real wiki)."""
    wiki.dev.php("deleteBatch.php", "-u", ADMIN_USER, "-r", "live test: an admin deletes the page", stdin=f"{title}\n")
    assert missing(wiki, title)


def edit_of(title: str) -> tuple[str, str]:
    """A fault match for the bot's save of one page."""
    return ("action=edit", f"title={title}&")


def edits_of(proxy: FaultProxy, title: str) -> int:
    """How many save requests of one page went out (not the log queries: their letitle= holds the title too)."""
    return sum(1 for request in proxy.requests if "action=edit" in request and f"title={title}&" in request)


def body(wiki: LiveWiki, title: str) -> str:
    found = region_body(wiki.api.text(title), START, END)
    assert found is not None, f"{title} has no bot region"
    return found


def test_deleted_pages_are_not_recreated_and_new_generated_pages_are_created(
    wiki: LiveWiki, proxy: FaultProxy, tmp_path: Path
) -> None:
    """(c) A first run creates every generated page (none ever existed). (a) Then an admin deletes the
    index and a volunteer's list page while the next run saves them, between its read and its save:
    each is skipped with one line, not re-created, and the run goes on (exit 0). (b) The run after
    that finds the index missing, reads the deletion log and does not re-create it either: it says
    who deleted it and when, in its output and on the status page, and exits 1 (a page it could not
    write, as for a protected page)."""
    proxy.clear()
    box = sandbox(wiki, tmp_path, "deleted-pages", port=proxy.port)
    box.add_partnerships(2)
    listing = f"Reliab/{box.name}/Volunteer list"
    wiki.api.edit(listing, f"Our partnerships:\n{{{{{box.template} list|format=list|columns=name}}}}\n")
    wiki.api.edit(listing, wiki.api.text(listing) + f"{{{{{box.template} list end}}}}\n")
    first = box.run("bots.update", "-always")
    assert first.returncode == 0, output(first)
    assert all(not missing(wiki, title) for title in box.titles.values()), "brand-new generated pages are created"
    assert f"{box.name} partnership 1" in wiki.api.text(listing)

    index = box.title("index")
    box.add_partnerships(1, start=2)  # every page and the list change
    proxy.clear()
    proxy.add(Fault("hook", match=edit_of(index), hook=lambda _: delete(wiki, index)))
    proxy.add(Fault("hook", match=edit_of(listing), hook=lambda _: delete(wiki, listing)))
    result = box.run("bots.update", "-always")
    log = output(result)
    assert edits_of(proxy, index) >= 1 and edits_of(proxy, listing) >= 1, "both deleted"
    for title in (index, listing):
        assert missing(wiki, title), f"{title} was re-created:\n{log}"
        assert f"Skipped [[{title}]]: it was deleted during the run" in log
    assert result.returncode == 0, log
    assert edits_of(proxy, index) == 1, "one save tried, no second"
    assert "1 deleted during the run" in log  # the generated pages; the list page is the lists' own count
    assert f"{box.name} partnership 2" in body(wiki, box.title("by_type")), "the run went on"
    status = wiki.api.text(status_page(box))
    assert escape_wikitext(f"Skipped [[{index}]]: it was deleted during the run") in status

    proxy.clear()
    again = box.run("bots.update", "-always")
    log = output(again)
    assert again.returncode == 1, log
    said = f"[[{index}]] was deleted by an admin ({ADMIN_USER}) on "
    assert said in log and "the bot does not re-create it: restore it or remove it from pages.yaml" in log
    assert missing(wiki, index) and missing(wiki, listing)
    assert escape_wikitext(said) in wiki.api.text(status_page(box))
    assert proxy.count("action=edit") >= 1 and edits_of(proxy, index) == 0, "no save of the index at all"


def test_a_moved_generated_page_is_followed_and_a_typed_redirect_is_refused(wiki: LiveWiki, tmp_path: Path) -> None:
    """By lead is moved (the bot account moves it, leaving a redirect): the next run writes the fresh
    region on the page it was moved to, leaves the redirect a redirect, and warns to update
    pages.yaml, in its output and on the status page. A redirect typed over another generated page
    (no move made it) is refused with a clear message and stays as it is."""
    box = sandbox(wiki, tmp_path, "moved-pages")
    box.add_partnerships(2)
    first = box.run("bots.update", "-always")
    assert first.returncode == 0, output(first)
    old = box.title("by_lead").replace("_", " ")
    new = f"Reliab/{box.name}/Partnerships by lead"
    moved = run_module("tests.live.move_page", old, new, pywikibot_dir=box.pywikibot_dir)
    assert moved.returncode == 0, output(moved)
    partners = box.title("partners")
    typed = "#REDIRECT [[Main Page]]"
    wiki.api.edit(partners, typed)
    box.add_partnerships(1, start=2)

    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 1, log
    assert f"[[{old}]] was moved to [[{new}]]" in log and "Update pages.yaml to the new title" in log
    assert f"{box.name} partnership 2" in body(wiki, new)
    redirect = wiki.api.text(old)
    assert redirect.startswith("#REDIRECT") and START not in redirect, redirect
    assert f"Not editing [[{partners}]]: it is a redirect to [[Main Page]] that no move made" in log
    assert wiki.api.text(partners) == typed
    status = wiki.api.text(status_page(box))
    assert escape_wikitext(f"[[{old}]] was moved to [[{new}]]") in status

    # Once the redirect is turned back into a page, the run is clean: the move alone is a warning (exit 0),
    # said again on every run until pages.yaml names the new title.
    wiki.api.edit(partners, "Partner organisations of the sandbox.")
    result = box.run("bots.update", "-always")
    log = output(result)
    assert result.returncode == 0, log
    assert f"[[{old}]] was moved to [[{new}]]" in log
    assert f"{box.name} partnership 2" in body(wiki, partners)
    assert wiki.api.text(old).startswith("#REDIRECT")
