"""The titles of the pages config/pages.yaml names: real pages, compared as MediaWiki compares titles."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from bots.core.settings.yaml_doc import Path_, YamlDoc

#: MediaWiki's canonical namespace names (and the alias Image), in lower case -> as the wiki writes them.
KNOWN_NAMESPACES = {
    name.casefold(): name
    for name in (
        "Media",
        "Special",
        "Talk",
        "User",
        "User talk",
        "Project",
        "Project talk",
        "File",
        "File talk",
        "MediaWiki",
        "MediaWiki talk",
        "Template",
        "Template talk",
        "Help",
        "Help talk",
        "Category",
        "Category talk",
    )
} | {"image": "File", "image talk": "File talk"}
#: Namespaces whose pages have no text to read or write.
NO_TEXT_NAMESPACES = ("Media", "Special")
_NOT_IN_TITLES = set("#<>[]|{}")
_TITLE_EXAMPLES = {
    "shutoff": "User:PartnershipBot/Shutoff",
    "status": "User:PartnershipBot/Status",
    "generated": "/Index (a subpage of root:) or Task force/Alliances and partnerships/Index",
    "root": "Task force/Alliances and partnerships",
    "task_page": "User:PartnershipBot/Task",
}


def title_key(title: str) -> str:
    """A title as MediaWiki compares titles: "_" as " ", spaces collapsed, first letters in upper case,
    a canonical namespace name in its own spelling ("special : recentChanges" -> "Special:RecentChanges")."""
    text = " ".join(title.replace("_", " ").split()).lstrip(": ")
    namespace, colon, rest = text.partition(":")
    known = KNOWN_NAMESPACES.get(namespace.strip().casefold())
    if colon and known:
        rest = rest.strip()
        return f"{known}:{rest[:1].upper()}{rest[1:]}"
    return text[:1].upper() + text[1:]


def full_title(root: str, title: str) -> str:
    """A generated page's title: one written "/Index" is a subpage of ``root`` (as a wiki link [[/Index]] is)."""
    return f"{root.rstrip('/')}{title}" if title.startswith("/") else title


def _title_problem(value: Any, example: str) -> str:
    """Why ``value`` cannot be the title of a page the bot reads or writes ("" when it can)."""
    scalar = isinstance(value, (str, int, float)) and not isinstance(value, bool)
    title = title_key(str(value)) if scalar else ""
    if not title:
        return f"expected a page title, e.g. {example}, found {value!r}"
    if _NOT_IN_TITLES & set(title):
        return f"{value!r} cannot be a page title: titles cannot contain # < > [ ] | {{ }}"
    namespace = title.partition(":")[0]
    if ":" in title and namespace in NO_TEXT_NAMESPACES:
        return f"{value!r} is in the {namespace}: namespace, which has no pages to read or write; e.g. {example}"
    return ""


def _title_places(doc: YamlDoc, data: Mapping[str, Any]) -> list[tuple[Path_, Any]]:
    """Where pages.yaml names the title of a page the bot reads or writes, and the title (a generated one in full)."""
    root = data.get("root")
    places: list[tuple[Path_, Any]] = [(("shutoff", "page"), data["shutoff"]["page"])]
    status = data.get("status")
    if isinstance(status, dict) and status.get("page") != "":
        places.append((("status", "page"), status.get("page")))
    if data.get("task_page") is not None:
        places.append((("task_page",), data["task_page"]))
    for key, spec in data["generated"].items():
        title = spec["title"]
        if isinstance(title, str) and title.startswith("/"):
            if root is None:
                raise doc.error(("generated", key, "title"), f"{title!r} is a subpage of root:, and there is no root:")
            title = full_title(str(root), title)
        places.append((("generated", key, "title"), title))
    return places


def check_page_titles(doc: YamlDoc, data: Mapping[str, Any]) -> None:
    """The root, the shutoff, status, task and generated pages have titles of real pages, and no two are the same page.

    A generated title written "/Index" is checked as the subpage of ``root:`` it names.
    """
    root = data.get("root")
    if root is not None:
        problem = _title_problem(root, _TITLE_EXAMPLES["root"])
        if problem:
            raise doc.error(("root",), problem)
    seen: dict[str, Path_] = {}
    for path, value in _title_places(doc, data):
        problem = _title_problem(value, _TITLE_EXAMPLES[str(path[0])])
        if problem:
            raise doc.error(path, problem)
        key = title_key(str(value))
        if key in seen:
            first = seen[key]
            raise doc.error(
                path,
                f"{value!r} is the same page as {'.'.join(str(p) for p in first)} ({doc.where(first)}); "
                "give each page its own title",
            )
        seen[key] = path


def title_places(doc: YamlDoc) -> dict[str, str]:
    """Each title pages.yaml names -> where ("config/pages.yaml, line 12: generated.index.title"), for the
    checks that need the wiki (foreign_title_problem). Call after check_page_titles."""
    return {str(value): str(doc.error(path, "")).rstrip(": ") for path, value in _title_places(doc, doc.data)}


def foreign_title_problem(title: str, namespaces: Collection[str], interwiki: Collection[str]) -> str:
    """Why ``title`` is no page of this wiki ("" when it is one): its prefix is an interwiki prefix of the
    wiki's (``interwiki``, lower case) and no namespace name (``namespaces``, lower case), so that a link
    to it, or pywikibot, would go to another wiki, where the bot cannot write."""
    prefix, colon, _ = " ".join(title.replace("_", " ").split()).lstrip(": ").partition(":")
    prefix = prefix.strip().casefold()
    if not colon or prefix in namespaces or prefix not in interwiki:
        return ""
    return (
        f"{title!r} begins with {prefix}:, the wiki's interwiki prefix of another wiki, so it is no page of this "
        "wiki (the bot would reach for the other one). Give the page a title on this wiki: without that prefix, "
        "or in one of its namespaces."
    )
