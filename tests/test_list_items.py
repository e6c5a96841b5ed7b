"""Lists that respect markup (issue 20): separators of several characters and <br>, bullets, list
templates and HTML lists, and never a cut inside a link, template, ref, comment, nowiki or entity.

One splitting function (bots/core/records/items.py) serves validation, the list queries and the
scripts; the schema reads ``separators`` as strings and stops at start on one that cannot work;
the Lua module is given the same separators (its splitting is checked live, against the wiki:
tests/live/test_infobox_agreement_live.py).
"""

from __future__ import annotations

import shutil
import socket
from dataclasses import replace
from pathlib import Path
from textwrap import dedent, indent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.config import DEFAULT_CONFIG_DIR, onwiki_templates
from bots.core.links.fixes import Fix, apply_fixes
from bots.core.onwiki.infobox import environment, lua_module
from bots.core.onwiki.lua import module_data
from bots.core.records.fields import read_value
from bots.core.records.items import list_items, split_list
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import parse_page
from bots.core.records.schema import FieldSpec, Schema, schema_from
from bots.core.records.validate import validate_page
from bots.core.settings.yaml_doc import ConfigError, parse_yaml
from bots.exit_codes import BAD_OPTIONS
from tests.support import SCHEMA, infobox, run

LIST_TEMPLATES = ("Plainlist", "plain list", "unbulleted list", "ubl")
SEPARATORS = (";", ",", "<br>", " / ")


def items(value: str, separators: tuple[str, ...] | str = SEPARATORS) -> list[str]:
    return split_list(value, separators, LIST_TEMPLATES)


# --- separators of several characters, and <br> in every form ------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Kiwix<br>Orange<br />Wikimedia CH",
        "Kiwix<BR>Orange<br/>Wikimedia CH",
        "Kiwix <br  /> Orange</br>Wikimedia CH<br>",
        "Kiwix<Br >Orange\nWikimedia CH",
    ],
)
def test_a_line_break_tag_separates_items_however_it_is_written(value: str) -> None:
    assert items(value, ("<br>",)) == ["Kiwix", "Orange", "Wikimedia CH"]
    assert items(value, ("<br />",)) == ["Kiwix", "Orange", "Wikimedia CH"]


def test_without_br_among_the_separators_a_line_break_tag_stays_in_its_item() -> None:
    assert items("Kiwix<br>Orange; Wikimedia CH", (";",)) == ["Kiwix<br>Orange", "Wikimedia CH"]
    # the old one-string form is its characters: b and r are not cut out of <br>
    assert items("Kiwix<br>Orange", ";") == ["Kiwix<br>Orange"]


def test_a_separator_of_several_characters_is_one_separator() -> None:
    assert items("Kiwix / Orange/France / Wikimedia CH", (" / ",)) == ["Kiwix", "Orange/France", "Wikimedia CH"]
    assert items("a -- b - c", ("--", "-")) == ["a", "b", "c"]  # the longest first


# --- bullets, list templates and HTML lists ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\n* Kiwix\n* Orange\n", ["Kiwix", "Orange"]),
        ("\n# Kiwix\n#* Orange; France\n", ["Kiwix", "Orange", "France"]),
        ("{{plainlist|\n* Kiwix\n* [[Orange, France|Orange]]\n}}", ["Kiwix", "[[Orange, France|Orange]]"]),
        ("{{Plainlist|1=\n* Kiwix\n* Orange\n}}", ["Kiwix", "Orange"]),
        ("{{Plain_list|\n* Kiwix\n}}", ["Kiwix"]),
        ("{{unbulleted list|Kiwix|Orange|class=small}}", ["Kiwix", "Orange"]),
        (
            "{{ubl|Kiwix<ref>a; b</ref>|{{lang|fr|Orange; France}}}}",
            ["Kiwix<ref>a; b</ref>", "{{lang|fr|Orange; France}}"],
        ),
        ("Kiwix; {{ubl|Orange|Wikimedia CH}}", ["Kiwix", "Orange", "Wikimedia CH"]),
        ("{{ubl|{{plainlist|\n* a\n* b}}|c}}", ["a", "b", "c"]),
        ("<ul><li>Kiwix</li><li>Orange, France</li></ul>", ["Kiwix", "Orange", "France"]),
        ('<div class="plainlist">\n* Kiwix\n* Orange\n</div>', ["Kiwix", "Orange"]),
        ("Kiwix</ul>; Orange<li2>x</Div >y", ["Kiwix", "Orange<li2>x", "y"]),  # as the module reads stray tags
    ],
)
def test_bullets_list_templates_and_html_lists_are_lists(value: str, expected: list[str]) -> None:
    assert items(value) == expected


