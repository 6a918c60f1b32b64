"""Service-language findings 服务禁用语 of the demo (issue 16): over the last six months, the replies, comments and
notices of each project's agents and stewards that went out with a forbidden, cold or blaming phrase still in them,
so that the quality department's report (/wording/report/) has people, phrases and months to compare. Written
through ``wording_record`` with the sent text, as the reply and notice services do; a few agents write more of them
than the others, as in a real center."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from propdesk.notices.models import Notice
from propdesk.org.models import Project
from propdesk.servicedesk.models import ServiceRequest
from propdesk.staff.models import StaffProfile
from propdesk.wording.services import wording_record

MONTHS = 6
# Texts as they were sent (each has at least one phrase the check finds).
REPLIES = [
    "这个问题我也不知道，您问问别人吧。",
    "具体原因我们不清楚，等工程部看了再说。",
    "楼上漏水这个我们没办法解决，你们自己协商。",
    "小区外面的路灯不归我们管。",
    "房子质量问题你找开发商去。",
    "刚才不是跟你说了吗？师傅下午才有空。",
    "急什么，排队等着吧。",
    "已经下班了，明天再说。",
    "有意见找领导去。",
    "这是你自己装修弄坏的，是你自己的问题。",
    "你们业主总是这个时候打电话。",
    "规定就是这样，没法改。",
    "不行，周末不能施工。",
]
COMMENTS = ["你自己看着办吧，我们已经通知过了。", "这个我们管不了，属于市政。", "你怎么不早说，现在师傅都走了。"]
NOTICES = ["你们业主请自行储水，规定就是这样。", "停电原因不清楚，恢复时间另行通知。"]
# How likely a writer is to slip, by position in the project's team: the first is careless, the last careful.
SLIPS = (6, 3, 2, 1)


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9))) + timedelta(minutes=rng.randrange(0, 540))


def build_wording(plan=None, *, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's findings; returns counts."""
    rng = random.Random((getattr(plan, "seed", 0) or 0) + 16)
    counts = {"wording_findings": 0}
    for project in Project.objects.order_by("id"):
        writers = [p.user for p in StaffProfile.objects.filter(project=project, role__in=("agent", "steward"),
                                                               is_active=True)
                   .select_related("user").order_by("role", "id")[:len(SLIPS)]]
        request_ids = list(ServiceRequest.objects.filter(project=project).order_by("-id")
                           .values_list("id", flat=True)[:200])
        notice_ids = list(Notice.objects.filter(project=project).order_by("-id").values_list("id", flat=True)[:20])
        if not writers or not request_ids:
            continue
        for back in range(MONTHS):
            index = today.year * 12 + today.month - 1 - back
            month = date(index // 12, index % 12 + 1, 1)
            for writer, slips in zip(writers, SLIPS, strict=False):
                for _ in range(rng.randrange(0, slips + 1)):
                    day = min(month + timedelta(days=rng.randrange(0, 28)), today)
                    source, pool = rng.choice((("reply", REPLIES), ("reply", REPLIES), ("comment", COMMENTS),
                                               ("notice", NOTICES)))
                    if source == "notice" and not notice_ids:
                        source, pool = "reply", REPLIES
                    counts["wording_findings"] += len(wording_record(
                        user=writer, project=project, source=source,
                        source_id=rng.choice(notice_ids if source == "notice" else request_ids),
                        text=rng.choice(pool), now=min(_at(day, rng), timezone.now())))
    if stdout is not None:
        stdout.write(f"Service-language findings: {counts['wording_findings']}\n")
    return counts
