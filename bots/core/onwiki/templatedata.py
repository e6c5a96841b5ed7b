"""TemplateData for VisualEditor's template dialog, and the preload's hints, from the schema.

VisualEditor's dialog shows each field with its label, description and example, marks it
required or suggested, and offers ``suggestedvalues`` in a drop-down that filters as one
types. TemplateData has no multi-select: a list field is a text ("string") whose
description says how to separate the values. Choices are offered by label, the words a
volunteer writes, which the bot and the infobox accept as well as the canonical names.

Fields with ``suggest_used`` in the schema (the partners, the chapter) also offer the
values the records already use, so that a partner is spelt the same way twice. The main
job (bots.update) keeps them current in the <templatedata> block of the template's /doc
page (``with_used_values``), and the installer carries them over (``carried_used_values``).

Pure: no pywikibot, no network.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bots.core.records.fields import NO, YES
from bots.core.records.model import Partnership
from bots.core.records.schema import FieldSpec, Schema

#: Words the infobox takes for yes and no, the canonical one first (as the validator does).
YES_WORDS = ("yes", *sorted(YES - {"yes"}))
NO_WORDS = ("no", *sorted(NO - {"no"}))

#: At most this many used values are offered per field: the most used ones. VisualEditor's
#: drop-down filters them as one types; a longer list would only make the page heavier.
USED_VALUES_LIMIT = 200

#: A used value is offered only when it is plain text of at most this many characters: picking a
#: suggestion must not put markup (a link, a category, a signature) on a volunteer's page.
OFFERED_LENGTH = 100
_MARKUP = ("[", "]", "{", "}", "<", ">", "|", "~", "''", "__", "\n")

#: The tag that holds TemplateData on the /doc page.
OPEN, CLOSE = "<templatedata>", "</templatedata>"

#: Values used in the records, per field name (fields with ``suggest_used``).
UsedValues = Mapping[str, Sequence[str]]


def _is_prose(spec: FieldSpec) -> bool:
    """A free-text field nobody must fill in: a line or a paragraph of prose (TemplateData "content")."""
    return spec.kind.is_free_text and not (spec.multiple or spec.required or spec.required_if or spec.unique)


def offered_words(spec: FieldSpec) -> tuple[str, ...]:
    """The values of a choice or yes/no field as a volunteer writes them: labels, yes and no."""
    if spec.kind.has_choices:
        return tuple(choice.label for choice in spec.choices)
    if spec.kind.is_flag:
        return (YES_WORDS[0], NO_WORDS[0])
    return ()


def separators_text(spec: FieldSpec) -> str:
    """How the items of a list field are separated, in words: "; or new lines"."""
    return " or ".join([*spec.separators, "new lines"])


def list_description(spec: FieldSpec) -> str:
    """The sentence a list field's TemplateData description ends with."""
    return f"Several values: separate them with {separators_text(spec)}."


def offerable(value: str) -> bool:
    """Whether a value a record uses may be offered as a suggestion: plain text, not too long."""
    return 0 < len(value) <= OFFERED_LENGTH and not any(mark in value for mark in _MARKUP)


def templatedata(schema: Schema, used: UsedValues | None = None) -> dict[str, Any]:
    """The infobox's TemplateData (for VisualEditor and the API), from the schema.

    ``used``: the values the records use, offered after the choices for ``suggest_used`` fields.
    """
    params: dict[str, Any] = {}
    for spec in schema.fields:
        description = spec.description or spec.label
        if spec.multiple:
            description = f"{description} {list_description(spec)}"
        param: dict[str, Any] = {
            "label": spec.label,
            "description": description,
            "type": _templatedata_type(spec),
        }
        offered = [*offered_words(spec), *((used or {}).get(spec.name, ()) if spec.suggest_used else ())]
        if offered:
            param["suggestedvalues"] = offered
        if spec.required:
            param["required"] = True
        elif spec.required_if:
            param["suggested"] = True
        if spec.aliases:
            param["aliases"] = list(spec.aliases)
        if spec.example:
            param["example"] = spec.example
        if spec.default:
            param["default"] = spec.default  # what the infobox takes when the parameter is empty or left out
        params[spec.name] = param
    return {
        "description": (
            f"The infobox of a {schema.template.lower()} record: one per page. A bot reads every page "
            "that uses it and checks each value against the rules in the template's documentation."
        ),
        "params": params,
        "paramOrder": [spec.name for spec in schema.fields],
        "format": "block",
    }


def _templatedata_type(spec: FieldSpec) -> str:
    """A list is text (VisualEditor's page and date inputs take one value); prose is "content"."""
    if spec.multiple:
        return "string"
    return "content" if _is_prose(spec) else spec.kind.templatedata_type


def dump(data: Mapping[str, Any]) -> str:
    """TemplateData as the text of a <templatedata> tag.

    ``~`` and ``<`` are written as JSON escapes: a ``~~~~`` would become a signature when
    the page is saved, and a ``</templatedata>`` would end the tag.
    """
    text = json.dumps(data, indent=1, ensure_ascii=False)
    return text.replace("~", "\\u007e").replace("<", "\\u003c")


