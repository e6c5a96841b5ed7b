"""Long generated pages split into a hub and stable subpages (bots.core.pages.subpages)."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.pages.guard import count_rows, mass_removal_reason
from bots.core.pages.markers import UPDATED_RE, subpage_keys
from bots.core.pages.size import fit_to_size
from bots.core.pages.subpages import OTHER, current_regions, page_name, range_of
from bots.core.pipeline import Checked, Config, render_generated
from bots.core.records.model import PageSnapshot
from bots.core.settings.split_config import LetterRange
from bots.core.settings.yaml_doc import ConfigError
from scripts.bench import synthetic_page
from tests.support import RECOMMENDATION, check, snapshots

BASE = "Task force/Alliances and partnerships"
INDEX, BY_TYPE, REPORT, OVERVIEW = (f"{BASE}/{name}" for name in ("Index", "By type", "Validation report", "Overview"))
SPLIT_PAGES = [
    f"{BASE}/{name}" for name in ("Index", "By type", "By lead", "Validation report", "Partners", "Overview")
]
LINK = re.compile(r"\[\[:(Partnerships/[^|\]#]+)\|")


def config_copy(folder: Path, **guard: int) -> Config:
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", folder / "schema.yaml")
    pages: dict[str, Any] = yaml.safe_load((DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8"))
    pages["guard"].pop("merge_below_bytes")  # 3/4 of split_above_bytes unless given
    pages["guard"].update(guard)
    (folder / "pages.yaml").write_text(yaml.safe_dump(pages), encoding="utf-8")
    return load_config(folder)


def regions(bodies: dict[str, tuple[str, str]], config: Config) -> dict[str, str]:
    """What the wiki's regions would be after saving ``bodies``."""
    start, end = config.pages.region_start, config.pages.region_end
    return current_regions({t: f"{start}\n{b}\n{end}" for t, (b, _) in bodies.items()}, config.pages)


def without_time(body: str) -> str:
    return UPDATED_RE.sub("", body)


def linked(body: str) -> list[str]:
    return LINK.findall(body)


# --- 10,000 synthetic records --------------------------------------------------------------------


@pytest.fixture(scope="module")
def big() -> tuple[Config, Checked, dict[str, tuple[str, str]]]:
    config = load_config()
    checked = check(snapshots(10_000), config)
    return config, checked, render_generated(checked, config, "now")


def test_at_ten_thousand_records_every_page_and_subpage_fits_without_a_cut(big: Any) -> None:
    config, _checked, bodies = big
    generated = {t: b for t, (b, _) in bodies.items() if any(t == p or t.startswith(p + "/") for p in SPLIT_PAGES)}
    for page in SPLIT_PAGES:
        assert subpage_keys(generated[page]), f"{page} is a hub at 10,000 records"
    for title, body in generated.items():
        size = len(body.encode("utf-8"))
        assert size < config.pages.max_page_bytes, (title, size)
        assert fit_to_size(body, config.pages.max_page_bytes) == body
        assert "too long for one page (" not in body, title
    assert len(generated) > 40


def test_every_record_is_on_exactly_one_index_subpage_and_once_on_each_of_its_types(big: Any) -> None:
    config, checked, bodies = big
    valid = {r.title: r for r in checked.records}  # those with errors too (issue 18)
    index_links = [t for title, (b, _) in bodies.items() if title.startswith(INDEX + "/") for t in linked(b)]
    assert sorted(index_links) == sorted(valid)
    types = config.schema.field("type")
    for choice in types.choices:
        body = bodies[f"{BY_TYPE}/{choice.label}"][0]
        expected = sorted(t for t, r in valid.items() if choice.name in r.items("type"))
        assert sorted(linked(body)) == expected, choice.label
    hub = bodies[BY_TYPE][0]
    for choice in types.choices:
        count = sum(choice.name in r.items("type") for r in valid.values())
        assert f"|{choice.label}]] || {count}\n" in hub


def test_a_recommendation_page_too_long_for_one_page_is_split_by_type_and_its_subpages_stay_lists(big: Any) -> None:
    """All 10,000 synthetic records support one recommendation: its region becomes a hub, one subpage a type."""
    config, checked, bodies = big
    assert subpage_keys(bodies[RECOMMENDATION][0]), "the recommendation page is a hub"
    valid = {r.title: r for r in checked.records}  # those with errors too (issue 18)
    for choice in config.schema.field("type").choices:
        title = f"{RECOMMENDATION}/{choice.label}"
        body = bodies[title][0]
        assert len(body.encode("utf-8")) < config.pages.max_page_bytes and "too long for one page (" not in body
        supporting = {t: r for t, r in valid.items() if RECOMMENDATION in r.items("recommendation")}
        expected = sorted(t for t, r in supporting.items() if choice.name in r.items("type"))
        assert len(supporting) > 9000 and sorted(linked(body)) == expected, choice.label
    # the next run sees the hub and its subpages on the wiki: the subpages are not taken for
    # recommendation pages of their own (which no record names: "no partnership supports ...")
    start, end = config.pages.region_start, config.pages.region_end
    on_wiki = [
        PageSnapshot(title, f"Volunteers' text.\n{start}\n{body}\n{end}")
        for title, (body, _) in bodies.items()
        if title == RECOMMENDATION or title.startswith(RECOMMENDATION + "/")
    ]
    again = render_generated(checked, config, "now", on_wiki)
    for snap in on_wiki:
        assert without_time(again[snap.title][0]) == without_time(bodies[snap.title][0]), snap.title


