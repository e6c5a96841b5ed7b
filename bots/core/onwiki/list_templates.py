"""The list templates on the wiki: {{Partnership list}}, {{Partnership list end}} and their documentation.

The documentation is generated from the schema, so the fields and values it
lists are always the ones the bot accepts in a query. Both templates show
nothing where they are used: the bot writes the list between them. Pure: no
pywikibot, no network; the Jinja templates are in templates/onwiki/list*.wikitext.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

from bots.core.lists.fill import end_template_name, list_template_name
from bots.core.lists.query import FORMATS, OPTION_PREFIX, OPTIONS, default_columns, option_name, title_field
from bots.core.records.fields import ANY, NONE
from bots.core.records.schema import Schema


def option_help(schema: Schema) -> dict[str, str]:
    """What each option of a list does, for the documentation and TemplateData."""
    return {
        "columns": f"The fields to show, separated by commas, in order. Default: {', '.join(default_columns(schema))}.",
        "sort": (
            "The fields to sort by, separated by commas, each optionally followed by asc or desc "
            f"(or written with a leading -). Ties are broken by page title. Default: {title_field(schema)}."
        ),
        "limit": "Show at most this many records (after sorting).",
        "section": (
            "Group the list under headings by the value of this field. A record with several values "
            "is under the heading of each."
        ),
        "min_section": (
            "With section: groups with fewer records than this get no heading of their own; their records "
            "go under a last heading, Other, unless they are already under another heading (a record with "
            "several values), so a record is under Other only when it is under no other heading."
        ),
        "format": (
            "table (a sortable table, the default), list (a bulleted list), count (just the number, "
            "for use in a sentence) or template (each row through row_template)."
        ),
        "row_template": (
            "A template of your own that shows one record. It gets page= (the page title) and one "
            "parameter per column, named like the field, every value as plain text. Write the template's "
            "name alone (e.g. My row for Template:My row): subst:, other prefixes and other namespaces are refused."
        ),
        "header_template": "With row_template: a template placed before the rows (e.g. to open a table).",
        "footer_template": "With row_template: a template placed after the rows (e.g. to close a table).",
    }


def examples(schema: Schema) -> list[tuple[str, str]]:
    """(what it shows, the wikitext) of example lists, built from the schema's own fields and values."""
    start, end = f"{{{{{list_template_name(schema)}", f"{{{{{end_template_name(schema)}}}}}"
    word = schema.template.lower()
    opt = {option: option_name(schema, option) for option in OPTIONS}
    choices = [s for s in schema.fields if s.kind.has_choices]
    dates = [s for s in schema.fields if s.kind.is_date]
    pages = [s for s in schema.fields if s.kind.is_title and not s.kind.namespace]
    texts = [s.name for s in schema.fields if s.kind.is_free_text and s.name != title_field(schema)][:2]
    found = []
    if choices:
        first, value = choices[0], choices[0].choices[0]
        found.append(
            (
                f"Every {word} whose “{first.label}” is “{value.label}”, in a sortable table:",
                f"{start}|{first.name}={value.name}}}}}\n{end}",
            )
        )
        found.append(
            (
                "How many there are, in a sentence:",
                f"So far {start}|{opt['format']}=count|{first.name}={value.name}}}}}{end} of them.",
            )
        )
    if len(choices) > 1:
        first, second = choices[0], choices[1]
        value, other = first.choices[0], second.choices[min(1, len(second.choices) - 1)]
        columns = ", ".join(dict.fromkeys([title_field(schema), *texts, second.name][:4]))
        found.append(
            (
                f"Those where, also, “{second.label}” is “{other.label}”, as a bulleted list with a few columns:",
                f"{start}|{first.name}={value.name}|{second.name}={other.name}|{opt['format']}=list"
                f"|{opt['columns']}={columns}}}}}\n{end}",
            )
        )
    if pages:
        sort = f"{dates[0].name} desc, {title_field(schema)}" if dates else title_field(schema)
        section = f"|{opt['section']}={choices[0].name}|{opt['min_section']}=2" if choices else ""
        found.append(
            (
                f"Every {word} whose “{pages[0].label}” is the page holding the list, "
                f"sorted by {sort}{', grouped by ' + choices[0].name if choices else ''}:",
                f"{start}|{pages[0].name}={{{{FULLPAGENAME}}}}|{opt['sort']}={sort}{section}}}}}\n{end}",
            )
        )
    if dates:
        empty = f"|{dates[1].name}={NONE}" if len(dates) > 1 else ""
        found.append(
            (
                f"Those whose “{dates[0].label}” is from 2008 to 2010"
                f"{f' and whose “{dates[1].label}” is empty' if empty else ''}, through templates of your own:",
                f"{start}|{dates[0].name}=2008..2010{empty}|{opt['row_template']}=My row"
                f"|{opt['header_template']}=My table start|{opt['footer_template']}=My table end}}}}\n{end}",
            )
        )
    return found


def list_templatedata(schema: Schema) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for spec in schema.fields:
        params[spec.name] = {
            "label": spec.label,
            "description": f"Only the records whose {spec.label.lower()} is as given (a filter).",
            "type": "string",
        }
        if spec.aliases:
            params[spec.name]["aliases"] = list(spec.aliases)
    helps = option_help(schema)
    opt = {option: option_name(schema, option) for option in OPTIONS}
    for option in OPTIONS:
        params[opt[option]] = {"label": option.replace("_", " "), "description": helps[option], "type": "string"}
    params[opt["format"]]["suggestedvalues"] = list(FORMATS)
    params[opt["limit"]]["type"] = params[opt["min_section"]]["type"] = "number"
    return {
        "description": (
            f"A list of {schema.template.lower()} records that the bot keeps up to date. Write the query as "
            f"parameters and put {{{{{end_template_name(schema)}}}}} after it; the bot fills the space between."
        ),
        "params": params,
        "paramOrder": [*(spec.name for spec in schema.fields), *opt.values()],
        "format": "inline",
    }


def list_template_pages(schema: Schema, env: jinja2.Environment) -> dict[str, str]:
    """Title -> wikitext of the list templates and their /doc, in the order to save them."""
    start, end = f"Template:{list_template_name(schema)}", f"Template:{end_template_name(schema)}"
    text = json.dumps(list_templatedata(schema), indent=1, ensure_ascii=False)
    values = {
        "schema": schema,
        "name": list_template_name(schema),
        "end": end_template_name(schema),
        "start_page": start,
        "options": [(option_name(schema, option), help) for option, help in option_help(schema).items()],
        "option_prefix": OPTION_PREFIX,
        "formats": FORMATS,
        "any_word": ANY,
        "none_word": NONE,
        "examples": examples(schema),
        "record_word": schema.template.lower(),
        "templatedata": text.replace("~", "\\u007e").replace("<", "\\u003c"),
    }
    pages = {}
    for title, template in (
        (f"{start}/doc", "list_doc.wikitext"),
        (start, "list.wikitext"),
        (end, "list_end.wikitext"),
    ):
        rendered = env.get_template(template).render(**values)
        pages[title] = "\n".join(line.rstrip() for line in rendered.strip().split("\n"))
    return pages
