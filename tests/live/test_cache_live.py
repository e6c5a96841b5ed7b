"""bots.update with the revision cache, on the local wiki: only changed pages are fetched.

Own generated pages (a copy of config/ with other titles), own cache and lock files.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bots.config import DEFAULT_CONFIG_DIR
from tests.live.conftest import LiveWiki, output

PREFIX = "Scale test/Cache"
PAGE = "Partnerships/Scale test cache page"
INFOBOX = (
    "{{Partnership\n| name = Cache probe %s\n| partner = Probe Ltd\n| type = content\n"
    "| lead = volunteers\n| status = active\n}}"
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cache-settings")
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", folder / "schema.yaml")
    pages = yaml.safe_load((DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8"))
    for key, page in pages["generated"].items():
        page["title"] = f"{PREFIX}/{key.replace('_', ' ')}"
    (folder / "pages.yaml").write_text(yaml.safe_dump(pages), encoding="utf-8")
    return folder


@pytest.fixture(scope="module", autouse=True)
def probe_page_removed_afterwards(wiki: LiveWiki) -> Iterator[None]:
    """Other tests count the seeded infobox pages: take this test's page out of them when done."""
    yield
    wiki.api.edit(PAGE, "No longer a partnership page (the cache test is over).")


def run(wiki: LiveWiki, files: Path, *args: str) -> tuple[int, int, str]:
    """(pages taken from the cache, pages fetched, output) of one run."""
    result = wiki.run(
        "bots.update", "-always", "-nostatus", f"-settings:{files}", f"-cache:{files / 'cache.sqlite'}",
        f"-lock:{files / 'lock'}", *args,
    )  # fmt: skip
    text = output(result)
    assert result.returncode == 0, text
    counts = re.search(r"(\d+) pages unchanged since the last run, (\d+) fetched", text)
    assert counts, text
    return int(counts[1]), int(counts[2]), text


def generated_revids(wiki: LiveWiki) -> list[int]:
    return [wiki.api.revid(f"{PREFIX}/{key}") for key in ("index", "by type", "by lead", "report")]


def test_a_second_run_fetches_nothing_and_saves_nothing(wiki: LiveWiki, files: Path) -> None:
    wiki.api.edit(PAGE, INFOBOX % "one")
    known, fetched, _ = run(wiki, files)
    assert known == 0 and fetched > 1
    before = generated_revids(wiki)
    known, fetched_again, text = run(wiki, files)
    assert (known, fetched_again) == (fetched, 0)
    assert generated_revids(wiki) == before
    assert "0 pages saved" in text


def test_an_edited_page_is_the_only_one_fetched_and_its_change_shows(wiki: LiveWiki, files: Path) -> None:
    run(wiki, files)
    wiki.api.edit(PAGE, INFOBOX % "two")
    _, fetched, _ = run(wiki, files)
    assert fetched == 1
    index = wiki.api.text(f"{PREFIX}/index")
    assert "Cache probe two" in index and "Cache probe one" not in index


def test_full_ignores_the_cache(wiki: LiveWiki, files: Path) -> None:
    known, fetched, text = run(wiki, files, "-full")
    assert known == 0 and fetched > 1
    assert "-full" in text


def test_a_schema_change_revalidates_every_page_from_the_cached_text(wiki: LiveWiki, files: Path) -> None:
    run(wiki, files)
    schema = files / "schema.yaml"
    original = schema.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data["fields"]["partner"]["label"] = "Partner organisations"
    schema.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        _, fetched, text = run(wiki, files)
    finally:
        schema.write_text(original, encoding="utf-8")
    assert fetched == 0, "no text is fetched again"
    assert "validated again" in text
