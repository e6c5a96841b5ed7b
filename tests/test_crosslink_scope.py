"""Where bots.crosslink may write, and which related links it adds (issue 16, items 4 and 8).

Item 4: a fix is planned only for a partnership page read as such, never for a
template, a user page or any other page a record names. Item 8: the bot does not
add back an entry a volunteer removed (it remembers the pairs it saw), adds no
link from a record with errors, and adds at most a configured number of links
caused by one page in a run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.links.fixes import Fix
from bots.core.links.memory import (
    moved_pairs,
    pair,
    plan_links,
    related_lists,
    remembered_pairs,
)
from bots.core.links.states import PageState, lookup_from_states, states_from_snapshots
from bots.core.pipeline import Checked, check_pages
from bots.core.records.model import PageSnapshot
from bots.core.settings.yaml_doc import ConfigError
from bots.state.link_memory import load_pairs, save_pairs

CONFIG = load_config()
SCHEMA = CONFIG.schema
NAMES = SCHEMA.template_names


def box(name: str, **extra: str) -> str:
    lines = {"name": name, "partner": f"Museum of {name}", "type": "content", "lead": "volunteers", **extra}
    lines.setdefault("status", "active")
    return "{{Partnership\n" + "".join(f"| {k} = {v}\n" for k, v in lines.items()) + "}}\nText.\n"


def check(pages: dict[str, str], others: dict[str, str], every_record: bool = True) -> Checked:
    snaps = [PageSnapshot(t, text, pageid=i + 1) for i, (t, text) in enumerate(pages.items())]
    wiki = states_from_snapshots([*snaps, *(PageSnapshot(t, x) for t, x in others.items())])
    return check_pages(snaps, SCHEMA, NAMES, lookup_from_states(wiki), every_record=every_record)


def add(page: str, source: str) -> Fix:
    """The fix that adds ``source`` to the related field of ``page`` (``source`` lists ``page``)."""
    return Fix(page, "related", "add", source, why=f"{source} lists this page")


# Item 4: only partnership pages are written
# ---------------------------------------------------------------------------

ATTACK = {"P/Attacker": box("Attacker", related="Template:Partnership/preload; User:Victim/Draft")}
TARGETS = {
    "Template:Partnership/preload": box("") + "<noinclude>How to use the form.</noinclude>",
    "User:Victim/Draft": box("Draft"),
}


def test_a_related_link_to_a_template_or_a_user_page_with_the_infobox_is_reported_and_never_fixed() -> None:
    checked = check(ATTACK, TARGETS)
    assert checked.links.fixes == ()
    problems = [(i.page, i.field, i.code) for i in checked.issues if i.code.startswith("related")]
    assert problems == [("P/Attacker", "related", "related-not-partnership-page")] * 2
    messages = [i.message for i in checked.issues if i.code == "related-not-partnership-page"]
    assert "“Template:Partnership/preload”, which is not a partnership page" in messages[0]
    assert "“User:Victim/Draft”, which is not a partnership page" in messages[1]


def test_with_a_selection_of_pages_the_link_is_judged_from_its_text_but_never_fixed() -> None:
    """As bots.validate -page:A: the other page was not read, so whether it is a record is unknown; no fix."""
    checked = check(ATTACK, TARGETS, every_record=False)
    assert [i.code for i in checked.issues] == ["related-not-reciprocal"] * 2
    assert checked.links.fixes == ()


def test_a_related_partnership_page_still_gets_the_missing_entry() -> None:
    checked = check({"P/A": box("A", related="P/B"), "P/B": box("B")}, {})
    assert checked.links.fixes == (add("P/B", "P/A"),)


def test_the_plan_drops_any_fix_on_a_page_that_is_not_a_record() -> None:
    fixes = [add("Template:Partnership/preload", "P/A"), Fix("User:X", "related", "replace", "P/New", "P/Old")]
    plan = plan_links(fixes, {"P/A"}, {"P/A": {"Template:Partnership/preload"}}, None, set(), 10)
    assert plan.fixes == ()
    assert [(i.page, i.code) for i in plan.held] == [
        ("Template:Partnership/preload", "not-a-partnership-page"),
        ("User:X", "not-a-partnership-page"),
    ]


# Item 8: removals are not undone, no links from records with errors, fan-out limit
# ---------------------------------------------------------------------------

RECORDS = {"P/A", "P/B", "P/C"}


def test_an_entry_removed_by_a_volunteer_is_not_added_back_and_is_reported() -> None:
    """A and B listed each other at the last run; B's volunteer removed A; A still lists B."""
    lists = {"P/A": {"P/B"}, "P/B": set[str]()}
    plan = plan_links([add("P/B", "P/A")], RECORDS, lists, {pair("P/A", "P/B")}, set(), 10)
    assert plan.fixes == ()
    (issue,) = plan.held
    assert (issue.page, issue.field, issue.code, issue.suggestion) == (
        "P/A",
        "related",
        "related-removed-by-hand",
        "P/B",
    )
    assert "“P/B” no longer lists this page" in issue.message
    assert "remove “P/B” from this page's related field too" in issue.message


