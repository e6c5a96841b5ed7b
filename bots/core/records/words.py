"""The words a config folder's records go by: the nouns in messages, the list template's name, the CSS prefix.

Read from the schema's ``words:`` section (bots.core.records.schema), so that another folder's bot speaks
of museums or meetups; the defaults are the partnership records' own words, which config/schema.yaml uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bots.core.settings.yaml_doc import YamlDoc

#: A CSS class prefix: what MediaWiki keeps of a class name, and what a wiki's CSS can select.
_CSS_PREFIX = re.compile(r"[a-z][a-z0-9-]*\Z")
_NOT_IN_TEMPLATE_NAMES = set("#<>[]|{}:")


@dataclass(frozen=True)
class Words:
    """What the bot calls one record and several, and the names it gives its on-wiki artefacts."""

    noun: str = "partnership"
    nouns: str = "partnerships"
    #: The volunteers' list template (without Template:); empty: "<infobox> list".
    list_template: str = ""
    #: The start of every CSS class the bot writes (``partnership-problem``, ``partnership-list-error``, ...).
    css_prefix: str = "partnership"

    @property
    def nouns_capitalised(self) -> str:
        """The plural at the start of a sentence or a column heading."""
        return self.nouns[:1].upper() + self.nouns[1:]

    def list_template_of(self, infobox: str) -> str:
        return self.list_template or f"{infobox} list"

    def css(self, name: str) -> str:
        """A CSS class of the bot's: ``css("problem")`` is ``partnership-problem`` by default."""
        return f"{self.css_prefix}-{name}"


#: The words of a schema without a ``words:`` section.
DEFAULT_WORDS = Words()


def words_from(doc: YamlDoc, data: Any) -> Words:
    """The ``words:`` section of a schema (absent: the defaults); a mistake is a ConfigError naming its line."""
    if data is None:
        return DEFAULT_WORDS
    doc.check_keys(("words",), data, {"noun", "nouns", "list_template", "css_prefix"}, set())
    given: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            raise doc.error(("words", key), f"expected a word, found {value!r}")
        given[key] = " ".join(value.split())
    if "noun" in given and "nouns" not in given:
        raise doc.error(("words", "noun"), "give the plural too (nouns:), e.g. noun: museum, nouns: museums")
    if _NOT_IN_TEMPLATE_NAMES & set(given.get("list_template", "")):
        raise doc.error(("words", "list_template"), "a template's name alone, without Template: or # < > [ ] | { }")
    if "css_prefix" in given and not _CSS_PREFIX.match(given["css_prefix"]):
        raise doc.error(("words", "css_prefix"), "lower-case letters, digits and -, starting with a letter")
    return Words(**given)
