"""What a field's value means: one class per field type of config/schema.yaml.

Each type knows how to read a raw value (into a value, or a Problem worded for the
volunteer), its canonical form (what the normalise script writes), what a list
query's filter word means and how a value matches it, its sort key and section,
and how it is shown. Validation, the list query language, the normalise script
and the rendering all ask here; FIELD_TYPES is the only place a type's name is
looked up (``FieldSpec.kind``), so a new type is one class and one registry entry.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from bots.core.records.items import split_list
from bots.core.records.model import Value
from bots.core.records.wikitext import (
    FILE_PREFIXES,
    external_link_labels,
    external_link_url,
    file_link_target,
    link_labels,
    link_targets,
    plain,
    template_name,
    template_parameter,
    whole_link_target,
)

if TYPE_CHECKING:
    from mwparserfromhell.nodes import Template

    from bots.core.records.schema import FieldSpec

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
ILLEGAL_TITLE_CHARS = set("#<>[]|{}")
LINK_RE = re.compile(r"^\[\[([^\[\]|]*)(?:\|[^\[\]]*)?\]\]$")
#: How a list query writes "any value" and "no value" (shown in the messages of its filters).
ANY = "(any)"
NONE = "(none)"
#: A range of dates in a list query's filter: 2008..2010, 2009-04.., ..2010.
RANGE = ".."


@dataclass(frozen=True)
class Problem:
    """Why a raw value is not a value of its field, worded for the volunteer who wrote it."""

    code: str
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class Wanted:
    """What a list query's filter asks of a field: one of ``values``, or a date (or a number) within
    [date_from, date_to]."""

    values: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""


@dataclass(frozen=True)
class ValueTemplates:
    """Which templates carry a value, and in which of their parameters (schema.yaml's
    ``date_templates`` and ``url_templates``): config, so that a wiki's own templates need no code."""

    #: (template name, (the parameters of year, month, day)) each: ``{{Start date|1793|08|10}}``.
    dates: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: (template name, the parameter of the address) each: ``{{URL|https://example.org}}``.
    urls: tuple[tuple[str, str], ...] = ()
    #: (template name, (its parameters, read in order as coordinates)) each: ``{{coord|48|51|29|N|2|20|8|E}}``.
    coordinates: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def date_parameters(self, template: Template) -> tuple[str, ...] | None:
        name = template_name(str(template.name))
        return next((params for named, params in self.dates if template_name(named) == name), None)

    def url_parameter(self, template: Template) -> str | None:
        name = template_name(str(template.name))
        return next((param for named, param in self.urls if template_name(named) == name), None)

    def coordinates_parameters(self, template: Template) -> tuple[str, ...] | None:
        name = template_name(str(template.name))
        return next((params for named, params in self.coordinates if template_name(named) == name), None)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """The closest candidate to ``word`` (case-insensitive), or ''."""
    by_lower = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else ""


def quote(text: str, limit: int = 60) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def text_of(value: Value | None) -> str:
    """A value as one line of text: lists joined by "; ", flags as yes or no (as Partnership.text)."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "; ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def items_of(value: Value | None) -> tuple[str, ...]:
    """A value's items (one for a single value, none for no value), as Partnership.items."""
    if value is None or value == "":
        return ()
    if isinstance(value, tuple):
        return value
    return (text_of(value),)


def list_separator(spec: FieldSpec) -> str:
    """How the bot writes a list: the field's first separator and a space (``; ``, ``, ``)."""
    return f"{spec.separators[0]} "


# --- what values of each type mean -------------------------------------------------------


def match_choice(spec: FieldSpec, word: str) -> str | None:
    """The canonical value for ``word``: a value, its label or a synonym, any case; a link by its target."""
    target = whole_link_target(word)
    if target is not None:
        word = target
    folded = " ".join(word.replace("_", " ").split()).casefold()
    for choice in spec.choices:
        accepted = (choice.name, choice.label, *choice.synonyms)
        if folded in (a.casefold() for a in accepted):
            return choice.name
    return None


def date_bounds(iso: str) -> tuple[str, str]:
    """Earliest and latest day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) can mean."""
    parts = iso.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return f"{iso}-01", f"{iso}-{last:02d}"
    return iso, iso


def normalise_date(raw: str) -> str | None:
    """``raw`` if it is a real date written YYYY, YYYY-MM or YYYY-MM-DD, else None."""
    match = DATE_RE.match(raw)
    if not match:
        return None
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return None
    if day and not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return None
    return raw


MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number], calendar.month_abbr[number] + ".")
}
MONTHS["sept"] = MONTHS["sept."] = 9
_NUMERIC_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+\.?)\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+\.?),?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def _iso(year: str, month: int | None = None, day: int | None = None) -> str | None:
    text = year if month is None else f"{year}-{month:02d}" if day is None else f"{year}-{month:02d}-{day:02d}"
    return normalise_date(text)


