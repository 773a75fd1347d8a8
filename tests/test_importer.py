"""The importer reproduces the published wording and removes every extraction artefact."""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import BELT_ROAD_SEED, FRAMEWORK_SEED, ROOT

from plansite import yamlio
from plansite.importer import ImportError_, draft_yaml_document, parse_plan_text, short_title
from plansite.textclean import FULLWIDTH_QUOTE, artefacts_in

SEEDS = {"fa2020": FRAMEWORK_SEED, "br2020": BELT_ROAD_SEED}


def seed_text(plan_id: str) -> str:
    return SEEDS[plan_id].read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["fa2020", "br2020"])
def parsed(request):
    return request.param, parse_plan_text(seed_text(request.param), source=SEEDS[request.param].name)


def test_structure_of_both_plans():
    fa = parse_plan_text(seed_text("fa2020"))
    br = parse_plan_text(seed_text("br2020"))
    assert [i.number for i in fa.items] == list(range(1, 74))
    assert [i.number for i in br.items] == list(range(1, 23))
    assert len(fa.sections) == 8 and len(br.sections) == 5
    assert [len(s["subsections"]) for s in fa.sections] == [0, 0, 0, 3, 0, 0, 0, 0]
    # Item 27 opens section 4 before its first subsection; 28 starts （一）, 37 （二）, 42 （三）.
    by_number = {i.number: i for i in fa.items}
    assert (by_number[27].section, by_number[27].subsection) == (4, None)
    assert [by_number[n].subsection for n in (28, 36, 37, 41, 42, 47)] == [1, 1, 2, 2, 3, 3]
    assert by_number[48].section == 5 and by_number[48].subsection is None
    assert fa.title == "实施《粤澳合作框架协议》2020 年重点工作"
    assert br.title == "实施《关于支持澳门全面参与和助力“一带一路”建设的安排》2020 年重点工作"
    assert [s["title"] for s in br.sections][2] == "民心相通"
    assert [s["title"] for s in fa.sections[3]["subsections"]] == ["金融业服务。", "专业服务。", "文化和旅游。"]


def test_artefacts_are_counted_and_none_is_left(parsed):
    plan_id, plan = parsed
    raw = seed_text(plan_id)
    # Every look-alike in the seed was seen and replaced, no more and no fewer.
    assert plan.artefacts["compat_ideograph"] == sum(1 for ch in raw if "\uf900" <= ch <= "\ufaff")
    assert plan.artefacts["fullwidth_quote"] == raw.count(FULLWIDTH_QUOTE)
    assert plan.artefacts["lookalike"] == raw.count("內")
    assert plan.artefacts["line_break"] > 0
    texts = [plan.title] + [i.text for i in plan.items]
    texts += [s["title"] for s in plan.sections] + [u["title"] for s in plan.sections for u in s["subsections"]]
    left = {t[:15]: artefacts_in(t) for t in texts if artefacts_in(t)}
    assert left == {}


def test_known_counts_of_artefacts():
    fa = parse_plan_text(seed_text("fa2020")).artefacts
    br = parse_plan_text(seed_text("br2020")).artefacts
    assert (fa["compat_ideograph"], fa["fullwidth_quote"], fa["ascii_paren"]) == (185, 20, 1)
    assert (br["compat_ideograph"], br["fullwidth_quote"], br["lookalike"]) == (85, 25, 1)


def _wording(text: str) -> str:
    """What a reader reads: characters without layout, quote style or look-alikes."""
    text = unicodedata.normalize("NFC", text).replace("內", "内")
    text = re.sub(r"[“”＂]", '"', text).replace(")", "）")
    return re.sub(r"\s+", "", text)


def test_wording_is_exactly_the_seed(parsed):
    """Title, headings and items, put back together, are the whole seed text."""
    plan_id, plan = parsed
    numerals = "一二三四五六七八九十"
    rebuilt = plan.title
    for section in plan.sections:
        rebuilt += f"{numerals[section['number'] - 1]}、{section['title']}"
        current_sub = None
        for item in (i for i in plan.items if i.section == section["number"]):
            if item.subsection != current_sub:
                current_sub = item.subsection
                sub = section["subsections"][current_sub - 1]
                rebuilt += f"（{numerals[current_sub - 1]}）{sub['title']}"
            rebuilt += f"{item.number}.{item.text}"
    assert _wording(rebuilt) == _wording(seed_text(plan_id))


def test_data_files_hold_the_imported_wording(parsed):
    plan_id, plan = parsed
    data = yamlio.load(ROOT / "data" / "plans" / f"{plan_id}.yaml")
    assert data["title"] == plan.title
    assert [i["text"] for i in data["items"]] == [i.text for i in plan.items]
    assert [s["title"] for s in data["sections"]] == [s["title"] for s in plan.sections]


def test_spot_checks_against_the_published_text():
    fa = {i.number: i.text for i in parse_plan_text(seed_text("fa2020")).items}
    br = {i.number: i.text for i in parse_plan_text(seed_text("br2020")).items}
    assert fa[8] == (
        "在横琴及珠澳跨境工业区珠海园区探索实现暂存仓储，共同商讨在横琴口岸、珠澳跨境工业区专用口岸及港珠澳大桥"
        "珠海公路口岸货运通关规划时，预留相关基础设施的建设项目，预留设置相关食品（如冻肉、鲜活食品等种类）"
        "进出口检验检疫配套功能。"
    )
    assert fa[46] == "继续在澳门设立粤港澳大湾区文化艺术节“相约澳门——中葡文化节”分会场。"
    assert fa[35].endswith("稳步推进澳门居民代理见证开立个人Ⅱ、Ⅲ类银行结算账户业务，优化银行账户开户服务。")
    assert br[9] == "善用《内地与澳门关于建立更紧密经贸关系的安排》开放措施，进一步促进澳门与内地的贸易及投资便利化。"
    assert br[6].count("“") == br[6].count("”") == 5


def test_next_years_text_with_page_breaks_and_subsections():
    text = (
        " 实施《示例协议》2021 年重点工作 \n\n一、 第一部分 \n\n1.支持“甲乙＂合作，推\n 进丙丁（如戊)建设。\n"
        "（一）分项。\n2.第二项\n\n   内容。\n二、第二部分\n    3.第三项。\n"
    )
    plan = parse_plan_text(text)
    assert plan.title == "实施《示例协议》2021 年重点工作"
    assert [(i.number, i.section, i.subsection, i.text) for i in plan.items] == [
        (1, 1, None, "支持“甲乙”合作，推进丙丁（如戊）建设。"),
        (2, 1, 1, "第二项内容。"),
        (3, 2, None, "第三项。"),
    ]
    doc = draft_yaml_document(plan, "ex2021", "example-2021", 2021)
    assert doc["items"][1] == {
        "id": "ex2021-02", "number": 2, "section": 1, "subsection": 1,
        "title": "第二项内容", "text": "第二项内容。", "places": [], "domains": [],
    }


def test_text_that_is_not_a_plan_is_refused():
    with pytest.raises(ImportError_, match="no numbered items"):
        parse_plan_text("只是一段文字。\n")


def test_short_titles_come_from_the_items_own_words():
    assert short_title("推进粤港澳联合实验室建设。推动大科学装置进一步向澳门创新主体开放共享。") == "推进粤港澳联合实验室建设"
    long = "支持澳门继续实施对在广东省 21 个地市就读的澳门居民学生提供学费津贴，并新增学习用品津贴。"
    assert short_title(long) == "支持澳门继续实施对在广东省 21 个地市就读的澳门居民学生提供学费津贴"
