"""bots.core.runs.quiet: when a -recent run with nothing new may skip reading the records."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from bots.config import load_config
from bots.core.links.states import PageState, lookup_from_states
from bots.core.pages.render_state import checked_fingerprint, render_fingerprint, render_fingerprint_from
from bots.core.pipeline import check_pages
from bots.core.records.model import PageSnapshot
from bots.core.runs.quiet import QuietState, RecordingLookup, states_fingerprint, why_not_quiet
from bots.state import fingerprint as fingerprint_module
from bots.state.fingerprint import code_fingerprint

IDEA = "Task force/Recommendations/Idea"
LINKED = {IDEA: PageState(IDEA, True, text="An idea.")}
LISTS = {"User:Volunteer/My list": 42}
#: The fingerprint of the code a run runs with (bots.state.fingerprint.code_fingerprint).
CODE = "this code"


def state(**changes: object) -> QuietState:
    values: dict[str, object] = dict(
        checked="c", linked=(IDEA,), links=states_fingerprint(LINKED), lists=LISTS,
        pages=3, records=2, problems=1, errors=1, code=CODE,
    )  # fmt: skip
    values.update(changes)
    return QuietState(**values)  # type: ignore[arg-type]


class Wiki:
    """What the wiki answers now, counting the questions."""

    def __init__(self, linked: Mapping[str, PageState] = LINKED, lists: Mapping[str, int] = LISTS) -> None:
        self.linked, self.lists = linked, lists
        self.asked: list[str] = []

    def lookup(self, titles: Sequence[str]) -> Mapping[str, PageState]:
        self.asked.append("links")
        return lookup_from_states(self.linked)(titles)

    def list_revisions(self) -> Mapping[str, int]:
        self.asked.append("lists")
        return self.lists


def test_the_last_result_holds_when_linked_pages_and_lists_are_as_they_were() -> None:
    wiki = Wiki()
    assert why_not_quiet(state(), wiki.lookup, wiki.list_revisions, code=CODE) == ""
    assert wiki.asked == ["links", "lists"]


def test_a_changed_linked_page_list_or_code_or_no_state_means_reading_the_records() -> None:
    edited = {IDEA: PageState(IDEA, True, text="An idea, rewritten.")}
    created = {IDEA: PageState(IDEA, False)}
    assert "link to changed" in why_not_quiet(state(), Wiki(linked=edited).lookup, Wiki().list_revisions, code=CODE)
    assert "link to changed" in why_not_quiet(
        state(links=states_fingerprint(created)), Wiki().lookup, Wiki().list_revisions, code=CODE
    )
    lists = Wiki(lists={**LISTS, "Project:Lists": 7})
    assert "list changed" in why_not_quiet(state(), lists.lookup, lists.list_revisions, code=CODE)
    edited_list = Wiki(lists={"User:Volunteer/My list": 43})
    assert "list changed" in why_not_quiet(state(), edited_list.lookup, edited_list.list_revisions, code=CODE)
    assert "code changed" in why_not_quiet(state(code="older"), Wiki().lookup, Wiki().list_revisions, code=CODE)
    assert "no quiet state" in why_not_quiet(None, Wiki().lookup, Wiki().list_revisions, code=CODE)


def test_no_link_is_looked_up_when_the_records_link_to_nothing() -> None:
    wiki = Wiki()
    assert (
        why_not_quiet(state(linked=(), links=states_fingerprint({})), wiki.lookup, wiki.list_revisions, code=CODE) == ""
    )
    assert wiki.asked == ["lists"]


def test_the_state_survives_the_cache_and_a_broken_one_is_none() -> None:
    kept = state()
    assert QuietState.from_json(kept.to_json()) == kept
    assert QuietState.from_json({**kept.to_json(), "format": 0}) is None
    assert QuietState.from_json({**kept.to_json(), "pages": "many"}) is None
    assert QuietState.from_json(None) is None


def test_the_code_fingerprint_follows_every_module_of_the_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "core").mkdir()
    module = tmp_path / "core" / "lists.py"
    module.write_text("LIMIT = 1\n")
    monkeypatch.setattr(fingerprint_module, "BOTS_DIR", tmp_path)
    before = code_fingerprint()
    module.write_text("LIMIT = 2\n")
    assert code_fingerprint() != before
    kept = state(code=before)
    assert why_not_quiet(kept, Wiki().lookup, Wiki().list_revisions, code=before) == ""
    assert "code changed" in why_not_quiet(kept, Wiki().lookup, Wiki().list_revisions, code=code_fingerprint())


def test_the_code_fingerprint_follows_each_module_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to any module (bots/*.py and bots/core/*.py alike) ends quiet runs; so does a new module."""
    copy = tmp_path / "bots"
    shutil.copytree(fingerprint_module.BOTS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    base = code_fingerprint()
    monkeypatch.setattr(fingerprint_module, "BOTS_DIR", copy)
    assert code_fingerprint() == base, "the copy has the same code"
    modules = sorted(copy.rglob("*.py"))
    assert {"wiki/save.py", "core/runs/quiet.py", "core/pages/render.py"} <= {
        m.relative_to(copy).as_posix() for m in modules
    }
    for module in modules:
        original = module.read_bytes()
        module.write_bytes(original + b"\n# one more line\n")
        assert code_fingerprint() != base, f"a change of {module.relative_to(copy)} is not seen"
        module.write_bytes(original)
    assert code_fingerprint() == base
    (copy / "core" / "new.py").write_text("")
    assert code_fingerprint() != base


def test_a_quiet_run_computes_the_render_fingerprint_an_ordinary_run_computes() -> None:
    """What the quiet run compares with the rendered state must be the ordinary run's value, from the kept part."""
    config = load_config()
    text = "{{Partnership|name=A|partner=P|type=content|lead=volunteers|status=active|recommendation=" + IDEA + "}}"
    lookup = RecordingLookup(lookup_from_states(LINKED))
    checked = check_pages([PageSnapshot("Partnerships/A", text, 1, 1)], config.schema, ["Partnership"], lookup)
    region = [PageSnapshot(IDEA, "An idea.", 5, 5)]
    kept = checked_fingerprint(checked, config)
    assert render_fingerprint_from(kept, config, region, code=CODE) == render_fingerprint(
        checked, config, region, code=CODE
    )
    assert render_fingerprint_from(kept, config, code=CODE) != render_fingerprint(checked, config, region, code=CODE)
    assert render_fingerprint_from(kept, config, region, code="other code") != render_fingerprint(
        checked, config, region, code=CODE
    ), "new code renders again"
    assert lookup.titles == [IDEA] and lookup.states == LINKED, "the lookup keeps what it was asked and found"