def test_a_template_the_schema_does_not_name_is_one_item() -> None:
    assert items("{{hlist|Kiwix|Orange}}; Wikimedia CH") == ["{{hlist|Kiwix|Orange}}", "Wikimedia CH"]
    assert split_list("{{ubl|Kiwix|Orange}}", ";") == ["{{ubl|Kiwix|Orange}}"]  # no list templates given


# --- never a cut inside markup ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "[[Museum of Islamic Art, Berlin|Islamic art]], Louvre",
            ["[[Museum of Islamic Art, Berlin|Islamic art]]", "Louvre"],
        ),
        ("Louvre<ref>Annual report; p. 4, 2010</ref>; Orsay", ["Louvre<ref>Annual report; p. 4, 2010</ref>", "Orsay"]),
        ('Louvre<ref name="a;b" />; Orsay', ['Louvre<ref name="a;b" />', "Orsay"]),
        ("Louvre<ref name=x/>, Orsay", ["Louvre<ref name=x/>", "Orsay"]),
        ("AT&amp;T; Procter &amp; Gamble", ["AT&amp;T", "Procter &amp; Gamble"]),
        ("a&#59;b; c", ["a&#59;b", "c"]),
        ("Louvre <!-- a; b<br>c -->; Orsay", ["Louvre", "Orsay"]),
        ("<nowiki>a; b<br>c</nowiki>; d", ["<nowiki>a; b<br>c</nowiki>", "d"]),
        ("{{lang|fr|a<br>b; c}}<br>d", ["{{lang|fr|a<br>b; c}}", "d"]),
        ("[https://example.org/a;b a, b<br>c] d; e", ["[https://example.org/a;b a, b<br>c] d", "e"]),
        ("<span title='a;b'>x, y</span>; z", ["<span title='a;b'>x, y</span>", "z"]),
    ],
)
def test_no_cut_inside_a_link_template_ref_comment_nowiki_or_entity(value: str, expected: list[str]) -> None:
    assert items(value) == expected


# --- hypothesis: nothing inside markup is cut, nothing but separators is lost ------------------

#: Markup that holds a separator without being one: each must come out whole, inside one item.
SEALED = (
    "[[A;B|c, d<br>e]]",
    "{{t|x;y|z, w}}",
    "<ref>p; q, r<br>s</ref>",
    '<ref name="r;s" />',
    "<nowiki>a;b, c</nowiki>",
    "&amp;",
    "&#59;",
    "[https://e.org/a;b a, b]",
)
WORDS = st.text(alphabet="abcXYZ", min_size=1, max_size=4)
ATOMS = st.one_of(
    WORDS.map(lambda word: ("word", word)),
    st.sampled_from(SEALED).map(lambda markup: ("sealed", markup)),
    st.sampled_from((*SEPARATORS, "\n", "<BR />", "<br/>")).map(lambda separator: ("separator", separator)),
    st.just(("space", " ")),
    st.just(("comment", "<!-- k; l -->")),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(ATOMS, max_size=14))
