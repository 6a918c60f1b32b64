"""The phrase rules, without a database: every forbidden phrase and its variants is found where it is written, with
the handbook's reason and a suggestion; polite text and harmless contexts find nothing; bad input never fails."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.wording.rules import PHRASES, Kind, check_text

FOUND = [
    # (text as an agent might write it, the phrase the report counts, the characters underlined)
    ("这个问题我也不知道。", "不知道", "不知道"),
    ("不 知 道，你问别人吧", "不知道", "不 知 道"),
    ("我哪知道啊", "不知道", "哪知道"),
    ("阿拉勿晓得", "不知道", "勿晓得"),  # Shanghainese
    ("呢件事我唔知道", "不知道", "唔知道"),  # Cantonese
    ("具体什么时候来水我们不清楚", "不清楚", "不清楚"),
    ("这个我们不太清楚", "不清楚", "不太清楚"),
    ("这种情况没办法解决", "没办法解决", "没办法解决"),
    ("我们也解决不了", "没办法解决", "解决不了"),
    ("物业对此无能为力", "没办法解决", "无能为力"),
    ("小区外面的事我们不管", "我们不管", "我们不管"),
    ("这个我们管不了", "我们不管", "我们管不了"),
    ("这不归我们管", "不归我们管", "不归我们管"),
    ("那个不归我管", "不归我们管", "不归我管"),
    ("這不歸我們管", "不归我们管", "不歸我們管"),
    ("这事跟我们没关系", "不归我们管", "跟我们没关系"),
    ("这不是我们负责的", "不归我们管", "不是我们负责"),
    ("你自己看着办吧", "你自己看着办", "你自己看着办"),
    ("房子漏水你找开发商去", "找开发商去", "你找开发商去"),
    ("有意见找领导", "有意见找领导", "有意见找领导"),
    ("有意见您可以去找经理", "有意见找领导", "有意见您可以去找经理"),
    ("刚才不是跟你说了吗？", "刚才不是跟你说了吗", "不是跟你说了吗"),
    ("我已经说过多少遍了", "刚才不是跟你说了吗", "我已经说过多少遍"),
    ("急什么，排队", "急什么", "急什么"),
    ("你着什么急", "急什么", "着什么急"),
    ("下班了，明天再说", "下班了明天再说", "下班了，明天再说"),
    ("工程部已经下班了", "下班了明天再说", "已经下班了"),
    ("不行。", "不行", "不行"),
    ("这个不可以！", "不行", "这个不可以"),
    ("你们业主就是事多", "你们业主", "你们业主"),
    ("还不是你自己弄坏的", "是你自己", "还不是你自己"),
    ("这是你的问题", "这是你的问题", "这是你的问题"),
    ("那是您自己的责任", "这是你的问题", "那是您自己的责任"),
    ("你怎么不早说", "你怎么不早说", "怎么不早说"),
    ("听不懂吗？", "听不懂吗", "听不懂吗"),
    ("爱找谁找谁", "爱找谁找谁", "爱找谁找谁"),
    ("你随便去投诉", "爱找谁找谁", "你随便去投诉"),
    ("规定就是这样", "规定就是这样", "规定就是这样"),
    ("怎么又是你", "怎么又是你", "怎么又是你"),
]


@pytest.mark.parametrize("text, phrase, matched", FOUND)
def test_each_phrase_and_variant_is_found_where_it_is_written(text, phrase, matched):
    findings = check_text(text)
    assert [f.phrase for f in findings] == [phrase], findings
    finding = findings[0]
    assert text[finding.start:finding.end] == matched == finding.matched
    assert finding.reason and finding.suggestion and finding.kind in set(Kind)


def test_every_phrase_of_the_table_is_tested():
    assert {p.phrase for p in PHRASES} <= {phrase for _, phrase, _ in FOUND}


def test_the_handbooks_own_four_are_forbidden_with_a_suggestion():
    findings = check_text("不清楚，不知道，没办法解决，我们不管。")
    assert [(f.phrase, f.kind) for f in findings] == [("不清楚", "forbidden"), ("不知道", "forbidden"),
                                                     ("没办法解决", "forbidden"), ("我们不管", "forbidden")]
    assert findings[1].suggestion == "我帮您确认一下，稍后给您答复"


def test_blaming_and_cold_kinds():
    kinds = {f.phrase: f.kind for f in check_text("你们业主总是这样，这是你的问题。不行。")}
    assert kinds == {"你们业主": "blaming", "这是你的问题": "blaming", "不行": "cold"}


POLITE = [
    "您好，已为您安排维修师傅今天下午两点上门，请保持电话畅通。",
    "非常抱歉给您带来不便，我们马上安排工程部处理，预计18:00前恢复供水。",
    "这个问题我帮您确认一下，稍后给您答复。",
    "不知道您明天上午是否方便？师傅想上门查看一下。",
    "如有不清楚的地方，请致电客服中心 400-800-1234。",
    "照片看不清楚，麻烦您再拍一张。",
    "我们不管多晚都会安排值班人员到场。",
    "没有解决不了的问题，我们一起想办法。",
    "我们帮您找开发商协调保修事宜。",
    "楼道内不能堆放杂物，请各位业主配合。",
    "温馨提示：装修时间为8:00-12:00、14:00-18:00，周末不可以进行噪音施工。",
    "您的问题我们已记录，工程部会在两小时内联系您。",
    "感谢您对我们工作的支持！",
    "你们业主委员会的来函已收到，我们将在三个工作日内书面答复。",
    "客服人员决不能说“不知道”“我们不管”，要记录后承诺答复时间。",
    "如果下班了有急事，请拨打24小时值班电话。",
]


@pytest.mark.parametrize("text", POLITE)
def test_polite_text_and_harmless_contexts_find_nothing(text):
    assert check_text(text) == []


def test_several_findings_come_in_order_and_overlaps_keep_the_longest():
    findings = check_text("急什么？是你自己的问题，这不归我们管，你自己看着办。")
    assert [f.phrase for f in findings] == ["急什么", "这是你的问题", "不归我们管", "你自己看着办"]
    starts = [f.start for f in findings]
    assert starts == sorted(starts)


@pytest.mark.parametrize("text", ["", None, "   ", "😀😀😀", "I don't know, not our problem.",
                                  "侬晓得伐，阿拉勿晓得", "不" * 4000, "不知道" * 1400])
def test_odd_input_never_fails(text):
    findings = check_text(text)
    assert isinstance(findings, list)


def test_a_long_text_is_checked_to_the_end():
    text = "您好，" * 1400 + "这个我不知道。"
    findings = check_text(text)
    assert len(text) > 4000 and [f.phrase for f in findings] == ["不知道"]
    assert text[findings[0].start:findings[0].end] == "不知道"


@given(st.text(max_size=300))
def test_any_text_gives_findings_that_point_into_it(text):
    for finding in check_text(text):
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start:finding.end] == finding.matched


@given(st.lists(st.sampled_from([" ", "，", "、", "…", "  ", "·", "！"]), min_size=2, max_size=2),
       st.sampled_from(["您好，", "", "喂？"]))
def test_spaces_and_punctuation_inside_a_phrase_do_not_hide_it(separators, prefix):
    text = f"{prefix}我们也不{separators[0]}知{separators[1]}道"
    assert [f.phrase for f in check_text(text)] == ["不知道"]
