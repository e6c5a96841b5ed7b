"""Benchmark of the main job at scale, on a fresh local wiki per size (not a test: it prints figures).

Usage:
    python -m scripts.bench [--pages 1000 10000] [--naive-max 1000] [--keep] [--wiki-dir DIR] [--only-findings]
    make bench

With --wiki-dir DIR the wiki of each N lives in DIR/N and is kept: a later run
with the same DIR reuses it and skips the import (importDump.php takes six to
eleven minutes for 10,000 pages, with the machine's load). A reused wiki keeps the generated pages and the
edits of the earlier runs; the "full" run then saves nothing.

For each N it loads N synthetic but realistic partnership pages into a new
local wiki with importDump.php, then measures bots.update in one go:

    full               a -full run (no cache: every page read with its text in one pass,
                       every generated page rendered), as the daily job does
    no change          a second run with nothing new on the wiki (listing every page)
    1% change          a run after 1% of the pages were edited (listing every page)
    recent, no change  a -recent run with nothing new since the last -recent run
    recent, 1% change  a -recent run after another 1% of the pages were edited
    naive              a loop calling page.text on each page (what the cache avoids),
                       timed on --naive-max pages at most and scaled linearly

For each: API requests by kind (counted inside the bot's process by wrapping
pywikibot's request submission; login, site and parameter info are counted
apart as setup), edits, wall time, pages per second through
parse+validate+render, peak memory (the process's maximum resident set). It
also prints the physical lower bound on the requests that read pages:
ceil(N/500) for a full read, ceil(N/5000) to list every page with its latest
revision id plus ceil(changed/500) to fetch the texts of the changed ones (the
API's limits with apihighlimits), and for -recent one request of recent
changes plus ceil(changed/500) lookups. At the end it projects the figures to
N = 1,000,000 from the per-page costs measured between the two largest N.

Then (issue 19; alone with --only-findings) what one new cross-page finding makes the
wiki re-render, with the Lua infobox: it installs the infobox (scripts.install_templates;
a kept wiki made before the Lua infobox gets Scribunto), runs bots.update -full so that the
findings pages exist, renders every partnership page again with refreshLinks.php (php -S
runs no jobs, and a page rendered before a findings page existed has no link to it), adds
one `related` page that does not list the page back (a volunteer's edit), runs bots.update
-recent, and asks the wiki which findings pages the bot saved since the edit (its
contributions) and how many pages transclude them (list=embeddedin): the pages the job
queue re-renders, as a share of N (target: under 1%), with the run's time.

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

from bots.core.onwiki.findings import shard_of, shard_title
from scripts.bench_findings import HEADER as FINDINGS_HEADER
from scripts.bench_findings import RerenderFigure, findings_edits, has_finding
from scripts.devwiki import BOT_USER, PROJECT_DIR, DevWiki, export_xml, free_port

LIST_LIMIT = 5000
TEXT_LIMIT = 500
INFOBOX = "Partnership"
PROJECT_TO = 1_000_000

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
    #: The kind of the requests made inside a read whose request has no shape of its own (see within).
    inside: list[str] = []

    def counting_submit(self: Any) -> Any:
        params = {
            k: "|".join(map(str, v)) if isinstance(v, (list, tuple, set)) else str(v) for k, v in self._params.items()
        }
        kind = inside[-1] if inside and classify(params) != "setup" else classify(params)
        log.append(f"{kind} {sorted((k, v[:60]) for k, v in params.items() if k not in ('token', 'text'))}")
        counts[kind] += 1
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

        from bots import operation
        from bots.wiki import recent

        def within(kind: str, function: Any) -> Any:
            """``function``, its requests counted as ``kind`` (pywikibot's preloadpages looks the same everywhere)."""

            def wrapper(*a: Any, **k: Any) -> Any:
                inside.append(kind)
                try:
                    return function(*a, **k)
                finally:
                    inside.pop()

            return wrapper

        recent.look_up_pages = within("lookup", recent.look_up_pages)

        update.check_pages = timed("check", update.check_pages)  # type: ignore[attr-defined]
        update.render_generated = timed("render", update.render_generated)  # type: ignore[attr-defined]
        update.save_cache = timed("save cache", update.save_cache)  # type: ignore[attr-defined]
        update.quiet_run = timed("quiet check", update.quiet_run)
        operation.open_cache = timed("load cache", operation.open_cache)
        update.read_infobox_snapshots = timed("read", update.read_infobox_snapshots)  # type: ignore[attr-defined]
        code = update.main(*args)
    else:
        from bots.config import load_config

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
        "peak_mb": peak_memory_mb(),
    }
    out.write_text(json.dumps(result))
    return 0