def test_splitting_never_cuts_markup_and_keeps_every_other_character(atoms: list[tuple[str, str]]) -> None:
    value = "".join(text for _, text in atoms)
    spans = [(item.start, item.end) for item in list_items(value, SEPARATORS, LIST_TEMPLATES)]
    position, groups, group = 0, 0, False
    for kind, text in atoms:
        start, end = position, position + len(text)
        position = end
        if kind in ("word", "sealed"):
            # whole, in exactly one item: never cut, never dropped
            assert [span for span in spans if span[0] <= start and end <= span[1]], (text, value, spans)
            group = True
        elif kind == "separator":
            assert not [span for span in spans if span[0] < end and start < span[1]], (text, value, spans)
            groups, group = groups + group, False
    assert len(spans) == groups + group, (value, spans)


# --- the schema: separators as strings, list templates; a separator that cannot work stops the start


def schema_of(fields: str, top: str = "") -> Schema:
    text = "template:\n  name: Museum\n" + top + "fields:\n" + indent(dedent(fields), "  ")
    return schema_from(parse_yaml(text, "museum.yaml"))


def test_separators_are_a_list_of_strings_or_the_old_string_of_characters() -> None:
    schema = schema_of(
        """\
          a: {type: text, multiple: true}
          b: {type: text, multiple: true, separators: ",;"}
          c: {type: text, multiple: true, separators: "<br>"}
          d: {type: text, multiple: true, separators: [";", "<br />", " / "]}
        """,
        "list_templates: [plainlist, ubl]\n",
    )
    assert [spec.separators for spec in schema.fields] == [(";",), (",", ";"), ("<br>",), (";", "<br />", " / ")]
    assert schema.field("d").list_templates == ("plainlist", "ubl")


@pytest.mark.parametrize(
    ("separators", "line", "where", "said"),
    [
        ('"|"', 4, "fields.members.separators", "'|' cannot separate list items: | is wikitext markup"),
        ('[";", "[["]', 4, "fields.members.separators.1", "'[[' cannot separate list items: [ is wikitext markup"),
        ('"; {"', 4, "fields.members.separators", "'{' cannot separate list items"),
        ('[";", "="]', 4, "fields.members.separators.1", "'=' cannot separate list items"),
        ('"; <br>"', 4, "fields.members.separators", "'<' cannot separate list items"),
        ('["<p>"]', 4, "fields.members.separators.0", "'<p>' cannot separate list items: < > is wikitext markup"),
        ('""', 4, "fields.members.separators", "'' cannot separate list items: an empty separator"),
        ('[";", ""]', 4, "fields.members.separators.1", "'' cannot separate list items: an empty separator"),
        ("[]", 4, "fields.members.separators", "the list is empty"),
    ],
)
def test_a_separator_that_cannot_work_is_an_error_naming_file_line_field_and_what_is_valid(
    separators: str, line: int, where: str, said: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        schema_of(f"  members:\n    type: text\n    multiple: true\n    separators: {separators}\n")
    message = str(caught.value)
    assert message.startswith(f"museum.yaml, line {line + 3}: {where}: "), message
    assert said in message and 'such as ";"' in message and '"<br>"' in message, message


def test_a_list_template_that_is_no_template_name_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"museum.yaml, line 5: list_templates.1: '\{\{ubl\}\}' is not a template"):
        schema_of("  a: {type: text}\n", "list_templates:\n  - plainlist\n  - '{{ubl}}'\n")


def test_the_projects_schema_reads_as_before() -> None:
    assert SCHEMA.field("partner").separators == (";",)
    assert SCHEMA.field("type").separators == (",", ";")
    assert SCHEMA.field("partner").list_templates == ()


# --- every user of the splitting: validation, the Lua module's data, the list queries ------------


LIST_SCHEMA = replace(
    SCHEMA,
    fields=tuple(
        replace(spec, separators=(";", "<br>"), list_templates=LIST_TEMPLATES) if spec.multiple else spec
        for spec in SCHEMA.fields
    ),
)


