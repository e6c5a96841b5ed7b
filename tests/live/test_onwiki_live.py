"""The on-wiki pages generated from the schema, on the seeded local wiki.

The wiki is seeded with the generated pages (scripts/devwiki.py uses the same
generator), so installing them changes nothing until someone edits one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bots.config import load_config, onwiki_templates
from bots.core.onwiki.infobox import onwiki_pages, tracking_category
from bots.core.onwiki.lua import problem_codes
from scripts.devwiki import PROJECT_DIR
from tests.live.conftest import LiveWiki, output
from tests.seedpages import has_infobox

SCHEMA = load_config().schema
PAGES = onwiki_pages(SCHEMA, onwiki_templates())
TEMPLATE = f"Template:{SCHEMA.template}"
TRACKING = tracking_category(SCHEMA).name.replace(" ", "_")
#: Problems the (Lua) infobox itself can see: every one a page alone can have (the rest needs the bot).
TRACKED = set(problem_codes(SCHEMA)) - {"duplicate-parameter"}


def revids(wiki: LiveWiki) -> dict[str, int]:
    return {title: wiki.api.revid(title) for title in PAGES}


def install(wiki: LiveWiki, *args: str) -> str:
    result = wiki.run("scripts.install_templates", *args)
    text = output(result)
    assert result.returncode == 0, text
    return text


def parse_text(wiki: LiveWiki, title: str, text: str) -> dict[str, Any]:
    result = wiki.api.call(post=True, action="parse", title=title, text=text, prop="text|categories")
    parsed: dict[str, Any] = result["parse"]
    return parsed


def categories(parsed: dict[str, Any]) -> set[str]:
    return {c["category"] for c in parsed["categories"]}


def test_templatedata_lists_every_field(wiki: LiveWiki) -> None:
    result = wiki.api.call(action="templatedata", titles=TEMPLATE)
    (data,) = result["pages"].values()
    assert list(data["params"]) == [spec.name for spec in SCHEMA.fields]
    assert data["paramOrder"] == [spec.name for spec in SCHEMA.fields]
    for spec in SCHEMA.fields:
        param = data["params"][spec.name]
        assert param["required"] is spec.required
        assert param["aliases"] == list(spec.aliases)
        assert param["label"] == {"en": spec.label}


def test_a_valid_page_shows_its_values_and_is_not_tracked(wiki: LiveWiki) -> None:
    parsed = wiki.api.parse("Partnerships/PediaPress books")
    html = parsed["text"]
    assert 'class="infobox"' in html
    for shown in (
        "PediaPress",
        "Active",
        "The Wikimedia Foundation",
        "Technology infrastructure",
        "Revenue",
        "Best-case model",
    ):
        assert shown in html
    assert ">ongoing<" not in html
    assert categories(parsed) == {"Partnership_pages_with_lead_foundation", "Partnership_pages_with_status_active"}


@pytest.mark.parametrize("title", ["Partnerships/Example: Unknown status", "Partnerships/Example: Empty status"])
def test_an_invalid_page_is_in_the_tracking_category(wiki: LiveWiki, title: str) -> None:
    assert TRACKING in categories(wiki.api.parse(title))


def test_the_tracking_category_holds_what_the_infobox_can_see(wiki: LiveWiki, seed: list[dict[str, Any]]) -> None:
    """Every seeded page, as seeded: tracked exactly when it has a problem the infobox can see."""
    for page in seed:
        if not has_infobox(page["text"]):
            continue
        visible = any(e["code"] in TRACKED for e in page["expect"])
        tracked = TRACKING in categories(parse_text(wiki, page["title"], page["text"]))
        assert tracked == visible, f"{page['title']}: tracked {tracked}, expected {visible} ({page['expect']})"


def test_the_infobox_adds_no_category_outside_the_main_namespace(wiki: LiveWiki) -> None:
    parsed = parse_text(wiki, "User:Someone/Draft", "{{Partnership|status=paused|lead=chapter}}")
    assert categories(parsed) == set()
    assert "paused" in parsed["text"]


def test_installing_on_the_seeded_wiki_changes_nothing(wiki: LiveWiki) -> None:
    before = revids(wiki)
    assert all(before.values())
    text = install(wiki, "-always")
    assert revids(wiki) == before
    assert f"0 saved, {len(PAGES)} unchanged" in text


def test_install_restores_edited_pages_once_and_simulate_saves_nothing(
    wiki: LiveWiki, restore: Callable[[str], str]
) -> None:
    edited = [f"{TEMPLATE}/doc", TEMPLATE, f"Category:{tracking_category(SCHEMA).name}"]
    for title in edited:
        restore(title)  # the infobox itself: every later test needs it whole, even if this one fails
        wiki.api.edit(title, "Changed by hand.")
    before = revids(wiki)
    text = install(wiki, "-simulate", "-always")
    assert revids(wiki) == before
    assert "Changed by hand." in text and "3 would be saved" in text
    text = install(wiki, "-always")
    after = revids(wiki)
    assert {t for t in PAGES if after[t] != before[t]} == set(edited)
    assert "3 saved" in text
    for title in edited:
        assert wiki.api.text(title) == PAGES[title]
    # Saved through the API (pre-save transform, TemplateData's check): stable, and still valid.
    text = install(wiki, "-always")
    assert revids(wiki) == after
    assert f"0 saved, {len(PAGES)} unchanged" in text
    (data,) = wiki.api.call(action="templatedata", titles=TEMPLATE)["pages"].values()
    assert data["paramOrder"] == [s.name for s in SCHEMA.fields]


FESTIVAL_SCHEMA = """
template:
  name: Festival
  aliases: [Infobox festival]
