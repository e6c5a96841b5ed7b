"""config/schema.yaml -> field specifications.

The schema is the single source of truth for a record: the validator, the
report, the infobox's documentation and its TemplateData all read it. It is
checked when loaded, so that a mistake in it stops the bot before any request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bots.core.records.fields import FIELD_TYPES, FieldType, ValueTemplates, field_type, read_value
from bots.core.records.items import Separators, is_line_break, separator_problem
from bots.core.records.model import Severity
from bots.core.records.wikitext import whole_link_target
from bots.core.records.words import Words, words_from
from bots.core.settings.yaml_doc import ConfigError, YamlDoc, parse_yaml

FIELD_KEYS = {
    "label",
    "description",
    "example",
    "type",
    "multiple",
    "separators",
    "required",
    "aliases",
    "values",
    "unique",
    "suggest_used",
    "wikitext",
    "unreadable",
    "hidden",
    "default",
    "display",
}
#: A schema that names no templates carrying values.
NO_TEMPLATES = ValueTemplates()
#: What a value its type cannot read is (a field's ``unreadable``): an error, or a warning that keeps the record listed.
SEVERITIES = ("error", "warning")
#: How the generated pages and the volunteers' lists show a field's values (a field's ``display``):
#: as literal text, or as safe wikitext (links and emphasis kept; bots.core.pages.escape).
DISPLAYS = ("text", "wikitext")
RULES = {"not-before"}
#: How the infobox is made on the wiki (``template: engine:``): a Lua module (Scribunto, which every
#: Wikimedia wiki has), or ParserFunctions alone (the fallback for wikis without Scribunto).
ENGINES = ("lua", "parserfunctions")


@dataclass(frozen=True)
class Choice:
    """One canonical value of a choice field, with the words accepted for it."""

    name: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequiredIf:
    field: str
    equals: str


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str
    description: str = ""
    example: str = ""
    multiple: bool = False
    #: As the schema writes them (bots.core.records.items.Separators); the schema gives a tuple of strings.
    separators: Separators = ";"
    #: The templates whose numbered parameters hold a list's items (the schema's ``list_templates``).
    list_templates: tuple[str, ...] = ()
    required: bool = False
    required_if: RequiredIf | None = None
    aliases: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    unique: bool = False
    #: VisualEditor offers the values the records already use (kept current by bots.update).
    suggest_used: bool = False
    #: Values are read as editors write wikitext (links, templates, refs), not only in the type's plain form.
    wikitext: bool = False
    #: What a value the type cannot read is: an "error", or a "warning" that keeps the record listed.
    unreadable: Severity = "error"
    #: How pages and lists show the values: one of DISPLAYS.
    display: str = "text"
    #: The templates that carry values (the schema's date_templates, url_templates and coordinates_templates).
    templates: ValueTemplates = NO_TEMPLATES
    #: Read and checked, but no row of the infobox.
    hidden: bool = False
    #: The value (as an infobox writes it) of a field left empty or out: in the record; the box marks it "(default)".
    default: str = ""

    @property
    def kind(self) -> FieldType:
        """What the field's values mean (bots.core.records.fields)."""
        return field_type(self.type)

    def choice(self, name: str) -> Choice | None:
        return next((c for c in self.choices if c.name == name), None)

    def label_of(self, value: str) -> str:
        """The readable label of a canonical choice value (the value itself otherwise)."""
        choice = self.choice(value)
        return choice.label if choice else value


@dataclass(frozen=True)
class Rule:
    """A record-level rule: ``field`` must not be before ``other``."""

    rule: str
    field: str
    other: str


@dataclass(frozen=True)
class Schema:
    template: str
    template_aliases: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    rules: tuple[Rule, ...] = ()
    #: One of ENGINES; a schema that names none gets the ParserFunctions infobox.
    engine: str = "parserfunctions"
    #: The nouns of messages, the list template's name, the CSS prefix (bots.core.records.words).
    words: Words = field(default_factory=Words)
    #: The infobox is the wiki's own (``template: existing: true``): the bot installs only the pages it owns
    #: (the list templates) and never writes the infobox, its module, /doc, preloads or categories.
    existing: bool = False

    @property
    def template_names(self) -> tuple[str, ...]:
        return (self.template, *self.template_aliases)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def field_for_parameter(self, parameter: str) -> FieldSpec | None:
        """The field a parameter name sets, by its name or one of its aliases."""
        for spec in self.fields:
            if parameter == spec.name or parameter in spec.aliases:
                return spec
        return None

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(n for spec in self.fields for n in (spec.name, *spec.aliases))


