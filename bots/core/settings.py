"""YAML configuration -> frozen settings, with errors that name the file and line.

Unknown keys are errors, so that a typo in a config file is caught at start-up
instead of silently doing nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

Path_ = tuple[Any, ...]


class ConfigError(Exception):
    """A configuration file is wrong; the message names the file, line and key."""


class DuplicateKeyError(ValueError):
    """A key appears twice in one YAML mapping (PyYAML would silently keep the last)."""


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML with the line of every mapping key and sequence item."""

    filename: str
    data: Any
    lines: Mapping[Path_, int]

    def where(self, path: Path_) -> str:
        """'file, line N' for the deepest known part of ``path``."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return f"{self.filename}, line {line}"
        return self.filename

    def error(self, path: Path_, message: str) -> ConfigError:
        key = ".".join(str(p) for p in path)
        return ConfigError(f"{self.where(path)}: {key + ': ' if key else ''}{message}")

    def check_keys(
        self, path: Path_, mapping: Any, allowed: set[str], required: frozenset[str] | set[str] = frozenset()
    ) -> None:
        if not isinstance(mapping, dict):
            raise self.error(path, f"expected a mapping, found {type(mapping).__name__}")
        for key in mapping:
            if key not in allowed:
                raise self.error((*path, key), f"unknown key {key!r}; valid keys: {', '.join(sorted(allowed))}")
        for key in sorted(required - set(mapping)):
            raise self.error(path, f"missing required key {key!r}")


def _record_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = (
                yaml.safe_load(yaml.serialize(key_node))
                if not isinstance(key_node, yaml.ScalarNode)
                else key_node.value
            )
            line = key_node.start_mark.line + 1
            if key in seen:
                dotted = ".".join(str(p) for p in (*path, key))
                raise DuplicateKeyError(f"line {line}: {dotted}: defined twice (first on line {seen[key]}); keep one")
            seen[key] = line
            where = (*path, key)
            lines[where] = line
            _record_lines(value_node, where, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def parse_yaml(text: str, filename: str) -> YamlDoc:
    """Parse YAML text, keeping line numbers; a syntax error becomes a ConfigError."""
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{filename}: not valid YAML: {exc}") from exc
    lines: dict[Path_, int] = {}
    if root is not None:
        try:
            _record_lines(root, (), lines)
        except DuplicateKeyError as exc:
            raise ConfigError(f"{filename}, {exc}") from None
    return YamlDoc(filename=filename, data=data, lines=lines)


#: `split: by:` values that are not a schema field: alphabetical ranges of the partnership's name,
#: of the page's name (its title after the last "/"), or of the partner organisation's name.
SPLIT_BY_RANGES = ("name", "page", "partner")
#: The ranges when `split:` names none: one per letter.
DEFAULT_RANGES = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))


@dataclass(frozen=True)
class LetterRange:
    """Names whose first letters fall between ``low`` and ``high`` (upper case, both ends included).

    Each end is compared with as many letters of the name as it has: "T-Tg" holds "Tango"
    and "Tgv" but not "The"; "Th" holds "The" and "Thursday".
    """

    label: str
    low: str
    high: str

    def holds(self, key: str) -> bool:
        return key[: len(self.low)] >= self.low and key[: len(self.high)] <= self.high


@dataclass(frozen=True)
class SplitConfig:
    """A generated page's `split:`: one subpage per choice of a schema field, or per range of letters."""

    by: str
    ranges: tuple[LetterRange, ...] = ()


