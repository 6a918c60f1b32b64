"""The search tokens of a request's text and of what staff type (rules/bigrams.py): no database."""

from propdesk.servicedesk.rules.bigrams import MAX_QUERY_TOKENS, Token, query_tokens, text_grams, text_tokens


def found(query: str, *texts: str) -> bool:
    """What the index answers: every query token is a stored token (or starts one, for a prefix token)."""
    stored = set(text_tokens(*texts))
    tokens = query_tokens(query)
    return bool(tokens) and all(
        any(s.startswith(t.text) for s in stored) if t.prefix else t.text in stored for t in tokens)


def test_cjk_runs_become_overlapping_bigrams_and_words_lower_case():
    assert text_tokens("厨房水管爆裂漏水") == ["厨房", "房水", "水管", "管爆", "爆裂", "裂漏", "漏水"]
    assert text_tokens("3-2-1802 张三 Zhang") == ["3", "2", "1802", "张三", "zhang"]
    assert text_tokens("雨，停了") == ["雨", "停了"]  # a lone character is kept as it is
    assert text_tokens("３栋１８０２", "ＡＢ") == ["3", "栋", "1802", "ab"]  # full width is folded
    assert text_grams("漏水漏水", "漏水") == "漏水 水漏"  # each token once


def test_a_two_character_word_is_found_wherever_it_sits():
    assert found("漏水", "厨房水管爆裂漏水") and found("漏水", "卫生间漏水")
    assert not found("漏水", "卫生间水管爆裂")


def test_words_in_any_order_and_run_together_find_the_text():
    text = "厨房水管爆裂漏水"
    for query in ("水管 漏水", "漏水 水管", "水管漏水", "漏水水管", " 水管，漏水 "):
        assert found(query, text), query
    assert not found("水管 漏电", text)
    assert query_tokens("水管漏水") == [Token("水管"), Token("漏水")]
    assert query_tokens("卫生间漏水") == [Token("卫生"), Token("间漏"), Token("漏水")]
    assert query_tokens("卫生间") == [Token("卫生"), Token("生间")]


def test_one_character_and_the_word_being_typed_are_prefixes():
    assert query_tokens("张") == [Token("张", prefix=True)]
    assert found("张", "联系人 张三") and found("3-2-180", "3-2-1802") and found("ZHA", "Zhang Wei")
    assert not found("1803", "3-2-1802")
    assert query_tokens("3-1-1801 漏水") == [Token("3"), Token("1"), Token("1801"), Token("漏水")]
    assert not found("180 漏水", "3-2-1802 漏水")  # only the last word is still being typed


def test_what_has_no_word_asks_for_nothing():
    for query in ("", "   ", "%", "_", "“”！？", "😀🏠", '"*', "--"):
        assert query_tokens(query) == [], query


def test_fts_syntax_is_just_words():
    assert query_tokens('NEAR(漏水 "水管"*') == [Token("near"), Token("漏水"), Token("水管")]
    assert query_tokens("漏水 OR 水管") == [Token("漏水"), Token("or"), Token("水管")]


def test_a_long_query_is_narrowed_to_its_first_tokens():
    assert len(query_tokens("".join(chr(0x4E00 + i) for i in range(500)))) == MAX_QUERY_TOKENS
    assert len(query_tokens(" ".join(f"w{i}" for i in range(100)))) == MAX_QUERY_TOKENS


def test_a_word_asked_exactly_and_as_prefix_is_asked_exactly():
    assert query_tokens("张 张") == [Token("张", prefix=True)]
    assert query_tokens("li 李 li") == [Token("li"), Token("李", prefix=True)]
    assert query_tokens("水管 水管") == [Token("水管")]
