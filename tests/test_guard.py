"""The mass-removal guard and the empty-read guard (bots.core.pages.guard), and their settings."""

from __future__ import annotations

import pytest
import yaml

from bots.config import load_config
from bots.core.pages.guard import count_rows, empty_read_reason, mass_removal_reason
from bots.core.pipeline import check_pages, render_generated
from bots.core.records.model import PageSnapshot
from bots.core.settings.pages_config import pages_config_from
from bots.core.settings.yaml_doc import ConfigError, parse_yaml
from scripts.devwiki import SEED_FILE

CONFIG = load_config()


def table(rows: int, first_separator: bool = True) -> str:
    lines = ['{| class="wikitable"', "! A !! B"]
    for n in range(rows):
        if n or first_separator:
            lines.append("|-")
        lines.append(f"| cell {n} || other")
    return "\n".join([*lines, "|}"])


def test_rows_are_list_items_and_table_rows_not_headers_or_text() -> None:
    body = "Intro text with a | pipe.\n== Heading ==\n* one\n# two\n; term\n: three\n" + table(3)
    assert count_rows(body) == 4 + 3


def test_a_first_table_row_without_a_separator_still_counts() -> None:
    assert count_rows(table(3, first_separator=False)) == 3
    assert count_rows(table(0)) == 0


def test_multi_line_table_rows_count_once() -> None:
    assert count_rows('{| class="wikitable"\n|-\n| a\n| b\n|-\n| c\n| d\n|}') == 2


def test_rows_of_the_rendered_index_are_its_records() -> None:
    """The guard counts what the bot renders: one row per listed partnership."""
    seed = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["pages"]
    snapshots = [PageSnapshot(title=p["title"], text=p["text"], revid=1, pageid=n) for n, p in enumerate(seed)]
    checked = check_pages(snapshots, CONFIG.schema, CONFIG.schema.template_names)
    bodies = render_generated(checked, CONFIG, "now")
    index = bodies[CONFIG.pages.title_of("index")][0]
    # every record is listed, those with errors too (issue 18)
    assert count_rows(index) == len(checked.records) > 20


@pytest.mark.parametrize(
    ("old", "new", "refused"),
    [
        (10, 8, False),  # 20%: allowed
        (10, 7, True),  # 30%: refused
        (10, 0, True),  # blanked
        (10, 12, False),  # rows added
        (0, 0, False),  # nothing to lose
        (5, 4, False),  # 20% of a small list
    ],
)
def test_mass_removal_is_refused_above_the_share(old: int, new: int, refused: bool) -> None:
    reason = mass_removal_reason(table(old), table(new), 0.2)
    assert (reason is not None) == refused
    if reason:
        assert f"remove {old - new} of the {old} rows" in reason and "-force" in reason


@pytest.mark.parametrize(
    ("old", "new", "min_removed", "refused"),
    [
        (4, 3, 1, True),  # 25% over 20%, and exactly the minimum of one row
        (10, 7, 3, True),  # 30%, exactly the minimum of three rows (a volunteer's list)
        (5, 3, 3, False),  # 40%, but fewer rows than the minimum
        (15, 12, 3, False),  # exactly the minimum, but exactly 20%
    ],
)
def test_mass_removal_at_exactly_the_minimum_row_count(old: int, new: int, min_removed: int, refused: bool) -> None:
    reason = mass_removal_reason(table(old), table(new), 0.2, min_removed=min_removed)
    assert (reason is not None) == refused, reason


def test_a_share_of_one_allows_any_removal() -> None:
    assert mass_removal_reason(table(10), table(0), 1.0) is None


def test_an_empty_read_saves_nothing() -> None:
    reason = empty_read_reason(0)
    assert reason is not None and "no partnership page was read" in reason
    assert empty_read_reason(1) is None


def test_guard_settings_default_and_per_page() -> None:
    assert CONFIG.pages.max_removed_share == 0.2
    assert CONFIG.pages.removal_limit(CONFIG.pages.title_of("index")) == 0.2
    assert CONFIG.pages.removal_limit(CONFIG.pages.title_of("report")) == 1.0
    assert CONFIG.pages.shutoff_check_every == 10


BASE = """
shutoff: {page: "User:Bot/Shutoff", run_value: run}
region: {start: "<!-- a -->", end: "<!-- b -->"}
generated:
  index: {title: Index, template: index.wikitext}
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("guard: {max_removed_share: 20}", "guard.max_removed_share: expected a share between 0 and 1"),
        ("guard: {max_removed_share: yes}", "expected a share between 0 and 1"),
        ("guard: {max_share: 0.2}", "unknown key 'max_share'"),
    ],
)
def test_bad_guard_settings_name_the_key(extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        pages_config_from(parse_yaml(BASE + extra + "\n", "pages.yaml"))


def test_bad_check_every_names_the_key() -> None:
    text = BASE.replace("run_value: run}", "run_value: run, check_every: 0}")
    with pytest.raises(ConfigError, match=r"pages.yaml, line 2: shutoff.check_every: expected a whole number"):
        pages_config_from(parse_yaml(text, "pages.yaml"))


def test_guard_defaults_when_pages_yaml_sets_none() -> None:
    """config/pages.yaml sets these explicitly; a file without them gets the documented defaults."""
    pages = pages_config_from(parse_yaml(BASE, "pages.yaml"))
    assert pages.max_removed_share == 0.2
    assert pages.removal_limit("Index") == 0.2
    assert pages.crosslink.recommendation_max_removed_share == 1.0
    assert pages.shutoff_check_every == 10
