"""Retrain the triage model from the labelled set's train split plus the agents' recorded outcomes."""

from pathlib import Path

from django.core.management.base import BaseCommand

from propdesk.triage.rules import model
from propdesk.triage.rules.dataset import DATA_PATH, load_examples
from propdesk.triage.selectors import training_examples


class Command(BaseCommand):
    help = "Train the triage model (train split + recorded corrections) and write its weights JSON."

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(DATA_PATH), help="The labelled set (JSONL).")
        parser.add_argument("--output", default=str(model.WEIGHTS_PATH),
                            help="Where to write the weights (default: the checked-in file).")
        parser.add_argument("--no-corrections", action="store_true", help="Train on the labelled set only.")

    def handle(self, *args, **options):
        examples = load_examples(Path(options["data"]), split="train")
        corrections = [] if options["no_corrections"] else training_examples()
        weights = model.train(examples + corrections)
        weights["sources"] = {"labelled_train": len(examples), "corrections": len(corrections)}
        output = Path(options["output"])
        model.save(weights, output)
        model.clear_cache()
        sizes = ", ".join(f"{f}: {len(t['features'])}" for f, t in weights["fields"].items())
        self.stdout.write(f"Trained on {len(examples)} labelled messages and {len(corrections)} corrections; "
                          f"features per field: {sizes}. Written to {output}.")
