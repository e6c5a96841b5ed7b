"""bots.update run unattended: the run lock, the status page, exit codes with a reason.

These tests write their own generated and status pages (a copy of config/ with other
titles), so that they do not disturb the main job's pages that other tests check.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bots.config import DEFAULT_CONFIG_DIR
from bots.state.lock import RunLock
from tests.live.conftest import LiveWiki, output, settings_with_status

PREFIX = "Scale test/Operation"
STATUS = "User:PartnershipBot/Status (operation test)"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("settings")
    settings_with_status(folder, PREFIX, {"page": STATUS, "summary": "Bot: status (test)"})
    return folder


def run(wiki: LiveWiki, settings: Path, lock: Path, *args: str) -> tuple[int, str]:
    result = wiki.run("bots.update", "-always", f"-settings:{settings}", f"-lock:{lock}", *args)
    return result.returncode, output(result)


def status_rows(wiki: LiveWiki) -> dict[str, str]:
    text = wiki.api.text(STATUS)
    return dict(re.findall(r"^! (.+)\n\| (.+)$", text, re.M))


def test_status_page_says_what_the_run_did(wiki: LiveWiki, settings: Path, tmp_path: Path) -> None:
    code, text = run(wiki, settings, tmp_path / "lock")
    assert code == 0, text
    assert text.rstrip().endswith("Exit 0: done")
    done = re.search(r"(\d+) pages read, (\d+) records, (\d+) problems \((\d+) errors\), (\d+) pages saved", text)
    assert done, text
    rows = status_rows(wiki)
    assert rows["Result"] == "'''Done'''"
    assert rows["Pages read"].startswith(f"{done[1]} (")
    assert rows["Records"] == done[2]
    assert rows["Problems"] == f"{done[3]} ({done[4]} errors)"
    assert rows["Pages saved"].startswith(f"{done[5]} (")
    assert rows["Bot version"].startswith("0.")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d&#58;\d\d&#58;\d\d UTC", rows["Last run"])


def test_a_second_run_exits_at_once_while_the_first_holds_the_lock(
    wiki: LiveWiki, settings: Path, tmp_path: Path
) -> None:
    lock = tmp_path / "lock"
    before = wiki.api.revid(STATUS)
    with RunLock(lock):
        code, text = run(wiki, settings, lock)
    assert code == 0, text
    assert "another run is in progress" in text and str(lock) in text
    assert "Exit 0: another run is in progress" in text.rstrip().splitlines()[-1]
    assert wiki.api.revid(STATUS) == before, "a locked-out run must not touch the wiki"


def test_a_stale_lock_from_a_dead_run_is_reported_and_taken_over(
    wiki: LiveWiki, settings: Path, tmp_path: Path
) -> None:
    lock = tmp_path / "lock"
    lock.write_text(json.dumps({"host": "elsewhere", "pid": 123456, "started": "2020-01-01 00:00:00 UTC"}))
    code, text = run(wiki, settings, lock)
    assert code == 0, text
    assert "stale lock" in text and "pid 123456 on elsewhere" in text
    assert lock.read_text() == "", "a run that ends cleanly leaves an empty lock file"


def test_a_failed_run_says_so_on_the_status_page_and_in_its_last_line(
    wiki: LiveWiki, settings: Path, tmp_path: Path
) -> None:
    title = f"{PREFIX}/by_lead"
    original = wiki.api.text(title)
    end = yaml.safe_load((DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8"))["region"]["end"]
    wiki.api.edit(title, original.replace(end, ""))
    try:
        code, text = run(wiki, settings, tmp_path / "lock")
    finally:
        wiki.api.edit(title, original)
    assert code == 1, text
    last = text.rstrip().splitlines()[-1]
    assert "Exit 1: 1 page(s) refused or not saved" in last and title.replace("_", " ") in last
    rows = status_rows(wiki)
    assert "Failed" in rows["Result"] and "refused" in rows["Result"]


def test_unknown_option_is_exit_2_before_any_request(wiki: LiveWiki, settings: Path, tmp_path: Path) -> None:
    code, text = run(wiki, settings, tmp_path / "lock", "-fulll")
    assert code == 2
    assert "Unknown option '-fulll'" in text