def canonical_date(raw: str) -> tuple[str | None, str]:
    """(ISO date, '') for a date written in a common way, or (None, why not).

    Reads 2009, 2009-4, 2009/04/22, 22.04.2009, April 2009, 22 April 2009 and
    April 22, 2009. A day/month order it cannot tell (04/05/2009) is not guessed.
    """
    text = " ".join(raw.split())
    if normalise_date(text):
        return text, ""
    if match := _NUMERIC_DATE.match(text):
        year, month, day = match.groups()
        return _iso(year, int(month), int(day) if day else None), ""
    if match := _DAY_FIRST.match(text):
        first, second, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if "." in text:
            return _iso(year, second, first), ""
        if first > 12 >= second:
            return _iso(year, second, first), ""
        if second > 12 >= first:
            return _iso(year, first, second), ""
        if first == second:
            return _iso(year, first, first), ""
        return None, "the order of day and month is ambiguous"
    if match := _MONTH_YEAR.match(text):
        month = MONTHS.get(match.group(1).casefold())
        return (_iso(match.group(2), month), "") if month else (None, "")
    for pattern, day_group, month_group in ((_DAY_MONTH_YEAR, 1, 2), (_MONTH_DAY_YEAR, 2, 1)):
        if match := pattern.match(text):
            month = MONTHS.get(match.group(month_group).casefold())
            return (_iso(match.group(3), month, int(match.group(day_group))), "") if month else (None, "")
    return None, ""


#: What may follow a date read from the start of a value: not a letter, digit, "_", ".", "/" or "-"
#: (so that 2012-13, 1870s and 2012.5 are not read as a date followed by more).
_DATE_END = r"(?![A-Za-z0-9_./-])"
_LEADING_DATES = (
    (re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?" + _DATE_END), "ymd"),
    (re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+\.?),? (\d{4})" + _DATE_END), "dmy"),
    (re.compile(r"([A-Za-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})" + _DATE_END), "mdy"),
    (re.compile(r"([A-Za-z]+\.?),? (\d{4})" + _DATE_END), "my"),
    (re.compile(r"(\d{4})" + _DATE_END), "y"),
)


def leading_date(text: str) -> str | None:
    """The ISO date that ``text`` (one line, single spaces) starts with, or None.

    Reads 1870-04-13, 1870-04, 13 April 1870, April 13, 1870, April 1870 and a year,
    each followed by the end or by words that are not part of it ("1870 (as X)").
    The module's ``leading_date`` reads the same forms.
    """
    for pattern, order in _LEADING_DATES:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groups()
        if order == "ymd":
            return _iso(parts[0], int(parts[1]), int(parts[2]) if parts[2] else None)
        if order == "y":
            return _iso(parts[0])
        words = dict(zip(order, parts, strict=True))
        month = MONTHS.get(words["m"].casefold())
        if month is None:
            return None
        return _iso(words["y"], month, int(words["d"]) if "d" in words else None)
    return None


def date_template_text(spec: FieldSpec, template: Template) -> str | None:
    """What a date template the schema names stands for: YYYY-MM-DD from its parameters (None: not one)."""
    params = spec.templates.date_parameters(template)
    if params is None:
        return None
    parts = [template_parameter(template, name) for name in params]
    given = parts[: next((i for i, part in enumerate(parts) if not part), len(parts))]
    padded = [part.zfill(2) if index and part.isdigit() else part for index, part in enumerate(given)]
    return "-".join(padded) or "?"


def wikitext_date(spec: FieldSpec, raw: str) -> str | None:
    """The date a value written in wikitext starts with (its date templates as the schema says), or None."""
    return leading_date(link_labels(plain(raw, lambda template: date_template_text(spec, template))))


#: The first number of a value: thousands separated by commas, or not; a decimal part.
FIRST_NUMBER_RE = re.compile(r"(?:\d{1,3}(?:,\d{3}(?!\d))+|\d+)(?:\.\d+)?")


def first_number(raw: str) -> str | None:
    """The first number of a value written in wikitext, in its canonical form (1234.5), or None.

    Templates (``{{increase}}``), refs, files and tags are no part of it; thousands commas are
    dropped; what follows the number ("(2019)", "million") is not read. The module's
    ``first_number`` reads the same.
    """
    match = FIRST_NUMBER_RE.search(link_labels(plain(raw)))
    if not match:
        return None
    whole, _, fraction = match.group().replace(",", "").partition(".")
    return (whole.lstrip("0") or "0") + (f".{fraction}" if fraction else "")


def number_shown(number: str) -> str:
    """A canonical number with its thousands separated by commas, as the box shows it."""
    whole, dot, fraction = number.partition(".")
    return f"{int(whole):,}{dot}{fraction}"


def normalise_title(raw: str) -> str | None:
    """A page title as MediaWiki stores it, or None if it cannot be one.

    Accepts a bare title or a link (``[[Title]]``, ``[[Title|label]]``).
    """
    link = LINK_RE.match(raw)
    title = link.group(1) if link else raw
    title = " ".join(title.replace("_", " ").split()).lstrip(":")
    if not title or ILLEGAL_TITLE_CHARS & set(title) or len(title.encode()) > 255:
        return None
    return title[0].upper() + title[1:]


#: Characters of markup: a value holding one is never suggested as an address (no https://{{URL|…}}).
MARKUP = frozenset("[]{}<>|")


def wikitext_url(spec: FieldSpec, raw: str) -> str:
    """The address a value written in wikitext gives: of its URL template (as the schema says), of an
    external link ``[https://… label]`` it starts with, or the value itself; ``www.…`` as https://www.…"""

    def carried(template: Template) -> str | None:
        param = spec.templates.url_parameter(template)
        if param is None:
            return None
        url = template_parameter(template, param)
        return url if not url or "://" in url or url.startswith("//") else f"https://{url}"

    text = plain(raw, carried)
    url = external_link_url(text) or text
    return f"https://{url}" if url[:4].casefold() == "www." else url


def valid_url(raw: str) -> bool:
    try:
        parts = urlsplit(raw)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in raw)