@pytest.mark.parametrize("seen", [set(), None, {pair("P/A", "P/C")}], ids=["other pairs", "first run", "unrelated"])
def test_a_link_not_seen_two_sided_before_is_new_and_made_two_sided(seen: set[tuple[str, str]] | None) -> None:
    lists = {"P/A": {"P/B"}, "P/B": set[str](), "P/C": set[str]()}
    plan = plan_links([add("P/B", "P/A")], RECORDS, lists, seen, set(), 10)
    assert plan.fixes == (add("P/B", "P/A"),)
    assert plan.held == ()


def test_a_record_with_errors_proposes_no_link_and_the_plan_says_so() -> None:
    lists = {"P/A": {"P/B", "P/C"}}
    plan = plan_links([add("P/B", "P/A"), add("P/C", "P/A")], RECORDS, lists, None, {"P/A"}, 10)
    assert plan.fixes == ()
    (issue,) = plan.held
    assert (issue.page, issue.code) == ("P/A", "related-not-added-errors")
    assert "“P/B”, “P/C” do not list it yet" in issue.message


def test_a_record_with_errors_still_receives_the_links_of_valid_records() -> None:
    plan = plan_links([add("P/B", "P/A")], RECORDS, {"P/A": {"P/B"}}, None, {"P/B"}, 10)
    assert plan.fixes == (add("P/B", "P/A"),)


def test_checked_records_with_errors_cause_no_fix_through_the_pipeline() -> None:
    """A page listing 25 real pages and with validation errors: 25 fixes planned, none allowed."""
    others = {f"P/Real {n}": box(f"Real {n}") for n in range(25)}
    pages = {"P/Spam": box("Spam", status="nonsense", related="; ".join(others)), **others}
    checked = check(pages, {})
    broken = {i.page for i in checked.issues if i.severity == "error"}
    assert broken == {"P/Spam"}
    assert len(checked.links.fixes) == 25
    lists = related_lists(checked.records, checked.links.states, "related")
    plan = plan_links(checked.links.fixes, {r.title for r in checked.records}, lists, None, broken, 100)
    assert plan.fixes == ()
    assert [(i.page, i.code) for i in plan.held] == [("P/Spam", "related-not-added-errors")]


@pytest.mark.parametrize(("limit", "made"), [(2, 0), (3, 3), (4, 3)])
def test_one_page_causes_at_most_the_configured_number_of_additions(limit: int, made: int) -> None:
    lists = {"P/A": {"P/B", "P/C", "P/D"}, "P/E": {"P/B"}}
    fixes = [add("P/B", "P/A"), add("P/C", "P/A"), add("P/D", "P/A"), add("P/B", "P/E")]
    plan = plan_links(fixes, RECORDS | {"P/D", "P/E"}, lists, None, set(), limit)
    assert [f for f in plan.fixes if f.value == "P/A"] == fixes[:made]
    assert add("P/B", "P/E") in plan.fixes, "another page's additions are counted on their own"
    held = [(i.page, i.code) for i in plan.held]
    assert held == ([] if made else [("P/A", "related-too-many-to-add")])
    if not made:
        assert "lists 3 pages that do not list it back (“P/B”, “P/C”, “P/D”)" in plan.held[0].message
        assert f"at most {limit} links" in plan.held[0].message


