"""What the logs say about a missing or redirected page (bots.core.pages.moves), on list=logevents answers."""

from __future__ import annotations

from typing import Any

from bots.core.pages.moves import deleted_message, last_move, moved_message, redirect_message, why_missing
from bots.core.pages.render import escape_wikitext
from bots.core.pages.status import RunStatus, render_status

TITLE = "Task force/Alliances and partnerships/By lead"


def event(action: str, timestamp: str, title: str = TITLE, **params: Any) -> dict[str, Any]:
    kind = "move" if action.startswith("move") else "delete" if action in ("delete", "restore") else "protect"
    return {"type": kind, "action": action, "title": title, "timestamp": timestamp, "user": "Admin", "params": params}


MOVED = event("move", "2026-03-01T10:30:00Z", target_ns=0, target_title=f"{TITLE} (old)")
DELETED = event("delete", "2026-04-02T08:05:00Z")
RESTORED = event("restore", "2026-04-03T08:05:00Z")


def test_a_page_no_log_names_never_existed_and_may_be_created() -> None:
    assert why_missing([], TITLE) is None
    assert why_missing([event("protect", "2026-01-01T00:00:00Z"), RESTORED], TITLE) is None
    other = event("delete", "2026-04-02T08:05:00Z", title="Somewhere else")
    assert why_missing([other], TITLE) is None


def test_the_newest_move_or_deletion_says_why_a_page_is_missing_whatever_the_order_given() -> None:
    gone = why_missing([MOVED, DELETED], TITLE)
    assert gone is not None and not gone.moved and gone.user == "Admin" and gone.when == "2026-04-02 08:05 UTC"
    later = event("move_redir", "2026-05-01T00:00:00Z", target_ns=0, target_title="Elsewhere")
    gone = why_missing([DELETED, later, MOVED], TITLE)
    assert gone is not None and gone.moved and gone.target == "Elsewhere" and gone.target_ns == 0


def test_a_redirect_follows_only_a_move_of_its_own_title() -> None:
    assert last_move([DELETED, RESTORED], TITLE) is None
    assert last_move([event("move", "2026-03-01T10:30:00Z", title="Other", target_title=TITLE)], TITLE) is None
    move = last_move([DELETED, MOVED], TITLE)
    assert move is not None and move.target == f"{TITLE} (old)"


def test_the_messages_name_the_pages_the_date_and_what_to_do() -> None:
    gone = why_missing([DELETED], TITLE)
    assert gone is not None
    assert deleted_message(TITLE, gone) == (
        f"[[{TITLE}]] was deleted by an admin (Admin) on 2026-04-02 08:05 UTC; the bot does not re-create it: "
        "restore it or remove it from pages.yaml."
    )
    move = last_move([MOVED], TITLE)
    assert move is not None
    said = moved_message(TITLE, move.target, move)
    assert said.startswith(f"[[{TITLE}]] was moved to [[{move.target}]] by Admin on 2026-03-01 10:30 UTC")
    assert "Update pages.yaml" in said
    assert redirect_message("Main Page").startswith("it is a redirect to [[Main Page]] that no move made")
    assert redirect_message("", where="pages.yaml").endswith("or point pages.yaml at the page readers see.")


def test_the_status_page_shows_the_notes_and_a_new_note_is_a_new_result() -> None:
    gone = why_missing([DELETED], TITLE)
    assert gone is not None
    note = deleted_message(TITLE, gone)
    plain = RunStatus(started="2026-04-03 10:00:00 UTC", duration=1.0, version="0.1")
    noted = RunStatus(started="2026-04-03 10:00:00 UTC", duration=1.0, version="0.1", notes=(note,))
    assert "Notes" not in render_status(plain)
    assert f"! Notes\n| \n* {escape_wikitext(note)}" in render_status(noted)
    assert plain.result_key() != noted.result_key()
