"""TemplateData for VisualEditor, the values the records use offered in it, and the preload's hints."""

from __future__ import annotations

import json

from bots.config import load_config, onwiki_templates
from bots.core.onwiki.infobox import onwiki_pages
from bots.core.onwiki.templatedata import (
    USED_VALUES_LIMIT,
    carried_used_values,
    preload_hint,
    templatedata,
    used_in_doc,
    used_values,
    with_used_values,
)
from bots.core.pipeline import check_page
from bots.core.records.fields import match_choice
from bots.core.records.model import PageSnapshot, Partnership

SCHEMA = load_config().schema
PAGES = onwiki_pages(SCHEMA, onwiki_templates())
DOC = PAGES["Template:Partnership/doc"]
PRELOAD = PAGES["Template:Partnership/preload"].split("<noinclude>")[0]
VOLUNTEERS_TEXT = "\n== Notes ==\nA volunteer's note, ~~~~ left as it was.\n"


def record(title: str, *partners: str, chapter: str = "") -> Partnership:
    values: dict[str, str | tuple[str, ...]] = {"partner": partners}
    if chapter:
        values["chapter"] = chapter
    return Partnership(title=title, values=values)  # type: ignore[arg-type]


def block(text: str) -> dict:  # type: ignore[type-arg]
    body = text.split("<templatedata>", 1)[1].split("</templatedata>", 1)[0]
    data: dict = json.loads(body)  # type: ignore[type-arg]
    return data


# --- the dialog's fields -----------------------------------------------------------------


def test_choices_are_offered_by_label_and_every_label_is_a_value_the_bot_accepts() -> None:
    params = templatedata(SCHEMA)["params"]
    for spec in SCHEMA.fields:
        if spec.kind.has_choices:
            assert params[spec.name]["suggestedvalues"] == [c.label for c in spec.choices]
            for choice in spec.choices:
                assert match_choice(spec, choice.label) == choice.name


def test_list_fields_are_text_whose_description_says_the_separator() -> None:
    params = templatedata(SCHEMA)["params"]
    for name in ("type", "partner", "recommendation", "related"):
        assert params[name]["type"] == "string"
    assert params["type"]["description"].endswith("Several values: separate them with , or ; or new lines.")
    assert params["partner"]["description"].endswith("Several values: separate them with ; or new lines.")
    assert params["start"]["type"] == "date"  # a single value keeps its own input


def test_used_values_are_offered_only_on_fields_that_ask_for_them() -> None:
    data = templatedata(SCHEMA, {"partner": ["Kiwix", "Orange"], "chapter": ["Wikimedia CH"], "name": ["X"]})
    assert data["params"]["partner"]["suggestedvalues"] == ["Kiwix", "Orange"]
    assert data["params"]["chapter"]["suggestedvalues"] == ["Wikimedia CH"]
    assert "suggestedvalues" not in data["params"]["name"]
    assert "suggestedvalues" not in templatedata(SCHEMA)["params"]["partner"]


def test_used_values_are_the_most_used_in_alphabetical_order_one_spelling_each() -> None:
    records = [
        record("P/1", "Orange", "Kiwix"),
        record("P/2", "orange", "Mozilla", chapter="Wikimedia CH"),
        record("P/3", "Orange", "zeta"),
        record("P/4", "Kiwix", " ", chapter="Wikimedia CH"),
    ]
    used = used_values(records, SCHEMA)
    assert used == {"partner": ("Kiwix", "Mozilla", "Orange", "zeta"), "chapter": ("Wikimedia CH",)}
    assert used_values(records, SCHEMA, limit=2)["partner"] == ("Kiwix", "Orange")


def test_used_values_are_capped() -> None:
    records = [record(f"P/{i}", f"Partner {i:04d}", "Common") for i in range(USED_VALUES_LIMIT + 50)]
    partners = used_values(records, SCHEMA)["partner"]
    assert len(partners) == USED_VALUES_LIMIT
    assert "Common" in partners


