"""Images, coordinates, hidden fields and defaults (issue 20), on the museum schema of tests/data/museum/.

Each form of the two types on a table of cases; the schema's coordinates templates; a hidden
field read and checked but given no row of the on-wiki infobox; a default in the record (for
rules, sorting and grouping) when a field is empty or left out, never when it is written wrong;
and the schema's checks of both keys.
"""

from __future__ import annotations

import pytest

from bots.config import onwiki_templates
from bots.core.onwiki.infobox import onwiki_pages, partners_of
from bots.core.onwiki.templatedata import templatedata
from bots.core.pages.render import value_groups
from bots.core.records.fields import coordinates_pair, degrees_text, read_value
from bots.core.records.schema import schema_from_yaml
from bots.core.records.validate import validate_infobox
from tests.support import MUSEUM, museum_box

SCHEMA = MUSEUM.schema

READ = [
    # image: a file's name, with or without its namespace, or the first link to a file
    ("image", "Louvre.jpg", "Louvre.jpg"),
    ("image", "File:Louvre.jpg", "Louvre.jpg"),
    ("image", "Image:louvre_pyramid.JPG", "Louvre pyramid.JPG"),
    ("image", "[[File:Louvre.jpg|thumb|The [[Louvre Pyramid|pyramid]]]]", "Louvre.jpg"),
    ("image", "[[image: Louvre.jpg|250px]]<ref>A source</ref>", "Louvre.jpg"),
    ("image", "Louvre Museum Wikimedia Commons.jpg<!-- the pyramid -->", "Louvre Museum Wikimedia Commons.jpg"),
    # coordinates: the schema's {{coord}} (degrees, minutes, seconds; decimal), decimal text, DMS text
    ("coordinates", "{{coord|48|51|29|N|2|20|08|E|type:landmark}}", "48.858056, 2.335556"),
    ("coordinates", "{{Coord|48|51|N|2|20|E}}", "48.85, 2.333333"),
    ("coordinates", "{{coord|48.858|2.294}}", "48.858, 2.294"),
    ("coordinates", "{{coord|-33.8568|151.2153|display=inline}}", "-33.8568, 151.2153"),
    ("coordinates", "{{coord|33|51|24.5|S|151|12|55|E}}", "-33.856806, 151.215278"),
    ("coordinates", "48.858, 2.294", "48.858, 2.294"),
    ("coordinates", "48.858; 2.294<ref>A map</ref>", "48.858, 2.294"),
    ("coordinates", "48°51′29″N 2°20′08″E", "48.858056, 2.335556"),
    ("coordinates", "40°26'46\"S 79°58'56\"W (the entrance)", "-40.446111, -79.982222"),
    (
        "coordinates",
        "[//geohack.toolforge.org/geohack.php?params=1 48°51′29″N 2°20′08″E] / 48.858; 2.336",
        "48.858056, 2.335556",
    ),
    ("coordinates", "0, -0.0", "0, 0"),
]


@pytest.mark.parametrize(("field", "raw", "value"), READ)
def test_each_form_is_read(field: str, raw: str, value: str) -> None:
    assert read_value(SCHEMA.field(field), raw) == (value, [])


UNREADABLE = [
    ("image", "Louvre"),
    ("image", "[[Louvre.jpg]]"),
    ("image", "x{y}.jpg"),
    ("image", "File:"),
    ("image", "Photos/Louvre.jpg"),
    ("image", "{{Louvre image}}"),
    ("coordinates", "somewhere in Paris"),
    ("coordinates", "48.858"),
    ("coordinates", "91, 2"),
    ("coordinates", "48, 181"),
    ("coordinates", "48°61′N 2°E"),
    ("coordinates", "48.5°30′N 2°E"),
    ("coordinates", "48°51′N"),
    ("coordinates", "1, 2, 3"),
    ("coordinates", "48, 2 N"),
    ("coordinates", "{{coord|48|51|29|2|20|08}}"),
    ("coordinates", "{{location|48|2}}"),
]


@pytest.mark.parametrize(("field", "raw"), UNREADABLE)
def test_a_value_the_type_cannot_read_says_what_to_write(field: str, raw: str) -> None:
    value, problems = read_value(SCHEMA.field(field), raw)
    assert value is None
    assert [p.code for p in problems] == [f"bad-{field}"]
    assert "e.g." in problems[0].message


