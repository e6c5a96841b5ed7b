"""The wiki side of the schema: the infobox, its documentation, TemplateData and categories.

Everything volunteers meet on the wiki is generated here from the schema, so it
never drifts from what the bot enforces: the infobox template, its /doc page
(parameter table, examples, TemplateData), the redirects of its other names, the
preload for new pages, and the category pages the infobox fills.

The infobox can only use ParserFunctions (#if, #ifeq, #switch) and core magic
words: no Lua, no string functions. So it checks what it can without splitting a
value (empty required fields, single-value choices and yes/no, conditional
requirements) and leaves the rest (lists, dates, URLs, unknown parameter names)
to the bot's validation report.

Pure: no pywikibot, no network. The Jinja templates are in templates/onwiki/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

from bots.core.onwiki.list_templates import list_template_pages
from bots.core.onwiki.lua import bot_checks, finding_codes, module_data, module_source, problem_category, problem_codes
from bots.core.onwiki.templatedata import NO_WORDS, YES_WORDS, preload_hint, templatedata_json
from bots.core.pages.render import escape_wikitext, field_anchor, infobox_anchor, make_environment
from bots.core.records.schema import Choice, FieldSpec, Schema
from bots.core.settings.pages_config import PagesConfig


class OnwikiError(ValueError):
    """The schema holds a name that cannot be written into the infobox's wikitext."""


#: Characters that would break a parameter name, a #switch case or a page title.
_UNSAFE = set("|{}[]<>=#\n\r\t")


def _check_name(kind: str, name: str) -> str:
    if not name.strip() or _UNSAFE & set(name) or "~~~" in name:
        raise OnwikiError(
            f"the {kind} {name!r} cannot be written into the infobox's wikitext: "
            "names and values of the schema must not contain | { } [ ] < > = # ~~~ or line breaks"
        )
    return name


def check_schema(schema: Schema) -> None:
    """Every name that lands in the infobox's code must be safe there; OnwikiError otherwise."""
    _check_name("template name", schema.template)
    for alias in schema.template_aliases:
        _check_name("template alias", alias)
    for spec in schema.fields:
        for name in (spec.name, *spec.aliases):
            _check_name(f"parameter name of field {spec.name!r}", name)
        for choice in spec.choices:
            for word in (choice.name, choice.label, *choice.synonyms):
                _check_name(f"value of field {spec.name!r}", word)
            if "#default" in _cases(choice):
                raise OnwikiError(f"field {spec.name!r}: '#default' cannot be a value")
        if spec.required_if:
            _check_name(f"value in the requirement of field {spec.name!r}", spec.required_if.equals)


def title(namespace: str, name: str) -> str:
    """A page title as MediaWiki stores it (first letter upper case, spaces for underscores)."""
    name = " ".join(name.replace("_", " ").split())
    return f"{namespace}:{name[:1].upper()}{name[1:]}"


def doc_title(template: str) -> str:
    """The infobox's documentation page, which holds its TemplateData (written by scripts.install_templates)."""
    return f"{title('Template', template)}/doc"


def _unique(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words))


def _cases(choice: Choice) -> tuple[str, ...]:
    """The lower-case words a #switch matches for a choice: what the validator accepts for it.

    The validator also reads underscores as spaces, so words with spaces come in both forms.
    """
    words = [w.lower() for w in (choice.name, choice.label, *choice.synonyms)]
    return _unique(form for word in words for form in (word, word.replace(" ", "_")))


# --- the infobox's code ----------------------------------------------------------------


def param(spec: FieldSpec) -> str:
    """The value of a field as the infobox reads it: its own name first, then each alias."""
    code = ""
    for name in reversed((spec.name, *spec.aliases)):
        code = f"{{{{{{{name}|{code}}}}}}}"
    return code


