"""Shared fixtures: the repository, a site built once per test session."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "sources"
FRAMEWORK_SEED = SEEDS / "fa2020.txt"
BELT_ROAD_SEED = SEEDS / "br2020.txt"
SITE_FILES = ["mkdocs.yml", "data", "overrides", "scripts", "docs/assets"]


def locale_prefixes(root: Path = ROOT) -> dict[str, str]:
    """Each language's URL prefix, from the language records in mkdocs.yml."""
    from plansite.locales import configured_locales

    locales, default = configured_locales(root)
    return {loc.code: "" if loc.code == default else f"{loc.code}/" for loc in locales}


PREFIXES = locale_prefixes()  # {"zh-Hans": "", "zh-Hant": "zh-Hant/", "pt": "pt/"}


def index_documents(meta: dict, records_in: Callable[[int], list]) -> list[dict]:
    """A search index's documents read back from their files (the layout in
    plansite/search.py; `records_in(N)` reads d<N>): each record's values under
    meta's field names, the plan's label put back from meta."""
    out = []
    for number in range(meta["docs"]):
        record = records_in(number // meta["chunk"])[number % meta["chunk"]]
        doc = {field: value for field, value in zip(meta["fields"], record) if value is not None}
        if "p" in doc:
            doc["p"] = meta["plans"][doc["p"]]
        out.append(doc)
    return out


def expected_postings(docs: list[dict], meta: dict) -> dict[str, dict[int, int]]:
    """term -> document -> field bits that an index of these documents must post,
    from search.py's own word and character splitting (checked against the browser's
    elsewhere)."""
    import snowballstemmer

    from plansite import search

    stemmer = snowballstemmer.stemmer("portuguese") if meta.get("stem") else None
    t2s = dict(zip(meta.get("t2s", "")[::2], meta.get("t2s", "")[1::2]))
    expected: dict[str, dict[int, int]] = {}
    for number, doc in enumerate(docs):
        for bit, field in enumerate(search.FIELDS):
            text = doc.get(field) or ""
            terms = search.han_terms(text, t2s) if meta["script"] == "han" else search.latin_terms(text, stemmer)
            for term in terms:
                by_doc = expected.setdefault(term, {})
                by_doc[number] = by_doc.get(number, 0) | 1 << bit
    return expected


def mkdocs(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def replace_once(path: Path, old: str, new: str) -> int:
    """Edit a file of a project copy; returns the 1-based line where the edit starts."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text[:index].count("\n") + 1


def plansite(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m plansite …` (the README's command) on a project copy."""
    return subprocess.run([sys.executable, "-m", "plansite", "--root", str(project), *args], capture_output=True, text=True, timeout=600)


def set_translation(project: Path, locale: str, key: str, text: str, fuzzy: bool | None = None) -> int:
    """Replace a translation in a project copy's PO file, as a translator's tool would;
    returns the line of the entry (where errors about it point)."""
    import polib

    path = project / "data" / "locales" / f"{locale}.po"
    po = polib.pofile(str(path), wrapwidth=78)
    entry = next(e for e in po if e.msgctxt == key and not e.obsolete)
    if entry.msgid_plural:
        entry.msgstr_plural = {i: text for i in entry.msgstr_plural}
    else:
        entry.msgstr = text
    if fuzzy is not None and fuzzy != ("fuzzy" in entry.flags):
        entry.flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else [])
    po.save(str(path))
    return next(e for e in polib.pofile(str(path)) if e.msgctxt == key and not e.obsolete).linenum


def copy_project(target: Path, source: Path = ROOT) -> Path:
    """A private copy of the site sources (of the repository, or of another copy),
    for tests that change data or config or build again."""
    for name in SITE_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with --strict from a copy of the sources."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def site_data():
    from plansite.model import load_site_data

    return load_site_data(ROOT)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A folder over HTTP on localhost, as a static host serves it."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # noqa: ANN002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    """The built site over HTTP on localhost."""
    with serve(built_site) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh (Debian package 'chromium')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_sessionfinish(session):
    """A test worker (pytest-xdist) hands its search figures to the controller."""
    if hasattr(session.config, "workeroutput"):
        recall = session.config.stash.get("search_recall", {})
        session.config.workeroutput["search_recall"] = {k: list(v) for k, v in recall.items()}


def pytest_testnodedown(node, error):
    """The controller collects what its workers measured (see pytest_sessionfinish)."""
    recall = getattr(node, "workeroutput", {}).get("search_recall", {})
    node.config.stash.setdefault("search_recall", {}).update({k: tuple(v) for k, v in recall.items()})


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    recall = config.stash.get("search_recall", None) if hasattr(config, "stash") else None
    if recall:
        terminalreporter.section("search recall@10 (Chromium)")
        for locale, (value, count) in sorted(recall.items()):
            terminalreporter.write_line(f"{locale:8} {value:.3f} over {count} queries")


def fixture_project(target: Path, items: int = 3) -> Path:
    """A tiny site, as mkdocs-static-i18n's own tests use: the real configuration,
    templates and code, with the data cut down to one plan's first section (its first
    `items` items), the places and domains they name, and the translations brought
    in line (`sync`). Builds in seconds, in-process (`build_in_process`)."""
    import yaml

    from plansite import yamlio

    project = copy_project(target)
    data = project / "data"
    for other in (data / "plans").glob("*.yaml"):
        if other.name != "fa2020.yaml":
            other.unlink()
    plan = yaml.safe_load((data / "plans" / "fa2020.yaml").read_text(encoding="utf-8"))
    plan["sections"] = plan["sections"][:1]
    plan["items"] = [i for i in plan["items"] if i["section"] == 1][:items]
    (data / "plans" / "fa2020.yaml").write_text(yamlio.dump(plan), encoding="utf-8")
    places = yaml.safe_load((data / "places.yaml").read_text(encoding="utf-8"))
    by_id = {p["id"]: p for p in places}
    wanted = set()
    for item in plan["items"]:
        for pid in item.get("places", []):
            while pid and pid not in wanted:
                wanted.add(pid)
                pid = by_id[pid].get("parent")
    (data / "places.yaml").write_text(yamlio.dump([p for p in places if p["id"] in wanted]), encoding="utf-8")
    domains = yaml.safe_load((data / "domains.yaml").read_text(encoding="utf-8"))
    named = {d for item in plan["items"] for d in item.get("domains", [])}
    (data / "domains.yaml").write_text(yamlio.dump([d for d in domains if d["id"] in named]), encoding="utf-8")
    changelog = yaml.safe_load((data / "changelog.yaml").read_text(encoding="utf-8"))
    changelog["changes"] = changelog["changes"][:1]
    (data / "changelog.yaml").write_text(yamlio.dump(changelog), encoding="utf-8")
    (data / "redirects.yaml").write_text("redirects: []\n", encoding="utf-8")
    assert plansite(project, "sync").returncode in (0, 1)
    return project


def build_in_process(project: Path, monkeypatch: pytest.MonkeyPatch, cache: Path | None = None) -> Path:
    """`mkdocs build --strict` of a project, in this process: the build keeps its
    state on its own config, so one process can build any number of sites."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.chdir(project)
    if cache:
        monkeypatch.setenv("PLANSITE_CACHE_DIR", str(cache))
    config = load_config(str(project / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return project / "site"