def letter_ranges(doc: YamlDoc, path: Path_, data: Any) -> tuple[LetterRange, ...]:
    """`ranges: [A-C, D, ..., T-Tg, Th, Ti-Tz]`: letters only, in order, not overlapping."""
    if not isinstance(data, list) or not data:
        raise doc.error(path, "expected a list of letter ranges, e.g. [A-C, D-F, G]")
    ranges: list[LetterRange] = []
    for index, item in enumerate(data):
        where = (*path, index)
        text = str(item).strip() if isinstance(item, str) else ""
        low, _, high = text.partition("-")
        low, high = low.strip(), (high.strip() or low.strip())
        if not (low.isascii() and low.isalpha() and high.isascii() and high.isalpha()):
            raise doc.error(
                where, f"expected letters or two of them with a dash, e.g. A or A-C or Ta-Tg, found {item!r}"
            )
        found = LetterRange(label=text.replace(" ", ""), low=low.upper(), high=high.upper())
        if found.low[: len(found.high)] > found.high:
            raise doc.error(where, f"{item!r} ends before it starts")
        if ranges and found.low[: len(ranges[-1].high)] <= ranges[-1].high:
            raise doc.error(
                where, f"{item!r} overlaps or comes before {ranges[-1].label!r}: list the ranges in alphabetical order"
            )
        ranges.append(found)
    return tuple(ranges)


def split_config_from(doc: YamlDoc, path: Path_, data: Any) -> SplitConfig:
    doc.check_keys(path, data, {"by", "ranges"}, {"by"})
    by = data["by"]
    if not isinstance(by, str) or not by:
        raise doc.error((*path, "by"), f"expected {', '.join(SPLIT_BY_RANGES)} or a choice field of the schema")
    if by not in SPLIT_BY_RANGES:
        if "ranges" in data:
            raise doc.error((*path, "ranges"), f"ranges are for by: {', '.join(SPLIT_BY_RANGES)}, not a choice field")
        return SplitConfig(by=by)
    if "ranges" not in data:
        return SplitConfig(by=by, ranges=tuple(LetterRange(c, c, c) for c in DEFAULT_RANGES))
    return SplitConfig(by=by, ranges=letter_ranges(doc, (*path, "ranges"), data["ranges"]))


@dataclass(frozen=True)
class GeneratedPage:
    """A page the bot writes: which view of the records, rendered by which template."""

    key: str
    title: str
    template: str
    summary: str
    #: Share of rows one run may remove (overrides guard.max_removed_share); None: the default.
    max_removed_share: float | None = None
    #: How the page is split into subpages when it grows too long (bots.core.pages.subpages); None: never split.
    split: SplitConfig | None = None


#: The parts a schema field can play in cross-linking, and the field type each needs.
LINK_ROLE_TYPES = {"related": "page", "recommendation": "page", "partner": "text", "type": "choice"}


@dataclass(frozen=True)
class LinkRoles:
    """Which schema field plays which part in cross-linking; "" switches that part off (no record has a "" field).

    related:        the partnership pages a record links to, kept two-sided
    recommendation: the recommendation pages a record supports
    partner:        the partner organisations (the partners page, possible duplicates)
    type:           groups the recommendation pages' lists (and, with partner, finds duplicates)
    """

    related: str = "related"
    recommendation: str = "recommendation"
    partner: str = "partner"
    type: str = "type"

    def items(self) -> list[tuple[str, str]]:
        return [(role, getattr(self, role)) for role in LINK_ROLE_TYPES]


#: The roles played by the fields of the same names, as config/schema.yaml has them.
USUAL_ROLES = LinkRoles()


@dataclass(frozen=True)
class ListsConfig:
    """Where volunteers' {{Partnership list}} queries are filled, and the edit summary."""

    namespaces: tuple[int, ...] = (0, 2, 4)
    summary: str = "Bot: update the partnership lists on this page"


