"""Recording what the agent chose against the suggestion, and the two commands: training includes the corrections,
accuracy prints every field and the weakest field's confusion matrix."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import TEST_NOW
from propdesk.triage.models import TriageCorrection
from propdesk.triage.rules import model, triage
from propdesk.triage.selectors import training_examples
from propdesk.triage.services import triage_record_outcome

pytestmark = pytest.mark.django_db
TEXT = "物业费账单上多了一项公共能耗分摊，凭什么收？给我解释清楚！"


def test_an_outcome_records_the_suggestion_the_choice_and_what_changed(world):
    suggested = triage(TEXT, "phone")
    chosen = {"kind": "complaint", "category": "property", "severity": "important", "department": "finance",
              "emotion": "angry"}
    row = triage_record_outcome(user=world.users["agent_a"], text=TEXT, channel="phone", suggested=suggested,
                                chosen=chosen, now=TEST_NOW)
    assert row.created_at == TEST_NOW and row.request is None and row.user == world.users["agent_a"]
    assert row.suggested["kind"] == suggested["kind"]["label"]
    assert row.chosen == chosen
    assert row.changed == sorted(f for f in chosen if row.suggested.get(f) != chosen[f])
    same = triage_record_outcome(user=world.users["agent_a"], text=TEXT, suggested=suggested,
                                 chosen={"kind": suggested["kind"]["label"]}, now=TEST_NOW)
    assert same.changed == []


def test_an_outcome_refuses_unknown_labels_and_empty_text_by_field(world):
    with pytest.raises(ApplicationError) as error:
        triage_record_outcome(user=world.users["agent_a"], text="", suggested={}, now=TEST_NOW,
                              chosen={"kind": "gossip", "emotion": "furious"}, channel="pigeon")
    assert set(error.value.field_errors) == {"text", "kind", "emotion", "channel"}
    assert not TriageCorrection.objects.exists()


def test_training_includes_the_corrections_and_writes_the_weights_where_told(world, tmp_path):
    text = "小区喷泉池里有人钓鱼，孩子们围着很危险"
    for _ in range(3):
        triage_record_outcome(user=world.users["agent_a"], text=text, suggested=triage(text), now=TEST_NOW,
                              chosen={"kind": "complaint", "category": "property", "severity": "minor",
                                      "urgency": "urgent", "department": "security", "emotion": "anxious"})
    assert training_examples()[0] == {"text": text, "kind": "complaint", "category": "property",
                                      "severity": "minor", "department": "security", "emotion": "anxious"}
    output = tmp_path / "weights.json"
    out = StringIO()
    call_command("triage_train", "--output", str(output), stdout=out)
    assert "3 corrections" in out.getvalue()
    weights = json.loads(output.read_text(encoding="utf-8"))
    assert weights["sources"] == {"labelled_train": 349, "corrections": 3}
    assert "钓鱼" in weights["fields"]["kind"]["features"]  # seen only in the corrections
    assert "钓鱼" not in model.load()["fields"]["kind"]["features"]  # the checked-in file is untouched


def test_the_accuracy_command_prints_every_field_and_the_weakest_confusion():
    out = StringIO()
    call_command("triage_accuracy", stdout=out)
    text = out.getvalue()
    for field in ("kind", "category", "severity", "urgency", "department", "emotion"):
        assert f"  {field}" in text
    assert "test split (116 messages)" in text
    assert "Confusion matrix of the weakest field" in text
    assert "NOT met" not in text
