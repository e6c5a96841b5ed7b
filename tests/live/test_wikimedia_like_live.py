"""The real-target configuration on a local wiki laid out like a Wikimedia wiki, as a bot on trial.

Meta-Wiki serves /w/api.php and /wiki/$1, and a bot account has no bot flag until its trial is
approved: no apihighlimits (50 titles or texts a request instead of 500) and MediaWiki's edit rate
limits. Here every command docs/real-wiki.md tells a maintainer to run succeeds as such an account
against such a wiki (scripts.devwiki --wikimedia-paths), with the settings it tells them to write,
on a fresh wiki without the bot's templates; and the reads of a full and a -recent run are counted
for both accounts on the same data, for docs/performance.md's figures.
"""

from __future__ import annotations

import math
import os
import random
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.config import DEFAULT_CONFIG_DIR
from scripts.bench import edit_pages, reading_requests, run_probe, synthetic_page
from scripts.devwiki import SEED_FILE, DevWiki, DevWikiError, export_xml, free_port
from tests.live.conftest import LiveWiki, output, run_module
from tests.live.wikiapi import WikiApi

#: Synthetic partnership pages added to the sample's, so that a full read needs several requests of 50
#: (WIKIMEDIA_LIKE_PAGES=1000 for docs/performance.md's larger figures, with -k reads_take_50).
EXTRA_PAGES = int(os.environ.get("WIKIMEDIA_LIKE_PAGES", "150"))
#: Where docs/real-wiki.md puts the generated pages during the trial.
ROOT = "User:PartnershipBot/Partnerships"
TASK_PAGE = "User:PartnershipBot/Task"
#: The API's limits: with apihighlimits (the bot flag) and without.
BOT_LIMIT, USER_LIMIT = 500, 50


