"""Ranking texts by how much they share with a query: BM25 over character bigrams. Pure Python, no Django.

Texts are token sets (servicedesk/rules/bigrams.text_tokens: overlapping CJK bigrams, lower-cased letter/digit
words), so a colloquial message and a case written in another register still meet on the words that matter
(漏水, 楼上, 天花). Each shared token weighs by its rarity among the candidates (idf): 业主 and 物业 are in nearly every
text and count for little, 天花 counts for much. Longer documents are damped (b), a token counts once per text.

Candidates come from the caller (already narrowed by scope and by a word prefilter); ``rank`` orders them, best first,
and says which tokens each shares with the query, so the agent sees why a case was offered.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from propdesk.servicedesk.rules.bigrams import text_tokens

K1 = 1.2
B = 0.75
MIN_SHARED = 2  # one shared bigram is chance (我们, 一下); two or more is a resemblance
# Bigrams in nearly every message of a property desk, and in none of its meaning: never a reason to match.
STOP = frozenset("""业主 物业 你们 我们 他们 一下 请问 小区 什么 怎么 已经 没有 一个 这个 那个 可以 不是 就是 还是
    知道 现在 时候 今天 昨天 问题 情况 反映 谢谢 你好 您好 麻烦 一直 但是 因为 所以 如果 然后 还有 或者 的话 自己 这样
    了解 处理 进行 需要 要求 工作 人员 服务 客服 中心 先生 女士 小姐""".split())
_DIGITS = re.compile(r"^\d{1,2}$")
# Particles and pronouns: a bigram holding one spans two words (的车, 占了, 我家) and tells nothing of the matter.
FUNCTION_CHARS = frozenset("的了吗呢吧啊呀么们我你他她把都也就又还很太这那是在")


def _useful(token: str) -> bool:
    if token in STOP or _DIGITS.match(token):
        return False
    return not (len(token) == 2 and not token.isascii() and FUNCTION_CHARS.intersection(token))


def tokens(*texts: str) -> tuple[str, ...]:
    """The tokens a text is compared by, in the order of the text: its bigrams and words, without the stop bigrams,
    the bigrams across a particle or pronoun, and bare small numbers."""
    return tuple(t for t in text_tokens(*texts) if _useful(t))


def grams_tokens(grams: str) -> frozenset[str]:
    """The tokens of a stored ``search_grams`` column value."""
    return frozenset(t for t in (grams or "").split() if _useful(t))


@dataclass(frozen=True)
class Match:
    key: object  # the caller's id of the candidate
    score: float
    shared: tuple[str, ...]  # the query's tokens it contains, the rarest first


def rank(query: Iterable[str], candidates: Iterable[tuple[object, Iterable[str]]], *, limit: int = 5,
         min_shared: int = MIN_SHARED) -> list[Match]:
    """The ``limit`` candidates ``(key, tokens)`` most like ``query`` (tokens), best first; ties keep the
    candidates' order (the caller passes the newest first). A candidate sharing fewer than ``min_shared`` tokens
    is left out, so an unrelated text is never offered as "similar"; a short query (under eight tokens: 快递丢了)
    needs one."""
    wanted = frozenset(query)
    min_shared = min(min_shared, max(1, len(wanted) // 4))
    docs = [(key, frozenset(toks)) for key, toks in candidates]
    if not wanted or not docs or limit <= 0:
        return []
    n = len(docs)
    df = {t: 0 for t in wanted}
    for _key, toks in docs:
        for t in wanted & toks:
            df[t] += 1
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in wanted}
    average = sum(len(toks) for _key, toks in docs) / n or 1.0
    found = []
    for position, (key, toks) in enumerate(docs):
        shared = wanted & toks
        if len(shared) < min_shared:
            continue
        norm = K1 * (1 - B + B * len(toks) / average)
        score = sum(idf[t] * (K1 + 1) / (1 + norm) for t in shared)
        found.append((-score, position, Match(key, round(score, 3), tuple(sorted(shared, key=lambda t: (-idf[t], t))))))
    found.sort(key=lambda row: (row[0], row[1]))
    return [match for _score, _position, match in found[:limit]]


def prefilter_tokens(query: Iterable[str], *, at_most: int = 8) -> list[str]:
    """The query's tokens to narrow candidates by in the database (any of them), at most ``at_most``: CJK bigrams
    before letter/digit words; of the bigrams, every other one first (漏水 and 楼上 rather than 漏水, 水了, 了楼), so
    that a long message is sampled along its whole length."""
    toks = list(dict.fromkeys(query))
    cjk = [t for t in toks if not t.isascii()]
    rest = [t for t in toks if t.isascii() and len(t) >= 3]
    spread = cjk[::2] + cjk[1::2]
    if len(spread) > at_most:  # a long text: sample evenly rather than its first sentence only
        step = len(cjk[::2]) / at_most
        spread = [cjk[::2][int(i * step)] for i in range(at_most)] if step >= 1 else spread
    return (spread + rest)[:at_most]
