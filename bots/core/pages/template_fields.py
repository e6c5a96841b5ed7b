"""The fields a page template names, checked against the schema at start, not found missing while rendering.

A template names a field as a constant argument of the context's helpers (``show(r, "partner")``,
``groups("type")``) or of a record's methods (``r.items("partner")``); bots.core.pages.render.page_context
says what each helper takes. A name the schema lacks would stop the run half-way with a KeyError, after
reading every page: here it is a ConfigError naming the template's file and line, before any request.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import jinja2
from jinja2 import meta, nodes

from bots.core.records.schema import Schema
from bots.core.settings.yaml_doc import ConfigError

#: page_context's helpers -> the positions of their arguments that are field names.
FIELD_ARGUMENTS: Mapping[str, tuple[int, ...]] = {
    "show": (1,),
    "given": (1,),
    "ungrouped": (0,),
    "having": (0,),
    "flagged": (0,),
    "groups": (0,),
    "value_groups": (0,),
    "cross_tab": (0, 1),
}
#: A record's methods (bots.core.records.model.Partnership) whose first argument is a field name.
RECORD_METHODS = frozenset({"text", "items", "flag"})


def named_fields(tree: nodes.Template) -> Iterator[tuple[str, int]]:
    """Each field name written as a constant in a template, with its line."""
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name):
            positions = FIELD_ARGUMENTS.get(call.node.name, ())
        elif isinstance(call.node, nodes.Getattr) and call.node.attr in RECORD_METHODS:
            positions = (0,)
        else:
            continue
        for position in positions:
            if position < len(call.args):
                argument = call.args[position]
                if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
                    yield argument.value, call.lineno


def used_templates(
    env: jinja2.Environment, sources: Mapping[str, str], names: Sequence[str], files: Mapping[str, str]
) -> dict[str, nodes.Template]:
    """The templates ``names`` and every template they include, parsed; a ConfigError names a syntax error's line."""
    parsed: dict[str, nodes.Template] = {}
    waiting = list(names)
    while waiting:
        name = waiting.pop()
        if name in parsed or name not in sources:
            continue
        try:
            parsed[name] = env.parse(sources[name], name)
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigError(f"{files.get(name, name)}, line {exc.lineno}: {exc.message}") from None
        waiting.extend(n for n in meta.find_referenced_templates(parsed[name]) if isinstance(n, str))
    return parsed


def check_template_fields(
    env: jinja2.Environment,
    sources: Mapping[str, str],
    names: Sequence[str],
    schema: Schema,
    files: Mapping[str, str],
    schema_file: str,
) -> None:
    """Every field the templates ``names`` (and their includes) name is one of ``schema``'s; a ConfigError otherwise.

    ``files``: each template's file as messages name it; ``schema_file``: the schema's.
    """
    known = {spec.name for spec in schema.fields}
    for name, tree in sorted(used_templates(env, sources, names, files).items()):
        for field, line in named_fields(tree):
            if field not in known:
                raise ConfigError(
                    f"{files.get(name, name)}, line {line}: names the field {field!r}, which {schema_file} does not "
                    f"have (its fields: {', '.join(sorted(known))}). Use one of them, or give the folder a template "
                    "of its own in its templates/pages/."
                )