# --- the /doc page's block -----------------------------------------------------------------


def test_with_used_values_changes_only_the_templatedata_block() -> None:
    doc = DOC + VOLUNTEERS_TEXT
    new = with_used_values(doc, SCHEMA, {"partner": ["Kiwix", "Orange ~~~~ </templatedata>"]})
    before, after = doc.split("<templatedata>")[0], doc.split("</templatedata>")[1]
    assert new.startswith(before) and new.endswith(after)
    assert block(new)["params"]["partner"]["suggestedvalues"] == ["Kiwix", "Orange ~~~~ </templatedata>"]
    assert "~~~~" not in new.split("<templatedata>")[1].split("</templatedata>")[0]
    assert block(new)["params"]["status"] == block(doc)["params"]["status"]
    assert used_in_doc(new, SCHEMA) == {"partner": ("Kiwix", "Orange ~~~~ </templatedata>")}


def test_with_used_values_leaves_the_page_as_it_is_when_nothing_changes() -> None:
    once = with_used_values(DOC, SCHEMA, {"partner": ["Kiwix"]})
    assert with_used_values(once, SCHEMA, {"partner": ["Kiwix"]}) is once
    assert with_used_values(DOC, SCHEMA, {}) is DOC
    assert with_used_values(once, SCHEMA, {}) == DOC


def test_with_used_values_never_rewrites_what_it_cannot_read() -> None:
    for text in ("No block here.", "<templatedata>{not json</templatedata>", "<templatedata>[1]</templatedata>"):
        assert with_used_values(text, SCHEMA, {"partner": ["Kiwix"]}) == text


def test_an_install_keeps_the_used_values_the_wiki_offers() -> None:
    on_wiki = with_used_values(DOC, SCHEMA, {"partner": ["Kiwix"], "chapter": ["Wikimedia CH"]})
    assert carried_used_values(on_wiki, DOC, SCHEMA) == on_wiki
    assert carried_used_values("", DOC, SCHEMA) == DOC


# --- the preload ---------------------------------------------------------------------------


def test_the_preload_says_what_each_field_needs() -> None:
    lines = {line.split("=")[0].strip("| "): line for line in PRELOAD.splitlines() if line.startswith("|")}
    assert lines["status"].endswith(
        "= <!-- required; one of: Idea, Proposed, Negotiating, Active, Completed, Ended, Declined -->"
    )
    assert lines["chapter"].endswith("= <!-- required when lead is chapter -->")
    assert lines["partner"].endswith("= <!-- required; separate several with ; or new lines -->")
    assert "one or more of: Content sources, " in lines["type"]
    assert lines["best_practice"].endswith("= <!-- one of: yes, no -->")
    assert lines["lessons"].endswith("=")
    for spec in SCHEMA.fields:
        assert preload_hint(spec) in lines[spec.name]


def test_a_field_with_only_its_comment_is_empty_for_the_bot() -> None:
    """The blank preload: only the required fields are reported, as missing; no comment is read as a value."""
    record_, issues = check_page(PageSnapshot("Partnerships/New", PRELOAD), SCHEMA, [SCHEMA.template])
    assert record_ is not None and record_.values == {}
    assert {(i.field, i.code) for i in issues} == {
        (spec.name, "missing-required") for spec in SCHEMA.fields if spec.required
    }
    filled = PRELOAD.replace("| name           = <!--", "| name           = New <!--")
    _, issues = check_page(PageSnapshot("Partnerships/New", filled), SCHEMA, [SCHEMA.template])
    assert "name" not in {i.field for i in issues}


def test_values_with_markup_are_never_offered() -> None:
    hostile = ["[[Category:Injected]] Ltd", "{{Delete}}", "Sign ~~~~", "<b>Bold</b>", "A|B", "__NOTOC__", "x" * 101]
    records = [record(f"P/{i}", value, "AT&T") for i, value in enumerate(hostile)]
    assert used_values(records, SCHEMA)["partner"] == ("AT&T",)
