"""The Lua infobox (Module:Partnership, bots/core/onwiki/lua.py) on the local wiki, judged by its own parser.

The session's wiki is seeded with config/, whose schema chooses the Lua engine. A page's
problems in preview are read from its ``.partnership-problem`` elements, so that a test can
compare them with bots.validate's (the agreement test of issue 18 will do it over many pages).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import load_config
from bots.core.onwiki.lua import problem_category, problem_codes
from bots.core.pages.render import partner_anchor
from scripts.devwiki import ADMIN_USER
from tests.live.conftest import LiveWiki

CONFIG = load_config()
SCHEMA = CONFIG.schema
CORPUS = Path(__file__).parents[1] / "data" / "hostile.yaml"
PROBLEM = re.compile(r'<div class="partnership-problem" data-code="([^"]*)" data-field="([^"]*)">')
#: The issue's example: a new volunteer's first page.
EXAMPLE = """{{Partnership
| name = Oslo Museum digitisation
| partner = Oslo Museum
| recomendation = Task force/Recommendations/Alliances and partnerships 1
| status = on hold
| type =
| lead = volunteers
| start = March 2012
| website = www.oslomuseum.no
}}
"""
HOSTILE_VALUES = [
    "[[Category:Injected]]",
    "__NOINDEX__",
    "<nowiki>[[Evil]]</nowiki>",
    "[[Evil]] [[Evil|label]]",
    "<nowiki>}} {{Evil}}</nowiki> {{{1}}}",
    "<script>alert(1)</script>",
    "'''bold''' ''it",
    "ISBN 9780306406157 RFC 1234",
    "https://evil.example/ x",
    "javascript:alert(1)",
    '" onmouseover="alert(1)',
    "&#124; &amp; &lt;",
    "{{!}} a {{=}} b",
    "x" * 5000,
    "\u202e\u200b\x7f",
    "; ; ,, \n* \n#",
    "[[Partnerships/Kiwix|O]]; [http://a b]",
    "2012-13-45",
    "----",
    "~~~~",
]


def preview(wiki: LiveWiki, text: str, title: str = "Partnerships/Lua preview test") -> dict[str, Any]:
    prop = "text|categories|links|templates|properties"
    result = wiki.api.call(post=True, action="parse", title=title, text=text, preview="1", prop=prop)
    parsed: dict[str, Any] = result["parse"]
    return parsed


def problems(parsed: dict[str, Any]) -> set[tuple[str, str]]:
    """(field, code) of every problem the module shows."""
    return {(html.unescape(field), code) for code, field in PROBLEM.findall(parsed["text"])}


def categories(parsed: dict[str, Any]) -> set[str]:
    return {c["category"].replace("_", " ") for c in parsed["categories"]}


def test_the_issues_example_shows_each_problem_in_preview(wiki: LiveWiki) -> None:
    parsed = preview(wiki, EXAMPLE)
    assert problems(parsed) == {
        ("recomendation", "unknown-parameter"),
        ("status", "unknown-value"),
        ("type", "missing-required"),
        ("start", "bad-date"),
        ("website", "bad-url"),
    }
    text = parsed["text"]
    assert "Did you mean “recommendation”?" in text
    assert "Write 2012-03." in text
    assert "made by the bot" in text
    # The volunteer's text is shown as written, the misspelt field too.
    for written in ("on hold", "March 2012", "www.oslomuseum.no", "recomendation"):
        assert written in text


def test_conditional_requirement_and_date_order(wiki: LiveWiki) -> None:
    text = EXAMPLE.replace("lead = volunteers", "lead = local chapter").replace("March 2012", "2012-03")
    text = text.replace("}}", "| end = 2011\n| critical = maybe\n| partners = Kiwix\n}}")
    assert {
        ("chapter", "missing-required"),
        ("end", "end-before-start"),
        ("critical", "bad-yesno"),
        ("partner", "duplicate-parameter"),
    } <= problems(preview(wiki, text))


def test_a_saved_page_is_in_a_category_per_problem_and_shows_no_warning(wiki: LiveWiki) -> None:
    title = "Partnerships/Lua saved example"
    wiki.api.edit(title, EXAMPLE)
    try:
        parsed = wiki.api.parse(title)
    finally:  # the other live tests count the sample pages and their problems
        wiki.api.login(ADMIN_USER, wiki.dev.secret("admin")).delete(title)
    assert not PROBLEM.search(parsed["text"])
    expected = {problem_category(SCHEMA, code) for code in ("unknown-parameter", "unknown-value", "bad-date")}
    expected |= {problem_category(SCHEMA, "missing-required"), problem_category(SCHEMA, "bad-url")}
    assert expected <= categories(parsed)
    for code in problem_codes(SCHEMA):
        assert wiki.api.text(f"Category:{problem_category(SCHEMA, code)}"), code


def test_values_are_shown_as_readers_expect(wiki: LiveWiki) -> None:
    parsed = preview(
        wiki,
        "{{Partnership\n| name = Shown\n| partner = Kiwix; Orange\n| type = content, tech\n| lead = wmf\n"
        "| status = ongoing\n| recommendation = Task force/Recommendations/Alliances and partnerships 1\n"
        "| website = https://www.kiwix.org/a/very/long/path/" + "x" * 300 + "\n}}",
    )
    text = parsed["text"]
    assert not problems(parsed)
    for shown in ("Content sources, Technology infrastructure", "The Wikimedia Foundation", ">Active<"):
        assert shown in text
    assert ">Alliances and partnerships 1</a>" in text
    assert ">www.kiwix.org</a>" in text
    partners = CONFIG.pages.title_of("partners")
    assert partners in {link["title"] for link in parsed["links"]}
    assert "max-width:100%" in text and "overflow-wrap:break-word" in text


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_a_hostile_value_in_every_field_is_literal_text(wiki: LiveWiki, value: str) -> None:
    fields = "".join(f"| {name} = {value}\n" for name in SCHEMA.parameter_names)
    parsed = preview(wiki, "{{Partnership\n" + fields + "| unknown " + "x" * 3 + " = " + value + "\n}}")
    text = parsed["text"]
    assert "scribunto-error" not in text and "Script error" not in text
    ours = {problem_category(SCHEMA, code) for code in problem_codes(SCHEMA)}
    assert categories(parsed) <= ours | {c.replace("_", " ") for c in _value_categories()}
    read = {t["title"] for t in parsed["templates"] if not t["title"].startswith("Module:Partnership/findings")}
    assert read <= {"Template:Partnership", "Module:Partnership", "Template:!"}  # and the bot's findings (issue 19)
    assert "Evil" not in {link["title"] for link in parsed["links"]}
    assert "noindex" not in parsed["properties"]
    assert "<script" not in text


def _value_categories() -> set[str]:
    return {f"{SCHEMA.template} pages with problems"} | {
        f"{SCHEMA.template} pages with {spec.name} {choice.name}"
        for spec in SCHEMA.fields
        if spec.kind.has_choices and not spec.multiple
        for choice in spec.choices
    }


def test_the_hostile_corpus_raises_no_lua_error(wiki: LiveWiki) -> None:
    for page in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["pages"]:
        parsed = preview(wiki, page["text"])
        assert "scribunto-error" not in parsed["text"], page["title"]
        assert "Pages with script errors" not in categories(parsed), page["title"]


@pytest.mark.parametrize(
    "partner", ["Kiwix", "The British Museum", "Bibliothèque nationale de France", "A&B / C.", "Музей Осло"]
)
def test_a_partner_links_to_its_row_on_the_partners_page(wiki: LiveWiki, partner: str) -> None:
    """The module's link and the Partners page's row id come from one rule, in Lua and in Python."""
    text = f"{{{{Partnership\n| name = Anchors\n| partner = {partner}\n}}}}"
    expanded = wiki.api.call(
        post=True, action="expandtemplates", title="Partnerships/Anchors", text=text, prop="wikitext"
    )
    partners = CONFIG.pages.title_of("partners")
    fragments = re.findall(rf"\[\[:{re.escape(partners)}#(partner-[^|\]]*)\|", expanded["expandtemplates"]["wikitext"])
    assert fragments == [partner_anchor(partner)]
    row = wiki.api.call(post=True, action="parse", text=f'<span id="{partner_anchor(partner)}"></span>', prop="text")[
        "parse"
    ]["text"]
    ids = [html.unescape(found) for found in re.findall(r'<span id="([^"]*)"', row)]
    assert ids == fragments  # the id MediaWiki writes, as a browser reads it, is the link's fragment
