"""Search tokens for Chinese text without a dictionary: overlapping character bigrams.

A trigram index cannot find a two-character word (漏水, 张三), and nobody maintains a word list of a property desk.
So a request's text is kept beside it as a set of tokens (``text_tokens``):

- each run of CJK characters gives its overlapping bigrams: 厨房水管 → 厨房 房水 水管; a run of one character gives
  that character;
- everything else gives lower-cased words of letters and digits (after NFKC, so full-width １８０２ is 1802): room
  codes 3-2-1802 → 3 2 1802, names, numbers. Punctuation, emoji and symbols give nothing.

A query (``query_tokens``) is the set of tokens every hit must contain; the words of a query, separated by spaces, are
ANDed in any order (水管 漏水 = 漏水 水管).

The decision for a run of four or more characters typed without a space (水管漏水): staff type several words run
together far more often than a phrase that must appear verbatim, so such a run is read as two-character words:
the bigrams at even positions (水管 + 漏水), and for an odd length the last bigram as well (卫生间漏水 → 卫生 + 间漏
+ 漏水).
Requiring every overlapping bigram (水管 管漏 漏水) would demand the phrase verbatim and 水管漏水 would miss
"厨房水管爆裂漏水". A run of two or three characters is one word: all its bigrams are required (卫生间 → 卫生 + 生间).
A query of a single character (张) matches it as a prefix: any token that starts with it (张三, 张).
Letter/digit words are exact, except the query's last piece when it is one, which is a prefix (a name or room
number being typed: 180 finds 1802); a prefix of a short word such as 3 would widen every earlier word for nothing.

The hits are a superset of the phrase matches (the tokens may sit apart in the text); the list is ordered by
recency, not by relevance. No Django here, no database: the callers store and match the tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# CJK unified ideographs (basic, extension A and B–F), compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_PIECE = re.compile(f"([{_CJK}]+)|([^\\W_{_CJK}]+)")

MAX_QUERY_TOKENS = 16  # a pasted paragraph is narrowed by its first words; more tokens only slow the index down


@dataclass(frozen=True, order=True)
class Token:
    text: str
    prefix: bool = False  # match any stored token that starts with ``text``


def _pieces(text: str):
    """(is_cjk, piece) for each run of CJK characters and each letter/digit word, in order."""
    for match in _PIECE.finditer(unicodedata.normalize("NFKC", text or "")):
        cjk, word = match.groups()
        yield (True, cjk) if cjk else (False, word.lower())


def _bigrams(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]


def text_tokens(*texts: str) -> list[str]:
    """The tokens stored for these texts: each once, in the order first met."""
    seen: dict[str, None] = {}
    for text in texts:
        for cjk, piece in _pieces(text):
            for token in (_bigrams(piece) if cjk else [piece]):
                seen.setdefault(token, None)
    return list(seen)


def text_grams(*texts: str) -> str:
    """``text_tokens`` as the space-separated column value."""
    return " ".join(text_tokens(*texts))


def _run_query(run: str) -> list[Token]:
    if len(run) == 1:
        return [Token(run, prefix=True)]
    if len(run) <= 3:
        return [Token(b) for b in _bigrams(run)]
    starts = list(range(0, len(run) - 1, 2))
    if len(run) % 2:
        starts.append(len(run) - 2)
    return [Token(run[i:i + 2]) for i in starts]


def query_tokens(query: str) -> list[Token]:
    """The tokens every hit of ``query`` contains (empty when it has no letter, digit or CJK character). A token
    also asked as a prefix is asked once, exactly when it is exact anywhere."""
    found: dict[str, bool] = {}
    pieces = list(_pieces(query))
    for position, (cjk, piece) in enumerate(pieces):
        typing = position == len(pieces) - 1
        for token in (_run_query(piece) if cjk else [Token(piece, prefix=typing)]):
            found[token.text] = found.get(token.text, True) and token.prefix
    return [Token(text, prefix) for text, prefix in found.items()][:MAX_QUERY_TOKENS]
