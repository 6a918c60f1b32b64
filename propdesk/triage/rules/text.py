"""Text normalisation and features shared by training and triage: char 1-2-grams and lexicon cue hits."""

import re
import unicodedata

from .lexicon import FIELDS

MAX_CHARS = 4000  # the API refuses longer text
# A longer message is read by its first 1,500 and last 500 characters (what happened, and what the resident wants):
# that keeps a 4,000-character letter within the 20 ms budget (bench/triage_bench.py). The place is looked for in
# the whole text (location.py).
HEAD, TAIL = 1500, 500
DIGITS = re.compile(r"\d+")
SPACE = re.compile(r"\s+")
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[a-z]")


def normalise(text: str) -> str:
    """NFKC (full-width ！？（ → !?( ), lower case, runs of blanks as one space."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS]
    if len(text) > HEAD + TAIL:
        text = text[:HEAD] + " " + text[-TAIL:]
    return SPACE.sub(" ", text.lower()).strip()


def _compile(cue: str):
    if cue.startswith("re:"):
        return re.compile(unicodedata.normalize("NFKC", cue[3:]).lower())
    return normalise(cue)


# field -> label -> [(original cue, matcher, weight)]; matchers are normalised substrings or compiled patterns.
CUES = {field: {label: [(cue, _compile(cue), weight) for cue, weight in cues.items()]
                for label, cues in labels.items()}
        for field, labels in FIELDS.items()}


def cue_hits(norm: str) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """Per field and label, the cues found in the normalised text with their weights (each cue once)."""
    hits: dict[str, dict[str, list[tuple[str, float]]]] = {}
    for field, labels in CUES.items():
        per_label = {}
        for label, cues in labels.items():
            found = []
            for _cue, matcher, weight in cues:
                if isinstance(matcher, str):
                    if matcher and matcher in norm:
                        found.append((matcher, weight))
                else:
                    m = matcher.search(norm)
                    if m:
                        found.append((m.group(0), weight))
            if found:
                per_label[label] = found
        hits[field] = per_label
    return hits


def ngrams(norm: str) -> set[str]:
    """Character unigrams and bigrams (digits folded to 0, spaces dropped), as a set: a word counts once."""
    folded = DIGITS.sub("0", norm).replace(" ", "")
    grams = set(folded)
    grams.update(folded[i:i + 2] for i in range(len(folded) - 1))
    return grams


def features(norm: str, hits: dict) -> set[str]:
    feats = ngrams(norm)
    for field, per_label in hits.items():
        for label in per_label:
            feats.add(f"L:{field}:{label}")
    return feats


def coverage(norm: str) -> float:
    """How much of a Chinese message there is to read: 0 for nothing, 1 from about ten Chinese characters."""
    cjk = len(CJK.findall(norm))
    latin_words = len(LATIN.findall(norm)) / 5
    return min(1.0, (cjk + 0.3 * latin_words) / 10)