#: The kinds of requests that read partnership pages or what changed (the rest: setup, edit, other).
READING = ("list", "read", "text", "recent", "lookup")


def classify(params: dict[str, str]) -> str:
    action = params.get("action", "")
    listed = params.get("geititle") or params.get("eititle")
    if listed == f"Template:{INFOBOX}":  # (pywikibot asks meta=userinfo along with a continuation: still reading)
        return "read" if "revisions" in params.get("prop", "") else "list"
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
    if "recentchanges" in params.get("list", ""):
        return "recent"
    if params.get("rvprop") == "ids|content" and "pageids" in params:
        return "text"  # (pywikibot's re-read of a page before saving it asks for more: "other")
    return "other"


def peak_memory_mb() -> float:
    """This process's peak resident memory since it started (VmHWM).

    Not getrusage's ru_maxrss: Linux carries it over from the parent through fork and exec,
    so a probe started by the benchmark, which holds N synthetic pages, would report at
    least the benchmark's own size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the benchmark ----------------------------------------------------------------------------


def run_probe(dev: DevWiki, mode: str, *args: str, name: str = "", pywikibot_dir: Path | None = None) -> dict[str, Any]:
    """One counted run (see probe) as the account of ``pywikibot_dir`` (default: the wiki's bot account)."""
    out = dev.root / f"probe-{mode}.json"
    env = {**os.environ, "PYWIKIBOT_DIR": str(pywikibot_dir or dev.pywikibot_dir), "PYTHONUNBUFFERED": "1"}
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
    label = (name or mode).replace(" ", "-").replace("%", "pc").replace(",", "")
    (dev.root.parent / f"{dev.root.name}-{label}-requests.log").write_text("\n".join(data["requests_log"]))
    data["too_big"] = data["log"].count("exceeds the article size limit")
    if data["code"] != 0 and not (data["code"] == 1 and data["too_big"]):
        raise SystemExit(f"bots.update exited {data['code']}:\n{data['log'][-3000:]}")
    return data


def api_get(dev: DevWiki, **params: str) -> dict[str, Any]:
    """One API query of the local wiki (anonymous, JSON format version 2)."""
    query = urllib.parse.urlencode({"action": "query", "format": "json", "formatversion": "2", **params})
    with urllib.request.urlopen(f"{dev.api_url}?{query}", timeout=60) as response:
        answer: dict[str, Any] = json.load(response)
    return answer


def api_list(dev: DevWiki, name: str, **params: str) -> list[dict[str, Any]]:
    """Every item of the ``list=name`` query, its continuation followed."""
    items: list[dict[str, Any]] = []
    more: dict[str, str] = {}
    while True:
        answer = api_get(dev, list=name, **params, **more)
        items += answer["query"][name]
        if "continue" not in answer:
            return items
        more = {key: str(value) for key, value in answer["continue"].items()}


def page_text(dev: DevWiki, title: str) -> str:
    """A page's current text."""
    answer = api_get(dev, prop="revisions", titles=title, rvprop="content", rvslots="main")
    return str(answer["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"])


def edit_page(dev: DevWiki, title: str, text: str) -> None:
    """Save a page as a volunteer would (an anonymous edit on the local wiki)."""
    data = urllib.parse.urlencode(
        {"action": "edit", "title": title, "text": text, "summary": "bench", "token": "+\\", "format": "json"}
    ).encode()
    with urllib.request.urlopen(urllib.request.Request(dev.api_url, data=data), timeout=60) as response:
        assert "error" not in json.load(response)


def edit_pages(dev: DevWiki, titles: list[str]) -> None:
    """Change each page's status line, as volunteers would."""
    for title in titles:
        edit_page(
            dev, title, page_text(dev, title).replace("== History ==", "== History ==\nUpdated by a volunteer.", 1)
        )


def pure_throughput(pages: list[tuple[str, str]]) -> float:
    """Pages per second through parse + validate + render, all pages, no cache."""
    from bots.config import load_config
    from bots.core.pipeline import check_pages, render_generated
    from bots.core.records.model import PageSnapshot

    config = load_config()
    snapshots = [PageSnapshot(title=t, text=x, revid=i + 1, pageid=i + 1) for i, (t, x) in enumerate(pages)]
    begin = time.perf_counter()
    checked = check_pages(snapshots, config.schema, [config.schema.template, *config.schema.template_aliases])
    render_generated(checked, config, "now")
    return len(pages) / (time.perf_counter() - begin)


def reading_requests(data: dict[str, Any]) -> int:
    return sum(data["requests"].get(kind, 0) for kind in READING)


def by_kind(data: dict[str, Any]) -> str:
    parts = [f"{kind} {data['requests'][kind]}" for kind in READING if data["requests"].get(kind)]
    return " + ".join(parts) or "none"


def row(name: str, data: dict[str, Any], pages: int, bound: int) -> str:
    requests = data["requests"]
    reading = reading_requests(data)
    counted = sum(v for k, v in requests.items() if k != "setup")
    edits = data["edits"]
    content_edits = sum(v for t, v in edits.items() if "PartnershipBot/Status" not in t)
    status_edits = sum(edits.values()) - content_edits
    stage = data["timings"].get("check", 0) + data["timings"].get("render", 0)
    rate = f"{pages / stage:,.0f}" if stage and data["timings"].get("render") else "–"
    return (
        f"| {pages:,} | {name} | {counted:,} | {reading:,} ({bound:,}, {reading / bound if bound else 0:.2f}x) "
        f"| {by_kind(data)} | {requests.get('setup', 0)} | {content_edits} + {status_edits} | {data['wall']:.1f} "
        f"| {rate} | {data['peak_mb']:.0f} |"
    )


def naive_row(naive: dict[str, Any], count: int) -> str:
    """The naive loop's row at N: one request per page plus the listing, scaled when timed on fewer pages."""
    sampled = naive["naive_pages"]
    listing = math.ceil(count / LIST_LIMIT)
    requests = count + listing
    seconds = naive["wall"] * count / sampled
    scaled = sampled < count
    name = f"naive (timed on {sampled:,} pages, scaled)" if scaled else "naive"
    bound = math.ceil(count / TEXT_LIMIT)
    return (
        f"| {count:,} | {name} | {requests:,} | {requests:,} ({bound:,}, {requests / bound:.0f}x) "
        f"| text {count:,} + list {listing} | {naive['requests'].get('setup', 0)} | 0 + 0 "
        f"| {seconds:,.0f}{' (scaled)' if scaled else ''} | – | {naive['peak_mb']:.0f}{' (sample)' if scaled else ''} |"
    )


HEADER = [
    "| N | run | requests | reading (bound, ratio) | reading by kind | setup | edits | wall s | pages/s | peak MB |",
    "|---|---|---:|---:|---|---:|---:|---:|---:|---:|",
]


def bench(
    count: int, naive_max: int, keep: bool, wiki_dir: Path | None = None, only_findings: bool = False
) -> tuple[list[str], list[str], dict[str, Any]]:
    """The table rows and notes for N = ``count``, and the measurements (for the projection and the
    findings' table); with ``only_findings``, the findings' figure alone."""
    rng = random.Random(count)
    if wiki_dir is None:
        root = Path(tempfile.mkdtemp(prefix=f"bench-{count}-"))
    else:
        root = (wiki_dir / str(count)).resolve()
        root.mkdir(parents=True, exist_ok=True)
        keep = True
    dev = DevWiki(root=root, port=free_port())
    lines: list[str] = []
    notes: list[str] = []
    figures: dict[str, Any] = {"count": count}
    loaded_marker = root / "bench-loaded"
    try:
        dev.start(empty=True)
        pages = [synthetic_page(i, rng) for i in range(count)]
        load_seconds = -1.0
        if loaded_marker.exists():
            print(f"N={count}: reusing the wiki in {root} (loaded before)", flush=True)
        else:
            dump = root / "bench.xml"
            dump.write_text(export_xml(onwiki_and_task_force() + pages), encoding="utf-8")
            begin = time.monotonic()
            dev.php("importDump.php", "--quiet", str(dump))
            load_seconds = time.monotonic() - begin
            loaded_marker.write_text(f"{count}\n")
            print(f"N={count}: loaded {count} pages with importDump.php in {load_seconds:.0f} s", flush=True)
        if not only_findings:
            lines, notes, figures = update_runs(dev, pages, rng, naive_max, load_seconds)
        figures["findings"], findings_notes = findings_rerender(dev, pages)
        notes += findings_notes
    finally:
        dev.stop()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return lines, notes, figures


def update_runs(
    dev: DevWiki, pages: list[tuple[str, str]], rng: random.Random, naive_max: int, load_seconds: float
) -> tuple[list[str], list[str], dict[str, Any]]:
    """The main table's runs of bots.update and the naive loop on the N pages: rows, notes, measurements."""
    count = len(pages)
    lines: list[str] = []
    notes: list[str] = []
    cache_file = dev.pywikibot_dir / "partnership-cache.sqlite"
    throughput = pure_throughput(pages)
    cache_file.unlink(missing_ok=True)  # the full run starts cold (and -full renders every page)
    runs: dict[str, dict[str, Any]] = {}

    def measure(name: str, *args: str) -> None:
        runs[name] = run_probe(dev, "update", "-always", *args, name=name)
        print(f"N={count}: {name} run {runs[name]['wall']:.1f} s", flush=True)

    changed = max(1, count // 100)
    measure("full", "-full")
    measure("no change")
    edit_pages(dev, [title for title, _ in rng.sample(pages, changed)])
    measure("1% change")
    run_probe(dev, "update", "-always", "-recent")  # settles the listing runs' own edits
    measure("recent, no change", "-recent")
    cache_bytes = cache_file.stat().st_size
    edit_pages(dev, [title for title, _ in rng.sample(pages, changed)])
    measure("recent, 1% change", "-recent")
    naive = run_probe(dev, "naive", str(min(count, naive_max)))
    list_bound = math.ceil(count / LIST_LIMIT)
    text_bound = math.ceil(changed / TEXT_LIMIT)
    bounds = {
        "full": math.ceil(count / TEXT_LIMIT),
        "no change": list_bound,
        "1% change": list_bound + text_bound,
        "recent, no change": 1,
        "recent, 1% change": math.ceil(changed / LIST_LIMIT) + text_bound,
    }
    lines += [row(name, data, count, bounds[name]) for name, data in runs.items()]
    lines.append(naive_row(naive, count))
    notes.append(
        (
            f"N={count:,}: loading with importDump.php took {load_seconds:.0f} s. "
            if load_seconds >= 0
            else f"N={count:,}: wiki reused from an earlier run (generated pages already saved). "
        )
        + f"parse+validate+render of all pages, in process: {throughput:,.0f} pages/s. "
        + f"Cache file after the quiet -recent run: {cache_bytes / 1e6:.1f} MB "
        + f"({cache_bytes / count:,.0f} bytes/page)."
    )
    for name, data in runs.items():
        if data["too_big"]:
            notes.append(f"N={count:,}, {name}: {data['too_big']} generated page(s) refused by the wiki as too big.")
        timings = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(data["timings"].items()))
        saved = ", ".join(title.split(":", 2)[-1].rstrip("]") for title in sorted(data["edits"])) or "none"
        notes.append(f"- {name}: requests {json.dumps(data['requests'], sort_keys=True)}; {timings}; edits: {saved}")
    return lines, notes, {"count": count, "runs": runs, "cache_bytes": cache_bytes}


#: The cross-page finding the findings' measurement creates: a related page that does not link back.
NEW_FINDING = "related-not-reciprocal"
#: The facts of the page that gets the one-way link: the unrestricted grant (Sloan Foundation, revenue) shares
#: no partner and no type with the next page's (the photo contest).
ONE_WAY_FACTS = 7


def run_module(dev: DevWiki, module: str, *args: str) -> None:
    """Run one of the project's scripts against the wiki (``python -m module args``)."""
    env = {**os.environ, "PYWIKIBOT_DIR": str(dev.pywikibot_dir)}
    result = subprocess.run(
        [sys.executable, "-m", module, *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"{module} exited {result.returncode}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")


def findings_rerender(dev: DevWiki, pages: list[tuple[str, str]]) -> tuple[RerenderFigure | None, list[str]]:
    """Issue 19's figure: how many pages the wiki re-renders for one new cross-page finding, and notes.

    With the Lua infobox installed (scripts.install_templates) a -full run writes the findings;
    refreshLinks.php then renders every partnership page with the module, so that the links
    tables say which findings page each reads (the module reads a page's shard only when the
    index exists, and a page read before it existed was not recorded: MediaWiki records no
    link to a missing JSON page). Then one volunteer's edit adds a ``related`` page that does
    not list it back, a -recent run saves the findings, and the wiki is asked which findings
    pages the bot saved since the edit and which pages transclude them (``list=embeddedin``):
    the pages the job queue re-renders.
    """
    from bots.config import load_config
    from bots.core.onwiki.infobox import title

    config = load_config()
    count = len(pages)
    if not config.pages.findings_shards or config.schema.engine != "lua":
        return None, [f"N={count:,}: no findings figure: the settings write no findings (findings: shards, engine)."]
    module = title("Module", config.schema.template)
    run_module(dev, "scripts.install_templates", "-always")
    run_probe(dev, "update", "-always", "-full", name="findings setup")
    begin = time.monotonic()
    for namespace in config.pages.namespaces:
        dev.php("refreshLinks.php", "--namespace", str(namespace))
    refresh_seconds = time.monotonic() - begin
    print(f"N={count:,}: refreshLinks.php of every partnership page in {refresh_seconds:.0f} s", flush=True)
    page, other = add_one_way_link(dev, pages)
    since = str(api_get(dev, meta="siteinfo")["query"]["general"]["time"])
    run = run_probe(dev, "update", "-always", "-recent", name="findings one")
    contributions = api_list(dev, "usercontribs", ucuser=BOT_USER, ucend=since, ucprop="title|timestamp", uclimit="max")
    saved = findings_edits(contributions, module)
    embedded = {shard: api_list(dev, "embeddedin", eititle=shard, eilimit="max") for shard in dict.fromkeys(saved)}
    figure = RerenderFigure.from_answers(count, saved, embedded, run["wall"])
    shard = shard_title(module, shard_of(page, config.pages.findings_shards))
    found = has_finding(page_text(dev, shard), page, NEW_FINDING) if shard in saved else False
    print(f"N={count:,}: findings run {run['wall']:.1f} s, {len(saved)} findings page(s) saved", flush=True)
    return figure, [
        f"N={count:,}, findings: refreshLinks.php of every partnership page took {refresh_seconds:.0f} s. "
        f"[[{page}]] now lists [[{other}]] as related, which does not list it back: "
        + (f"its {NEW_FINDING} finding is in {shard}" if found else f"NO {NEW_FINDING} finding in {shard}")
        + f"; {len(figure.readers):,} pages transclude the saved findings page(s)"
        + (", the edited page among them." if page in figure.readers else ", NOT the edited page.")
    ]


def add_one_way_link(dev: DevWiki, pages: list[tuple[str, str]]) -> tuple[str, str]:
    """Add a ``related`` page to one synthetic page that lists none yet (a volunteer's edit): (page, related).

    The two are of different partners and types, so no possible duplicate comes or goes with the link.
    """
    for number in range(len(pages) // 2, len(pages) - 1):
        if number % len(FACTS) != ONE_WAY_FACTS:
            continue
        (page, _), (other, _) = pages[number], pages[number + 1]
        text = page_text(dev, page)
        if "| related" not in text:
            edit_page(dev, page, text.replace("\n}}", f"\n| related     = {other}\n}}}}", 1))
            return page, other
    raise SystemExit("no synthetic page without a related field is left for the findings' measurement")


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """(fixed, per page) of a straight line through the two largest sizes (through 0 with one size)."""
    (n1, y1), (n2, y2) = ((0, 0.0), points[-1]) if len(points) < 2 else (points[-2], points[-1])
    per_page = (y2 - y1) / (n2 - n1)
    return y2 - per_page * n2, per_page


def projection(measured: list[dict[str, Any]], target: int = PROJECT_TO) -> list[str]:
    """The figures at N = ``target`` from the per-page costs measured between the two largest N."""
    measured = sorted(measured, key=lambda m: m["count"])
    largest = measured[-1]
    n, changed = target, target // 100
    big = largest["runs"]
    fixed_other = {name: sum(v for k, v in d["requests"].items() if k not in (*READING, "setup", "edit"))
                   for name, d in big.items()}  # fmt: skip
    reading = {
        "full": math.ceil(n / TEXT_LIMIT),
        "no change": math.ceil(n / LIST_LIMIT),
        "1% change": math.ceil(n / LIST_LIMIT) + math.ceil(changed / TEXT_LIMIT),
        "recent, no change": reading_requests(big["recent, no change"]),
        "recent, 1% change": math.ceil(changed / LIST_LIMIT) + math.ceil(changed / TEXT_LIMIT),
    }
    lines = [
        f"### Projection to N = {target:,} (from the per-page costs measured at N = "
        f"{' and '.join(format(m['count'], ',') for m in measured[-2:])})",
        "",
        "| run | reading requests | other requests | wall s | per 1,000 pages | peak MB | per 1,000 pages |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in reading:
        wall = fit([(m["count"], m["runs"][name]["wall"]) for m in measured])
        peak = fit([(m["count"], m["runs"][name]["peak_mb"]) for m in measured])
        lines.append(
            f"| {name} | {reading[name]:,} | {fixed_other[name]} | {wall[0] + wall[1] * n:,.0f} "
            f"| {wall[1] * 1000:.2f} s "
            f"| {peak[0] + peak[1] * n:,.0f} | {peak[1] * 1000:.1f} MB |"
        )
    quiet = {m["count"]: m["runs"]["recent, no change"] for m in measured}
    checked = sum(quiet[largest["count"]]["timings"].get(k, 0.0) for k in ("load cache", "quiet check"))
    requests = ", ".join(f"{sum(q['requests'].values()):,} at N = {count:,}" for count, q in quiet.items())
    peaks = ", ".join(f"{q['peak_mb']:.0f} MB at N = {count:,}" for count, q in quiet.items())
    per_byte = largest["cache_bytes"] / largest["count"]
    lines += [
        "",
        f"The quiet -recent run read no record: opening the cache and the quiet check, its requests included, took "
        f"{checked:.2f} s at N = {largest['count']:,}. Its requests were {requests}; its peak memory {peaks}. What "
        "still grows is what it reads besides recent changes: the pages the records link to and the recommendation "
        "pages (with their text, and their type subpages), and the generated pages' revisions (500 a request "
        "with apihighlimits).",
        f"The cache file holds every page's text and record, {per_byte:,.0f} bytes per page: "
        f"{per_byte * n / 1e9:.1f} GB of disk at {n:,}, read whole only by a run that has something to render.",
        "A run with changes still reads every record from the cache and renders every generated page, so its "
        "time and memory grow with N (the 1% rows).",
    ]
    return lines


def onwiki_and_task_force() -> list[tuple[str, str]]:
    """The infobox and its redirects (from the schema), the recommendation page and the shutoff page."""
    from bots.config import load_config, onwiki_templates
    from bots.core.onwiki.infobox import onwiki_pages

    config = load_config()
    pages = list(onwiki_pages(config.schema, onwiki_templates()).items())
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
    parser.add_argument(
        "--wiki-dir", type=Path, help="keep each N's wiki in DIR/N and reuse it next time (no second import)"
    )
    parser.add_argument(
        "--only-findings",
        action="store_true",
        help="measure only what one new finding makes the wiki re-render (issue 19), not the runs of the main table",
    )
    parser.add_argument("--probe", choices=["update", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args(args)
    if options.probe:
        return probe(options.probe, options.out, options.rest)
    rows: list[str] = []
    notes: list[str] = []
    measured = []
    findings: list[str] = []
    for count in options.pages:
        new_rows, new_notes, figures = bench(
            count, options.naive_max, options.keep, options.wiki_dir, options.only_findings
        )
        rows += new_rows
        notes += new_notes
        if figures["findings"]:
            findings.append(figures["findings"].row())
        if "runs" in figures:
            measured.append(figures)
        tables = [*HEADER, *rows, ""] if rows else []
        print("\n".join([*tables, *notes, "", *FINDINGS_HEADER, *findings, ""]), flush=True)
    if measured:
        print("\n".join(projection(measured)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
