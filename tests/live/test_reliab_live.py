"""What bots.wiki reads for a chosen page that cannot be read as a record, as bots.validate reports it."""

from __future__ import annotations

import json

from tests.live.conftest import LiveWiki, output

TARGET = "Partnerships/PediaPress books"
REDIRECT = "Reliab/Redirect to PediaPress"
MISSING = "Reliab/No such page"


def test_validate_says_why_each_chosen_page_was_not_checked(wiki: LiveWiki) -> None:
    wiki.api.edit(REDIRECT, f"#REDIRECT [[{TARGET}]]")
    result = wiki.run("bots.validate", f"-page:{REDIRECT}", f"-page:{MISSING}", "-format:json")
    assert result.returncode == 1, output(result)
    issues = {i["page"]: i for i in json.loads(result.stdout)["issues"]}
    assert set(issues) == {REDIRECT, MISSING}
    assert (issues[REDIRECT]["code"], issues[REDIRECT]["severity"]) == ("redirect", "warning")
    assert issues[REDIRECT]["suggestion"] == TARGET and f"redirect to “{TARGET}”" in issues[REDIRECT]["message"]
    assert (issues[MISSING]["code"], issues[MISSING]["severity"]) == ("missing-page", "error")
    assert "Read 0 pages, skipped 2 missing or redirects." in result.stderr
