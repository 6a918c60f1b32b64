"""The demo's library on the small test world, and the command that loads the starting library."""

from django.core.management import call_command

from propdesk.console.demo.knowledge import build_knowledge
from propdesk.core.testing import TEST_NOW
from propdesk.knowledge import library
from propdesk.knowledge.models import Case, StandardAnswer

from .conftest import handled


def test_the_demo_library_has_the_handbooks_cases_and_each_projects_own_answers(world, login):
    closed = handled(world, description="楼道灯坏了一周没人修", reply="已更换灯管。")
    counts = build_knowledge(today=TEST_NOW.date())
    assert counts == {"cases": len(library.CASES) + 1, "standard_answers": len(library.ANSWERS) + 2}
    assert len(library.CASES) >= 20 and len(library.ANSWERS) >= 20
    assert Case.objects.filter(source_note="万科物业员工对客行为规范").count() >= 8
    assert Case.objects.get(source_request=closed).project_id == world.project_a.pk
    own = StandardAnswer.objects.get(project=world.project_a, topic="物业费标准")
    assert "翠湖花园" in own.answer
    client = login(world.users["agent_a"])
    html = client.get("/knowledge/cases/", {"q": "抛物"}).content.decode()
    assert "高空抛物屡次投诉" in html
    html = client.get("/knowledge/answers/").content.decode()
    for topic in ("门禁卡补办", "物业费标准", "装修手续", "快递代收", "停车办理"):
        assert topic in html


def test_the_command_loads_the_library_once(world):
    call_command("knowledge_library", verbosity=0)
    call_command("knowledge_library", "--company", "wanjia", verbosity=0)
    assert Case.objects.filter(company=world.company).count() == len(library.CASES)
    assert StandardAnswer.objects.filter(company=world.company, project__isnull=True).count() == len(library.ANSWERS)
