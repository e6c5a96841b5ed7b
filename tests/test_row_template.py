"""A volunteer's row template is a plain template, never a modifier (issue 16, item 7).

``row_template=subst:User:Evil/row`` made the bot publish a signature, an external link and
a category as its own edit. Every magic prefix, parser function, other namespace and markup
in a row, header or footer template's name is a query error, shown in the list; and a
``format=template`` list's rows are counted by the mass-removal guard.
"""

from __future__ import annotations

import mwparserfromhell
import pytest

from bots.config import load_config
from bots.core.lists.fill import ListNames, fill_page, guard_plan
from bots.core.lists.query import parse_query, template_name_problem
from bots.core.pages.guard import count_rows
from bots.core.records.model import PageSnapshot
from bots.core.records.parse import infobox_from_template
from tests.support import chapter_records

CONFIG = load_config()
SCHEMA = CONFIG.schema
ENV = CONFIG.environment()
NAMES = ListNames.of(SCHEMA)


def errors_of(params: str) -> list[tuple[str, str, str]]:
    (template,) = mwparserfromhell.parse(f"{{{{Partnership list{params}}}}}").filter_templates(recursive=False)
    _, errors = parse_query(infobox_from_template("Page", template).params, SCHEMA, "Page", NAMES.start + NAMES.end)
    return [(e.parameter, e.code, e.message) for e in errors]


MODIFIERS = [
    "subst:User:Evil/row",
    "safesubst:Evil row",
    "SUBST:Evil row",
    "Subst :Evil row",
    " subst : Evil row",
    "subst_:Evil row",
    "msgnw:Evil row",
    "raw:Evil row",
    "msg:Evil row",
    "int:Evil row",
    "Template:subst:Evil row",
]


@pytest.mark.parametrize("name", MODIFIERS)
@pytest.mark.parametrize("option", ["row_template", "header_template", "footer_template"])
def test_a_modifier_is_a_query_error(option: str, name: str) -> None:
    params = f"|{option}={name}" if option == "row_template" else f"|row_template=Row|{option}={name}"
    (error,) = errors_of(params)
    assert error[:2] == (option, "list-bad-template")
    assert "would put the template's own text into the page as the bot's edit" in error[2]


OTHER_NAMESPACES_AND_FUNCTIONS = [
    "User:Evil/row",
    "Special:Random",
    ":Main page",
    "lc:Row",
    "padleft:Row",
    "fullurl:Row",
    "Module:Row",
]


@pytest.mark.parametrize("name", OTHER_NAMESPACES_AND_FUNCTIONS)
def test_another_namespace_or_a_function_is_a_query_error(name: str) -> None:
    (error,) = errors_of(f"|row_template={name}")
    assert error[:2] == ("row_template", "list-bad-template")
    assert "a row template must be in the Template namespace" in error[2]


MARKUP = [
    "#invoke:Evil",
    "#if:x",
    "Row{{!}}x",
    "Row{{Other}}",
    "Row[[x]]",
    "Row<includeonly>",
    "Row~~~~",
    "Row\nsecond line",
    "Row&#124;x",
    "subst&#58;Evil",
    "Row\u200e",
]


@pytest.mark.parametrize("name", MARKUP)
def test_markup_in_the_name_is_a_query_error(name: str) -> None:
    (error,) = errors_of(f"|row_template={name}")
    assert error[:2] == ("row_template", "list-bad-template")


@pytest.mark.parametrize("name", ["Row", "Template:Row", "template : Row", "Partnership row/compact", "Row (2)"])
def test_a_plain_template_name_is_accepted(name: str) -> None:
    assert template_name_problem(name) == ""
    assert errors_of(f"|row_template={name}") == []


EVIL = "Intro.\n{{Partnership list|row_template=subst:User:Evil/row}}\n{{Partnership list end}}\n"


def test_the_evil_list_shows_its_error_and_writes_no_template_call() -> None:
    plan = fill_page(PageSnapshot("Page", EVIL), chapter_records(3), SCHEMA, ENV)
    assert plan.text is not None and "This list could not be made" in plan.text
    region = plan.text.split("}}\n", 1)[1]
    assert "subst:" not in region and [str(t.name) for t in mwparserfromhell.parse(region).filter_templates()] == [
        "Partnership list end"
    ]
    assert [(i.code, i.field) for i in plan.issues] == [("list-bad-template", "row_template")]


TEMPLATE_LIST = "{{Partnership list|format=template|row_template=Row|columns=name}}"
TEMPLATE_PAGE = f"{TEMPLATE_LIST}\n{{{{Partnership list end}}}}\n"


def test_a_template_list_counts_one_row_per_record_and_is_guarded() -> None:
    full = fill_page(PageSnapshot("T", TEMPLATE_PAGE), chapter_records(10), SCHEMA, ENV)
    assert full.text is not None and count_rows(full.regions[0].new) == 10
    assert full.text.count("{{Row|page=") == 10
    bad_read = fill_page(PageSnapshot("T", full.text), chapter_records(2), SCHEMA, ENV)
    assert count_rows(bad_read.regions[0].new) == 2
    refused = guard_plan(bad_read, 0.2)
    assert refused.refused and "would remove 8 of the 10 rows of the list" in refused.reason
    assert fill_page(PageSnapshot("T", full.text), chapter_records(10), SCHEMA, ENV).text == full.text  # stable
