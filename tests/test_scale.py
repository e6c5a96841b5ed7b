"""Scale: the generated pages depend on what the records say, never on the order they came in."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.pages.render_state import RenderState, nothing_to_render
from bots.core.pages.render_state import render_fingerprint as render_fingerprint_of
from bots.core.pages.size import fit_to_size
from bots.core.pages.status import RunStatus, render_status, status_save_reason
from bots.core.pipeline import Checked, Config, PageResult, render_generated
from bots.core.records.model import PageSnapshot
from bots.core.settings.yaml_doc import ConfigError
from bots.state.cache import load_cache, save_cache
from bots.state.fingerprint import code_fingerprint
from bots.state.render_state import load_render_state, save_render_state
from tests.support import RECOMMENDATION, check, snapshots


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def render_fingerprint(checked: Checked, config: Config, region_pages: Sequence[PageSnapshot] = ()) -> str:
    """The render fingerprint with this code's fingerprint, as bots.update computes it."""
    return render_fingerprint_of(checked, config, region_pages, code=code_fingerprint())


def test_generated_pages_do_not_depend_on_the_order_of_the_input(config: Config) -> None:
    snaps = snapshots(120)
    first = render_generated(check(snaps, config), config, "now")
    shuffled = list(snaps)
    random.Random(3).shuffle(shuffled)
    second = render_generated(check(shuffled, config), config, "now")
    assert set(first) == set(second)
    for title in first:
        assert first[title] == second[title], title
    overview = first["Task force/Alliances and partnerships/Overview"][0]
    assert all(f"[[:Partnerships/Tie {x}|" in overview for x in "ABC")


def test_records_from_the_revision_cache_render_the_same_pages(config: Config, tmp_path: Path) -> None:
    """A no-change run takes every record from the cache (as JSON): its pages must be the same bytes."""
    snaps = snapshots(60)
    cache, _ = load_cache(tmp_path / "cache.sqlite", "wiki", "f")
    cache.keep_only(snaps)
    fresh = render_generated(check(snaps, config, cache), config, "now")
    save_cache(cache)
    reread, note = load_cache(tmp_path / "cache.sqlite", "wiki", "f")
    assert note == ""
    cached = render_generated(check(list(reversed(snaps)), config, reread), config, "now")
    assert reread.reused == len(snaps) and reread.derived == 0
    assert fresh == cached


# --- a quiet run: the status page is saved when the result changes, or as a heartbeat --------


def run_status(**changes: object) -> RunStatus:
    values: dict[str, object] = dict(started="2026-01-01 10:00:00 UTC", duration=3.2, version="0.1", records=5)
    values.update(changes)
    return RunStatus(**values)  # type: ignore[arg-type]


NOON = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
DAY = timedelta(hours=24)


def test_status_is_saved_the_first_time_and_when_the_result_changes() -> None:
    saved = render_status(run_status(), saved=NOON)
    assert status_save_reason(None, run_status(), NOON, DAY) == "no earlier status"
    assert status_save_reason("a table someone wrote", run_status(), NOON, DAY) == "no earlier status"
    assert status_save_reason(saved, run_status(records=6), NOON, DAY) == "the result changed"
    assert status_save_reason(saved, run_status(saved=1), NOON, DAY) == "the result changed"


def test_a_quiet_run_does_not_save_the_status_until_the_heartbeat_is_due() -> None:
    saved = render_status(run_status(), saved=NOON)
    later = run_status(started="2026-01-01 13:00:00 UTC", duration=9.9)  # only time and duration differ
    assert status_save_reason(saved, later, NOON + timedelta(hours=1), DAY) == ""
    assert status_save_reason(saved, later, NOON + timedelta(hours=23, minutes=59), DAY) == ""
    assert status_save_reason(saved, later, NOON + DAY, DAY) == "heartbeat"
    assert status_save_reason(saved, later, NOON + timedelta(minutes=1), timedelta(0)) == "heartbeat"


def test_a_failed_run_always_saves_the_status() -> None:
    failed = run_status(failure="wiki error")
    saved = render_status(failed, saved=NOON)
    assert status_save_reason(saved, failed, NOON + timedelta(seconds=1), DAY) == "the run failed"


def test_heartbeat_is_read_from_pages_yaml(tmp_path: Path) -> None:
    text = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    assert load_config().pages.status_heartbeat_hours == 24
    (tmp_path / "schema.yaml").write_text((DEFAULT_CONFIG_DIR / "schema.yaml").read_text(encoding="utf-8"))
    (tmp_path / "pages.yaml").write_text(text.replace("heartbeat_hours: 24", "heartbeat_hours: 1.5"))
    assert load_config(tmp_path).pages.status_heartbeat_hours == 1.5
    (tmp_path / "pages.yaml").write_text(text.replace("heartbeat_hours: 24", "heartbeat_hours: soon"))
    with pytest.raises(ConfigError, match="heartbeat_hours"):
        load_config(tmp_path)


