"""Wikipedia's {{Infobox museum}} by configuration alone: config/examples/museum/ on the local wiki (issue 20).

The seed's Wikipedia-style museum articles ("Museum articles/", scripts/devwiki-seed.yaml) write
their values as Wikipedia does: {{Start date}}, {{URL}}, {{coord}}, {{increase}}, refs with citation
templates, links, <br> and {{plainlist}}. The folder runs through bots.validate, bots.update and
bots.lists with no code of its own: every museum is listed, the volunteer's list sorts the visitors
as numbers, no generated page shows raw markup, and the wiki's parser finds nothing on them but
links to pages and the museums' websites. Then the project's config/ and this folder run side by
side on the same wiki, each quiet on its second run.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bots.config import DEFAULT_CONFIG_DIR, load_config
from scripts.devwiki import PROJECT_DIR
from tests.live.conftest import LiveWiki, output
from tests.live.test_config_folders_live import update

MUSEUM_DIR = PROJECT_DIR / "config" / "examples" / "museum"
CONFIG = load_config(MUSEUM_DIR)
SETTINGS = f"-settings:{MUSEUM_DIR}"
ARTICLES = "Museum articles/"
MOST_VISITED = "Museum lists/Most visited"
#: Raw markup of a value that must never show on a generated page, as its HTML would show it.
RAW = ("[[", "{{", "}}", "&lt;ref", "&lt;br", "<ref", "cite web", "Start date", "plainlist")


def museum_titles(seed: list[dict[str, Any]]) -> list[str]:
    return [page["title"] for page in seed if page["title"].startswith(ARTICLES)]


def websites(seed: list[dict[str, Any]]) -> set[str]:
    """The address in each museum's `website` value ({{URL|...}}, [https://... label], www...), https:// if none."""
    found = set()
    for page in seed:
        if page["title"].startswith(ARTICLES):
            value = re.search(r"^\|\s*website\s*=(.*)$", page["text"], re.M)
            address = re.search(r"(https?://)?[\w.-]+\.[a-z]{2,}[^\s|}\]]*", value[1]) if value else None
            if address:
                found.add((address[0] if address[1] else "https://" + address[0]).rstrip("/"))
    return found


def generated(wiki: LiveWiki) -> dict[str, str]:
    """Title: wikitext of each page the folder's bots write (the generated pages and the volunteer's list)."""
    titles = [page.title for page in CONFIG.pages.generated] + [MOST_VISITED]
    return {title: wiki.api.text(title) for title in titles}


def region(text: str) -> str:
    """The bot's text on a page (its region, or the rows of a volunteer's list), <nowiki> spans left out."""
    start, end = CONFIG.pages.region_start, CONFIG.pages.region_end
    if start in text:
        inside = text.split(start, 1)[1].split(end, 1)[0]
    else:
        inside = text.split("-->\n", 1)[1].split("{{List of museums end}}", 1)[0]  # after the query's comment
    return re.sub(r"<nowiki>.*?</nowiki>", "", inside, flags=re.S)


def visible(page_html: str) -> str:
    """What a reader sees of a parsed page: its text without tags; <code> spans (template names) left out."""
    without_code = re.sub(r"<code>.*?</code>", "", page_html, flags=re.S)
    return re.sub(r"<[^>]+>", "", without_code)


def test_the_museum_folder_validates_updates_and_fills_lists_with_no_code(
    wiki: LiveWiki, seed: list[dict[str, Any]]
) -> None:
    museums = museum_titles(seed)
    assert len(museums) >= 25

    result = wiki.run("bots.validate", SETTINGS, "-format:json")
    report = json.loads(result.stdout)
    assert result.returncode == 1, output(result)  # the Hermitage's type is free text: an error, still listed
    assert report["pages_checked"] == len(museums), output(result)
    errors = {(issue["page"], issue["field"]) for issue in report["issues"] if issue["severity"] == "error"}
    assert errors == {(ARTICLES + "State Hermitage Museum", "type")}, report["issues"]
    _, text = update(wiki, MUSEUM_DIR)
    assert f"{len(museums)} pages read" in text, text

    pages = generated(wiki)
    index = pages["Museum lists/Index"]
    for title in museums:  # every museum listed, the one with an error too
        assert f"[[:{title}|" in index, title
    by_type = pages["Museum lists/By type"]
    assert "<h2>Type</h2>" in by_type and re.search(r"^\| Art museum \|\| \d+ \|\|", by_type, re.M), by_type
    assert "State Hermitage Museum" in pages["Museum lists/Problems"]

    # The volunteer's list: visitors sorted as numbers (861,000 below 6,765,000), those without a figure last.
    rows = re.findall(r"^\| \[\[:Museum articles/([^|\]]+)\|.*?\|\| (.*?) \|\|", pages[MOST_VISITED], re.M)
    assert len(rows) == len(museums), pages[MOST_VISITED]
    figures = [value for _, value in rows]
    numbers = [int(value.replace(",", "")) for value in figures if re.fullmatch(r"[\d,]+", value)]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] == 8_700_000 and 861_000 in numbers, figures
    assert figures[len(numbers) :] == ["Not published", ""], figures  # unreadable, shown as written; none

    addresses = websites(seed)
    assert len(addresses) >= 20, addresses
    linked: set[str] = set()
    for title, wikitext in pages.items():
        inside = region(wikitext)
        assert "<ref" not in inside and "{{" not in inside and "<br>" not in inside, (title, inside)
        parsed = wiki.api.parse(title)
        shows = visible(parsed["text"])
        assert not [raw for raw in RAW if raw in shows], (title, shows)
        assert parsed["categories"] == [], title
        assert {t["title"] for t in parsed["templates"]} <= {"Template:List of museums", "Template:List of museums end"}
        assert {link["ns"] for link in parsed["links"]} <= {0, 10}, (title, parsed["links"])
        outside = [url for url in parsed["externallinks"] if url.rstrip("/") not in addresses]
        assert outside == [], (title, outside)  # nothing but the museums' websites
        assert "<img" not in parsed["text"], title
        linked.update(url.rstrip("/") for url in parsed["externallinks"])
    assert {"https://www.louvre.fr/en", "https://www.oslomuseum.no", "https://www.historymuseum.ca"} <= linked


def test_the_project_and_the_museum_folder_run_side_by_side_each_quiet_on_its_second_run(wiki: LiveWiki) -> None:
    update(wiki, DEFAULT_CONFIG_DIR)  # work other tests may have left
    update(wiki, MUSEUM_DIR)
    for folder in (DEFAULT_CONFIG_DIR, MUSEUM_DIR, DEFAULT_CONFIG_DIR, MUSEUM_DIR):
        fetched, text = update(wiki, folder)
        assert fetched == 0 and "0 pages saved" in text, text
    result = wiki.run("bots.lists", "-always", SETTINGS)
    assert result.returncode == 0 and "0 saved" in output(result), output(result)
