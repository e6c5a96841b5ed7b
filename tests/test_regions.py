"""bots.core.pages.regions: the bot-owned region between two markers; everything else is left alone."""

from __future__ import annotations

import pytest

from bots.core.pages.markers import RegionError, find_region
from bots.core.pages.regions import region_body, replace_region, same_apart_from_timestamp

START = "<!-- BEGIN PARTNERSHIP BOT REGION: the bot rewrites everything up to the END marker; edit outside it -->"
END = "<!-- END PARTNERSHIP BOT REGION -->"
BODY = '{| class="wikitable"\n|-\n| Kiwix\n|}\n'


def replace(text: str, body: str = BODY) -> str:
    return replace_region(text, body, START, END)


@pytest.mark.parametrize(
    "before",
    [
        "",
        "Intro by a volunteer.",
        "Intro by a volunteer.\n",
        "Intro by a volunteer.\n\n",
        "== Heading ==\nText with trailing spaces   \n\n\n",
        "Ünïcödé — “quotes” {{Template}} [[Link]]\r\n",
    ],
)
def test_region_appended_to_page_without_one(before: str) -> None:
    new = replace(before)
    assert new.startswith(before)
    added = new[len(before) :]
    assert added.lstrip("\n").startswith(START)
    assert new.endswith(END + "\n")
    assert region_body(new, START, END) == "\n" + BODY.strip() + "\n"
    if before:
        # The region starts on a line of its own, after a blank line.
        assert (before + added[: added.index(START)]).endswith("\n\n")


def test_region_appended_to_empty_page() -> None:
    assert replace("") == f"{START}\n{BODY.strip()}\n{END}\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Intro.\n\n", "\n\n[[Category:Partnerships]]\n"),
        ("", ""),
        ("Intro, no new line:", "and text right after"),
        ("== A ==\n<!-- a volunteer's own comment -->\n", "\n<noinclude>x</noinclude>"),
    ],
)
def test_region_replaced_in_place(before: str, after: str) -> None:
    old = f"{before}{START}\nold list\nmore old list\n{END}{after}"
    new = replace(old)
    assert new.startswith(before + START)
    assert new.endswith(END + after)
    assert new == f"{before}{START}\n{BODY.strip()}\n{END}{after}"


def test_replacing_twice_gives_the_same_text() -> None:
    once = replace("Intro.\n")
    assert replace(once) == once
    assert replace(replace("Intro.\n", "first"), "second") == replace("Intro.\n", "second")


def test_find_region_offsets() -> None:
    text = f"a{START}body{END}b"
    assert find_region(text, START, END) == (1 + len(START), 1 + len(START) + 4)
    assert region_body(text, START, END) == "body"
    assert find_region("no markers", START, END) is None
    assert region_body("no markers", START, END) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            f"Intro.\n{START}\nlist\n",
            f"the end marker {END} appears 0 times. Each must appear exactly once.",
            id="only-start",
        ),
        pytest.param(
            f"Intro.\nlist\n{END}\n",
            f"the start marker {START} appears 0 times. Each must appear exactly once.",
            id="only-end",
        ),
        pytest.param(
            f"{START}\nlist\n{END}\n{START}\nlist\n{END}\n",
            f"the start marker {START} appears 2 times; the end marker {END} appears 2 times.",
            id="both-twice",
        ),
        pytest.param(
            f"{START}\nlist\n{START}\n{END}\n",
            f"the start marker {START} appears 2 times. Each must appear exactly once.",
            id="start-twice",
        ),
        pytest.param(
            f"{START}\nlist\n{END}\n{END}\n",
            f"the end marker {END} appears 2 times. Each must appear exactly once.",
            id="end-twice",
        ),
        pytest.param(
            f"Intro.\n{END}\nlist\n{START}\nOutro.\n",
            f"the end marker {END} comes before the start marker {START}. Put them in order by hand.",
            id="end-before-start",
        ),
    ],
)
def test_markers_in_a_state_the_bot_cannot_edit(text: str, message: str) -> None:
    with pytest.raises(RegionError) as caught:
        replace(text)
    assert message in str(caught.value)
    with pytest.raises(RegionError):
        region_body(text, START, END)


UPDATED = '<span class="partnership-bot-updated">Last updated: {}.</span>'


def body(stamp: str, rows: str = "| Kiwix") -> str:
    return f'{{| class="wikitable"\n{rows}\n|}}\n\n{UPDATED.format(stamp)}\n'


def test_same_apart_from_timestamp_when_only_the_stamp_differs() -> None:
    assert same_apart_from_timestamp(body("2024-01-01 10:00 (UTC)"), body("2024-02-02 11:11 (UTC)"))
    assert same_apart_from_timestamp(body("x"), body("x"))
    # The region body read back from a page has the new lines replace_region puts around it.
    assert same_apart_from_timestamp("\n" + body("a").strip() + "\n", body("b"))


@pytest.mark.parametrize(
    "other",
    [
        body("2024-02-02", rows="| Orange"),
        body("2024-02-02", rows="| Kiwix\n|-\n| Orange"),
        body("2024-02-02").replace("wikitable", "wikitable sortable"),
        body("2024-02-02").replace("partnership-bot-updated", "other-class"),
        "",
    ],
)
def test_not_the_same_when_anything_else_differs(other: str) -> None:
    assert not same_apart_from_timestamp(body("2024-01-01"), other)
