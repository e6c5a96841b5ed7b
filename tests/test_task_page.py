"""The task page for bot approval, made from the config (scripts.task_page), and the edit summaries' link to it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from bots.config import DEFAULT_CONFIG_DIR, load_config, onwiki_templates
from bots.core.onwiki.findings import index_title, shard_title
from bots.core.onwiki.task_page import Throttle, task_page_text
from bots.core.pages.render import make_environment
from bots.core.pipeline import Config
from bots.wiki.messages import SUMMARY_MAX, with_task_link

CONFIG = load_config()
ENV = make_environment(onwiki_templates())
#: pywikibot's defaults, as user-config.py.example keeps them.
DEFAULT_THROTTLE = Throttle(put_throttle=10, write_maxlag=5)


def text_of(config: Config = CONFIG, throttle: Throttle = DEFAULT_THROTTLE) -> str:
    return task_page_text(config, ENV, throttle)


def test_every_page_the_bot_writes_is_named() -> None:
    text = text_of()
    pages = CONFIG.pages
    written = [
        *(page.title for page in pages.generated),
        pages.status_page,
        index_title("Module:Partnership"),
        "Template:Partnership/doc",  # the TemplateData the main job keeps current
    ]
    for title in written:
        assert f"[[{title}]]" in text, title
    assert shard_title("Module:Partnership", pages.findings_shards - 1) in text
    assert pages.crosslink.recommendation_prefix in text
    assert "{{tl|Partnership list}}" in text and "(main), User, Project" in text  # the volunteers' lists
    assert "<code>related</code>" in text  # crosslink's edits of partnership pages


def test_the_pages_read_the_shutoff_and_exclusion_compliance() -> None:
    text = text_of()
    assert "every page in (main) that uses [[Template:Partnership]]" in text
    assert f"edit [[{CONFIG.pages.shutoff_page}]] to say anything but <code>run</code>" in text
    assert "again every 10 edits" in text
    assert "{{tl|nobots}}" in text and "{{tl|bots}}" in text


@pytest.mark.parametrize(
    ("throttle", "rate"),
    [
        (Throttle(put_throttle=10, write_maxlag=5), "At most 6 edits a minute (one every 10 s"),
        (Throttle(put_throttle=12), "At most 5 edits a minute (one every 12 s"),
        (Throttle(put_throttle=0), "No pause between edits"),
    ],
)
def test_the_edit_rate_comes_from_the_throttle_settings(throttle: Throttle, rate: str) -> None:
    text = text_of(throttle=throttle)
    edit_rate = text.partition("== Edit rate ==\n")[2]
    assert edit_rate.startswith(rate)
    assert ("replication lag is above 5 s" in edit_rate) == bool(throttle.write_maxlag)


def test_what_is_left_out_of_the_config_is_left_out_of_the_page() -> None:
    pages = replace(
        CONFIG.pages,
        status_page="",
        findings_shards=0,
        crosslink=replace(CONFIG.pages.crosslink, recommendation_prefix="", reciprocal_related=False),
        operator="Alice",
        source="https://example.org/bot",
    )
    text = text_of(replace(CONFIG, pages=pages))
    assert "status page" not in text and "findings" not in text and "recommendation" not in text
    assert "gets the link back" not in text and "a link to a moved page" in text
    assert "[[User:Alice|Alice]]" in text and "https://example.org/bot" in text


def test_the_generated_titles_follow_the_root(tmp_path: Path) -> None:
    pages = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    (tmp_path / "pages.yaml").write_text(
        pages.replace("root: Task force/Alliances and partnerships", "root: Partnerships"), encoding="utf-8"
    )
    config = load_config(tmp_path)
    assert config.pages.title_of("index") == "Partnerships/Index"
    assert "[[Partnerships/Overview]]" in text_of(config)


def test_the_summary_links_the_task_page() -> None:
    assert with_task_link("Bot: update the index", "") == "Bot: update the index"
    linked = with_task_link("Bot: update the index", "User:PartnershipBot/Task")
    assert linked == "Bot: update the index ([[User:PartnershipBot/Task|bot task]])"


def test_a_long_summary_is_shortened_and_keeps_the_link_whole() -> None:
    linked = with_task_link("Bot: cross-link " + "x" * 600, "User:PartnershipBot/Task")
    assert len(linked) <= SUMMARY_MAX
    assert re.search(r"x… \(\[\[User:PartnershipBot/Task\|bot task\]\]\)$", linked)


def test_another_folder_s_task_page_speaks_of_its_records_and_leaves_the_wiki_s_own_infobox_out() -> None:
    museum = load_config(DEFAULT_CONFIG_DIR / "examples" / "museum")
    text = text_of(museum)
    assert "Keeps the museum records, one page per museum" in text
    assert "partnership" not in text.replace("PartnershipBot", "").casefold()  # the bot's account is the config's
    assert "the list templates only ([[Template:Infobox museum]] is the wiki's own" in text
    assert "its Lua module" not in text
