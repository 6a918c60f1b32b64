"""Finding the phrases of phrases.py in a text.

The text is made *compact* first: width-folded (NFKC), traditional characters folded to simplified (the handbooks
themselves are partly traditional), and every space, punctuation mark and symbol (emoji too) dropped, each kept
character remembering where it was in the original. So 不 知 道, 不，知道 and 不知道 all match, and a finding
points at the original characters to underline. A dropped character also marks a clause boundary, which
``alone`` phrases need.

A match is harmless when the compact text just before it says the words are not being said (不能说“不知道”,
避免说…) or when the phrase's own safe context applies. Overlapping matches keep the longest."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from .phrases import PHRASES, Phrase

MAX_TEXT = 20_000  # longer texts are checked up to here: a reply or a notice is far shorter

TRADITIONAL = str.maketrans(
    "們歸說沒辦決開發領導見剛麼這題問過對給關係無還為處點嗎頭時來樣個聽規幹著誰愛訴責負錯戶業會應該讓幫經現後曉實別嚴絕種邊煩"
    "裡麽啓啟謂連號區與從當嗎氣張話講聲請謝認覺隨視總難辭麗這遠鬧麼喫纔於",
    "们归说没办决开发领导见刚么这题问过对给关系无还为处点吗头时来样个听规干着谁爱诉责负错户业会应该让帮经现后晓实别严绝种边烦"
    "里么启启谓连号区与从当吗气张话讲声请谢认觉随视总难辞丽这远闹么吃才于",
)
# The writer is talking *about* the phrase, not saying it: 决不能说“不知道”, 避免说不行.
META = re.compile(r"(?:不能|不要|不得|不可|不可以|禁止|避免|严禁|别|绝不|决不|决不能|绝不能|不会|从不|不应|切勿|勿)"
                  r"(?:再|对客户|对业主|跟客户|跟业主|对顾客|跟顾客)?(?:说|讲|用|回答|答复)$")
WINDOW = 10  # characters of context looked at on either side
# A phrase in quotation marks after one of these words is quoted, not said: 决不能说“不知道”“我们不管”.
QUOTED_AFTER = re.compile(r"不能|不要|不得|不可|禁止|避免|严禁|绝不|决不|不会|从不|不应|切勿|禁用|忌用")
OPENING, CLOSING = "“「『\"‘《", "”」』\"’》"
QUOTE_WINDOW = 40


@dataclass(frozen=True)
class Finding:
    phrase: str  # the canonical phrase (不知道), what the report counts
    start: int  # in the original text
    end: int  # exclusive
    kind: str  # forbidden, cold, blaming
    reason: str  # English msgid; the caller translates it
    suggestion: str
    matched: str = ""  # the original characters, as written (不 知道)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Compact:
    text: str
    positions: tuple[int, ...]  # original index of each compact character
    boundaries: frozenset[int]  # compact indexes at which a clause starts or ends (0 and len included)


def _kept(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] not in "PSZC"  # punctuation, symbols (emoji), separators (spaces), controls (newlines)


def normalize(text: str) -> Compact:
    chars, positions, boundaries = [], [], {0}
    for index, char in enumerate(text[:MAX_TEXT]):
        folded = unicodedata.normalize("NFKC", char).translate(TRADITIONAL).lower()
        if not folded or not all(_kept(c) for c in folded):
            boundaries.add(len(chars))
            continue
        for c in folded:
            chars.append(c)
            positions.append(index)
    boundaries.add(len(chars))
    return Compact("".join(chars), tuple(positions), frozenset(boundaries))


def _quoted(original: str, compact: Compact, start: int, end: int) -> bool:
    first, last = compact.positions[start], compact.positions[end - 1]
    opened = first > 0 and original[first - 1] in OPENING
    if not (opened and last + 1 < len(original) and original[last + 1] in CLOSING):
        return False
    return bool(QUOTED_AFTER.search(compact.text[max(0, start - QUOTE_WINDOW):start]))


def _safe(phrase: Phrase, original: str, compact: Compact, start: int, end: int) -> bool:
    before = compact.text[max(0, start - WINDOW):start]
    after = compact.text[end:end + WINDOW]
    if META.search(before) or _quoted(original, compact, start, end):
        return True
    if phrase.safe_before and re.search(f"(?:{phrase.safe_before})", before):
        return True
    if phrase.safe_after and re.match(phrase.safe_after, after):
        return True
    return phrase.alone and not (start in compact.boundaries and end in compact.boundaries)


def check_text(text: str | None, phrases: tuple[Phrase, ...] = PHRASES) -> list[Finding]:
    """The phrases found in ``text``, in the order they appear; an empty or phrase-free text gives []."""
    if not text:
        return []
    compact = normalize(text)
    candidates: list[tuple[int, int, Phrase]] = []
    for phrase in phrases:
        for match in phrase.regex.finditer(compact.text):
            start, end = match.span()
            if end > start and not _safe(phrase, text, compact, start, end):
                candidates.append((start, end, phrase))
    kept: list[tuple[int, int, Phrase]] = []
    for start, end, phrase in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):  # longest first
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, phrase))
    findings = []
    for start, end, phrase in sorted(kept, key=lambda c: c[0]):
        first, last = compact.positions[start], compact.positions[end - 1] + 1
        findings.append(Finding(phrase=phrase.phrase, start=first, end=last, kind=str(phrase.kind),
                                reason=phrase.reason, suggestion=phrase.suggestion, matched=text[first:last]))
    return findings