def _switch(value: str, cases: Iterable[tuple[Iterable[str], str]], default: str | None = None) -> str:
    """``{{#switch:{{lc:value}}|a|b=result|...|#default=default}}``."""
    parts = [f"{{{{#switch:{{{{lc:{value}}}}}"]
    parts.extend(f"|{'|'.join(words)}={result}" for words, result in cases)
    if default is not None:
        parts.append(f"|#default={default}")
    return "".join(parts) + "}}"


def shown(spec: FieldSpec, label: Callable[[object], str] = escape_wikitext) -> str:
    """What the infobox shows for a field that has a value.

    ``label`` renders a choice's label (trusted schema text) for wikitext.
    """
    value = param(spec)
    if spec.multiple:
        return value
    if spec.kind.has_choices:
        return _switch(value, [(_cases(c), label(c.label)) for c in spec.choices], value)
    if spec.kind.is_flag:
        return _switch(value, [(YES_WORDS, "Yes"), (NO_WORDS, "No")], value)
    if spec.kind.is_title and not spec.kind.namespace:
        # {{FULLPAGENAME:x}} is empty when x cannot be a title (e.g. it is written as a link).
        return f"{{{{#if:{{{{FULLPAGENAME:{value}}}}}|[[:{value}]]|{value}}}}}"
    if spec.kind.is_title:
        title = f"{spec.kind.namespace}:{value}"
        return f"{{{{#if:{{{{FULLPAGENAME:{title}}}}}|[[{title}|{value}]]|{value}}}}}"
    return value


def problems(schema: Schema) -> str:
    """Code that expands to something non-empty when the infobox sees a problem."""
    checks = []
    for spec in schema.fields:
        value = param(spec)
        if spec.required:
            checks.append(f"{{{{#if:{value}||x}}}}")
        if spec.kind.has_choices and not spec.multiple:
            known = [(_unique(w for c in spec.choices for w in _cases(c)), "")]
            checks.append(f"{{{{#if:{value}|{_switch(value, known, 'x')}}}}}")
        if spec.kind.is_flag and not spec.multiple:
            known = [((*YES_WORDS, *NO_WORDS), "")]
            checks.append(f"{{{{#if:{value}|{_switch(value, known, 'x')}}}}}")
        if spec.required_if:
            other = schema.field(spec.required_if.field)
            missing = f"{{{{#if:{value}||x}}}}"
            choice = other.choice(spec.required_if.equals)
            if choice is not None:
                checks.append(_switch(param(other), [(_cases(choice), missing)]))
            else:
                checks.append(f"{{{{#ifeq:{param(other)}|{spec.required_if.equals}|{missing}}}}}")
    return "".join(checks)


# --- categories ------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """A category the infobox fills: by the value of a field, or the tracking category."""

    name: str
    spec: FieldSpec | None = None
    choice: Choice | None = None


def tracking_category(schema: Schema) -> Category:
    return Category(name=f"{schema.template} pages with problems")


def value_categories(schema: Schema) -> list[Category]:
    """One category per value of each single-value choice field, named by canonical names.

    Canonical names, not labels: a label can be reworded without moving every page.
    """
    return [
        Category(f"{schema.template} pages with {spec.name.replace('_', ' ')} {choice.name}", spec, choice)
        for spec in schema.fields
        if spec.kind.has_choices and not spec.multiple
        for choice in spec.choices
    ]


def categories_code(schema: Schema) -> str:
    """The infobox's categories: by value, and tracking; in the main namespace only."""
    by_field: dict[str, list[tuple[Iterable[str], str]]] = {}
    for category in value_categories(schema):
        assert category.spec is not None and category.choice is not None
        by_field.setdefault(category.spec.name, []).append((_cases(category.choice), f"[[Category:{category.name}]]"))
    code = "".join(_switch(param(schema.field(name)), cases) for name, cases in by_field.items())
    check = problems(schema)
    if check:
        code += f"{{{{#if:{check}|[[Category:{tracking_category(schema).name}]]}}}}"
    return f"{{{{#ifeq:{{{{NAMESPACE}}}}||{code}}}}}" if code else ""


