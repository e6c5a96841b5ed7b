"""The `lists:` section of config/pages.yaml: where volunteers' list queries are filled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bots.core.records.words import DEFAULT_WORDS, Words
from bots.core.settings.yaml_doc import YamlDoc


def lists_summary(words: Words = DEFAULT_WORDS) -> str:
    """The lists' edit summary when pages.yaml gives none, in the records' words."""
    return f"Bot: update the {words.noun} lists on this page"


@dataclass(frozen=True)
class ListsConfig:
    """Where volunteers' {{Partnership list}} queries are filled, and the edit summary."""

    namespaces: tuple[int, ...] = (0, 2, 4)
    summary: str = lists_summary()


def lists_config_from(doc: YamlDoc, data: Any) -> ListsConfig:
    if data is None:
        return ListsConfig()
    doc.check_keys(("lists",), data, {"namespaces", "summary"})
    namespaces = data.get("namespaces", list(ListsConfig.namespaces))
    if not isinstance(namespaces, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in namespaces):
        raise doc.error(("lists", "namespaces"), "expected a list of namespace numbers, e.g. [0, 2, 4]")
    return ListsConfig(namespaces=tuple(namespaces), summary=str(data.get("summary", ListsConfig.summary)))
