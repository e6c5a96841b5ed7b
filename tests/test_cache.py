"""The revision cache's logic, on fixture pages: what is fetched, what is derived again, what is dropped."""

from __future__ import annotations

import ast
import dataclasses
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from bots.config import load_config
from bots.core.pipeline import PageResult, check_page, check_pages
from bots.core.records.model import PageSnapshot
from bots.state import fingerprint as fingerprint_module
from bots.state.cache import Listed, PageCache, fingerprint, load_cache, save_cache

CONFIG = load_config()
NAMES = ["Partnership"]
TEXT = (
    "{{Partnership\n| name = Kiwix%s\n| partner = Kiwix\n| type = content\n| lead = volunteers\n| status = active\n}}"
)
BAD = "{{Partnership\n| name = Broken\n| partner = X\n| type = content\n| lead = nobody\n| status = active\n}}"


def snap(pageid: int, revid: int, text: str = "", title: str = "") -> PageSnapshot:
    return PageSnapshot(
        title=title or f"Partnerships/P{pageid}", text=text or TEXT % pageid, revid=revid, pageid=pageid
    )


def listed(s: PageSnapshot) -> Listed:
    return Listed(pageid=s.pageid, title=s.title, revid=s.revid)


def fresh() -> PageCache:
    path = Path(tempfile.mkdtemp()) / "cache.sqlite"
    cache, note = load_cache(path, "test", fingerprint(CONFIG.schema, NAMES))
    assert "no cache yet" in note and cache.is_empty()
    return cache


def first_run(pages: list[PageSnapshot]) -> PageCache:
    cache = fresh()
    known, fetch = cache.plan(listed(p) for p in pages)
    assert known == [] and fetch == [listed(p) for p in pages]
    cache.keep_only(pages)
    check_pages(pages, CONFIG.schema, NAMES, cache=cache)
    return cache


def reload(cache: PageCache, schema_print: str | None = None) -> tuple[PageCache, str]:
    """Save the cache as a run does, and open the file again as the next run does."""
    save_cache(cache)
    path = cache.path
    assert path is not None
    cache.db.close()
    return load_cache(path, "test", schema_print or cache.fingerprint)


def test_only_pages_with_a_new_revision_or_title_are_fetched() -> None:
    pages = [snap(1, 10), snap(2, 20), snap(3, 30)]
    cache, note = reload(first_run(pages))
    assert note == ""
    moved = Listed(3, "Partnerships/Moved", 30)
    known, fetch = cache.plan([listed(snap(1, 10)), listed(snap(2, 21, TEXT % "2 edited")), moved, listed(snap(4, 40))])
    assert [k.pageid for k in known] == [1]
    assert known[0].text == TEXT % 1, "an unchanged page's text comes from the cache"
    assert [f.pageid for f in fetch] == [2, 3, 4]


def test_a_run_derives_only_what_changed_and_gives_the_same_result_as_without_cache() -> None:
    pages = [snap(1, 10), snap(2, 20, BAD), snap(3, 30)]
    cache, _ = reload(first_run(pages))
    now = [snap(1, 10), snap(2, 20, BAD), snap(3, 31, TEXT % "3 edited"), snap(5, 50)]
    cache.keep_only(now)
    with_cache = check_pages(now, CONFIG.schema, NAMES, cache=cache)
    assert (cache.reused, cache.derived) == (2, 2)
    assert with_cache == check_pages(now, CONFIG.schema, NAMES)
    assert any(issue.page == "Partnerships/P2" for issue in with_cache.issues), "cached problems are kept"


def test_a_deleted_page_is_dropped() -> None:
    cache = first_run([snap(1, 10), snap(2, 20)])
    cache.keep_only([snap(1, 10)])
    assert cache.pageids() == [1]
    assert reload(cache)[0].pageids() == [1]


def test_another_fingerprint_keeps_the_texts_but_derives_every_record_again() -> None:
    pages = [snap(1, 10), snap(2, 20)]
    cache, note = reload(first_run(pages), schema_print="other schema")
    assert "validated again" in note
    known, fetch = cache.plan(listed(p) for p in pages)
    assert len(known) == 2 and fetch == [], "no text is fetched again"
    calls: list[int] = []

    def derive(s: PageSnapshot) -> PageResult:
        calls.append(s.pageid)
        return check_page(s, CONFIG.schema, NAMES)

    for page in known:
        cache.check(page, derive)
    assert calls == [1, 2]


