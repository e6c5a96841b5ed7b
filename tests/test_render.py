"""bots.core.pages.render: values from pages render as literal text; templates use wikitext-safe delimiters."""

from __future__ import annotations

import html
import re
from pathlib import Path

import jinja2
import pytest

from bots.config import load_config, read_templates
from bots.core.pages.render import (
    cross_tab,
    escape_wikitext,
    field_anchor,
    infobox_anchor,
    issue_link,
    make_environment,
    partner_anchor,
    report_anchor,
    value_groups,
    wikilink,
)
from bots.core.pipeline import Checked, Config, check_pages, render_generated
from bots.core.records.model import Issue, PageSnapshot, Partnership

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
def env() -> jinja2.Environment:
    return make_environment({})


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
    assert make_environment(read_templates(tmp_path)).get_template("page.wikitext").render(title="A ~~~~ B") == (
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


def test_index_has_one_row_per_record_those_with_errors_too(config: Config, checked: Checked) -> None:
    """Records never vanish (issue 18): a record with errors has its row, its values with a problem marked."""
    body, _ = render_generated(checked, config, "now")[config.pages.title_of("index")]
    rows = [line for line in body.splitlines() if line.startswith("| [[:")]
    listed = [*VALID, *WITH_ERRORS]
    assert len(rows) == len(listed)
    assert body.count("\n|-\n") == len(listed)
    for title in listed:
        assert sum(1 for row in rows if row.startswith(f"| [[:{title}|")) == 1, title
    for title in WITH_ERRORS:
        (row,) = [row for row in rows if row.startswith(f"| [[:{title}|")]
        assert f"Validation report#{report_anchor(title)}|⚠ problem]]</small>" in row, row
    assert "'''7''' in all" in body
    assert "not listed" not in body


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
        assert f'<h3><span id="{report_anchor(title)}"></span>[[:{title}|' in body, title
    for title in ["Partnerships/Kiwix", "Partnerships/Orange", "Partnerships/Markup"]:
        assert f"[[:{title}|" not in body, title


def test_value_groups_gather_records_by_any_value_ignoring_case(config: Config) -> None:
    records = [
        Partnership("A", {"partner": ("Orange", "Kiwix")}),
        Partnership("B", {"partner": ("orange",)}),
        Partnership("C", {"partner": ()}),
    ]
    groups = value_groups(records, "partner")
    assert [(g.label, [r.title for r in g.records]) for g in groups] == [("Kiwix", ["A"]), ("Orange", ["A", "B"])]


def test_cross_tab_splits_each_row_by_the_other_field(config: Config) -> None:
    records = [
        Partnership("A", {"type": ("content", "outreach"), "lead": "chapter"}),
        Partnership("B", {"type": ("content",), "lead": "foundation"}),
    ]
    table = cross_tab(records, config.schema, "type", "lead")
    assert [row.value for row in table] == [c.name for c in config.schema.field("type").choices]
    content = table[0]
    assert {cell.value: [r.title for r in cell.records] for cell in content.cells} == {
        "volunteers": [],
        "chapter": ["A"],
        "foundation": ["B"],
        "partner": [],
    }
    outreach = next(row for row in table if row.value == "outreach")
    assert [r.title for cell in outreach.cells for r in cell.records] == ["A"]


def test_issue_link_points_at_the_fields_row_or_the_infobox(config: Config) -> None:
    def link(field: str) -> str:
        return issue_link(config.schema, Issue("Partnerships/X", field, "code", "error", "message"))

    assert link("start") == "[[:Partnerships/X#Partnership-start|start]]"
    assert link("partners") == "[[:Partnerships/X#Partnership-partner|partners]]"  # an alias: the field's row
    assert link("best_practice") == "[[:Partnerships/X#Partnership-best_practice|best&#95;practice]]"
    assert link("parnter") == "[[:Partnerships/X#infobox-Partnership|parnter]]"  # unknown: the infobox


def test_anchors_are_safe_in_an_attribute_and_a_link() -> None:
    assert field_anchor("Partnership", "start") == "Partnership-start"
    assert field_anchor("Festival box", 'x"y<z') == "Festival_box-x_y_z"
    assert infobox_anchor("Festival box") == "infobox-Festival_box"


def test_another_schema_renders_its_pages_with_the_generic_templates() -> None:
    """tests/data/meetup has no type, lead or status: its pages take columns and groups from its schema."""
    other = load_config(Path(__file__).parent / "data" / "meetup")
    snapshots = [
        PageSnapshot("Meetups/A", "{{Meetup|title=A|city=Haifa|kind=training}}", pageid=1),
        PageSnapshot("Meetups/B", "{{Meetup|title=B|city=Paris|kind=party}}", pageid=2),
    ]
    pages = render_generated(check_pages(snapshots, other.schema, other.schema.template_names), other, "now")
    listing, _ = pages[other.pages.title_of("all")]
    assert "! Page !! " + " !! ".join(spec.label for spec in other.schema.fields) in listing
    assert "| [[:Meetups/A|Meetups/A]] || A || Haifa || Workshop ||" in listing
    # B's kind is not valid: listed as written, marked, linked to its entry in the report (issue 18)
    problems = other.pages.title_of("report")
    mark = f'<small class="partnership-problem">[[:{problems}#problems-Meetups.2FB|⚠ problem]]</small>'
    assert f"| [[:Meetups/B|Meetups/B]] || B || Paris || party {mark} ||" in listing
    by_value, _ = pages[other.pages.title_of("by_value")]
    assert "<h2>Kind</h2>" in by_value and "| Workshop || 1 || [[:Meetups/A|Meetups/A]]" in by_value
    report, _ = pages[other.pages.title_of("report")]
    assert "[[:Meetups/B#Meetup-kind|kind]]" in report


def test_every_generated_page_reads_as_a_page(config: Config, checked: Checked) -> None:
    """The bot's notice, a lead sentence, headings, a count, the update line, and a link back to the index."""
    index = config.pages.title_of("index")
    bodies = render_generated(checked, config, "now")
    for title in [page.title for page in config.pages.generated]:
        body, _ = bodies[title]
        notice, nav, lead, *rest = body.split("\n")
        assert notice.startswith('<div class="partnership-bot-notice"') and "kept by the bot" in notice, title
        assert f"[[:{index}|" in nav, title
        assert lead.endswith((".", ".)")) and len(lead.split()) >= 8 and re.search(r"\d", lead + "".join(rest[:3])), (
            title
        )
        assert re.search(r"^<h[2-6]>.+</h[2-6]>$", body, re.M) and not re.search(r"^==", body, re.M), title
        assert body.rstrip().endswith('<span class="partnership-bot-updated">Last updated: now.</span>'), title


def test_the_report_groups_by_problem_and_by_page(config: Config, checked: Checked) -> None:
    body, _ = render_generated(checked, config, "now")[config.pages.title_of("report")]
    by_problem, by_page = body.split("\n<h2>By page</h2>\n")
    (row,) = [line for line in by_problem.split("\n") if line.startswith("| <code>bad-date</code>")]
    assert row == "| <code>bad-date</code> || 1 || [[:Partnerships/Bad date|Partnerships/Bad date]]"
    assert '<h3><span id="problems-Partnerships.2FBad.20date"></span>[[:Partnerships/Bad date|' in by_page


def test_each_partner_row_has_the_id_the_infobox_links_to(config: Config, checked: Checked) -> None:
    pages = render_generated(checked, config, "now")
    body, _ = pages[config.pages.title_of("partners")]
    for partner in ("Museum of Kiwix offline Wikipedia", "Museum of Orange web and mobile channels"):
        assert f'<span id="{partner_anchor(partner)}"></span>{partner}' in body
    assert partner_anchor("The  Kiwix!") == partner_anchor("kiwix") == "partner-kiwix"
    assert partner_anchor("Bibliothèque & Archives") == "partner-bibliotheque_archives"
    assert partner_anchor('Pipe | "x" <y>') == "partner-pipe_x_y"
