"""The infobox as a Lua module (bots/core/onwiki/lua.py): made from the schema and the field types."""

from __future__ import annotations

import re

from bots.config import load_config, onwiki_templates
from bots.core.onwiki.infobox import environment, lua_module, onwiki_pages, partners_of
from bots.core.onwiki.lua import lua_literal, lua_readers, problem_category, problem_codes
from bots.core.records.fields import FIELD_TYPES, FieldType

CONFIG = load_config()
SCHEMA = CONFIG.schema
PAGES = onwiki_pages(SCHEMA, onwiki_templates(), partners_of(CONFIG.pages))
MODULE = PAGES[f"Module:{SCHEMA.template}"]


def test_config_chooses_the_lua_infobox_and_the_template_only_invokes_it() -> None:
    assert SCHEMA.engine == "lua"
    template = PAGES[f"Template:{SCHEMA.template}"]
    assert template.startswith(f"{{{{#invoke:{SCHEMA.template}|infobox}}}}")
    assert "{{{" not in template
    assert list(PAGES).index(f"Module:{SCHEMA.template}") < list(PAGES).index(f"Template:{SCHEMA.template}")


def test_every_field_type_has_a_lua_reader() -> None:
    """A type that reads values its own way names its own reader, and the module defines it."""
    readers = lua_readers(MODULE)
    for kind in FIELD_TYPES.values():
        reads = next(cls for cls in type(kind).__mro__ if "read" in vars(cls))
        assert "lua_reader" in vars(reads), f"{reads.__name__} defines read but names no Lua reader"
        assert kind.lua_reader in readers, f"{type(kind).__name__}: no readers.{kind.lua_reader} in module.lua"
    assert issubclass(type(FIELD_TYPES["text"]), FieldType)


def test_the_data_holds_every_parameter_choice_word_and_rule() -> None:
    for spec in SCHEMA.fields:
        for name in (spec.name, *spec.aliases):
            assert lua_literal(name) in MODULE
        for choice in spec.choices:
            assert lua_literal(choice.label) in MODULE
            for word in choice.synonyms:
                assert lua_literal(" ".join(word.split()).lower()) in MODULE
    assert "'end-before-start'" in MODULE


def test_a_tracking_category_page_for_every_problem_code() -> None:
    codes = problem_codes(SCHEMA)
    for code in ("unknown-parameter", "missing-required", "unknown-value", "bad-date", "bad-url", "bad-yesno"):
        assert code in codes
    assert "end-before-start" in codes
    for code in codes:
        page = PAGES[f"Category:{problem_category(SCHEMA, code)}"]
        assert "__HIDDENCAT__" in page


def test_lua_literals_cannot_break_out_of_their_string() -> None:
    hostile = "a'b\\c\n]]\x00\u2028'); os.exit() --"
    literal = lua_literal(hostile)
    assert literal.startswith("'") and literal.endswith("'")
    inner = literal[1:-1]
    assert "'" not in inner and "\n" not in inner
    assert re.fullmatch(r"(?:[^\\]|\\\d{3})*", inner)
    assert lua_literal({"k": [True, None, 3]}) == "{['k'] = {true, nil, 3}}"


def test_the_module_is_stored_as_generated() -> None:
    assert lua_module(SCHEMA, environment(onwiki_templates()), partners_of(CONFIG.pages)) == MODULE
    assert "~~~" not in MODULE and "\r" not in MODULE
