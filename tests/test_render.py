"""bots.core.render: values from pages render as literal text; templates use wikitext-safe delimiters."""

from __future__ import annotations

import html
from pathlib import Path

import jinja2
import pytest

from bots.core.model import PageSnapshot
from bots.core.pipeline import Checked, Config, check_pages, load_config, render_generated
from bots.core.render import escape_wikitext, make_environment, wikilink

MARKUP = [
    "Pipe | Partner",
    "]] closes a link",
    "}} closes a template",
    "{{ opens a template",
    "{{!}}",
    "[[Category:X]]",
    "[[Category:Injected]] Ltd",
    "~~~~ signers",
    "~~~",
    "__NOTOC__ Inc",
    "__NOINDEX__",
    "<nowiki>]]</nowiki>",
    "</nowiki> <script>alert(1)</script>",
    "''italic'' and '''bold'''",
    "https://x",
    "see http://example.org/a_b?c=d",
    "line one\nline two",
    "line one\r\nline two",
    "* bullet\n# number\n; term : definition\n== heading ==\n----",
    "{| table |}",
    "{{{parameter}}}",
    "&#124; &amp; &lt;",
    "A & B",
    "ISBN 0-306-40615-2, RFC 1234, PMID 123",
    "{{#if:x|y}} {#",
    "Ordinary text, with commas.",
    "",
]


@pytest.mark.parametrize("value", MARKUP)
def test_escape_wikitext_leaves_no_markup(value: str) -> None:
    escaped = escape_wikitext(value)
    for char in "|[]{}<>~_'\n\r":
        assert char not in escaped
    assert "://" not in escaped
    assert html.unescape(escaped) == value.replace("\r", " ").replace("\n", " ")


def test_escape_wikitext_keeps_plain_text_readable() -> None:
    assert escape_wikitext("Wikimedia CH") == "Wikimedia CH"
    assert escape_wikitext("Kiwix, Orange (2009)") == "Kiwix, Orange (2009)"


def test_escape_wikitext_accepts_any_value() -> None:
    assert escape_wikitext(3) == "3"
    assert escape_wikitext(True) == "True"


def test_wikilink_escapes_the_label_and_keeps_the_title() -> None:
    assert wikilink("Partnerships/Kiwix") == "[[:Partnerships/Kiwix|Partnerships/Kiwix]]"
    assert wikilink("Partnerships/X", "A | [[B]]") == "[[:Partnerships/X|A &#124; &#91;&#91;B&#93;&#93;]]"


# ---------------------------------------------------------------------------
# The Jinja environment
# ---------------------------------------------------------------------------


@pytest.fixture
def env(tmp_path: Path) -> jinja2.Environment:
    return make_environment(tmp_path)


def test_variables_and_blocks_use_wikitext_safe_delimiters(env: jinja2.Environment) -> None:
    template = env.from_string(
        "<# a comment #>{{Infobox|x=<< value|text >>}}\n<% for item in items %>\n* << item|text >>\n<% endfor %>\n"
    )
    assert template.render(value="a|b", items=["one", "[[two]]"]) == (
        "{{Infobox|x=a&#124;b}}\n* one\n* &#91;&#91;two&#93;&#93;\n"
    )


def test_wikitext_braces_and_hash_are_left_untouched(env: jinja2.Environment) -> None:
    wikitext = (
        "{{#if:{{{partner|}}}|Partners: {{{partner}}}}}\n"
        "{{ PAGENAME }} {{#switch: x | x = {#y#} }}\n"
        "{# not a comment #} {% not a block %} {{ not_a_variable }}\n"
        "[[Link|label]] <!-- comment --> __NOTOC__\n"
    )
    assert env.from_string(wikitext).render() == wikitext


def test_templates_are_loaded_from_the_folder(tmp_path: Path) -> None:
    (tmp_path / "page.wikitext").write_text("{{Nav}}\n<< title|text >>\n", encoding="utf-8")
    assert make_environment(tmp_path).get_template("page.wikitext").render(title="A ~~~~ B") == (
        "{{Nav}}\nA &#126;&#126;&#126;&#126; B\n"
    )


def test_autoescape_is_off(env: jinja2.Environment) -> None:
    assert env.from_string("<< value >>").render(value="<b>&</b>") == "<b>&</b>"


def test_missing_variable_raises(env: jinja2.Environment) -> None:
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("Hello << missing >>").render()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("Hello << record.missing|text >>").render(record={})
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("<% for x in missing %><< x >><% endfor %>").render()


# ---------------------------------------------------------------------------
# Generated pages
# ---------------------------------------------------------------------------