#: A file's name: a title with an extension (MediaWiki takes no file without one).
FILE_NAME_RE = re.compile(r".+\.[A-Za-z0-9]{2,5}")
#: Characters no file name may hold (MediaWiki's $wgIllegalFileChars, and what no title may hold).
ILLEGAL_FILE_CHARS = ILLEGAL_TITLE_CHARS | set(":/\\")


def file_name(raw: str) -> str | None:
    """The name of the file a value shows, as MediaWiki stores it, or None.

    Reads ``Louvre.jpg``, ``File:Louvre.jpg``, ``Image:Louvre.jpg`` and the first link to a file
    (``[[File:Louvre.jpg|thumb|…]]``); refs and comments are no part of it. The module's
    ``file_name`` reads the same.
    """
    name = file_link_target(raw)
    if name is None:
        text = plain(raw)
        prefix, colon, rest = text.partition(":")
        name = rest if colon and prefix.strip().lower() in FILE_PREFIXES else text
    name = " ".join(name.replace("_", " ").split())
    if not FILE_NAME_RE.fullmatch(name) or ILLEGAL_FILE_CHARS & set(name) or len(name.encode()) > 240:
        return None
    return name[0].upper() + name[1:]


#: Marks of degrees, minutes and seconds, and the commas between numbers: spaces to the reader of coordinates.
COORDINATE_MARKS = str.maketrans(dict.fromkeys("°′″'\",;", " "))
_UNSIGNED = re.compile(r"\d+(?:\.\d+)?")
_SIGNED = re.compile(r"-?\d+(?:\.\d+)?")
#: The hemisphere letters of latitude and of longitude.
HEMISPHERES = (frozenset("NS"), frozenset("EW"))


def _coordinate_half(tokens: list[str], start: int, letters: frozenset[str]) -> tuple[float, int] | None:
    """Degrees [minutes [seconds]] and a hemisphere letter from ``tokens[start]``: (degrees, the next token)."""
    end = start
    while end < len(tokens) and end - start < 3 and _UNSIGNED.fullmatch(tokens[end]):
        end += 1
    parts = tokens[start:end]
    if not parts or end >= len(tokens) or tokens[end] not in letters:
        return None
    if any("." in part for part in parts[:-1]) or any(float(part) >= 60 for part in parts[1:]):
        return None
    degrees = float(parts[0])
    for part, per_degree in zip(parts[1:], (60, 3600), strict=False):
        degrees = degrees + float(part) / per_degree
    return (-degrees if tokens[end] in "SW" else degrees), end + 1