# --- the pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldView:
    """A field as the Jinja templates of templates/onwiki/ use it."""

    spec: FieldSpec
    param: str
    shown: str
    type_text: str
    required_text: str
    #: The id of its row, which the validation report links to.
    anchor: str


def _type_text(spec: FieldSpec) -> str:
    if not spec.multiple:
        text = spec.kind.words
    else:
        separators = " or ".join(f"<code>{s.replace('<', '&lt;').replace('>', '&gt;')}</code>" for s in spec.separators)
        text = f"{spec.kind.list_words}, separated by {separators} or new lines"
    return text + (", unique across pages" if spec.unique else "")


def _required_text(schema: Schema, spec: FieldSpec) -> str:
    if spec.required:
        return "yes"
    if spec.required_if:
        field, equals = escape_wikitext(spec.required_if.field), escape_wikitext(spec.required_if.equals)
        return f"when <code>{field}</code> is <code>{equals}</code>"
    return ""


def context(schema: Schema, env: jinja2.Environment) -> dict[str, Any]:
    """Everything the templates of templates/onwiki/ may use."""
    check_schema(schema)
    fields = [
        FieldView(
            spec=spec,
            param=param(spec),
            shown=shown(spec, env.filters["text"]),
            type_text=_type_text(spec),
            required_text=_required_text(schema, spec),
            anchor=field_anchor(schema.template, spec.name),
        )
        for spec in schema.fields
    ]
    first = fields[0]
    caption = first if first.spec.kind.is_free_text and not first.spec.multiple else None
    template = title("Template", schema.template)
    return {
        "schema": schema,
        "template": template,
        "name": template.split(":", 1)[1],
        "fields": fields,
        "caption": caption,
        "rows": [f for f in fields if f is not caption and not f.spec.hidden],
        "box_anchor": infobox_anchor(schema.template),
        # a hidden field has no row: its anchor is always in the caption
        "empty_anchors": "".join(
            f'<span id="{f.anchor}"></span>'
            if f.spec.hidden
            else f'{{{{#if:{f.param}||<span id="{f.anchor}"></span>}}}}'
            for f in fields
            if f is not caption
        ),
        "width": max(len(f.spec.name) for f in fields),
        "categories": categories_code(schema),
        "value_categories": value_categories(schema),
        "tracking": tracking_category(schema) if problems(schema) else None,
        "yes_words": YES_WORDS,
        "no_words": NO_WORDS,
        "templatedata": templatedata_json(schema),
        "hints": {spec.name: preload_hint(spec) for spec in schema.fields},
        "visual": False,
        "engine": schema.engine,
        "problem_categories": [problem_category(schema, code) for code in problem_codes(schema)],
        "finding_categories": [problem_category(schema, code) for code in finding_codes(schema)],
        "bot_checks": bot_checks(schema.words),
        "choice_fields": [f for f in fields if f.spec.kind.has_choices and not f.spec.multiple],
        "yesno_fields": [f for f in fields if f.spec.kind.is_flag and not f.spec.multiple],
        "required_fields": [f for f in fields if f.spec.required],
        "required_if_fields": [f for f in fields if f.spec.required_if],
    }


#: A trusted value as a template parameter: nothing that ends the parameter or adds markup.
_VALUE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
        "[": "&#91;",
        "]": "&#93;",
        "{": "&#123;",
        "}": "&#125;",
        "~": "&#126;",
        "\n": " ",
    }
)
#: Text inside <pre>: only entities, tags and signatures would be read there.
_PRE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;", "\n": " "})


def environment(templates: Mapping[str, str]) -> jinja2.Environment:
    """The environment of the on-wiki pages' templates (templates/onwiki/: bots.config.onwiki_templates)."""
    env = make_environment(templates)
    env.filters["value"] = lambda value: str(value).translate(_VALUE)
    env.filters["pre"] = lambda value: str(value).translate(_PRE)
    return env


