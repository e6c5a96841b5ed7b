"""Entries of the validation report link to the field on the page, and the anchor is there.

The report links each problem's field as [[Page#anchor|field]]; the infobox gives every
field a stable id (its row's, or an empty span in the caption when the field is empty).
Each such link in the report for the seeded pages is followed through the wiki's own
parser: the page's HTML must have an element with that id.
"""

from __future__ import annotations

import re
from typing import Any

from bots.config import load_config
from bots.core.pages.render import field_anchor
from tests.live.conftest import LiveWiki, output

CONFIG = load_config()
REPORT = CONFIG.pages.title_of("report")
FIELD_LINK = re.compile(r"\[\[:([^|#\]]+)#([^|\]]+)\|")


def test_every_field_link_in_the_report_lands_on_an_anchor(wiki: LiveWiki, seed: list[dict[str, Any]]) -> None:
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    links: dict[str, set[str]] = {}
    for page, anchor in FIELD_LINK.findall(wiki.api.text(REPORT)):
        links.setdefault(page, set()).add(anchor)
    seeded_with_problems = {p["title"] for p in seed if any(e["field"] for e in p["expect"])}
    assert seeded_with_problems <= set(links)
    for page, anchors in links.items():
        html = wiki.api.parse(page)["text"]
        for anchor in anchors:
            assert f'id="{anchor}"' in html, f"{page}: the report links #{anchor}, which the page lacks"


def test_a_field_with_a_value_has_the_anchor_on_its_row(wiki: LiveWiki) -> None:
    html = wiki.api.parse("Partnerships/Example: Bad date")["text"]
    row = re.search(rf'<tr id="{field_anchor(CONFIG.schema.template, "start")}">(.*?)</tr>', html, re.S)
    assert row and "Start" in row.group(1)
    html = wiki.api.parse("Partnerships/Example: Missing partner")["text"]
    assert f'<span id="{field_anchor(CONFIG.schema.template, "partner")}"></span>' in html