def test_degrees_are_written_to_six_places_without_trailing_zeros() -> None:
    assert [degrees_text(d) for d in (48.8580555555, 2.0, -0.0000001, -33.5, 180.0)] == [
        "48.858056",
        "2",
        "0",
        "-33.5",
        "180",
    ]
    assert coordinates_pair("-33.8568, 151.2153") == (-33.8568, 151.2153)


def test_coordinates_templates_are_config_and_checked() -> None:
    text = "template: {name: T}\nfields:\n  c: {type: coordinates}\n"
    assert read_value(schema_from_yaml(text, "s.yaml").field("c"), "{{coord|48.858|2.294}}")[0] is None
    named = schema_from_yaml("coordinates_templates: {Coord: [lat, long]}\n" + text, "s.yaml")
    assert read_value(named.field("c"), "{{coord|lat=48.858|long=2.294}}")[0] == "48.858, 2.294"
    with pytest.raises(Exception, match="its parameters in order"):
        schema_from_yaml("coordinates_templates: {Coord: 1}\n" + text, "s.yaml")


def test_a_field_left_empty_or_out_takes_its_default_in_the_record_and_the_rules() -> None:
    record, issues = validate_infobox(museum_box(established="1901"), SCHEMA)
    assert record.values["visitors_year"] == "2019" and issues == []
    _, issues = validate_infobox(museum_box(established="{{Start date|2021|6|1}}", visitors_year=""), SCHEMA)
    assert [(i.field, i.code) for i in issues] == [("visitors_year", "visitors_year-before-established")]
    assert "visitors_year (2019) is before established (2021-06-01)" in issues[0].message


def test_a_value_written_wrong_is_reported_and_takes_no_default() -> None:
    record, issues = validate_infobox(museum_box(visitors_year="soon"), SCHEMA)
    assert "visitors_year" not in record.values and record.written == {"visitors_year": "soon"}
    assert [i.code for i in issues] == ["bad-date"]


def test_templatedata_tells_visualeditor_the_default() -> None:
    params = templatedata(SCHEMA)["params"]
    assert params["visitors_year"]["default"] == "2019" and "default" not in params["visitors"]
    assert params["image"]["type"] == "wiki-file-name"


def test_defaults_sort_and_group_as_values() -> None:
    records = [validate_infobox(museum_box(name=n, visitors_year=y), SCHEMA)[0] for n, y in (("A", "2021"), ("B", ""))]
    assert [g.label for g in value_groups(records, "visitors_year", SCHEMA)] == ["2019", "2021"]


def test_a_hidden_field_is_read_and_checked_but_has_no_row_in_the_infobox() -> None:
    record, issues = validate_infobox(museum_box(reopened="{{Start date|1993|11|18}}"), SCHEMA)
    assert record.values["reopened"] == "1993-11-18" and issues == []
    assert [i.code for i in validate_infobox(museum_box(reopened="soon"), SCHEMA)[1]] == ["bad-date"]
    module = onwiki_pages(SCHEMA, onwiki_templates(), partners_of(MUSEUM.pages))["Module:Museum"]
    assert "['hidden'] = true, ['default'] = ''" in module  # reopened's data: the module shows no row of it
    assert "['default'] = '2019'" in module


def test_the_parserfunctions_infobox_has_no_row_of_a_hidden_field() -> None:
    text = "template: {name: T}\nfields:\n  name: {type: text}\n  a: {type: text}\n  b: {type: text, hidden: true}\n"
    box_code = onwiki_pages(schema_from_yaml(text, "s.yaml"), onwiki_templates(), None)["Template:T"]
    assert "{{{a|}}}" in box_code and "{{#if:{{{b|}}}|" not in box_code and 'id="t-b"' in box_code.lower()


@pytest.mark.parametrize(
    ("field", "error"),
    [
        ("{type: date, default: soon}", "the default is not a valid value"),
        ("{type: date, default: '2019', required: true}", "takes no default"),
        ("{type: text, hidden: maybe}", "expected true or false"),
    ],
)
def test_the_schema_checks_defaults_and_hidden(field: str, error: str) -> None:
    with pytest.raises(Exception, match=error):
        schema_from_yaml(f"template: {{name: T}}\nfields:\n  f: {field}\n", "s.yaml")