def _render(env: jinja2.Environment, template: str, values: dict[str, Any]) -> str:
    return _stored(template, env.get_template(template).render(**values))


def _stored(template: str, rendered: str) -> str:
    """A rendered page as MediaWiki stores it (no trailing spaces); OnwikiError if saving would change it."""
    text = "\n".join(line.rstrip() for line in rendered.strip().split("\n"))
    if "~~~" in text or "\r" in text:
        raise OnwikiError(f"{template}: the page would change when saved (a signature or a carriage return)")
    return text


def partners_of(pages: PagesConfig) -> tuple[str, str] | None:
    """(the partner field, the title of the partners page) of the settings, or None when either is off."""
    field = pages.crosslink.fields.partner
    titles = [page.title for page in pages.generated if page.key == "partners"]
    return (field, titles[0]) if field and titles else None


def lua_module(schema: Schema, env: jinja2.Environment, partners: tuple[str, str] | None = None) -> str:
    """The Lua source of Module:<template> (bots.core.onwiki.lua), with this module's categories."""
    by_value: dict[str, dict[str, str]] = {}
    for category in value_categories(schema):
        assert category.spec is not None and category.choice is not None
        by_value.setdefault(category.spec.name, {})[category.choice.name] = category.name
    data = module_data(schema, by_value, tracking_category(schema).name, partners)
    return _stored("module.lua", module_source(env, data))


def onwiki_pages(
    schema: Schema, templates: Mapping[str, str], partners: tuple[str, str] | None = None
) -> dict[str, str]:
    """Title -> wikitext of every on-wiki page generated from the schema, in the order to save them.

    The /doc page comes before the infobox, which transcludes it (and its TemplateData); with
    ``schema.engine`` lua, the module comes before the template that invokes it. ``partners``:
    (the partner field, the page listing partners), for the module's links to partners' entries.
    Texts have no trailing white space, as MediaWiki stores them. With ``schema.existing`` (the wiki's own
    infobox), only the pages the bot owns: the list templates and their documentation.
    """
    env = environment(templates)
    pages = {} if schema.existing else infobox_pages(schema, env, partners)
    pages.update(list_template_pages(schema, env))  # volunteers' lists (bots/core/listdoc.py)
    return pages


def left_alone(schema: Schema, templates: Mapping[str, str], partners: tuple[str, str] | None = None) -> list[str]:
    """The titles of the infobox's own pages that ``onwiki_pages`` leaves out for the wiki's own infobox
    (``schema.existing``), to say so one by one; none otherwise."""
    return list(infobox_pages(schema, environment(templates), partners)) if schema.existing else []


def infobox_pages(schema: Schema, env: jinja2.Environment, partners: tuple[str, str] | None) -> dict[str, str]:
    """Title -> wikitext of the infobox itself: /doc, module, template, preloads, redirects, categories."""
    values = context(schema, env)
    template = values["template"]
    pages = {f"{template}/doc": _render(env, "doc.wikitext", values)}
    tracking = [tracking_category(schema)] if problems(schema) else []
    if schema.engine == "lua":
        pages[title("Module", schema.template)] = lua_module(schema, env, partners)
        pages[template] = _render(env, "infobox_lua.wikitext", values)
        tracking = [Category(tracking_category(schema).name)]
        tracking += [Category(problem_category(schema, code)) for code in problem_codes(schema)]
        tracking += [Category(problem_category(schema, code)) for code in finding_codes(schema)]
    else:
        pages[template] = _render(env, "infobox.wikitext", values)
    pages[f"{template}/preload"] = _render(env, "preload.wikitext", values)
    pages[f"{template}/blank"] = _render(env, "preload.wikitext", {**values, "visual": True})
    for alias in schema.template_aliases:
        pages[title("Template", alias)] = _render(env, "redirect.wikitext", {**values, "target": template})
    for category in [*value_categories(schema), *tracking]:
        pages[title("Category", category.name)] = _render(env, "category.wikitext", {**values, "category": category})
    return pages