def test_the_fingerprint_follows_the_schema_and_the_infobox_names() -> None:
    base = fingerprint(CONFIG.schema, NAMES)
    assert base == fingerprint(CONFIG.schema, list(NAMES))
    assert base != fingerprint(CONFIG.schema, [*NAMES, "Partnership box"])
    assert base != fingerprint(dataclasses.replace(CONFIG.schema, template="Other infobox"), NAMES)


BOTS = fingerprint_module.BOTS_DIR


def core_imports(module: str) -> set[str]:
    """The bots modules (paths below bots/) that ``module`` imports."""
    tree = ast.parse((BOTS / module).read_text(encoding="utf-8"))
    names = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    names += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    return {name.removeprefix("bots.").replace(".", "/") + ".py" for name in names if name.startswith("bots.")} & {
        path.relative_to(BOTS).as_posix() for path in BOTS.rglob("*.py")
    }


def deriving_modules() -> set[str]:
    """pipeline.check_page calls parse and validate: they and all they import decide a page's result;
    pipeline (check_page itself) and cache (the result as JSON) count too, but not all they import."""
    found, todo = set(), ["core/records/parse.py", "core/records/validate.py"]
    while todo:
        module = todo.pop()
        if module not in found:
            found.add(module)
            todo.extend(core_imports(module))
    return found | {"core/pipeline.py", "state/cache.py"}


def test_the_fingerprint_follows_the_code_of_every_module_that_derives_a_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "bots"
    shutil.copytree(BOTS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    base = fingerprint(CONFIG.schema, NAMES)
    monkeypatch.setattr(fingerprint_module, "BOTS_DIR", copy)
    assert fingerprint(CONFIG.schema, NAMES) == base, "the copy has the same code"
    modules = deriving_modules()
    assert {
        "core/records/parse.py", "core/records/validate.py", "core/records/model.py", "core/records/schema.py",
        "core/pipeline.py", "state/cache.py",
    } <= modules  # fmt: skip
    for module in sorted(modules):
        original = (copy / module).read_bytes()
        (copy / module).write_bytes(original + b"\n# one more line\n")
        assert fingerprint(CONFIG.schema, NAMES) != base, f"a change of {module} is not seen"
        (copy / module).write_bytes(original)
    assert fingerprint(CONFIG.schema, NAMES) == base


def test_another_wiki_or_format_or_a_broken_file_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache, _ = load_cache(path, "test", fingerprint(CONFIG.schema, NAMES))
    cache.keep_only([snap(1, 10)])
    check_pages([snap(1, 10)], CONFIG.schema, NAMES, cache=cache)
    save_cache(cache)
    assert [p.name for p in tmp_path.iterdir()] == ["cache.sqlite"], "the new cache took the file's place"
    loaded, note = load_cache(path, "test", cache.fingerprint)
    assert note == "" and loaded.pageids() == [1]
    assert loaded.check(snap(1, 10), lambda s: (None, [])) != (None, []), "the record was kept"
    other, note = load_cache(path, "another wiki", cache.fingerprint)
    assert other.is_empty() and "another wiki" in note
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
    db.close()
    older, note = load_cache(path, "test", cache.fingerprint)
    assert older.is_empty() and "another format" in note
    path.write_text("{not a cache")
    broken, note = load_cache(path, "test", cache.fingerprint)
    assert broken.is_empty() and "cannot read" in note
    missing, note = load_cache(tmp_path / "none.sqlite", "test", cache.fingerprint)
    assert missing.is_empty() and "no cache yet" in note
    assert len(list(tmp_path.glob(".cache.sqlite.*.tmp"))) == 1, (
        "an unsaved new cache leaves one file, removed by the next run"
    )


def test_a_run_that_dies_leaves_the_cache_as_it_was() -> None:
    cache, _ = reload(first_run([snap(1, 10), snap(2, 20)]))
    cache.keep_only([snap(1, 11, TEXT % "1 edited")])
    check_pages([snap(1, 11, TEXT % "1 edited")], CONFIG.schema, NAMES, cache=cache)
    path = cache.path
    assert path is not None
    cache.db.close()  # no save_cache: the run stopped
    again, note = load_cache(path, "test", cache.fingerprint)
    assert note == "" and again.pageids() == [1, 2] and again.known()[1].revid == 10
