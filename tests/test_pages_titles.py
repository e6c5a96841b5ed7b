"""The titles in config/pages.yaml: real pages, each its own; a mistake is exit 2 with the file and line."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from bots.cli import BAD_OPTIONS
from bots.config import DEFAULT_CONFIG_DIR, load_config
from bots.core.settings.page_titles import title_key
from bots.core.settings.pages_config import pages_config_from
from bots.core.settings.yaml_doc import ConfigError, parse_yaml
from tests.support import run

INDEX = "    title: Task force/Alliances and partnerships/Index\n"
BY_TYPE = "    title: Task force/Alliances and partnerships/By type\n"
SHUTOFF = "  page: User:PartnershipBot/Shutoff\n"
STATUS = "  page: User:PartnershipBot/Status\n"


def shipped() -> str:
    text = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    assert all(line in text for line in (INDEX, BY_TYPE, SHUTOFF, STATUS))
    return text


def line_of(line: str) -> int:
    """The line of ``line`` in the shipped file (and in a copy where it was replaced by another line)."""
    return shipped().splitlines().index(line.rstrip("\n")) + 1


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Task_force/Index", "Task force/Index"),
        ("task force/Index", "Task force/Index"),
        ("  Task   force/Index ", "Task force/Index"),
        ("special : recentChanges", "Special:RecentChanges"),
        ("user_talk:bot", "User talk:Bot"),
        ("Image:X.png", "File:X.png"),
        ("Task force: index", "Task force: index"),  # not a namespace: the text after the colon is kept
    ],
)
def test_titles_are_compared_as_the_wiki_compares_them(title: str, key: str) -> None:
    assert title_key(title) == key


CHANGES = [
    # two generated pages with the same title, written in other ways
    (BY_TYPE, "    title: Task force/Alliances and partnerships/Index\n", "is the same page as generated.index.title"),
    (BY_TYPE, "    title: Task_force/Alliances_and_partnerships/Index\n", "is the same page as generated.index.title"),
    (BY_TYPE, "    title: task force/Alliances and partnerships/Index\n", "is the same page as generated.index.title"),
    # a generated page that is the status or the shutoff page
    (INDEX, "    title: User:PartnershipBot/Status\n", "is the same page as status.page"),
    (INDEX, "    title: user:partnershipBot/Shutoff\n", "is the same page as shutoff.page"),
    # a page with no text
    (INDEX, "    title: Special:RecentChanges\n", "is in the Special: namespace"),
    (INDEX, "    title: special:RecentChanges\n", "is in the Special: namespace"),
    (INDEX, "    title: Media:Logo.png\n", "is in the Media: namespace"),
    (SHUTOFF, "  page: Special:BlankPage\n", "is in the Special: namespace"),
    (STATUS, "  page: Media:Status.txt\n", "is in the Media: namespace"),
    # no title at all, or one the wiki cannot have
    (SHUTOFF, '  page: ""\n', "shutoff.page: expected a page title, e.g. User:PartnershipBot/Shutoff, found ''"),
    (SHUTOFF, "  page:\n", "shutoff.page: expected a page title, e.g. User:PartnershipBot/Shutoff, found None"),
    (SHUTOFF, '  page: "  _ "\n', "shutoff.page: expected a page title"),
    (STATUS, "  page:\n", "status.page: expected a page title"),
    (INDEX, '    title: ""\n', "generated.index.title: expected a page title"),
    (INDEX, "    title: Index#Top\n", "cannot be a page title"),
]


@pytest.mark.parametrize(("line", "replacement", "message"), CHANGES)
def test_a_wrong_title_is_an_error_with_file_and_line(line: str, replacement: str, message: str) -> None:
    text = shipped().replace(line, replacement)
    with pytest.raises(ConfigError) as raised:
        pages_config_from(parse_yaml(text, "pages.yaml"))
    assert str(raised.value).startswith(f"pages.yaml, line {line_of(line)}: "), raised.value
    assert message in str(raised.value)


def test_the_first_of_two_same_titles_is_named_with_its_line() -> None:
    text = shipped().replace(BY_TYPE, "    title: Task_force/Alliances_and_partnerships/Index\n")
    with pytest.raises(ConfigError) as raised:
        pages_config_from(parse_yaml(text, "pages.yaml"))
    assert f"generated.index.title (pages.yaml, line {line_of(INDEX)})" in str(raised.value)


def test_the_shipped_titles_and_an_empty_status_page_are_fine() -> None:
    pages = pages_config_from(parse_yaml(shipped(), "pages.yaml"))
    assert pages.shutoff_page == "User:PartnershipBot/Shutoff"
    no_status = pages_config_from(parse_yaml(shipped().replace(STATUS, '  page: ""\n'), "pages.yaml"))
    assert no_status.status_page == ""
    assert load_config().pages.generated == pages.generated


@pytest.mark.parametrize(
    ("line", "replacement"),
    [
        (SHUTOFF, '  page: ""\n'),  # a traceback before this check
        (BY_TYPE, "    title: Task_force/Alliances_and_partnerships/Index\n"),
        (INDEX, "    title: Special:RecentChanges\n"),
    ],
)
def test_a_wrong_title_stops_the_bot_with_exit_2_before_any_request(
    watched_wiki: Path, listener: socket.socket, tmp_path: Path, line: str, replacement: str
) -> None:
    folder = tmp_path / "settings"
    folder.mkdir()
    shutil.copy(DEFAULT_CONFIG_DIR / "schema.yaml", folder / "schema.yaml")
    text = shipped().replace(line, replacement)
    (folder / "pages.yaml").write_text(text, encoding="utf-8")
    code, lines = run(watched_wiki, "bots.update", f"-settings:{folder}", "-always")
    assert code == BAD_OPTIONS, lines
    assert len(lines) == 1 and f"pages.yaml, line {line_of(line)}: " in lines[0], lines
    assert "Traceback" not in lines[0]
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected to the wiki
