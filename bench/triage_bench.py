"""Triage speed: milliseconds per message on one core, over the labelled set and a 4,000-character message.

    .venv/bin/python bench/triage_bench.py [--rounds 5]

The target (issue 16) is under 20 ms per message in the web process; the weights are loaded once before timing,
as a worker does at its first request.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from propdesk.triage.rules import triage  # noqa: E402
from propdesk.triage.rules.dataset import load_examples  # noqa: E402


def timed(texts, rounds):
    samples = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            triage(text)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"n": len(samples), "median": statistics.median(samples),
            "p95": samples[int(len(samples) * 0.95) - 1], "max": samples[-1]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = [e["text"] for e in load_examples()]
    triage("预热")  # load the weights
    chars = [c for text in texts for c in text if "\u4e00" <= c <= "\u9fff"]
    rng = random.Random(16)
    long_texts = ["".join(rng.choice(chars) for _ in range(4000)) for _ in range(5)]
    long_texts.append(("楼上漏水，催了好几次了！" * 400)[:4000])
    for name, sample in (("labelled set", texts), ("4,000 characters", long_texts)):
        r = timed(sample, args.rounds)
        print(f"{name:<18} n={r['n']:<5} median {r['median']:.2f} ms  p95 {r['p95']:.2f} ms  max {r['max']:.2f} ms")


if __name__ == "__main__":
    main()
