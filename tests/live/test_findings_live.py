"""The bot's cross-page findings shown by the Lua infobox on the page itself (issue 19), on the local wiki.

bots.update writes its findings into Module:Partnership/findings.json and the shards
Module:Partnership/findings/<n>.json; the module reads the shard of the page's title with
mw.loadJsonData. A wiki re-renders the pages that read a shard from its job queue; the
test wiki's ``php -S`` runs no jobs, so each test purges the page before it looks.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from bots.config import load_config
from bots.core.onwiki.findings import index_title, shard_of, shard_title
from bots.core.onwiki.infobox import tracking_category
from bots.core.onwiki.lua import problem_category
from bots.core.pages.render import field_anchor
from scripts.devwiki import ADMIN_USER
from tests.live.conftest import LiveWiki, output

CONFIG = load_config()
SCHEMA = CONFIG.schema
MODULE = f"Module:{SCHEMA.template}"
FINDING = re.compile(r'<div class="partnership-finding" data-code="([^"]*)" data-field="([^"]*)"[^>]*>(.*?)</div>')
ONE_SIDED = "Partnerships/Example: One-sided related"
NOT_LINKED_BACK = "Partnerships/Example: Not linked back"
DUPLICATE = "Partnerships/Example: Duplicate of Kaltura"
#: Titles the wiki accepts that are markup in wikitext (bold, a magic word, magic links, list and
#: definition markup), and one beyond ASCII.
HOSTILE_TITLES = [
    "Partnerships/Hostile '''bold''' ''it'' __NOINDEX__ & x",
    "Partnerships/Hostile ISBN 9780306406157 RFC 1234 * ; : ---- =h=",
    "Partnerships/Hostile Ørestad – Партнёрство",
]
#: The same name on every hostile page: each after the first is a duplicate-name, whose message quotes it.
HOSTILE_NAME = (
    "[[Category:Injected]] {{Evil}} <script>alert(1)</script> __NOINDEX__ [[Evil|x]] '''b''' [http://e.example e]"
)


def update(wiki: LiveWiki) -> str:
    result = wiki.run("bots.update", "-always")
    text = output(result)
    assert result.returncode == 0, text
    return text


def rendered(wiki: LiveWiki, title: str) -> dict[str, Any]:
    """The page as the wiki shows it now (purged: the job queue would re-render it after a shard's save)."""
    wiki.api.call(post=True, action="purge", titles=title)
    result = wiki.api.call(action="parse", page=title, prop="text|categories|links|templates|properties|externallinks")
    parsed: dict[str, Any] = result["parse"]
    return parsed


def findings(parsed: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(code, html.unescape(field), text) for code, field, text in FINDING.findall(parsed["text"])]


def categories(parsed: dict[str, Any]) -> set[str]:
    return {c["category"].replace("_", " ") for c in parsed["categories"]}


def row_of(parsed: dict[str, Any], field: str) -> str:
    """The box's HTML from the field's row to the next field's row (the findings shown under it)."""
    text: str = parsed["text"]
    start = text.index(f'id="{field_anchor(SCHEMA.template, field)}"')
    end = text.find("<tr id=", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_the_module_computes_the_same_shard_as_the_bot(wiki: LiveWiki) -> None:
    """The module's rule (SHA-1 of the title's UTF-8 bytes, 8 hex digits, modulo the shards) equals the bot's."""
    wiki.api.edit(
        "Module:Findings shard test",
        "local p = {}\nfunction p.shard(frame)\n\treturn tonumber(string.sub(mw.hash.hashValue('sha1', "
        "frame.args[1]), 1, 8), 16) % tonumber(frame.args[2])\nend\nreturn p\n",
    )
    for title in ["Partnerships/Kiwix", "Partnerships/Ørestad – café", "Партнёрство/Вики", "A", *HOSTILE_TITLES]:
        for shards in (256, 7):
            text = f"{{{{#invoke:Findings shard test|shard|1={title}|2={shards}}}}}"
            answer = wiki.api.call(post=True, action="expandtemplates", prop="wikitext", text=text, title="X")
            assert answer["expandtemplates"]["wikitext"] == str(shard_of(title, shards)), title
            assert shard_of(title, shards) == int(hashlib.sha1(title.encode()).hexdigest()[:8], 16) % shards


def test_a_finding_shows_next_to_its_field_and_goes_after_the_fix(
    wiki: LiveWiki, restore: Callable[[str], str]
) -> None:
    restore(ONE_SIDED)
    other = restore(NOT_LINKED_BACK)
    update(wiki)
    index = json.loads(wiki.api.text(index_title(MODULE)))
    assert index == {"shards": CONFIG.pages.findings_shards, "status_page": CONFIG.pages.status_page}
    shard = json.loads(wiki.api.text(shard_title(MODULE, shard_of(ONE_SIDED, index["shards"]))))
    assert [f["code"] for f in shard[ONE_SIDED]] == ["related-not-reciprocal"]

    page = rendered(wiki, ONE_SIDED)
    assert [(code, field) for code, field, _ in findings(page)] == [("related-not-reciprocal", "related")]
    # the page reads the index and its own shard: a shard's save re-renders its pages only (issue 19's figure)
    read = {t["title"] for t in page["templates"]}
    assert read >= {index_title(MODULE), shard_title(MODULE, shard_of(ONE_SIDED, index["shards"]))}
    assert len([t for t in read if t.startswith(f"{MODULE}/findings/")]) == 1
    assert 'class="partnership-finding" data-code="related-not-reciprocal"' in row_of(page, "related")
    assert "Special:EditPage/" + NOT_LINKED_BACK.replace(" ", "_") in page["text"].replace("%3A", ":")
    assert problem_category(SCHEMA, "related-not-reciprocal") in categories(page)
    assert CONFIG.pages.status_page.replace(" ", "_") in page["text"]  # "as of its last run": the status page

    duplicate = rendered(wiki, DUPLICATE)  # the name is the box's caption: its finding is right under it
    assert [(code, field) for code, field, _ in findings(duplicate)] == [("duplicate-name", "name")]
    assert duplicate["text"].index("partnership-finding") < duplicate["text"].index("<tr id=")
    # the tracking category holds what the page itself shows (test_onwiki_live); the finding its own category
    named = problem_category(SCHEMA, "duplicate-name")
    assert categories(duplicate) & {tracking_category(SCHEMA).name, named} == {named}
    assert not findings(rendered(wiki, "Partnerships/Kennisnet hosting"))  # no finding, nothing shown

    wiki.api.edit(NOT_LINKED_BACK, other.replace("|start=2010", f"|start=2010\n|related={ONE_SIDED}"))
    update(wiki)
    page = rendered(wiki, ONE_SIDED)
    assert findings(page) == []
    assert problem_category(SCHEMA, "related-not-reciprocal") not in categories(page)
    assert ONE_SIDED not in json.loads(wiki.api.text(shard_title(MODULE, shard_of(ONE_SIDED, index["shards"]))))


def test_a_missing_or_broken_shard_shows_nothing_and_raises_no_error(
    wiki: LiveWiki, restore: Callable[[str], str]
) -> None:
    update(wiki)
    shard = shard_title(MODULE, shard_of(DUPLICATE, CONFIG.pages.findings_shards))
    restore(shard)
    wiki.api.edit(shard, json.dumps({DUPLICATE: [{"code": 3}, "x", {"message": None}], "other": 1}))
    page = rendered(wiki, DUPLICATE)
    assert findings(page) == [] and "scribunto-error" not in page["text"]
    index = index_title(MODULE)
    restore(index)
    wiki.api.edit(index, json.dumps({"shards": 0}))
    page = rendered(wiki, DUPLICATE)
    assert findings(page) == [] and "scribunto-error" not in page["text"]


@pytest.fixture
def hostile_pages(wiki: LiveWiki) -> Any:
    admin = wiki.api.login(ADMIN_USER, wiki.dev.secret("admin"))
    yield admin
    for title in HOSTILE_TITLES:
        if wiki.api.revid(title):
            admin.delete(title)
    update(wiki)


def test_hostile_titles_and_values_in_a_finding_inject_no_markup(wiki: LiveWiki, hostile_pages: Any) -> None:
    for title in HOSTILE_TITLES:
        box = (
            f"{{{{Partnership\n| name = {HOSTILE_NAME}\n| partner = Hostile partner\n| type = content\n"
            f"| lead = volunteers\n| status = active\n| related = {NOT_LINKED_BACK}\n}}}}\n"
        )
        wiki.api.edit(title, box.replace("{{Evil}}", "&#123;&#123;Evil&#125;&#125;"))
    update(wiki)
    for title in HOSTILE_TITLES:
        page = rendered(wiki, title)
        shown = findings(page)
        assert shown, title
        assert not any(c.startswith("Injected") for c in categories(page)), title
        assert not any(link["title"] in ("Evil", "Category:Injected") for link in page["links"]), title
        assert "<script" not in page["text"] and "<b>" not in page["text"].split("partnership-finding", 1)[1]
        assert not any(p.get("name") == "noindex" for p in page["properties"]), title
        assert not page["externallinks"], title