@dataclass(frozen=True)
class CrosslinkConfig:
    """The `crosslink:` section of config/pages.yaml: what bots.crosslink may fix, and the recommendation pages."""

    #: Add the missing reciprocal entry to the `related` field of the other page.
    reciprocal_related: bool = True
    #: Replace a link to a redirect (a moved page) by the redirect's target.
    bypass_redirects: bool = True
    summary: str = "Bot: cross-link partnership records"
    #: Only recommendation pages under this prefix get a bot-owned region ("" for none).
    recommendation_prefix: str = ""
    recommendation_template: str = "recommendation.wikitext"
    recommendation_summary: str = "Bot: update the partnerships supporting this recommendation"
    #: Share of a recommendation page's rows one run may remove (bots.core.pages.guard). These lists are
    #: short and follow single records (one record dropping its link empties a one-row page), so 1.0.
    recommendation_max_removed_share: float = 1.0
    #: Which schema field plays which part (checked against the schema by pipeline.config_from).
    fields: LinkRoles = USUAL_ROLES
    #: One run adds at most this many reciprocal related links caused by one page; beyond, none (reported).
    max_links_per_page: int = 10


CROSSLINK_FLAGS = ("reciprocal_related", "bypass_redirects")
CROSSLINK_TEXTS = ("summary", "recommendation_prefix", "recommendation_template", "recommendation_summary")


RECOMMENDATION_SHARE = "recommendation_max_removed_share"
MAX_LINKS = "max_links_per_page"


def crosslink_config_from(doc: YamlDoc, data: Any) -> CrosslinkConfig:
    if data is None:
        return CrosslinkConfig()
    doc.check_keys(
        ("crosslink",), data, {*CROSSLINK_FLAGS, *CROSSLINK_TEXTS, "fields", RECOMMENDATION_SHARE, MAX_LINKS}
    )
    values: dict[str, Any] = {}
    if MAX_LINKS in data:
        limit = data[MAX_LINKS]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise doc.error(
                ("crosslink", MAX_LINKS),
                f"expected a whole number of links, 1 or more, found {limit!r} "
                "(to add no reciprocal links at all, set reciprocal_related: false)",
            )
        values[MAX_LINKS] = limit
    if RECOMMENDATION_SHARE in data:
        values[RECOMMENDATION_SHARE] = _share(doc, ("crosslink", RECOMMENDATION_SHARE), data[RECOMMENDATION_SHARE])
    if "fields" in data:
        values["fields"] = link_roles_from(doc, data["fields"])
    for key in CROSSLINK_FLAGS:
        if key in data:
            if not isinstance(data[key], bool):
                raise doc.error(("crosslink", key), "expected true or false")
            values[key] = data[key]
    for key in CROSSLINK_TEXTS:
        if key in data:
            if not isinstance(data[key], str):
                raise doc.error(("crosslink", key), f'expected text, found {data[key]!r} (quote it: "...")')
            values[key] = data[key]
    return CrosslinkConfig(**values)


def link_roles_from(doc: YamlDoc, data: Any) -> LinkRoles:
    """`crosslink: fields:` role -> schema field name; null or "" switches it off, a role left out keeps its default."""
    path = ("crosslink", "fields")
    doc.check_keys(path, data, set(LINK_ROLE_TYPES))
    roles: dict[str, str] = {}
    for role, name in data.items():
        if name is not None and not isinstance(name, str):
            raise doc.error(
                (*path, role), f"expected a field name of config/schema.yaml, or null to switch off, found {name!r}"
            )
        roles[role] = name or ""
    return LinkRoles(**roles)


