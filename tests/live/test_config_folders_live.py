"""Two config folders side by side on one wiki, each with its own cache, lock and render state (issue 20).

The project's config/ and a second folder made here from tests/data/meetup/ with another infobox
({{Gathering}}), its own words and a page template of its own run in turn on the same wiki: each
one's second run reads nothing again and saves nothing, as it would alone. A folder whose generated
title begins with an interwiki prefix stops with exit 2 before the first page is read.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bots.config import DEFAULT_CONFIG_DIR, folder_key, load_config
from bots.exit_codes import BAD_OPTIONS
from scripts.devwiki import PROJECT_DIR
from tests.live.conftest import LiveWiki, output

MEETUP = PROJECT_DIR / "tests" / "data" / "meetup"
PAGES = {
    "Gatherings/Haifa day": "{{Gathering|title=Haifa day|city=Haifa|kind=edit-a-thon|date=2011-01-15}}\n",
    "Gatherings/Paris talk": "{{Gathering|title=Paris talk|city=Paris|kind=conference|date=2010-06}}\n",
    "Gatherings/Berlin party": "{{Gathering|title=Berlin party|city=Berlin|kind=party}}\n",
}
WORDS = "words:\n  noun: gathering\n  nouns: gatherings\n  css_prefix: gathering\n"


def gathering_folder(tmp_path: Path) -> Path:
    """tests/data/meetup/ as {{Gathering}}: other titles, markers and words, and a page template of its own."""
    folder = tmp_path / "gathering"
    shutil.copytree(MEETUP, folder)
    schema = (folder / "schema.yaml").read_text(encoding="utf-8")
    schema = schema.replace("  name: Meetup\n  aliases: [Infobox meetup]\n", "  name: Gathering\n")
    (folder / "schema.yaml").write_text(schema + WORDS, encoding="utf-8")
    pages = (folder / "pages.yaml").read_text(encoding="utf-8")
    pages = pages.replace("Meetups/", "Gatherings/").replace("MEETUP BOT", "GATHERING BOT")
    (folder / "pages.yaml").write_text(pages, encoding="utf-8")
    own = folder / "templates" / "pages"
    own.mkdir(parents=True)
    records = (PROJECT_DIR / "templates" / "pages" / "records.wikitext").read_text(encoding="utf-8")
    (own / "records.wikitext").write_text("Our own list of gatherings.\n" + records, encoding="utf-8")
    return folder


def update(wiki: LiveWiki, folder: Path, *args: str) -> tuple[int, str]:
    """(pages fetched, output) of a bots.update run with the folder's own default cache and lock."""
    result = wiki.run("bots.update", "-always", f"-settings:{folder}", *args)
    text = output(result)
    assert result.returncode == 0, text
    counts = re.search(r"\d+ pages unchanged since the last run, (\d+) fetched", text)
    assert counts, text
    return int(counts[1]), text


def test_two_config_folders_run_side_by_side_each_quiet_on_its_second_run(wiki: LiveWiki, tmp_path: Path) -> None:
    gathering = gathering_folder(tmp_path)
    result = wiki.run("scripts.install_templates", "-always", f"-settings:{gathering}")
    assert result.returncode == 0, output(result)
    for title, text in PAGES.items():
        wiki.api.edit(title, text)

    update(wiki, DEFAULT_CONFIG_DIR)  # work other tests may have left
    fetched, text = update(wiki, gathering)
    assert fetched == len(PAGES) and f"{len(PAGES)} pages read" in text
    titles = {page.key: page.title for page in load_config(gathering).pages.generated}
    listing = wiki.api.text(titles["all"])
    assert listing.count("Our own list of gatherings.") == 1  # the folder's own template
    assert 'class="gathering-problem"' in listing and "artnership-problem" not in listing  # Berlin's kind
    assert "Gatherings with problems are still listed" in wiki.api.text(titles["report"])

    # Each second run, in turn, finds its own cache and render state: nothing fetched, nothing saved.
    for folder in (DEFAULT_CONFIG_DIR, gathering, DEFAULT_CONFIG_DIR, gathering):
        fetched, text = update(wiki, folder)
        assert fetched == 0, text
        assert "0 pages saved" in text, text
    state = wiki.dev.pywikibot_dir
    key = folder_key(gathering)
    assert (state / "partnership-cache.sqlite").exists()
    assert (state / f"partnership-cache.{key}.sqlite").exists()
    assert (state / f"partnership-cache.{key}.rendered.json").exists()


def test_a_title_with_an_interwiki_prefix_stops_the_run_before_any_page_is_read(wiki: LiveWiki, tmp_path: Path) -> None:
    folder = gathering_folder(tmp_path)
    pages = (folder / "pages.yaml").read_text(encoding="utf-8")
    (folder / "pages.yaml").write_text(pages.replace("title: Gatherings/Problems", "title: Wikipedia:Gatherings"))
    interwiki = {entry["prefix"] for entry in wiki.api.call(action="query", meta="siteinfo", siprop="interwikimap")[
        "query"]["interwikimap"]}  # fmt: skip
    assert "wikipedia" in interwiki
    result = wiki.run("bots.update", "-always", f"-settings:{folder}")
    text = output(result)
    assert result.returncode == BAD_OPTIONS, text
    assert "pages.yaml, line " in text and "generated.report.title" in text and "interwiki prefix" in text, text
    assert "wikipedia.org" not in text and "pages read" not in text, text