def templatedata_json(schema: Schema, used: UsedValues | None = None) -> str:
    return dump(templatedata(schema, used))


# --- the values the records use --------------------------------------------------------


def used_values(
    records: Iterable[Partnership], schema: Schema, limit: int = USED_VALUES_LIMIT
) -> dict[str, tuple[str, ...]]:
    """The values of each ``suggest_used`` field in the records: the ``limit`` most used, in alphabetical order.

    Values that differ only in case are one value, spelt as most records spell it. A value
    that is already offered as a choice or yes/no is not repeated, nor one with markup (``offerable``).
    """
    fields = [spec for spec in schema.fields if spec.suggest_used]
    counts: dict[str, Counter[str]] = {spec.name: Counter() for spec in fields}
    for record in records:
        for spec in fields:
            counts[spec.name].update(item.strip() for item in record.items(spec.name) if offerable(item.strip()))
    used: dict[str, tuple[str, ...]] = {}
    for spec in fields:
        offered = {word.casefold() for word in offered_words(spec)}
        spellings: dict[str, Counter[str]] = {}
        for value, count in counts[spec.name].items():
            spellings.setdefault(value.casefold(), Counter())[value] = count
        ranked = sorted(
            (
                (sum(forms.values()), forms.most_common(1)[0][0])
                for key, forms in spellings.items()
                if key not in offered
            ),
            key=lambda pair: (-pair[0], pair[1].casefold(), pair[1]),
        )
        used[spec.name] = tuple(sorted((value for _, value in ranked[:limit]), key=lambda v: (v.casefold(), v)))
    return used


def _block(doc_text: str) -> tuple[str, dict[str, Any], str] | None:
    """(text before, TemplateData, text after) of the /doc page's first <templatedata> block; None if unreadable."""
    before, opened, rest = doc_text.partition(OPEN)
    body, closed, after = rest.partition(CLOSE)
    if not opened or not closed:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("params"), dict):
        return None
    return before, data, after


def used_in_doc(doc_text: str, schema: Schema) -> dict[str, tuple[str, ...]]:
    """The used values a /doc page offers now: its ``suggest_used`` fields' suggestions beyond the choices."""
    block = _block(doc_text)
    if block is None:
        return {}
    params = block[1]["params"]
    used: dict[str, tuple[str, ...]] = {}
    for spec in schema.fields:
        param = params.get(spec.name)
        if spec.suggest_used and isinstance(param, dict) and isinstance(param.get("suggestedvalues"), list):
            offered = offered_words(spec)
            used[spec.name] = tuple(v for v in param["suggestedvalues"] if isinstance(v, str) and v not in offered)
    return used


def with_used_values(doc_text: str, schema: Schema, used: UsedValues) -> str:
    """The /doc page with ``used`` as the suggestions of its ``suggest_used`` fields; only the
    <templatedata> block changes, and the text is returned as it is when nothing would change
    or the block is missing or not JSON (the bot never rewrites what it cannot read)."""
    block = _block(doc_text)
    if block is None:
        return doc_text
    before, data, after = block
    changed = json.loads(json.dumps(data))
    for spec in schema.fields:
        param = changed["params"].get(spec.name)
        if not spec.suggest_used or not isinstance(param, dict):
            continue
        offered = [*offered_words(spec), *used.get(spec.name, ())]
        if offered:
            param["suggestedvalues"] = offered
        else:
            param.pop("suggestedvalues", None)
    if changed == data:
        return doc_text
    return f"{before}{OPEN}\n{dump(changed)}\n{CLOSE}{after}"


def carried_used_values(old_doc: str, new_doc: str, schema: Schema) -> str:
    """The freshly generated /doc page, offering the used values the page on the wiki offers now
    (an install does not take them away until the next run of the main job)."""
    return with_used_values(new_doc, schema, used_in_doc(old_doc, schema))


# --- the preload's hints ---------------------------------------------------------------


def preload_hint(spec: FieldSpec) -> str:
    """What a field of the preload's blank infobox needs, as the text of a comment after its ``=``.

    "required; one of: Idea, Proposed, ..." MediaWiki and the bot read a value that is only
    a comment as empty, so the hint never becomes a value.
    """
    parts = []
    if spec.required:
        parts.append("required")
    elif spec.required_if:
        parts.append(f"required when {spec.required_if.field} is {spec.required_if.equals}")
    words = offered_words(spec)
    if words:
        parts.append(f"{'one or more' if spec.multiple else 'one'} of: {', '.join(words)}")
    elif not spec.kind.is_free_text:
        parts.append(spec.kind.list_words if spec.multiple else spec.kind.words)
    if spec.multiple:
        parts.append(f"separate several with {separators_text(spec)}")
    return "; ".join(parts).replace("--", "- -")
