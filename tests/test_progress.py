"""Progress notes in data are rendered end to end: item page (every locale) and items.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_project, mkdocs, replace_once
from test_untrusted_text import parse

NOTE = {"date": "2021-09-08", "text": "青茂口岸开通启用。", "source": "https://www.example.org/qingmao?a=1&b=2"}


@pytest.fixture(scope="module")
def with_progress(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Path:
    project = copy_project(tmp_path_factory.mktemp("progress"))
    replace_once(
        project / "data" / "plans" / "fa2020.yaml",
        "  domains: [coordination]\n",
        "  domains: [coordination]\n  progress:\n"
        f"  - date: \"{NOTE['date']}\"\n    text: {NOTE['text']}\n    source: \"{NOTE['source']}\"\n",
    )
    result = mkdocs(project, "build", "--strict", env={"PLANSITE_CACHE_DIR": str(built_site.parent / ".cache")})
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


@pytest.mark.parametrize("prefix, heading", [("", "进展"), ("zh-Hant/", "進展"), ("pt/", "Andamento")])
def test_item_page_shows_its_progress_notes(with_progress: Path, prefix: str, heading: str):
    page = with_progress / prefix / "framework-agreement-2020" / "1" / "index.html"
    parsed = parse(page)
    text = "".join(parsed.text)
    assert heading in text and NOTE["text"] in text and NOTE["date"] in text
    assert NOTE["source"] in parsed.attributes
    html = page.read_text(encoding="utf-8")
    assert 'rel="external noopener"' in html
    if prefix:  # the note is in zh-Hans until translated: marked so screen readers switch voice
        assert f'<span lang="zh-Hans">{NOTE["text"]}</span>' in html


def test_items_json_carries_progress(with_progress: Path):
    document = json.loads((with_progress / "data" / "items.json").read_text(encoding="utf-8"))
    items = {i["id"]: i for i in document["items"]}
    assert items["fa2020-01"]["progress"] == [NOTE]
    assert items["fa2020-02"]["progress"] == []


def test_an_item_without_notes_has_no_progress_section(with_progress: Path):
    assert "plan-progress" not in (with_progress / "framework-agreement-2020" / "2" / "index.html").read_text(encoding="utf-8")
