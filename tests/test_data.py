"""data/ is valid, and bad input stops with the file, the line and the problem."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, mkdocs, replace_once

from plansite.model import TITLE_LIMIT, InvalidData, load_site_data
from plansite.textclean import artefacts_in


def test_real_data_is_valid_and_complete(site_data):
    assert [(p.id, len(p.items), len(p.sections)) for p in site_data.plans] == [("fa2020", 73, 8), ("br2020", 22, 5)]
    assert len({i.id for i in site_data.items}) == 95
    for plan in site_data.plans:
        assert [i.number for i in plan.items] == list(range(1, len(plan.items) + 1))
    for item in site_data.items:
        assert artefacts_in(item.text) == [] and artefacts_in(item.title) == []
        assert len(item.title) <= TITLE_LIMIT, item.id


def test_short_titles_are_the_items_own_words(site_data):
    for item in site_data.items:
        # Every piece of the headline between elisions appears in the item text.
        for piece in item.title.split("……"):
            assert piece in item.text, (item.id, piece)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


# (what is wrong, file, text to replace, replacement, expected message, line offset of the error)
BAD_INPUTS = [
    ("malformed YAML", "fa2020.yaml", "- id: fa2020-05\n", "- id: [fa2020-05\n", r"malformed YAML", 1),
    ("duplicate item id", "br2020.yaml", "- id: br2020-04\n  number: 4\n", "- id: br2020-03\n  number: 3\n", r"duplicate item id 'br2020-03'", 0),
    ("duplicate item number", "br2020.yaml", "- id: br2020-04\n  number: 4\n", "- id: br2020-03\n  number: 3\n", r"duplicate item number 3", 1),
    ("missing required field", "fa2020.yaml", "  title: 共同研究在横琴建立商事登记资料互通平台\n", "", r"item fa2020-03: missing required field 'title'", -3),
    ("unknown section", "br2020.yaml", "- id: br2020-22\n  number: 22\n  section: 5\n", "- id: br2020-22\n  number: 22\n  section: 9\n", r"unknown section 9", 2),
    ("wrong type", "fa2020.yaml", "- id: fa2020-10\n  number: 10\n", "- id: fa2020-10\n  number: ten\n", r"number: expected a whole number, got text \('ten'\)", 1),
    ("look-alike code point", "fa2020.yaml", "加快推进广药集团澳门国际总部项目建设", "加快推进广药集团澳门国际总部项目建\uf9f7", r"look-alike code point U\+F9F7", 0),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_names_file_line_and_problem(data_copy: Path, case):
    _, name, old, new, message, offset = case
    line = replace_once(data_copy / "data" / "plans" / name, old, new) + offset
    with pytest.raises(InvalidData) as caught:
        load_site_data(data_copy)
    text = str(caught.value)
    assert re.search(message, text), text
    assert re.search(rf"data/plans/{name}:{line}: ", text), text


def test_duplicate_plan_slug_is_caught(data_copy: Path):
    replace_once(data_copy / "data" / "plans" / "br2020.yaml", "slug: belt-and-road-2020\n", "slug: framework-agreement-2020\n")
    with pytest.raises(InvalidData, match=r"data/plans/fa2020.yaml:1: plan slug 'framework-agreement-2020' is also used in"):
        load_site_data(data_copy)


def test_unknown_key_is_reported_with_its_line(data_copy: Path):
    line = replace_once(data_copy / "data" / "plans" / "fa2020.yaml", "  section: 1\n", "  section: 1\n  palces: []\n") + 1
    with pytest.raises(InvalidData, match=rf"fa2020.yaml:{line}: item fa2020-01: unknown field 'palces'"):
        load_site_data(data_copy)


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("bad-project"))


@pytest.mark.parametrize("case", BAD_INPUTS[:6], ids=[c[0] for c in BAD_INPUTS[:6]])
def test_mkdocs_build_stops_on_bad_input(project_copy: Path, case, tmp_path: Path):
    _, name, old, new, message, offset = case
    project = copy_project(tmp_path / "p")
    line = replace_once(project / "data" / "plans" / name, old, new) + offset
    result = mkdocs(project, "build", "--strict")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(rf"data/plans/{name}:{line}: .*{message}", output), output
    assert not (project / "site").exists(), "a half-built site was left behind"