def leading_coordinates(text: str) -> tuple[float, float] | None:
    """The (latitude, longitude) in decimal degrees that ``text`` starts with, or None.

    Reads ``48.858, 2.294`` (signed decimal degrees) and ``48°51′29″N 2°20′08″E`` (degrees,
    minutes and seconds, or fewer, each half with its hemisphere letter; the marks may be spaces,
    as a coordinates template's parameters are read); what follows is not read. The label of an
    external link is read (a coordinates template links its words to a map). The module's
    ``leading_coordinates`` reads the same.
    """
    tokens = external_link_labels(text).translate(COORDINATE_MARKS).split()
    latitude = _coordinate_half(tokens, 0, HEMISPHERES[0])
    longitude = _coordinate_half(tokens, latitude[1], HEMISPHERES[1]) if latitude else None
    if latitude and longitude:
        pair = latitude[0], longitude[0]
    elif (
        not latitude
        and len(tokens) >= 2
        and all(_SIGNED.fullmatch(token) for token in tokens[:2])
        and not (len(tokens) > 2 and (_SIGNED.fullmatch(tokens[2]) or tokens[2] in HEMISPHERES[0] | HEMISPHERES[1]))
    ):
        pair = float(tokens[0]), float(tokens[1])
    else:
        return None
    return pair if -90 <= pair[0] <= 90 and -180 <= pair[1] <= 180 else None


def degrees_text(degrees: float) -> str:
    """Decimal degrees to six places (about 0.1 m), trailing zeros dropped, as the module writes them."""
    text = f"{degrees:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def coordinates_template_text(spec: FieldSpec, template: Template) -> str | None:
    """What a coordinates template the schema names stands for: its parameters in order (None: not one)."""
    params = spec.templates.coordinates_parameters(template)
    if params is None:
        return None
    parts = [template_parameter(template, name) for name in params]
    return " ".join(parts[: next((i for i, part in enumerate(parts) if not part), len(parts))]) or "?"


def read_coordinates(spec: FieldSpec, raw: str) -> str | None:
    """A value's coordinates as ``latitude, longitude`` in decimal degrees, or None."""
    pair = leading_coordinates(link_labels(plain(raw, lambda template: coordinates_template_text(spec, template))))
    return None if pair is None else ", ".join(degrees_text(degrees) for degrees in pair)


def coordinates_pair(value: str) -> tuple[float, float]:
    """A coordinates field's value as (latitude, longitude)."""
    latitude, _, longitude = value.partition(",")
    return float(latitude), float(longitude)


# --- the types ---------------------------------------------------------------------------

#: (order, key, label) of one section of a list sectioned by a field.
Group = tuple[object, str, str]


