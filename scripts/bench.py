"""Benchmark of the main job at scale, on a fresh local wiki per size (not a test: it prints figures).

Usage:
    python -m scripts.bench [--pages 1000 10000] [--naive-max 1000] [--keep]
    make bench

For each N it loads N synthetic but realistic partnership pages into a new
local wiki with importDump.php, then measures bots.update in one go:

    full      the first run (no cache: every page's text fetched)
    no change a second run with nothing new on the wiki
    1% change a run after 1% of the pages were edited
    naive     a loop calling page.text on each page (what the cache avoids),
              timed on --naive-max pages at most and scaled linearly

For each: API requests (counted inside the bot's process by wrapping pywikibot's
request submission; login, site and parameter info are counted apart), edits,
wall time, pages per second through parse+validate+render, peak memory (the
process's maximum resident set). It also prints the physical lower bound on
the requests that read pages: ceil(N/5000) to list every page with its latest
revision id, plus ceil(changed/500) to fetch the texts of the changed ones
(the API's limits with apihighlimits).

Example:
    .venv/bin/python -m scripts.bench --pages 1000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from scripts.devwiki import PROJECT_DIR, DevWiki, export_xml, free_port

LIST_LIMIT = 5000
TEXT_LIMIT = 500

FACTS = [
    ("Orange mobile channels", "Orange", "outreach, revenue, innovation", "foundation", ""),
    ("Kiwix offline reader", "Kiwix; Orange", "content, technology", "chapter", "Wikimedia CH"),
    ("Bundesarchiv image donation", "Bundesarchiv", "content", "chapter", "Wikimedia Deutschland"),
    ("Tropenmuseum images", "Tropenmuseum", "content sources", "chapter", "Wikimedia Nederland"),
    ("Translator toolkit", "Google; Effat University", "contributors, technology", "volunteers", ""),
    ("Hosting in Asia", "Yahoo!", "technology, in-kind", "foundation", ""),
    ("Museum residency", "British Museum", "content, contributors", "volunteers", ""),
    ("Unrestricted grant", "Sloan Foundation", "revenue", "WMF", ""),
    ("Photo contest", "Brooklyn Museum; Victoria and Albert Museum", "content, outreach", "volunteers", ""),
    ("Free mobile access", "Telenor", "outreach, mobility", "foundation", ""),
    ("Map cooperation", "OpenStreetMap", "content, technology infrastructure", "external partner", ""),
    ("Texts for Wikisource", "Bibliotheque nationale de France", "content", "chapter", "Wikimedia France"),
]
STATUSES = ["idea", "proposed", "negotiating", "active", "completed", "ended", "declined"]
PLACES = ["Berlin", "Nairobi", "Lima", "Jakarta", "Oslo", "Dakar", "Hanoi", "Quito", "Tbilisi", "Perth", "Accra"]


def synthetic_page(number: int, rng: random.Random) -> tuple[str, str]:
    """One realistic partnership page; about one in thirty has a mistake for the report."""
    name, partner, types, lead, chapter = FACTS[number % len(FACTS)]
    place = PLACES[rng.randrange(len(PLACES))]
    title = f"Partnerships/{name} {place} {number}"
    status = STATUSES[rng.randrange(len(STATUSES))]
    start = f"{rng.randint(2003, 2011)}-{rng.randint(1, 12):02d}"
    end = f"{int(start[:4]) + rng.randint(1, 3)}" if status in ("completed", "ended") else ""
    mistake = rng.randrange(30)
    if mistake == 0:
        status = "finished"
    elif mistake == 1:
        start = "spring 2009"
    lines = [
        "{{Partnership",
        f"| name        = {name} {place} {number}",
        f"| partner     = {partner}",
        f"| type        = {types}",
        f"| lead        = {lead}",
        *([f"| chapter     = {chapter}"] if chapter else []),
        f"| status      = {status}",
        f"| start       = {start}",
        *([f"| end         = {end}"] if end else []),
        "| recommendation = Task force/Recommendations/Alliances and partnerships 1",
        f"| assets      = volunteers in {place}, our content and its free licence",
        f"| lessons     = agree early on licences and on who answers the partner's questions ({number})",
        f"| best_practice = {'yes' if rng.random() < 0.2 else 'no'}",
        f"| critical    = {'yes' if rng.random() < 0.3 else 'no'}",
        f"| description = A {types.split(',')[0]} partnership with {partner.split(';')[0]} in {place}.",
        "}}",
    ]
    text = (
        f"'''{name} {place}''' is a partnership of the Wikimedia movement with {partner.replace(';', ' and')}.\n\n"
        + "\n".join(lines)
        + "\n\n== History ==\n"
        + f"It started in {start[:4]} after volunteers in {place} met the partner at a local event. "
        + "The task force recorded what worked and what did not, so that others can learn from it.\n\n"
        + "== Results ==\n* Files and articles contributed\n* Events held with the partner\n"
        + "\n[[Category:Partnerships]]\n"
    )
    return title, text


# --- the probe: bots.update (or the naive loop) inside a counting process -----------------------


def probe(mode: str, out: Path, args: list[str]) -> int:
    """Run in a child process: count the API requests of one run and time its pure stages."""
    import pywikibot
    from pywikibot.data import api

    counts: Counter[str] = Counter()
    log: list[str] = []
    edited: Counter[str] = Counter()
    original_submit = api.Request.submit

    def counting_submit(self: Any) -> Any:
        params = {
            k: "|".join(map(str, v)) if isinstance(v, (list, tuple, set)) else str(v) for k, v in self._params.items()
        }
        log.append(f"{classify(params)} {sorted((k, v[:60]) for k, v in params.items() if k not in ('token', 'text'))}")
        counts[classify(params)] += 1
        if params.get("action") == "edit":
            edited[params.get("title", "")] += 1
        return original_submit(self)

    api.Request.submit = counting_submit
    timings: dict[str, float] = {}
    started = time.monotonic()
    code = 0
    pages = 0
    if mode == "update":
        from bots import update

        def timed(name: str, function: Any) -> Any:
            def wrapper(*a: Any, **k: Any) -> Any:
                begin = time.perf_counter()
                try:
                    return function(*a, **k)
                finally:
                    timings[name] = timings.get(name, 0.0) + time.perf_counter() - begin

            return wrapper

        update.check_pages = timed("check", update.check_pages)  # type: ignore[attr-defined]
        update.render_generated = timed("render", update.render_generated)  # type: ignore[attr-defined]
        code = update.main(*args)
    else:
        from bots.core.pipeline import load_config

        site = pywikibot.Site()
        site.login()
        template = pywikibot.Page(site, load_config().schema.template, ns=10)
        limit = int(args[0]) if args else 0
        for page in template.getReferences(only_template_inclusion=True, namespaces=[0]):
            if limit and pages >= limit:
                break
            _ = page.text
            pages += 1
    result = {
        "code": code,
        "seconds": time.monotonic() - started,
        "requests": dict(counts),
        "edits": dict(edited),
        "timings": dict(timings),
        "naive_pages": pages,
        "requests_log": log,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out.write_text(json.dumps(result))
    return 0


def classify(params: dict[str, str]) -> str:
    action = params.get("action", "")
    if action in ("login", "clientlogin", "paraminfo") or params.get("meta", "") in (
        "siteinfo",
        "userinfo",
        "tokens",
        "siteinfo|userinfo",
        "userinfo|siteinfo",
    ):
        return "setup"
    if action == "edit":
        return "edit"
    if params.get("generator") == "embeddedin" and "revisions" not in params.get("prop", ""):
        return "list"
    if "revisions" in params.get("prop", "") and "pageids" in params:
        return "text"
    if params.get("generator") == "embeddedin" or params.get("list") == "embeddedin":
        return "list"
    return "other"


# --- the benchmark ----------------------------------------------------------------------------


def run_probe(dev: DevWiki, mode: str, *args: str) -> dict[str, Any]:
    out = dev.root / f"probe-{mode}.json"
    env = {**os.environ, "PYWIKIBOT_DIR": str(dev.pywikibot_dir), "PYTHONUNBUFFERED": "1"}
    begin = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "scripts.bench", "--probe", mode, "--out", str(out), "--", *args],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - begin
    if result.returncode != 0 or not out.exists():
        raise SystemExit(f"probe {mode} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(out.read_text())
    data["wall"] = wall
    data["log"] = result.stdout + result.stderr
    (dev.root.parent / f"{dev.root.name}-{mode}-requests.log").write_text("\n".join(data["requests_log"]))
    data["too_big"] = data["log"].count("exceeds the article size limit")
    if data["code"] != 0 and not (data["code"] == 1 and data["too_big"]):
        raise SystemExit(f"bots.update exited {data['code']}:\n{data['log'][-3000:]}")
    return data


def edit_pages(dev: DevWiki, titles: list[str]) -> None:
    """Change each page's status line, as volunteers would (anonymous edits on the local wiki)."""
    for title in titles:
        query = urllib.parse.urlencode(
            {
                "action": "query",
                "prop": "revisions",
                "titles": title,
                "rvprop": "content",
                "rvslots": "main",
                "format": "json",
                "formatversion": "2",
            }
        )
        with urllib.request.urlopen(f"{dev.api_url}?{query}", timeout=60) as response:
            text = json.load(response)["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]
        new = text.replace("== History ==", "== History ==\nUpdated by a volunteer.", 1)
        data = urllib.parse.urlencode(
            {"action": "edit", "title": title, "text": new, "summary": "bench", "token": "+\\", "format": "json"}
        ).encode()
        with urllib.request.urlopen(urllib.request.Request(dev.api_url, data=data), timeout=60) as response:
            assert "error" not in json.load(response)


def pure_throughput(pages: list[tuple[str, str]]) -> float:
    """Pages per second through parse + validate + render, all pages, no cache."""
    from bots.core.model import PageSnapshot
    from bots.core.pipeline import check_pages, load_config, render_generated

    config = load_config()
    snapshots = [PageSnapshot(title=t, text=x, revid=i + 1, pageid=i + 1) for i, (t, x) in enumerate(pages)]
    begin = time.perf_counter()
    checked = check_pages(snapshots, config.schema, [config.schema.template, *config.schema.template_aliases])
    render_generated(checked, config, "now")
    return len(pages) / (time.perf_counter() - begin)


def row(name: str, data: dict[str, Any], pages: int, bound: int) -> str:
    requests = data["requests"]
    reading = requests.get("list", 0) + requests.get("text", 0)
    counted = sum(v for k, v in requests.items() if k != "setup")
    edits = data["edits"]
    content_edits = sum(v for t, v in edits.items() if "PartnershipBot/Status" not in t)
    status_edits = sum(edits.values()) - content_edits
    stage = data["timings"].get("check", 0) + data["timings"].get("render", 0)
    rate = f"{pages / stage:8.0f}" if stage else "       -"
    return (
        f"| {name:<10} | {counted:>8} | {reading:>7} | {bound:>5} | {reading / bound if bound else 0:>5.2f}x "
        f"| {requests.get('setup', 0):>5} | {content_edits:>5} + {status_edits} | {data['wall']:>7.1f} | {rate} "
        f"| {data['peak_mb']:>6.0f} |"
    )


def bench(count: int, naive_max: int, keep: bool) -> list[str]:
    rng = random.Random(count)
    root = Path(tempfile.mkdtemp(prefix=f"bench-{count}-"))
    dev = DevWiki(root=root, port=free_port())
    lines = [f"### N = {count:,}", ""]
    try:
        dev.start(empty=True)
        pages = [synthetic_page(i, rng) for i in range(count)]
        dump = root / "bench.xml"
        dump.write_text(export_xml(onwiki_and_task_force() + pages), encoding="utf-8")
        begin = time.monotonic()
        dev.php("importDump.php", "--quiet", str(dump))
        load_seconds = time.monotonic() - begin
        print(f"N={count}: loaded {count} pages with importDump.php in {load_seconds:.0f} s", flush=True)
        throughput = pure_throughput(pages)
        full = run_probe(dev, "update", "-always")
        print(f"N={count}: full run {full['wall']:.1f} s", flush=True)
        quiet = run_probe(dev, "update", "-always")
        print(f"N={count}: no-change run {quiet['wall']:.1f} s", flush=True)
        changed = [title for title, _ in rng.sample(pages, max(1, count // 100))]
        edit_pages(dev, changed)
        some = run_probe(dev, "update", "-always")
        print(f"N={count}: 1% change run {some['wall']:.1f} s", flush=True)
        naive = run_probe(dev, "naive", str(min(count, naive_max)))
        list_bound = math.ceil(count / LIST_LIMIT)
        lines += [
            "| run        | requests | reading | bound | ratio  | setup | edits   | wall s  | pages/s  | peak MB |",
            "|------------|---------:|--------:|------:|-------:|------:|--------:|--------:|---------:|--------:|",
            row("full", full, count, math.ceil(count / TEXT_LIMIT)),
            row("no change", quiet, count, list_bound),
            row("1% change", some, count, list_bound + math.ceil(len(changed) / TEXT_LIMIT)),
        ]
        lines.append(row("naive", naive, count, math.ceil(count / TEXT_LIMIT)))
        lines += [
            "",
            f"Loading {count:,} pages with importDump.php: {load_seconds:.0f} s. "
            f"parse+validate+render of all {count:,} pages, in process: {throughput:,.0f} pages/s.",
        ]
        sampled = naive["naive_pages"]
        naive_reading = sum(v for k, v in naive["requests"].items() if k != "setup")
        naive_reading += count - sampled  # one request per page not sampled
        naive_seconds = naive["wall"] * count / sampled
        ours = full["requests"].get("list", 0) + full["requests"].get("text", 0)
        quiet_reading = quiet["requests"].get("list", 0) + quiet["requests"].get("text", 0)
        lines.append(
            f"Naive loop (page.text per page){'' if sampled == count else f', timed on {sampled:,} pages and scaled'}: "
            f"{naive_reading:,} requests, {naive_seconds:,.0f} s; {naive_reading / ours:.0f}x the full run's reading "
            f"requests and {naive_reading / max(quiet_reading, 1):,.0f}x the no-change run's; the lower bound is "
            f"{math.ceil(count / TEXT_LIMIT)} for a full read and {list_bound} when nothing changed."
        )
        if full["too_big"]:
            lines.append(
                f"At this size {full['too_big']} generated page(s) exceed MediaWiki's 2 MiB page limit and are "
                "refused by the wiki (contenttoobig) on every run: long lists must be split into subpages."
            )
        for name, data in (("full", full), ("no change", quiet), ("1% change", some)):
            lines.append(f"- {name}: requests by kind {json.dumps(data['requests'], sort_keys=True)}")
    finally:
        dev.stop()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return lines


def onwiki_and_task_force() -> list[tuple[str, str]]:
    """The infobox and its redirects (from the schema), the recommendation page and the shutoff page."""
    from bots.core.onwiki import onwiki_pages
    from bots.core.pipeline import DEFAULT_TEMPLATE_DIR, load_config

    config = load_config()
    pages = list(onwiki_pages(config.schema, DEFAULT_TEMPLATE_DIR).items())
    pages.append(("Task force/Recommendations/Alliances and partnerships 1", "A recommendation of the task force."))
    pages.append((config.pages.shutoff_page, config.pages.shutoff_run_value))
    return pages


def main(*args: str) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--naive-max", type=int, default=1000, help="time the naive loop on at most this many pages, then scale"
    )
    parser.add_argument("--keep", action="store_true", help="keep the wikis' folders")
    parser.add_argument("--probe", choices=["update", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args(args)
    if options.probe:
        return probe(options.probe, options.out, options.rest)
    for count in options.pages:
        print("\n".join([*bench(count, options.naive_max, options.keep), ""]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