fields:
  title: {label: Title, type: text, required: true, example: Wikimania}
  city: {label: City, type: text, aliases: [town], example: Haifa}
  kind:
    label: Kind
    type: choice
    values:
      music: {label: Music, synonyms: [concert]}
      film: {label: Film}
  site: {label: Main page, type: page}
"""


def test_another_schema_installs_its_own_infobox(wiki: LiveWiki, tmp_path: Path) -> None:
    (tmp_path / "schema.yaml").write_text(FESTIVAL_SCHEMA, encoding="utf-8")
    pages = (PROJECT_DIR / "config" / "pages.yaml").read_text(encoding="utf-8")
    # The festival schema has no fields for cross-linking: its roles are switched off explicitly.
    fields = "\n".join(f"    {role}: {role}" for role in ("related", "recommendation", "partner", "type"))
    assert fields in pages
    pages = pages.replace(fields, fields.replace(": ", ": null  # "))
    # and its generated pages are the generic ones (the project's name partnership fields, which the bots
    # refuse at start for a schema without them)
    start, end = pages.index("\ngenerated:\n"), pages.index("\ncrosslink:\n")
    generated = "\ngenerated:\n  index:\n    title: /Festivals\n    template: records.wikitext\n"
    pages = pages[:start] + generated + pages[end:]
    (tmp_path / "pages.yaml").write_text(pages, encoding="utf-8")
    text = install(wiki, "-always", f"-settings:{tmp_path}")
    # the infobox, /doc, /preload, /blank (VisualEditor's), one redirect, two categories by kind,
    # the tracking category, and the list templates (list, end, /doc)
    assert "11 saved, 0 unchanged" in text
    text = install(wiki, "-always", f"-settings:{tmp_path}")
    assert "0 saved, 11 unchanged" in text
    (data,) = wiki.api.call(action="templatedata", titles="Template:Festival")["pages"].values()
    assert data["paramOrder"] == ["title", "city", "kind", "site"]
    box = "{{Infobox festival|title=Wikimania|town=Haifa|kind=Concert|site=Main Page}}"
    parsed = parse_text(wiki, "Wikimania 2011", box)
    assert "Haifa" in parsed["text"] and "Music" in parsed["text"] and 'title="Main Page"' in parsed["text"]
    assert categories(parsed) == {"Festival_pages_with_kind_music"}
    assert categories(parse_text(wiki, "Untitled", "{{Festival|kind=opera}}")) == {"Festival_pages_with_problems"}
