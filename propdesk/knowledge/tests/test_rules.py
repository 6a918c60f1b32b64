"""The similarity ranking and the answer override, without a database."""

from types import SimpleNamespace as Row

from propdesk.knowledge.rules import answers, similarity


def test_tokens_drop_words_every_message_has():
    toks = similarity.tokens("您好，物业，我家天花板漏水了")
    assert "漏水" in toks and "天花" in toks
    assert "物业" not in toks and "您好" not in toks


def test_rank_puts_the_text_sharing_rare_words_first_and_says_why():
    query = similarity.tokens("楼上卫生间漏水，我家天花板一直滴水")
    docs = [
        ("fee", similarity.tokens("物业费标准是多少，怎么收取")),
        ("leak", similarity.tokens("楼上卫生间渗水导致天花板漏水")),
        ("garage", similarity.tokens("车库水管滴水几个月没修")),
    ]
    ranked = similarity.rank(query, docs, limit=5)
    assert [m.key for m in ranked] == ["leak"]  # the garage shares one word (滴水) only: chance, not likeness
    assert {"卫生", "天花", "漏水"} <= set(ranked[0].shared)


def test_rank_of_nothing_is_nothing():
    assert similarity.rank((), [("a", {"漏水"})]) == []
    assert similarity.rank(similarity.tokens("😀😀"), [("a", {"漏水"})]) == []
    assert similarity.rank({"漏水"}, [], limit=5) == []


def test_prefilter_samples_a_long_text_along_its_length():
    text = "我家厨房水管爆裂了" * 3 + "后来楼下邻居说天花板也在滴水"
    picked = similarity.prefilter_tokens(similarity.tokens(text), at_most=8)
    assert len(picked) == 8
    assert any(t in picked for t in ("天花", "滴水", "邻居", "楼下"))


def test_a_projects_answer_overrides_the_companys_on_the_same_topic():
    company_fee = Row(pk=1, project_id=None, topic="物业费标准")
    company_card = Row(pk=2, project_id=None, topic="门禁卡补办")
    own_fee = Row(pk=3, project_id=7, topic="物业费标准")
    other_fee = Row(pk=4, project_id=8, topic="物业费标准")
    rows = [company_fee, company_card, own_fee, other_fee]
    assert answers.effective(rows, 7) == [company_card, own_fee]
    assert answers.effective(rows, 9) == [company_fee, company_card]
    assert answers.effective(rows, None) == rows


def test_a_short_query_needs_one_shared_word_and_particles_never_count():
    docs = [("parcel", similarity.tokens("快递放在门口丢失，业主要求物业赔偿")),
            ("parking", similarity.tokens("外来车辆占用业主固定车位"))]
    assert [m.key for m in similarity.rank(similarity.tokens("我的快递丢了"), docs)] == ["parcel"]
    assert "的快" not in similarity.tokens("我的快递丢了")