class FieldType:
    """What values of one type mean. The base class is plain text: any value, as written."""

    name: ClassVar[str] = "text"
    #: The words the infobox's documentation uses for a value, and for a list of values.
    words: ClassVar[str] = "text"
    list_words: ClassVar[str] = "list"
    #: TemplateData's type of the parameter.
    templatedata_type: ClassVar[str] = "string"
    #: Values are one of the schema's ``values`` (the field needs them).
    has_choices: ClassVar[bool] = False
    #: Values are dates, so rules that compare dates may name the field.
    is_date: ClassVar[bool] = False
    #: Values are titles of pages on the wiki (a list shows them as links).
    is_title: ClassVar[bool] = False
    #: The namespace a title is in when written without one ("" for any namespace).
    namespace: ClassVar[str] = ""
    #: Values are yes or no.
    is_flag: ClassVar[bool] = False
    #: Values are free text: any words, a line or a paragraph of prose.
    is_free_text: ClassVar[bool] = False
    #: The normalise script rewrites a single value into its canonical form (lists it always rejoins).
    rewrites: ClassVar[bool] = False
    #: A list query's filter splits its words on commas too (else a comma may be part of a value).
    query_commas: ClassVar[bool] = False
    #: How the shown items of a value are joined.
    shown_separator: ClassVar[str] = "; "
    #: The reader of templates/onwiki/module.lua that reads values of this type as ``read`` does: a class
    #: that defines ``read`` names its own (tests/test_lua.py checks that the Lua side has each).
    lua_reader: ClassVar[str] = "text"
    #: The code of the Problem ``read`` gives ("" when every value is valid): the Lua module's too.
    problem_code: ClassVar[str] = ""

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        """One item as written on a page -> its value in the record, or why it is not valid.

        A page field read as wikitext (``wikitext: true``) gives every link of an item of a list.
        """
        return raw

    def canonical(self, spec: FieldSpec, raw: str) -> str | Problem:
        """One item as the normalise script writes it (Problem.message: why it cannot)."""
        return raw

    def wanted(self, spec: FieldSpec, text: str, parameter: str) -> tuple[Wanted | None, list[Problem]]:
        """A list query's filter on the field (other than (any) and (none)) -> what it asks for."""
        values: list[str] = []
        problems: list[Problem] = []
        for word in split_list(text, ",;" if self.query_commas else ";"):  # never inside a link or template
            if word:
                value = self.query_word(spec, word, parameter)
                if isinstance(value, Problem):
                    problems.append(value)
                elif value not in values:
                    values.append(value)
        return (Wanted(values=tuple(values)) if values else None), problems

    def query_word(self, spec: FieldSpec, word: str, parameter: str) -> str | Problem:
        """One word of a list query's filter -> the form ``matches`` compares."""
        return word.casefold()

    def matches(self, spec: FieldSpec, value: Value, wanted: Wanted) -> bool:
        """Whether a record's (non-empty) value is one the filter wants."""
        return any(item.casefold() in wanted.values for item in items_of(value))

    def sort_key(self, spec: FieldSpec, value: Value) -> tuple[object, ...]:
        """A comparable form of a (non-empty) value."""
        return tuple(item.casefold() for item in items_of(value))

    def groups(self, spec: FieldSpec, value: Value) -> list[Group]:
        """The sections a (non-empty) value puts its record in: (order, key, label) each."""
        return [(item.casefold(), item.casefold(), item) for item in items_of(value)]

    def shown(self, spec: FieldSpec, value: Value | None) -> list[str]:
        """The value as a reader sees it, item by item (unescaped; joined by ``shown_separator``)."""
        return list(items_of(value))


class TextType(FieldType):
    is_free_text = True


class ChoiceType(FieldType):
    name = "choice"
    words = "one of the values listed"
    list_words = "list of the values listed"
    has_choices = True
    rewrites = True
    query_commas = True
    shown_separator = ", "
    lua_reader = "choice"
    problem_code = "unknown-value"

    def suggest(self, spec: FieldSpec, word: str) -> str:
        """The canonical value closest to a word that is none, or ''."""
        accepted = [w for c in spec.choices for w in (c.name, c.label, *c.synonyms)]
        close = did_you_mean(word, accepted)
        return (match_choice(spec, close) or "") if close else ""

    def valid(self, spec: FieldSpec) -> str:
        return ", ".join(c.name for c in spec.choices)

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        value = match_choice(spec, raw)
        if value is not None:
            return value
        suggestion = self.suggest(spec, raw)
        labels = {c.name: c.label for c in spec.choices}
        hint = f" Did you mean {quote(labels[suggestion])}?" if suggestion else ""
        allowed = ", ".join(labels.values())
        return Problem(
            self.problem_code, f"{quote(raw)} is not a known {spec.name}.{hint} Allowed: {allowed}.", suggestion
        )

    def canonical(self, spec: FieldSpec, raw: str) -> str | Problem:
        value = match_choice(spec, raw)
        return Problem("not-normalised", f"{quote(raw, 80)} is not a known {spec.name}") if value is None else value

    def query_word(self, spec: FieldSpec, word: str, parameter: str) -> str | Problem:
        value = match_choice(spec, word)
        if value is not None:
            return value
        suggestion = self.suggest(spec, word)
        hint = f" Did you mean {quote(suggestion)}?" if suggestion else ""
        return Problem(
            "list-unknown-value",
            f"{quote(word)} is not a known {spec.name}.{hint} Valid values: {self.valid(spec)}; or {ANY} or {NONE}.",
            suggestion,
        )

    def matches(self, spec: FieldSpec, value: Value, wanted: Wanted) -> bool:
        return any(item in wanted.values for item in items_of(value))

    def sort_key(self, spec: FieldSpec, value: Value) -> tuple[object, ...]:
        order = [c.name for c in spec.choices]
        return tuple(order.index(item) for item in items_of(value))

    def groups(self, spec: FieldSpec, value: Value) -> list[Group]:
        order = [c.name for c in spec.choices]
        return [(order.index(item), item, spec.label_of(item)) for item in items_of(value)]

    def shown(self, spec: FieldSpec, value: Value | None) -> list[str]:
        return [spec.label_of(item) for item in items_of(value)]