# --- a quiet run renders nothing: the render inputs' fingerprint ------------------------------


def test_render_fingerprint_follows_what_the_pages_show(config: Config) -> None:
    snaps = snapshots(30)
    checked = check(snaps, config)
    same = render_fingerprint(check(list(reversed(snaps)), config), config)
    assert render_fingerprint(checked, config) == same
    edited = [replace(snaps[0], text=snaps[0].text.replace("| status      =", "| status = ended\n| x ="))]
    assert render_fingerprint(check(edited + snaps[1:], config), config) != same
    assert render_fingerprint(check(snaps[1:], config), config) != same
    region = PageSnapshot(RECOMMENDATION + " 2", "<!-- region -->")
    assert render_fingerprint(checked, config, [region]) != same
    moved = replace(config, pages=replace(config.pages, region_start="<!-- other start -->"))
    assert render_fingerprint(checked, moved) != same


def test_nothing_to_render_needs_same_inputs_and_untouched_pages(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert load_render_state(path) is None
    save_render_state(path, RenderState("abc", {"Index": 10, "Report": 11}))
    previous = load_render_state(path)
    assert previous == RenderState("abc", {"Index": 10, "Report": 11})
    assert nothing_to_render(previous, "abc", {"Index": 10, "Report": 11})
    assert not nothing_to_render(previous, "abd", {"Index": 10, "Report": 11})
    assert not nothing_to_render(previous, "abc", {"Index": 10, "Report": 12})  # someone edited the report
    assert not nothing_to_render(None, "abc", {})
    path.write_text("{not json")
    assert load_render_state(path) is None


# --- no generated page past the size limit ---------------------------------------------------


def test_a_body_that_fits_is_kept_as_it_is() -> None:
    body = "a list\n* one\n* two\n"
    assert fit_to_size(body, 10_000) == body


def test_a_long_body_is_cut_outside_tables_with_a_note_and_keeps_its_updated_line() -> None:
    updated = '<span class="partnership-bot-updated">Last updated: now.</span>'
    rows = "".join(f"|-\n| row {n} || [[Page {n}]]\n" for n in range(400))
    body = "intro\n" + "* item ü\n" * 2000 + '{| class="wikitable"\n' + rows + "|}\n== After ==\nmore\n\n" + updated
    cut = fit_to_size(body, 20_000)
    assert len(cut.encode("utf-8")) <= 20_000
    assert cut.startswith("intro\n* item ü\n")
    assert "{|" not in cut, "a table that does not fit whole is left out whole"
    assert cut.count("{|") == cut.count("|}")
    assert "too long for one page" in cut and "are not shown" in cut
    assert cut.rstrip().endswith(updated)
    assert fit_to_size(body, 20_000) == cut, "the same body is cut the same way"
    past_table = len(body[: body.index("== After ==")].encode("utf-8")) + 700
    whole_table = fit_to_size(body, past_table)
    assert len(whole_table.encode("utf-8")) <= past_table
    assert whole_table.count("{|") == whole_table.count("|}") == 1 and "| row 399 |" in whole_table


def test_max_page_bytes_is_read_from_pages_yaml(tmp_path: Path) -> None:
    text = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    assert load_config().pages.max_page_bytes == 1_500_000
    (tmp_path / "schema.yaml").write_text((DEFAULT_CONFIG_DIR / "schema.yaml").read_text(encoding="utf-8"))
    (tmp_path / "pages.yaml").write_text(text.replace("max_page_bytes: 1500000", "max_page_bytes: 2.5"))
    with pytest.raises(ConfigError, match="max_page_bytes"):
        load_config(tmp_path)


def test_the_cache_knows_when_a_run_changed_it(tmp_path: Path) -> None:
    snaps = snapshots(5)
    path = tmp_path / "cache.sqlite"
    cache, _ = load_cache(path, "wiki", "f")
    cache.keep_only(snaps)
    assert cache.changed
    save_cache(cache)
    again, _ = load_cache(path, "wiki", "f")
    again.keep_only(snaps)
    assert not again.changed

    def derive(snap: PageSnapshot) -> PageResult:
        return None, []

    again.check(snaps[0], derive)
    assert again.changed, "a record derived for the first time is new in the file"
    save_cache(again)
    quiet, _ = load_cache(path, "wiki", "f")
    quiet.keep_only(snaps)
    quiet.check(snaps[0], derive)
    assert not quiet.changed
    quiet.keep_only(snaps[1:])
    assert quiet.changed, "a page that vanished leaves the file"
