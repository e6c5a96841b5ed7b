"""The bot's cross-page findings as JSON data pages, for the Lua infobox to show on the page itself (issue 19).

What a page alone cannot show (a name another page uses, a related page that does not
link back, a link to a missing page, a possible duplicate, a second infobox not read)
only the bot finds. Each run it writes them to ``Module:<template>/findings/<n>.json``
(the JSON content model, which ``mw.loadJsonData`` reads): title -> [{field, code,
message, suggestion}]. A title's shard ``n`` is the first 8 hex digits of the SHA-1 of
its UTF-8 bytes modulo the number of shards; the module computes the same with
``mw.hash.hashValue('sha1', title)``. So one finding rewrites one small page and the wiki
re-renders only the pages whose title falls in it, not every record. The number of
shards and the status page (which says when the bot last ran) are in the index
``Module:<template>/findings.json``, so the module's code does not depend on the settings:
without the index it shows no finding.

Pure: the issues and the codes the module finds itself are passed in.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from bots.core.records.model import Issue, Place
from bots.core.records.validate import UNREADABLE

#: How many hex digits of the SHA-1 make the shard number (the module takes as many).
HASH_DIGITS = 8
#: The name of a shard page after the prefix, e.g. "17.json".
SHARD_NAME = re.compile(r"[0-9]+\.json")
#: The edit summary of a findings page.
SUMMARY = "Bot: the cross-page problems its last run found, for the infobox to show on each page"

Findings = dict[str, list[dict[str, str]]]


def shard_of(title: str, shards: int) -> int:
    """The shard of a page title (as the wiki writes it: namespace prefix, spaces): the module's rule."""
    return int(hashlib.sha1(title.encode("utf-8")).hexdigest()[:HASH_DIGITS], 16) % shards


def index_title(module: str) -> str:
    """The page that says how many shards there are, e.g. Module:Partnership/findings.json."""
    return f"{module}/findings.json"


def shard_prefix(module: str) -> str:
    """What the title of every shard of the infobox's module (e.g. Module:Partnership) starts with."""
    return f"{module}/findings/"


def shard_title(module: str, shard: int) -> str:
    """The data page of one shard, e.g. Module:Partnership/findings/17.json."""
    return f"{shard_prefix(module)}{shard}.json"


def cross_page_issues(issues: Iterable[Issue], page_codes: Collection[str]) -> list[Issue]:
    """The issues the infobox cannot find on its own: on a wiki page, not a single-page code, and not of a
    page whose infobox the bot cannot read (that page shows no infobox to carry them)."""
    return [
        issue
        for issue in issues
        if not isinstance(issue.page, Place) and issue.code not in page_codes and issue.code not in UNREADABLE
    ]


def findings_by_shard(issues: Iterable[Issue], shards: int) -> dict[int, Findings]:
    """Shard -> title -> its findings in the report's order, for every shard (empty ones too)."""
    by_shard: dict[int, Findings] = {shard: {} for shard in range(shards)}
    for issue in sorted(set(issues), key=Issue.sort_key):
        finding = {"field": issue.field, "code": issue.code, "message": issue.message, "suggestion": issue.suggestion}
        by_shard[shard_of(issue.page, shards)].setdefault(issue.page, []).append(finding)
    return by_shard


def shard_text(findings: Mapping[str, Any]) -> str:
    """A shard's page text as MediaWiki stores JSON (keys sorted, tab-indented, UTF-8 kept), so a shard
    the bot saved reads back the same."""
    return json.dumps(findings, ensure_ascii=False, sort_keys=True, indent="\t")


def findings_pages(
    issues: Iterable[Issue], page_codes: Collection[str], module: str, shards: int, status_page: str
) -> dict[str, str]:
    """Title -> text of the index and of every shard (an empty one is ``{}``), with the cross-page findings
    among ``issues`` (``page_codes``: those the module finds itself)."""
    by_shard = findings_by_shard(cross_page_issues(issues, page_codes), shards)
    pages = {index_title(module): shard_text({"shards": shards, "status_page": status_page})}
    pages.update((shard_title(module, shard), shard_text(findings)) for shard, findings in by_shard.items())
    return pages


def stale_shards(existing: Iterable[str], module: str, written: Collection[str]) -> dict[str, str]:
    """Title -> an empty shard (``{}``) for each shard page among ``existing`` titles that this run does not
    write (``written``: none when findings are switched off, or fewer shards than before), so that no finding
    outlives the run that stopped making it. Saved like any shard: only where it still holds findings."""
    prefix = shard_prefix(module)
    return {
        title: shard_text({})
        for title in existing
        if title.startswith(prefix) and SHARD_NAME.fullmatch(title.removeprefix(prefix)) and title not in written
    }


def read_shard(text: str) -> Any:
    """A shard page's data; a missing, empty or malformed page counts as no findings."""
    try:
        return json.loads(text) if text.strip() else {}
    except ValueError:
        return None


def same_findings(old: str, new: str) -> bool:
    """Whether saving ``new`` over ``old`` would change what the infobox shows (the wiki may re-format JSON)."""
    return bool(read_shard(old) == read_shard(new))
