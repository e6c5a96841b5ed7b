"""The bot's task page on the local wiki: scripts.task_page -save writes it, and the bots' edit summaries link it."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.live.conftest import LiveWiki, output
from tests.live.sandbox import make_sandbox


def comment_of(wiki: LiveWiki, title: str) -> str:
    """The edit summary of the page's latest revision."""
    pages = wiki.api.call(action="query", prop="revisions", titles=title, rvprop="comment")["query"]["pages"]
    return str(pages[0]["revisions"][0]["comment"])


def test_the_task_page_is_written_from_the_config_and_every_summary_links_it(wiki: LiveWiki, tmp_path: Path) -> None:
    box = make_sandbox(wiki, tmp_path, "task")
    task_page = "User:PartnershipBot/Task task"
    pages_file = box.config_dir / "pages.yaml"
    pages = yaml.safe_load(pages_file.read_text(encoding="utf-8"))
    pages.update(task_page=task_page, operator="Admin")
    pages_file.write_text(yaml.safe_dump(pages, allow_unicode=True), encoding="utf-8")

    printed = box.run("scripts.task_page")
    assert printed.returncode == 0, output(printed)
    saved = box.run("scripts.task_page", "-save", "-always")
    assert saved.returncode == 0, output(saved)
    text = wiki.api.text(task_page)
    assert printed.stdout.strip() in text  # the printed text, between the region's markers
    for title in box.titles.values():
        assert f"[[{title}]]" in text, title
    assert f"[[Template:{box.template}]]" in text and "[[User:Admin|Admin]]" in text
    assert "No pause between edits" in text  # the local wiki's put_throttle = 0
    link = f"([[{task_page}|bot task]])"
    assert comment_of(wiki, task_page).endswith(link)
    again = box.run("scripts.task_page", "-save", "-always")
    assert again.returncode == 0 and "1 unchanged" in output(again), output(again)

    box.add_partnerships(2)
    run = box.run("bots.update", "-always")
    assert run.returncode == 0, output(run)
    for title in box.titles.values():
        assert comment_of(wiki, title).endswith(link), title
