"""bots.crosslink and the cross-linked generated pages, on the local wiki.

The recommendation pages and the partners page are checked against the seed file.
The bot's edits are tested on pages these tests create under "Crosslink test/"
(one sub-prefix per test, given to the bot as -prefixindex:); at the end those
pages lose their infobox, so that other test files see only the seeded records.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mwparserfromhell
import pytest

from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.records.fields import normalise_title
from bots.core.records.parse import value_text
from bots.state.lock import RunLock
from tests.live.conftest import LiveWiki, output
from tests.seedpages import infobox_pages, keeps_out_of_lists

CONFIG = load_config()
START, END = CONFIG.pages.region_start, CONFIG.pages.region_end
PREFIX = CONFIG.pages.crosslink.recommendation_prefix
PARTNERS = CONFIG.pages.title_of("partners")
CREATED: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def empty_created_pages(wiki: LiveWiki) -> Iterator[None]:
    """Take the infobox off every page these tests created, so that later tests see only the seed.

    The generated pages are then rendered from the seed again (with -force: dropping every
    record these tests made can pass the mass-removal guard's share, as it should).
    """
    yield
    for title in CREATED:
        wiki.api.edit(title, "Emptied after a live test of bots.crosslink.")
    result = wiki.run("bots.update", "-always", "-force")
    assert result.returncode == 0, output(result)


def create(wiki: LiveWiki, title: str, text: str) -> None:
    wiki.api.edit(title, text)
    CREATED.append(title)


def crosslink(wiki: LiveWiki, *args: str, expect_exit: int = 0) -> str:
    result = wiki.run("bots.crosslink", "-always", *args)
    text = output(result)
    assert result.returncode == expect_exit, text
    assert "Traceback" not in text, text
    return text


def valid_seed_records(seed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in infobox_pages(seed) if not keeps_out_of_lists(p)]


def param_items(text: str, name: str) -> list[str]:
    """A seeded infobox's list parameter, read independently of the bot's validator."""
    template = next(
        t for t in mwparserfromhell.parse(text).filter_templates() if t.name.matches(list(CONFIG.schema.template_names))
    )
    if not template.has(name):
        return []
    return [item.strip() for item in value_text(template.get(name).value).split(";") if item.strip()]


def region(text: str) -> str:
    return text[text.index(START) : text.index(END)]


def links(text: str) -> set[str]:
    """The pages ``text`` links to (a value's problem mark, a link to a section of the report, left out)."""
    return set(re.findall(r"\[\[:([^|\]#]+)\|", text))


def test_recommendation_and_partners_pages_list_exactly_the_records_pointing_at_them(
    wiki: LiveWiki, seed: list[dict[str, Any]]
) -> None:
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    valid = valid_seed_records(seed)
    recommendations = [p["title"] for p in seed if p["title"].startswith(PREFIX)]
    assert len(recommendations) == 4
    for title in recommendations:
        expected = {
            p["title"] for p in valid if title in map(normalise_title, param_items(p["text"], "recommendation"))
        }
        assert expected, title
        shown = region(wiki.api.text(title))
        assert links(shown) - {p.title for p in CONFIG.pages.generated} == expected, title
    assert wiki.api.text(recommendations[0]).startswith("'''Recommendation:'''"), "the volunteers' text stays"

    groups: dict[str, set[str]] = {}
    for page in valid:
        for partner in param_items(page["text"], "partner") or param_items(page["text"], "partners"):
            groups.setdefault(partner.casefold(), set()).add(page["title"])
    rows = [line for line in region(wiki.api.text(PARTNERS)).splitlines() if line.startswith("| ")]
    assert sorted(sorted(links(row)) for row in rows) == sorted(sorted(titles) for titles in groups.values())


def linking(name: str, related: str) -> str:
    """A compact infobox with text around it, listing ``related``."""
    return (
        "Intro text with a [[link]].\n"
        "{{Partnership\n"
        f"|name=Crosslink {name}\n"
        f"|partner=Crosslink partner {name}\n"
        "|type=content\n"
        "|lead=volunteers\n"
        "|status=active\n"
        f"|related={related}\n"
        "}}\n"
        "Text below.\n"
    )


def linked(name: str, *extra: str) -> str:
    """An aligned infobox followed by a section, with ``extra`` parameter lines."""
    return (
        "{{Partnership\n"
        f"| name        = Crosslink {name}\n"
        f"| partner     = Crosslink partner {name}\n"
        "| type        = outreach\n"
        "| lead        = volunteers\n"
        "| status      = idea\n" + "".join(f"{line}\n" for line in extra) + "}}\n"
        "== History ==\n"
        "Some text with a [[Partnerships/Afripedia|link]], '''bold''' words and a {{clear}}.\n"
    )


PAIR = "Crosslink test/Pair/"


def test_a_one_sided_related_link_becomes_two_sided_and_nothing_else_changes(wiki: LiveWiki) -> None:
    a, b = f"{PAIR}A", f"{PAIR}B"
    create(wiki, a, linking("pair A", b))
    create(wiki, b, linked("pair B"))
    original = wiki.api.text(b)
    before = {t: wiki.api.revid(t) for t in (a, b)}
    simulated = crosslink(wiki, f"-prefixindex:{PAIR}", "-simulate")
    assert f"related     = {a}" in simulated, "-simulate shows the diff"
    assert {t: wiki.api.revid(t) for t in before} == before

    text = crosslink(wiki, f"-prefixindex:{PAIR}")
    assert ", 1 saved," in text
    assert wiki.api.revid(a) == before[a]
    assert wiki.api.text(b) == original.replace(
        "| status      = idea\n", f"| status      = idea\n| related     = {a}\n"
    )
    summary = wiki.api.call(action="query", prop="revisions", titles=b, rvprop="comment")
    comment = summary["query"]["pages"][0]["revisions"][0]["comment"]
    assert comment == f"{CONFIG.pages.crosslink.summary}: related: add [[{a}]] ({a} lists this page)"

    after = {t: wiki.api.revid(t) for t in before}
    text = crosslink(wiki, f"-prefixindex:{PAIR}")
    assert {t: wiki.api.revid(t) for t in before} == after, "a second run makes no edit"
    assert ", 0 saved," in text and "0 can be fixed" in text


MOVE = "Crosslink test/Move/"


def test_a_moved_page_is_found_and_links_to_its_old_title_are_updated(wiki: LiveWiki) -> None:
    old, new, other = f"{MOVE}Old name", f"{MOVE}New name", f"{MOVE}Neighbour"
    create(wiki, old, linking("moved", other))
    create(wiki, other, linked("neighbour", f"| related     = {old}"))
    neighbour = wiki.api.text(other)
    moved = wiki.run("tests.live.move_page", old, new)
    assert moved.returncode == 0, output(moved)
    CREATED.append(new)
    assert wiki.api.text(old).startswith("#REDIRECT")

    found = wiki.run("bots.validate", f"-page:{new}", f"-page:{other}", "--format", "json")
    report = json.loads(found.stdout)
    assert report["pages_checked"] == 2, output(found)
    assert [(i["page"], i["code"]) for i in report["issues"]] == [(other, "link-to-redirect")]
    assert f"a redirect to “{new}”" in report["issues"][0]["message"]

    before = wiki.api.revid(new)
    text = crosslink(wiki, f"-prefixindex:{MOVE}")
    assert ", 1 saved," in text
    assert wiki.api.text(other) == neighbour.replace(f"= {old}\n", f"= {new}\n")
    assert wiki.api.revid(new) == before, "the moved page links back already"
    after = wiki.api.revid(other)
    crosslink(wiki, f"-prefixindex:{MOVE}")
    assert wiki.api.revid(other) == after


NOBOTS = "Crosslink test/Nobots/"


def test_a_page_with_nobots_is_left_alone(wiki: LiveWiki) -> None:
    guarded, linker = f"{NOBOTS}Guarded", f"{NOBOTS}Linking"
    create(wiki, guarded, "{{nobots}}\n" + linked("guarded"))
    create(wiki, linker, linking("guard", guarded))
    before = {t: wiki.api.revid(t) for t in (guarded, linker)}
    text = crosslink(wiki, f"-prefixindex:{NOBOTS}")
    assert {t: wiki.api.revid(t) for t in before} == before
    assert "1 can be fixed" in text
    assert "asks bots not to edit it" in text and "1 skipped" in text


EXCLUSION = "Crosslink test/Exclusion/"


@pytest.mark.parametrize(
    ("marker", "edited"),
    [
        ("{{bots|deny=PartnershipBot}}", False),
        ("{{bots|deny=all}}", False),
        ("{{bots|allow=SomeOtherBot}}", False),
        ("{{bots|allow=PartnershipBot}}", True),
        ("{{bots|deny=SomeOtherBot}}", True),
    ],
)
def test_a_volunteers_page_is_edited_only_as_its_bots_template_allows(
    wiki: LiveWiki, marker: str, edited: bool
) -> None:
    """The exclusion compliance docs/operating.md promises, on the pages volunteers write (bots.crosslink's edits)."""
    folder = f"{EXCLUSION}{len(CREATED)}/"
    guarded, linker = f"{folder}Guarded", f"{folder}Linking"
    create(wiki, guarded, marker + "\n" + linked(f"exclusion {len(CREATED)}"))
    create(wiki, linker, linking(f"exclusion linker {len(CREATED)}", guarded))
    before = wiki.api.revid(guarded)
    text = crosslink(wiki, f"-prefixindex:{folder}")
    assert (wiki.api.revid(guarded) != before) == edited, text
    assert ("1 skipped" in text) != edited, text


LOCKED = "Crosslink test/Locked/"


def test_no_edit_while_another_run_holds_the_run_lock_of_bots_update(wiki: LiveWiki) -> None:
    a, b = f"{LOCKED}A", f"{LOCKED}B"
    create(wiki, a, linking("locked A", b))
    create(wiki, b, linked("locked B"))
    before = {t: wiki.api.revid(t) for t in (a, b)}
    default_lock = wiki.dev.pywikibot_dir / "partnership-update.lock"  # the one bots.update takes
    with RunLock(default_lock):
        text = crosslink(wiki, f"-prefixindex:{LOCKED}", expect_exit=0)
    last = text.rstrip().splitlines()[-1]
    assert "Exit 0: another run is in progress" in last, text
    assert f"pid {os.getpid()} on {socket.gethostname()}" in last and str(default_lock) in last, "names the holder"
    assert {t: wiki.api.revid(t) for t in before} == before, "a locked-out run must not touch the wiki"

    text = crosslink(wiki, f"-prefixindex:{LOCKED}")
    assert ", 1 saved," in text, "the same run edits once the lock is free"
    assert wiki.api.revid(b) != before[b]


def test_reciprocal_additions_can_be_switched_off(wiki: LiveWiki, tmp_path: Path) -> None:
    prefix = "Crosslink test/Off/"
    create(wiki, f"{prefix}A", linking("off A", f"{prefix}B"))
    create(wiki, f"{prefix}B", linked("off B"))
    pages = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    assert "reciprocal_related: true" in pages
    (tmp_path / "pages.yaml").write_text(pages.replace("reciprocal_related: true", "reciprocal_related: false"))
    (tmp_path / "schema.yaml").write_text((DEFAULT_CONFIG_DIR / "schema.yaml").read_text(encoding="utf-8"))
    before = wiki.api.revid(f"{prefix}B")
    text = crosslink(wiki, f"-settings:{tmp_path}", f"-prefixindex:{prefix}")
    assert wiki.api.revid(f"{prefix}B") == before
    assert "0 can be fixed on 0 pages" in text


def test_a_recommendation_page_no_record_names_any_more_says_so(wiki: LiveWiki) -> None:
    record, dropped = "Crosslink test/Dropped/Record", f"{PREFIX}Crosslink test dropped"
    untouched = f"{PREFIX}Crosslink test without region"
    create(wiki, dropped, "Volunteers' text.\n")
    create(wiki, untouched, "No region here.\n")
    create(wiki, record, linked("dropped", f"| recommendation = {dropped}"))
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    assert f"[[:{record}|Crosslink dropped]]" in region(wiki.api.text(dropped))

    wiki.api.edit(record, linked("dropped"))
    before = wiki.api.revid(untouched)
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    text = wiki.api.text(dropped)
    assert text.startswith("Volunteers' text.\n")
    assert "No partnership supports this recommendation yet" in region(text)
    assert record not in text
    assert wiki.api.revid(untouched) == before, "a page without the region is not given one"

    after = wiki.api.revid(dropped)
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    assert wiki.api.revid(dropped) == after, "a second run makes no edit"


DOUBLE = "Crosslink test/Double/"


def test_a_double_redirect_is_reported_with_its_end_and_bypassed_to_it(wiki: LiveWiki) -> None:
    oldest, old, new, other = (f"{DOUBLE}{name}" for name in ("Oldest", "Old", "New", "Neighbour"))
    create(wiki, oldest, linking("double", other))
    create(wiki, other, linked("double neighbour", f"| related     = {oldest}"))
    for moved_from, moved_to in ((oldest, old), (old, new)):  # moved twice: bypassed only as redirects a move left
        moved = wiki.run("tests.live.move_page", moved_from, moved_to)
        assert moved.returncode == 0, output(moved)
        CREATED.append(moved_to)
    assert wiki.api.text(oldest).startswith("#REDIRECT") and wiki.api.text(old).startswith("#REDIRECT")
    neighbour = wiki.api.text(other)

    found = wiki.run("bots.validate", f"-page:{new}", f"-page:{other}", "--format", "json")
    report = json.loads(found.stdout)
    assert [(i["page"], i["code"], i["suggestion"]) for i in report["issues"]] == [
        (other, "link-to-double-redirect", new)
    ], output(found)
    assert f"(“{oldest}” → “{old}” → “{new}”)" in report["issues"][0]["message"]

    text = crosslink(wiki, f"-prefixindex:{DOUBLE}")
    assert ", 1 saved," in text
    assert wiki.api.text(other) == neighbour.replace(f"= {oldest}\n", f"= {new}\n")
    after = wiki.api.revid(other)
    crosslink(wiki, f"-prefixindex:{DOUBLE}")
    assert wiki.api.revid(other) == after


VANDAL = "Crosslink test/Vandal/"


def test_a_redirect_typed_over_a_partnership_page_is_reported_and_never_spread(wiki: LiveWiki) -> None:
    """Issue 16, item 9: `#REDIRECT [[User:Vandal]]` typed over a page, then a move to a user page: no write."""
    target, a, b = f"{VANDAL}Target", f"{VANDAL}A", f"{VANDAL}B"
    wiki.api.edit("User:Vandal", "I was here.")
    create(wiki, target, linking("vandal target", f"{a}; {b}"))
    create(wiki, a, linked("vandal A", f"| related     = {target}"))
    create(wiki, b, linked("vandal B", f"| related     = [[{target}]] <!-- agreed -->"))
    texts = {t: wiki.api.text(t) for t in (a, b)}
    original = wiki.api.text(target)
    wiki.api.edit(target, "#REDIRECT [[User:Vandal]]\n", summary="vandalism")

    text = crosslink(wiki, f"-prefixindex:{VANDAL}")
    assert "0 can be fixed on 0 pages" in text and ", 0 saved," in text
    assert {t: wiki.api.text(t) for t in texts} == texts
    found = wiki.run("bots.validate", f"-page:{a}", f"-page:{b}", "--format", "json")
    report = json.loads(found.stdout)
    assert [(i["page"], i["code"], i["suggestion"]) for i in report["issues"]] == [
        (a, "link-to-redirect", ""),
        (b, "link-to-redirect", ""),
    ], output(found)
    assert (
        f"a redirect to “User:Vandal” that no page move made: check the history of “{target}”"
        in (report["issues"][0]["message"])
    )

    wiki.api.edit(target, original, summary="revert vandalism")
    crosslink(wiki, f"-prefixindex:{VANDAL}")
    assert {t: wiki.api.text(t) for t in texts} == texts, "the revert leaves nothing to undo"

    elsewhere = "User:Vandal/Target"
    moved = wiki.run("tests.live.move_page", target, elsewhere)
    assert moved.returncode == 0, output(moved)
    CREATED.append(elsewhere)
    text = crosslink(wiki, f"-prefixindex:{VANDAL}")
    assert "0 can be fixed on 0 pages" in text, "a move out of the partnership pages is not followed"
    assert {t: wiki.api.text(t) for t in texts} == texts


COMMENTED = "Crosslink test/Commented/"


def test_renaming_a_moved_target_keeps_the_comment_and_the_brackets(wiki: LiveWiki) -> None:
    """Issue 16, item 10: `related = [[Old]] <!-- keep: ... -->` becomes `[[New]] <!-- keep: ... -->`."""
    old, new, linker = f"{COMMENTED}Old", f"{COMMENTED}New", f"{COMMENTED}Linker"
    create(wiki, old, linking("commented", linker))
    create(wiki, linker, linked("commented linker", f"| related     = [[{old}]] <!-- keep: agreed on talk page -->"))
    before = wiki.api.text(linker)
    moved = wiki.run("tests.live.move_page", old, new)
    assert moved.returncode == 0, output(moved)
    CREATED.append(new)

    text = crosslink(wiki, f"-prefixindex:{COMMENTED}")
    assert ", 1 saved," in text
    assert wiki.api.text(linker) == before.replace(
        f"= [[{old}]] <!-- keep: agreed on talk page -->", f"= [[{new}]] <!-- keep: agreed on talk page -->"
    )
