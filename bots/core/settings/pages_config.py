"""config/pages.yaml -> frozen settings: which pages are read and written, the guards, the status page.

Its sections have their own modules: `crosslink:` (crosslink_config), `lists:` (lists_config),
a page's `split:` (split_config); the page titles are checked by page_titles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bots.core.settings.crosslink_config import CrosslinkConfig, crosslink_config_from
from bots.core.settings.lists_config import ListsConfig, lists_config_from
from bots.core.settings.page_titles import check_page_titles, full_title
from bots.core.settings.split_config import SplitConfig, split_config_from
from bots.core.settings.yaml_doc import Path_, YamlDoc, share_from


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
    #: When the bot runs, in words, for the line other pages show (e.g. "every hour"); empty: not said.
    status_schedule: str = ""
    #: The page that describes the bot's task (for bot approval); every edit summary links it. Empty: no link.
    task_page: str = ""
    #: The bot's operator (a user name), named on the task page.
    operator: str = ""
    #: Where the bot's source code is published (a URL), named on the task page.
    source: str = ""
    #: How many JSON data pages hold the bot's cross-page findings for the infobox to show (issue 19); 0: off.
    findings_shards: int = 0
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
        {"namespaces", "shutoff", "region", "generated", "lists", "crosslink", "guard", "status", "findings"}
        | {"root", "task_page", "operator", "source"},
        {"shutoff", "region", "generated"},
    )
    doc.check_keys(("shutoff",), data["shutoff"], {"page", "run_value", "check_every"}, {"page", "run_value"})
    check_every = data["shutoff"].get("check_every", 10)
    if not isinstance(check_every, int) or isinstance(check_every, bool) or check_every < 1:
        raise doc.error(("shutoff", "check_every"), "expected a whole number of edits, 1 or more")
    status = data.get("status", {})
    status_keys = {"page", "summary", "heartbeat_hours", "schedule"}
    doc.check_keys(("status",), status, status_keys, {"page"} if "status" in data else set())
    heartbeat = status.get("heartbeat_hours", PagesConfig.status_heartbeat_hours)
    if isinstance(heartbeat, bool) or not isinstance(heartbeat, (int, float)) or heartbeat < 0:
        raise doc.error(("status", "heartbeat_hours"), f"expected a number of hours, 0 or more, found {heartbeat!r}")
    findings_shards = _findings_shards(doc, data.get("findings"))
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
    max_removed_share = share_from(doc, ("guard", "max_removed_share"), guard.get("max_removed_share", 0.2))
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
    root = str(data.get("root") or "")
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
                title=full_title(root, str(spec["title"])),
                template=str(spec["template"]),
                summary=str(spec.get("summary", "Bot: update generated list")),
                max_removed_share=None
                if share is None
                else share_from(doc, ("generated", key, "max_removed_share"), share),
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
        status_schedule=str(status.get("schedule") or ""),
        findings_shards=findings_shards,
        task_page=str(data.get("task_page") or ""),
        operator=str(data.get("operator") or ""),
        source=str(data.get("source") or ""),
        lists=lists_config_from(doc, data.get("lists")),
        crosslink=crosslink_config_from(doc, data.get("crosslink")),
        max_removed_share=max_removed_share,
        shutoff_check_every=check_every,
        max_page_bytes=max_page_bytes,
        split_above_bytes=split_above,
        merge_below_bytes=merge_below,
    )


def _findings_shards(doc: YamlDoc, findings: Any) -> int:
    """``findings: {shards: N}`` (1 to 10000 data pages), or ``findings: off`` / absent: 0."""
    if findings is None or findings is False:
        return 0
    doc.check_keys(("findings",), findings, {"shards"}, {"shards"})
    shards = findings["shards"]
    if isinstance(shards, bool) or not isinstance(shards, int) or not 1 <= shards <= 10_000:
        raise doc.error(("findings", "shards"), f"expected a number of data pages, 1 to 10000, found {shards!r}")
    return shards


def _bytes(doc: YamlDoc, path: Path_, value: Any, at_most: int, at_least: int = 0) -> int:
    """A size in bytes, from ``at_least`` up to ``at_most`` (split_above_bytes up to max_page_bytes, and so on)."""
    if isinstance(value, bool) or not isinstance(value, int) or not at_least <= value <= at_most:
        raise doc.error(path, f"expected a number of bytes from {at_least} to {at_most}, found {value!r}")
    return value