def test_redirect_bypasses_are_not_counted_or_held() -> None:
    bypass = Fix("P/A", "related", "replace", "P/New", "P/Old", "page moved")
    plan = plan_links([bypass], RECORDS, {}, {pair("P/A", "P/Old")}, {"P/A"}, 1)
    assert plan.fixes == (bypass,)


# What the bot remembers
# ---------------------------------------------------------------------------


def test_remembered_pairs_are_the_two_sided_ones_the_new_ones_and_those_cut_on_one_side() -> None:
    lists = {"P/A": {"P/B", "P/C"}, "P/B": {"P/A"}, "P/C": set[str](), "P/D": {"P/E"}, "P/E": set[str]()}
    seen = {pair("P/A", "P/C"), pair("P/C", "P/F")}
    added = [pair("P/E", "P/D")]
    assert remembered_pairs(lists, seen, added) == {("P/A", "P/B"), ("P/A", "P/C"), ("P/D", "P/E")}


def test_a_remembered_pair_cut_by_hand_stays_remembered_so_later_runs_do_not_add_it_back() -> None:
    lists = {"P/A": {"P/B"}, "P/B": set[str]()}
    seen: set[tuple[str, str]] | None = {pair("P/A", "P/B")}
    for _run in range(3):
        assert seen is not None
        assert plan_links([add("P/B", "P/A")], RECORDS, lists, seen, set(), 10).fixes == ()
        seen = remembered_pairs(lists, seen, [])
    assert seen == {("P/A", "P/B")}


def test_related_lists_follow_redirects_and_remembered_pairs_follow_moves() -> None:
    checked = check(
        {"P/A": box("A", related="P/Old B; P/A"), "P/B": box("B", related="P/A")}, {"P/Old B": "#REDIRECT [[P/B]]"}
    )
    lists = related_lists(checked.records, checked.links.states, "related")
    assert lists == {"P/A": {"P/B"}, "P/B": {"P/A"}}
    states = {"P/Old B": PageState("P/Old B", True, "P/B")}
    assert moved_pairs({("P/A", "P/Old B")}, states) == {("P/A", "P/B")}


def test_the_memory_file_keeps_the_pairs_of_its_wiki(tmp_path: Path) -> None:
    path = tmp_path / "state" / "memory.sqlite"
    assert load_pairs(path, "wiki one")[0] is None, "nothing remembered yet"
    save_pairs(path, "wiki one", {("P/A", "P/B"), ("P/C", "P/D")})
    assert load_pairs(path, "wiki one") == ({("P/A", "P/B"), ("P/C", "P/D")}, "")
    save_pairs(path, "wiki one", {("P/A", "P/B")})
    assert load_pairs(path, "wiki one") == ({("P/A", "P/B")}, "")
    pairs, note = load_pairs(path, "wiki two")
    assert pairs is None and "another wiki" in note
    path.write_text("not a database")
    pairs, note = load_pairs(path, "wiki one")
    assert pairs is None and "cannot read" in note


# The setting
# ---------------------------------------------------------------------------


def test_the_shipped_limit() -> None:
    assert CONFIG.pages.crosslink.max_links_per_page == 10


@pytest.mark.parametrize("value", ["0", "-3", "many", "2.5", "true", "null"])
def test_a_bad_limit_is_an_error_with_file_and_line(tmp_path: Path, value: str) -> None:
    pages = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    assert "  max_links_per_page: 10\n" in pages
    (tmp_path / "pages.yaml").write_text(pages.replace("max_links_per_page: 10", f"max_links_per_page: {value}"))
    (tmp_path / "schema.yaml").write_text((DEFAULT_CONFIG_DIR / "schema.yaml").read_text(encoding="utf-8"))
    line = pages.splitlines().index("  max_links_per_page: 10") + 1
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'pages.yaml'}, line {line}: crosslink.max_links_per_page: ")
    assert "expected a whole number of links, 1 or more" in message


def test_a_good_limit_is_read(tmp_path: Path) -> None:
    pages = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    (tmp_path / "pages.yaml").write_text(pages.replace("max_links_per_page: 10", "max_links_per_page: 3"))
    (tmp_path / "schema.yaml").write_text((DEFAULT_CONFIG_DIR / "schema.yaml").read_text(encoding="utf-8"))
    assert load_config(tmp_path).pages.crosslink.max_links_per_page == 3
