"""pywikibot's page generator options without a terminal: a value left out is refused, never asked for."""

from __future__ import annotations

import pytest
import pywikibot
from pywikibot import pagegenerators

from bots.wiki.options import OptionFactory, asks_for_value


@pytest.mark.parametrize(("option", "asks"), [("cat", True), ("page", True), ("ns", True), ("titleregex", True),
                                              ("newpages", False), ("start", False), ("random", False)])  # fmt: skip
def test_the_options_whose_handler_asks_for_a_left_out_value_are_told_apart(option: str, asks: bool) -> None:
    assert asks_for_value(getattr(pagegenerators.GeneratorFactory, f"_handle_{option}")) is asks


@pytest.mark.parametrize("arg", ["-cat:", "-cat", "-page:", "-ns:"])
def test_without_a_terminal_a_left_out_value_is_refused_without_a_question(
    arg: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pywikibot, "input", lambda *args, **kwargs: pytest.fail("asked on the terminal"))
    with pytest.raises(ValueError, match=f"^{arg.rstrip(':')} needs a value: {arg.rstrip(':')}:VALUE$"):
        OptionFactory(site=None, ask=False).handle_arg(arg)


def test_with_a_terminal_the_question_is_pywikibots(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def no_answer(question: str, *args: object, **kwargs: object) -> str:
        asked.append(question)
        raise EOFError

    monkeypatch.setattr(pywikibot, "input", no_answer)
    with pytest.raises(ValueError, match=r"^-page needs a value"):
        OptionFactory(site=None, ask=True).handle_arg("-page:")
    assert len(asked) == 1
