"""Everything a config folder needs lives in it: its page templates, its own run state, checked at start (issue 20)."""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import pytest

from bots.cli import BAD_OPTIONS
from bots.config import DEFAULT_CONFIG_DIR, PROJECT_DIR, folder_key, load_config
from bots.core.links.fixes import Fix
from bots.core.links.memory import plan_links
from bots.core.lists.fill import end_template_name, list_template_name, render_errors
from bots.core.lists.query import QueryError
from bots.core.onwiki.lua import module_data
from bots.core.pages.guard import edit_records_instead, empty_read_reason
from bots.core.pages.markers import UPDATED_START
from bots.core.pipeline import check_pages, render_generated
from bots.core.records.model import PageSnapshot
from bots.core.settings.page_titles import foreign_title_problem
from bots.core.settings.yaml_doc import ConfigError
from bots.crosslink import memory_file
from bots.operation import RunOptions
from tests.support import run

MEETUP = PROJECT_DIR / "tests" / "data" / "meetup"


def meetup_copy(tmp_path: Path, name: str = "meetup") -> Path:
    folder = tmp_path / name
    shutil.copytree(MEETUP, folder)
    return folder


def test_the_project_folder_keeps_its_state_files_and_another_folder_has_its_own(tmp_path: Path) -> None:
    assert folder_key(DEFAULT_CONFIG_DIR) == "" and load_config().files.key == ""
    assert RunOptions().cache_file().name == "partnership-cache.sqlite"
    assert RunOptions().lock_file().name == "partnership-update.lock"
    assert RunOptions().render_state_file().name == "partnership-cache.rendered.json"
    assert memory_file().name == "partnership-cache.crosslink.sqlite"
    first, second = meetup_copy(tmp_path / "a"), meetup_copy(tmp_path / "b")
    key = folder_key(first)
    assert key.startswith("meetup-") and key != folder_key(second)  # two folders of one name stay apart
    assert load_config(first).files.key == key == folder_key(tmp_path / "a" / "." / "meetup")
    options = RunOptions(folder_key=key)
    assert options.cache_file().name == f"partnership-cache.{key}.sqlite"
    assert options.lock_file().name == f"partnership-update.{key}.lock"
    assert options.render_state_file().name == f"partnership-cache.{key}.rendered.json"
    assert memory_file(folder_key=key).name == f"partnership-cache.{key}.crosslink.sqlite"


def test_messages_name_the_files_the_folder_uses(tmp_path: Path) -> None:
    assert (load_config().files.schema, load_config().files.pages) == ("config/schema.yaml", "config/pages.yaml")
    outreach = load_config(DEFAULT_CONFIG_DIR / "examples" / "outreach").files
    assert (outreach.schema, outreach.pages) == ("config/schema.yaml", "config/examples/outreach/pages.yaml")
    folder = meetup_copy(tmp_path)
    files = load_config(folder).files
    assert (files.schema, files.pages) == (str(folder / "schema.yaml"), str(folder / "pages.yaml"))


def test_a_folder_takes_its_own_page_templates_and_the_project_s_for_the_rest(tmp_path: Path) -> None:
    folder = meetup_copy(tmp_path)
    (folder / "templates" / "pages").mkdir(parents=True)
    (folder / "templates" / "pages" / "records.wikitext").write_text("Our own << records|length >>\n")
    config = load_config(folder.resolve())  # an absolute path
    project = (PROJECT_DIR / "templates" / "pages" / "report.wikitext").read_text(encoding="utf-8")
    assert config.page_templates["records.wikitext"] == "Our own << records|length >>\n"
    assert config.page_templates["report.wikitext"] == project
    assert load_config(MEETUP).page_templates["records.wikitext"] != config.page_templates["records.wikitext"]


def with_page_template(folder: Path, template: str) -> int:
    """pages.yaml's first generated page rendered by ``template``; the line that names it."""
    pages = folder / "pages.yaml"
    text = pages.read_text(encoding="utf-8")
    assert "    template: records.wikitext\n" in text
    pages.write_text(text.replace("    template: records.wikitext\n", f"    template: {template}\n"))
    return text[: text.index("    template: records.wikitext")].count("\n") + 1


def test_a_page_template_that_does_not_exist_is_a_config_error(tmp_path: Path) -> None:
    folder = meetup_copy(tmp_path)
    line = with_page_template(folder, "meetups.wikitext")
    with pytest.raises(ConfigError, match=rf"pages.yaml, line {line}: .*no page template 'meetups.wikitext'"):
        load_config(folder)


