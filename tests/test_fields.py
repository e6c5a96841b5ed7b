"""The field layer (bots.core.records.fields): each type's read, canonical form, query word,
match, sort key, sections and display on tables of cases; and that no module outside the
layer looks at a field's type name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bots.core.records.fields import (
    FIELD_TYPES,
    ChoiceType,
    CoordinatesType,
    DateType,
    FieldType,
    ImageType,
    NumberType,
    PageType,
    Problem,
    TextType,
    UrlType,
    UserType,
    Wanted,
    YesNoType,
    canonical_value,
    read_value,
)
from bots.core.records.model import Value
from bots.core.records.schema import Choice, FieldSpec

COLOURS = (
    Choice("red", "Red colour", ("crimson",)),
    Choice("deep_blue", "Deep blue", ("navy",)),
    Choice("green", "Green"),
)


def spec(kind: str, multiple: bool = False, separators: str = ";") -> FieldSpec:
    return FieldSpec(
        name="f",
        label="F",
        type=kind,
        multiple=multiple,
        separators=separators,
        choices=COLOURS if kind == "choice" else (),
    )


def test_the_registry_holds_one_instance_of_each_type_under_its_schema_name() -> None:
    assert list(FIELD_TYPES) == [
        "text",
        "choice",
        "date",
        "url",
        "page",
        "user",
        "yesno",
        "number",
        "image",
        "coordinates",
    ]
    assert all(kind.name == name for name, kind in FIELD_TYPES.items())
    assert [type(k) for k in FIELD_TYPES.values()] == [
        TextType,
        ChoiceType,
        DateType,
        UrlType,
        PageType,
        UserType,
        YesNoType,
        NumberType,
        ImageType,
        CoordinatesType,
    ]
    assert spec("user").kind is FIELD_TYPES["user"]


# --- read: a raw item -> its value in the record, or a Problem ---------------------------

READ = [
    ("text", "  any words ", "  any words "),
    ("choice", "Crimson", "red"),
    ("choice", "deep blue", "deep_blue"),
    ("choice", "DEEP_BLUE", "deep_blue"),
    ("choice", "Deep   Blue", "deep_blue"),
    ("date", "2009", "2009"),
    ("date", "2009-04", "2009-04"),
    ("date", "2012-02-29", "2012-02-29"),
    ("url", "https://example.org/a", "https://example.org/a"),
    ("url", "http://x.org", "http://x.org"),
    ("page", "[[some page|label]]", "Some page"),
    ("page", "a_b  c", "A b c"),
    ("page", ":Category:X", "Category:X"),
    ("user", "alice", "User:Alice"),
    ("user", "user:alice", "User:alice"),
    ("user", "USER:Bob", "USER:Bob"),
    ("yesno", "Yes", True),
    ("yesno", "0", False),
    ("yesno", "TRUE", True),
]


@pytest.mark.parametrize(("kind", "raw", "value"), READ)
def test_read_valid(kind: str, raw: str, value: str | bool) -> None:
    assert spec(kind).kind.read(spec(kind), raw) == value


READ_BAD = [
    ("choice", "crimsn", "unknown-value", "red"),
    ("choice", "purple", "unknown-value", ""),
    ("date", "2009-13", "bad-date", ""),
    ("date", "2011-02-29", "bad-date", ""),
    ("date", "April 2009", "bad-date", ""),
    ("url", "example.org", "bad-url", "https://example.org"),
    ("url", "not a url", "bad-url", ""),
    ("page", "a|b", "bad-title", ""),
    ("user", "[[x]]y", "bad-title", ""),
    ("yesno", "maybe", "bad-yesno", ""),
]


@pytest.mark.parametrize(("kind", "raw", "code", "suggestion"), READ_BAD)
def test_read_invalid_says_why(kind: str, raw: str, code: str, suggestion: str) -> None:
    problem = spec(kind).kind.read(spec(kind), raw)
    assert isinstance(problem, Problem)
    assert (problem.code, problem.suggestion) == (code, suggestion)
    assert f"“{raw}”" in problem.message


def test_read_value_of_a_list_keeps_valid_items_once_and_reports_the_others() -> None:
    colours = spec("choice", multiple=True, separators=";,")
    value, problems = read_value(colours, "red; Crimson, purple\n* navy")
    assert value == ("red", "deep_blue")
    assert [p.code for p in problems] == ["unknown-value"]
    assert read_value(colours, "purple") == (None, problems)
    assert read_value(spec("yesno"), "no") == (False, [])


# --- canonical: what the normalise script writes -----------------------------------------

CANONICAL = [
    ("text", " as  written ", " as  written "),
    ("choice", "navy", "deep_blue"),
    ("date", "22 April 2009", "2009-04-22"),
    ("date", "2009/4", "2009-04"),
    ("url", "example.org", "example.org"),
    ("page", "[[x]]", "[[x]]"),
    ("user", "alice", "alice"),
    ("yesno", "Y", "yes"),
    ("yesno", "FALSE", "no"),
]


@pytest.mark.parametrize(("kind", "raw", "canonical"), CANONICAL)
def test_canonical(kind: str, raw: str, canonical: str) -> None:
    assert spec(kind).kind.canonical(spec(kind), raw) == canonical


@pytest.mark.parametrize(
    ("kind", "raw", "why"),
    [
        ("choice", "purple", "“purple” is not a known f"),
        (
            "date",
            "04/05/2009",
            "“04/05/2009” is not a date this script can read (the order of day and month is ambiguous)",
        ),
        ("date", "soon", "“soon” is not a date this script can read"),
        ("yesno", "maybe", "“maybe” is not yes or no"),
    ],
)
def test_canonical_refuses_with_the_reason(kind: str, raw: str, why: str) -> None:
    assert canonical_value(spec(kind), raw) == (None, why)


def test_canonical_value_of_a_list_is_joined_by_the_first_separator_without_repeats() -> None:
    assert canonical_value(spec("choice", multiple=True, separators=",;"), "navy; red, crimson") == (
        "deep_blue, red",
        "",
    )


def test_which_types_the_normalise_script_rewrites_when_single() -> None:
    assert {name for name, kind in FIELD_TYPES.items() if kind.rewrites} == {"choice", "date", "yesno"}


# --- the list query: filter words, and what matches them -------------------------------

WANTED = [
    ("text", "Kiwix; Orange", Wanted(values=("kiwix", "orange"))),
    ("text", "A, B", Wanted(values=("a, b",))),
    ("choice", "crimson, navy;red", Wanted(values=("red", "deep_blue"))),
    ("yesno", "yes, N", Wanted(values=("yes", "no"))),
    ("page", "[[main page]]; Main_page", Wanted(values=("Main page",))),
    ("user", "alice", Wanted(values=("User:Alice",))),
    ("url", "HTTPS://X.ORG", Wanted(values=("https://x.org",))),
    ("date", "2008..2010", Wanted(date_from="2008-01-01", date_to="2010-12-31")),
    ("date", "2009-02", Wanted(date_from="2009-02-01", date_to="2009-02-28")),
    ("date", "..2010", Wanted(date_to="2010-12-31")),
    ("date", "2009-04..", Wanted(date_from="2009-04-01")),
]


@pytest.mark.parametrize(("kind", "text", "wanted"), WANTED)
def test_query_filter(kind: str, text: str, wanted: Wanted) -> None:
    assert spec(kind).kind.wanted(spec(kind), text, "f") == (wanted, [])


@pytest.mark.parametrize(
    ("kind", "text", "codes"),
    [
        ("choice", "purple, red", ["list-unknown-value"]),
        ("yesno", "maybe", ["list-bad-yesno"]),
        ("page", "a|b", ["list-bad-title"]),
        ("date", "2009-13", ["list-bad-date"]),
        ("date", "2010..2008", ["list-bad-range"]),
    ],
)
def test_query_filter_problems(kind: str, text: str, codes: list[str]) -> None:
    _wanted, problems = spec(kind).kind.wanted(spec(kind), text, "f")
    assert [p.code for p in problems] == codes


MATCHES: list[tuple[str, Value, Wanted, bool]] = [
    ("text", "Kiwix", Wanted(values=("kiwix",)), True),
    ("text", ("Orange", "Kiwix"), Wanted(values=("kiwix",)), True),
    ("text", "Kiwix2", Wanted(values=("kiwix",)), False),
    ("choice", ("red", "green"), Wanted(values=("green",)), True),
    ("choice", "red", Wanted(values=("Red",)), False),
    ("page", "Main page", Wanted(values=("Main page",)), True),
    ("page", "Main page", Wanted(values=("main page",)), False),
    ("yesno", True, Wanted(values=("yes",)), True),
    ("yesno", False, Wanted(values=("yes",)), False),
    ("yesno", False, Wanted(values=("no",)), True),
    ("date", "2009", Wanted(date_from="2009-12-31"), True),
    ("date", "2009-04", Wanted(date_to="2009-03-31"), False),
    ("date", "2009-04-15", Wanted(date_from="2009-04-01", date_to="2009-04-30"), True),
]


@pytest.mark.parametrize(("kind", "value", "wanted", "expected"), MATCHES)
def test_matches(kind: str, value: Value, wanted: Wanted, expected: bool) -> None:
    assert spec(kind).kind.matches(spec(kind), value, wanted) is expected


# --- sort keys, sections and display -------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "values", "ordered"),
    [
        ("text", ["b", "A", "c"], ["A", "b", "c"]),
        ("choice", ["green", "red", "deep_blue"], ["red", "deep_blue", "green"]),
        ("date", ["2010", "2009-04", "2009-04-30", "2009"], ["2009", "2009-04", "2009-04-30", "2010"]),
        ("yesno", [True, False], [False, True]),
        ("page", ["Zeta", "alpha"], ["alpha", "Zeta"]),
    ],
)
def test_sort_key(kind: str, values: list[Value], ordered: list[Value]) -> None:
    field = spec(kind)
    assert sorted(values, key=lambda v: field.kind.sort_key(field, v)) == ordered


@pytest.mark.parametrize(
    ("kind", "value", "groups"),
    [
        ("text", ("A", "b"), [("a", "a", "A"), ("b", "b", "b")]),
        ("choice", ("deep_blue",), [(1, "deep_blue", "Deep blue")]),
        ("date", "2009-04", [("2009", "2009", "2009")]),
        ("yesno", True, [(0, "True", "Yes")]),
        ("yesno", False, [(1, "False", "No")]),
    ],
)
def test_groups(kind: str, value: Value, groups: list[tuple[object, str, str]]) -> None:
    assert spec(kind).kind.groups(spec(kind), value) == groups


@pytest.mark.parametrize(
    ("kind", "value", "shown", "separator"),
    [
        ("text", ("A", "B"), ["A", "B"], "; "),
        ("choice", ("red", "deep_blue"), ["Red colour", "Deep blue"], ", "),
        ("yesno", True, ["yes"], "; "),
        ("yesno", None, [""], "; "),
        ("date", "2009-04", ["2009-04"], "; "),
        ("user", "User:Alice", ["User:Alice"], "; "),
        ("text", None, [], "; "),
    ],
)
def test_display(kind: str, value: Value | None, shown: list[str], separator: str) -> None:
    field = spec(kind)
    assert (field.kind.shown(field, value), field.kind.shown_separator) == (shown, separator)


def test_capabilities_name_what_other_modules_ask() -> None:
    def having(attribute: str) -> set[str]:
        return {name for name, kind in FIELD_TYPES.items() if getattr(kind, attribute)}

    assert having("has_choices") == {"choice"}
    assert having("is_date") == {"date"}
    assert having("is_title") == {"page", "user"}
    assert having("namespace") == {"user"}
    assert having("is_flag") == {"yesno"}
    assert having("is_free_text") == {"text"}
    assert having("query_commas") == {"choice", "yesno"}
    assert isinstance(FIELD_TYPES["text"], FieldType)


# --- no module outside the field layer looks at a type's name ------------------------------

ROOT = Path(__file__).resolve().parents[1]
FIELD_LAYER = ROOT / "bots" / "core" / "records" / "fields.py"


def _is_type(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "type"


def type_name_lookups(source: str) -> list[int]:
    """Lines where a ``.type`` is compared (==, !=, in, is), used as a key (x[spec.type],
    d.get(spec.type), d.setdefault(spec.type, ...)) or matched (match spec.type)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            (isinstance(node, ast.Compare) and any(_is_type(n) for n in (node.left, *node.comparators)))
            or (isinstance(node, ast.Subscript) and _is_type(node.slice))
            or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "setdefault", "index", "count")
                and any(_is_type(arg) for arg in node.args)
            )
            or (isinstance(node, ast.Match) and _is_type(node.subject))
        ):
            lines.append(node.lineno)
    return sorted(lines)


@pytest.mark.parametrize(
    "code",
    [
        'if spec.type == "date": pass',
        'x = spec.type in ("page", "user")',
        'x = "choice" != other.spec.type',
        "x = WORDS[spec.type]",
        "by.setdefault(spec.type, []).append(spec)",
        "x = TYPES.get(field.type)",
        "match spec.type:\n    case 'text': pass",
    ],
)
def test_the_scan_finds_type_name_lookups(code: str) -> None:
    assert type_name_lookups(code) == [1]


def test_the_scan_leaves_other_uses_of_type_alone() -> None:
    assert type_name_lookups('kind = roles.type\nx = f"has type {spec.type}"\nif spec.kind.is_date: pass') == []


def test_no_module_outside_the_field_layer_looks_at_a_type_name() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "bots").rglob("*.py"))
        if path != FIELD_LAYER and (lines := type_name_lookups(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "ask the field's kind (bots.core.records.fields) instead of its type name"
