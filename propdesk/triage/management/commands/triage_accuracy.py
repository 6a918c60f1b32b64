"""Print the triage engine's accuracy per field on the labelled set's test split, and the confusion matrix of the
weakest field."""

from pathlib import Path

from django.core.management.base import BaseCommand

from propdesk.triage.rules import model
from propdesk.triage.rules.dataset import DATA_PATH, evaluate, load_examples

TARGETS = {"kind": 0.90, "severity": 0.80, "department": 0.85, "emotion": 0.75}


def confusion_table(confusion: dict) -> list[str]:
    labels = sorted(set(confusion) | {got for row in confusion.values() for got in row})
    width = max(12, *(len(label) + 1 for label in labels))
    lines = ["gold \\ predicted".ljust(width) + "".join(label[:width - 1].rjust(width) for label in labels)]
    for gold in labels:
        row = confusion.get(gold, {})
        lines.append(gold.ljust(width) + "".join(str(row.get(got, 0)).rjust(width) for got in labels))
    return lines


class Command(BaseCommand):
    help = "Accuracy per field of triage on the held-out (test) split; the weakest field's confusion matrix."

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(DATA_PATH))
        parser.add_argument("--split", default="test", help="test (default), train, or all")
        parser.add_argument("--weights", default=str(model.WEIGHTS_PATH))

    def handle(self, *args, **options):
        split = None if options["split"] == "all" else options["split"]
        examples = load_examples(Path(options["data"]), split=split)
        weights = model.load(Path(options["weights"]))
        report = evaluate(examples, weights=weights)
        self.stdout.write(f"Triage accuracy on the {options['split']} split ({len(examples)} messages):")
        for field, result in report.items():
            target = TARGETS.get(field)
            mark = ""
            if target is not None:
                mark = f"  (target {target:.0%}: {'met' if result['accuracy'] >= target else 'NOT met'})"
            self.stdout.write(f"  {field:<11} {result['accuracy']:6.1%}  n={result['n']}{mark}")
        weakest = min(report, key=lambda f: report[f]["accuracy"])
        self.stdout.write(f"\nConfusion matrix of the weakest field, {weakest} (rows: gold, columns: predicted):")
        for line in confusion_table(report[weakest]["confusion"]):
            self.stdout.write("  " + line)