def test_a_template_naming_a_field_the_schema_lacks_is_a_config_error_naming_file_and_line(tmp_path: Path) -> None:
    folder = meetup_copy(tmp_path)
    with_page_template(folder, "index.wikitext")  # the partnership schema's index: type, lead, status, ...
    index = (PROJECT_DIR / "templates" / "pages" / "index.wikitext").read_text(encoding="utf-8")
    line = index[: index.index('show(r, "type")')].count("\n") + 1
    message = rf"templates/pages/index.wikitext, line {line}: names the field 'type', which .*meetup/schema.yaml"
    with pytest.raises(ConfigError, match=message):
        load_config(folder)


@pytest.mark.parametrize(
    ("template", "field"),
    [
        ('<< show(records[0], "venue") >>', "venue"),
        ('<% for g in groups("size") %><% endfor %>', "size"),
        ('<< cross_tab("kind", "colour") >>', "colour"),
        ('<% for r in records %><< r.items("host") >><% endfor %>', "host"),
        ('<% include "_extra.wikitext" %>', "guest"),  # found in the templates a template includes
    ],
)
def test_every_way_a_template_names_a_field_is_checked(tmp_path: Path, template: str, field: str) -> None:
    folder = meetup_copy(tmp_path)
    (folder / "templates" / "pages").mkdir(parents=True)
    (folder / "templates" / "pages" / "records.wikitext").write_text(f"A line\n{template}\n")
    (folder / "templates" / "pages" / "_extra.wikitext").write_text('<< having("guest")|length >>\n')
    where = "_extra.wikitext, line 1" if field == "guest" else "records.wikitext, line 2"
    with pytest.raises(ConfigError, match=rf"{where}: names the field '{field}'"):
        load_config(folder)


def test_a_template_syntax_error_is_a_config_error_with_its_line(tmp_path: Path) -> None:
    folder = meetup_copy(tmp_path)
    (folder / "templates" / "pages").mkdir(parents=True)
    (folder / "templates" / "pages" / "records.wikitext").write_text("fine\n<% for r in records %>\n")
    with pytest.raises(ConfigError, match=r"records.wikitext, line 2: "):
        load_config(folder)


def test_a_template_naming_a_missing_field_stops_the_bot_with_exit_2_before_any_request(
    watched_wiki: Path, listener: socket.socket, tmp_path: Path
) -> None:
    folder = meetup_copy(tmp_path)
    with_page_template(folder, "index.wikitext")
    code, lines = run(watched_wiki, "bots.update", f"-settings:{folder}", "-always")
    assert code == BAD_OPTIONS, lines
    assert len(lines) == 1 and "index.wikitext, line" in lines[0] and "'type'" in lines[0], lines
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected to the wiki


MUSEUM_WORDS = """
words:
  noun: museum
  nouns: museums
  list_template: Museum table
  css_prefix: museum
"""


def museum_folder(tmp_path: Path) -> Path:
    """The meetup folder speaking of museums (its words: section)."""
    folder = meetup_copy(tmp_path)
    schema = folder / "schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + MUSEUM_WORDS, encoding="utf-8")
    return folder


def test_the_words_come_from_the_schema_and_default_to_today_s(tmp_path: Path) -> None:
    words = load_config().schema.words
    assert (words.noun, words.nouns, words.css("problem")) == ("partnership", "partnerships", "partnership-problem")
    assert load_config().schema.words == load_config(MEETUP).schema.words  # meetup says none: the defaults
    assert list_template_name(load_config(MEETUP).schema) == "Meetup list"
    schema = load_config(museum_folder(tmp_path)).schema
    assert (schema.words.noun, schema.words.nouns_capitalised, schema.words.css("list-error")) == (
        "museum",
        "Museums",
        "museum-list-error",
    )
    assert (list_template_name(schema), end_template_name(schema)) == ("Museum table", "Museum table end")


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("words:\n  plural: museums\n", "unknown key 'plural'"),
        ("words:\n  noun: museum\n", "give the plural too"),
        ("words:\n  noun: ''\n  nouns: museums\n", "expected a word"),
        ("words:\n  css_prefix: Museum Box\n", "lower-case letters, digits and -"),
        ("words:\n  list_template: Template:Museum list\n", "a template's name alone"),
    ],
)
def test_a_wrong_word_is_a_config_error_with_its_line(tmp_path: Path, words: str, message: str) -> None:
    folder = meetup_copy(tmp_path)
    schema = folder / "schema.yaml"
    text = schema.read_text(encoding="utf-8")
    schema.write_text(text + words, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"schema.yaml, line {text.count(chr(10)) + 2}: .*{message}"):
        load_config(folder)