class DateType(FieldType):
    """A date, or a month or year: YYYY-MM-DD, YYYY-MM, YYYY. A partial date is a span of days."""

    name = "date"
    words = "date (YYYY, YYYY-MM or YYYY-MM-DD)"
    list_words = "list of dates (YYYY, YYYY-MM or YYYY-MM-DD)"
    templatedata_type = "date"
    is_date = True
    rewrites = True
    lua_reader = "date"
    problem_code = "bad-date"

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        value = wikitext_date(spec, raw) if spec.wikitext else normalise_date(raw)
        if value is not None:
            return value
        return Problem(
            self.problem_code, f"{quote(raw)} is not a date. Write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2009-04."
        )

    def canonical(self, spec: FieldSpec, raw: str) -> str | Problem:
        date, why = canonical_date(raw)
        if date is None:
            because = f" ({why})" if why else ""
            return Problem("not-normalised", f"{quote(raw, 80)} is not a date this script can read{because}")
        return date

    def wanted(self, spec: FieldSpec, text: str, parameter: str) -> tuple[Wanted | None, list[Problem]]:
        low, sep, high = (part.strip() for part in text.partition(RANGE))
        if not sep:
            high = low
        dates = [normalise_date(part) if part else "" for part in (low, high)]
        if None in dates or not (low or high):
            return None, [
                Problem(
                    "list-bad-date",
                    f"{quote(text)} in {parameter} is not a date or a range of dates. Write YYYY, YYYY-MM or "
                    f"YYYY-MM-DD, or a range such as 2008..2010, 2009-04.. or ..2010; or {ANY} or {NONE}.",
                )
            ]
        date_from = date_bounds(low)[0] if low else ""
        date_to = date_bounds(high)[1] if high else ""
        if date_from and date_to and date_from > date_to:
            return None, [
                Problem(
                    "list-bad-range",
                    f"The range {quote(text)} in {parameter} is empty: it starts after it ends. "
                    f"Write the earlier date first, e.g. {high}..{low}.",
                )
            ]
        return Wanted(date_from=date_from, date_to=date_to), []

    def matches(self, spec: FieldSpec, value: Value, wanted: Wanted) -> bool:
        # A partial date is a span (2009 is all of 2009): it matches when the span meets the range.
        first, last = date_bounds(text_of(value))
        return (not wanted.date_from or last >= wanted.date_from) and (not wanted.date_to or first <= wanted.date_to)

    def sort_key(self, spec: FieldSpec, value: Value) -> tuple[object, ...]:
        return (date_bounds(text_of(value))[0],)

    def groups(self, spec: FieldSpec, value: Value) -> list[Group]:
        year = text_of(value)[:4]
        return [(year, year, year)]


class NumberType(FieldType):
    """A number: the first number of the value as editors write it (``{{increase}} 6,765,000 (2019)``)."""

    name = "number"
    words = "number"
    list_words = "list of numbers"
    templatedata_type = "number"
    lua_reader = "number"
    problem_code = "bad-number"

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        number = first_number(raw)
        if number is not None:
            return number
        return Problem(self.problem_code, f"{quote(raw)} holds no number. Write a number, e.g. 1,250,000.")

    def wanted(self, spec: FieldSpec, text: str, parameter: str) -> tuple[Wanted | None, list[Problem]]:
        """A number, several (separated by ";"), or a range such as 1000..5000, 1000.. or ..5000."""
        low, sep, high = (part.strip() for part in text.partition(RANGE))
        if not sep:
            return super().wanted(spec, text, parameter)
        bounds = [first_number(part) if part else "" for part in (low, high)]
        if None in bounds or not (low or high):
            return None, [self._bad(text, parameter)]
        return Wanted(date_from=bounds[0] or "", date_to=bounds[1] or ""), []

    def _bad(self, text: str, parameter: str) -> Problem:
        return Problem(
            "list-bad-number",
            f"{quote(text)} in {parameter} is not a number or a range of numbers. Write e.g. 5000, "
            f"1000..5000, 1000.. or ..5000; or {ANY} or {NONE}.",
        )

    def query_word(self, spec: FieldSpec, word: str, parameter: str) -> str | Problem:
        return first_number(word) or self._bad(word, parameter)

    def matches(self, spec: FieldSpec, value: Value, wanted: Wanted) -> bool:
        numbers = [float(item) for item in items_of(value)]
        if wanted.values:
            return any(number == float(w) for number in numbers for w in wanted.values)
        return any(
            (not wanted.date_from or number >= float(wanted.date_from))
            and (not wanted.date_to or number <= float(wanted.date_to))
            for number in numbers
        )

    def sort_key(self, spec: FieldSpec, value: Value) -> tuple[object, ...]:
        return tuple(float(item) for item in items_of(value))

    def groups(self, spec: FieldSpec, value: Value) -> list[Group]:
        return [(float(item), item, number_shown(item)) for item in items_of(value)]

    def shown(self, spec: FieldSpec, value: Value | None) -> list[str]:
        return [number_shown(item) for item in items_of(value)]


