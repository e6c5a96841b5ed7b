"""The infobox as a Lua module (Scribunto), generated from the schema and the field types.

``Module:<template>`` is the generic code of templates/onwiki/module.lua with a data
table made here from the schema: fields with their parameter names, types (each
type's ``FieldType.lua_reader``), requirements, choices with every word accepted for
them, list separators, anchors and categories. ``Template:<template>`` only invokes
it. The module shows every problem one page alone can have in preview, with the
codes of bots.validate, each as an element ``class="partnership-problem"`` (the schema's CSS prefix) with
``data-code`` and ``data-field`` (so that tests and tools can read it), and puts the
saved page in a hidden tracking category per problem code.

Pure: no pywikibot, no network; the templates' text is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2

from bots.core.links.checks import LINK_CODES, NOT_RECIPROCAL, POSSIBLE_DUPLICATE
from bots.core.onwiki.findings import index_title, shard_prefix
from bots.core.pages.render import field_anchor, infobox_anchor
from bots.core.records.fields import FIELD_TYPES, MONTHS, NO, YES
from bots.core.records.items import is_line_break, separator_strings
from bots.core.records.schema import FieldSpec, Schema
from bots.core.records.validate import BESIDE_THE_INFOBOX_CODES, unique_code
from bots.core.records.words import DEFAULT_WORDS, Words

#: The problems the module finds whatever the field types: codes of bots.core.records.validate.
PARAMETER_CODES = ("unknown-parameter", "positional-parameter", "duplicate-parameter", "missing-required")


def bot_checks(words: Words) -> str:
    """What the preview (and the infobox's documentation) says of the rules that need other pages: the bot's,
    whose last run's findings the box shows (bots.core.onwiki.findings)."""
    return (
        f"Checks that need other pages (a name used twice, related {words.nouns} that do not link back, "
        "links to pages that do not exist) are made by the bot. The box shows what it found as of its last run "
        "(a fix shows after its next run), and its validation report lists them all."
    )


#: bot_checks in the default words.
BOT_CHECKS = bot_checks(DEFAULT_WORDS)


BOX_STYLE = (
    "float:right; clear:right; width:24em; max-width:100%; box-sizing:border-box; margin:0 0 1em 1em; "
    "padding:0.3em; border:1px solid #a2a9b1; background:#f8f9fa; font-size:90%; line-height:1.4; "
    "border-spacing:0.2em; table-layout:fixed; overflow-wrap:break-word; word-wrap:break-word;"
)
LABEL_STYLE = "text-align:left; vertical-align:top; padding-right:0.6em; width:40%;"
PROBLEMS_STYLE = "border:1px solid #d33; background:#fee7e6; padding:0.4em 0.8em; margin:0 0 0.8em;"
FINDING_STYLE = "border-left:3px solid #d33; background:#fee7e6; padding:0.2em 0.4em; font-size:90%;"
#: The findings whose suggestion is another page to edit: the note links to that page's editor.
EDIT_OTHER_PAGE_CODES = (NOT_RECIPROCAL, POSSIBLE_DUPLICATE)
FINDINGS_NOTE = "Found by the bot, which checks other pages too, as of its last run; a fix shows after its next run"


def problem_codes(schema: Schema) -> list[str]:
    """Every problem code the module can give for this schema, in a stable order."""
    codes = list(PARAMETER_CODES)
    for kind in FIELD_TYPES.values():
        if kind.problem_code and any(spec.kind is kind for spec in schema.fields) and kind.problem_code not in codes:
            codes.append(kind.problem_code)
    codes.extend(f"{rule.field}-before-{rule.other}" for rule in schema.rules)
    return codes


def finding_codes(schema: Schema) -> list[str]:
    """The codes of the bot's cross-page findings for this schema, which the module shows from the findings pages."""
    return [
        *(unique_code(spec.name) for spec in schema.fields if spec.unique),
        *LINK_CODES,
        *BESIDE_THE_INFOBOX_CODES,
    ]


def problem_category(schema: Schema, code: str) -> str:
    """The hidden tracking category of one problem code, e.g. "Partnership pages with bad date"."""
    return f"{schema.template} pages with {code.replace('-', ' ')}"


def lua_literal(value: Any) -> str:
    """A Python value (str, bool, int, None, list, tuple, dict with str keys) as a Lua expression."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = "".join(
            c if c.isprintable() and c not in "\\'" else "".join(f"\\{byte:03d}" for byte in c.encode()) for c in value
        )
        return f"'{escaped}'"
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(lua_literal(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_literal(str(k))}] = {lua_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Lua form for {type(value).__name__}")


def _fold(word: str) -> str:
    """A word as the module folds it before looking it up (fields.match_choice folds so)."""
    return " ".join(word.replace("_", " ").split()).lower()


def _field_data(schema: Schema, spec: FieldSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": spec.name,
        "label": spec.label,
        "description": spec.description,
        "anchor": field_anchor(schema.template, spec.name),
        "reader": spec.kind.lua_reader,
        "multiple": spec.multiple,
        # the longest first, as bots.core.records.items matches them; the line break tag (<br>) apart
        "separators": sorted(
            (s for s in separator_strings(spec.separators) if not is_line_break(s)), key=len, reverse=True
        ),
        "line_break": any(is_line_break(s) for s in separator_strings(spec.separators)),
        "inline": spec.kind.shown_separator == ", ",
        "parameters": [spec.name, *spec.aliases],
        "required": spec.required,
        "required_if": {"field": spec.required_if.field, "equals": spec.required_if.equals}
        if spec.required_if
        else None,
        "namespace": spec.kind.namespace,
        "wikitext": spec.wikitext,
        "hidden": spec.hidden,
        "default": spec.default,
    }
    if spec.kind.has_choices:
        data["accepted"] = {
            _fold(word): choice.name
            for choice in spec.choices
            for word in (choice.name, choice.label, *choice.synonyms)
        }
        data["labels"] = {choice.name: choice.label for choice in spec.choices}
        data["words"] = [w for choice in spec.choices for w in (choice.name, choice.label, *choice.synonyms)]
        data["allowed"] = ", ".join(choice.label for choice in spec.choices)
    return data


def module_data(
    schema: Schema,
    value_categories: Mapping[str, Mapping[str, str]],
    tracking: str,
    partners: tuple[str, str] | None,
) -> dict[str, Any]:
    """The data table of the module.

    ``value_categories``: field -> canonical value -> category (the ParserFunctions infobox's own);
    ``tracking``: the category of every page with a problem; ``partners``: (the partner field, the
    title of the page that lists partners), whose entries the partner names link to.
    """
    first = schema.fields[0]
    caption = first.name if first.kind.is_free_text and not first.multiple else None
    partner_field, partners_page = partners or ("", "")
    return {
        "fields": [_field_data(schema, spec) for spec in schema.fields],
        "parameters": list(schema.parameter_names),
        "rules": [{"field": rule.field, "other": rule.other} for rule in schema.rules],
        "caption": caption,
        "caption_anchor": field_anchor(schema.template, first.name),
        "box_anchor": infobox_anchor(schema.template),
        "months": {name: number for name, number in MONTHS.items() if name},
        "yes": dict.fromkeys(sorted(YES), True),
        "no": dict.fromkeys(sorted(NO), True),
        "value_categories": {field: dict(names) for field, names in value_categories.items()},
        "tracking": tracking,
        "problem_categories": {code: problem_category(schema, code) for code in problem_codes(schema)},
        "partner_field": partner_field,
        "partners_page": partners_page,
        "preview_heading": f"Problems in this {schema.template} infobox (shown in preview only):",
        "bot_checks": bot_checks(schema.words),
        "box_style": BOX_STYLE,
        "label_style": LABEL_STYLE,
        "problems_style": PROBLEMS_STYLE,
        "css_prefix": schema.words.css_prefix,
        "findings": _findings_data(schema),
    }


def _findings_data(schema: Schema) -> dict[str, Any]:
    """Where the module finds the bot's findings (bots.core.onwiki.findings) and how it shows them."""
    module = f"Module:{schema.template}"
    return {
        "index": index_title(module),
        "prefix": shard_prefix(module),
        "categories": {code: problem_category(schema, code) for code in finding_codes(schema)},
        "edit_codes": dict.fromkeys(EDIT_OTHER_PAGE_CODES, True),
        "note": FINDINGS_NOTE,
        "style": FINDING_STYLE,
    }


def module_source(env: jinja2.Environment, data: Mapping[str, Any]) -> str:
    """The Lua source of the module: templates/onwiki/module.lua with its data table."""
    return env.get_template("module.lua").render(data=lua_literal(dict(data)))


def lua_readers(source: str) -> set[str]:
    """The readers a module's source defines (``readers.<name> = function``)."""
    return {
        line.split("=", 1)[0].strip().removeprefix("readers.")
        for line in source.splitlines()
        if line.startswith("readers.") and "= function" in line
    }
