"""The bot's cross-page findings as JSON shards for the Lua infobox (bots/core/onwiki/findings.py, issue 19)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from bots.config import load_config, onwiki_templates
from bots.core.links.checks import LINK_CODES
from bots.core.onwiki.findings import (
    cross_page_issues,
    findings_by_shard,
    findings_pages,
    index_title,
    same_findings,
    shard_of,
    shard_title,
    stale_shards,
)
from bots.core.onwiki.infobox import onwiki_pages, partners_of
from bots.core.onwiki.lua import BOT_CHECKS, finding_codes, lua_literal, problem_category, problem_codes
from bots.core.records.model import Issue, Place
from bots.core.records.validate import BESIDE_THE_INFOBOX_CODES
from bots.core.settings.pages_config import pages_config_from
from bots.core.settings.yaml_doc import ConfigError, parse_yaml
from tests.seedpages import checked_seed, load_seed

CONFIG = load_config()
SCHEMA = CONFIG.schema
MODULE = "Module:Partnership"
SINGLE_PAGE = problem_codes(SCHEMA)


def issue(page: str, code: str, field: str = "related", message: str = "m", suggestion: str = "") -> Issue:
    return Issue(page, field, code, "warning", message, suggestion)


def test_the_shard_is_the_sha1_of_the_titles_utf8_bytes_modulo_the_shards() -> None:
    for title in ("Partnerships/Kiwix", "Partnerships/Ørestad – café", "Партнёрство/Вики", "A"):
        digest = hashlib.sha1(title.encode()).hexdigest()
        assert shard_of(title, 256) == int(digest[:8], 16) % 256
        assert 0 <= shard_of(title, 7) < 7
    assert shard_of("Partnerships/Kiwix", 256) == shard_of("Partnerships/Kiwix", 256)


def test_at_256_shards_no_shard_holds_one_percent_of_ten_thousand_pages() -> None:
    counts = Counter(shard_of(f"Partnerships/Partnership {n}", 256) for n in range(10_000))
    assert len(counts) == 256
    assert max(counts.values()) < 100


def test_only_the_codes_a_page_alone_cannot_have_are_findings() -> None:
    issues = [
        issue("Partnerships/A", "related-not-reciprocal"),
        issue("Partnerships/A", "bad-date", "start"),
        issue("Partnerships/B", "duplicate-name", "name"),
        issue("Partnerships/C", "no-infobox", ""),
        issue(Place("config/schema.yaml, line 3"), "possible-duplicate"),
    ]
    kept = cross_page_issues(issues, SINGLE_PAGE)
    assert [(i.page, i.code) for i in kept] == [
        ("Partnerships/A", "related-not-reciprocal"),
        ("Partnerships/B", "duplicate-name"),
    ]


def test_every_shard_is_written_sorted_and_as_the_wiki_stores_json() -> None:
    issues = [
        issue("Partnerships/Zed", "link-to-missing-page", "recommendation", "Z"),
        issue(
            "Partnerships/Zed", "related-not-reciprocal", "related", "“Partnerships/A” does not list…", "Partnerships/A"
        ),
        issue(
            "Partnerships/Zed", "related-not-reciprocal", "related", "“Partnerships/A” does not list…", "Partnerships/A"
        ),
    ]
    texts = findings_pages(issues, SINGLE_PAGE, MODULE, 16, "User:Bot/Status")
    assert json.loads(texts.pop(index_title(MODULE))) == {"shards": 16, "status_page": "User:Bot/Status"}
    assert list(texts) == [shard_title(MODULE, n) for n in range(16)]
    assert shard_title(MODULE, 3) == "Module:Partnership/findings/3.json"
    mine = texts[shard_title(MODULE, shard_of("Partnerships/Zed", 16))]
    assert json.loads(mine) == {
        "Partnerships/Zed": [
            {"code": "link-to-missing-page", "field": "recommendation", "message": "Z", "suggestion": ""},
            {
                "code": "related-not-reciprocal",
                "field": "related",
                "message": "“Partnerships/A” does not list…",
                "suggestion": "Partnerships/A",
            },
        ]
    }
    assert "“" in mine and '\t"Partnerships/Zed": [' in mine  # UTF-8 kept, tab-indented, as MediaWiki re-formats it
    assert sum(text == "{}" for text in texts.values()) == 15
    assert findings_pages(reversed(issues), SINGLE_PAGE, MODULE, 16, "User:Bot/Status") == {
        index_title(MODULE): '{\n\t"shards": 16,\n\t"status_page": "User:Bot/Status"\n}',
        **texts,
    }


def test_a_shard_changes_only_when_its_findings_do() -> None:
    pages = findings_pages([issue("Partnerships/A", "possible-duplicate")], SINGLE_PAGE, MODULE, 1, "")
    text = pages[shard_title(MODULE, 0)]
    assert same_findings(json.dumps(json.loads(text), indent=4), text)  # re-formatted by the wiki
    assert same_findings("", "{}")  # a missing page needs no empty shard
    assert not same_findings("", text)
    assert not same_findings("{not json", "{}")  # a broken page is repaired
    assert not same_findings(text, "{}")  # a fixed page's finding goes


def test_the_seed_pages_cross_page_problems_are_findings_with_a_category() -> None:
    findings = cross_page_issues(checked_seed().issues, SINGLE_PAGE)
    expected = {
        (page["title"], problem["field"], problem["code"])
        for page in load_seed()
        for problem in page.get("expect") or []
        if problem["code"] not in SINGLE_PAGE and problem["code"] not in {"no-infobox", "too-complex"}
    }
    assert {(i.page, i.field, i.code) for i in findings} >= expected
    assert {"duplicate-name", "related-not-reciprocal", "possible-duplicate"} <= {i.code for i in findings}
    assert {i.code for i in findings} <= set(finding_codes(SCHEMA))
    by_shard = findings_by_shard(findings, 256)
    assert sum(len(pages) for pages in by_shard.values()) == len({i.page for i in findings})


def test_the_module_reads_the_index_and_has_a_category_per_cross_page_code() -> None:
    pages = onwiki_pages(SCHEMA, onwiki_templates(), partners_of(CONFIG.pages))
    module = pages[MODULE]
    assert "mw.loadJsonData" in module and "'Module:Partnership/findings.json'" in module
    assert "'Module:Partnership/findings/'" in module
    for code in finding_codes(SCHEMA):
        assert f"Category:{problem_category(SCHEMA, code)}" in pages


def test_shards_no_longer_written_are_emptied() -> None:
    existing = [
        index_title(MODULE),
        shard_title(MODULE, 0),
        shard_title(MODULE, 3),
        shard_title(MODULE, 17),
        f"{MODULE}/findings/doc",
        f"{MODULE}/findings/3.json/x",
        "Module:Other/findings/3.json",
    ]
    assert stale_shards(existing, MODULE, []) == {
        shard_title(MODULE, 0): "{}",
        shard_title(MODULE, 3): "{}",
        shard_title(MODULE, 17): "{}",
    }  # findings switched off: every shard; the index says nothing once its shards are empty
    written = findings_pages([], SINGLE_PAGE, MODULE, 16, "")
    assert stale_shards(existing, MODULE, written) == {shard_title(MODULE, 17): "{}"}  # fewer shards
    assert same_findings("{}", stale_shards(existing, MODULE, [])[shard_title(MODULE, 0)])  # empty: not saved again


def test_the_cross_page_codes_come_from_where_the_problems_are_found() -> None:
    codes = finding_codes(SCHEMA)
    assert codes == [
        *(f"duplicate-{spec.name}" for spec in SCHEMA.fields if spec.unique),
        *LINK_CODES,
        *BESIDE_THE_INFOBOX_CODES,
    ]
    assert not set(codes) & set(SINGLE_PAGE)
    lua = (Path(__file__).parents[1] / "bots" / "core" / "onwiki" / "lua.py").read_text(encoding="utf-8")
    assert not [code for code in codes if f'"{code}"' in lua]  # one place for each: none is repeated there


def test_the_preview_and_the_documentation_say_the_box_shows_the_bots_last_findings() -> None:
    pages = onwiki_pages(SCHEMA, onwiki_templates(), partners_of(CONFIG.pages))
    assert "as of its last run" in BOT_CHECKS and "made by the bot" in BOT_CHECKS
    assert lua_literal(BOT_CHECKS) in pages[MODULE]
    assert BOT_CHECKS in pages["Template:Partnership/doc"]
    for code in finding_codes(SCHEMA):
        assert f"[[:Category:{problem_category(SCHEMA, code)}]]" in pages["Template:Partnership/doc"]


BASE = """
shutoff: {page: "User:Bot/Shutoff", run_value: run}
region: {start: "<!-- a -->", end: "<!-- b -->"}
generated:
  index: {title: Index, template: index.wikitext}
"""


@pytest.mark.parametrize(("extra", "shards"), [("", 0), ("findings: off", 0), ("findings: {shards: 64}", 64)])
def test_findings_settings(extra: str, shards: int) -> None:
    assert pages_config_from(parse_yaml(BASE + extra, "pages.yaml")).findings_shards == shards


@pytest.mark.parametrize("extra", ["findings: {shards: 0}", "findings: {shards: yes}", "findings: {pages: 3}"])
def test_bad_findings_settings_name_the_key(extra: str) -> None:
    with pytest.raises(ConfigError, match="findings"):
        pages_config_from(parse_yaml(BASE + extra, "pages.yaml"))
