"""Field types that read wikitext as editors write it (issue 20), on the museum schema of tests/data/museum/.

Each form of each type on a table of cases (the issue's examples among them): number, date,
URL, page and choice; the schema's templates carrying values; how strict a field is; numbers
sorted as numbers; and a choice synonym written as a link, which validation and the on-wiki
infobox both take by its target.
"""

from __future__ import annotations

import mwparserfromhell
import pytest

from bots.config import load_config, onwiki_templates
from bots.core.lists.query import Query, QueryError, SortKey, evaluate, parse_query
from bots.core.onwiki.infobox import check_schema, onwiki_pages, partners_of
from bots.core.pages.render import value_groups
from bots.core.records.fields import Problem, read_value
from bots.core.records.model import Partnership
from bots.core.records.parse import infobox_from_template
from bots.core.records.schema import schema_from_yaml
from bots.core.records.validate import validate_infobox
from bots.core.records.wikitext import plain
from bots.core.upkeep.maintenance import normalise
from tests.support import MUSEUM, museum_box

SCHEMA = MUSEUM.schema

READ = [
    # number: the first number; templates, refs, commas and a trailing year are no part of it
    ("visitors", "{{increase}} 6,765,000 (2019)<ref>{{cite news|title=Visitors|date=2020}}</ref>", "6765000"),
    ("visitors", "861,000", "861000"),
    ("visitors", "{{decrease}} 1,234,567.5<ref name=a/>", "1234567.5"),
    ("visitors", "about 12000 a year", "12000"),
    ("visitors", "1.5 million (2018)", "1.5"),
    ("visitors", "[[List of museums|2,500]]", "2500"),
    ("visitors", "007", "7"),
    ("visitors", "1234,567", "1234"),
    # date: ISO, day month year, month day year, month year, a leading year, the schema's templates
    ("established", "{{Start date|1793|08|10|df=y}}", "1793-08-10"),
    ("established", "{{start date|1793|8}}", "1793-08"),
    ("established", "{{Start date and age|1901}}", "1901"),
    ("established", "April 13, 1870", "1870-04-13"),
    ("established", "13 April 1870", "1870-04-13"),
    ("established", "1st March 2010", "2010-03-01"),
    ("established", "March 2012", "2012-03"),
    ("established", "Sept. 1999", "1999-09"),
    ("established", "1870-04-13", "1870-04-13"),
    ("established", "1793 (as Muséum central des arts)<ref>x</ref>", "1793"),
    ("established", "[[1870]]", "1870"),
    ("established", "<!-- founded -->1901", "1901"),
    # URL: bare, www., an external link, the schema's URL template
    ("website", "{{URL|https://www.louvre.fr/en}}", "https://www.louvre.fr/en"),
    ("website", "{{URL|www.louvre.fr}}", "https://www.louvre.fr"),
    ("website", "{{URL|louvre.fr|The Louvre}}", "https://louvre.fr"),
    ("website", "[https://www.moma.org/ MoMA]", "https://www.moma.org/"),
    ("website", "[http://example.org]", "http://example.org"),
    ("website", "www.oslomuseum.no", "https://www.oslomuseum.no"),
    ("website", "https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
    # page: the target of a link, the first of several; a bare title as before
    ("architect", "[[Gyo Obata]] ([[HOK (firm)|HOK]])", "Gyo Obata"),
    ("architect", "[[I. M. Pei|Pei]]", "I. M. Pei"),
    ("architect", "[[Frank Gehry#Works]]", "Frank Gehry"),
    ("architect", "Renzo Piano<ref>x</ref>", "Renzo Piano"),
    ("collections", "[[Egyptian art]], [[Greek art|Greek]]; Paintings", ("Egyptian art", "Greek art", "Paintings")),
    # choice: by value, label or synonym, and a link by its target
    ("kind", "[[Art museum]]", "art"),
    ("kind", "[[art museum|Art]]", "art"),
    ("kind", "[[Science museum|science]]", "science"),
    ("kind", "Art gallery", "art"),
]


@pytest.mark.parametrize(("field", "raw", "value"), READ)
def test_each_form_is_read(field: str, raw: str, value: str | tuple[str, ...]) -> None:
    assert read_value(SCHEMA.field(field), raw) == (value, [])


UNREADABLE = [
    ("visitors", "unknown", "bad-number", ""),
    ("visitors", "{{increase}}<ref>1,000</ref>", "bad-number", ""),
    ("established", "2012-13", "bad-date", ""),
    ("established", "1870s", "bad-date", ""),
    ("established", "2010-02-30", "bad-date", ""),
    ("established", "Q3 2011", "bad-date", ""),
    ("established", "20121", "bad-date", ""),
    ("established", "{{circa|1870}}", "bad-date", ""),
    ("established", "{{Start date|1793|13|10}}", "bad-date", ""),
    ("website", "https://{{URL|https://www.louvre.fr/en}}", "bad-url", ""),
    ("website", "{{official URL}}", "bad-url", ""),
    ("website", "louvre.fr", "bad-url", "https://louvre.fr"),
    ("architect", "[[a{b}]] and [[c]]", "bad-title", ""),
    ("architect", "x{y}", "bad-title", ""),
    ("kind", "[[Zoo]]", "unknown-value", ""),
]


@pytest.mark.parametrize(("field", "raw", "code", "suggestion"), UNREADABLE)
def test_a_value_the_type_cannot_read_says_why_and_never_suggests_markup(
    field: str, raw: str, code: str, suggestion: str
) -> None:
    value, problems = read_value(SCHEMA.field(field), raw)
    assert value is None
    assert [(p.code, p.suggestion) for p in problems] == [(code, suggestion)]
    assert "{{" not in problems[0].suggestion


def test_fields_without_wikitext_keep_their_strict_forms() -> None:
    """The partnership schema's dates and URLs are read as before: "April 2009" and "www.…" are not valid there."""
    strict = load_config().schema
    assert isinstance(strict.field("start").kind.read(strict.field("start"), "April 2009"), Problem)
    assert isinstance(strict.field("website").kind.read(strict.field("website"), "www.example.org"), Problem)
    related = strict.field("related")
    assert read_value(related, "[[A]] ([[B]])")[0] is None


def test_wikitext_reduces_to_what_a_reader_sees() -> None:
    assert plain("a<ref>b</ref>  c<!-- d -->&nbsp;e<br>f[[File:x.png|9px]]") == "a c e f"
    assert plain("{{increase}} 5<small>(2019)</small>") == "5 (2019)"
    assert plain("''x'' [[y|z]]") == "''x'' [[y|z]]"


def test_each_field_says_how_strict_it_is() -> None:
    record, issues = validate_infobox(museum_box(visitors="n/a", area="big", closed="soon", established="soon"), SCHEMA)
    by_field = {issue.field: (issue.code, issue.severity) for issue in issues}
    assert by_field == {
        "visitors": ("bad-number", "warning"),
        "closed": ("bad-date", "warning"),
        "area": ("bad-number", "error"),
        "established": ("bad-date", "error"),
    }
    assert record.written == {"visitors": "n/a", "area": "big", "closed": "soon", "established": "soon"}


def test_a_value_read_from_wikitext_takes_part_in_the_rules() -> None:
    _, issues = validate_infobox(museum_box(established="{{Start date|1901|5|2}}", closed="April 1900"), SCHEMA)
    assert [(i.code, i.message) for i in issues] == [
        ("closed-before-established", "closed (1900-04) is before established (1901-05-02). Check both dates.")
    ]


def museums(*visitors: str) -> list[Partnership]:
    return [validate_infobox(museum_box(name=f"M{i}", visitors=v), SCHEMA)[0] for i, v in enumerate(visitors)]


def query(params: str) -> tuple[Query, list[QueryError]]:
    (template,) = mwparserfromhell.parse(f"{{{{Museum list|{params}}}}}").filter_templates(recursive=False)
    return parse_query(infobox_from_template("P", template).params, SCHEMA, "P")


def test_numbers_sort_and_compare_as_numbers_in_volunteers_lists() -> None:
    records = museums("861,000", "{{increase}} 6,765,000 (2019)", "95,000<ref>x</ref>", "1,000,000")
    sorted_query, errors = query("sort=-visitors|limit=3")
    assert errors == []
    assert sorted_query.sort == (SortKey("visitors", descending=True),)
    (section,) = evaluate(sorted_query, records, SCHEMA).sections
    assert [r.text("visitors") for r in section.records] == ["6765000", "1000000", "861000"]
    ranged, errors = query("visitors=900,000..2,000,000")
    assert errors == []
    (section,) = evaluate(ranged, records, SCHEMA).sections
    assert [r.text("visitors") for r in section.records] == ["1000000"]
    exact, _ = query("visitors=95000")
    assert [r.name for r in evaluate(exact, records, SCHEMA).sections[0].records] == ["M2"]


def test_generated_pages_group_numbers_in_the_order_of_numbers() -> None:
    records = museums("861,000", "{{increase}} 6,765,000 (2019)", "95,000", "1,000,000")
    assert [g.label for g in value_groups(records, "visitors", SCHEMA)] == ["95000", "861000", "1000000", "6765000"]


def test_a_number_is_shown_with_its_thousands_separated() -> None:
    spec = SCHEMA.field("visitors")
    assert spec.kind.shown(spec, "6765000") == ["6,765,000"]
    assert spec.kind.shown(spec, "1234.50") == ["1,234.50"]


def test_a_choice_synonym_written_as_a_link_is_its_target_for_validation_and_the_onwiki_infobox() -> None:
    check_schema(SCHEMA)  # what scripts.install_templates checks before it writes anything
    pages = onwiki_pages(SCHEMA, onwiki_templates(), partners_of(MUSEUM.pages))
    module = pages["Module:Museum"]
    assert "'art museum'" in module and "[[Art museum]]" not in module
    assert validate_infobox(museum_box(kind="[[Art museum]]"), SCHEMA)[1] == []


def test_templates_carrying_values_are_config_and_checked() -> None:
    text = "template: {name: T}\nfields:\n  d: {type: date, wikitext: true}\n"
    assert read_value(schema_from_yaml(text, "s.yaml").field("d"), "{{Start date|1901}}")[0] is None
    named = schema_from_yaml("date_templates: {Start date: [1, 2, 3]}\n" + text, "s.yaml")
    assert read_value(named.field("d"), "{{Start date|1901}}")[0] == "1901"
    with pytest.raises(Exception, match="year, month and day"):
        schema_from_yaml("date_templates: {Start date: 1}\n" + text, "s.yaml")
    with pytest.raises(Exception, match="expected error or warning"):
        schema_from_yaml(text.replace("wikitext: true", "unreadable: fatal"), "s.yaml")


def test_the_normalise_script_leaves_fields_read_as_wikitext_as_editors_write_them() -> None:
    text = "{{Museum\n| name = X\n| established = April 13, 1870\n| kind = art gallery\n}}\n"
    outcome = normalise(text, "Museums/X", SCHEMA.template_names, SCHEMA)
    assert outcome.text == text.replace("art gallery", "art")