def test_messages_and_pages_speak_the_folder_s_words(tmp_path: Path) -> None:
    config = load_config(museum_folder(tmp_path))
    schema, names = config.schema, config.schema.template_names
    twice = PageSnapshot("Museums/Louvre", "{{Meetup|title=Louvre|city=Paris|kind=party}}{{Meetup|title=Again}}")
    snapshots = [twice, PageSnapshot("Museums/Orsay", "{{Meetup|title=Orsay|city=Paris|kind=workshop}}")]
    checked = check_pages(snapshots, schema, names, every_record=True)
    messages = " ".join(issue.message for issue in checked.issues)
    assert "Give each museum its own page." in messages
    bodies = render_generated(checked, config, "now")
    text = "\n".join(body for body, _ in bodies.values())
    assert 'class="museum-problem"' in text and 'class="museum-bot-notice"' in text
    assert "edit the museum pages instead" in text and "Museums with problems" in text
    # the markers the bot reads back keep their one spelling on every wiki (bots.core.pages.markers)
    assert "artnership" not in re.sub(r"<!-- partnership-bot[^>]*-->", "", text.replace(UPDATED_START, ""))
    assert "no museum page was read" in (empty_read_reason(0, schema.words) or "")
    assert edit_records_instead(schema.words).endswith("edit the museum pages instead")
    error = render_errors(
        config.environment(), schema, [QueryError("bogus", "unknown-parameter", "Not a query.")], inline=True
    )
    assert 'class="museum-list-error"' in error and "Template:Museum table" in error
    summaries = (
        config.pages.crosslink.summary,
        config.pages.crosslink.recommendation_summary,
        config.pages.lists.summary,
    )
    assert summaries == (
        "Bot: cross-link museum records",
        "Bot: update the museums supporting this recommendation",
        "Bot: update the museum lists on this page",
    )
    assert load_config().pages.lists.summary == "Bot: update the partnership lists on this page"
    plan = plan_links([Fix("User:X", "related", "add", "Museums/Louvre")], set(), {}, None, set(), 1, schema.words)
    assert "it is not a museum page" in plan.held[0].message


def test_the_infobox_module_takes_the_css_prefix(tmp_path: Path) -> None:
    schema = load_config(museum_folder(tmp_path)).schema
    data = module_data(schema, {}, "tracking", None)
    assert data["css_prefix"] == "museum" and "related museums" in data["bot_checks"]
    module = (PROJECT_DIR / "templates" / "onwiki" / "module.lua").read_text(encoding="utf-8")
    assert "partnership-" not in module and "DATA.css_prefix .. '-problem\"" in module
    assert module_data(load_config().schema, {}, "tracking", None)["css_prefix"] == "partnership"


def test_a_title_with_an_interwiki_prefix_is_no_page_of_this_wiki() -> None:
    namespaces, interwiki = {"project", "devwiki", "user", "template"}, {"wikipedia", "meta", "devwiki"}
    assert "the wiki's interwiki prefix" in foreign_title_problem("Wikipedia:Museums/Index", namespaces, interwiki)
    assert "wikipedia:" in foreign_title_problem(" wikipedia_: Museums", namespaces, interwiki)
    assert foreign_title_problem("DevWiki:Museums", namespaces, interwiki) == ""  # a namespace first
    assert foreign_title_problem("Museums: the index", namespaces, interwiki) == ""  # no prefix: main namespace
    assert foreign_title_problem("Museums/Index", namespaces, interwiki) == ""


def test_the_config_says_where_it_names_each_title(tmp_path: Path) -> None:
    places = load_config().title_places
    pages = (DEFAULT_CONFIG_DIR / "pages.yaml").read_text(encoding="utf-8")
    line = pages[: pages.index("  page: User:PartnershipBot/Shutoff")].count("\n") + 1
    assert places["User:PartnershipBot/Shutoff"].endswith(f"config/pages.yaml, line {line}: shutoff.page")
    index = load_config().pages.title_of("index")
    assert "config/pages.yaml, line " in places[index] and places[index].endswith("generated.index.title")
