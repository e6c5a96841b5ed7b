"""The corpus of mistaken infoboxes (tests/mutations.py) for the validators' agreement test."""

from __future__ import annotations

import random

import mwparserfromhell

from tests.mutations import infobox_of, mutants, mutations
from tests.support import SCHEMA, infobox


def test_each_kind_of_mistake_changes_the_infobox() -> None:
    for kind, mutate in mutations(SCHEMA).items():
        code = mwparserfromhell.parse(infobox())
        box = infobox_of(code, SCHEMA)
        assert box is not None
        before = str(code)
        assert mutate(random.Random(1), box), kind
        assert str(code) != before, kind


def test_the_corpus_is_the_same_for_the_same_seed_and_says_what_was_done() -> None:
    samples = [("Partnerships/A", infobox()), ("Partnerships/B", infobox(name="B"))]
    first = list(mutants(samples, SCHEMA, 20))
    assert first == list(mutants(samples, SCHEMA, 20))
    assert len(first) == 20
    assert all(mutant.mutations and mutant.text != infobox() for mutant in first)
