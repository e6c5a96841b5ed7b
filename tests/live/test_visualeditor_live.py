"""VisualEditor on the local wiki: it parses partnership pages, its dialog reads the generated
TemplateData, the main job keeps the partners the records use offered in it, and the
preload's hints are comments that neither MediaWiki nor the bot read as values.

No browser here: VisualEditor's API (Parsoid inside PHP under `php -S`) and TemplateData's
API answer what the dialog would show.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from bots.config import load_config, onwiki_templates
from bots.core.onwiki.infobox import onwiki_pages
from bots.core.onwiki.templatedata import USED_VALUES_LIMIT, used_in_doc
from tests.live.conftest import LiveWiki, output

SCHEMA = load_config().schema
TEMPLATE = f"Template:{SCHEMA.template}"
DOC = f"{TEMPLATE}/doc"
PRELOAD = f"{TEMPLATE}/preload"
BLANK = f"{TEMPLATE}/blank"
PAGE = "Partnerships/PediaPress books"
VOLUNTEERS_NOTE = "\n== Talk ==\nA volunteer's note on the documentation page."


def visualeditor(wiki: LiveWiki, page: str, **params: str) -> dict[str, Any]:
    query = {"action": "visualeditor", "paction": "parse", "page": page, **params}
    result: dict[str, Any] = wiki.api.call(False, **query)["visualeditor"]
    assert result["result"] == "success", result
    return result


def transclusion(html: str) -> dict[str, Any]:
    """The data-mw of the page's first template, as Parsoid gives it to VisualEditor."""
    start = html.index("data-mw='") + len("data-mw='")
    data: dict[str, Any] = json.loads(html[start : html.index("'", start)].replace("&lt;", "<").replace("&amp;", "&"))
    template: dict[str, Any] = data["parts"][0]["template"]
    return template


def dialog_params(wiki: LiveWiki) -> dict[str, Any]:
    (data,) = wiki.api.call(action="templatedata", titles=TEMPLATE)["pages"].values()
    params: dict[str, Any] = data["params"]
    return params


def test_visualeditor_parses_a_partnership_page_into_an_editable_infobox(wiki: LiveWiki) -> None:
    html = visualeditor(wiki, PAGE)["content"]
    assert 'typeof="mw:Transclusion' in html
    template = transclusion(html)
    assert template["target"]["wt"].strip() == SCHEMA.template
    assert template["params"]["partner"]["wt"].strip() == "PediaPress"


def test_visualeditor_opens_a_new_page_with_the_blank_preload_and_no_hint_in_a_field(wiki: LiveWiki) -> None:
    result = visualeditor(wiki, "Partnerships/A page nobody made", preload=BLANK)
    assert result["preloaded"] == BLANK
    params = transclusion(result["content"])["params"]
    assert list(params) == [spec.name for spec in SCHEMA.fields]
    assert [name for name, param in params.items() if param["wt"].strip()] == []


def test_the_dialog_offers_choices_by_label_and_lists_as_text(wiki: LiveWiki) -> None:
    params = dialog_params(wiki)
    assert params["status"]["suggestedvalues"] == [c.label for c in SCHEMA.field("status").choices]
    assert params["lead"]["suggestedvalues"] == [c.label for c in SCHEMA.field("lead").choices]
    for name in ("type", "partner", "recommendation", "related"):
        assert params[name]["type"] == "string"
        assert "Several values: separate them with" in params[name]["description"]["en"]
    assert params["name"]["required"] is True and params["chapter"]["suggested"] is True
    assert params["name"]["example"] == {"en": SCHEMA.field("name").example}


def wait_for_dialog_partners(wiki: LiveWiki, expected: list[str]) -> list[str]:
    """The partners the TemplateData API offers, once the wiki re-parsed the infobox (its job queue)."""
    offered: list[str] = []
    for _ in range(50):
        offered = dialog_params(wiki)["partner"]["suggestedvalues"]
        if offered == expected:
            break
        time.sleep(0.2)
    return offered


def test_the_main_job_offers_the_partners_the_records_use_and_keeps_them_current(
    wiki: LiveWiki, restore: Callable[[str], str]
) -> None:
    doc = restore(DOC) + VOLUNTEERS_NOTE
    wiki.api.edit(DOC, doc)
    restore(PAGE)
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    text = wiki.api.text(DOC)
    assert text.endswith(VOLUNTEERS_NOTE) and text.split("<templatedata>")[0] == doc.split("<templatedata>")[0]
    partners = list(used_in_doc(text, SCHEMA)["partner"])
    assert "PediaPress" in partners
    assert partners == sorted(partners, key=str.casefold) and len(partners) <= USED_VALUES_LIMIT
    assert wait_for_dialog_partners(wiki, partners) == partners

    revid = wiki.api.revid(DOC)
    result = wiki.run("bots.update", "-always", "-full")  # the same partners: the /doc page is not saved
    assert result.returncode == 0, output(result)
    assert wiki.api.revid(DOC) == revid

    wiki.api.edit(PAGE, wiki.api.text(PAGE).replace("PediaPress", "PediaPress; Zeta Books Cooperative"))
    result = wiki.run("bots.update", "-always")
    assert result.returncode == 0, output(result)
    partners = list(used_in_doc(wiki.api.text(DOC), SCHEMA)["partner"])
    assert "Zeta Books Cooperative" in partners
    assert wait_for_dialog_partners(wiki, partners) == partners
    assert wiki.api.text(DOC).endswith(VOLUNTEERS_NOTE)

    # the installer rewrites the page from the schema, but keeps offering the partners
    result = wiki.run("scripts.install_templates", "-always")
    assert result.returncode == 0, output(result)
    assert list(used_in_doc(wiki.api.text(DOC), SCHEMA)["partner"]) == partners


def test_the_preloads_hints_are_not_values_for_the_infobox(wiki: LiveWiki) -> None:
    """MediaWiki drops comments from template arguments: a field with only its hint is empty."""
    blank = onwiki_pages(SCHEMA, onwiki_templates())[PRELOAD].split("<noinclude>")[0]
    assert "<!-- required; one of:" in blank
    text = blank.replace("| name           = <!--", "| name           = Hinted <!--")
    result = wiki.api.call(post=True, action="parse", title="Partnerships/Hinted", text=text, prop="text|categories")
    parsed = result["parse"]
    required_empty = {"Partnership_pages_with_problems", "Partnership_pages_with_missing_required"}
    assert {c["category"] for c in parsed["categories"]} == required_empty
    assert "Hinted" in parsed["text"]
    assert "one of: Idea" not in parsed["text"] and "separate several" not in parsed["text"]
