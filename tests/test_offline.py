"""bots.offline: the main job over an XML dump, no wiki; same pages as bots.update would write."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from bots.config import PROJECT_DIR, load_config
from scripts.devwiki import seed_pages
from tests.seedpages import checked_seed, has_infobox, keeps_out_of_lists, load_seed

CONFIG = load_config()


def dump_of(pages: list[tuple[str, str]]) -> str:
    """A dump as Special:Export writes it: namespace, page id, redirect flag, revision id."""
    namespaces = "".join(
        f'<namespace key="{key}" case="first-letter">{name}</namespace>'
        for key, name in ((0, ""), (2, "User"), (10, "Template"), (14, "Category"))
    )
    parts = [
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">'
        f"<siteinfo><namespaces>{namespaces}</namespaces></siteinfo>"
    ]
    for number, (title, text) in enumerate(pages, start=1):
        ns = {"Template": 10, "User": 2, "Category": 14}.get(title.split(":", 1)[0], 0)
        redirect = f'<redirect title="{escape(title)}" />' if text.lstrip().upper().startswith("#REDIRECT") else ""
        parts.append(
            f"<page><title>{escape(title)}</title><ns>{ns}</ns><id>{number}</id>{redirect}<revision>"
            f"<id>{number * 10}</id><timestamp>2012-01-01T00:00:00Z</timestamp><contributor><username>A</username>"
            f'</contributor><model>wikitext</model><format>text/x-wiki</format><text xml:space="preserve">'
            f"{escape(text)}</text></revision></page>"
        )
    return "\n".join([*parts, "</mediawiki>\n"])


def run_offline(tmp_path: Path, pages: list[tuple[str, str]]) -> tuple[subprocess.CompletedProcess[str], Path]:
    dump, out = tmp_path / "dump.xml", tmp_path / "out"
    dump.write_text(dump_of(pages), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYWIKIBOT_DIR"}
    result = subprocess.run(
        [sys.executable, "-m", "bots.offline", f"-dump:{dump}", f"-out:{out}"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return result, out


def test_the_seed_as_a_dump_gives_every_generated_page_and_every_seeded_problem(tmp_path: Path) -> None:
    import yaml

    from scripts.devwiki import SEED_FILE

    seed = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["pages"]
    result, out = run_offline(tmp_path, seed_pages())
    assert result.returncode == 0, result.stdout + result.stderr
    files = {path.name for path in out.iterdir()}
    configured = {t.replace("/", " ∕ ") + ".wikitext" for t in (p.title for p in CONFIG.pages.generated)}
    assert configured | {"problems.json"} <= files
    index = (out / (CONFIG.pages.title_of("index").replace("/", " ∕ ") + ".wikitext")).read_text(encoding="utf-8")
    assert index.startswith(CONFIG.pages.region_start)
    problems = {(p["page"], p["field"], p["code"]) for p in json.loads((out / "problems.json").read_text())}
    expected = {(page["title"], e["field"], e["code"]) for page in seed for e in page["expect"]}
    assert problems == expected
    for page in seed:
        listed = f"[[:{page['title']}|" in index
        assert listed == (has_infobox(page["text"]) and not keeps_out_of_lists(page)), page["title"]


def test_a_generated_page_in_the_dump_keeps_the_volunteers_text(tmp_path: Path) -> None:
    title = CONFIG.pages.title_of("by_type")
    page = f"Intro by a volunteer.\n\n{CONFIG.pages.region_start}\nold list\n{CONFIG.pages.region_end}\nNotes below.\n"
    result, out = run_offline(tmp_path, [*seed_pages(), (title, page)])
    assert result.returncode == 0, result.stdout + result.stderr
    text = (out / (title.replace("/", " ∕ ") + ".wikitext")).read_text(encoding="utf-8")
    assert text.startswith("Intro by a volunteer.\n\n") and text.rstrip().endswith("Notes below.")
    assert "old list" not in text


def test_a_missing_dump_is_exit_1_and_missing_options_exit_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYWIKIBOT_DIR"}
    missing = subprocess.run(
        [sys.executable, "-m", "bots.offline", f"-dump:{tmp_path / 'none.xml'}", f"-out:{tmp_path}"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert missing.returncode == 1 and "none.xml" in missing.stderr
    bare = subprocess.run(
        [sys.executable, "-m", "bots.offline"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert bare.returncode == 2


GONE = "".join(f"* [[:Gone {n}|Gone {n}]]\n" for n in range(1, 5))
#: Volunteers' lists in a dump: bad ones (reported, and left alone or showing the problem) and good ones.
LIST_PAGES = [
    ("Template:PList", "#REDIRECT [[Template:Partnership list]]"),
    ("Lists/Bad query", "Above.\n{{Partnership list|stauts=active}}\n{{Partnership list end}}\n"),
    ("User:V/Through a redirect", "{{PList|limit=many}}\n{{Partnership list end}}\n"),
    ("Lists/No end", "{{Partnership list|type=content}}\nold rows\n"),
    (
        "Lists/Guarded",
        f"{{{{Partnership list|partner=Nobody at all|format=list}}}}\n{GONE}{{{{Partnership list end}}}}\n",
    ),
    (
        "Lists/Good",
        "Intro by a volunteer.\n{{Partnership list|type=content|format=list|columns=name}}\nstale row\n"
        "{{Partnership list end}}\nNotes below.\n",
    ),
    ("Category:Not a list namespace", "{{Partnership list|stauts=active}}\n{{Partnership list end}}\n"),
]


def test_the_lists_in_the_dump_are_checked_as_bots_update_checks_them(tmp_path: Path) -> None:
    """Broken lists, bad queries (also through a redirect) and the mass-removal guard, in the list namespaces."""
    result, out = run_offline(tmp_path, [*seed_pages(), *LIST_PAGES])
    assert result.returncode == 0, result.stdout + result.stderr
    problems = json.loads((out / "problems.json").read_text())
    found = {(p["page"], p["field"], p["code"]) for p in problems if p["code"].startswith("list-")}
    assert found == {
        ("Lists/Bad query", "stauts", "list-unknown-parameter"),
        ("User:V/Through a redirect", "limit", "list-bad-number"),
        ("Lists/No end", "", "list-missing-end"),
        ("Lists/Guarded", "", "list-mass-removal"),
    }
    report = (out / (CONFIG.pages.title_of("report").replace("/", " ∕ ") + ".wikitext")).read_text(encoding="utf-8")
    for page, _field, code in found:
        assert f"<code>{code}</code>" in report.split(f"[[:{page}|", 1)[1], page


def written(out: Path, title: str) -> str | None:
    path = out / (title.replace("/", " ∕ ") + ".wikitext")
    return path.read_text(encoding="utf-8") if path.exists() else None


def test_the_pages_with_lists_are_written_with_their_lists_filled(tmp_path: Path) -> None:
    """Each dump page holding lists is written whole, each list filled; a page bots.lists would leave alone is not."""
    result, out = run_offline(tmp_path, [*seed_pages(), *LIST_PAGES])
    assert result.returncode == 0, result.stdout + result.stderr
    good = written(out, "Lists/Good")
    assert good is not None, sorted(p.name for p in out.iterdir())
    intro = "Intro by a volunteer.\n{{Partnership list|type=content|format=list|columns=name}}\n"
    assert good.startswith(intro) and good.endswith("\n{{Partnership list end}}\nNotes below.\n")
    assert "stale row" not in good
    out_of_lists = {page["title"] for page in load_seed() if keeps_out_of_lists(page)}
    content = {r.title for r in checked_seed().records if "content" in r.items("type") and r.title not in out_of_lists}
    assert content and set(re.findall(r"\[\[:([^|\]]+)\|", good)) == content
    # a bad query's list shows the problem in its region; the rest of the page is as it was
    bad = written(out, "Lists/Bad query")
    assert bad is not None and bad.startswith("Above.\n{{Partnership list|stauts=active}}\n") and "stauts" in bad[40:]
    # left alone by bots.lists (no end template, the mass-removal guard): not written; not a list namespace: neither
    for title in ("Lists/No end", "Lists/Guarded", "Category:Not a list namespace"):
        assert written(out, title) is None, title
    # a generated page holding lists: the bot's region and the lists are both filled
    seeded = {title: text for title, text in seed_pages()}
    for title, text in seeded.items():
        if "{{partnership list|" not in text:
            continue
        filled = written(out, title)
        assert filled is not None and "<!-- list query" in filled and text.split("{{partnership list", 1)[0] in filled
        if title.startswith(CONFIG.pages.crosslink.recommendation_prefix):
            assert CONFIG.pages.region_start in filled, title
