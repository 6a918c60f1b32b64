"""The labelled set (data/labelled.jsonl) and the accuracy of the engine on its test split."""

import json
from collections import Counter, defaultdict
from pathlib import Path

from .engine import triage
from .model import APPLIES, FIELDS

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "labelled.jsonl"


def load_examples(path: Path = DATA_PATH, split: str | None = None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if split is None or row["split"] == split:
                    rows.append(row)
    return rows


def evaluate(examples: list[dict], weights: dict | None = None) -> dict:
    """Per field: accuracy, n and the confusion counts (gold -> predicted -> n). Category and severity are scored
    on the complaints, urgency on the repairs (by the gold kind: how well each is read when it applies)."""
    out = {}
    predictions = [(e, triage(e["text"], e.get("channel"), weights=weights)) for e in examples]
    for field in FIELDS:
        key, value = APPLIES.get(field, (None, None))
        confusion = defaultdict(Counter)
        right = total = 0
        for e, result in predictions:
            if not e.get(field) or (key and e.get(key) != value):
                continue
            got = result[field]["label"]
            confusion[e[field]][got] += 1
            total += 1
            right += got == e[field]
        out[field] = {"accuracy": right / total if total else 0.0, "n": total,
                      "confusion": {gold: dict(c) for gold, c in confusion.items()}}
    return out