class UrlType(FieldType):
    name = "url"
    words = "web address (https://…)"
    list_words = "list of web addresses"
    templatedata_type = "url"
    lua_reader = "url"
    problem_code = "bad-url"

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        written = wikitext_url(spec, raw) if spec.wikitext else raw
        if valid_url(written) and not (spec.wikitext and MARKUP & set(written)):  # https://{{URL|…}} is none
            return written
        suggestion = f"https://{written}" if valid_url(f"https://{written}") and not MARKUP & set(written) else ""
        hint = f" Did you mean {quote(suggestion)}?" if suggestion else ""
        return Problem(
            self.problem_code,
            f"{quote(raw)} is not a web address. Write a full URL starting with https:// or http://.{hint}",
            suggestion,
        )


class ImageType(FieldType):
    """A file on the wiki (or on Commons): its name, as the box shows it; ``[[File:…|thumb]]`` as written too."""

    name = "image"
    words = "file name (e.g. Louvre.jpg)"
    list_words = "list of file names"
    templatedata_type = "wiki-file-name"
    lua_reader = "image"
    problem_code = "bad-image"

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        name = file_name(raw)
        if name is not None:
            return name
        return Problem(
            self.problem_code,
            f"{quote(raw)} is not a file name. Write the name of the file with its extension, e.g. Louvre.jpg; "
            "file names cannot contain # < > [ ] | { } : / \\.",
        )


class CoordinatesType(FieldType):
    """A place on Earth: (latitude, longitude) in decimal degrees, written ``48.858, 2.294``."""

    name = "coordinates"
    words = "coordinates (e.g. 48.858, 2.294)"
    list_words = "list of coordinates"
    lua_reader = "coordinates"
    problem_code = "bad-coordinates"

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        value = read_coordinates(spec, raw)
        if value is not None:
            return value
        return Problem(
            self.problem_code,
            f"{quote(raw)} holds no coordinates. Write latitude and longitude in decimal degrees, "
            "e.g. 48.858, 2.294, or as degrees, minutes and seconds, e.g. 48°51′29″N 2°20′08″E.",
        )

    def query_word(self, spec: FieldSpec, word: str, parameter: str) -> str | Problem:
        return read_coordinates(spec, word) or word.casefold()

    def sort_key(self, spec: FieldSpec, value: Value) -> tuple[object, ...]:
        return tuple(coordinates_pair(item) for item in items_of(value))


class PageType(FieldType):
    """The title of a page on the wiki, written bare or as a link."""

    name = "page"
    words = "page title on this wiki"
    list_words = "list of page titles on this wiki"
    templatedata_type = "wiki-page-name"
    is_title = True
    lua_reader = "page"
    problem_code = "bad-title"

    def title(self, raw: str) -> str | None:
        title = normalise_title(raw)
        if title is None or not self.namespace or title.lower().startswith(f"{self.namespace.lower()}:"):
            return title
        return f"{self.namespace}:{title}"

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        if spec.wikitext:
            text = plain(raw)
            titles = [self.title(target) for target in link_targets(text) or [text]]
            if titles and None not in titles:
                found = tuple(dict.fromkeys(t for t in titles if t is not None))
                return found if spec.multiple else found[0]
        else:
            title = self.title(raw)
            if title is not None:
                return title
        return Problem(
            self.problem_code, f"{quote(raw)} cannot be a page title: titles cannot contain # < > [ ] | {{ }}."
        )

    def query_word(self, spec: FieldSpec, word: str, parameter: str) -> str | Problem:
        title = self.title(word)
        if title is not None:
            return title
        return Problem(
            "list-bad-title",
            f"{quote(word)} in {parameter} cannot be a page title: titles cannot contain # < > [ ] | {{ }}.",
        )

    def matches(self, spec: FieldSpec, value: Value, wanted: Wanted) -> bool:
        return any(item in wanted.values for item in items_of(value))


