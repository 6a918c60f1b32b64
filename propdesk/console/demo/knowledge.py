"""The knowledge of the demo (issue 16): the starting library in the company (the handbooks' cases, cases of the
kind every desk meets, and the standard answers to frequent questions: knowledge/library.py), then per project its
own fee and parking answers (they differ from project to project and override the company's) and a case saved by
the project manager from one of the project's closed complaints or repairs — all through the services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from propdesk.console.demo.spec import COMPANY_CODE, staff_username
from propdesk.console.demo.write import _say
from propdesk.knowledge.services import AnswerInput, CaseInput, answer_create, case_create, library_load
from propdesk.org.models import Company, Project
from propdesk.servicedesk.models import ServiceRequest

# Per project, in project order: (fee per m² and month, underground parking per month, surface parking per month).
PRICES = [("2.8", 450, 300), ("3.5", 600, 400), ("1.9", 300, 200), ("2.2", 350, 250)]


def _at(today: date, days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10, 0)))


def build_knowledge(plan=None, *, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's library; returns counts."""
    company = Company.objects.filter(code=COMPANY_CODE).first() or Company.objects.order_by("id").first()
    if company is None:
        return {"cases": 0, "standard_answers": 0}
    cases, answers = library_load(company=company, now=_at(today, 90))
    users = get_user_model().objects
    for index, project in enumerate(Project.objects.filter(company=company).order_by("id")):
        pm = users.filter(username=staff_username("pm", project.code)).first()
        if pm is None:
            continue
        fee, underground, surface = PRICES[index % len(PRICES)]
        answer_create(actor=pm, now=_at(today, 60), data=AnswerInput(
            topic="物业费标准", question=f"{project.name}物业费多少钱一平米？", keywords="物业费 管理费 收费 单价",
            answer=f"您好，{project.name}住宅物业服务费为{fee}元/平方米/月，按房屋建筑面积计收，每季度收取一次；"
                   "收费标准已在小区公告栏和物业服务中心公示，也可在业主App“缴费”中查看账单明细。",
            project_id=project.pk))
        answer_create(actor=pm, now=_at(today, 60), data=AnswerInput(
            topic="停车办理", question=f"{project.name}怎么办月租车位？", keywords="停车 车位 月租 停车费 车库",
            answer=f"您好，{project.name}月租车位请携带行驶证、身份证和房产证明到物业服务中心办理，地下车位"
                   f"{underground}元/月，地面车位{surface}元/月；暂无空位可登记排队，有空位时电话通知您。",
            project_id=project.pk))
        answers += 2
        source = (ServiceRequest.objects.filter(project=project, status="closed", kind__in=("complaint", "repair"))
                  .exclude(reply="").order_by("-closed_at", "-id").first())
        if source is None:
            continue
        case_create(actor=pm, now=source.closed_at or _at(today, 30), data=CaseInput(
            title=source.description.replace("\n", " ")[:40], category=source.kind, happened=source.description,
            handling=source.root_cause or source.reply, outcome=source.reply,
            lessons="处理完毕后三日内回访，确认业主满意；同类问题在晨会上通报。", tags=project.name,
            source_request_id=source.pk))
        cases += 1
    _say(stdout, f"Knowledge: {cases} cases, {answers} standard answers.\n")
    return {"cases": cases, "standard_answers": answers}
