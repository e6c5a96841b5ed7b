"""A quiet run at any scale: nothing changed on the wiki, so nothing is rendered and nothing saved.

Own generated pages, status page and cache (a copy of config/ with other titles), so that
other tests' pages and runs do not disturb these.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bots.core.pages.markers import UPDATED_RE
from tests.live.conftest import LiveWiki, output, settings_with_status

PREFIX = "Scale test/Quiet"
STATUS = "User:PartnershipBot/Status (quiet test)"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quiet-settings")
    pages = settings_with_status(
        folder, PREFIX, {"page": STATUS, "summary": "Bot: status (quiet test)", "heartbeat_hours": 24}
    )
    pages["crosslink"]["recommendation_prefix"] = ""  # the seed's recommendation pages are other tests'
    (folder / "pages.yaml").write_text(yaml.safe_dump(pages), encoding="utf-8")
    return folder


def test_a_quiet_run_makes_no_edit_and_an_edited_page_is_restored(
    wiki: LiveWiki, settings: Path, tmp_path: Path
) -> None:
    def run(*extra: str) -> str:
        result = wiki.run(
            "bots.update", "-always", f"-settings:{settings}", f"-cache:{tmp_path / 'cache.sqlite'}", *extra
        )
        assert result.returncode == 0, output(result)
        return output(result)

    titles = [STATUS, *(f"{PREFIX}/{key}" for key in ("index", "by_type", "report", "overview"))]
    run()
    run()  # the status says what this run saved (nothing): the result changed once more
    before = {title: wiki.api.revid(title) for title in titles}
    text = run()
    assert "same records, problems and links as the last run" in text
    assert "not saved: same result as the last saved one" in text
    assert {title: wiki.api.revid(title) for title in titles} == before, "a quiet run must make no edit"

    index = f"{PREFIX}/index"
    original = wiki.api.text(index)
    start = original.index("<!-- BEGIN PARTNERSHIP BOT REGION")
    wiki.api.edit(index, original[:start] + original[start:].replace("[[", "[[X", 1))
    text = run()
    assert "same records, problems and links" not in text
    restored = UPDATED_RE.sub("", wiki.api.text(index))
    assert restored == UPDATED_RE.sub("", original), "the region a volunteer changed is the bot's again"
