"""bots.core.runs.recent on fixture recent-changes rows: which pages a -recent run looks at, drops and renames."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bots.core.records.model import PageSnapshot
from bots.core.runs.recent import (
    Found,
    Known,
    apply_lookup,
    fallback_reason,
    next_start,
    plan_recent,
    seen_since,
    wiki_timestamp,
)
from bots.state.cache import load_cache, save_cache

NS = [0]
KNOWN = {1: Known("Partnerships/A", 10), 2: Known("Partnerships/B", 20), 3: Known("Partnerships/C", 30)}


def edit(
    rcid: int, title: str, pageid: int, revid: int, kind: str = "edit", ts: str = "2024-05-01T12:00:00Z"
) -> dict[str, Any]:
    return {"type": kind, "ns": 0, "title": title, "pageid": pageid, "revid": revid, "rcid": rcid, "timestamp": ts}


def log(rcid: int, title: str, logtype: str, action: str, logid: int, **params: object) -> dict[str, Any]:
    return {
        "type": "log",
        "ns": 0,
        "title": title,
        "rcid": rcid,
        "logid": logid,
        "logtype": logtype,
        "logaction": action,
        "logparams": params,
        "timestamp": "2024-05-01T12:00:00Z",
    }


def test_edits_new_pages_and_page_logs_name_the_titles_to_look_at_once_each() -> None:
    rows = [
        edit(1, "Partnerships/A", 1, 11),
        edit(2, "Partnerships/A", 1, 12),
        edit(3, "Partnerships/New", 9, 90, kind="new"),
        log(4, "Partnerships/B", "delete", "delete", 100),
        log(5, "Partnerships/C", "move", "move", 101, target_ns=0, target_title="Partnerships/C2"),
        log(6, "Partnerships/D", "delete", "restore", 102),
        log(7, "Partnerships/E", "import", "upload", 103),
        log(8, "Partnerships/F", "protect", "protect", 104),
    ]
    plan = plan_recent(rows, [], NS, KNOWN)
    assert plan.titles == (
        "Partnerships/A",
        "Partnerships/New",
        "Partnerships/B",
        "Partnerships/C",
        "Partnerships/C2",
        "Partnerships/D",
        "Partnerships/E",
    ), "protection changes no page's presence or text"
    assert plan.deleted == ("Partnerships/B",)
    assert plan.moved == (("Partnerships/C", "Partnerships/C2"),)
    assert plan.incomplete == ""


def test_rows_handled_already_are_skipped_by_id_and_by_revision() -> None:
    rows = [edit(1, "Partnerships/A", 1, 10), edit(2, "Partnerships/B", 2, 21), edit(3, "Partnerships/C", 3, 31)]
    plan = plan_recent(rows, [], NS, KNOWN, seen=["rc3"])
    assert plan.titles == ("Partnerships/B",), "A's revision is cached already; row 3 was handled by the last run"
    assert (plan.rows, plan.skipped) == (3, 2)


def test_an_edit_to_a_cached_page_under_another_title_is_looked_at() -> None:
    plan = plan_recent([edit(1, "Partnerships/A renamed", 1, 10)], [], NS, KNOWN)
    assert plan.titles == ("Partnerships/A renamed",)


def test_a_move_into_the_namespaces_comes_from_the_move_log_and_is_not_counted_twice() -> None:
    into = {
        "logid": 200,
        "ns": 2,
        "title": "User:Volunteer/Draft",
        "params": {"target_ns": 0, "target_title": "Partnerships/Draft"},
        "timestamp": "2024-05-01T12:00:00Z",
    }
    elsewhere = {**into, "logid": 201, "ns": 2, "params": {"target_ns": 2, "target_title": "User:Volunteer/Other"}}
    same_as_rc = {
        **into,
        "logid": 101,
        "ns": 0,
        "title": "Partnerships/C",
        "params": {"target_title": "X", "target_ns": 0},
    }
    rc_move = log(5, "Partnerships/C", "move", "move", 101, target_ns=0, target_title="Partnerships/C2")
    plan = plan_recent([rc_move], [into, elsewhere, same_as_rc], NS, KNOWN)
    assert plan.titles == ("Partnerships/C", "Partnerships/C2", "User:Volunteer/Draft", "Partnerships/Draft")
    assert plan.skipped == 1


def test_a_row_without_its_title_makes_the_changes_incomplete() -> None:
    hidden = {"type": "log", "ns": 0, "rcid": 9, "logid": 5, "logtype": "delete", "logaction": "delete"}
    assert "rc9" in plan_recent([hidden], [], NS, KNOWN).incomplete


def test_the_lookup_refreshes_edited_and_new_pages_and_drops_those_that_left() -> None:
    found = [
        Found("Partnerships/A", pageid=1, revid=12, uses_infobox=True, text="new A"),
        Found("Partnerships/B"),  # deleted
        Found("Partnerships/C2", pageid=3, revid=31, uses_infobox=True, text="C moved"),
        Found("Partnerships/C", pageid=7, revid=70, redirect=True),  # the redirect the move left
        Found("Partnerships/New", pageid=9, revid=90, uses_infobox=True, text="new"),
        Found("Partnerships/Plain", pageid=8, revid=80, uses_infobox=False, text="no infobox"),
    ]
    update = apply_lookup(KNOWN, found, NS)
    assert [page.title for page in update.refresh] == ["Partnerships/A", "Partnerships/C2", "Partnerships/New"]
    assert update.drop == {2}
    assert update.renamed == [("Partnerships/C", "Partnerships/C2")]


def test_a_page_without_its_infobox_moved_out_of_the_namespaces_or_made_a_redirect_is_dropped() -> None:
    found = [
        Found("Partnerships/A", pageid=1, revid=11, uses_infobox=False),
        Found("User:Someone/B", pageid=2, revid=21, ns=2, uses_infobox=True),
        Found("Partnerships/C", pageid=3, revid=31, redirect=True, uses_infobox=True),
    ]
    update = apply_lookup(KNOWN, found, NS)
    assert update.refresh == [] and update.drop == {1, 2, 3}


def test_a_page_at_the_cached_revision_needs_nothing_and_a_title_taken_by_another_page_drops_the_old_one() -> None:
    found = [
        Found("Partnerships/A", pageid=1, revid=10, uses_infobox=True, text="A"),
        Found("Partnerships/B", pageid=5, revid=50, uses_infobox=True, text="another page at B's title"),
    ]
    update = apply_lookup(KNOWN, found, NS)
    assert [page.pageid for page in update.refresh] == [5]
    assert update.drop == {2}


def test_when_recent_changes_will_not_do() -> None:
    now = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    assert "no earlier run" in fallback_reason("", now)
    assert fallback_reason("2024-04-30T12:00:00Z", now) == ""
    assert "older than the wiki keeps recent changes" in fallback_reason("2024-01-01T12:00:00Z", now)
    assert "older" in fallback_reason("2024-04-20T12:00:00Z", now, rc_max_age=timedelta(days=7))
    assert "cannot be read" in fallback_reason("yesterday", now)


def test_recent_changes_are_trusted_up_to_a_day_before_the_wiki_purges_them() -> None:
    """$wgRCMaxAge (90 days by default) less a day's margin: 89.5 days is too old, 88.5 days is not."""
    now = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    assert "(89 days with a margin)" in fallback_reason(wiki_timestamp(now - timedelta(days=89.5)), now)
    assert fallback_reason(wiki_timestamp(now - timedelta(days=88.5)), now) == ""
    assert "(6 days" in fallback_reason(wiki_timestamp(now - timedelta(days=6.5)), now, rc_max_age=timedelta(days=7))
    assert fallback_reason(wiki_timestamp(now - timedelta(days=5.5)), now, rc_max_age=timedelta(days=7)) == ""


