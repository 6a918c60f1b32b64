"""The engine on its held-out split, on the hard cases the issue names, and on input that must not break it."""

import pytest

from propdesk.triage.rules import triage
from propdesk.triage.rules.dataset import evaluate, load_examples
from propdesk.triage.rules.location import find_location

FIELDS = ("kind", "category", "severity", "urgency", "department", "emotion")


def test_the_labelled_set_covers_every_label_and_keeps_a_fixed_split():
    rows = load_examples()
    assert len(rows) >= 400
    assert {r["split"] for r in rows} == {"train", "test"}
    assert len({r["id"] for r in rows}) == len(rows)
    expected = {
        "kind": {"inquiry", "repair", "complaint", "help", "suggestion", "praise"},
        "category": {"engineering", "design", "sales", "property", "service", "other"},
        "severity": {"major", "important", "minor"},
        "urgency": {"urgent", "normal"},
        "department": {"engineering", "security", "cleaning", "landscaping", "customer_service", "finance",
                       "management"},
        "emotion": {"calm", "angry", "anxious", "sad", "loud"},
    }
    for field, labels in expected.items():
        assert {r[field] for r in rows if r[field]} == labels, field
        assert {r[field] for r in rows if r[field] and r["split"] == "test"} <= labels


def test_accuracy_on_the_held_out_split_meets_the_issue_s_targets():
    report = evaluate(load_examples(split="test"))
    # Measured with the checked-in weights: kind 90.5 %, severity 94.9 %, department 85.3 %, emotion 87.9 %.
    assert report["kind"]["accuracy"] >= 0.90
    assert report["severity"]["accuracy"] >= 0.80
    assert report["department"]["accuracy"] >= 0.85
    assert report["emotion"]["accuracy"] >= 0.75
    assert report["category"]["accuracy"] >= 0.85
    assert report["urgency"]["accuracy"] >= 0.90


def test_an_angry_complaint_about_a_ceiling_leak_from_the_flat_above():
    result = triage("楼上漏水漏到我家天花板了，水一直往下滴，报了两次都没人来，你们物业到底管不管！3栋2单元1502",
                    "phone")
    assert result["kind"]["label"] == "complaint"
    assert result["department"]["label"] == "engineering"
    assert result["emotion"]["label"] == "angry"
    assert result["urgency"]["label"] == "urgent" and result["urgency"]["applies"]
    assert result["category"]["applies"] and result["severity"]["label"] == "important"
    assert result["location"]["room_code"] == "3-2-1502"
    assert "漏水" in result["department"]["evidence"]
    assert {"到底", "管不管"} & set(result["kind"]["evidence"])
    for field in FIELDS:
        assert 0 < result[field]["confidence"] <= 1


@pytest.mark.parametrize(("text", "expected"), [
    ("紧急！厨房水管爆了，水喷得到处都是，快来人！5-1-301", {"kind": "repair", "urgency": "urgent",
                                                        "department": "engineering"}),
    ("您好，阳台灯不亮了，不急，方便的时候来换一下", {"kind": "repair", "urgency": "normal", "emotion": "calm"}),
    ("感谢保安小王昨天帮我把东西搬上楼，给你们点赞👍", {"kind": "praise", "department": "security"}),
    ("请问门禁卡丢了怎么补办？", {"kind": "inquiry", "department": "customer_service", "emotion": "calm"}),
    ("建议小区多装几个电动车充电桩", {"kind": "suggestion"}),
    ("我们三十多户业主联名投诉外墙渗水，开发商不管，已经找了律师和电视台", {"kind": "complaint",
                                                              "severity": "major",
                                                              "category": "engineering"}),
    ("今年物业费怎么交？能开发票吗", {"kind": "inquiry", "department": "finance"}),
])
def test_typical_messages(text, expected):
    result = triage(text)
    assert {field: result[field]["label"] for field in expected} == expected


@pytest.mark.parametrize("text", [
    "", "   ", None, 12345, "😀😀😡🙏", "Hello, is anyone there? My kitchen sink leaks.", "啊" * 4000,
    "楼上漏水！" * 800, "侬好，阿拉屋里厢水龙头坏脱了，啥辰光来修修", "\x00\n\t", "？？？", "<script>alert(1)</script>",
])
def test_odd_input_gives_an_answer_never_an_exception(text):
    result = triage(text)
    for field in FIELDS:
        assert result[field]["label"]
        assert 0 <= result[field]["confidence"] <= 1
    assert set(result["location"]) == {"room_code", "building", "common_area", "confidence", "evidence"}


@pytest.mark.parametrize("text", ["", "😀😀😡🙏", "Hello, is anyone there?", "？？？"])
def test_nothing_to_read_is_said_with_low_confidence(text):
    result = triage(text)
    assert result["confidence"] < 0.3
    assert result["kind"]["confidence"] < 0.3


@pytest.mark.parametrize(("text", "room", "area"), [
    ("3-2-1502 漏水", "3-2-1502", None),
    ("我住3栋2单元1502室", "3-2-1502", None),
    ("12#1-903 卫生间", "12-1-903", None),
    ("5号楼的电梯又坏了", None, "电梯"),
    ("地下车库B2-156车位上方滴水", None, "地下车库"),
    ("电话13812345678，单号20261116003", None, None),
])
def test_the_place_named_in_the_text(text, room, area):
    found = find_location(text)
    assert (found["room_code"], found["common_area"]) == (room, area)


def test_without_its_weights_triage_still_answers_from_the_lexicon(tmp_path, caplog):
    from propdesk.triage.rules import model

    broken = tmp_path / "weights.json"
    broken.write_text("{not json", encoding="utf-8")
    weights = model.load(broken)
    result = triage("楼上漏水，快来人！", weights=weights)
    assert result["kind"]["label"] == "repair" and result["department"]["label"] == "engineering"
    assert "running on the lexicon alone" in caplog.text
    assert model.load(tmp_path / "missing.json")["examples"] == 0