def _text(doc: YamlDoc, path: tuple[Any, ...], value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise doc.error(path, f'expected text, found {value!r} (quote it: "...")')
    return str(value)


def _str_list(doc: YamlDoc, path: tuple[Any, ...], value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise doc.error(path, "expected a list, e.g. [a, b]")
    return tuple(_text(doc, (*path, i), item) for i, item in enumerate(value))


SEPARATORS_HELP = (
    'valid separators are text without wikitext markup, such as ";", "," or " / ", and the line break tag "<br>"; '
    'several are a list, e.g. separators: [";", "<br>"]'
)


def _separators(doc: YamlDoc, path: tuple[Any, ...], value: Any) -> tuple[str, ...]:
    """A field's separators: a list of strings, or one string (each character a separator, or ``<br>``)."""
    if value is None:
        return (";",)
    if isinstance(value, list):
        if not value:
            raise doc.error(path, f"the list is empty; {SEPARATORS_HELP}")
        found = tuple(_text(doc, (*path, index), item) for index, item in enumerate(value))
    else:
        text = _text(doc, path, value)
        found = (text,) if not text or is_line_break(text) else tuple(text)
    for index, separator in enumerate(found):
        problem = separator_problem(separator)
        if problem:
            where = (*path, index) if isinstance(value, list) else path
            raise doc.error(where, f"{separator!r} cannot separate list items: {problem}; {SEPARATORS_HELP}")
    return found


def _choices(doc: YamlDoc, path: tuple[Any, ...], values: Any) -> tuple[Choice, ...]:
    if not isinstance(values, dict) or not values:
        raise doc.error(path, "a choice field needs `values`: canonical value -> {label, synonyms}")
    choices = []
    for name, spec in values.items():
        spec = spec or {}
        doc.check_keys((*path, name), spec, {"label", "synonyms"})
        choices.append(
            Choice(
                name=str(name),
                label=_text(doc, (*path, name, "label"), spec.get("label")) or str(name),
                synonyms=tuple(
                    # a value is matched by its link's target, so a synonym written as a link means its target
                    whole_link_target(word) or word
                    for word in _str_list(doc, (*path, name, "synonyms"), spec.get("synonyms"))
                ),
            )
        )
    owners: dict[str, str] = {}
    for choice in choices:
        for word in {w.casefold() for w in (choice.name, choice.label, *choice.synonyms)}:
            if owners.setdefault(word, choice.name) != choice.name:
                raise doc.error(
                    (*path, choice.name), f"{word!r} is accepted for both {owners[word]!r} and {choice.name!r}"
                )
    return tuple(choices)


def _templates(doc: YamlDoc, data: dict[str, Any]) -> ValueTemplates:
    """The schema's date_templates (name: [year, month, day parameters]), url_templates (name: parameter) and
    coordinates_templates (name: [its parameters, read in order])."""
    dates, urls = data.get("date_templates") or {}, data.get("url_templates") or {}
    places = data.get("coordinates_templates") or {}
    for key, value in (("date_templates", dates), ("url_templates", urls), ("coordinates_templates", places)):
        if not isinstance(value, dict):
            raise doc.error((key,), "expected a mapping of template names to parameters, e.g. {Start date: [1, 2, 3]}")
    date_params = []
    for name, params in dates.items():
        if not isinstance(params, list) or not 1 <= len(params) <= 3:
            raise doc.error(("date_templates", name), "expected the parameters of year, month and day, e.g. [1, 2, 3]")
        date_params.append((str(name), tuple(str(p) for p in params)))
    for name, params in places.items():
        if not isinstance(params, list) or not params:
            raise doc.error(("coordinates_templates", name), "expected its parameters in order, e.g. [1, 2, 3, 4]")
    return ValueTemplates(
        coordinates=tuple((str(name), tuple(str(p) for p in params)) for name, params in places.items()),
        dates=tuple(date_params),
        urls=tuple((str(name), _text(doc, ("url_templates", name), param)) for name, param in urls.items()),
    )


def _field(doc: YamlDoc, name: str, spec: Any, list_templates: tuple[str, ...], templates: ValueTemplates) -> FieldSpec:
    path = ("fields", name)
    doc.check_keys(path, spec, FIELD_KEYS, {"type"})
    ftype = spec["type"]
    kind = FIELD_TYPES.get(ftype) if isinstance(ftype, str) else None
    if kind is None:
        raise doc.error((*path, "type"), f"unknown type {ftype!r}; valid types: {', '.join(FIELD_TYPES)}")
    if ("values" in spec) != kind.has_choices:
        raise doc.error(path, "`values` goes with type choice, and type choice needs `values`")
    required = spec.get("required", False)
    required_if = None
    if isinstance(required, dict):
        doc.check_keys((*path, "required"), required, {"field", "equals"}, {"field", "equals"})
        required_if = RequiredIf(field=str(required["field"]), equals=str(required["equals"]))
        required = False
    elif not isinstance(required, bool):
        raise doc.error((*path, "required"), "expected true, false or {field: F, equals: V}")
    for key in ("multiple", "unique", "suggest_used", "wikitext", "hidden"):
        if not isinstance(spec.get(key, False), bool):
            raise doc.error((*path, key), "expected true or false")
    unreadable = spec.get("unreadable", "error")
    if unreadable not in SEVERITIES:
        raise doc.error((*path, "unreadable"), f"expected {' or '.join(SEVERITIES)}")
    if spec.get("display", "text") not in DISPLAYS:
        raise doc.error((*path, "display"), f"expected {' or '.join(DISPLAYS)}")
    field = FieldSpec(
        name=name,
        label=_text(doc, (*path, "label"), spec.get("label")) or name,
        type=ftype,
        description=_text(doc, (*path, "description"), spec.get("description")),
        example=_text(doc, (*path, "example"), spec.get("example")),
        multiple=spec.get("multiple", False),
        separators=_separators(doc, (*path, "separators"), spec.get("separators")),
        list_templates=list_templates,
        required=required,
        required_if=required_if,
        aliases=_str_list(doc, (*path, "aliases"), spec.get("aliases")),
        choices=_choices(doc, (*path, "values"), spec["values"]) if kind.has_choices else (),
        unique=spec.get("unique", False),
        suggest_used=spec.get("suggest_used", False),
        wikitext=spec.get("wikitext", False),
        unreadable=unreadable,
        display=spec.get("display", "text"),
        templates=templates,
        hidden=spec.get("hidden", False),
        default=_text(doc, (*path, "default"), spec.get("default")),
    )
    if field.default:
        if required:
            raise doc.error((*path, "default"), "a required field is never empty, so it takes no default")
        problems = read_value(field, field.default)[1]
        if problems:
            raise doc.error((*path, "default"), f"the default is not a valid value: {problems[0].message}")
    return field


def schema_from(doc: YamlDoc) -> Schema:
    """Build and check a Schema; every mistake is a ConfigError naming file and line."""
    data = doc.data
    top_keys = {
        "template",
        "fields",
        "rules",
        "list_templates",
        "date_templates",
        "url_templates",
        "coordinates_templates",
        "words",
    }
    doc.check_keys((), data, top_keys, {"template", "fields"})
    doc.check_keys(("template",), data["template"], {"name", "aliases", "engine", "existing"}, {"name"})
    if not isinstance(data["fields"], dict) or not data["fields"]:
        raise doc.error(("fields",), "expected a mapping of field names to specifications")
    list_templates = _str_list(doc, ("list_templates",), data.get("list_templates"))
    for index, name in enumerate(list_templates):
        if not name.strip() or set(name) & set("#<>[]|{}"):
            raise doc.error(
                ("list_templates", index), f"{name!r} is not a template name; write it as in {{{{name|...}}}}"
            )
    templates = _templates(doc, data)
    fields = tuple(_field(doc, str(name), spec, list_templates, templates) for name, spec in data["fields"].items())
    names = {f.name for f in fields}
    seen: dict[str, str] = {}
    for spec in fields:
        for param in (spec.name, *spec.aliases):
            if param in seen and seen[param] != spec.name:
                raise doc.error(("fields", spec.name), f"parameter {param!r} is already used by field {seen[param]!r}")
            seen[param] = spec.name
        if spec.required_if:
            other = spec.required_if.field
            if other not in names:
                raise doc.error(("fields", spec.name, "required"), f"names a missing field {other!r}")
            other_spec = next(f for f in fields if f.name == other)
            if other_spec.kind.has_choices and not other_spec.choice(spec.required_if.equals):
                raise doc.error(
                    ("fields", spec.name, "required"),
                    f"{spec.required_if.equals!r} is not a value of {other!r}",
                )
    rules = []
    for index, raw in enumerate(data.get("rules") or []):
        path = ("rules", index)
        doc.check_keys(path, raw, {"rule", "field", "other"}, {"rule", "field", "other"})
        if raw["rule"] not in RULES:
            raise doc.error((*path, "rule"), f"unknown rule {raw['rule']!r}; valid rules: {', '.join(sorted(RULES))}")
        for key in ("field", "other"):
            if raw[key] not in names:
                raise doc.error((*path, key), f"names a missing field {raw[key]!r}")
            if not next(f for f in fields if f.name == raw[key]).kind.is_date:
                raise doc.error((*path, key), f"{raw['rule']} compares dates, and {raw[key]!r} is not a date field")
        rules.append(Rule(rule=raw["rule"], field=raw["field"], other=raw["other"]))
    template = data["template"]
    engine = template.get("engine", "parserfunctions")
    if engine not in ENGINES:
        raise doc.error(("template", "engine"), f"unknown engine {engine!r}; valid engines: {', '.join(ENGINES)}")
    existing = template.get("existing", False)
    if not isinstance(existing, bool):
        raise doc.error(("template", "existing"), f"expected true or false, not {existing!r}")
    return Schema(
        template=_text(doc, ("template", "name"), template["name"]),
        template_aliases=_str_list(doc, ("template", "aliases"), template.get("aliases")),
        fields=fields,
        rules=tuple(rules),
        engine=engine,
        words=words_from(doc, data.get("words")),
        existing=existing,
    )


def schema_from_yaml(text: str, filename: str) -> Schema:
    """The schema in ``text`` (the file ``filename``, read by bots.config.load_schema)."""
    doc = parse_yaml(text, filename)
    if doc.data is None:
        raise ConfigError(f"{filename}: the file is empty")
    return schema_from(doc)