@pytest.fixture(scope="module")
def wikimedia_like(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWiki]:
    """A fresh wiki at /w and /wiki/$1 with the sample's pages and EXTRA_PAGES more, but none of the bot's templates."""
    dev = DevWiki(root=tmp_path_factory.mktemp("wikimedia-like"), port=free_port(), wikimedia_paths=True)
    try:
        dev.start(empty=True)
    except DevWikiError as exc:
        pytest.fail(f"The Wikimedia-like local wiki could not be started: {exc}")
    try:
        seed = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["pages"]
        extra = extra_pages()
        dump = dev.root / "pages.xml"
        dump.write_text(export_xml([(p["title"], p["text"]) for p in seed] + extra), encoding="utf-8")
        dev.php("importDump.php", "--quiet", str(dump))
        yield LiveWiki(dev=dev, api=WikiApi(dev.api_url))
    finally:
        dev.stop()


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The settings docs/real-wiki.md tells a maintainer to write for the trial on Meta-Wiki."""
    folder = tmp_path_factory.mktemp("meta-settings")
    pages: dict[str, Any] = yaml.safe_load((DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8"))
    pages.update(root=ROOT, task_page=TASK_PAGE, operator="Admin", source="https://example.org/partnership-bot")
    pages["crosslink"]["recommendation_prefix"] = ""
    (folder / "pages.yaml").write_text(yaml.safe_dump(pages, allow_unicode=True), encoding="utf-8")
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", folder / "schema.yaml")
    return folder


def extra_pages() -> list[tuple[str, str]]:
    """The synthetic pages (title, text), the same at every call."""
    rng = random.Random(EXTRA_PAGES)
    return [synthetic_page(number, rng) for number in range(EXTRA_PAGES)]


def partnership_count(wiki: LiveWiki) -> int:
    return len(wiki.api.transcluding("Partnership", [0]))


def test_every_command_of_the_real_wiki_guide_works_without_the_bot_flag(
    wikimedia_like: LiveWiki, settings: Path
) -> None:
    dev = wikimedia_like.dev
    assert not (dev.nonbot_pywikibot_dir / "user-config.py").read_text().count('"PartnershipBot"')

    def run(module: str, *args: str, exit_code: int = 0) -> str:
        begin = time.monotonic()
        result = run_module(module, *args, f"-settings:{settings}", pywikibot_dir=dev.nonbot_pywikibot_dir)
        assert result.returncode == exit_code, f"{module} {args}: {output(result)}"
        print(
            f"N={partnership_count(wikimedia_like)} non-bot {module} {' '.join(args)}: {time.monotonic() - begin:.1f} s"
        )
        return output(result)

    run("scripts.install_templates", "-always")
    assert "{{" in wikimedia_like.api.text("Template:Partnership")
    run("scripts.task_page", "-save", "-always")
    assert f"[[{ROOT}/Index]]" in wikimedia_like.api.text(TASK_PAGE)
    # The sample's pages have mistakes on purpose: validate reports them all, and says so by exit 1.
    assert f"{partnership_count(wikimedia_like)} pages checked: " in run("bots.validate", exit_code=1)
    run("bots.crosslink", "-always")
    run("bots.update", "-always")
    run("bots.lists", "-always")
    # The index's links to partnership pages, as the wiki renders them, lead to the pages under /wiki/.
    html = urllib.request.urlopen(dev.page_url(f"{ROOT}/Index"), timeout=60).read().decode()
    links = re.findall(r'<a href="(/wiki/Partnerships/[^"#]+)"', html)
    assert "/wiki/Partnerships/Afripedia" in links, "no link to a partnership page under /wiki/ on the index"
    with urllib.request.urlopen(dev.url + "/wiki/Partnerships/Afripedia", timeout=60) as page:
        assert page.status == 200 and "{{Partnership" not in (body := page.read().decode()) and "Afripedia" in body


def test_reads_take_50_titles_a_request_without_the_flag(wikimedia_like: LiveWiki, settings: Path) -> None:
    """A full and a -recent run as each account on the same data: the non-bot one needs more reads, within
    the bound its limit sets, and says so in the printed figures (docs/performance.md)."""
    dev = wikimedia_like.dev
    templates = run_module(
        "scripts.install_templates", "-always", f"-settings:{settings}", pywikibot_dir=dev.pywikibot_dir
    )
    assert templates.returncode == 0, output(templates)  # (the test above installed them already, when it ran)
    count = partnership_count(wikimedia_like)
    accounts = {"bot": dev.pywikibot_dir, "non-bot": dev.nonbot_pywikibot_dir}
    flags = (f"-settings:{settings}", "-always")
    full = {
        who: run_probe(dev, "update", *flags, "-full", name=f"full-{who}", pywikibot_dir=d)
        for who, d in accounts.items()
    }
    changed = [title for title, _ in extra_pages()[::25]]
    for folder in accounts.values():  # each account's cache up to date before the volunteers' edits
        run_probe(dev, "update", *flags, "-recent", name="settle", pywikibot_dir=folder)
    time.sleep(1)
    edit_pages(dev, changed)
    recent = {
        who: run_probe(dev, "update", *flags, "-recent", name=f"recent-{who}", pywikibot_dir=d)
        for who, d in accounts.items()
    }
    for who in accounts:
        for run_name, data in (("full", full[who]), ("recent", recent[who])):
            total = sum(data["requests"].values())
            print(
                f"N={count} {who} {run_name}: reading {reading_requests(data)} {data['requests']} "
                f"total {total}, {data['wall']:.1f} s"
            )
    # A full read: ceil(N/limit) requests with the texts; a few more (the template's own listing).
    assert reading_requests(full["bot"]) <= math.ceil(count / BOT_LIMIT) + 2
    assert math.ceil(count / USER_LIMIT) <= reading_requests(full["non-bot"]) <= math.ceil(count / USER_LIMIT) + 2
    # -recent: one request of recent changes, the changed pages looked up and read (50 a request either way here).
    for who in accounts:
        assert reading_requests(recent[who]) <= 1 + 2 * math.ceil(len(changed) / USER_LIMIT) + 2
