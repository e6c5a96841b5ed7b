"""The on-wiki pages generated from the schema: TemplateData, infobox, documentation, preload."""

from __future__ import annotations

import dataclasses
import json
import re

import mwparserfromhell
import pytest

from bots.config import load_config, onwiki_templates
from bots.core.onwiki.infobox import OnwikiError, onwiki_pages, partners_of, tracking_category, value_categories
from bots.core.onwiki.templatedata import NO_WORDS, YES_WORDS, templatedata
from bots.core.records.fields import NO, YES, match_choice
from bots.core.records.schema import Schema, schema_from
from bots.core.settings.yaml_doc import parse_yaml
from scripts.devwiki import seed_pages

#: The ParserFunctions infobox (config/ chooses the Lua one: tests/test_lua.py).
SCHEMA = dataclasses.replace(load_config().schema, engine="parserfunctions")
PAGES = onwiki_pages(SCHEMA, onwiki_templates())
INFOBOX = PAGES[f"Template:{SCHEMA.template}"]
DOC = PAGES[f"Template:{SCHEMA.template}/doc"]

FESTIVAL_YAML = """
template:
  name: Festival
  aliases: [Infobox festival]
fields:
  title:
    label: Title
    type: text
    required: true
    example: Wikimania
  city:
    label: City
    type: text
    aliases: [town]
    description: Where it takes place.
    example: Haifa
  year:
    label: Year
    type: date
    required: true
    example: "2011"
"""


def schema_of(text: str) -> Schema:
    return schema_from(parse_yaml(text, "inline.yaml"))


FESTIVAL = schema_of(FESTIVAL_YAML)


def arguments(wikitext: str) -> set[str]:
    """The names of every {{{parameter}}} the wikitext reads."""
    code = mwparserfromhell.parse(wikitext)
    return {str(arg.name).strip() for arg in code.filter_arguments(recursive=True)}


def switch_words(wikitext: str, parameter: str) -> dict[str, set[str]]:
    """Result -> the case words of every {{#switch:{{lc:{{{parameter|}}}}}|...}} in the wikitext."""
    code = mwparserfromhell.parse(wikitext)
    found: dict[str, set[str]] = {}
    for template in code.filter_templates(recursive=True):
        if not str(template.name).startswith(f"#switch:{{{{lc:{{{{{{{parameter}|"):
            continue
        pending: list[str] = []
        for param in template.params:
            if not param.showkey:
                pending.append(str(param.value).strip())
                continue
            found.setdefault(str(param.value).strip(), set()).update([*pending, str(param.name).strip()])
            pending = []
    return found


# --- TemplateData ----------------------------------------------------------------------


def test_templatedata_has_every_field_in_schema_order_and_its_aliases() -> None:
    data = templatedata(SCHEMA)
    assert list(data["params"]) == [spec.name for spec in SCHEMA.fields]
    assert data["paramOrder"] == [spec.name for spec in SCHEMA.fields]
    assert data["format"] == "block"
    assert data["description"]
    for spec in SCHEMA.fields:
        param = data["params"][spec.name]
        assert param["label"] == spec.label
        list_sentence = " Several values: separate them with " if spec.multiple else ""
        assert param["description"].startswith(spec.description + list_sentence)
        assert param.get("aliases", []) == list(spec.aliases)
        assert param.get("example", "") == spec.example


def test_templatedata_required_and_suggested_follow_the_schema() -> None:
    params = templatedata(SCHEMA)["params"]
    assert {n for n, p in params.items() if p.get("required")} == {"name", "partner", "type", "lead", "status"}
    for spec in SCHEMA.fields:
        assert params[spec.name].get("required", False) is spec.required
        assert params[spec.name].get("suggested", False) is (spec.required_if is not None)
    assert params["chapter"]["suggested"] is True


def test_templatedata_types() -> None:
    params = templatedata(SCHEMA)["params"]
    assert params["name"]["type"] == "string"
    assert params["partner"]["type"] == "string"
    assert params["description"]["type"] == "content"
    assert params["lessons"]["type"] == "content"
    assert params["start"]["type"] == "date"
    assert params["website"]["type"] == "url"
    # a list is text: VisualEditor's page-name input takes one title
    assert params["related"]["type"] == "string"
    assert params["status"]["type"] == "string"
    # choices as volunteers write them: by label (which the bot and the infobox accept), not by code
    assert params["status"]["suggestedvalues"] == [c.label for c in SCHEMA.field("status").choices]
    assert params["type"]["suggestedvalues"] == [c.label for c in SCHEMA.field("type").choices]
    assert "In-kind" in params["type"]["suggestedvalues"]
    assert params["lead"]["suggestedvalues"][2] == "The Wikimedia Foundation"
    assert params["best_practice"] == {**params["best_practice"], "type": "string", "suggestedvalues": ["yes", "no"]}


