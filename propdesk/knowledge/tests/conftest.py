from datetime import timedelta

import pytest
from django.test import Client

from propdesk.core.testing import TEST_NOW
from propdesk.knowledge.services import AnswerInput, CaseInput, answer_create, case_create, library_load
from propdesk.servicedesk.services.requests import RequestInput, request_reply, request_submit
from propdesk.staff.models import ApiToken


def handled(world, *, project=None, user="agent_a", description, reply, kind="repair", minutes=0, room="3-1-101"):
    """A request recorded and answered (no work order: closed by the reply)."""
    project = project or world.project_a
    actor = world.users[user]
    now = TEST_NOW - timedelta(days=10, minutes=-minutes)
    sr = request_submit(actor=actor, project=project, now=now, data=RequestInput(
        channel="phone", kind=kind, description=description, contact_name="周美玲", contact_phone="13812345678",
        room_id=world.room(project, room).pk))
    return request_reply(request=sr, actor=actor, text=reply, now=now + timedelta(hours=2))


@pytest.fixture
def library(world):
    """The starting library in the company, a case of project A, a case of project B, answers of project A and B."""
    library_load(company=world.company, now=TEST_NOW - timedelta(days=30))
    a_case = case_create(actor=world.users["pm_a"], now=TEST_NOW - timedelta(days=3), data=CaseInput(
        title="翠湖花园地库排水沟堵塞，雨天积水", category="repair",
        happened="暴雨后地库B2排水沟堵塞，积水漫到车位，多位业主投诉车辆泡水风险。",
        handling="工程部连夜抽水疏通，清理沟内淤泥。", outcome="两小时排干。", lessons="雨季前检查排水沟。",
        tags="地库 积水 排水沟"))
    b_case = case_create(actor=world.users["agent_b"], now=TEST_NOW - timedelta(days=2), data=CaseInput(
        title="金桂苑机密案例：业主车辆被划", category="complaint",
        happened="金桂苑业主车辆在地库被划，要求调取监控并赔偿。", handling="调取监控，报警处理。",
        tags="车辆 监控"))
    a_fee = answer_create(actor=world.users["pm_a"], now=TEST_NOW - timedelta(days=1), data=AnswerInput(
        topic="物业费标准", question="翠湖花园物业费多少钱？",
        answer="翠湖花园住宅物业费为3.2元/平方米/月，按季度收取。", keywords="物业费 管理费"))
    b_card = answer_create(actor=world.users["quality"], now=TEST_NOW - timedelta(days=1), data=AnswerInput(
        topic="门禁卡补办", question="金桂苑门禁卡怎么补？", answer="金桂苑机密答复：门禁卡补办工本费30元。",
        keywords="门卡", project_id=world.project_b.pk))
    return {"a_case": a_case, "b_case": b_case, "a_fee": a_fee, "b_card": b_card}


@pytest.fixture
def api(world):
    def _api(user="agent_a"):
        _token, raw = ApiToken.issue(user=world.users[user], name="测试")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return _api