def test_the_next_window_overlaps_and_remembers_the_rows_in_the_overlap() -> None:
    start = next_start("2024-05-01T12:00:00Z")
    assert start == "2024-05-01T11:50:00Z"
    rows = [edit(1, "A", 1, 1, ts="2024-05-01T11:49:59Z"), edit(2, "B", 2, 2, ts="2024-05-01T11:50:00Z")]
    assert seen_since(rows, start) == ["rc2"]


def test_the_window_and_the_quiet_state_are_kept_in_the_cache_until_a_page_changes(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache, _ = load_cache(path, "wiki", "f")
    page = PageSnapshot(title="Partnerships/A", text="text", revid=10, pageid=1)
    cache.keep_only([page])
    cache.start_next_run_at("2024-05-01T11:50:00Z", ["rc2"])
    save_cache(cache)
    cache.remember_quiet_state({"checked": "x"})  # at the end of a complete run
    cache.commit()
    loaded, note = load_cache(path, "wiki", "f")
    assert note == "" and (loaded.since, loaded.seen) == ("2024-05-01T11:50:00Z", ["rc2"])
    loaded.keep_only([page])
    loaded.start_next_run_at("2024-05-01T12:50:00Z", [])
    save_cache(loaded)
    quiet, _ = load_cache(path, "wiki", "f")
    assert quiet.since == "2024-05-01T12:50:00Z" and quiet.quiet_state() == {"checked": "x"}, "only the window moved"
    quiet.keep_only([replace(page, revid=11)])
    save_cache(quiet)
    assert load_cache(path, "wiki", "f")[0].quiet_state() is None, "a changed page voids it"
    assert load_cache(path, "other wiki", "f")[0].since == "", "another wiki's cache gives no window"