def page(name: str, extra: str = "", **values: str) -> str:
    fields = {"name": name, "partner": f"Museum of {name}", "type": "content", "lead": "volunteers", "status": "active"}
    fields.update(values)
    return "{{Partnership\n" + "".join(f"| {k} = {v}\n" for k, v in fields.items()) + extra + "}}\n"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


@pytest.fixture(scope="module")
def checked(config: Config) -> Checked:
    pages = [
        ("Partnerships/Kiwix", page("Kiwix offline Wikipedia", type="content, technology", start="2007")),
        ("Partnerships/Orange", page("Orange web and mobile channels", lead="WMF", status="completed")),
        (
            "Partnerships/Markup",
            page("Markup [[Category:Injected]] ~~~~ __NOINDEX__", partner="Pipe {{!}} Partner; __NOTOC__ Inc"),
        ),
        ("Partnerships/Warning only", page("Warning only", "| colour = blue\n")),
        ("Partnerships/Bad date", page("Bad date record", start="spring 2010")),
        ("Partnerships/Missing partner", page("Missing partner record", partner="")),
        ("Partnerships/Duplicate", page("Kiwix offline Wikipedia")),
    ]
    snapshots = [PageSnapshot(title, text, pageid=i + 1) for i, (title, text) in enumerate(pages)]
    return check_pages(snapshots, config.schema, config.schema.template_names)


VALID = ["Partnerships/Kiwix", "Partnerships/Markup", "Partnerships/Orange", "Partnerships/Warning only"]
WITH_ERRORS = ["Partnerships/Bad date", "Partnerships/Duplicate", "Partnerships/Missing partner"]


def test_render_generated_writes_every_configured_page(config: Config, checked: Checked) -> None:
    pages = render_generated(checked, config, "2024-01-02 03:04 (UTC)")
    assert set(pages) == {g.title for g in config.pages.generated}
    for title, (body, summary) in pages.items():
        assert body.endswith("\n") and not body.startswith("\n"), title
        assert summary == config.pages.page(next(g.key for g in config.pages.generated if g.title == title)).summary
        assert '<span class="partnership-bot-updated">Last updated: 2024-01-02 03:04 (UTC).</span>' in body
        assert "<<" not in body and "<%" not in body, title


def test_index_has_one_row_per_valid_record(config: Config, checked: Checked) -> None:
    body, _ = render_generated(checked, config, "now")[config.pages.title_of("index")]
    rows = [line for line in body.splitlines() if line.startswith("| [[:")]
    assert len(rows) == len(VALID)
    assert body.count("\n|-\n") == len(VALID)
    for title in VALID:
        assert sum(1 for row in rows if row.startswith(f"| [[:{title}|")) == 1, title
    for title in WITH_ERRORS:
        assert f"[[:{title}|" not in body, title
    assert "'''4''' in all" in body
    assert "3 partnership pages with errors are not listed until fixed" in body


def test_index_shows_values_as_literal_text(config: Config, checked: Checked) -> None:
    body, _ = render_generated(checked, config, "now")[config.pages.title_of("index")]
    (row,) = [line for line in body.splitlines() if line.startswith("| [[:Partnerships/Markup|")]
    label_and_cells = row[len("| [[:Partnerships/Markup|") :]
    assert "[[Category" not in label_and_cells
    assert "~~~~" not in label_and_cells
    assert "__NOTOC__" not in label_and_cells
    assert "{{!}}" not in label_and_cells
    assert "__NOINDEX__" not in label_and_cells
    assert label_and_cells.startswith(
        "Markup &#91;&#91;Category&#58;Injected&#93;&#93; &#126;&#126;&#126;&#126; &#95;&#95;NOINDEX&#95;&#95;]] || "
    )
    assert "Pipe &#123;&#123;&#33;&#125;&#125; Partner; &#95;&#95;NOTOC&#95;&#95; Inc" in label_and_cells


def test_choice_values_shown_by_label(config: Config, checked: Checked) -> None:
    body, _ = render_generated(checked, config, "now")[config.pages.title_of("index")]
    (row,) = [line for line in body.splitlines() if line.startswith("| [[:Partnerships/Orange|")]
    assert "The Wikimedia Foundation" in row
    assert "Completed" in row


def test_report_lists_pages_with_problems(config: Config, checked: Checked) -> None:
    body, _ = render_generated(checked, config, "now")[config.pages.title_of("report")]
    for title in [*WITH_ERRORS, "Partnerships/Warning only"]:
        assert f"=== [[:{title}|" in body, title
    for title in ["Partnerships/Kiwix", "Partnerships/Orange", "Partnerships/Markup"]:
        assert f"=== [[:{title}|" not in body, title
