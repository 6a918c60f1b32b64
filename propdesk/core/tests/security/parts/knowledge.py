"""The knowledge (issue 16) in each scope: a case saved from the scope's handled request and a standard answer of
the project. Nothing company-wide: a company's own rows are meant for every project of it."""

from datetime import timedelta

from propdesk.knowledge.services import AnswerInput, CaseInput, answer_create, case_create


def populate(ctx):
    pm = ctx.people["project_manager"]
    case = case_create(actor=pm, now=ctx.now - timedelta(days=1), data=CaseInput(
        title=f"{ctx.marker}案例：水龙头漏水", category="repair", happened=f"{ctx.marker}案例经过：卫生间水龙头漏水",
        handling=f"{ctx.marker}案例处理：更换阀芯", lessons=f"{ctx.marker}案例教训", project_id=ctx.project.pk,
        source_request_id=ctx.request.pk))
    answer = answer_create(actor=pm, now=ctx.now - timedelta(days=1), data=AnswerInput(
        topic=f"{ctx.tag}门禁卡补办", question=f"{ctx.marker}问题：门禁卡怎么补办",
        answer=f"{ctx.marker}标准答复：门禁卡补办工本费20元", keywords="门卡", project_id=ctx.project.pk))
    return {"case": case.pk, "standard_answer": answer.pk}, (
        f"{ctx.marker}案例：水龙头漏水", f"{ctx.marker}案例经过：卫生间水龙头漏水", f"{ctx.marker}案例处理：更换阀芯",
        f"{ctx.marker}案例教训", f"{ctx.marker}问题：门禁卡怎么补办", f"{ctx.marker}标准答复：门禁卡补办工本费20元")