@dataclass(frozen=True)
class PagesConfig:
    """config/pages.yaml: which pages are read and written."""

    namespaces: tuple[int, ...]
    shutoff_page: str
    shutoff_run_value: str
    region_start: str
    region_end: str
    generated: tuple[GeneratedPage, ...]
    #: The bot's status page (how the last run went); empty: none.
    status_page: str = ""
    status_summary: str = "Bot: status of the last run"
    #: A run whose result is the last saved one's saves the status page only this often (hours).
    status_heartbeat_hours: float = 24.0
    lists: ListsConfig = ListsConfig()
    crosslink: CrosslinkConfig = CrosslinkConfig()
    #: A run may remove at most this share of a generated page's rows (see bots.core.pages.guard).
    max_removed_share: float = 0.2
    #: The shutoff page is read again every this many edits during a run.
    shutoff_check_every: int = 10
    #: A generated region longer than this (bytes) is cut (bots.core.pages.size); MediaWiki refuses 2 MiB.
    max_page_bytes: int = 1_500_000
    #: A page with `split:` whose whole rendering is longer than this becomes a hub and subpages ...
    split_above_bytes: int = 400_000
    #: ... and becomes one page again only when it is shorter than this (so that it does not flap).
    merge_below_bytes: int = 300_000

    def removal_limit(self, title: str) -> float:
        """The share of rows one run may remove from the generated page ``title``."""
        for page in self.generated:
            if page.title == title and page.max_removed_share is not None:
                return page.max_removed_share
        prefix = self.crosslink.recommendation_prefix
        if prefix and title.startswith(prefix) and all(page.title != title for page in self.generated):
            return self.crosslink.recommendation_max_removed_share
        return self.max_removed_share

    def page(self, key: str) -> GeneratedPage:
        for page in self.generated:
            if page.key == key:
                return page
        raise KeyError(key)

    def title_of(self, key: str) -> str:
        return self.page(key).title