def test_validation_reads_br_and_list_templates_as_lists() -> None:
    text = infobox(
        partner="{{Plainlist|\n* Kiwix<ref>p. 4; 2010</ref>\n* [[Orange, France|Orange]]\n}}",
        related="Partnerships/A<br />[[Partnerships/B; C|B]]",
    )
    record, issues = validate_page("P", parse_page(PageSnapshot("P", text), LIST_SCHEMA.template_names), LIST_SCHEMA)
    assert issues == [] and record is not None
    assert record.items("partner") == ("Kiwix<ref>p. 4; 2010</ref>", "[[Orange, France|Orange]]")
    assert record.items("related") == ("Partnerships/A", "Partnerships/B; C")


@pytest.mark.parametrize(
    ("related", "after"),
    [
        ("{{ubl|[[P/A]]|[[P/B]]}}", "{{ubl|[[P/A]]|[[P/B]]|[[P/C]]}}"),
        ("{{plainlist|\n* [[P/A]]\n* [[P/B]]\n}}", "{{plainlist|\n* [[P/A]]\n* [[P/B]]\n* [[P/C]]\n}}"),
        ("[[P/A]]<br />[[P/B]]", "[[P/A]]<br />[[P/B]]<br />[[P/C]]"),
    ],
)
def test_crosslink_adds_an_item_as_the_list_is_written(related: str, after: str) -> None:
    done = apply_fixes(infobox(related=related), [Fix("P", "related", "add", "P/C")], LIST_SCHEMA, ["Partnership"])
    assert done is not None and f"| related = {after}\n" in done[0]


def test_a_choice_list_reads_each_item_of_a_list_template() -> None:
    spec: FieldSpec = replace(LIST_SCHEMA.field("type"), separators=(",", ";", "<br>"))
    assert read_value(spec, "{{ubl|content|tech}}<br>Outreach") == (("content", "technology", "outreach"), [])


def test_the_lua_module_gets_the_separators_longest_first_and_the_line_break_apart() -> None:
    spec = replace(SCHEMA.field("partner"), separators=(";", "<br />", " / ", ","))
    schema = replace(SCHEMA, fields=tuple(spec if f.name == "partner" else f for f in SCHEMA.fields))
    data = next(f for f in module_data(schema, {}, "T", None)["fields"] if f["name"] == "partner")
    assert (data["separators"], data["line_break"]) == ([" / ", ";", ","], True)
    old = next(f for f in module_data(SCHEMA, {}, "T", None)["fields"] if f["name"] == "type")
    assert (old["separators"], old["line_break"]) == ([",", ";"], False)
    assert "local function split(raw, field)" in lua_module(schema, environment(onwiki_templates()))


def test_a_list_query_never_cuts_a_filter_word_inside_a_link_or_template() -> None:
    spec = SCHEMA.field("type")
    wanted, problems = spec.kind.wanted(spec, "[[Content, sources|content]], tech; {{t|a,b}}", "type")
    assert wanted is not None and wanted.values == ("technology",)
    assert [p.message.split(" is not")[0] for p in problems] == [
        "“[[Content, sources|content]]”",
        "“{{t|a,b}}”",
    ]


def test_the_one_splitting_function_is_used_for_list_query_words() -> None:
    spec = SCHEMA.field("partner")
    wanted, problems = spec.kind.wanted(spec, "Kiwix; [[Orange; France]]", "partner")
    assert problems == [] and wanted is not None
    assert wanted.values == ("kiwix", "[[orange; france]]")


def test_a_separator_that_cannot_work_stops_the_bot_at_start_with_exit_2(
    watched_wiki: Path, listener: socket.socket, tmp_path: Path
) -> None:
    folder = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, folder)
    schema = folder / "schema.yaml"
    text = schema.read_text(encoding="utf-8")
    line = text[: text.index('separators: ";"')].count("\n") + 1
    schema.write_text(text.replace('separators: ";"', 'separators: [";", "|"]', 1), encoding="utf-8")
    code, lines = run(watched_wiki, "bots.update", f"-settings:{folder}", "-always")
    assert code == BAD_OPTIONS, lines
    assert len(lines) == 1 and f"schema.yaml, line {line}: fields.partner.separators.1: '|' cannot" in lines[0], lines
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected to the wiki