def test_doc_carries_the_templatedata_as_json() -> None:
    match = re.search(r"<templatedata>\n(.*?)\n</templatedata>", DOC, re.S)
    assert match
    assert json.loads(match.group(1)) == templatedata(SCHEMA)


def test_templatedata_json_cannot_sign_or_close_its_tag() -> None:
    schema = schema_of(FESTIVAL_YAML.replace("Where it takes place.", "Sign ~~~~ here </templatedata>"))
    doc = onwiki_pages(schema, onwiki_templates())["Template:Festival/doc"]
    body = doc.split("<templatedata>", 1)[1].split("</templatedata>", 1)[0]
    assert "~" not in body and "<" not in body
    assert json.loads(body)["params"]["city"]["description"] == "Sign ~~~~ here </templatedata>"


# --- the infobox -----------------------------------------------------------------------


def test_infobox_parses_and_reads_every_parameter_and_alias() -> None:
    code = mwparserfromhell.parse(INFOBOX)
    assert str(code) == INFOBOX
    assert arguments(INFOBOX) == set(SCHEMA.parameter_names)


def test_infobox_reads_each_field_by_its_name_then_its_aliases() -> None:
    assert "{{{partner|{{{partners|{{{organisation|{{{organization|}}}}}}}}}}}}" in INFOBOX
    assert "{{{type|{{{types|}}}}}}" in INFOBOX


def test_infobox_shows_every_label_in_schema_order() -> None:
    positions = [INFOBOX.index(f"{{{{!}}}} {spec.label}\n") for spec in SCHEMA.fields[1:]]
    assert positions == sorted(positions)
    assert "{{#if:{{{name|}}}|{{{name|}}}|{{PAGENAME}}}}" in INFOBOX


@pytest.mark.parametrize("field", ["lead", "status"])
def test_single_choices_show_their_label_for_every_word_the_validator_accepts(field: str) -> None:
    spec = SCHEMA.field(field)
    shown = switch_words(INFOBOX, field)
    for choice in spec.choices:
        words = shown[choice.label]
        assert {choice.name, choice.label.lower(), *(s.lower() for s in choice.synonyms)} <= words
        assert all(match_choice(spec, word) == choice.name for word in words)
    assert shown[f"{{{{{{{field}|}}}}}}"] == {"#default"}


def test_yes_no_words_match_the_validator() -> None:
    assert set(YES_WORDS) == YES and set(NO_WORDS) == NO
    shown = switch_words(INFOBOX, "critical")
    assert shown["Yes"] == YES and shown["No"] == NO


def test_multiple_values_are_shown_as_written() -> None:
    assert "{{!}} {{{type|{{{types|}}}}}}}}" in INFOBOX
    assert "[[:{{{related" not in INFOBOX
    assert "{{!}} {{{related|}}}}}" in INFOBOX


def test_categories_by_value_and_tracking_only_in_the_main_namespace() -> None:
    code = mwparserfromhell.parse(INFOBOX)
    gate = [t for t in code.filter_templates() if str(t.name).startswith("#ifeq:{{NAMESPACE}}")]
    assert len(gate) == 1
    inside = {str(link.title) for link in mwparserfromhell.parse(str(gate[0])).filter_wikilinks()}
    everywhere = {str(link.title) for link in code.filter_wikilinks() if str(link.title).startswith("Category:")}
    assert everywhere == inside
    expected = {f"Category:{c.name}" for c in [*value_categories(SCHEMA), tracking_category(SCHEMA)]}
    assert everywhere == expected
    assert "Category:Partnership pages with lead volunteers" in everywhere
    assert "Category:Partnership pages with status active" in everywhere
    assert "Category:Partnership pages with problems" in everywhere


def test_tracking_checks_required_fields_choices_yes_no_and_chapter_when_lead_is_chapter() -> None:
    tracking = INFOBOX.split("{{#if:{{#if:{{{name|}}}||x}}", 1)[1]
    for name in ("partner|{{{partners", "type|{{{types", "lead", "status"):
        assert f"{{{{#if:{{{{{{{name}|" in tracking
    assert "{{#switch:{{lc:{{{lead|}}}}}|chapter|a chapter" in tracking
    assert "={{#if:{{{chapter|}}}||x}}}}" in tracking
    assert "{{#if:{{{critical|}}}|{{#switch:{{lc:{{{critical|}}}}}|" in tracking
    assert tracking.count("|#default=x}}") == 4


