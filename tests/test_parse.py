"""bots.core.records.parse: wikitext -> infoboxes, as MediaWiki would see them."""

from __future__ import annotations

import mwparserfromhell
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.core.records.model import PageSnapshot, Parameter
from bots.core.records.parse import ParsedPage, parse_page

NAMES = ("Partnership", "Partnership infobox", "Infobox partnership")


def parse(text: str, names: tuple[str, ...] = NAMES) -> ParsedPage:
    return parse_page(PageSnapshot(title="Partnerships/Example", text=text), names)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{{Partnership|name=A}}", id="canonical"),
        pytest.param("{{partnership|name=A}}", id="first-letter-lower-case"),
        pytest.param("{{ Partnership\n| name = A\n}}", id="spaced"),
        pytest.param("{{Template:Partnership|name=A}}", id="template-prefix"),
        pytest.param("{{template:Partnership|name=A}}", id="template-prefix-lower-case"),
        pytest.param("{{Template:partnership|name=A}}", id="template-prefix-name-lower-case"),
        pytest.param("{{TEMPLATE:Infobox partnership|name=A}}", id="template-prefix-upper-case-alias"),
        pytest.param("{{template:partnership|name=A}}", id="template-prefix-and-name-lower-case"),
        pytest.param("{{Infobox partnership|name=A}}", id="alias"),
        pytest.param("{{infobox_partnership|name=A}}", id="alias-underscore-lower-case"),
        pytest.param("{{Partnership infobox|name=A}}", id="other-alias"),
        pytest.param("Intro.\n{{Quote box|quote={{Partnership|name=A}}}}\nOutro.", id="nested-in-template"),
    ],
)
def test_finds_the_infobox_under_every_name(text: str) -> None:
    parsed = parse(text)
    assert len(parsed.infoboxes) == 1
    box = parsed.infoboxes[0]
    assert box.title == "Partnerships/Example"
    assert box.params == (Parameter("name", "A"),)
    assert parsed.ignored == ()


@pytest.mark.parametrize(
    "text",
    [
        "{{Partnerships|name=A}}",
        "{{Partner|name=A}}",
        "{{Infobox company|name=A}}",
        "{{PARTNERSHIP|name=A}}",
        "{{User:Partnership|name=A}}",
        "[[Partnership]] and Partnership, but no template",
        "{{{Partnership|A}}}",
    ],
)
def test_ignores_other_templates(text: str) -> None:
    assert parse(text) == ParsedPage(infoboxes=())


def test_template_name_is_kept_as_written() -> None:
    parsed = parse("{{ infobox_partnership <!-- old name -->\n|name=A}}")
    assert parsed.infoboxes[0].template == "infobox_partnership"


def test_every_infobox_on_a_page_in_page_order() -> None:
    parsed = parse("{{Partnership|name=First}}\ntext\n{{Foo|{{Infobox partnership|name=Second}}}}{{Bar}}")
    assert [box.params[0].value for box in parsed.infoboxes] == ["First", "Second"]


def test_parameters_in_page_order_with_duplicates_kept() -> None:
    text = "{{Partnership\n| status = idea\n| name = A\n| type = content\n| status = active\n| partners = B\n}}"
    (box,) = parse(text).infoboxes
    assert box.params == (
        Parameter("status", "idea"),
        Parameter("name", "A"),
        Parameter("type", "content"),
        Parameter("status", "active"),
        Parameter("partners", "B"),
    )


def test_values_have_comments_stripped_and_whitespace_trimmed() -> None:
    text = (
        "{{Partnership\n"
        "|   name   =   Spaced out   \n"
        "| partner <!-- the organisation --> = Kiwix <!-- and others? --> \n"
        "| type = <!-- pick one --> \n"
        "| description = Line one\n  line two <!-- multi\nline --> end\n"
        "}}"
    )
    (box,) = parse(text).infoboxes
    assert box.params == (
        Parameter("name", "Spaced out"),
        Parameter("partner", "Kiwix"),
        Parameter("type", ""),
        Parameter("description", "Line one\n  line two  end"),
    )


