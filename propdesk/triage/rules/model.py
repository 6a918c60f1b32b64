"""The learned part: a naive Bayes per field over binary features (char 1-2-grams and lexicon cue families).

Binarized multinomial naive Bayes (a feature counts once per message) with add-alpha smoothing; features seen in
fewer than ``MIN_DOCS`` training messages are dropped. Trained by ``manage.py triage_train``; the weights are a JSON
file checked in beside this module (weights.json) and read once per process. Pure Python.
"""

import json
import logging
import math
from collections import Counter, defaultdict
from pathlib import Path

from .text import cue_hits, features, normalise

log = logging.getLogger(__name__)
WEIGHTS_PATH = Path(__file__).with_name("weights.json")
ALPHA = 0.5
MIN_DOCS = 2
# Which examples train which field: category and severity only exist for complaints, urgency for repairs.
APPLIES = {"category": ("kind", "complaint"), "severity": ("kind", "complaint"), "urgency": ("kind", "repair")}
FIELDS = ("kind", "category", "severity", "urgency", "department", "emotion")


def example_features(text: str) -> set[str]:
    norm = normalise(text)
    return features(norm, cue_hits(norm))


def train(examples: list[dict]) -> dict:
    """``examples``: dicts with "text" and a label per field (None where the field does not apply)."""
    featured = [(example_features(e["text"]), e) for e in examples]
    out = {"version": 1, "alpha": ALPHA, "examples": len(examples), "fields": {}}
    for field in FIELDS:
        key, value = APPLIES.get(field, (None, None))
        rows = [(f, e[field]) for f, e in featured if e.get(field) and (key is None or e.get(key) == value)]
        labels = sorted({label for _, label in rows})
        doc_freq = Counter(g for f, _ in rows for g in f)
        vocab = sorted(g for g, n in doc_freq.items() if n >= MIN_DOCS)
        index = {g: i for i, g in enumerate(vocab)}
        counts = {label: defaultdict(int) for label in labels}
        totals = Counter()
        docs = Counter()
        for f, label in rows:
            docs[label] += 1
            for g in f:
                if g in index:
                    counts[label][g] += 1
                    totals[label] += 1
        v = len(vocab)
        weights = {}
        for g in vocab:
            weights[g] = [round(math.log((counts[label][g] + ALPHA) / (totals[label] + ALPHA * v)), 4)
                          for label in labels]
        n = sum(docs.values())
        out["fields"][field] = {
            "labels": labels,
            "prior": [round(math.log((docs[label] + 1) / (n + len(labels))), 4) for label in labels],
            "features": weights,
        }
    return out


def save(weights: dict, path: Path = WEIGHTS_PATH) -> None:
    path.write_text(json.dumps(weights, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                    encoding="utf-8")


_CACHE: dict = {}


def load(path: Path = WEIGHTS_PATH) -> dict:
    """The weights, read once. A missing or broken file must not stop anyone recording a request: triage then runs
    on the lexicon alone (an empty model), and the error is logged for the operators."""
    key = str(path)
    if key not in _CACHE:
        try:
            weights = json.loads(path.read_text(encoding="utf-8"))
            for field in FIELDS:
                table = weights["fields"][field]
                if not table["labels"] or len(table["prior"]) != len(table["labels"]):
                    raise ValueError(field)
        except (OSError, ValueError, KeyError, TypeError):
            log.exception("Triage weights unreadable at %s: running on the lexicon alone", path)
            weights = empty()
        _CACHE[key] = weights
    return _CACHE[key]


def empty() -> dict:
    """A model that knows nothing: every label of the lexicon, equal priors, no features."""
    from .lexicon import FIELDS as LEXICON

    return {"version": 1, "examples": 0, "fields": {
        field: {"labels": sorted(LEXICON[field]), "prior": [0.0] * len(LEXICON[field]), "features": {}}
        for field in FIELDS}}


def clear_cache() -> None:
    _CACHE.clear()
