"""Triage of one free-text message: the learned naive Bayes score plus the lexicon's cue weights, per field.

``triage(text, channel=None)`` never raises on any string: empty text, emoji only, English or dialect give the most
common label with a low confidence. Each field answers ``{"label", "confidence", "evidence"}``; category and
severity are read for every message but apply to complaints (their confidence is scaled by the chance the message
is a complaint), urgency to repairs.
"""

import math
import re

from .location import find_location
from .model import APPLIES, FIELDS, load
from .text import coverage, cue_hits, features, normalise

LEXICON_WEIGHT = 6.0  # how many log-units one unit of cue weight is worth (chosen by 5-fold CV on the train split)
EVIDENCE_MAX = 5
WORDY = re.compile(r"[\u3400-\u9fffa-z0-9]")
DEFAULTS = {"kind": "inquiry", "category": "property", "severity": "minor", "urgency": "normal",
            "department": "customer_service", "emotion": "calm"}


def _softmax(scores: list[float], temperature: float) -> list[float]:
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _field(name: str, table: dict, feats: set[str], hits: dict, cover: float) -> dict:
    labels = table["labels"]
    weights = table["features"]
    present = [f for f in feats if f in weights]
    known = [weights[f] for f in present]
    scores = list(table["prior"])
    if known:
        for i, column in enumerate(zip(*known, strict=True)):
            scores[i] += sum(column)
    lexical = hits.get(name, {})
    for i, label in enumerate(labels):
        scores[i] += LEXICON_WEIGHT * sum(w for _, w in lexical.get(label, ()))
    if not known and not lexical:
        label = DEFAULTS[name] if DEFAULTS[name] in labels else labels[0]
        return {"label": label, "confidence": 0.0, "evidence": [], "scores": {}}
    probs = _softmax(scores, temperature=1.0 + 0.05 * len(known))
    best = max(range(len(labels)), key=probs.__getitem__)
    label = labels[best]
    evidence = [cue for cue, _ in sorted(lexical.get(label, ()), key=lambda h: -h[1]) if WORDY.search(cue)]
    if len(evidence) < EVIDENCE_MAX and len(labels) > 1:
        # The model's own reasons: the words (2 Chinese characters) most typical of the label against the others.
        ranked = []
        for f in present:
            if len(f) != 2 or not ("\u3400" <= f[0] <= "\u9fff" and "\u3400" <= f[1] <= "\u9fff"):
                continue
            row = weights[f]
            lift = row[best] - max(row[:best] + row[best + 1:])
            if lift > 0.5:
                ranked.append((lift, f))
        ranked.sort(reverse=True)
        for lift, f in ranked:
            if lift <= 0.5 or len(evidence) >= EVIDENCE_MAX:
                break
            if not any(f in e or e in f for e in evidence):
                evidence.append(f)
    return {"label": label, "confidence": round(probs[best] * cover, 3), "evidence": evidence[:EVIDENCE_MAX],
            "scores": {lab: round(p, 3) for lab, p in zip(labels, probs, strict=True)}}


def triage(text, channel: str | None = None, *, weights: dict | None = None) -> dict:
    """Read one message; see the module docstring for the answer's shape."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    weights = weights or load()
    norm = normalise(text)
    hits = cue_hits(norm)
    feats = features(norm, hits)
    cover = coverage(norm)
    result = {}
    for name in FIELDS:
        result[name] = _field(name, weights["fields"][name], feats, hits, cover)
    kind_scores = result["kind"]["scores"]
    for name, (_key, value) in APPLIES.items():
        share = kind_scores.get(value, 0.0)
        applies = result["kind"]["label"] == value
        if name == "urgency":
            # A leak reported as a complaint still needs an engineering work order, urgent or not.
            share = max(share, result["department"]["scores"].get("engineering", 0.0))
            applies = applies or result["department"]["label"] == "engineering"
        result[name]["applies"] = applies
        result[name]["confidence"] = round(result[name]["confidence"] * share, 3)
    location = find_location(unicode_text(text))
    result["location"] = location
    result["channel"] = channel or ""
    result["confidence"] = round(min(result[f]["confidence"] for f in ("kind", "department", "emotion")), 3)
    return result


def unicode_text(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text)[:4000]
