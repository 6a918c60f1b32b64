"""The knowledge of the demo company, on one small demo built for the module: the handbooks' cases and the standard
answers are there, each project has its own fee answer overriding the company's, and its PM saved a closed request
as a case."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from propdesk.knowledge import library
from propdesk.knowledge.models import Case, StandardAnswer
from propdesk.knowledge.selectors import answer_list, similar_cases
from propdesk.org.models import Project

TODAY = date(2026, 11, 23)
DEMO_ARGS = {"seed": 42, "scale": 0.02, "today": TODAY}


@pytest.fixture
def demo(demo_once, db):
    return demo_once


def test_the_demo_library(demo):
    projects = list(Project.objects.order_by("id"))
    assert Case.objects.filter(project__isnull=True).count() == len(library.CASES)
    assert Case.objects.filter(source_request__isnull=False).count() == len(projects)
    assert Case.objects.count() >= 20 and StandardAnswer.objects.count() >= 20
    agent = get_user_model().objects.get(username="agent_cuihu")
    fee = [a for a in answer_list(user=agent) if a.topic == "物业费标准"]
    assert len(fee) == 1 and fee[0].project_id == agent.staff_profile.project_id
    found = similar_cases("楼上住户往下扔东西，把我家阳台玻璃砸碎了，你们物业管不管？", user=agent)
    assert found[0].obj.title.startswith("高空抛物屡次投诉")