def test_a_recommendation_hub_keeps_what_the_whole_region_says_before_its_list(tmp_path: Path) -> None:
    """The heading and count of the unsplit region (the template's `head` block) head its hub too."""
    checked = check(snapshots(300), config_copy(tmp_path))
    whole = render_generated(checked, config_copy(tmp_path), "now")[RECOMMENDATION][0]
    assert subpage_keys(whole) is None
    notice, heading, count = whole.splitlines()[:3]  # then the list, by type
    assert heading == "<h2>Partnerships supporting this recommendation</h2>" and "partnerships name this page" in count
    head = f"{notice}\n{heading}\n{count}"
    split = render_generated(checked, config_copy(tmp_path, split_above_bytes=5000), "now")
    hub, by_type = split[RECOMMENDATION][0], split[BY_TYPE][0]
    assert subpage_keys(hub) and hub.startswith(head + "\n\n")
    assert subpage_keys(by_type) and by_type.startswith(f'{notice}\n<div class="partnership-bot-nav">'), "no head block"


# --- stability: one new record -------------------------------------------------------------------


def test_one_new_record_rewrites_only_the_hub_and_its_own_subpages(tmp_path: Path) -> None:
    config = config_copy(tmp_path, split_above_bytes=5000)
    snaps = snapshots(300)
    first = render_generated(check(snaps, config), config, "then")
    assert all(subpage_keys(first[page][0]) for page in SPLIT_PAGES), "every page splits at 5,000 bytes"
    title, text = synthetic_page(2, random.Random(1))
    title, text = "Partnerships/Zanzibar water 1", text.replace("| name        = ", "| name        = Zanzibar ", 1)
    added = PageSnapshot(title=title, text=text, revid=9999, pageid=9999)
    second = render_generated(check([*snaps, added], config), config, "now", current=regions(first, config))
    changed = {t for t in second if without_time(second[t][0]) != without_time(first.get(t, ("", ""))[0])}
    record = next(r for r in check([*snaps, added], config).records if r.title == title)
    kinds = [config.schema.field("type").label_of(v) for v in record.items("type")]
    lead = config.schema.field("lead").label_of(record.text("lead"))
    partner_keys = {range_of(p, config.pages.page("partners").split.ranges) for p in record.items("partner")}  # type: ignore[union-attr]
    expected = {
        *SPLIT_PAGES,
        f"{INDEX}/X-Z",
        f"{OVERVIEW}/X-Z",
        f"{REPORT}/X-Z",  # its own page's problems (a possible duplicate of the other Bundesarchiv pages)
        *(f"{BY_TYPE}/{kind}" for kind in kinds),
        f"{BASE}/By lead/{lead}",
        *(f"{BASE}/Partners/{key}" for key in partner_keys),
        RECOMMENDATION,
        *(f"{RECOMMENDATION}/{kind}" for kind in kinds),  # it splits at 5,000 bytes too
    }
    assert changed <= expected, sorted(changed - expected)
    assert {f"{INDEX}/X-Z", f"{BY_TYPE}/{kinds[0]}", INDEX, BY_TYPE} <= changed
    unchanged_parts = [t for t in first if t.startswith(INDEX + "/") and t != f"{INDEX}/X-Z"]
    assert unchanged_parts and all(
        second[t] == (first[t][0].replace("then", "now"), first[t][1]) for t in unchanged_parts
    )


def test_a_split_page_stays_split_down_to_merge_below_and_then_says_where_its_records_went(tmp_path: Path) -> None:
    checked = check(snapshots(40), config_copy(tmp_path))
    # a page's size is that of its parts together (they are rendered first)
    forced = render_generated(checked, config_copy(tmp_path, split_above_bytes=1000, merge_below_bytes=1000), "now")
    size = sum(len(body.encode("utf-8")) for title, (body, _) in forced.items() if title.startswith(f"{INDEX}/"))
    assert 8_000 < size <= 32_000  # (each part begins with the bot's notice)
    config = config_copy(tmp_path, split_above_bytes=size, merge_below_bytes=8_000)
    whole = render_generated(checked, config, "now")
    assert subpage_keys(whole[INDEX][0]) is None, "not above split_above: one page"
    hub = f"{BASE}/Index"
    split_config = config_copy(tmp_path, split_above_bytes=size - 1, merge_below_bytes=8_000)
    split = render_generated(checked, split_config, "now", current={hub: whole[INDEX][0]})
    keys = subpage_keys(split[INDEX][0])
    assert keys and all(f"{INDEX}/{key}" in split for key in keys)
    assert mass_removal_reason(whole[INDEX][0], split[INDEX][0], 0.2) is None, "the rows moved, not vanished"
    assert count_rows(split[INDEX][0]) >= count_rows(whole[INDEX][0])
    # back under split_above but above merge_below: still split (no flapping)
    again = render_generated(checked, config, "now", current=regions(split, config))
    assert subpage_keys(again[INDEX][0]) == keys
    # under merge_below: one page again, every former subpage says so; nothing is deleted
    small = config_copy(tmp_path, split_above_bytes=size + 10_000, merge_below_bytes=size + 5_000)
    merged = render_generated(checked, small, "now", current=regions(split, config))
    assert subpage_keys(merged[INDEX][0]) is None
    for key in keys:
        body = merged[f"{INDEX}/{key}"][0]
        assert f"everything that was here is on [[:{INDEX}|Index]]" in body and not linked(body)
    assert mass_removal_reason(split[INDEX][0], merged[INDEX][0], 0.2) is None