def test_values_keep_markup_other_than_comments() -> None:
    (box,) = parse("{{Partnership|partner=Pipe {{!}} Partner; [[Kiwix|the Kiwix project]]|a=b=c}}").infoboxes
    assert box.params == (
        Parameter("partner", "Pipe {{!}} Partner; [[Kiwix|the Kiwix project]]"),
        Parameter("a", "b=c"),
    )


def test_positional_parameters_are_flagged_and_numbered() -> None:
    (box,) = parse("{{Partnership| name = A | Kiwix |1=explicit| Orange \n}}").infoboxes
    assert box.params == (
        Parameter("name", "A"),
        Parameter("1", "Kiwix", positional=True),
        Parameter("1", "explicit"),
        Parameter("2", "Orange", positional=True),
    )


def test_infobox_in_a_comment_is_reported_not_read() -> None:
    parsed = parse("<!-- {{Partnership|name=Old}} -->\nText.")
    assert parsed == ParsedPage(infoboxes=(), ignored=("comment",))


def test_infobox_in_nowiki_is_reported_not_read() -> None:
    parsed = parse("Write <nowiki>{{partnership|name=Example}}</nowiki> on your page.")
    assert parsed == ParsedPage(infoboxes=(), ignored=("nowiki",))


def test_nowiki_tag_name_is_case_insensitive() -> None:
    assert parse("<NoWiki>{{Partnership}}</NoWiki>").ignored == ("nowiki",)


def test_hidden_infoboxes_alongside_a_real_one() -> None:
    text = (
        "{{Partnership|name=Real}}\n"
        "<!-- {{Partnership|name=Draft}} -->\n"
        "{{Foo|x=<!-- {{Infobox partnership|name=Hidden in a parameter}} -->}}\n"
        "<nowiki>{{Template:Partnership|name=Example}}</nowiki>\n"
    )
    parsed = parse(text)
    assert [box.params for box in parsed.infoboxes] == [(Parameter("name", "Real"),)]
    assert sorted(parsed.ignored) == ["comment", "comment", "nowiki"]


def test_other_templates_in_comments_and_nowiki_are_not_reported() -> None:
    parsed = parse("<!-- {{Foo}} --><nowiki>{{Bar|Partnership}}</nowiki> Partnership")
    assert parsed == ParsedPage(infoboxes=())


def test_parsing_does_not_depend_on_the_page_text_being_stripped() -> None:
    assert parse("\n\n  {{Partnership|name=A}}  \n\n").infoboxes == parse("{{Partnership|name=A}}").infoboxes


# ---------------------------------------------------------------------------
# Property: any text at all can be parsed, and the parser loses nothing.
# ---------------------------------------------------------------------------

FRAGMENTS = [
    "{{",
    "}}",
    "{{{",
    "}}}",
    "|",
    "=",
    "[[",
    "]]",
    "<!--",
    "-->",
    "<nowiki>",
    "</nowiki>",
    "<nowiki/>",
    "<ref>",
    "</ref>",
    "<pre>",
    "Partnership",
    "partnership",
    "Template:",
    "Infobox partnership",
    "name",
    " ",
    "\n",
    "{{!}}",
    "&#124;",
    "__NOTOC__",
    "~~~~",
    "''",
    "#if:",
]

#: mwparserfromhell's C tokenizer stops at a NUL character (``str(parse("a\\x00b")) == "a"``).
#: MediaWiki never stores one in page text, so the property leaves NUL out.
chars = st.characters(exclude_characters="\x00")
wikitextish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(chars, max_size=3)), max_size=40).map("".join)


@settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.one_of(st.text(chars), wikitextish))
def test_parse_page_never_raises_and_round_trips(text: str) -> None:
    parsed = parse_page(PageSnapshot(title="Fuzz", text=text), NAMES)
    assert isinstance(parsed, ParsedPage)
    assert all(box.title == "Fuzz" for box in parsed.infoboxes)
    assert set(parsed.ignored) <= {"comment", "nowiki", "pre", "includeonly", "unclosed"}
    assert str(mwparserfromhell.parse(text)) == text
