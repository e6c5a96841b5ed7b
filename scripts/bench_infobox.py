"""Benchmark of the Lua infobox: its Lua time per page, from the parser's limit report (prints figures).

Usage:
    python -m scripts.bench_infobox [--repeat N]

Parses every sample page (scripts/devwiki-seed.yaml) that holds the infobox on the running
local wiki (`make demo`; DEVWIKI_PORT selects it) with action=parse, and reads the Lua time
Scribunto reports for it (`scribunto-limitreport-timeusage`, in seconds to the millisecond)
together with the parser's own time (`cputime`). Each page is parsed --repeat times
(the parser cache is bypassed: action=parse of a text is never cached) and the median kept.
The target is under 10 ms of Lua per infobox. Not a test: it prints its figures.

Exit codes: 0 done; 1 the wiki does not answer or has no Lua infobox.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import urllib.parse
import urllib.request
from typing import Any

import yaml

from bots.config import load_config
from scripts.devwiki import SEED_FILE, DevWiki

TARGET_MS = 10.0


def limit_report(api_url: str, title: str, text: str) -> dict[str, Any]:
    """The parser's limit report of ``text`` parsed as ``title``."""
    data = urllib.parse.urlencode(
        {"action": "parse", "title": title, "text": text, "prop": "limitreportdata", "format": "json"}
    ).encode()
    with urllib.request.urlopen(urllib.request.Request(api_url, data=data), timeout=120) as response:
        answer = json.load(response)
    return {entry["name"]: entry.get("0", entry.get(0)) for entry in answer["parse"]["limitreportdata"]}


def seconds(report: dict[str, Any], name: str) -> float:
    value = report.get(name)
    return float(value) if value not in (None, "") else 0.0


def main(*args: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_infobox", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="parses of each page; the median is kept (3)")
    options = parser.parse_args(args)
    wiki = DevWiki.from_env()
    if not wiki.responds():
        print(f"bench_infobox: no wiki answers at {wiki.url}; run `make demo` first", file=sys.stderr)
        return 1
    template = load_config().schema.template
    pages = [
        (page["title"], page["text"])
        for page in yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["pages"]
        if "{{" + template in page["text"]
    ]
    lua_ms: list[float] = []
    parse_ms: list[float] = []
    for title, text in pages:
        reports = [limit_report(wiki.api_url, title, text) for _ in range(options.repeat)]
        if "scribunto-limitreport-timeusage" not in reports[0]:
            print(f"bench_infobox: [[{title}]] ran no Lua: is the Lua infobox installed?", file=sys.stderr)
            return 1
        lua_ms.append(1000 * statistics.median(seconds(r, "scribunto-limitreport-timeusage") for r in reports))
        parse_ms.append(1000 * statistics.median(seconds(r, "limitreport-cputime") for r in reports))
    over = sum(1 for ms in lua_ms if ms >= TARGET_MS)
    print(f"Lua infobox over {len(pages)} sample pages (median of {options.repeat} parses each):")
    print(f"  Lua time per infobox: mean {statistics.mean(lua_ms):.1f} ms, max {max(lua_ms):.1f} ms")
    print(f"  whole parse (CPU):    mean {statistics.mean(parse_ms):.1f} ms, max {max(parse_ms):.1f} ms")
    print(f"  pages at or over the {TARGET_MS:.0f} ms target: {over} of {len(pages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