def test_an_emptied_part_keeps_its_subpage_with_a_link_to_the_hub(tmp_path: Path) -> None:
    config = config_copy(tmp_path, split_above_bytes=5000)
    snaps = snapshots(100)
    first = render_generated(check(snaps, config), config, "now")
    assert f"{INDEX}/T-Tg" in first
    rest = [s for s in snaps if not s.title.startswith("Partnerships/Texts")]
    second = render_generated(check(rest, config), config, "now", current=regions(first, config))
    body = second[f"{INDEX}/T-Tg"][0]
    assert not linked(body) and f"[[:{INDEX}|Index]]" in body
    assert "|T-Tg]] || 0" in second[INDEX][0]
    fresh = render_generated(check(rest, config), config, "now")
    assert f"{INDEX}/T-Tg" not in fresh, "an empty part that never had a subpage gets none"


# --- ranges and configuration --------------------------------------------------------------------

LETTERS = [LetterRange("A-C", "A", "C"), LetterRange("T-Tg", "T", "TG"), LetterRange("Th", "TH", "TH")]


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("Apple", "A-C"),
        ("céleri", "A-C"),
        ("Élan", OTHER),  # E is in no range here
        ("Tgv", "T-Tg"),
        ("Tango", "T-Tg"),
        ("The Museum", "Th"),
        ("Tropenmuseum", OTHER),
        ("3D printing", OTHER),
        ("Википедия", OTHER),
        ("", OTHER),
    ],
)
def test_names_fall_in_fixed_ranges(name: str, part: str) -> None:
    assert range_of(name, LETTERS) == part


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("Ébène", "D-F"),  # an accented first letter falls in its letter's range
        ("Télé", "T-Tg"),  # and so does an accented second letter
        ("Thé", "Th"),
    ],
)
def test_accents_are_folded_before_the_ranges_are_compared(name: str, part: str) -> None:
    ranges = [LetterRange("A-C", "A", "C"), LetterRange("D-F", "D", "F"), *LETTERS[1:]]
    assert range_of(name, ranges) == part


@pytest.mark.parametrize(
    ("title", "name"),
    [("Partnerships/Kiwix", "Kiwix"), ("Partnerships/Kiwix/2019", "2019"), ("Kiwix", "Kiwix")],
)
def test_the_page_name_is_the_title_after_its_last_slash(title: str, name: str) -> None:
    assert page_name(title) == name


@pytest.mark.parametrize(
    ("split", "message"),
    [
        ("{by: name, ranges: [A-C, C-F]}", "overlaps or comes before 'A-C'"),
        ("{by: name, ranges: [D, A]}", "overlaps or comes before 'D'"),
        ("{by: name, ranges: [C-A]}", "ends before it starts"),
        ("{by: name, ranges: [A1]}", "expected letters"),
        ("{by: type, ranges: [A]}", "ranges are for by: name, page, partner"),
        ("{by: start}", "'start' is a date field"),
        ("{by: colour}", "'colour' is not a field of the schema"),
        ("{by: name, order: up}", "unknown key 'order'"),
    ],
)
def test_split_mistakes_name_the_file_and_line(tmp_path: Path, split: str, message: str) -> None:
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", tmp_path / "schema.yaml")
    text = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    text = text.replace("    split: {by: lead}\n", f"    split: {split}\n")
    (tmp_path / "pages.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"    split: {split}") + 1
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        load_config(tmp_path)
    assert f"pages.yaml, line {line}" in str(raised.value)


def test_split_sizes_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="split_above_bytes: expected a number of bytes from 1000 to 1500000"):
        config_copy(tmp_path, split_above_bytes=2_000_000)
    with pytest.raises(ConfigError, match="merge_below_bytes: expected a number of bytes from 0 to 400000"):
        config_copy(tmp_path, merge_below_bytes=500_000)
    assert config_copy(tmp_path, split_above_bytes=2000).pages.merge_below_bytes == 1500
