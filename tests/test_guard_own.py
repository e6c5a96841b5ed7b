"""The mass-removal guard measures against what the bot itself last saved, not rows a human typed in.

Issue 16, item 2: 30 junk rows typed into a generated region made every run refuse
the page. These pure tests check the guard's decision (bots.core.pages.guard.own_removal_reason)
and the same rule for volunteers' lists (bots.core.lists.fill.guard_plan / list_plan).
"""

from __future__ import annotations

import pytest

from bots.config import load_config
from bots.core.lists.fill import ListNames, fill_page, list_plan
from bots.core.pages.guard import OwnSave, edited_by_hand, hand_edit_note, own_removal_reason
from bots.core.records.model import PageSnapshot
from tests.support import chapter_records

CONFIG = load_config()
SCHEMA = CONFIG.schema
ENV = CONFIG.environment()
NAMES = ListNames.of(SCHEMA)


def table(rows: int, junk: int = 0) -> str:
    lines = ['{| class="wikitable"', "! Name !! Partner"]
    for n in range(rows):
        lines += ["|-", f"| [[P/{n}|Record {n}]] || Partner {n}"]
    for n in range(junk):
        lines += ["|-", f"| junk {n} || spam"]
    return "\n".join([*lines, "|}"])


@pytest.mark.parametrize(
    ("own", "current", "new", "refused"),
    [
        # 30 junk rows typed into the bot's 46: the run restores the region
        (table(46), table(46, junk=30), table(47), False),
        (table(46), table(46, junk=30), table(46), False),
        # junk rows, and the read is incomplete all the same: refused
        (table(76), table(76, junk=30), table(10), True),
        # no human edit, incomplete read: refused as before
        (table(76), table(76), table(10), True),
        (table(76), table(76), table(70), False),
        # a human deleted rows; the bot puts them back
        (table(76), table(20), table(76), False),
        # the bot's own save is not known (never saved by the bot): the region as it is counts
        (None, table(46, junk=30), table(47), True),
        (None, table(46), table(47), False),
    ],
)
def test_the_guard_compares_with_the_bots_own_last_save(own: str | None, current: str, new: str, refused: bool) -> None:
    reason = own_removal_reason(current, new, own, 0.2)
    assert (reason is not None) == refused, reason


def test_a_refusal_after_a_hand_edit_says_what_it_compared_with() -> None:
    reason = own_removal_reason(table(76, junk=30), table(10), table(76), 0.2)
    assert reason is not None
    assert "would remove 66 of the 76 rows on the page as the bot last saved it" in reason
    assert "edited by hand" in reason and "-force" in reason


def test_without_a_hand_edit_the_message_is_unchanged() -> None:
    assert own_removal_reason(table(10), table(0), table(10), 0.2) == own_removal_reason(table(10), table(0), None, 0.2)


def test_a_hand_edit_is_a_difference_from_the_bots_own_body() -> None:
    assert edited_by_hand(table(3, junk=1), table(3))
    assert not edited_by_hand(table(3) + "\n", "\n" + table(3))  # the region's surrounding new lines
    assert not edited_by_hand(table(3, junk=1), None)


def test_the_hand_edit_note_names_the_editors() -> None:
    assert hand_edit_note(("Vandal", "192.0.2.1")) == (
        "the bot's region was edited by hand since the bot's last save (edited by Vandal, 192.0.2.1); "
        "the bot's text replaces those edits: to change it, edit the partnership pages instead"
    )
    many = hand_edit_note([f"U{n}" for n in range(8)], "the list X")
    assert many.startswith("the list X was edited") and "U0, U1, U2, U3, U4 and 3 more" in many
    assert "(edited by" not in hand_edit_note(())


# --- volunteers' lists -----------------------------------------------------------------

LIST = "{{Partnership list|format=list|columns=name}}"
PAGE = f"Intro.\n{LIST}\n{{{{Partnership list end}}}}\nOutro.\n"
JUNK = "".join(f"* junk row {n}\n" for n in range(30))


def plan(text: str, count: int, own: OwnSave | None) -> tuple[str | None, bool, str, str]:
    result = list_plan(PageSnapshot("Vol page", text), chapter_records(count), SCHEMA, ENV, NAMES, 0.2, own)
    return result.text, result.refused, result.reason, result.hand_edits


def with_junk(text: str) -> str:
    """The page with 30 junk rows typed in at the end of the list's region."""
    end = text.index("{{Partnership list end}}")
    return text[:end] + JUNK + text[end:]


def test_junk_rows_in_a_list_do_not_freeze_it_when_the_bots_own_save_is_known() -> None:
    saved = fill_page(PageSnapshot("Vol page", PAGE), chapter_records(20), SCHEMA, ENV).text
    assert saved is not None and saved.count("\n* [[:P/") == 20
    edited = with_junk(saved)
    # on main (no own save known) the junk rows count as the list's: refused
    text, refused, reason, _ = plan(edited, 20, None)
    assert refused and "would remove 30 of the 50 rows" in reason
    # measured against the bot's own last save: saved, the junk gone, the hand edit named
    text, refused, _, note = plan(edited, 20, OwnSave(saved, 7, ("Vandal",)))
    assert not refused and text == saved
    assert note.startswith(f"the list {LIST} was edited by hand") and "Vandal" in note


def test_an_incomplete_read_of_a_hand_edited_list_is_still_refused() -> None:
    saved = fill_page(PageSnapshot("Vol page", PAGE), chapter_records(20), SCHEMA, ENV).text
    assert saved is not None
    text, refused, reason, _ = plan(with_junk(saved), 3, OwnSave(saved, 7, ("Vandal",)))
    assert refused and text is None
    assert "would remove 17 of the 20 rows of the list" in reason and "as the bot last saved it" in reason
    # and without a hand edit, as before
    text, refused, reason, note = plan(saved, 3, OwnSave(saved, 7))
    assert refused and "would remove 17 of the 20 rows" in reason and note == ""


def test_a_list_not_edited_by_hand_gets_no_note() -> None:
    saved = fill_page(PageSnapshot("Vol page", PAGE), chapter_records(20), SCHEMA, ENV).text
    assert saved is not None
    text, refused, _, note = plan(saved.replace("Outro.", "Outro, edited."), 21, OwnSave(saved, 7, ("Writer",)))
    assert not refused and text is not None and text.count("\n* [[:P/") == 21 and note == ""
