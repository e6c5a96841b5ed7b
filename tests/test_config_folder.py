"""Everything a config folder needs lives in it: its page templates, its own run state, checked at start (issue 20)."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from bots.cli import BAD_OPTIONS
from bots.config import DEFAULT_CONFIG_DIR, PROJECT_DIR, folder_key, load_config
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
    with_page_template(folder, "index.wikitext")  # the partnership schema's index: partner, type, lead, ...
    index = (PROJECT_DIR / "templates" / "pages" / "index.wikitext").read_text(encoding="utf-8")
    line = index[: index.index('show(r, "partner")')].count("\n") + 1
    message = rf"templates/pages/index.wikitext, line {line}: names the field 'partner', which .*meetup/schema.yaml"
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
    assert len(lines) == 1 and "index.wikitext, line" in lines[0] and "'partner'" in lines[0], lines
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected to the wiki
