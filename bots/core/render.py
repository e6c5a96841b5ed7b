"""Jinja environment for wikitext, with escaping filters, and the pages' data.

Jinja's default delimiters clash with wikitext (``{{`` is a template and ``{#``
opens a comment inside ``{{#if:``), so templates here use ``<< value >>``,
``<% statement %>`` and ``<# comment #>``. Autoescape is off: every value that
came from a wiki page goes through the ``text`` filter, or ``link`` for links.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from bots.core.model import Issue, Partnership, severity_count
from bots.core.schema import Schema

#: Characters that could start markup anywhere in a line, as HTML entities.
#: ``:`` stops free links (https://...), ``_`` magic words, ``~`` signatures.
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "'": "&#39;",
    "~": "&#126;",
    "_": "&#95;",
    "=": "&#61;",
    ":": "&#58;",
    "!": "&#33;",
    "*": "&#42;",
    "#": "&#35;",
    ";": "&#59;",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
_TABLE = str.maketrans(_ESCAPES)


#: Magic links (ISBN 123..., RFC 123, PMID 123) are made from plain letters and digits;
#: an entity for the first letter keeps them text.
_MAGIC_LINK = re.compile(r"\b(ISBN|RFC|PMID)(?=\s)")


def escape_wikitext(value: object) -> str:
    """Render any value as literal text in wikitext: no link, template, tag, magic word or magic link."""
    escaped = str(value).translate(_TABLE)
    return _MAGIC_LINK.sub(lambda m: f"&#{ord(m.group(1)[0])};{m.group(1)[1:]}", escaped)


def wikilink(title: str, label: object = None) -> str:
    """A link to a page; the leading colon keeps Category: and File: titles links."""
    shown = escape_wikitext(title if label is None else label)
    return f"[[:{title}|{shown}]]"


def make_environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        block_start_string="<%",
        block_end_string="%>",
        variable_start_string="<<",
        variable_end_string=">>",
        comment_start_string="<#",
        comment_end_string="#>",
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text"] = escape_wikitext
    env.filters["link"] = wikilink
    return env


def display(schema: Schema, record: Partnership, field: str) -> str:
    """A field of a record as escaped wikitext: choice values by label, lists joined."""
    spec = schema.field(field)
    if spec.type == "yesno":
        return record.text(field)
    items = record.items(field)
    if spec.type == "choice":
        return ", ".join(escape_wikitext(spec.label_of(item)) for item in items)
    return "; ".join(escape_wikitext(item) for item in items)


@dataclass(frozen=True)
class Group:
    """Records sharing one value of a field (e.g. every content partnership)."""

    value: str
    label: str
    records: tuple[Partnership, ...]


def group_by(records: Iterable[Partnership], schema: Schema, field: str) -> list[Group]:
    """One group per canonical value of a choice field, in the schema's order, empty ones kept."""
    spec = schema.field(field)
    records = list(records)
    return [
        Group(
            value=choice.name,
            label=choice.label,
            records=tuple(r for r in records if choice.name in r.items(field)),
        )
        for choice in spec.choices
    ]


def page_context(
    records: Sequence[Partnership],
    issues: Sequence[Issue],
    schema: Schema,
    titles: Mapping[str, str],
    updated: str,
) -> dict[str, Any]:
    """Everything the page templates may use.

    ``records`` are all records read; those with an error are listed only in the report.
    """
    broken = {i.page for i in issues if i.severity == "error"}
    valid = sorted((r for r in records if r.title not in broken), key=lambda r: (r.name.casefold(), r.title))
    by_code = Counter(i.code for i in issues)
    issues_by_page: dict[str, list[Issue]] = {}
    for issue in sorted(issues, key=Issue.sort_key):
        issues_by_page.setdefault(issue.page, []).append(issue)
    return {
        "records": valid,
        "excluded": sorted(broken),
        "schema": schema,
        "show": lambda record, field: display(schema, record, field),
        "by_type": group_by(valid, schema, "type"),
        "by_lead": group_by(valid, schema, "lead"),
        "by_status": group_by(valid, schema, "status"),
        "issues_by_page": issues_by_page,
        "issue_counts": sorted(by_code.items()),
        "errors": severity_count(issues, "error"),
        "warnings": severity_count(issues, "warning"),
        "pages_read": len({r.title for r in records} | {i.page for i in issues}),
        "titles": titles,
        "updated": f'<span class="partnership-bot-updated">Last updated: {updated}.</span>',
    }


def render_page(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    return env.get_template(template).render(**context).strip() + "\n"