def test_infobox_transcludes_its_documentation() -> None:
    assert INFOBOX.endswith("<noinclude>\n{{/doc}}\n</noinclude>")


# --- the other pages -------------------------------------------------------------------


def test_pages_generated_for_the_schema() -> None:
    assert list(PAGES)[:3] == ["Template:Partnership/doc", "Template:Partnership", "Template:Partnership/preload"]
    for alias in SCHEMA.template_aliases:
        assert PAGES[f"Template:{alias}"] == "#REDIRECT [[Template:Partnership]]"
    for category in [*value_categories(SCHEMA), tracking_category(SCHEMA)]:
        assert f"Category:{category.name}" in PAGES
    assert "__HIDDENCAT__" in PAGES["Category:Partnership pages with problems"]


def test_pages_are_stored_as_written() -> None:
    """MediaWiki trims trailing white space and expands signatures when a page is saved."""
    for title, text in PAGES.items():
        assert text == text.strip(), title
        assert "~~~" not in text and "\r" not in text, title
        assert all(line == line.rstrip() for line in text.split("\n")), title


def test_doc_documents_every_parameter_alias_and_value() -> None:
    for spec in SCHEMA.fields:
        assert f"<code>{spec.name.replace('_', '&#95;')}</code>" in DOC
        assert spec.label in DOC
        for alias in spec.aliases:
            assert f"<code>{alias}</code>" in DOC
        for choice in spec.choices:
            assert f"<code>{choice.name}</code> ({choice.label})" in DOC
            for synonym in choice.synonyms:
                assert synonym in DOC
    assert "when <code>lead</code> is <code>chapter</code>" in DOC


def test_doc_blank_and_example_infoboxes() -> None:
    blank, example = re.findall(r"<pre>\n(.*?)\n</pre>", DOC, re.S)
    for text in (blank, example, PAGES["Template:Partnership/preload"].split("<noinclude>")[0]):
        box = mwparserfromhell.parse(text).filter_templates()[0]
        assert str(box.name).strip() == "Partnership"
        names = [str(p.name).strip() for p in box.params]
        if text is example:
            assert names == [s.name for s in SCHEMA.fields if s.example]
            assert str(box.get("status").value).strip() == SCHEMA.field("status").example
        else:
            assert names == [s.name for s in SCHEMA.fields]
    rendered = DOC.split("</pre>\ngives:\n", 1)[1]
    box = mwparserfromhell.parse(rendered).filter_templates()[0]
    assert str(box.get("website").value).strip() == "https://www.kiwix.org/"


# --- another schema, no code change ----------------------------------------------------


def test_another_schema_gets_its_own_templatedata_and_infobox() -> None:
    data = templatedata(FESTIVAL)
    assert data["paramOrder"] == ["title", "city", "year"]
    assert data["params"]["city"]["aliases"] == ["town"]
    assert data["params"]["year"] == {**data["params"]["year"], "type": "date", "required": True}
    pages = onwiki_pages(FESTIVAL, onwiki_templates())
    assert set(pages) == {
        "Template:Festival/doc",
        "Template:Festival",
        "Template:Festival/preload",
        "Template:Festival/blank",
        "Template:Infobox festival",
        "Category:Festival pages with problems",
        "Template:Festival list/doc",
        "Template:Festival list",
        "Template:Festival list end",
    }
    infobox = pages["Template:Festival"]
    assert arguments(infobox) == {"title", "city", "town", "year"}
    assert "artnership" not in infobox
    for name in set(SCHEMA.parameter_names) - {"title", "city", "town", "year"}:
        assert f"{{{{{{{name}|" not in infobox
    assert "[[Category:Festival pages with problems]]" in infobox
    assert "artnership" not in pages["Template:Festival/doc"]


def test_a_name_that_would_break_the_infobox_is_refused() -> None:
    bad = FESTIVAL_YAML.replace("aliases: [town]", "aliases: [town|village]")
    with pytest.raises(OnwikiError, match=re.escape("town|village")):
        onwiki_pages(schema_of(bad), onwiki_templates())


def test_the_local_wiki_is_seeded_with_the_generated_pages() -> None:
    seeded = dict(seed_pages())
    config = load_config()
    for title, text in onwiki_pages(config.schema, onwiki_templates(), partners_of(config.pages)).items():
        assert seeded[title] == text


def test_the_visualeditor_preload_is_the_source_preload_without_its_hints() -> None:
    source = PAGES["Template:Partnership/preload"].split("<noinclude>")[0]
    visual = PAGES["Template:Partnership/blank"].split("<noinclude>")[0]
    assert "<!--" in source and "<!--" not in visual
    assert [line.split("=")[0] for line in visual.splitlines()] == [line.split("=")[0] for line in source.splitlines()]
