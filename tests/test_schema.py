"""bots.core.records.schema: config/schema.yaml -> field specs, with errors naming file and line."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from bots.config import DEFAULT_CONFIG_DIR, load_schema
from bots.core.records.schema import Choice, RequiredIf, Rule, Schema, schema_from
from bots.core.settings.yaml_doc import ConfigError, parse_yaml


def schema_of(text: str) -> Schema:
    return schema_from(parse_yaml(dedent(text), "s.yaml"))


# ---------------------------------------------------------------------------
# The project's own schema
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_schema(DEFAULT_CONFIG_DIR / "schema.yaml")


def test_project_schema_template_names(schema: Schema) -> None:
    assert schema.template == "Partnership"
    assert schema.template_names == ("Partnership", "Partnership infobox", "Infobox partnership")


def test_project_schema_required_fields(schema: Schema) -> None:
    assert {f.name for f in schema.fields if f.required} == {"name", "partner", "type", "lead", "status"}
    assert [f.name for f in schema.fields if f.required_if] == ["chapter"]
    assert schema.field("chapter").required_if == RequiredIf(field="lead", equals="chapter")
    assert not schema.field("chapter").required


def test_project_schema_public_interface(schema: Schema) -> None:
    """The parameter names volunteers' pages depend on (DESIGN.md); adding is fine, renaming is not."""
    names = {f.name for f in schema.fields}
    assert names >= {
        "name",
        "partner",
        "type",
        "lead",
        "chapter",
        "status",
        "start",
        "end",
        "recommendation",
        "related",
        "projects",
        "assets",
        "lessons",
        "support",
        "description",
        "best_practice",
        "critical",
        "website",
        "source",
    }
    assert schema.field("name").unique
    assert schema.field("partner").multiple
    assert schema.field_for_parameter("partners") is schema.field("partner")
    assert schema.field_for_parameter("types") is schema.field("type")
    assert schema.field_for_parameter("nonsense") is None
    assert [c.name for c in schema.field("type").choices] == [
        "content",
        "technology",
        "revenue",
        "in-kind",
        "outreach",
        "innovation",
        "contributors",
    ]
    assert [c.name for c in schema.field("lead").choices] == ["volunteers", "chapter", "foundation", "partner"]
    assert [c.name for c in schema.field("status").choices] == [
        "idea",
        "proposed",
        "negotiating",
        "active",
        "completed",
        "ended",
        "declined",
    ]
    assert {f.name: f.type for f in schema.fields if f.type in ("date", "yesno", "url", "page")} == {
        "start": "date",
        "end": "date",
        "best_practice": "yesno",
        "critical": "yesno",
        "website": "url",
        "source": "url",
        "recommendation": "page",
        "related": "page",
    }
    assert schema.rules == (Rule(rule="not-before", field="end", other="start"),)


def test_project_schema_every_parameter_name_is_unique(schema: Schema) -> None:
    assert len(schema.parameter_names) == len(set(schema.parameter_names))


# ---------------------------------------------------------------------------
# A small schema, and one mistake at a time
# ---------------------------------------------------------------------------

VALID = """\
template:
  name: Partnership
  aliases: [Infobox partnership]
fields:
  name:
    type: text
    required: true
  lead:
    type: choice
    values:
      chapter: {label: A chapter, synonyms: [chapters]}
      foundation: {}
  chapter:
    type: text
    required: {field: lead, equals: chapter}
  start:
    type: date
  end:
    type: date
rules:
  - {rule: not-before, field: end, other: start}
"""


def test_small_schema_loads() -> None:
    schema = schema_of(VALID)
    assert schema.template_names == ("Partnership", "Infobox partnership")
    assert [f.name for f in schema.fields] == ["name", "lead", "chapter", "start", "end"]
    assert schema.field("lead").choices == (
        Choice("chapter", "A chapter", ("chapters",)),
        Choice("foundation", "foundation"),
    )
    assert schema.field("name").label == "name"
    assert schema.field("chapter").required_if == RequiredIf("lead", "chapter")