class UserType(PageType):
    """A user's name: the title of their user page (``User:`` added when not written)."""

    name = "user"
    words = "user name"
    list_words = "list of user names"
    templatedata_type = "wiki-user-name"
    namespace = "User"


class YesNoType(FieldType):
    name = "yesno"
    words = "yes or no"
    list_words = "list of yes or no"
    is_flag = True
    rewrites = True
    query_commas = True
    lua_reader = "yesno"
    problem_code = "bad-yesno"

    def read(self, spec: FieldSpec, raw: str) -> str | bool | tuple[str, ...] | Problem:
        folded = raw.casefold()
        if folded in YES or folded in NO:
            return folded in YES
        return Problem(self.problem_code, f"{quote(raw)} is not yes or no. Write yes or no.")

    def canonical(self, spec: FieldSpec, raw: str) -> str | Problem:
        folded = raw.casefold()
        if folded not in YES | NO:
            return Problem("not-normalised", f"{quote(raw, 80)} is not yes or no")
        return "yes" if folded in YES else "no"

    def query_word(self, spec: FieldSpec, word: str, parameter: str) -> str | Problem:
        if word.casefold() in YES:
            return "yes"
        if word.casefold() in NO:
            return "no"
        return Problem(
            "list-bad-yesno", f"{quote(word)} in {parameter} is not yes or no. Write yes, no, {ANY} or {NONE}."
        )

    def matches(self, spec: FieldSpec, value: Value, wanted: Wanted) -> bool:
        return ("yes" if value is True else "no") in wanted.values

    def sort_key(self, spec: FieldSpec, value: Value) -> tuple[object, ...]:
        return (value is True,)

    def groups(self, spec: FieldSpec, value: Value) -> list[Group]:
        return [(0 if value is True else 1, str(value), "Yes" if value is True else "No")]

    def shown(self, spec: FieldSpec, value: Value | None) -> list[str]:
        return [text_of(value)]


#: Every field type by the name the schema gives it: the one place a type's name is looked up.
FIELD_TYPES: dict[str, FieldType] = {
    kind.name: kind
    for kind in (
        TextType(),
        ChoiceType(),
        DateType(),
        UrlType(),
        PageType(),
        UserType(),
        YesNoType(),
        NumberType(),
        ImageType(),
        CoordinatesType(),
    )
}


def field_type(name: str) -> FieldType:
    """The type the schema names ``name`` (FieldSpec.kind; the schema has checked that it is one)."""
    return FIELD_TYPES[name]


# --- whole values (a list is its items) ----------------------------------------------------


def read_value(spec: FieldSpec, raw: str) -> tuple[Value | None, list[Problem]]:
    """A field's raw value -> its value in the record (None: no valid value) and every problem in it.

    A list keeps each valid item once, in order (items that are yes/no flags are not kept).
    """
    if not spec.multiple:
        value = spec.kind.read(spec, raw)
        return (None, [value]) if isinstance(value, Problem) else (value, [])
    items: list[str] = []
    problems: list[Problem] = []
    for item in split_list(raw, spec.separators, spec.list_templates):
        value = spec.kind.read(spec, item)
        if isinstance(value, Problem):
            problems.append(value)
        else:
            items.extend(v for v in (value if isinstance(value, tuple) else (value,)) if isinstance(v, str))
    items = list(dict.fromkeys(items))
    return (tuple(items) if items else None), problems


def canonical_value(spec: FieldSpec, raw: str) -> tuple[str | None, str]:
    """(the canonical form of a value, '') or (None, why it cannot be normalised).

    Choice words become their canonical value, yes/no words ``yes``/``no``, dates
    ISO, and lists are written with the field's first separator, without repeats.
    Text, URLs and page titles themselves are left as written.
    """
    items: Sequence[str] = split_list(raw, spec.separators, spec.list_templates) if spec.multiple else [raw]
    canonical: list[str] = []
    for item in items:
        value = spec.kind.canonical(spec, item)
        if isinstance(value, Problem):
            return None, value.message
        if value not in canonical:
            canonical.append(value)
    return list_separator(spec).join(canonical), ""
