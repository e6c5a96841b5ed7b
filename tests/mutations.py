"""A corpus of infoboxes as volunteers get them wrong: the sample pages, each mutated at random.

For the agreement test of the two validators (bots.validate and the Lua infobox's preview):
misspelt and doubled parameter names, values outside the choices, empty and missing
fields, unreadable dates, URLs, numbers and yes/no, end before start; lists written as editors
write them (``<br>``, bullets, a separator inside a link or a ref, the schema's list templates);
and values as Wikipedia's editors write them (templates, refs, links), which fields with
``wikitext: true`` read (and numbers, images and coordinates always). Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Template
from mwparserfromhell.nodes.extras import Parameter

from bots.core.records.items import is_line_break, separator_strings, template_key
from bots.core.records.schema import FieldSpec, Schema

#: Values nobody's reader takes, by field type (none in a template: the module would quote what it expands to).
BAD_VALUES = {
    "date": ("March 2012 or so", "2012-13", "soon", "31/02/2011", "2010-02-30", "Q3 2011", "20121"),
    "url": ("www.oslomuseum.no", "example org", "ftp//x", "http//wikimedia.org", "mailto"),
    "yesno": ("maybe", "perhaps", "ja", "2", "unclear"),
    "choice": ("on hold", "paused", "something else", "tech", "chapters and volunteers"),
    "page": ("A [[link]] inside", "Bad|title", "x{y}"),
    "number": ("unknown", "n/a", "many", "—"),
    "image": ("Louvre", "[[Louvre.jpg]]", "x{y}.jpg", "File:", "Photos/Louvre.jpg"),
    "coordinates": ("somewhere in Paris", "48.858", "91, 2", "48°61′N 2°E"),
}
#: Values as Wikipedia's editors write them, by field type: read by fields with ``wikitext: true`` (and
#: every number); on the local wiki the templates are stand-ins that expand as Wikipedia's do
#: (scripts/devwiki-seed.yaml).
WIKITEXT_VALUES = {
    "date": (
        "{{Start date|1793|08|10|df=y}}",
        "{{Start date|1870|4|13}}",
        "{{Start date and age|1901|5}}",
        "April 13, 1870",
        "13 April 1870<ref>A museum guide</ref>",
        "March 2012",
        "1793 (as Muséum central des arts)",
        "2009-04-22",
    ),
    "url": (
        "{{URL|https://www.louvre.fr/en}}",
        "{{URL|www.oslomuseum.no}}",
        "[https://www.moma.org/ MoMA]",
        "www.oslomuseum.no",
        "https://example.org/a?b=c#d",
    ),
    "number": (
        "{{increase}} 6,765,000 (2019)<ref>{{cite news|title=Visitor figures}}</ref>",
        "{{decrease}} 861,000",
        "1,234.5",
        "about 12000 a year",
    ),
    "page": ("[[Gyo Obata]] ([[HOK (firm)|HOK]])", "[[I. M. Pei|Pei]]", "Renzo Piano<ref>A source</ref>"),
    "image": (
        "Louvre Museum.jpg",
        "File:Louvre_pyramid.JPG",
        "[[File:Louvre.jpg|thumb|The [[Louvre Pyramid|pyramid]]]]",
        "[[Image:Louvre.jpg|250px]]<ref>A source</ref>",
    ),
    "coordinates": (
        "{{coord|48|51|29|N|2|20|08|E|type:landmark}}",
        "{{coord|48.858|2.294}}",
        "{{Coord|-33.8568|151.2153|display=inline}}",
        "{{coord|59|54|N|10|45|E}}",
        "48.858, 2.294",
        "48°51′29″N 2°20′08″E<ref>A map</ref>",
    ),
}
#: Types that read the forms of WIKITEXT_VALUES without ``wikitext: true``.
ALWAYS_WIKITEXT = frozenset({"number", "image", "coordinates"})

#: Items of list values, good and bad, by field type; a comma or semicolon inside a link is not a separator.
LIST_ITEMS = {
    "choice": ("content", "tech", "Outreach", "on hold", "[[Technology, infrastructure|technology]]", "[[a; b]]"),
    "page": ("Partnerships/Kiwix", "[[Partnerships/Orange; France|Orange]]", "x{y}", "[[Partnerships/A, B]]"),
    "text": ("Kiwix", "[[Museum of Islamic Art, Berlin|Islamic art]]", "Orange", "AT&amp;T"),
}
#: How a ref is written after an item: a separator inside it is not one.
REFS = ("<ref>Annual report; p. 4, 2010</ref>", "<ref name=report />", '<ref name="a;b">x, y</ref>')
#: List templates as Wikipedia names them: the items in bullets in the first parameter, or one a parameter.
PLAIN_LISTS = ("plainlist", "Plainlist", "plain list", "flatlist")
UNBULLETED_LISTS = ("ubl", "Unbulleted list", "unbulleted list")
#: The ways of writing the line break tag between items.
LINE_BREAKS = ("<br>", "<br />", "<BR/>", "<br/>")


@dataclass(frozen=True)
class Mutant:
    """One generated page: its text and what was done to the sample it came from."""

    text: str
    source: str
    mutations: tuple[str, ...]


def infobox_of(code: mwparserfromhell.wikicode.Wikicode, schema: Schema) -> Template | None:
    names = {schema.template.lower(), *(alias.lower() for alias in schema.template_aliases)}
    for template in code.filter_templates(recursive=False):
        if str(template.name).strip().lower() in names:
            return template
    return None


def _misspell(rng: random.Random, name: str) -> str:
    position = rng.randrange(len(name))
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop" and len(name) > 3:
        return name[:position] + name[position + 1 :]
    if kind == "swap" and position < len(name) - 1:
        return name[:position] + name[position + 1] + name[position] + name[position + 2 :]
    return name[:position] + name[position] + name[position:]


def _spec(schema: Schema, name: str) -> FieldSpec | None:
    return next((spec for spec in schema.fields if name == spec.name or name in spec.aliases), None)


def mutations(schema: Schema) -> dict[str, Callable[[random.Random, Template], bool]]:
    """Each kind of mistake: applied to an infobox, True when it changed something."""

    def misspell_name(rng: random.Random, box: Template) -> bool:
        params = [p for p in box.params if not p.showkey or str(p.name).strip()]
        if not params:
            return False
        param = rng.choice(params)
        wrong = _misspell(rng, str(param.name).strip())
        if _spec(schema, wrong):
            return False
        param.name = f" {wrong} "
        return True

    def double_name(rng: random.Random, box: Template) -> bool:
        """The same parameter twice, as a pasted line leaves it: MediaWiki keeps the last."""
        named = [param for param in box.params if param.showkey]  # a pasted line has its name
        if not named:
            return False
        param = rng.choice(named)
        box.params.append(Parameter(str(param.name), f" {str(param.value).strip()}\n", showkey=True))
        return True

    def bad_value(rng: random.Random, box: Template) -> bool:
        candidates = [spec for spec in schema.fields if spec.type in BAD_VALUES]
        spec = rng.choice(candidates)
        box.add(spec.name, rng.choice(BAD_VALUES[spec.type]), preserve_spacing=True)
        return True

    def empty_field(rng: random.Random, box: Template) -> bool:
        params = [p for p in box.params if str(p.value).strip()]
        if not params:
            return False
        param = rng.choice(params)
        param.value = "\n"
        return True

    def missing_field(rng: random.Random, box: Template) -> bool:
        params = list(box.params)
        if not params:
            return False
        box.remove(rng.choice(params))
        return True

    def end_before_start(rng: random.Random, box: Template) -> bool:
        """The schema's first date-order rule broken (partnerships: end before start)."""
        if not schema.rules:
            return False
        rule = schema.rules[0]
        year = rng.randrange(2001, 2015)
        box.add(rule.other, f"{year}-{rng.randrange(1, 13):02d}", preserve_spacing=True)
        box.add(rule.field, str(year - rng.randrange(1, 5)), preserve_spacing=True)
        return True

    def wikitext_value(rng: random.Random, box: Template) -> bool:
        """A value as Wikipedia's editors write it, in a field that reads wikitext, or a choice written as a link."""
        fields = [
            spec
            for spec in schema.fields
            if spec.kind.has_choices
            or (spec.type in WIKITEXT_VALUES and (spec.wikitext or spec.type in ALWAYS_WIKITEXT))
        ]
        if not fields:
            return False
        spec = rng.choice(fields)
        if spec.kind.has_choices:
            choice = rng.choice(spec.choices)
            value = f"[[{rng.choice((choice.name, choice.label, *choice.synonyms))}]]"
        else:
            value = rng.choice(WIKITEXT_VALUES[spec.type])
        # in the parameter the page already uses for the field (an alias perhaps), as an editor changes a value
        names = (spec.name, *spec.aliases)
        used = next((str(p.name).strip() for p in box.params if str(p.name).strip() in names), spec.name)
        box.add(used, value, preserve_spacing=True)
        return True

    def chapter_lead_without_chapter(rng: random.Random, box: Template) -> bool:
        box.add("lead", rng.choice(("chapter", "Chapter")), preserve_spacing=True)
        if box.has("chapter"):
            box.remove("chapter")
        return True

    def positional_value(rng: random.Random, box: Template) -> bool:
        """A line without its name, as when ``name =`` is deleted by mistake."""
        box.params.append(Parameter(str(len(box.params) + 1), rng.choice((" Orange\n", " content\n")), showkey=False))
        return True

    def list_form(rng: random.Random, box: Template) -> bool:
        """A list field written as editors write lists: <br>, bullets, links, refs, list templates."""
        lists = [spec for spec in schema.fields if spec.multiple and spec.kind.lua_reader in LIST_ITEMS]
        if not lists:
            return False
        spec = rng.choice(lists)
        known = {template_key(name) for name in spec.list_templates}
        plainlists = [name for name in PLAIN_LISTS if template_key(name) in known]
        unbulleted = [name for name in UNBULLETED_LISTS if template_key(name) in known]
        form = rng.choice(
            ["bullets", "separator", "line break"]
            + ["plainlist"] * bool(plainlists)
            + ["unbulleted"] * bool(unbulleted)
        )
        # In a template's parameter, braces would close it and "=" (in a ref's name) would name the parameter.
        written = [
            item
            for item in LIST_ITEMS[spec.kind.lua_reader]
            if form not in ("plainlist", "unbulleted") or "{" not in item
        ]
        items = [rng.choice(written) for _ in range(rng.randrange(2, 4))]
        if rng.random() < 0.4:
            refs = REFS if form != "unbulleted" else [ref for ref in REFS if "=" not in ref]
            items[rng.randrange(len(items))] += rng.choice(refs)
        plain = [sep for sep in separator_strings(spec.separators) if not is_line_break(sep) and sep != "\n"]
        if form == "bullets":
            value = "".join(f"\n{rng.choice('*#')} {item}" for item in items) + "\n"
        elif form == "line break":
            value = rng.choice(LINE_BREAKS).join(items)  # one item where <br> is not a separator
        elif form == "plainlist":
            value = f"{{{{{rng.choice(plainlists)}|" + "".join(f"\n* {item}" for item in items) + "\n}}"
        elif form == "unbulleted":
            value = f"{{{{{rng.choice(unbulleted)}|" + "|".join(items) + "}}"
        else:
            value = items[0] + "".join(f"{rng.choice(plain)} {item}" for item in items[1:]) if plain else items[0]
        box.add(spec.name, value, preserve_spacing=True)
        return True

    kinds: dict[str, Callable[[random.Random, Template], bool]] = {
        "list-form": list_form,
        "positional-value": positional_value,
        "misspell-name": misspell_name,
        "double-name": double_name,
        "bad-value": bad_value,
        "empty-field": empty_field,
        "missing-field": missing_field,
        "end-before-start": end_before_start,
        "chapter-lead-without-chapter": chapter_lead_without_chapter,
    }
    if any(spec.wikitext or spec.type in ALWAYS_WIKITEXT for spec in schema.fields):
        kinds["wikitext-value"] = wikitext_value  # a schema without such fields keeps its corpus
    return kinds


def mutants(samples: list[tuple[str, str]], schema: Schema, count: int, seed: int = 18) -> Iterator[Mutant]:
    """``count`` pages made from the samples (title, text that holds the infobox), one to three mistakes each."""
    rng = random.Random(seed)
    kinds = mutations(schema)
    usable = [(title, text) for title, text in samples if infobox_of(mwparserfromhell.parse(text), schema)]
    made = 0
    while made < count:
        title, text = usable[made % len(usable)]
        code = mwparserfromhell.parse(text)
        box = infobox_of(code, schema)
        assert box is not None
        done = []
        for kind in rng.sample(sorted(kinds), rng.randrange(1, 4)):
            if kinds[kind](rng, box):
                done.append(kind)
        yield Mutant(text=str(code), source=title, mutations=tuple(done))
        made += 1