BAD_SCHEMAS = [
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name:
            type: text
            colour: red
        """,
        "s.yaml, line 6: fields.name.colour: unknown key 'colour'; valid keys: aliases, default, description, "
        "display, example, hidden, label, multiple, required, separators, suggest_used, type, unique, unreadable, "
        "values, wikitext",
        id="unknown-field-key",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name:
            type: text
          start:
            label: Start
            type: integer
        """,
        "s.yaml, line 8: fields.start.type: unknown type 'integer'; valid types: text, choice, date, url, page, user, "
        "yesno, number",
        id="unknown-type",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name:
            type: text
          status:
            type: choice
            required: true
        """,
        "s.yaml, line 6: fields.status: `values` goes with type choice, and type choice needs `values`",
        id="choice-without-values",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          status:
            type: choice
            values: {}
        """,
        "s.yaml, line 6: fields.status.values: a choice field needs `values`",
        id="choice-with-empty-values",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name:
            type: text
            values: {a: {label: A}}
        """,
        "s.yaml, line 4: fields.name: `values` goes with type choice, and type choice needs `values`",
        id="values-without-choice",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          lead:
            type: choice
            values: {chapter: {}}
          chapter:
            type: text
            required: {field: leader, equals: chapter}
        """,
        "s.yaml, line 9: fields.chapter.required: names a missing field 'leader'",
        id="required-names-missing-field",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          lead:
            type: choice
            values: {chapter: {}}
          chapter:
            type: text
            required:
              field: lead
              equals: chapters
        """,
        "s.yaml, line 9: fields.chapter.required: 'chapters' is not a value of 'lead'",
        id="required-names-missing-value",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name:
            type: text
            required: sometimes
        """,
        "s.yaml, line 6: fields.name.required: expected true, false or {field: F, equals: V}",
        id="required-not-boolean",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          start:
            type: date
          end:
            type: date
        rules:
          - {rule: not-before, field: end, other: begin}
        """,
        "s.yaml, line 9: rules.0.other: names a missing field 'begin'",
        id="rule-names-missing-field",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          start:
            type: date
          end:
            type: date
        rules:
          - {rule: not-before, field: end, other: start}
          - rule: not-before
            field: finish
            other: start
        """,
        "s.yaml, line 11: rules.1.field: names a missing field 'finish'",
        id="second-rule-names-missing-field",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name:
            type: text
          end:
            type: date
        rules:
          - {rule: not-before, field: end, other: name}
        """,
        "s.yaml, line 9: rules.0.other: not-before compares dates, and 'name' is not a date field",
        id="rule-on-non-date-field",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          start:
            type: date
        rules:
          - {rule: after, field: start, other: start}
        """,
        "s.yaml, line 7: rules.0.rule: unknown rule 'after'; valid rules: not-before",
        id="unknown-rule",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name:
            type: text
        colour: red
        """,
        "s.yaml, line 6: colour: unknown key 'colour'; valid keys: coordinates_templates, date_templates, fields, "
        "list_templates, rules, template, url_templates",
        id="unknown-top-level-key",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
          alias: [Infobox partnership]
        fields:
          name:
            type: text
        """,
        "s.yaml, line 3: template.alias: unknown key 'alias'; valid keys: aliases, engine, existing, name",
        id="unknown-template-key",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        """,
        "s.yaml, line 1: missing required key 'fields'",
        id="missing-fields",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          partner:
            type: text
            aliases: [partners, organisation]
          sponsor:
            type: text
            aliases: [sponsors, organisation]
        """,
        "s.yaml, line 7: fields.sponsor: parameter 'organisation' is already used by field 'partner'",
        id="alias-used-by-two-fields",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          start:
            type: date
          begin:
            type: date
            aliases: [start]
        """,
        "s.yaml, line 6: fields.begin: parameter 'start' is already used by field 'start'",
        id="alias-is-another-fields-name",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name:
            type: text
          partner:
            type: text
            multiple: "yes"
        """,
        "s.yaml, line 8: fields.partner.multiple: expected true or false",
        id="multiple-not-boolean",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          type:
            type: choice
            values:
              content:
                synonyms: content sources
        """,
        "s.yaml, line 8: fields.type.values.content.synonyms: expected a list, e.g. [a, b]",
        id="synonyms-not-a-list",
    ),
    pytest.param(
        """\
        template:
          name: Partnership
        fields:
          name: text
        """,
        "s.yaml, line 4: fields.name: expected a mapping, found str",
        id="field-not-a-mapping",
    ),
    pytest.param(
        "template:\n  name: Partnership\nfields:\n  name: [\n",
        "s.yaml: not valid YAML",
        id="not-yaml",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_SCHEMAS)
def test_schema_mistake_names_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        schema_of(text)
    assert expected in str(caught.value)


def test_schema_file_error_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    path.write_text("template:\n  name: Partnership\nfields:\n  name:\n    type: txt\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"schema\.yaml, line 5: fields\.name\.type: unknown type 'txt'"):
        load_schema(path)
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="the file is empty"):
        load_schema(empty)
    with pytest.raises(ConfigError, match="cannot read"):
        load_schema(tmp_path / "missing.yaml")


# ---------------------------------------------------------------------------
# Mistakes the loader lets through silently (each is a bug if it fails)
# ---------------------------------------------------------------------------


def test_field_defined_twice_is_an_error() -> None:
    """YAML's last-one-wins for a repeated key would silently drop the first definition."""
    text = """\
    template:
      name: Partnership
    fields:
      partner:
        type: text
        required: true
      partner:
        type: text
    """
    with pytest.raises(ConfigError, match=r"s\.yaml, line 7"):
        schema_of(text)


def test_word_accepted_for_two_choice_values_is_an_error() -> None:
    """A synonym of two values would silently mean the first of them."""
    text = """\
    template:
      name: Partnership
    fields:
      lead:
        type: choice
        values:
          volunteers: {synonyms: [community, editors]}
          partner: {synonyms: [external, editors]}
    """
    with pytest.raises(ConfigError) as caught:
        schema_of(text)
    assert "s.yaml, line 8" in str(caught.value)
    assert "editors" in str(caught.value)


def test_word_accepted_for_two_choice_values_in_different_case_is_an_error() -> None:
    """Choices are matched without regard to case, so `Editors` and `editors` are one word."""
    text = """\
    template:
      name: Partnership
    fields:
      lead:
        type: choice
        values:
          volunteers: {synonyms: [community, Editors]}
          partner: {synonyms: [external, editors]}
    """
    with pytest.raises(ConfigError) as caught:
        schema_of(text)
    assert "s.yaml, line 8" in str(caught.value)
    assert "'editors' is accepted for both 'volunteers' and 'partner'" in str(caught.value)
