"""The wiki's own infobox (``template: existing: true``, issue 20): the installer writes only what the bot owns."""

from __future__ import annotations

import dataclasses
import json
from textwrap import dedent

import pytest

from bots.config import load_config, onwiki_templates
from bots.core.onwiki.infobox import left_alone, onwiki_pages, partners_of
from bots.core.records.schema import Schema, schema_from
from bots.core.settings.yaml_doc import ConfigError, parse_yaml
from bots.wiki.findings import save_findings
from bots.wiki.templatedata import offer_used_values
from scripts.install_templates import left_alone_lines

CONFIG = load_config()
OURS = CONFIG.schema
THEIRS = dataclasses.replace(OURS, existing=True)
PARTNERS = partners_of(CONFIG.pages)
LIST_PAGES = ["Template:Partnership list/doc", "Template:Partnership list", "Template:Partnership list end"]


def schema_of(text: str) -> Schema:
    return schema_from(parse_yaml(dedent(text), "s.yaml"))


def test_existing_is_read_from_the_template_section_and_defaults_to_false() -> None:
    fields = "fields:\n  name:\n    type: text\n"
    assert schema_of(f"template:\n  name: Infobox museum\n  existing: true\n{fields}").existing
    assert not schema_of(f"template:\n  name: Infobox museum\n{fields}").existing
    assert not OURS.existing


def test_existing_must_be_true_or_false() -> None:
    with pytest.raises(ConfigError, match=r"s.yaml, line 3: template.existing: expected true or false, not 'yes'"):
        schema_of("template:\n  name: Infobox museum\n  existing: 'yes'\nfields:\n  name:\n    type: text\n")


def test_our_infobox_installs_everything_and_leaves_nothing_alone() -> None:
    pages = onwiki_pages(OURS, onwiki_templates(), PARTNERS)
    assert {"Template:Partnership", "Module:Partnership", "Template:Partnership/doc"} <= set(pages)
    assert list(pages)[-3:] == LIST_PAGES
    assert left_alone(OURS, onwiki_templates(), PARTNERS) == []
    assert left_alone_lines(OURS, []) == []


def test_the_wikis_own_infobox_gets_only_the_list_templates() -> None:
    ours = onwiki_pages(OURS, onwiki_templates(), PARTNERS)
    theirs = onwiki_pages(THEIRS, onwiki_templates(), PARTNERS)
    assert list(theirs) == LIST_PAGES
    assert all(theirs[title] == ours[title] for title in LIST_PAGES)
    untouched = left_alone(THEIRS, onwiki_templates(), PARTNERS)
    assert set(untouched) == set(ours) - set(LIST_PAGES)  # every page of the infobox itself, each said
    assert {"Template:Partnership", "Module:Partnership", "Template:Partnership/doc"} <= set(untouched)
    assert "Template:Partnership/preload" in untouched and "Template:Infobox partnership" in untouched
    assert any(title.startswith("Category:") for title in untouched)


def test_one_line_per_page_left_alone_then_the_templatedata_to_compare() -> None:
    untouched = left_alone(THEIRS, onwiki_templates(), PARTNERS)
    lines = left_alone_lines(THEIRS, untouched)
    assert lines[0] == "Template:Partnership/doc: the wiki's own infobox (template: existing: true), left as it is"
    assert len(lines) == len(untouched) + 2
    block = lines[-1]
    assert block.startswith("<templatedata>\n") and block.endswith("\n</templatedata>")
    data = json.loads(block.removeprefix("<templatedata>").removesuffix("</templatedata>"))
    assert list(data["params"]) == [spec.name for spec in OURS.fields]


def test_the_main_job_writes_no_findings_and_no_templatedata_for_the_wikis_own_infobox() -> None:
    """Returned before any request: no module of ours reads findings, and volunteers own the /doc page."""
    config = dataclasses.replace(CONFIG, schema=THEIRS)
    assert save_findings(None, config, [], always=True) is None
    assert offer_used_values(None, config, [], always=True) is None