def pages_config_from(doc: YamlDoc) -> PagesConfig:
    data = doc.data
    doc.check_keys(
        (),
        data,
        {"namespaces", "shutoff", "region", "generated", "lists", "crosslink", "guard", "status"},
        {"shutoff", "region", "generated"},
    )
    doc.check_keys(("shutoff",), data["shutoff"], {"page", "run_value", "check_every"}, {"page", "run_value"})
    check_every = data["shutoff"].get("check_every", 10)
    if not isinstance(check_every, int) or isinstance(check_every, bool) or check_every < 1:
        raise doc.error(("shutoff", "check_every"), "expected a whole number of edits, 1 or more")
    status = data.get("status", {})
    doc.check_keys(("status",), status, {"page", "summary", "heartbeat_hours"}, {"page"} if "status" in data else set())
    heartbeat = status.get("heartbeat_hours", PagesConfig.status_heartbeat_hours)
    if isinstance(heartbeat, bool) or not isinstance(heartbeat, (int, float)) or heartbeat < 0:
        raise doc.error(("status", "heartbeat_hours"), f"expected a number of hours, 0 or more, found {heartbeat!r}")
    guard = data.get("guard", {})
    doc.check_keys(("guard",), guard, {"max_removed_share", "max_page_bytes", "split_above_bytes", "merge_below_bytes"})
    max_page_bytes = guard.get("max_page_bytes", PagesConfig.max_page_bytes)
    if isinstance(max_page_bytes, bool) or not isinstance(max_page_bytes, int) or max_page_bytes < 10_000:
        raise doc.error(
            ("guard", "max_page_bytes"), f"expected a number of bytes, 10000 or more, found {max_page_bytes!r}"
        )
    split_above = _bytes(
        doc, ("guard", "split_above_bytes"), guard.get("split_above_bytes", 400_000), max_page_bytes, at_least=1000
    )
    merge_below = _bytes(
        doc, ("guard", "merge_below_bytes"), guard.get("merge_below_bytes", split_above * 3 // 4), split_above
    )
    max_removed_share = _share(doc, ("guard", "max_removed_share"), guard.get("max_removed_share", 0.2))
    doc.check_keys(("region",), data["region"], {"start", "end"}, {"start", "end"})
    region = data["region"]
    for key in ("start", "end"):
        marker = region[key]
        if not (isinstance(marker, str) and marker.startswith("<!--") and marker.endswith("-->")):
            raise doc.error(("region", key), "must be an HTML comment, <!-- ... -->")
    if region["start"] == region["end"]:
        raise doc.error(("region", "end"), "must differ from the start marker")
    generated = data["generated"]
    if not isinstance(generated, dict) or not generated:
        raise doc.error(("generated",), "expected a mapping of page keys to pages")
    pages = []
    for key, spec in generated.items():
        doc.check_keys(
            ("generated", key),
            spec,
            {"title", "template", "summary", "max_removed_share", "split"},
            {"title", "template"},
        )
        share = spec.get("max_removed_share")
        split = (
            None if spec.get("split") is None else split_config_from(doc, ("generated", key, "split"), spec["split"])
        )
        pages.append(
            GeneratedPage(
                key=str(key),
                title=str(spec["title"]),
                template=str(spec["template"]),
                summary=str(spec.get("summary", "Bot: update generated list")),
                max_removed_share=None
                if share is None
                else _share(doc, ("generated", key, "max_removed_share"), share),
                split=split,
            )
        )
    namespaces = data.get("namespaces", [0])
    if not isinstance(namespaces, list) or not all(isinstance(n, int) for n in namespaces):
        raise doc.error(("namespaces",), "expected a list of namespace numbers, e.g. [0]")
    check_page_titles(doc, data)
    return PagesConfig(
        namespaces=tuple(namespaces),
        shutoff_page=str(data["shutoff"]["page"]),
        shutoff_run_value=str(data["shutoff"]["run_value"]),
        region_start=region["start"],
        region_end=region["end"],
        generated=tuple(pages),
        status_page=str(status.get("page", "")),
        status_summary=str(status.get("summary", PagesConfig.status_summary)),
        status_heartbeat_hours=float(heartbeat),
        lists=_lists_config(doc, data.get("lists")),
        crosslink=crosslink_config_from(doc, data.get("crosslink")),
        max_removed_share=max_removed_share,
        shutoff_check_every=check_every,
        max_page_bytes=max_page_bytes,
        split_above_bytes=split_above,
        merge_below_bytes=merge_below,
    )


def _lists_config(doc: YamlDoc, data: Any) -> ListsConfig:
    if data is None:
        return ListsConfig()
    doc.check_keys(("lists",), data, {"namespaces", "summary"})
    namespaces = data.get("namespaces", list(ListsConfig.namespaces))
    if not isinstance(namespaces, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in namespaces):
        raise doc.error(("lists", "namespaces"), "expected a list of namespace numbers, e.g. [0, 2, 4]")
    return ListsConfig(namespaces=tuple(namespaces), summary=str(data.get("summary", ListsConfig.summary)))


def _bytes(doc: YamlDoc, path: Path_, value: Any, at_most: int, at_least: int = 0) -> int:
    """A size in bytes, from ``at_least`` up to ``at_most`` (split_above_bytes up to max_page_bytes, and so on)."""
    if isinstance(value, bool) or not isinstance(value, int) or not at_least <= value <= at_most:
        raise doc.error(path, f"expected a number of bytes from {at_least} to {at_most}, found {value!r}")
    return value


def _share(doc: YamlDoc, path: Path_, value: Any) -> float:
    """A share between 0 and 1 (e.g. 0.2 for 20%)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise doc.error(path, f"expected a share between 0 and 1 (0.2 means 20%), found {value!r}")
    return float(value)


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
    "generated": "Task force/Alliances and partnerships/Index",
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


def check_page_titles(doc: YamlDoc, data: Mapping[str, Any]) -> None:
    """The shutoff, status and generated pages have titles of real pages, and no two are the same page."""
    places: list[tuple[Path_, Any]] = [(("shutoff", "page"), data["shutoff"]["page"])]
    status = data.get("status")
    if isinstance(status, dict) and status.get("page") != "":
        places.append((("status", "page"), status.get("page")))
    places += [(("generated", key, "title"), spec["title"]) for key, spec in data["generated"].items()]
    seen: dict[str, Path_] = {}
    for path, value in places:
        problem = _title_problem(value, _TITLE_EXAMPLES[path[0]])
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
